package dev.fastembed.spring;

import dev.fastembed.catalog.ModelKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pool's permits, waits, loading and closing, with a model whose calls the test controls. Real
 * inference through the pool is covered by the tests on the bge-small model.
 */
class SharedModelTest {

    private static final Duration LONG = Duration.ofSeconds(10);

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void callersBeyondThePoolSizeWaitTheirTurnAndAllComplete() throws Exception {
        int size = 3;
        int callers = 12;
        SharedModel<TestModel> pool = pool(size, LONG, TestModel::new);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            int input = i;
            results.add(threads.submit(() -> {
                start.await();
                return pool.call("embed", 1, model -> {
                    mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                    // Hold the permit until the pool has been full once, so the test sees k calls in parallel.
                    long deadline = System.nanoTime() + LONG.toNanos();
                    while (mostAtOnce.get() < size && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                    running.decrementAndGet();
                    return input * 2;
                }, r -> -1);
            }));
        }
        start.countDown();
        for (int i = 0; i < callers; i++) {
            assertThat(results.get(i).get(20, TimeUnit.SECONDS)).isEqualTo(i * 2);
        }
        assertThat(mostAtOnce.get()).isEqualTo(size);
        assertThat(pool.stats()).isEqualTo(new PoolStats(size, 0, 0));
    }

    @Test
    void aCallerWaitingLongerThanMaxWaitGetsPoolExhausted() throws Exception {
        SharedModel<TestModel> pool = pool(1, Duration.ofMillis(200), TestModel::new);
        CountDownLatch release = new CountDownLatch(1);
        Future<String> holder = holdPermit(pool, release);

        long start = System.nanoTime();
        assertThatThrownBy(() -> pool.call("embed", 1, model -> "never", r -> -1))
                .isInstanceOfSatisfying(ModelPoolExhaustedException.class, e -> {
                    assertThat(e.modelName()).isEqualTo("test");
                    assertThat(e.poolSize()).isEqualTo(1);
                    assertThat(e.maxWait()).isEqualTo(Duration.ofMillis(200));
                    assertThat(e).hasMessageContaining("fastembed.models.test.pool.max-wait");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));

        release.countDown();
        assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("held");
        assertThat(pool.<String>call("embed", 1, model -> "free again", r -> -1)).isEqualTo("free again");
    }

    @Test
    void permitsComeBackWhenCallsThrow() throws Exception {
        SharedModel<TestModel> pool = pool(2, Duration.ZERO, TestModel::new);
        for (int i = 0; i < 20; i++) {
            int round = i;
            assertThatThrownBy(() -> pool.call("embed", 1, model -> {
                if (round % 2 == 0) {
                    throw new IllegalArgumentException("bad input " + round);
                }
                throw new AssertionError("engine bug " + round);
            }, r -> -1)).hasMessageEndingWith(" " + round);
        }
        assertThat(pool.stats()).isEqualTo(new PoolStats(2, 0, 0));
        assertExactlyThisManyPermits(pool, 2);
    }

