package dev.fastembed.reliability;

import dev.fastembed.FastEmbedException;
import dev.fastembed.FastEmbedException.Kind;
import dev.fastembed.ModelFiles;
import dev.fastembed.Pooling;
import dev.fastembed.TextEmbedding;
import dev.fastembed.testing.TestModels;
import dev.fastembed.testing.TinyOnnx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.fastembed.testing.TinyOnnx.FLOAT;
import static dev.fastembed.testing.TinyOnnx.attr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A run can be stopped (issue 16): an interrupt of the calling thread and a model's run timeout stop the ONNX
 * Runtime run, even one of a graph that would run for minutes, with a clear exception; {@code close()} then
 * completes. Before, an interrupt took effect only after the native call returned, and {@code close()} waited for
 * a graph that never ends.
 */
class StoppingRunsTest {

    /** Chained 1024 x 1024 products: minutes of work for any text, far beyond the waits below. */
    private static final int ENDLESS = 6_000;

    @TempDir
    Path dir;

    /** Callers of their own (the common pool may have a single thread on a small machine). */
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    /**
     * bge's tokenizer over a 4-value lookup whose output also depends on {@code products} matrix products. The
     * matrices come from the input ids, so ONNX Runtime cannot compute them once at load; their values stay
     * 1/1024, so nothing overflows; their sum, times zero, is added to the states.
     */
    private Path slow(int products) {
        TinyOnnx.Graph graph = TextGraphs.lookupGraph(4, "states")
                .initializer("zero", new float[] {0f})
                .initializer("unit", new float[] {1f / 1024})
                .initializer("square", new long[] {1024, 1024}, 2)
                .node("Cast", "ids_float", List.of("input_ids"), attr("to", (long) FLOAT))
                .node("ReduceMax", "largest_id", List.of("ids_float"), attr("keepdims", 0L))
                .node("Mul", "nothing", List.of("largest_id", "zero"))
                .node("Add", "seed", List.of("nothing", "unit"))
                .node("Expand", "product_0", List.of("seed", "square"));
        for (int i = 1; i <= products; i++) {
            graph.node("MatMul", "product_" + i, List.of("product_" + (i - 1), "product_0"));
        }
        return graph.node("ReduceSum", "total", List.of("product_" + products), attr("keepdims", 0L))
                .node("Mul", "no_change", List.of("total", "zero"))
                .node("Add", "last_hidden_state", List.of("states", "no_change"))
                .output("last_hidden_state", FLOAT, "batch", "sequence", 4)
                .write(dir.resolve("slow-" + products + ".onnx"));
    }

    private TextEmbedding load(int products, Duration runTimeout) {
        TextEmbedding.Builder builder = TextEmbedding.builder()
                .modelFiles(ModelFiles.of(slow(products), TestModels.BGE_SMALL_EN_V15.tokenizer()))
                .pooling(Pooling.MEAN);
        return (runTimeout == null ? builder : builder.runTimeout(runTimeout)).build();
    }

    @Test
    void anInterruptStopsTheRunAndCloseThenCompletes() throws Exception {
        TextEmbedding model = load(ENDLESS, null);
        AtomicReference<Thread> caller = new AtomicReference<>();
        AtomicReference<Boolean> flagKept = new AtomicReference<>();
        CompletableFuture<Throwable> call = CompletableFuture.supplyAsync(() -> {
            caller.set(Thread.currentThread());
            try {
                model.embed(List.of("hello world"));
                return null;
            } catch (Throwable t) {
                flagKept.set(Thread.currentThread().isInterrupted());
                return t;
            }
        }, threads);
        while (caller.get() == null) {
            Thread.onSpinWait();
        }
        Thread.sleep(300); // inside the run by now; an earlier interrupt is stopped the same way
        caller.get().interrupt();
        Throwable thrown = call.get(60, TimeUnit.SECONDS);
        assertThat(thrown).isInstanceOfSatisfying(FastEmbedException.class,
                e -> assertThat(e.kind()).isEqualTo(Kind.CANCELLED)).hasMessageContaining("interrupted");
        assertThat(flagKept.get()).as("the caller's interrupt flag is kept").isTrue();
        CompletableFuture.runAsync(model::close, threads).get(60, TimeUnit.SECONDS);
        assertThat(model.isClosed()).isTrue();
    }

    @Test
    void aRunLongerThanTheRunTimeoutIsStopped() throws Exception {
        try (TextEmbedding model = load(ENDLESS, Duration.ofMillis(500))) {
            CompletableFuture<float[][]> call = CompletableFuture.supplyAsync(() -> model.embed(List.of("hello")), threads);
            assertThatThrownBy(() -> call.get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(FastEmbedException.class,
                            e -> assertThat(e.kind()).isEqualTo(Kind.TIMED_OUT))
                    .hasMessageContaining("run timeout of 500 ms");
        }
    }

    @Test
    void anInterruptedCallerStopsOnlyItsOwnCall() throws Exception {
        // A cancel stops every run under way on the model; callers whose thread was not interrupted run again.
        try (TextEmbedding model = load(200, null)) {
            float[][] expected = model.embed(List.of("steady text"));
            AtomicReference<Thread> interrupted = new AtomicReference<>();
            CompletableFuture<Throwable> stopped = CompletableFuture.supplyAsync(() -> {
                interrupted.set(Thread.currentThread());
                try {
                    model.embed(List.of("interrupted text"));
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            }, threads);
            List<CompletableFuture<float[][]>> others = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                others.add(CompletableFuture.supplyAsync(() -> model.embed(List.of("steady text")), threads));
            }
            while (interrupted.get() == null) {
                Thread.onSpinWait();
            }
            Thread.sleep(300);
            interrupted.get().interrupt();
            assertThat(stopped.get(120, TimeUnit.SECONDS)).isInstanceOfSatisfying(FastEmbedException.class,
                    e -> assertThat(e.kind()).isEqualTo(Kind.CANCELLED));
            for (CompletableFuture<float[][]> other : others) {
                assertThat(other.get(120, TimeUnit.SECONDS)).isDeepEqualTo(expected);
            }
        }
    }

    @Test
    void aCallOnAnInterruptedThreadIsRefusedWithTheFlagKept() {
        try (TextEmbedding model = load(1, null)) {
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> model.embed(List.of("hello")))
                        .isInstanceOfSatisfying(FastEmbedException.class,
                                e -> assertThat(e.kind()).isEqualTo(Kind.CANCELLED))
                        .hasMessageContaining("interrupted");
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
            assertThat(model.embed(List.of("hello"))).hasDimensions(1, 4);
        }
    }
}
