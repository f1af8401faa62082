package dev.fastembed;

import dev.fastembed.internal.FastEmbedNative;
import dev.fastembed.internal.NativeCall;
import dev.fastembed.internal.NativeHandle;
import dev.fastembed.internal.FastEmbedNative.NativeType;

/**
 * What every class over a native engine object shares: the object is created from the C ABI's JSON options,
 * calls run concurrently on it, {@link #close()} waits for calls in flight and frees it exactly once, and a call
 * after close throws {@link IllegalStateException}. Every native call of a subclass goes through
 * {@link #call(NativeCall)}.
 */
abstract class NativeModel implements AutoCloseable {

    private final NativeHandle handle;

    NativeModel(NativeType type, String optionsJson) {
        this.handle = FastEmbedNative.create(type, optionsJson);
    }

    /**
     * Runs {@code call} on the live native object: the one way a model reaches the engine (closed check and the
     * read lock that {@link #close()} waits for).
     */
    protected final <T> T call(NativeCall<T> call) {
        return handle.call(call);
    }

    /** Frees the native object once calls in flight have finished. Idempotent. */
    @Override
    public void close() {
        handle.close();
    }

    /** True once {@link #close()} has been called. */
    public boolean isClosed() {
        return handle.isClosed();
    }
}
