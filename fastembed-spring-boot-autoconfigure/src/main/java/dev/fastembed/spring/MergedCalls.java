package dev.fastembed.spring;

/**
 * Engine calls of a model bean that carried the inputs of more than one caller (see {@link CallBatching}).
 *
 * @param calls  merged calls
 * @param inputs inputs in them (each from its own caller)
 */
public record MergedCalls(long calls, long inputs) {

    /** Inputs per merged call, or 0 before the first. */
    public double meanSize() {
        return calls == 0 ? 0 : (double) inputs / calls;
    }
}
