package dev.fastembed;

import dev.fastembed.catalog.ModelCatalog;
import dev.fastembed.catalog.ModelDescription;
import dev.fastembed.catalog.ModelKind;
import dev.fastembed.internal.FastEmbedNative;
import dev.fastembed.internal.FastEmbedNative.NativeType;
import dev.fastembed.internal.ResolvedModel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A cross-encoder reranker running in process, as fastembed's {@code TextCrossEncoder} / fastembed-rs'
 * {@code TextRerank}: each (query, document) pair is tokenized with the tokenizer's pair template, truncated
 * longest-first to the model's length, and scored by the model. Scores are the model's raw logits, as fastembed
 * returns them, unless the model is built with {@link Builder#sigmoid(boolean)}.
 *
 * <p>Thread-safe; {@link #close()} waits for calls in flight. Calls after close throw
 * {@link IllegalStateException}.
 *
 * <pre>{@code
 * try (TextRerank reranker = TextRerank.builder().model("BAAI/bge-reranker-base").build()) {
 *     List<RerankResult> best = reranker.rerank("what is a panda?", documents, 3);
 * }
 * }</pre>
 */
public final class TextRerank extends NativeModel {

    private static final Comparator<RerankResult> BEST_FIRST =
            Comparator.comparing(RerankResult::score, Comparator.reverseOrder()).thenComparing(RerankResult::index);

    private final boolean sigmoid;

    private TextRerank(String optionsJson, boolean sigmoid) {
        super(NativeType.TEXT_RERANK, optionsJson);
        this.sigmoid = sigmoid;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The rerankers of the catalogue, each loadable with {@code builder().model(name)}. */
    public static List<ModelDescription> listSupportedModels() {
        return ModelCatalog.list(ModelKind.RERANK);
    }

    /** The score of each document for {@code query}, in the order of {@code documents}. */
    public float[] score(String query, List<String> documents) {
        requireInputs(query, documents);
        return call(model -> FastEmbedNative.rerankScores(model, query, documents, sigmoid));
    }

    /** All documents, best first (ties in input order). */
    public List<RerankResult> rerank(String query, List<String> documents) {
        return rerank(query, documents, Integer.MAX_VALUE);
    }

    /** The {@code topK} best documents, best first (ties in input order); fewer if there are fewer documents. */
    public List<RerankResult> rerank(String query, List<String> documents, int topK) {
        if (topK <= 0) {
            throw new IllegalArgumentException("topK must be positive, got " + topK);
        }
        float[] scores = score(query, documents);
        List<RerankResult> results = new ArrayList<>(scores.length);
        for (int i = 0; i < scores.length; i++) {
            results.add(new RerankResult(i, scores[i], documents.get(i)));
        }
        results.sort(BEST_FIRST);
        return List.copyOf(results.subList(0, Math.min(topK, results.size())));
    }

    /** Whether scores are squashed through a sigmoid into (0, 1). */
    public boolean sigmoid() {
        return sigmoid;
    }

    private static void requireInputs(String query, List<String> documents) {
        if (query == null) {
            throw new IllegalArgumentException("query must not be null");
        }
        if (documents == null) {
            throw new IllegalArgumentException("documents must not be null");
        }
        for (int i = 0; i < documents.size(); i++) {
            if (documents.get(i) == null) {
                throw new IllegalArgumentException("documents[" + i + "] is null");
            }
        }
    }

    /** Options of a {@link TextRerank}; only the model is required. */
    public static final class Builder extends TextModelBuilder<Builder> {
        private boolean sigmoid;

        private Builder() {
            super(ModelKind.RERANK);
        }

        /** Squash scores through a sigmoid into (0, 1) (default false: raw logits, as fastembed returns). */
        public Builder sigmoid(boolean sigmoid) {
            this.sigmoid = sigmoid;
            return this;
        }

        /** Resolves the model (downloading it if needed) and loads it. */
        public TextRerank build() {
            ResolvedModel model = resolveWithTokenizer("a reranker");
            return new TextRerank(engineOptions(model).toString(), sigmoid);
        }
    }
}
