package dev.fastembed.spring;

/**
 * A snapshot of a pool's permits.
 *
 * @param size    permits in all: how many calls may run on the model at once
 * @param active  calls running now
 * @param waiting callers waiting for a permit now
 */
public record PoolStats(int size, int active, int waiting) {

    /** Permits free now. */
    public int idle() {
        return Math.max(0, size - active);
    }
}
