package dev.fastembed.spring;

import java.time.Duration;

/**
 * Observes what a {@link SharedModel} does, e.g. to record metrics. Called on the caller's thread; must be
 * quick and must not throw (a listener's exception is logged and otherwise ignored).
 */
public interface ModelPoolListener {

    /** How a wait for a permit ended. */
    enum WaitOutcome {
        ACQUIRED, TIMED_OUT, INTERRUPTED
    }

    /** A caller waited {@code waited} for a permit (zero when one was free), with this outcome. */
    default void permitWait(SharedModel<?> pool, Duration waited, WaitOutcome outcome) {
    }

    /**
     * A call finished normally.
     *
     * @param operation what the call did, e.g. {@code embed}, {@code query}, {@code passage}
     * @param inputs    texts (or images, or documents) in the call
     * @param tokens    tokens the model read, or -1 when the call does not count them
     * @param took      time on the model, without the wait for a permit
     */
    default void callCompleted(SharedModel<?> pool, String operation, int inputs, long tokens, Duration took) {
    }

    /** A call failed: also for a timed-out or interrupted wait and for a model that could not load. */
    default void callFailed(SharedModel<?> pool, String operation, int inputs, Throwable error, Duration took) {
    }
}
