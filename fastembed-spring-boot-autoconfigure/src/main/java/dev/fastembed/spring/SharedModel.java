package dev.fastembed.spring;

import dev.fastembed.NativeModel;
import dev.fastembed.SessionInfo;
import dev.fastembed.catalog.ModelKind;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * One loaded model shared by all callers, with at most {@code size} calls on it at once.
 *
 * <p>The engine's models are thread-safe and keep one copy of the weights, so the pool holds a single model
 * and hands out <em>permits</em>, not copies: a bigger pool costs no memory, it only allows more calls to run
 * in parallel. A caller waits at most {@code maxWait} for a permit (fairly, first come first served), then
 * gets a {@link ModelPoolExhaustedException}. Permits are returned in {@code finally}, whatever the call
 * throws. The model is loaded on {@link #load()} or, for lazy models, by the first call; a load that fails
 * is remembered and every later call throws {@link ModelUnavailableException} with its cause.
 *
 * @param <M> the model type, e.g. {@link dev.fastembed.TextEmbedding}
 */
public final class SharedModel<M extends AutoCloseable> implements AutoCloseable {

    /** How long {@link #close()} waits for calls in flight before freeing the model anyway. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private static final Log log = LogFactory.getLog(SharedModel.class);

    private final String name;
    private final ModelKind kind;
    private final String source;
    private final int size;
    private final Duration maxWait;
    private final Supplier<? extends M> loader;
    private final Semaphore permits;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private final List<ModelPoolListener> listeners = new CopyOnWriteArrayList<>();
    /** Serializes loading; never held by {@link #close()} so shutdown does not wait for a download. */
    private final Object loadLock = new Object();
    /** Guards the state transitions (short sections only). */
    private final Object stateLock = new Object();

    private volatile M model;
    private volatile ModelState state = ModelState.NOT_LOADED;
    private volatile Throwable loadFailure;
    private volatile Duration loadTime;

    /**
     * @param name    the configured name, used in messages, health and metrics
     * @param kind    what the model produces
     * @param source  where the model comes from, for people (e.g. {@code BAAI/bge-small-en-v1.5})
     * @param size    calls allowed on the model at once, at least 1
     * @param maxWait longest wait for a permit, zero or more
     * @param loader  loads the model; called at most once
     */
    public SharedModel(String name, ModelKind kind, String source, int size, Duration maxWait,
                     Supplier<? extends M> loader) {
        this.name = Objects.requireNonNull(name, "name");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.source = Objects.requireNonNull(source, "source");
        if (size < 1) {
            throw new IllegalArgumentException("pool size must be at least 1, got " + size);
        }
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must not be negative, got " + maxWait);
        }
        this.size = size;
        this.maxWait = maxWait;
        this.loader = Objects.requireNonNull(loader, "loader");
        this.permits = new Semaphore(size, true);
    }

    public String name() {
        return name;
    }

    public ModelKind kind() {
        return kind;
    }

    public String source() {
        return source;
    }

    public int size() {
        return size;
    }

    public Duration maxWait() {
        return maxWait;
    }

    public ModelState state() {
        return state;
    }

    /** Why loading failed, once it has. */
    public Optional<Throwable> loadFailure() {
        return Optional.ofNullable(loadFailure);
    }

    /** How long loading took (or took to fail), once it has run. */
    public Optional<Duration> loadTime() {
        return Optional.ofNullable(loadTime);
    }

    public PoolStats stats() {
        return new PoolStats(size, active.get(), waiting.get());
    }

    public void addListener(ModelPoolListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(ModelPoolListener listener) {
        listeners.remove(listener);
    }

    /**
     * Threads blocked on the permits right now: callers waiting their turn and a {@link #close()} waiting for calls
     * in flight. For tests, which wait for a thread to be really blocked instead of sleeping; an estimate
     * (see {@link Semaphore#getQueueLength()}) that is exact once the threads are parked.
     */
    int threadsBlockedOnPermits() {
        return permits.getQueueLength();
    }

    /** The model if it is loaded, without loading it or taking a permit. */
    Optional<M> loadedModel() {
        return Optional.ofNullable(model);
    }

    /** How ONNX Runtime runs the loaded model (execution provider, optimized graph); empty before loading. */
    public Optional<SessionInfo> sessionInfo() {
        return loadedModel().filter(NativeModel.class::isInstance).flatMap(m -> ((NativeModel) m).sessionInfo());
    }

    /**
     * Loads the model now unless it is loaded already; concurrent callers wait for one load.
     *
     * @throws ModelUnavailableException if loading fails (now or before) or the pool is closed
     */
    public M load() {
        M current = model;
        if (current != null) {
            return current;
        }
        synchronized (loadLock) {
            synchronized (stateLock) {
                switch (state) {
                    case READY -> {
                        return model;
                    }
                    case FAILED -> throw failedToLoad(loadFailure);
                    case CLOSED -> throw closed();
                    default -> state = ModelState.LOADING;
                }
            }
            long start = System.nanoTime();
            M loaded;
            try {
                loaded = Objects.requireNonNull(loader.get(), "the model loader returned null");
            } catch (RuntimeException | LinkageError e) {
                // LinkageError: a native library that cannot be found or linked fails the class initializer.
                synchronized (stateLock) {
                    loadTime = since(start);
                    loadFailure = e;
                    if (state != ModelState.CLOSED) {
                        state = ModelState.FAILED;
                    }
                }
                throw failedToLoad(e);
            }
            synchronized (stateLock) {
                loadTime = since(start);
                if (state == ModelState.CLOSED) {
                    closeQuietly(loaded);
                    throw closed();
                }
                model = loaded;
                state = ModelState.READY;
                return loaded;
            }
        }
    }

    /**
     * Runs {@code work} on the model under a permit, waiting at most {@link #maxWait()} for one.
     *
     * @param operation what the call does, for listeners (e.g. {@code embed})
     * @param inputs    how many texts, images or documents the call carries, for listeners
     * @param work      the call; gets the loaded model
     * @param tokens    reads the token count from the result, or returns -1 when there is none
     * @throws ModelPoolExhaustedException if no permit became free in time
     * @throws ModelUnavailableException   if the model cannot load or the pool is closed
     * @throws ModelPoolException          if the thread was interrupted while waiting (the flag stays set)
     */
    public <R> R call(String operation, int inputs, Function<? super M, ? extends R> work,
                      ToLongFunction<? super R> tokens) {
        return call(operation, inputs, work, tokens, maxWait);
    }

    <R> R call(String operation, int inputs, Function<? super M, ? extends R> work,
               ToLongFunction<? super R> tokens, Duration wait) {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(work, "work");
        Objects.requireNonNull(tokens, "tokens");
        if (state == ModelState.CLOSED) {
            ModelUnavailableException error = closed();
            notifyFailed(operation, inputs, error, Duration.ZERO);
            throw error;
        }
        acquire(operation, inputs, wait);
        long start = System.nanoTime();
        try {
            R result = work.apply(load());
            notifyCompleted(operation, inputs, tokens.applyAsLong(result), since(start));
            return result;
        } catch (RuntimeException | Error e) {
            notifyFailed(operation, inputs, e, since(start));
            throw e;
        } finally {
            active.decrementAndGet();
            permits.release();
        }
    }

    private void acquire(String operation, int inputs, Duration wait) {
        long start = System.nanoTime();
        boolean acquired;
        waiting.incrementAndGet();
        try {
            acquired = permits.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Duration waited = since(start);
            ModelPoolException error = new ModelPoolException(name,
                    "Interrupted while waiting for a permit of fastembed model '" + name + "'", e);
            notifyWait(waited, ModelPoolListener.WaitOutcome.INTERRUPTED);
            notifyFailed(operation, inputs, error, waited);
            throw error;
        } finally {
            waiting.decrementAndGet();
        }
        Duration waited = since(start);
        if (!acquired) {
            ModelPoolExhaustedException error = new ModelPoolExhaustedException(name, size, wait);
            notifyWait(waited, ModelPoolListener.WaitOutcome.TIMED_OUT);
            notifyFailed(operation, inputs, error, waited);
            throw error;
        }
        active.incrementAndGet();
        notifyWait(waited, ModelPoolListener.WaitOutcome.ACQUIRED);
    }

    /**
     * Stops new calls, waits (up to 30 s) for calls in flight, then frees the model. Callers still waiting
     * for a permit get {@link ModelUnavailableException}. Idempotent.
     */
    @Override
    public void close() {
        M toClose;
        synchronized (stateLock) {
            if (state == ModelState.CLOSED) {
                return;
            }
            state = ModelState.CLOSED;
            toClose = model;
            model = null;
        }
        boolean drained = false;
        try {
            drained = permits.tryAcquire(size, CLOSE_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
            if (!drained) {
                log.warn("fastembed model '" + name + "': calls still running after " + CLOSE_TIMEOUT.toSeconds()
                        + " s; closing the model anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(toClose);
            if (drained) {
                // Wake callers queued for a permit: they find the pool closed and give up at once.
                permits.release(size);
            }
        }
    }

    @Override
    public String toString() {
        return "SharedModel[" + name + ", " + kind + ", " + source + ", " + state + ", " + stats() + "]";
    }

    private ModelUnavailableException failedToLoad(Throwable cause) {
        return new ModelUnavailableException(name, "fastembed model '" + name + "' (" + source
                + ") could not be loaded: " + cause.getMessage(), cause);
    }

    private ModelUnavailableException closed() {
        return new ModelUnavailableException(name, "fastembed model '" + name + "' is closed", null);
    }

    private void closeQuietly(M closing) {
        if (closing == null) {
            return;
        }
        try {
            closing.close();
        } catch (Exception e) {
            log.warn("fastembed model '" + name + "' did not close cleanly", e);
        }
    }

    private void notifyWait(Duration waited, ModelPoolListener.WaitOutcome outcome) {
        for (ModelPoolListener listener : listeners) {
            try {
                listener.permitWait(this, waited, outcome);
            } catch (RuntimeException e) {
                listenerFailed(listener, e);
            }
        }
    }

    private void notifyCompleted(String operation, int inputs, long tokens, Duration took) {
        for (ModelPoolListener listener : listeners) {
            try {
                listener.callCompleted(this, operation, inputs, tokens, took);
            } catch (RuntimeException e) {
                listenerFailed(listener, e);
            }
        }
    }

    private void notifyFailed(String operation, int inputs, Throwable error, Duration took) {
        for (ModelPoolListener listener : listeners) {
            try {
                listener.callFailed(this, operation, inputs, error, took);
            } catch (RuntimeException e) {
                listenerFailed(listener, e);
            }
        }
    }

    private void listenerFailed(ModelPoolListener listener, RuntimeException e) {
        log.warn("fastembed model '" + name + "': pool listener " + listener + " failed", e);
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
