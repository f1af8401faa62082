package dev.fastembed.spark;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models loaded in this JVM (a Spark executor, or the driver in local mode), one per {@link ModelSpec},
 * shared by all task threads: the engine's models are thread-safe, so a second model would only cost memory.
 * A model is loaded by the first task that needs it (the others wait for it) and closed at JVM shutdown.
 */
final class ExecutorModels {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorModels.class);
    private static final ConcurrentHashMap<ModelSpec, Embedder> MODELS = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExecutorModels::closeAll, "fastembed-spark-close-models"));
    }

    private ExecutorModels() {
    }

    /** The model of {@code spec}, loaded on first use; a failed load is not cached (the next task retries). */
    static Embedder get(ModelSpec spec) {
        return MODELS.computeIfAbsent(spec, key -> {
            long start = System.nanoTime();
            Embedder embedder = key.open();
            LOG.info("fastembed-spark: loaded {} model {} in {} ms", key.kind(), key.source(),
                    (System.nanoTime() - start) / 1_000_000);
            return embedder;
        });
    }

    /** How many models this JVM holds (for tests and logs). */
    static int size() {
        return MODELS.size();
    }

    /** Registers a model under a spec (tests use it to stand in a model that fails on some rows). */
    static void put(ModelSpec spec, Embedder embedder) {
        Embedder previous = MODELS.put(spec, embedder);
        if (previous != null) {
            previous.close();
        }
    }

    /** Closes and forgets every model (at JVM shutdown; calls in flight finish first). */
    static void closeAll() {
        List<Embedder> models = new ArrayList<>(MODELS.values());
        MODELS.clear();
        for (Embedder model : models) {
            try {
                model.close();
            } catch (RuntimeException e) {
                LOG.warn("fastembed-spark: closing a model failed", e);
            }
        }
    }
}
