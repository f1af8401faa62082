package dev.fastembed.spring;

import dev.fastembed.ExecutionPlan;
import dev.fastembed.PlannedModel;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * What the model beans ({@link TextEmbeddingPool} and the others) share: the {@link SharedModel} that runs their
 * calls, the vector length, the health probe, close and toString. A bean adds only its kind's methods.
 *
 * @param <M> the model class, e.g. {@link dev.fastembed.TextEmbedding}
 */
abstract class AbstractPooledModel<M extends AutoCloseable> implements PooledModel {

    final SharedModel<M> pool;
    private final int knownDimension;
    private final ToIntFunction<? super M> loadedDimension;
    private final Function<? super M, ?> probe;

    /**
     * @param pool            the shared model that runs the calls
     * @param knownDimension  the vector length if known before loading (e.g. from the catalogue), else 0
     * @param loadedDimension the loaded model's vector length, or null for kinds without one
     * @param probe           one tiny call that proves the model answers
     */
    AbstractPooledModel(SharedModel<M> pool, int knownDimension, ToIntFunction<? super M> loadedDimension,
                        Function<? super M, ?> probe) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.knownDimension = knownDimension;
        this.loadedDimension = loadedDimension;
        this.probe = probe;
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

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + pool + "]";
    }
}
