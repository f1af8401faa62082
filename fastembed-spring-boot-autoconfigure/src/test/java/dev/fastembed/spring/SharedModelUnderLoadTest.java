package dev.fastembed.spring;

import dev.fastembed.ModelSource;
import dev.fastembed.Pooling;
import dev.fastembed.TextEmbedding;
import dev.fastembed.catalog.ModelKind;
import dev.fastembed.hub.HubOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pool around the real bge-small-en-v1.5 while native calls run: many callers queued behind them are
 * interrupted, or the pool is closed under them. Each caller ends with its result or the documented
 * exception, the interrupt flag is kept, permits all come back, and close frees the model only once the
 * calls in flight are done.
 */
class SharedModelUnderLoadTest {

    private static final Path CACHE = Path.of("target", "fastembed-cache").toAbsolutePath();
    /** About 400 tokens: a call that keeps its permit for a noticeable time. */
    private static final List<String> LONG_TEXTS = Collections.nCopies(4, "pool permits and native calls ".repeat(80));

    private static ModelSource source;

    @BeforeAll
    static void source() {
        source = ModelSource.classpath("bge-small-en-v1.5.onnx", "bge-small-en-v1.5-tokenizer.json");
    }

    private static TextEmbedding loadModel(AtomicReference<TextEmbedding> loaded) {
        TextEmbedding model = TextEmbedding.builder().model(source).pooling(Pooling.CLS)
                .hubOptions(HubOptions.builder().cacheDir(CACHE).build()).threads(1).build();
        loaded.set(model);
        return model;
    }

    @Test
    void interruptingCallersQueuedBehindNativeCallsLeavesThePoolWhole() throws Exception {
        AtomicReference<TextEmbedding> loaded = new AtomicReference<>();
        try (SharedModel<TextEmbedding> pool = new SharedModel<>("bge", ModelKind.TEXT, "bge-small-en-v1.5", 1,
                Duration.ofMinutes(5), () -> loadModel(loaded))) {
            TextEmbeddingPool model = new TextEmbeddingPool(pool, 384, "", "");
            pool.load();
            ExecutorService holderThread = Executors.newSingleThreadExecutor();
            try {
                Future<float[][]> holder = holderThread.submit(() -> model.embed(LONG_TEXTS));
                awaitCondition(() -> pool.stats().active() == 1);
                List<Thread> waiters = new ArrayList<>();
                List<Throwable> outcomes = Collections.synchronizedList(new ArrayList<>());
                List<Boolean> flags = Collections.synchronizedList(new ArrayList<>());
                for (int i = 0; i < 12; i++) {
                    int id = i;
                    Thread waiter = new Thread(() -> {
                        try {
                            model.embed("waiter " + id);
                            outcomes.add(null);
                        } catch (Throwable t) {
                            outcomes.add(t);
                        }
                        flags.add(Thread.currentThread().isInterrupted());
                    });
                    waiters.add(waiter);
                    waiter.start();
                }
                awaitCondition(() -> pool.stats().waiting() == 12);
                waiters.forEach(Thread::interrupt);
                for (Thread waiter : waiters) {
                    waiter.join(30_000);
                }
                assertThat(outcomes).hasSize(12).allSatisfy(t -> assertThat(t)
                        .isExactlyInstanceOf(ModelPoolException.class).hasCauseInstanceOf(InterruptedException.class));
                assertThat(flags).containsOnly(true);
                assertThat(holder.get(5, TimeUnit.MINUTES)).hasNumberOfRows(LONG_TEXTS.size());
            } finally {
                holderThread.shutdownNow();
            }
            assertThat(pool.stats()).isEqualTo(new PoolStats(1, 0, 0));
            assertThat(model.embed("the pool still serves")).hasSize(384);
        }
        assertThat(loaded.get().isClosed()).isTrue();
    }

    @Test
    void closingThePoolUnderRunningAndQueuedCallsEndsEachOneCleanly() throws Exception {
        AtomicReference<TextEmbedding> loaded = new AtomicReference<>();
        SharedModel<TextEmbedding> pool = new SharedModel<>("bge", ModelKind.TEXT, "bge-small-en-v1.5", 2,
                Duration.ofMinutes(5), () -> loadModel(loaded));
        TextEmbeddingPool model = new TextEmbeddingPool(pool, 384, "", "");
        pool.load();
        ExecutorService callers = Executors.newFixedThreadPool(12);
        try {
            List<Future<float[][]>> running = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                running.add(callers.submit(() -> model.embed(LONG_TEXTS)));
            }
            awaitCondition(() -> pool.stats().active() == 2);
            List<Future<float[][]>> queued = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                queued.add(callers.submit(() -> model.embed(List.of("queued"))));
            }
            awaitCondition(() -> pool.stats().waiting() == 10);
            pool.close();
            // close() waited for the two calls to give their permits back, then freed the model: both are whole.
            for (Future<float[][]> call : running) {
                assertThat(call.get(1, TimeUnit.MINUTES)).hasNumberOfRows(LONG_TEXTS.size());
            }
            assertThat(loaded.get().isClosed()).isTrue();
            for (Future<float[][]> call : queued) {
                assertThatThrownBy(() -> call.get(1, TimeUnit.MINUTES))
                        .hasCauseExactlyInstanceOf(ModelUnavailableException.class);
            }
            assertThatThrownBy(() -> model.embed("after close")).isInstanceOf(ModelUnavailableException.class);
        } finally {
            callers.shutdownNow();
        }
    }

    private static void awaitCondition(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 60 s");
            }
            Thread.sleep(2);
        }
    }
}
