package dev.fastembed.reliability;

import dev.fastembed.FastEmbedException;
import dev.fastembed.ImageEmbedding;
import dev.fastembed.ModelFiles;
import dev.fastembed.Pooling;
import dev.fastembed.SparseTextEmbedding;
import dev.fastembed.TextEmbedding;
import dev.fastembed.Tokenizer;
import dev.fastembed.internal.NativeHandle;
import dev.fastembed.testing.ClipModels;
import dev.fastembed.testing.ReferenceEmbedder;
import dev.fastembed.testing.TestModels;
import dev.fastembed.testing.TestTexts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Closing while in use: use after close, double and concurrent close, close racing calls from many
 * threads, and interrupts of callers. Calls end with a result or {@link IllegalStateException}; nothing
 * else, and never a crash of the JVM (a double free or a call on a freed model would be one).
 */
class LifecycleTest {

    @TempDir
    static Path dir;
    static ModelFiles lookup;
    static ModelFiles clipVision;

    @BeforeAll
    static void files() throws IOException {
        lookup = ModelFiles.of(TextGraphs.lookup(dir.resolve("lookup.onnx"), 8), TestModels.BGE_SMALL_EN_V15.tokenizer());
        clipVision = ModelFiles.image(ClipModels.visionTower(dir.resolve("vision.onnx")),
                Files.writeString(dir.resolve("preprocessor_config.json"), ClipModels.PREPROCESSOR_CONFIG));
    }

    static TextEmbedding lookupModel() {
        return TextEmbedding.builder().modelFiles(lookup).pooling(Pooling.MEAN).threads(1).build();
    }

