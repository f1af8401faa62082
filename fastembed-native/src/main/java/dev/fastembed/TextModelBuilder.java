package dev.fastembed;

import dev.fastembed.catalog.ModelKind;
import dev.fastembed.internal.Json;
import dev.fastembed.internal.ResolvedModel;

import java.nio.file.Path;
import java.util.Objects;

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
    Plan plan;
    Integer parallelRuns;
    Path planCacheDir;

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

    /**
     * How calls run their batches (default {@link Plan#SINGLE_RUN}, the engine's; the Spring Boot starter defaults to
     * {@link Plan#AUTO}). {@link #threads(int)}, {@link #tokenBudget(int)} and {@link #parallelRuns(int)} stay pinned
     * whatever the plan: {@code auto} only chooses what is left free. {@link PlannedModel#executionPlan()} tells
     * which plan a model runs.
     */
    public B plan(Plan plan) {
        this.plan = Objects.requireNonNull(plan, "plan");
        return self();
    }

    /**
     * Runs of one call side by side for {@link Plan#PARALLEL_RUNS} (and the candidate {@link Plan#AUTO} times);
     * default one per core, each with the cores left to it ({@link #threads(int)} pins the threads of each run).
     *
     * @throws IllegalArgumentException when not positive; the engine refuses it with {@link Plan#SINGLE_RUN}
     */
    public B parallelRuns(int parallelRuns) {
        this.parallelRuns = positive(parallelRuns, "parallelRuns");
        return self();
    }

    /**
     * Where {@link Plan#AUTO} remembers its choice, one small file per model, CPU, ONNX Runtime version and pinned
     * options, so the next load reads it instead of measuring (default: none, every load measures).
     */
    public B planCacheDir(Path planCacheDir) {
        this.planCacheDir = Objects.requireNonNull(planCacheDir, "planCacheDir");
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
        return super.engineOptions(model).put("max_length", maxLength).put("token_budget", tokenBudget)
                .put("plan", plan == null ? null : plan.id()).put("parallel_runs", parallelRuns)
                .put("plan_cache_dir", planCacheDir);
    }
}
