package dev.fastembed;

import dev.fastembed.catalog.ModelKind;
import dev.fastembed.internal.Json;
import dev.fastembed.internal.ResolvedModel;

/**
 * What builders of tokenized models add: truncation and the token budget of a run.
 *
 * @param <B> the public builder, returned by every setter
 */
public abstract sealed class TextModelBuilder<B extends TextModelBuilder<B>> extends ModelBuilder<B>
        permits TextEmbedding.Builder, SparseTextEmbedding.Builder, TextRerank.Builder,
        LateInteractionTextEmbedding.Builder, LateInteractionMultimodalEmbedding.Builder {

    Integer maxLength;
    Integer tokenBudget;

    TextModelBuilder(ModelKind kind) {
        super(kind);
    }

    /** Maximum tokens per input; longer ones are truncated (default: the tokenizer's, at most 512). */
    public B maxLength(int maxLength) {
        this.maxLength = positive(maxLength, "maxLength");
        return self();
    }

    /**
     * Padded tokens per ONNX Runtime run (default 1024). ONNX Runtime keeps the memory of the largest run it
     * has made, so this bounds a model's working memory: about 60 KB per token for a small BERT model, per
     * call running at once. Small runs are also faster on CPU, their activations staying in cache; a text
     * longer than the budget runs alone.
     */
    public B tokenBudget(int tokenBudget) {
        this.tokenBudget = positive(tokenBudget, "tokenBudget");
        return self();
    }

    /** Resolves the model's files; {@code what} (e.g. "a reranker") names the model if they lack a tokenizer.json. */
    ResolvedModel resolveWithTokenizer(String what) {
        ResolvedModel model = resolve();
        if (model.files().tokenizer() == null) {
            throw new IllegalArgumentException(what + " needs a tokenizer.json");
        }
        return model;
    }

    @Override
    Json engineOptions(ResolvedModel model) {
        return super.engineOptions(model).put("max_length", maxLength).put("token_budget", tokenBudget);
    }
}
