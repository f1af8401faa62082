package dev.fastembed.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Notices interrupts of threads blocked in native calls: {@code Thread.interrupt()} cannot reach a thread inside
 * ONNX Runtime, so one daemon thread looks at the watched callers every {@value #POLL_MILLIS} ms and, while one is
 * interrupted, runs its stop action (which stops the runs under way on the caller's model). It sleeps while no
 * call is watched.
 */
final class InterruptWatch {

    static final long POLL_MILLIS = 10;

    private static final Set<Watched> WATCHED = ConcurrentHashMap.newKeySet();
    private static final Thread WATCHER = Thread.ofPlatform().daemon().name("fastembed-interrupt-watch")
            .unstarted(InterruptWatch::watch);

    static {
        WATCHER.start();
    }

    private InterruptWatch() {
    }

    /** Watches the calling thread until the returned registration is closed. */
    static Watched watch(Runnable stop) {
        Watched watched = new Watched(Thread.currentThread(), stop);
        WATCHED.add(watched);
        LockSupport.unpark(WATCHER);
        return watched;
    }

    private static void watch() {
        while (true) {
            if (WATCHED.isEmpty()) {
                LockSupport.park();
            } else {
                LockSupport.parkNanos(POLL_MILLIS * 1_000_000);
            }
            for (Watched watched : WATCHED) {
                // Again at every look: an interrupt that came before the call's first run stops that run too.
                if (watched.thread.isInterrupted()) {
                    watched.fired = true;
                    try {
                        watched.stop.run();
                    } catch (RuntimeException | Error ignored) {
                        // A model closed meanwhile has nothing left to stop.
                    }
                }
            }
        }
    }

    /** One watched call; {@link #fired()} tells whether its stop action ran. */
    static final class Watched implements AutoCloseable {

        private final Thread thread;
        private final Runnable stop;
        private volatile boolean fired;

        private Watched(Thread thread, Runnable stop) {
            this.thread = thread;
            this.stop = stop;
        }

        boolean fired() {
            return fired;
        }

        @Override
        public void close() {
            WATCHED.remove(this);
        }
    }
}
