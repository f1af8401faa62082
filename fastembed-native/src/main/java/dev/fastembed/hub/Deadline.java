package dev.fastembed.hub;

import dev.fastembed.FastEmbedException;

import java.time.Duration;

/** When one file's fetch must end: {@link HubOptions#downloadTimeout()} after it began. */
record Deadline(long endNanos, Duration limit) {

    static Deadline after(Duration limit) {
        long nanos;
        try {
            nanos = limit.toNanos();
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE / 4; // centuries
        }
        return new Deadline(System.nanoTime() + Math.min(nanos, Long.MAX_VALUE / 4), limit);
    }

    long remainingNanos() {
        return endNanos - System.nanoTime();
    }

    boolean passed() {
        return remainingNanos() <= 0;
    }

    /** The error of a fetch that ran out of time; {@code written}: bytes of the last attempt, or null. */
    FastEmbedException exceeded(String what, Long written) {
        return new FastEmbedException(FastEmbedException.Kind.DOWNLOAD, "Fetching " + what + " did not finish within "
                + limit.toMillis() + " ms (download timeout: HubOptions.downloadTimeout, "
                + "fastembed.hugging-face.download-timeout)" + (written == null ? ""
                : "; " + written + " bytes arrived in the last attempt, kept for the next fetch to resume"));
    }
}
