package dev.fastembed.spring.health;

import dev.fastembed.spring.SharedModel;
import dev.fastembed.spring.ModelPoolExhaustedException;
import dev.fastembed.spring.ModelState;
import dev.fastembed.spring.PoolStats;
import dev.fastembed.spring.PooledModel;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The health of one pooled model: UP while it is loaded or not yet needed (lazy), DOWN when loading failed
 * (with the error) or the model is closed. Details: source, kind, state, dimension, load time, the execution
 * provider (and why a fallback to the CPU happened), the optimized graph and the pool's
 * permits. With probing on, a loaded model also runs one tiny call per check; a probe is skipped, not failed,
 * while every permit is busy.
 */
public class ModelHealthIndicator implements HealthIndicator {

    private final PooledModel model;
    private final boolean probe;

    public ModelHealthIndicator(PooledModel model, boolean probe) {
        this.model = Objects.requireNonNull(model, "model");
        this.probe = probe;
    }

    @Override
    public Health health() {
        SharedModel<?> pool = model.pool();
        ModelState state = pool.state();
        Health.Builder health = switch (state) {
            case FAILED -> Health.down(pool.loadFailure().orElse(null));
            case CLOSED -> Health.down();
            default -> Health.up();
        };
        health.withDetail("source", pool.source())
                .withDetail("kind", pool.kind().id())
                .withDetail("state", state.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        model.dimension().ifPresent(dimension -> health.withDetail("dimension", dimension));
        pool.loadTime().ifPresent(time -> health.withDetail("loadTimeMillis", time.toMillis()));
        pool.sessionInfo().ifPresent(info -> health.withDetails(info.details()));
        Map<String, String> settings = model.settings();
        if (!settings.isEmpty()) {
            health.withDetail("settings", settings);
        }
        health.withDetail("pool", poolDetails(pool));
        if (probe && state == ModelState.READY) {
            probe(health);
        }
        return health.build();
    }

    private void probe(Health.Builder health) {
        try {
            model.probe();
            health.withDetail("probe", "ok");
        } catch (ModelPoolExhaustedException e) {
            health.withDetail("probe", "skipped: all permits busy");
        } catch (RuntimeException e) {
            health.down(e).withDetail("probe", "failed");
        }
    }

    private static Map<String, Object> poolDetails(SharedModel<?> pool) {
        PoolStats stats = pool.stats();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("size", stats.size());
        details.put("active", stats.active());
        details.put("idle", stats.idle());
        details.put("waiting", stats.waiting());
        details.put("maxWaitMillis", pool.maxWait().toMillis());
        return details;
    }
}
