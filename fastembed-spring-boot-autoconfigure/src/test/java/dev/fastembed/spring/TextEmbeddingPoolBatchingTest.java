package dev.fastembed.spring;

import dev.fastembed.ModelSource;
import dev.fastembed.Pooling;
import dev.fastembed.SparseEmbedding;
import dev.fastembed.SparseTextEmbedding;
import dev.fastembed.TextEmbedding;
import dev.fastembed.TextEmbedding.DenseEmbeddings;
import dev.fastembed.catalog.ModelKind;
import dev.fastembed.hub.HubOptions;
import dev.fastembed.internal.NativeHandle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Merged single-text calls on the real bge-small-en-v1.5 (and BM25): every caller of many threads gets the vector of
 * its own text, as the model gives it for that text alone, and the token counts of the callers add up to those of the
 * texts embedded one by one.
 */
class TextEmbeddingPoolBatchingTest {

    private static final Path CACHE = Path.of("target", "fastembed-cache").toAbsolutePath();
    private static final int CALLERS = 16;
    private static final int TEXTS_PER_CALLER = 4;
    private static final String[] TOPICS = {"honeybees", "tides", "sourdough bread", "black holes", "chess openings",
        "the TCP handshake", "composting", "marathon training"};

    private final ExecutorService threads = Executors.newFixedThreadPool(CALLERS);

