package dev.fastembed.reliability;

import dev.fastembed.FastEmbedException;
import dev.fastembed.FastEmbedException.Kind;
import dev.fastembed.ModelFiles;
import dev.fastembed.Pooling;
import dev.fastembed.TextEmbedding;
import dev.fastembed.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.fastembed.testing.TinyOnnx.FLOAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sizes a model declares are not trusted (issue 16): the embedding size comes from what a small run produced,
 * a declared size beyond any embedding's is refused before anything is sized from it, and a failed build frees
 * the native model it created. Before, a declared hidden size of 200 000 000 made every call allocate and zero
 * texts × 200 000 000 floats, and one of 3 000 000 000 failed in Java with an integer overflow after the native
 * model existed, which was never freed.
 */
class DeclaredSizesTest {

    @TempDir
    Path dir;

    /**
     * A lookup table of 4 values per token whose output declares {@code declared} values. The output is the
     * states reshaped to their own run-time shape, so ONNX Runtime cannot infer its size and keeps the declared one.
     */
    private Path declaring(Object declared, String file) {
        return TextGraphs.lookupGraph(4, "states")
                .node("Shape", "runtime_shape", List.of("states"))
                .node("Reshape", "last_hidden_state", List.of("states", "runtime_shape"))
                .output("last_hidden_state", FLOAT, "batch", "sequence", declared)
                .write(dir.resolve(file));
    }

    private static TextEmbedding load(Path model) {
        return TextEmbedding.builder().modelFiles(ModelFiles.of(model, TestModels.BGE_SMALL_EN_V15.tokenizer()))
                .pooling(Pooling.MEAN).build();
    }

    private static void assertLoadFails(Path model, String... messageParts) {
        assertThatThrownBy(() -> load(model).close())
                .isInstanceOfSatisfying(FastEmbedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_MODEL))
                .hasMessageContainingAll(messageParts);
    }

    @Test
    void hugeDeclaredHiddenSizesAreRefusedAtLoad() {
        assertLoadFails(declaring(200_000_000, "two-hundred-million.onnx"),
                "declares vectors of 200000000 values", "more than the 262144");
        assertLoadFails(declaring(3_000_000_000L, "three-billion.onnx"), "declares vectors of 3000000000 values");
    }

    @Test
    void aDeclaredSizeTheModelDoesNotProduceFailsTheCallNotTheVector() {
        try (TextEmbedding model = load(declaring(8, "eight.onnx"))) {
            assertThat(model.dimension()).isEqualTo(8);
            assertThatThrownBy(() -> model.embed(List.of("hello world")))
                    .isInstanceOfSatisfying(FastEmbedException.class,
                            e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_MODEL))
                    .hasMessageContainingAll("last_hidden_state", "expected [1, 4, 8]");
        }
    }

    @Test
    void theSizeComesFromWhatTheModelProduces() {
        try (TextEmbedding model = load(declaring("hidden", "symbolic.onnx"))) {
            assertThat(model.dimension()).isEqualTo(4);
            float[][] vectors = model.embed(List.of("hello world", "a"));
            assertThat(vectors).hasDimensions(2, 4);
        }
        try (TextEmbedding model = load(declaring(4, "four.onnx"))) {
            assertThat(model.dimension()).isEqualTo(4);
        }
    }

    @Test
    void aThousandFailedBuildsFreeWhatTheyCreated() {
        Path[] failing = {declaring(3_000_000_000L, "huge.onnx"), declaring(200_000_000, "large.onnx")};
        Runnable build = new Runnable() {
            int round;

            @Override
            public void run() {
                try {
                    load(failing[round++ % failing.length]).close();
                    throw new AssertionError("a model declaring a huge size was built");
                } catch (FastEmbedException expected) {
                    assertThat(expected.kind()).isEqualTo(Kind.INVALID_MODEL);
                }
            }
        };
        for (int i = 0; i < 50; i++) {
            build.run();
        }
        long before = ProcessMemory.mallocInUse();
        assertThat(before).as("bytes in use in the C allocator (glibc's mallinfo2)").isNotNegative();
        for (int i = 0; i < 1_000; i++) {
            build.run();
        }
        long growth = ProcessMemory.mallocInUse() - before;
        System.out.printf("1000 failed builds: malloc in use %+.1f MiB%n", growth / 1048576.0);
        // Each build holds a session and a 700 KB tokenizer (several MiB); kept, 1000 would be gigabytes.
        assertThat(growth).as("malloc growth over 1000 failed builds").isLessThan(32L << 20);
    }
}
