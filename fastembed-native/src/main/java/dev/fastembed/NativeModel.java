package dev.fastembed;

import dev.fastembed.internal.FastEmbedNative;
import dev.fastembed.internal.NativeCall;
import dev.fastembed.internal.NativeHandle;
import dev.fastembed.internal.FastEmbedNative.NativeType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * What every class over a native engine object shares: the object is created from the C ABI's JSON options,
 * calls run concurrently on it, {@link #close()} waits for calls in flight and frees it exactly once, and a call
 * after close throws {@link IllegalStateException}. Every native call of a subclass goes through
 * {@link #call(NativeCall)}.
 */
public abstract class NativeModel implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NativeModel.class);

    private final NativeHandle handle;
    private final Optional<SessionInfo> sessionInfo;

    NativeModel(NativeType type, String optionsJson) {
        this.handle = FastEmbedNative.create(type, optionsJson);
        this.sessionInfo = SessionInfo.parse(handle.call(FastEmbedNative::sessionInfo));
        sessionInfo.filter(SessionInfo::fellBack).ifPresent(info -> log.warn(
                "The {} execution provider could not be set up, so this {} runs on the {} (fallback): {}",
                info.requestedProvider().id(), type.description(), info.executionProvider().id(),
                info.fallbackReason().orElse("no reason given")));
    }

    /**
     * How ONNX Runtime runs this model: the execution provider in use (after any fallback) and the saved optimized
     * graph. Empty for a model without an ONNX session (BM25), or whose ONNX model loads on first use.
     */
    public Optional<SessionInfo> sessionInfo() {
        return sessionInfo;
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
