package dev.fastembed.spring;

import java.time.Duration;
import java.util.Objects;

/**
 * Whether and how a model bean merges the single-input calls of concurrent callers into one engine call
 * ({@code fastembed.models.<name>.batching.*}; see {@link CallMerger}). Calls with several inputs are never merged.
 *
 * @param enabled merge single-input calls (true), or run each on its own (false)
 * @param maxSize most inputs in one merged call, at least 1
 * @param window  how long the caller that runs the next merged call waits for more callers before running; zero
 *                (the default) adds no wait: only callers that arrived during the previous call are merged
 */
public record CallBatching(boolean enabled, int maxSize, Duration window) {

    /** Inputs in one merged call unless configured: a short run for a small model, small next to its batch size. */
    public static final int DEFAULT_MAX_SIZE = 64;

    public CallBatching {
        if (maxSize < 1) {
            throw new IllegalArgumentException("maxSize must be at least 1, got " + maxSize);
        }
        Objects.requireNonNull(window, "window");
        if (window.isNegative()) {
            throw new IllegalArgumentException("window must not be negative, got " + window);
        }
    }

    /** Merging on, with the default size and no window. */
    public static CallBatching on() {
        return new CallBatching(true, DEFAULT_MAX_SIZE, Duration.ZERO);
    }

    /** Every call runs on its own. */
    public static CallBatching off() {
        return new CallBatching(false, DEFAULT_MAX_SIZE, Duration.ZERO);
    }
}
