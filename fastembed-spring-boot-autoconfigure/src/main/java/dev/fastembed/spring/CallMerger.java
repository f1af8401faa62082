package dev.fastembed.spring;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Merges the single-input calls of concurrent callers into one call of many inputs ("group commit", as
 * text-embeddings-inference batches requests). A caller that finds nothing running runs at once, alone: no added
 * latency. Callers arriving while a call runs queue; when it ends, the first of them leads: it takes everything
 * queued (at most {@code maxSize} inputs), optionally after waiting {@code window} for more, runs it as one call
 * and hands each caller its own result. One merged call runs at a time, so the merging happens here, before the
 * callers would block on the pool's permits one by one.
 *
 * <p>Failures stay with their caller:
 * <ul>
 *   <li>a merged call that fails because of one input ({@code blamesInput}, e.g. the engine's INVALID_ARGUMENT)
 *       runs again input by input, so only the caller of the bad input fails;</li>
 *   <li>a leader whose thread is interrupted during a merged call gets its exception; the other inputs go back to
 *       the head of the queue and run in the next call;</li>
 *   <li>any other failure (model unavailable, pool exhausted, ...) reaches every caller of the call, as it would
 *       have reached each alone;</li>
 *   <li>a caller interrupted, or waiting longer than the pool's {@code max-wait}, while queued leaves the queue
 *       with {@link ModelPoolException} or {@link ModelPoolExhaustedException}; interrupted after its input went
 *       into a running call, it leaves at once too (its result is dropped);</li>
 *   <li>{@link #close()} fails every queued caller with {@link ModelUnavailableException}; calls running finish.</li>
 * </ul>
 *
 * @param <I> one call's input, e.g. a text
 * @param <O> one input's result, e.g. a vector
 */
final class CallMerger<I, O> implements AutoCloseable {

    private enum State {
        /** Waiting in the queue. */
        QUEUED,
        /** At the head of the queue, chosen to run the next call. */
        LEADING,
        /** Its input is in a call under way. */
        TAKEN,
        /** Has its result or its exception. */
        DONE
    }

    /** One caller: its input, and what it waits for. Guarded by {@link #lock} except {@link #input}. */
    private static final class Caller<I, O> {
        final I input;
        final Condition turn;
        State state = State.QUEUED;
        boolean abandoned;
        O result;
        Throwable error;

        Caller(I input, Condition turn) {
            this.input = input;
            this.turn = turn;
        }
    }

    private final SharedModel<?> pool;
    private final String operation;
    private final int maxSize;
    private final long windowNanos;
    private final Function<List<I>, List<O>> run;
    private final Predicate<RuntimeException> blamesInput;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled on each arrival, for a leader waiting out its window. */
    private final Condition arrivals = lock.newCondition();
    private final ArrayDeque<Caller<I, O>> queue = new ArrayDeque<>();
    private final LongAdder mergedCalls = new LongAdder();
    private final LongAdder mergedInputs = new LongAdder();
    private boolean running;
    private boolean closed;

    /**
     * @param pool        the pool the calls run on: its name, size and max-wait for messages and queue time-outs,
     *                    its listeners for the failures of callers that never reach it
     * @param operation   what the calls do, for listeners (e.g. {@code query})
     * @param maxSize     most inputs in one merged call, at least 1
     * @param window      how long a leader waits for more callers before running the queued ones; zero for none
     * @param run         runs one call on the inputs, returning one result per input in their order
     * @param blamesInput whether a failure of a merged call may come from one of its inputs
     */
    CallMerger(SharedModel<?> pool, String operation, int maxSize, Duration window, Function<List<I>, List<O>> run,
               Predicate<RuntimeException> blamesInput) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.operation = Objects.requireNonNull(operation, "operation");
        if (maxSize < 1) {
            throw new IllegalArgumentException("maxSize must be at least 1, got " + maxSize);
        }
        if (window.isNegative()) {
            throw new IllegalArgumentException("window must not be negative, got " + window);
        }
        this.maxSize = maxSize;
        this.windowNanos = window.toNanos();
        this.run = Objects.requireNonNull(run, "run");
        this.blamesInput = Objects.requireNonNull(blamesInput, "blamesInput");
    }

    /** Calls run with more than one input. */
    long mergedCalls() {
        return mergedCalls.sum();
    }

    /** Inputs of the calls counted by {@link #mergedCalls()}. */
    long mergedInputs() {
        return mergedInputs.sum();
    }

    /** Callers queued right now (for tests, which wait for a caller to be queued instead of sleeping). */
    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code input}, alone or merged with those of concurrent callers, and returns its result.
     *
     * @throws ModelPoolExhaustedException if it stayed queued longer than the pool's max-wait
     * @throws ModelUnavailableException   if this merger is closed (or the model cannot load)
     * @throws ModelPoolException          if the thread was interrupted while waiting (the flag stays set)
     */
    O call(I input) {
        Caller<I, O> self = new Caller<>(input, lock.newCondition());
        List<Caller<I, O>> batch;
        lock.lock();
        try {
            if (closed) {
                throw refused(closedError());
            }
            if (!running) {
                running = true;
                self.state = State.TAKEN;
                batch = List.of(self);
            } else {
                queue.addLast(self);
                arrivals.signal();
                awaitTurn(self);
                if (self.state == State.DONE) {
                    return outcome(self);
                }
                batch = take(self);
                if (self.state == State.DONE) {
                    return outcome(self); // closed during the window
                }
            }
        } finally {
            lock.unlock();
        }
        runAndHandOn(batch);
        return outcome(self);
    }

    /**
     * Fails every queued caller with {@link ModelUnavailableException} and refuses new ones; calls under way
     * finish and deliver. Idempotent.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            for (Caller<I, O> caller : queue) {
                caller.error = closedError();
                caller.state = State.DONE;
                caller.turn.signal();
            }
            queue.clear();
            arrivals.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits (holding the lock between wake-ups) until the caller leads or is done. */
    private void awaitTurn(Caller<I, O> self) {
        long maxWait = saturatedNanos(pool.maxWait());
        long start = System.nanoTime();
        while (self.state == State.QUEUED || self.state == State.TAKEN) {
            try {
                if (self.state == State.QUEUED) {
                    long left = maxWait - (System.nanoTime() - start);
                    if (left <= 0) {
                        queue.remove(self);
                        throw refused(new ModelPoolExhaustedException(pool.name(), pool.size(), pool.maxWait()));
                    }
                    self.turn.awaitNanos(left);
                } else {
                    self.turn.await();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                switch (self.state) {
                    case QUEUED -> queue.remove(self);
                    case LEADING -> {
                        queue.remove(self);
                        handOn();
                    }
                    case TAKEN -> self.abandoned = true;
                    case DONE -> {
                        return; // the result arrived with the interrupt: deliver it, the flag stays set
                    }
                }
                throw refused(new ModelPoolException(pool.name(), "Interrupted while waiting to run on fastembed model '"
                        + pool.name() + "'", e));
            }
        }
    }

    /** The leader takes the queue's head (itself first), after waiting out the window. */
    private List<Caller<I, O>> take(Caller<I, O> leader) {
        long left = windowNanos;
        boolean interrupted = false;
        while (left > 0 && queue.size() < maxSize && !closed) {
            try {
                left = arrivals.awaitNanos(left);
            } catch (InterruptedException e) {
                // Run now; the run refuses to start on an interrupted thread and the others run again next.
                interrupted = true;
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        List<Caller<I, O>> batch = new ArrayList<>(Math.min(maxSize, queue.size()));
        if (leader.state == State.DONE) {
            return batch;
        }
        while (batch.size() < maxSize && !queue.isEmpty()) {
            Caller<I, O> caller = queue.pollFirst();
            caller.state = State.TAKEN;
            batch.add(caller);
        }
        return batch;
    }

    /** Runs the batch outside the lock, delivers every outcome, then lets the next caller lead. */
    private void runAndHandOn(List<Caller<I, O>> batch) {
        List<Caller<I, O>> again = List.of();
        try {
            again = runBatch(batch);
        } finally {
            lock.lock();
            try {
                // Back to the head of the queue in their order, unless their callers have left meanwhile.
                for (int i = again.size() - 1; i >= 0; i--) {
                    Caller<I, O> caller = again.get(i);
                    if (!caller.abandoned && !closed) {
                        caller.state = State.QUEUED;
                        queue.addFirst(caller);
                    }
                }
                for (Caller<I, O> caller : batch) {
                    if (caller.state != State.TAKEN) {
                        continue; // put back in the queue
                    }
                    if (caller.result == null && caller.error == null) {
                        caller.error = closed && again.contains(caller) ? closedError()
                                : new IllegalStateException("fastembed model '" + pool.name()
                                        + "': the merged call ended without a result for this input");
                    }
                    caller.state = State.DONE;
                    caller.turn.signal();
                }
                handOn();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Runs the batch (outside the lock) and records each caller's result or error; returns the callers to put back
     * in the queue (those of a merged call whose leader was interrupted).
     */
    private List<Caller<I, O>> runBatch(List<Caller<I, O>> batch) {
        try {
            List<O> results = run.apply(batch.stream().map(caller -> caller.input).toList());
            if (results.size() != batch.size()) {
                throw new IllegalStateException("a merged call of " + batch.size() + " inputs returned "
                        + results.size() + " results");
            }
            if (batch.size() > 1) {
                mergedCalls.increment();
                mergedInputs.add(batch.size());
            }
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result = results.get(i);
            }
            return List.of();
        } catch (RuntimeException | Error e) {
            if (batch.size() == 1) {
                batch.getFirst().error = e;
                return List.of();
            }
            if (Thread.currentThread().isInterrupted()) {
                batch.getFirst().error = e; // the leader's own interrupt stopped the call: only it fails
                return batch.subList(1, batch.size());
            }
            if (e instanceof RuntimeException failure && blamesInput.test(failure)) {
                return oneByOne(batch);
            }
            batch.forEach(caller -> caller.error = e);
            return List.of();
        }
    }

    /** Runs each input alone, so a bad input fails only its caller; stops (putting the rest back) on an interrupt. */
    private List<Caller<I, O>> oneByOne(List<Caller<I, O>> batch) {
        for (int i = 0; i < batch.size(); i++) {
            Caller<I, O> caller = batch.get(i);
            if (i > 0 && Thread.currentThread().isInterrupted()) {
                return batch.subList(i, batch.size());
            }
            try {
                caller.result = run.apply(List.of(caller.input)).getFirst();
            } catch (RuntimeException | Error e) {
                caller.error = e;
            }
        }
        return List.of();
    }

    /** Under the lock: the queue's head leads the next call, or nothing runs. */
    private void handOn() {
        Caller<I, O> next = queue.peekFirst();
        if (next == null) {
            running = false;
            return;
        }
        next.state = State.LEADING;
        next.turn.signal();
    }

    private O outcome(Caller<I, O> self) {
        lock.lock();
        try {
            if (self.error instanceof RuntimeException e) {
                throw e;
            }
            if (self.error instanceof Error e) {
                throw e;
            }
            return self.result;
        } finally {
            lock.unlock();
        }
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private ModelUnavailableException closedError() {
        return new ModelUnavailableException(pool.name(), "fastembed model '" + pool.name() + "' is closed", null);
    }

    /** Tells the pool's listeners about a caller that never reached the pool, and returns its exception. */
    private RuntimeException refused(RuntimeException error) {
        pool.refused(operation, 1, error);
        return error;
    }

    @Override
    public String toString() {
        return "CallMerger[" + pool.name() + ", " + operation + ", max " + maxSize + ", window "
                + TimeUnit.NANOSECONDS.toMicros(windowNanos) + " µs]";
    }
}
