package dev.fastembed.internal;

import dev.fastembed.FastEmbedException;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Owns one native object. Calls share a read lock, so they run concurrently; {@link #close()} takes the
 * write lock, so it waits for calls in flight and no call can start on a freed pointer. The native free
 * function runs exactly once: from close(), or from a {@link Cleaner} if the owner is collected unclosed.
 */
public final class NativeHandle implements AutoCloseable {

    private static final Cleaner CLEANER = Cleaner.create();

    /** See {@link #setCallInFlightHookForTests}; null (no hook) outside tests. */
    private static volatile Runnable callInFlightHook;

    private final NativePointer pointer;
    private final String description;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Cleaner.Cleanable cleanable;
    private volatile boolean closed;

    NativeHandle(MemorySegment pointer, MethodHandle free, FastEmbedNative.NativeType type) {
        this.pointer = new NativePointer(pointer, type);
        this.description = type.description();
        this.cleanable = CLEANER.register(this, new Free(pointer, free));
    }

    /**
     * Runs {@code call} with the live native pointer; throws {@link IllegalStateException} once closed. An interrupt
     * of the calling thread stops the call's ONNX Runtime run: the call throws {@link FastEmbedException} CANCELLED
     * and the thread's interrupt flag stays set (a call on an interrupted thread does not start). Stopping reaches
     * every run under way on the object, so a call stopped without its own thread being interrupted runs again.
     */
    public <T> T call(NativeCall<T> call) {
        ReentrantReadWriteLock.ReadLock readLock = lock.readLock();
        readLock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("This " + description + " is closed");
            }
            if (!FastEmbedNative.runsCancellable(pointer.type())) {
                return inFlight(call);
            }
            while (true) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new FastEmbedException(FastEmbedException.Kind.CANCELLED, "The thread calling this "
                            + description + " is interrupted; the call did not start (the interrupt flag is kept)");
                }
                try (InterruptWatch.Watched watched = InterruptWatch.watch(this::cancelRuns)) {
                    try {
                        return inFlight(call);
                    } catch (FastEmbedException e) {
                        if (e.kind() != FastEmbedException.Kind.CANCELLED) {
                            throw e;
                        }
                        if (watched.fired() || Thread.currentThread().isInterrupted()) {
                            throw new FastEmbedException(FastEmbedException.Kind.CANCELLED, "The thread calling this "
                                    + description + " was interrupted: its ONNX Runtime run was stopped (the interrupt "
                                    + "flag is kept)", e);
                        }
                        // Another caller's interrupt stopped every run of this object: run again.
                    }
                }
            }
        } finally {
            readLock.unlock();
        }
    }

    private <T> T inFlight(NativeCall<T> call) {
        Runnable hook = callInFlightHook;
        if (hook != null) {
            hook.run();
        }
        return call.run(pointer);
    }

    /**
     * Stops the runs under way on the object, from the interrupt watcher's thread. The read lock (taken without
     * waiting: it is free whenever a call is in flight, the only time this runs) keeps {@link #close()} from freeing
     * the object during the call.
     */
    private void cancelRuns() {
        ReentrantReadWriteLock.ReadLock readLock = lock.readLock();
        if (!readLock.tryLock()) {
            return;
        }
        try {
            if (!closed) {
                FastEmbedNative.cancelRuns(pointer);
            }
        } finally {
            readLock.unlock();
        }
    }

    /**
     * Test hook, not an API: {@code hook} runs on the calling thread of every call on every handle once that call
     * holds the read lock and has passed the closed check, just before it goes native; {@code null} removes it.
     * Tests use it to learn without sleeping or reading stack traces that a call is in flight (so a close must
     * wait for it, or an interrupt arrives during it). One hook per JVM; a test sets it and removes it itself.
     */
    public static void setCallInFlightHookForTests(Runnable hook) {
        callInFlightHook = hook;
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        ReentrantReadWriteLock.WriteLock writeLock = lock.writeLock();
        writeLock.lock();
        try {
            if (!closed) {
                closed = true;
                cleanable.clean();
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** The cleaning action; must not reference the handle itself. */
    private record Free(MemorySegment pointer, MethodHandle free) implements Runnable {
        @Override
        public void run() {
            try {
                free.invokeExact(pointer);
            } catch (Throwable t) {
                throw new IllegalStateException("native free failed", t);
            }
        }
    }
}
