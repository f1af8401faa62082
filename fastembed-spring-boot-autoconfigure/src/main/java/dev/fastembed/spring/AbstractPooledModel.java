package dev.fastembed.spring;

import dev.fastembed.ExecutionPlan;
import dev.fastembed.FastEmbedException;
import dev.fastembed.PlannedModel;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * What the model beans ({@link TextEmbeddingPool} and the others) share: the {@link SharedModel} that runs their
 * calls, the merging of single-input calls ({@link CallMerger}), the vector length, the health probe, close and
 * toString. A bean adds only its kind's methods.
 *
 * @param <M> the model class, e.g. {@link dev.fastembed.TextEmbedding}
 */
abstract class AbstractPooledModel<M extends AutoCloseable> implements PooledModel {

    final SharedModel<M> pool;
    private final int knownDimension;
    private final ToIntFunction<? super M> loadedDimension;
    private final Function<? super M, ?> probe;
    /** Null for kinds whose calls are never merged. */
    private final CallBatching batching;
    private final List<CallMerger<?, ?>> mergers = new CopyOnWriteArrayList<>();

    /**
     * @param pool            the shared model that runs the calls
     * @param knownDimension  the vector length if known before loading (e.g. from the catalogue), else 0
     * @param loadedDimension the loaded model's vector length, or null for kinds without one
     * @param probe           one tiny call that proves the model answers
     */
    AbstractPooledModel(SharedModel<M> pool, int knownDimension, ToIntFunction<? super M> loadedDimension,
                        Function<? super M, ?> probe) {
        this(pool, knownDimension, loadedDimension, probe, null);
    }

    /** @param batching how single-input calls are merged, for kinds that merge them (null for the others) */
    AbstractPooledModel(SharedModel<M> pool, int knownDimension, ToIntFunction<? super M> loadedDimension,
                        Function<? super M, ?> probe, CallBatching batching) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.knownDimension = knownDimension;
        this.loadedDimension = loadedDimension;
        this.probe = probe;
        this.batching = batching;
    }

    @Override
    public Optional<CallBatching> batching() {
        return Optional.ofNullable(batching);
    }

    @Override
    public MergedCalls mergedCalls() {
        long calls = 0;
        long inputs = 0;
        for (CallMerger<?, ?> merger : mergers) {
            calls += merger.mergedCalls();
            inputs += merger.mergedInputs();
        }
        return new MergedCalls(calls, inputs);
    }

    /** Callers queued for a merged call right now (for tests, which wait for callers to queue instead of sleeping). */
    int queuedCallers() {
        return mergers.stream().mapToInt(CallMerger::queued).sum();
    }

    /**
     * The merger of one operation's single-input calls ({@code run} gets the inputs of one merged call), or null
     * when batching is off. Called from the subclass's constructor only.
     */
    final <I, O> CallMerger<I, O> merger(String operation, Function<List<I>, List<O>> run) {
        if (batching == null || !batching.enabled()) {
            return null;
        }
        CallMerger<I, O> merger = new CallMerger<>(pool, operation, batching.maxSize(), batching.window(), run,
                AbstractPooledModel::blamesInput);
        mergers.add(merger);
        return merger;
    }

    /** A failure that may come from one input of a merged call: running its inputs one by one tells which. */
    private static boolean blamesInput(RuntimeException failure) {
        return failure instanceof IllegalArgumentException
                || failure instanceof FastEmbedException e && e.kind() == FastEmbedException.Kind.INVALID_ARGUMENT;
    }

    /** One non-null input and a merger: the call may be merged with those of other callers. */
    static boolean mergeable(CallMerger<?, ?> merger, List<?> inputs) {
        return merger != null && inputs != null && inputs.size() == 1 && inputs.getFirst() != null;
    }

    @Override
    public SharedModel<M> pool() {
        return pool;
    }

    /** The vector length: the loaded model's, else the catalogue's, else empty (until the model loads, or for kinds without one). */
    @Override
    public OptionalInt dimension() {
        if (loadedDimension == null) {
            return OptionalInt.empty();
        }
        return pool.loadedModel()
                .map(model -> OptionalInt.of(loadedDimension.applyAsInt(model)))
                .orElse(knownDimension > 0 ? OptionalInt.of(knownDimension) : OptionalInt.empty());
    }

    @Override
    public Optional<ExecutionPlan> executionPlan() {
        return pool.loadedModel().filter(PlannedModel.class::isInstance)
                .flatMap(model -> ((PlannedModel) model).executionPlan());
    }

    @Override
    public void probe() {
        pool.call(PROBE, 1, probe, result -> -1, Duration.ZERO);
    }

    /** Runs {@code work} under a permit; {@code inputs} (may be null) is counted for metrics, tokens are not. */
    <R> R call(String operation, List<?> inputs, Function<? super M, ? extends R> work) {
        return pool.call(operation, inputs == null ? 0 : inputs.size(), work, result -> -1);
    }

    /** Fails the callers queued for a merged call, then frees the model (waiting for calls in flight). */
    @Override
    public void close() {
        mergers.forEach(CallMerger::close);
        pool.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + pool + "]";
    }
}
