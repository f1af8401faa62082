package dev.fastembed.spring;

import dev.fastembed.ExecutionPlan;
import dev.fastembed.catalog.ModelKind;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A named model bean of any kind, as health and metrics see it. {@link TextEmbeddingPool} is the one for
 * dense text models; each further kind (sparse, rerank, image, late interaction) adds one such class.
 */
public interface PooledModel extends AutoCloseable {

    /** The operation name of {@link #probe()} calls, so metrics can tell them from the application's calls. */
    String PROBE = "probe";

    /** The configured name ({@code fastembed.models.<name>}). */
    default String name() {
        return pool().name();
    }

    default ModelKind kind() {
        return pool().kind();
    }

    /** The pool that runs the calls. */
    SharedModel<?> pool();

    /** The vector length, when the kind has one and it is known (from the catalogue or the loaded model). */
    OptionalInt dimension();

    /**
     * The settings the loaded model runs with, each with where it came from (e.g. {@code pooling} →
     * {@code "MEAN (file 1_Pooling/config.json)"}); empty before loading or for kinds that report none.
     */
    default Map<String, String> settings() {
        return Map.of();
    }

    /** How single-input calls of concurrent callers are merged; empty for kinds that never merge them. */
    default Optional<CallBatching> batching() {
        return Optional.empty();
    }

    /** The engine calls that carried the inputs of more than one caller so far. */
    default MergedCalls mergedCalls() {
        return new MergedCalls(0, 0);
    }

    /**
     * How the loaded model runs its calls (kind, runs, threads per run, token budget, and whether it was configured,
     * measured at load or read from the plan cache); empty before loading and for models without one (images,
     * BM25).
     */
    default Optional<ExecutionPlan> executionPlan() {
        return Optional.empty();
    }

    /**
     * Runs one tiny call through the pool without waiting for a permit, to prove the model answers.
     *
     * @throws ModelPoolExhaustedException when every permit is busy (the model is working, so that is fine)
     * @throws RuntimeException            whatever the call throws
     */
    void probe();

    /** Frees the native model (waiting for calls in flight). */
    @Override
    void close();
}
