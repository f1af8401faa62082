package dev.fastembed.spring;

import java.time.Duration;

/**
 * Every permit of a model's pool stayed busy for the pool's whole {@code max-wait}: the model is overloaded.
 * Web applications usually answer 503 with a {@code Retry-After} header; raising
 * {@code fastembed.models.<name>.pool.size} or {@code max-wait} trades latency for fewer of these.
 */
public class ModelPoolExhaustedException extends ModelPoolException {

    private final int poolSize;
    private final Duration maxWait;

    public ModelPoolExhaustedException(String modelName, int poolSize, Duration maxWait) {
        super(modelName, "All " + poolSize + " permits of fastembed model '" + modelName + "' stayed busy for "
                + maxWait.toMillis() + " ms (fastembed.models." + modelName + ".pool.max-wait)", null);
        this.poolSize = poolSize;
        this.maxWait = maxWait;
    }

    public int poolSize() {
        return poolSize;
    }

    /** How long the caller waited before giving up. */
    public Duration maxWait() {
        return maxWait;
    }
}