    @AfterEach
    void stop() throws InterruptedException {
        NativeHandle.setCallInFlightHookForTests(null);
        threads.shutdownNow();
        assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    private static TextEmbedding load() {
        return TextEmbedding.builder()
                .model(ModelSource.classpath("bge-small-en-v1.5.onnx", "bge-small-en-v1.5-tokenizer.json"))
                .pooling(Pooling.CLS).hubOptions(HubOptions.builder().cacheDir(CACHE).build()).build();
    }

    /** Distinct texts of different lengths, so a merged call pads most of its rows. */
    private static List<String> texts() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < CALLERS * TEXTS_PER_CALLER; i++) {
            texts.add("question " + i + ": what should I know about " + TOPICS[i % TOPICS.length]
                    + " and why".repeat(i % 5));
        }
        return texts;
    }

    @Test
    void concurrentCallersEachGetTheVectorOfTheirOwnTextAsEmbeddedAlone() throws Exception {
        List<String> texts = texts();
        List<float[]> alone = new ArrayList<>();
        long tokensAlone = 0;
        try (TextEmbedding reference = load()) {
            for (String text : texts) {
                DenseEmbeddings one = reference.embedWithUsage(List.of(text));
                alone.add(one.vectors()[0]);
                tokensAlone += one.tokenCount();
            }
        }
        try (SharedModel<TextEmbedding> pool = new SharedModel<>("bge", ModelKind.TEXT, "bge-small-en-v1.5", 2,
                Duration.ofMinutes(5), TextEmbeddingPoolBatchingTest::load)) {
            TextEmbeddingPool model = new TextEmbeddingPool(pool, 384, "", "", CallBatching.on());
            pool.load();
            // The first call stays in flight until every other caller has queued behind it: they must merge.
            CountDownLatch release = holdFirstNativeCall();
            float[][] merged = new float[texts.size()][];
            AtomicLong tokens = new AtomicLong();
            List<Future<?>> callers = new ArrayList<>();
            for (int caller = 0; caller < CALLERS; caller++) {
                int c = caller;
                callers.add(threads.submit(() -> {
                    for (int i = c; i < texts.size(); i += CALLERS) {
                        DenseEmbeddings one = model.embedWithUsage(List.of(texts.get(i)));
                        merged[i] = one.vectors()[0];
                        tokens.addAndGet(one.tokenCount());
                    }
                    return null;
                }));
            }
            awaitQueued(model);
            release.countDown();
            for (Future<?> caller : callers) {
                caller.get(120, TimeUnit.SECONDS);
            }
            for (int i = 0; i < texts.size(); i++) {
                assertThat(maxDifference(merged[i], alone.get(i))).as("text %d: %s", i, texts.get(i))
                        .isLessThanOrEqualTo(1e-6);
            }
            assertThat(tokens.get()).as("tokens of all callers").isEqualTo(tokensAlone);
            MergedCalls calls = model.mergedCalls();
            assertThat(calls.calls()).isPositive();
            assertThat(calls.inputs()).as("the %d callers queued behind the first merged", CALLERS - 1)
                    .isGreaterThanOrEqualTo(CALLERS - 1);
        }
    }

    @Test
    void concurrentSparseQueriesEachGetTheVectorOfTheirOwnQuery() throws Exception {
        List<String> texts = texts();
        List<SparseEmbedding> alone = new ArrayList<>();
        try (SparseTextEmbedding reference = SparseTextEmbedding.bm25()) {
            for (String text : texts) {
                alone.add(reference.queryEmbed(text));
            }
        }
        try (SharedModel<SparseTextEmbedding> pool = new SharedModel<>("bm25", ModelKind.SPARSE, "Qdrant/bm25", 2,
                Duration.ofMinutes(5), SparseTextEmbedding::bm25)) {
            SparseTextEmbeddingPool model = new SparseTextEmbeddingPool(pool, CallBatching.on());
            pool.load();
            CountDownLatch release = holdFirstNativeCall();
            SparseEmbedding[] merged = new SparseEmbedding[texts.size()];
            List<Future<?>> callers = new ArrayList<>();
            for (int caller = 0; caller < CALLERS; caller++) {
                int c = caller;
                callers.add(threads.submit(() -> {
                    for (int i = c; i < texts.size(); i += CALLERS) {
                        merged[i] = model.queryEmbed(texts.get(i));
                    }
                    return null;
                }));
            }
            awaitQueued(model);
            release.countDown();
            for (Future<?> caller : callers) {
                caller.get(120, TimeUnit.SECONDS);
            }
            for (int i = 0; i < texts.size(); i++) {
                assertThat(merged[i]).as("query %d", i).isEqualTo(alone.get(i));
            }
            assertThat(model.mergedCalls().inputs()).isGreaterThanOrEqualTo(CALLERS - 1);
        }
    }

    /** The first native call stays in flight until released, so the callers after it queue behind it. */
    private static CountDownLatch holdFirstNativeCall() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        NativeHandle.setCallInFlightHookForTests(() -> {
            if (first.compareAndSet(true, false)) {
                awaitQuietly(release);
            }
        });
        return release;
    }

    private static void awaitQueued(AbstractPooledModel<?> model) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (model.queuedCallers() < CALLERS - 1 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(model.queuedCallers()).as("callers queued behind the first").isEqualTo(CALLERS - 1);
    }

    @Test
    void withBatchingOffEveryCallRunsAlone() {
        try (SharedModel<TextEmbedding> pool = new SharedModel<>("bge", ModelKind.TEXT, "bge-small-en-v1.5", 2,
                Duration.ofMinutes(5), TextEmbeddingPoolBatchingTest::load)) {
            TextEmbeddingPool model = new TextEmbeddingPool(pool, 384, "", "", CallBatching.off());
            List<Integer> inputsPerCall = new java.util.concurrent.CopyOnWriteArrayList<>();
            pool.addListener(new ModelPoolListener() {
                @Override
                public void callCompleted(SharedModel<?> p, String operation, int inputs, long t, Duration took) {
                    inputsPerCall.add(inputs);
                }
            });
            assertThat(model.queryEmbed("what do bees eat")).hasSize(384);
            assertThat(model.embed("what do bees eat")).hasSize(384);
            assertThat(inputsPerCall).containsExactly(1, 1);
            assertThat(model.mergedCalls()).isEqualTo(new MergedCalls(0, 0));
        }
    }

    private static double maxDifference(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            assertThat(latch.await(60, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
