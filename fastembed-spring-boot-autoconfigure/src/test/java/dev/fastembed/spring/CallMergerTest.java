package dev.fastembed.spring;

import dev.fastembed.catalog.ModelKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The merging of concurrent single-input calls: who runs with whom, and that every outcome (result, bad input,
 * interrupt, time-out, close) reaches its own caller only. Runs are held on latches, never timed with sleeps.
 */
class CallMergerTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Runs runs = new Runs();

    @AfterEach
    void stopThreads() throws InterruptedException {
        runs.releaseAll();
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aLoneCallerRunsAtOnceAloneOnItsOwnThread() {
        CallMerger<String, String> merger = merger(64, Duration.ZERO, LONG);
        assertThat(merger.call("a")).isEqualTo("A");
        assertThat(runs.inputs).containsExactly(List.of("a"));
        assertThat(runs.threads).containsExactly(Thread.currentThread());
        assertThat(merger.mergedCalls()).isZero();
    }

    @Test
    void callersArrivingDuringARunRunTogetherWhenItEndsEachWithItsOwnResult() throws Exception {
        CallMerger<String, String> merger = merger(64, Duration.ZERO, LONG);
        Future<String> first = runHeld(merger, "first");
        List<Future<String>> queued = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String input = "text " + i;
            queued.add(threads.submit(() -> merger.call(input)));
        }
        awaitCondition("ten callers queued", () -> merger.queued() == 10);
        runs.release("first");
        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("FIRST");
        for (int i = 0; i < 10; i++) {
            assertThat(queued.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("TEXT " + i);
        }
        assertThat(runs.inputs).hasSize(2);
        assertThat(runs.inputs.get(1)).containsExactlyInAnyOrder("text 0", "text 1", "text 2", "text 3", "text 4", "text 5",
                "text 6", "text 7", "text 8", "text 9");
        assertThat(merger.mergedCalls()).isEqualTo(1);
        assertThat(merger.mergedInputs()).isEqualTo(10);
    }

    @Test
    void aMergedCallCarriesAtMostMaxSizeInputsAndTheRestFollowInTheNext() throws Exception {
        CallMerger<String, String> merger = merger(3, Duration.ZERO, LONG);
        Future<String> first = runHeld(merger, "first");
        List<Future<String>> queued = queue(merger, "a", "b", "c", "d", "e");
        runs.release("first");
        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("FIRST");
        assertThat(results(queued)).containsExactly("A", "B", "C", "D", "E");
        assertThat(runs.inputs).containsExactly(List.of("first"), List.of("a", "b", "c"), List.of("d", "e"));
    }

    @Test
    void aBadInputInAMergedCallFailsOnlyItsCaller() throws Exception {
        CallMerger<String, String> merger = merger(64, Duration.ZERO, LONG);
        Future<String> first = runHeld(merger, "first");
        List<Future<String>> queued = queue(merger, "a", "bad", "c");
        runs.release("first");
        first.get(30, TimeUnit.SECONDS);
        assertThat(queued.get(0).get(30, TimeUnit.SECONDS)).isEqualTo("A");
        assertThatThrownBy(() -> queued.get(1).get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IllegalArgumentException.class).hasMessage("bad input: bad");
        assertThat(queued.get(2).get(30, TimeUnit.SECONDS)).isEqualTo("C");
        // The merged call failed, then each input ran alone.
        assertThat(runs.inputs).containsExactly(List.of("first"), List.of("a", "bad", "c"), List.of("a"),
                List.of("bad"), List.of("c"));
    }

    @Test
    void aFailureOfTheModelReachesEveryCallerOfTheMergedCallWithoutRunningThemOneByOne() throws Exception {
        CallMerger<String, String> merger = merger(64, Duration.ZERO, LONG);
        Future<String> first = runHeld(merger, "first");
        List<Future<String>> queued = queue(merger, "a", "unavailable", "c");
        runs.release("first");
        first.get(30, TimeUnit.SECONDS);
        for (Future<String> caller : queued) {
            assertThatThrownBy(() -> caller.get(30, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(ModelUnavailableException.class);
        }
        assertThat(runs.inputs).containsExactly(List.of("first"), List.of("a", "unavailable", "c"));
    }

    @Test
    void aCallerInterruptedWhileQueuedLeavesWithItsExceptionAndTheOthersRunWithoutIt() throws Exception {
        CallMerger<String, String> merger = merger(64, Duration.ZERO, LONG);
        Future<String> first = runHeld(merger, "first");
        List<Future<String>> queued = queue(merger, "a");
        CallerThread interrupted = new CallerThread(merger, "b");
        interrupted.start();
        awaitCondition("b queued", () -> merger.queued() == 2);
        queued.addAll(queue(merger, "c"));
        interrupted.interrupt();
        interrupted.join(LONG.toMillis());
        assertThat(interrupted.error).isInstanceOf(ModelPoolException.class).hasMessageContaining("Interrupted");
        assertThat(interrupted.interruptFlagKept).isTrue();
        assertThat(merger.queued()).isEqualTo(2);
        runs.release("first");
        first.get(30, TimeUnit.SECONDS);
        assertThat(results(queued)).containsExactly("A", "C");
        assertThat(runs.inputs).containsExactly(List.of("first"), List.of("a", "c"));
    }

    @Test
    void aCallerQueuedLongerThanMaxWaitLeavesWithPoolExhaustedAndTheOthersStillRun() throws Exception {
        CallMerger<String, String> merger = merger(64, Duration.ZERO, Duration.ofMillis(20));
        Future<String> first = runHeld(merger, "first");
        // The run is held until the queued caller has given up: its time-out cannot depend on the machine's speed.
        Future<String> late = threads.submit(() -> merger.call("late"));
        assertThatThrownBy(() -> late.get(30, TimeUnit.SECONDS)).cause()
                .isInstanceOf(ModelPoolExhaustedException.class).hasMessageContaining("model 'test'");
        assertThat(merger.queued()).isZero();
        runs.release("first");
        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("FIRST");
        assertThat(merger.call("next")).isEqualTo("NEXT");
        assertThat(runs.inputs).containsExactly(List.of("first"), List.of("next"));
    }

    @Test
    void theLeaderInterruptedDuringAMergedCallFailsAloneAndTheOthersRunInTheNextCall() throws Exception {
        CallMerger<String, String> merger = merger(64, Duration.ZERO, LONG);
        Future<String> first = runHeld(merger, "first");
        CallerThread leader = new CallerThread(merger, "leader");
        leader.start();
        awaitCondition("the leader queued", () -> merger.queued() == 1);
        List<Future<String>> others = queue(merger, "b", "c");
        runs.hold("leader"); // the merged call led by "leader" stops until released
        runs.release("first");
        first.get(30, TimeUnit.SECONDS);
        awaitCondition("the merged call running", () -> runs.inputs.size() == 2);
        leader.interrupt();
        leader.join(LONG.toMillis());
        assertThat(leader.error).hasMessage("cancelled: the running thread was interrupted");
        assertThat(leader.interruptFlagKept).isTrue();
        assertThat(results(others)).containsExactly("B", "C");
        assertThat(runs.inputs).containsExactly(List.of("first"), List.of("leader", "b", "c"), List.of("b", "c"));
    }

    @Test
    void closeFailsEveryQueuedCallerWhileTheRunningCallFinishes() throws Exception {
        CallMerger<String, String> merger = merger(64, Duration.ZERO, LONG);
        Future<String> first = runHeld(merger, "first");
        List<Future<String>> queued = queue(merger, "a", "b", "c");
        merger.close();
        for (Future<String> caller : queued) {
            assertThatThrownBy(() -> caller.get(30, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(ModelUnavailableException.class).hasMessage("fastembed model 'test' is closed");
        }
        assertThatThrownBy(() -> merger.call("after")).isInstanceOf(ModelUnavailableException.class);
        runs.release("first");
        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("FIRST");
        assertThat(runs.inputs).containsExactly(List.of("first"));
    }

    @Test
    void aWindowWaitsForMoreCallersUntilTheCallIsFullNotLonger() throws Exception {
        // An hour's window: the merged call can only run because it filled up.
        CallMerger<String, String> merger = merger(3, Duration.ofHours(1), LONG);
        Future<String> first = runHeld(merger, "first");
        List<Future<String>> queued = queue(merger, "a");
        runs.release("first");
        first.get(30, TimeUnit.SECONDS);
        queued.addAll(queue(merger, "b"));
        assertThat(runs.inputs).containsExactly(List.of("first"));
        queued.addAll(threadsCall(merger, "c"));
        assertThat(results(queued)).containsExactly("A", "B", "C");
        assertThat(runs.inputs).containsExactly(List.of("first"), List.of("a", "b", "c"));
    }

    @Test
    void closingDuringAWindowFailsTheWaitingLeaderToo() throws Exception {
        CallMerger<String, String> merger = merger(3, Duration.ofHours(1), LONG);
        Future<String> first = runHeld(merger, "first");
        List<Future<String>> queued = queue(merger, "a");
        runs.release("first");
        first.get(30, TimeUnit.SECONDS);
        merger.close();
        assertThatThrownBy(() -> queued.getFirst().get(30, TimeUnit.SECONDS)).cause()
                .isInstanceOf(ModelUnavailableException.class);
        assertThat(runs.inputs).containsExactly(List.of("first"));
    }

    // ---- helpers ----

    private CallMerger<String, String> merger(int maxSize, Duration window, Duration maxWait) {
        SharedModel<AutoCloseable> pool = new SharedModel<>("test", ModelKind.TEXT, "test model", 4, maxWait,
                () -> () -> { });
        Predicate<RuntimeException> blamesInput = e -> e instanceof IllegalArgumentException;
        return new CallMerger<>(pool, "embed", maxSize, window, runs::run, blamesInput);
    }

    /** Starts a lone call of {@code input} whose run stops until {@link Runs#release} of it. */
    private Future<String> runHeld(CallMerger<String, String> merger, String input) {
        runs.hold(input);
        Future<String> call = threads.submit(() -> merger.call(input));
        awaitCondition("the run of " + input + " under way", () -> runs.started(input));
        return call;
    }

    /** Queues one caller per input, in order, each queued before the next starts. */
    private List<Future<String>> queue(CallMerger<String, String> merger, String... inputs) {
        List<Future<String>> callers = new ArrayList<>();
        for (String input : inputs) {
            int before = merger.queued();
            callers.add(threads.submit(() -> merger.call(input)));
            awaitCondition(input + " queued", () -> merger.queued() == before + 1);
        }
        return callers;
    }

    private List<Future<String>> threadsCall(CallMerger<String, String> merger, String input) {
        List<Future<String>> callers = new ArrayList<>();
        callers.add(threads.submit(() -> merger.call(input)));
        return callers;
    }

    private static List<String> results(List<Future<String>> callers) throws Exception {
        List<String> results = new ArrayList<>();
        for (Future<String> caller : callers) {
            results.add(caller.get(30, TimeUnit.SECONDS));
        }
        return results;
    }

    private static void awaitCondition(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached in " + LONG + ": " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /**
     * The engine stand-in: upper-cases each input, records every call's inputs and thread, fails on "bad" (one
     * input's fault) and "unavailable" (the model's), and stops a call whose first input is held until released;
     * like the engine, it refuses (cancels) a run on an interrupted thread.
     */
    private static final class Runs {
        final List<List<String>> inputs = new CopyOnWriteArrayList<>();
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        private final Map<String, CountDownLatch> held = new ConcurrentHashMap<>();
        private final Map<String, Boolean> started = new ConcurrentHashMap<>();

        List<String> run(List<String> batch) {
            inputs.add(List.copyOf(batch));
            threads.add(Thread.currentThread());
            CountDownLatch latch = held.get(batch.getFirst());
            started.put(batch.getFirst(), true);
            if (latch != null) {
                try {
                    latch.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // as the engine: an interrupt stops the run
                }
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("cancelled: the running thread was interrupted");
            }
            if (batch.contains("bad")) {
                throw new IllegalArgumentException("bad input: bad");
            }
            if (batch.contains("unavailable")) {
                throw new ModelUnavailableException("test", "model unavailable", null);
            }
            return batch.stream().map(text -> text.toUpperCase(Locale.ROOT)).toList();
        }

        void hold(String firstInput) {
            held.put(firstInput, new CountDownLatch(1));
        }

        boolean started(String firstInput) {
            return started.containsKey(firstInput);
        }

        void release(String firstInput) {
            held.get(firstInput).countDown();
        }

        void releaseAll() {
            held.values().forEach(CountDownLatch::countDown);
        }
    }

    /** A caller on a thread of its own, so the test can interrupt it and read its interrupt flag afterwards. */
    private static final class CallerThread extends Thread {
        private final CallMerger<String, String> merger;
        private final String input;
        volatile Throwable error;
        volatile boolean interruptFlagKept;

        CallerThread(CallMerger<String, String> merger, String input) {
            this.merger = merger;
            this.input = input;
        }

        @Override
        public void run() {
            try {
                merger.call(input);
            } catch (Throwable t) {
                error = t;
            }
            interruptFlagKept = isInterrupted();
        }
    }
}