    @Test
    void everyKindOfObjectRejectsUseAfterCloseAndClosesTwiceQuietly() {
        TextEmbedding text = lookupModel();
        Tokenizer tokenizer = Tokenizer.fromFile(TestModels.BGE_SMALL_EN_V15.tokenizer());
        SparseTextEmbedding bm25 = SparseTextEmbedding.bm25();
        ImageEmbedding image = ImageEmbedding.builder().modelFiles(clipVision).build();
        for (AutoCloseable closeable : List.<AutoCloseable>of(text, tokenizer, bm25, image)) {
            for (int i = 0; i < 3; i++) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    throw new AssertionError(closeable + " failed to close a second time", e);
                }
            }
        }
        assertThatThrownBy(() -> text.embed("x")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> text.embed(List.of())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> tokenizer.encode("x")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> bm25.embed("x")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> bm25.embed(List.of())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> image.embedBytes(List.of())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> image.embed(List.<Path>of())).isInstanceOf(IllegalStateException.class);
        assertThat(text.dimension()).as("known without the native model").isEqualTo(8);
    }

    @Test
    void manyThreadsClosingAtOnceFreeTheModelOnce() throws Exception {
        for (int round = 0; round < 20; round++) {
            TextEmbedding model = lookupModel();
            int threads = 8;
            CyclicBarrier start = new CyclicBarrier(threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> closes = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    closes.add(pool.submit(() -> {
                        start.await();
                        model.close();
                        return null;
                    }));
                }
                for (Future<?> close : closes) {
                    close.get(30, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(model.isClosed()).isTrue();
        }
    }

    /**
     * Sixteen threads call as fast as they can while the model is closed under them, in rounds with closes
     * at different moments. Every call must end with vectors or IllegalStateException.
     */
    @Test
    void closeRacingCallsFromManyThreadsEndsEveryCallCleanly() throws Exception {
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Throwable> unexpected = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger succeeded = new AtomicInteger();
        AtomicInteger rejected = new AtomicInteger();
        try {
            for (int round = 0; round < 10; round++) {
                TextEmbedding model = lookupModel();
                CountDownLatch running = new CountDownLatch(threads);
                List<Future<?>> callers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    callers.add(pool.submit(() -> {
                        running.countDown();
                        for (int i = 0; ; i++) {
                            try {
                                float[][] v = model.embed(List.of("caller " + id, "call " + i));
                                if (v.length != 2 || v[0].length != 8) {
                                    unexpected.add(new AssertionError("wrong shape"));
                                }
                                succeeded.incrementAndGet();
                            } catch (IllegalStateException closed) {
                                rejected.incrementAndGet();
                                return;
                            } catch (Throwable other) {
                                unexpected.add(other);
                                return;
                            }
                        }
                    }));
                }
                running.await();
                Thread.sleep(ThreadLocalRandom.current().nextInt(1, 60));
                model.close();
                for (Future<?> caller : callers) {
                    caller.get(60, TimeUnit.SECONDS);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(unexpected).isEmpty();
        assertThat(rejected.get()).as("every caller of every round saw the close").isEqualTo(threads * 10);
        assertThat(succeeded.get()).isPositive();
    }

    @Test
    void closeWaitsForACallInFlightThenFrees() throws Exception {
        TextEmbedding model = TestModels.BGE_SMALL_EN_V15.builder().threads(1).build();
        List<String> texts = TestTexts.paragraphs(24);
        float[][] expected = model.embed(texts.subList(0, 2));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<float[][]> call = startNativeCall(pool, model, texts);
            model.close();
            // close() returned: the call it waited for has its whole, correct result.
            assertThat(call.isDone()).isTrue();
            float[][] vectors = call.get();
            assertThat(vectors).hasNumberOfRows(texts.size());
            assertThat(ReferenceEmbedder.cosine(vectors[1], expected[1])).isGreaterThan(0.9999);
        } finally {
            pool.shutdownNow();
        }
        assertThatThrownBy(() -> model.embed("after")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anInterruptDuringANativeCallStopsItAndIsKept() throws Exception {
        try (TextEmbedding model = TestModels.BGE_SMALL_EN_V15.builder().threads(1).build()) {
            List<String> texts = TestTexts.paragraphs(16);
            float[] reference = model.embed(texts.get(5));
            AtomicBoolean interruptedAfter = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CountDownLatch inFlight = new CountDownLatch(1);
            Thread caller = new Thread(() -> {
                try {
                    signallingInFlight(inFlight, () -> model.embed(texts));
                } catch (Throwable t) {
                    failure.set(t);
                }
                interruptedAfter.set(Thread.currentThread().isInterrupted());
            });
            caller.start();
            awaitInFlight(inFlight);
            caller.interrupt();
            caller.join(120_000);
            // Issue 16: the interrupt stops the ONNX Runtime run (before, the call ran to its end).
            assertThat(failure.get()).isInstanceOfSatisfying(FastEmbedException.class,
                    e -> assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.CANCELLED));
            assertThat(interruptedAfter.get()).as("the interrupt flag survives the native call").isTrue();
            assertThat(ReferenceEmbedder.cosine(model.embed(texts.get(5)), reference)).isGreaterThan(0.9999);
        }
    }

    @Test
    void anInterruptedCloserStillClosesOnceTheCallEnds() throws Exception {
        TextEmbedding model = TestModels.BGE_SMALL_EN_V15.builder().threads(1).build();
        List<String> texts = TestTexts.paragraphs(16);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<float[][]> call = startNativeCall(pool, model, texts);
            AtomicBoolean interruptedAfter = new AtomicBoolean();
            Thread closer = new Thread(() -> {
                model.close();
                interruptedAfter.set(Thread.currentThread().isInterrupted());
            });
            closer.start();
            // The closer parks on the model's write lock, held off by the call in flight (its read lock).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (closer.getState() != Thread.State.WAITING && closer.isAlive()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the closer never blocked waiting for the call in flight");
                }
                Thread.onSpinWait();
            }
            closer.interrupt();
            closer.join(120_000);
            assertThat(closer.isAlive()).isFalse();
            assertThat(model.isClosed()).isTrue();
            assertThat(interruptedAfter.get()).isTrue();
            assertThat(call.get()).hasNumberOfRows(texts.size());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Starts {@code model.embed(texts)} on the pool and returns once that call is in flight: it holds the model's
     * read lock and is about to go native, so a close must wait for it.
     */
    private static Future<float[][]> startNativeCall(ExecutorService pool, TextEmbedding model, List<String> texts)
            throws InterruptedException {
        CountDownLatch inFlight = new CountDownLatch(1);
        Future<float[][]> call = pool.submit(() -> signallingInFlight(inFlight, () -> model.embed(texts)));
        awaitInFlight(inFlight);
        return call;
    }

    /**
     * Runs {@code call} on this thread and counts {@code inFlight} down when this thread's native call holds its
     * read lock, through {@link NativeHandle#setCallInFlightHookForTests} (calls of other threads do not count).
     */
    private static <T> T signallingInFlight(CountDownLatch inFlight, Callable<T> call) throws Exception {
        Thread self = Thread.currentThread();
        NativeHandle.setCallInFlightHookForTests(() -> {
            if (Thread.currentThread() == self) {
                inFlight.countDown();
            }
        });
        try {
            return call.call();
        } finally {
            NativeHandle.setCallInFlightHookForTests(null);
        }
    }

    private static void awaitInFlight(CountDownLatch inFlight) throws InterruptedException {
        if (!inFlight.await(60, TimeUnit.SECONDS)) {
            throw new AssertionError("the call did not reach the native library within 60 s");
        }
    }
}
