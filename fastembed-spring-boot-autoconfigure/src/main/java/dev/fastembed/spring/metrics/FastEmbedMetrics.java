package dev.fastembed.spring.metrics;

import dev.fastembed.FastEmbedException;
import dev.fastembed.catalog.ModelKind;
import dev.fastembed.spring.SharedModel;
import dev.fastembed.spring.ModelPoolException;
import dev.fastembed.spring.ModelPoolExhaustedException;
import dev.fastembed.spring.ModelPoolListener;
import dev.fastembed.spring.ModelUnavailableException;
import dev.fastembed.spring.LateInteractionMultimodalEmbeddingPool;
import dev.fastembed.spring.PooledModel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters of the pooled models, each tagged {@code model} (the configured name) and {@code kind}:
 *
 * <ul>
 *   <li>{@code fastembed.embed} (timer, tag {@code operation}: embed, query, passage, probe) — successful
 *       calls on the model, without the wait for a permit ({@code fastembed.rerank} for rerankers)</li>
 *   <li>{@code fastembed.texts} (counter) — texts embedded ({@code fastembed.images} for image models); health
 *       probes are only timed, not counted here or in the two below</li>
 *   <li>{@code fastembed.tokens} (counter) — tokens the model read, after truncation</li>
 *   <li>{@code fastembed.batch.size} (summary) — inputs per call</li>
 *   <li>{@code fastembed.errors} (counter, tags {@code operation}, {@code type}) — failed calls by cause:
 *       pool-exhausted, model-unavailable, interrupted, invalid-argument, or the engine's error kind</li>
 *   <li>{@code fastembed.pool.size|active|idle|waiting} (gauges) — permits</li>
 *   <li>{@code fastembed.pool.wait} (timer, tag {@code outcome}: acquired, timed-out, interrupted) — waits
 *       for a permit</li>
 *   <li>{@code fastembed.model.load} (time gauge) — how long loading took; NaN until it has run</li>
 * </ul>
 */
public class FastEmbedMetrics implements MeterBinder, ModelPoolListener {

    private final List<PooledModel> models;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

    public FastEmbedMetrics(List<? extends PooledModel> models) {
        this.models = List.copyOf(models);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (PooledModel model : models) {
            SharedModel<?> pool = model.pool();
            Tags tags = tags(pool);
            gauge(registry, "fastembed.pool.size", pool, tags, "Calls allowed on the model at once", "permits",
                    p -> p.stats().size());
            gauge(registry, "fastembed.pool.active", pool, tags, "Calls running on the model", "permits",
                    p -> p.stats().active());
            gauge(registry, "fastembed.pool.idle", pool, tags, "Free permits", "permits", p -> p.stats().idle());
            gauge(registry, "fastembed.pool.waiting", pool, tags, "Callers waiting for a permit", "threads",
                    p -> p.stats().waiting());
            TimeGauge.builder("fastembed.model.load", pool, TimeUnit.NANOSECONDS,
                            p -> p.loadTime().map(time -> (double) time.toNanos()).orElse(Double.NaN))
                    .tags(tags).description("How long loading the model took").register(registry);
        }
        if (registries.isEmpty()) {
            models.forEach(model -> model.pool().addListener(this));
        }
        registries.add(registry);
    }

    @Override
    public void permitWait(SharedModel<?> pool, Duration waited, WaitOutcome outcome) {
        for (MeterRegistry registry : registries) {
            Timer.builder("fastembed.pool.wait").description("Waits for a permit of the model's pool")
                    .tags(tags(pool)).tag("outcome", tagValue(outcome.name()))
                    .register(registry).record(waited);
        }
    }

    @Override
    public void callCompleted(SharedModel<?> pool, String operation, int inputs, long tokens, Duration took) {
        Tags tags = tags(pool);
        for (MeterRegistry registry : registries) {
            Timer.builder(pool.kind() == ModelKind.RERANK ? "fastembed.rerank" : "fastembed.embed")
                    .description("Successful calls on the model, without the wait for a permit")
                    .tags(tags).tag("operation", operation).register(registry).record(took);
            if (PooledModel.PROBE.equals(operation)) {
                continue; // health probes are timed, but are not the application's texts
            }
            boolean images = pool.kind() == ModelKind.IMAGE
                    || LateInteractionMultimodalEmbeddingPool.IMAGE_OPERATION.equals(operation);
            Counter.builder(images ? "fastembed.images" : "fastembed.texts")
                    .description("Inputs processed").tags(tags).register(registry).increment(inputs);
            DistributionSummary.builder("fastembed.batch.size").description("Inputs per call").baseUnit("inputs")
                    .tags(tags).register(registry).record(inputs);
            if (tokens >= 0) {
                Counter.builder("fastembed.tokens").description("Tokens the model read, after truncation")
                        .baseUnit("tokens").tags(tags).register(registry).increment(tokens);
            }
        }
    }

    @Override
    public void callFailed(SharedModel<?> pool, String operation, int inputs, Throwable error, Duration took) {
        for (MeterRegistry registry : registries) {
            Counter.builder("fastembed.errors").description("Failed calls by cause")
                    .tags(tags(pool)).tag("operation", operation).tag("type", errorType(error))
                    .register(registry).increment();
        }
    }

    /** The {@code type} tag of {@code fastembed.errors}: a short, bounded name for the cause. */
    static String errorType(Throwable error) {
        return switch (error) {
            case ModelPoolExhaustedException e -> "pool-exhausted";
            case ModelUnavailableException e -> "model-unavailable";
            case ModelPoolException e -> "interrupted";
            case FastEmbedException e -> tagValue(e.kind().name());
            case IllegalArgumentException e -> "invalid-argument";
            case IllegalStateException e -> "illegal-state";
            default -> "other";
        };
    }

    private static Tags tags(SharedModel<?> pool) {
        return Tags.of("model", pool.name(), "kind", tagValue(pool.kind().name()));
    }

    private static String tagValue(String enumName) {
        return enumName.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static void gauge(MeterRegistry registry, String name, SharedModel<?> pool, Tags tags, String description,
                              String unit, java.util.function.ToDoubleFunction<SharedModel<?>> value) {
        Gauge.builder(name, pool, value).tags(tags).description(description).baseUnit(unit).register(registry);
    }
}