    @Test
    void timedOutWaitsTakeNoPermit() throws Exception {
        SharedModel<TestModel> pool = pool(1, Duration.ofMillis(20), TestModel::new);
        CountDownLatch release = new CountDownLatch(1);
        Future<String> holder = holdPermit(pool, release);
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> pool.call("embed", 1, model -> "x", r -> -1))
                    .isInstanceOf(ModelPoolExhaustedException.class);
        }
        release.countDown();
        holder.get(10, TimeUnit.SECONDS);
        assertThat(pool.stats()).isEqualTo(new PoolStats(1, 0, 0));
        assertExactlyThisManyPermits(pool, 1);
    }

    @Test
    void anInterruptWhileWaitingEndsTheWaitAndKeepsTheInterruptFlag() throws Exception {
        SharedModel<TestModel> pool = pool(1, LONG, TestModel::new);
        CountDownLatch release = new CountDownLatch(1);
        Future<String> holder = holdPermit(pool, release);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flagAfterwards = new AtomicBoolean();
        Thread waiter = new Thread(() -> {
            try {
                pool.call("embed", 1, model -> "never", r -> -1);
            } catch (Throwable e) {
                thrown.set(e);
                flagAfterwards.set(Thread.currentThread().isInterrupted());
            }
        });
        waiter.start();
        awaitCondition("the waiter parked on the permits", () -> pool.threadsBlockedOnPermits() == 1);
        waiter.interrupt();
        waiter.join(10_000);

        assertThat(thrown.get()).isExactlyInstanceOf(ModelPoolException.class)
                .hasCauseInstanceOf(InterruptedException.class)
                .hasMessageContaining("Interrupted while waiting");
        assertThat(flagAfterwards.get()).isTrue();
        assertThat(pool.stats().waiting()).isZero();
        release.countDown();
        holder.get(10, TimeUnit.SECONDS);
        assertExactlyThisManyPermits(pool, 1);
    }

    @Test
    void aLazyModelLoadsOnceForConcurrentFirstCalls() throws Exception {
        int size = 4;
        int callers = 8;
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch finishLoading = new CountDownLatch(1);
        SharedModel<TestModel> pool = pool(size, LONG, () -> {
            loads.incrementAndGet();
            loading.countDown();
            try {
                assertThat(finishLoading.await(LONG.toSeconds(), TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            return new TestModel();
        });
        assertThat(pool.state()).isEqualTo(ModelState.NOT_LOADED);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> callerThreads = new CopyOnWriteArrayList<>();
        List<Future<TestModel>> results = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            results.add(threads.submit(() -> {
                callerThreads.add(Thread.currentThread());
                start.await();
                return pool.call("embed", 1, Function.identity(), r -> -1);
            }));
        }
        start.countDown();
        assertThat(loading.await(LONG.toSeconds(), TimeUnit.SECONDS)).isTrue();
        long loadingSince = System.nanoTime();
        // While the load runs: the other callers with a permit are blocked on it (on the pool's load lock) and
        // the callers without one are queued for a permit. Only then may the load finish.
        awaitCondition("the other permit holders blocked on the load, the rest queued for permits",
                () -> pool.threadsBlockedOnPermits() == callers - size && callerThreads.stream()
                        .filter(t -> t.getState() == Thread.State.BLOCKED).count() == size - 1);
        assertThat(pool.state()).isEqualTo(ModelState.LOADING);
        long loadingFor = System.nanoTime() - loadingSince;
        finishLoading.countDown();
        TestModel first = results.getFirst().get(10, TimeUnit.SECONDS);
        for (Future<TestModel> result : results) {
            assertThat(result.get(10, TimeUnit.SECONDS)).isSameAs(first);
        }
        assertThat(loads).hasValue(1);
        assertThat(pool.state()).isEqualTo(ModelState.READY);
        assertThat(pool.loadTime())
                .hasValueSatisfying(time -> assertThat(time).isGreaterThanOrEqualTo(Duration.ofNanos(loadingFor)));
    }

    @Test
    void aFailedLoadIsRememberedAndEveryCallSaysWhy() {
        AtomicInteger loads = new AtomicInteger();
        SharedModel<TestModel> pool = pool(2, LONG, () -> {
            loads.incrementAndGet();
            throw new IllegalStateException("model.onnx not found in /nowhere");
        });
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> pool.call("embed", 1, model -> "never", r -> -1))
                    .isInstanceOf(ModelUnavailableException.class)
                    .hasMessageContaining("'test'")
                    .hasMessageContaining("model.onnx not found in /nowhere")
                    .hasCauseInstanceOf(IllegalStateException.class);
        }
        assertThat(loads).hasValue(1);
        assertThat(pool.state()).isEqualTo(ModelState.FAILED);
        assertThat(pool.loadFailure()).hasValueSatisfying(e -> assertThat(e).hasMessageContaining("/nowhere"));
        assertThat(pool.stats()).isEqualTo(new PoolStats(2, 0, 0));
    }

    @Test
    void aNativeLibraryThatCannotLinkMakesTheModelUnavailable() {
        SharedModel<TestModel> pool = pool(1, LONG, () -> {
            throw new UnsatisfiedLinkError("libfastembed.so: cannot open shared object file");
        });
        assertThatThrownBy(pool::load).isInstanceOf(ModelUnavailableException.class)
                .hasMessageContaining("cannot open shared object file");
        assertThat(pool.state()).isEqualTo(ModelState.FAILED);
    }

    @Test
    void closeWaitsForCallsInFlightThenClosesTheModel() throws Exception {
        TestModel model = new TestModel();
        SharedModel<TestModel> pool = pool(2, LONG, () -> model);
        CountDownLatch release = new CountDownLatch(1);
        Future<String> inFlight = holdPermit(pool, release);
        Future<?> closing = threads.submit(pool::close);

        // close() is blocked waiting for the call in flight to give its permit back.
        awaitCondition("close() parked waiting for the call in flight", () -> pool.threadsBlockedOnPermits() == 1);
        assertThat(pool.state()).isEqualTo(ModelState.CLOSED);
        assertThat(closing).isNotDone();
        assertThat(model.closed).isFalse();

        release.countDown();
        assertThat(inFlight.get(10, TimeUnit.SECONDS)).isEqualTo("held");
        closing.get(10, TimeUnit.SECONDS);
        assertThat(model.closed).isTrue();
        assertThatThrownBy(() -> pool.call("embed", 1, m -> "late", r -> -1))
                .isInstanceOf(ModelUnavailableException.class).hasMessageContaining("closed");
        pool.close();
    }

    @Test
    void callersStillWaitingAtCloseGiveUpWithModelUnavailable() throws Exception {
        SharedModel<TestModel> pool = pool(1, LONG, TestModel::new);
        CountDownLatch release = new CountDownLatch(1);
        Future<String> holder = holdPermit(pool, release);
        Future<String> waiter = threads.submit(() -> pool.call("embed", 1, model -> "never", r -> -1));
        awaitCondition("the waiter parked on the permits", () -> pool.threadsBlockedOnPermits() == 1);
        Future<?> closing = threads.submit(pool::close);
        // Both blocked: the caller waiting for a permit and close() waiting for the call in flight.
        awaitCondition("close() parked behind the waiter", () -> pool.threadsBlockedOnPermits() == 2);
        assertThat(pool.state()).isEqualTo(ModelState.CLOSED);
        release.countDown();

        holder.get(10, TimeUnit.SECONDS);
        closing.get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> waiter.get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(ModelUnavailableException.class);
    }

    @Test
    void listenersSeeWaitsCompletedAndFailedCalls() throws Exception {
        SharedModel<TestModel> pool = pool(1, Duration.ofMillis(10), TestModel::new);
        List<String> events = new ArrayList<>();
        pool.addListener(new ModelPoolListener() {
            @Override
            public synchronized void permitWait(SharedModel<?> p, Duration waited, WaitOutcome outcome) {
                events.add("wait " + outcome);
            }

            @Override
            public synchronized void callCompleted(SharedModel<?> p, String operation, int inputs, long tokens,
                                                   Duration took) {
                events.add("completed " + operation + " " + inputs + " " + tokens);
            }

            @Override
            public synchronized void callFailed(SharedModel<?> p, String operation, int inputs, Throwable error,
                                                Duration took) {
                events.add("failed " + operation + " " + inputs + " " + error.getClass().getSimpleName());
            }
        });
        pool.call("query", 3, model -> "vectors", r -> 7);
        assertThatThrownBy(() -> pool.call("passage", 2, model -> {
            throw new IllegalArgumentException("texts[1] is null");
        }, r -> -1)).isInstanceOf(IllegalArgumentException.class);
        CountDownLatch release = new CountDownLatch(1);
        Future<String> holder = holdPermit(pool, release);
        assertThatThrownBy(() -> pool.call("embed", 5, model -> "never", r -> -1))
                .isInstanceOf(ModelPoolExhaustedException.class);
        release.countDown();
        holder.get(10, TimeUnit.SECONDS);

        assertThat(events).containsExactly(
                "wait ACQUIRED", "completed query 3 7",
                "wait ACQUIRED", "failed passage 2 IllegalArgumentException",
                "wait ACQUIRED", "wait TIMED_OUT", "failed embed 5 ModelPoolExhaustedException",
                "completed embed 1 -1");
    }

    @Test
    void aThrowingListenerDoesNotBreakCallsOrLeakPermits() throws Exception {
        SharedModel<TestModel> pool = pool(1, Duration.ZERO, TestModel::new);
        pool.addListener(new ModelPoolListener() {
            @Override
            public void callCompleted(SharedModel<?> p, String operation, int inputs, long tokens, Duration took) {
                throw new IllegalStateException("broken meter registry");
            }
        });
        assertThat(pool.<String>call("embed", 1, model -> "ok", r -> -1)).isEqualTo("ok");
        assertExactlyThisManyPermits(pool, 1);
    }

    @Test
    void rejectsPoolsThatCouldNeverServe() {
        assertThatThrownBy(() -> pool(0, LONG, TestModel::new)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> pool(1, Duration.ofSeconds(-1), TestModel::new))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    }

    /** Proves the pool has exactly {@code permits} free permits: all can be held at once, one more cannot. */
    private void assertExactlyThisManyPermits(SharedModel<TestModel> pool, int permits) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Future<String>> holders = new ArrayList<>();
        for (int i = 0; i < permits; i++) {
            holders.add(holdPermit(pool, release));
        }
        awaitCondition("every permit held", () -> pool.stats().active() == permits);
        assertThatThrownBy(() -> pool.call("embed", 1, model -> "one too many", r -> -1, Duration.ZERO))
                .isInstanceOf(ModelPoolExhaustedException.class);
        release.countDown();
        for (Future<String> holder : holders) {
            assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("held");
        }
        assertThat(pool.stats().active()).isZero();
    }

    private Future<String> holdPermit(SharedModel<TestModel> pool, CountDownLatch release) throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        Future<String> holder = threads.submit(() -> pool.call("embed", 1, model -> {
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "held";
        }, r -> -1, LONG));
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        return holder;
    }

    private static SharedModel<TestModel> pool(int size, Duration maxWait, Supplier<TestModel> loader) {
        return new SharedModel<>("test", ModelKind.TEXT, "test model", size, maxWait, loader);
    }

    private static void awaitCondition(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached in " + LONG + ": " + what);
            }
            sleep(5);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A model whose closing the test can see. */
    static final class TestModel implements AutoCloseable {
        volatile boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }
}
