package dev.fastembed.reliability;

import dev.fastembed.FastEmbedException;
import dev.fastembed.FastEmbedException.Kind;
import dev.fastembed.ModelFiles;
import dev.fastembed.Pooling;
import dev.fastembed.TextEmbedding;
import dev.fastembed.testing.TestModels;
import dev.fastembed.testing.TinyOnnx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.fastembed.testing.TinyOnnx.FLOAT;
import static dev.fastembed.testing.TinyOnnx.INT64;
import static dev.fastembed.testing.TinyOnnx.attr;
import static dev.fastembed.testing.TinyOnnx.ints;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Models whose inputs or outputs are not what a text embedding model declares, built as tiny ONNX graphs
 * with bge-small's tokenizer: a clear {@link FastEmbedException} at load where the declaration shows the
 * problem, at the first call where only running shows it — and never a wrong vector.
 */
class MismatchedModelTest {

    @TempDir
    Path dir;

    private TextEmbedding load(TinyOnnx.Graph graph) {
        Path model = graph.write(dir.resolve("model.onnx"));
        return TextEmbedding.builder().modelFiles(ModelFiles.of(model, TestModels.BGE_SMALL_EN_V15.tokenizer()))
                .pooling(Pooling.MEAN).build();
    }

    private void assertLoadFails(TinyOnnx.Graph graph, String... messageParts) {
        assertThatThrownBy(() -> load(graph).close())
                .isInstanceOfSatisfying(FastEmbedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_MODEL))
                .hasMessageContainingAll(messageParts);
    }

    @Test
    void aModelWithoutInputIdsIsRejectedAtLoad() {
        assertLoadFails(TinyOnnx.graph("renamed-input")
                .input("ids", INT64, "batch", "sequence")
                .initializer("embedding", TextGraphs.embeddingTable(4), TextGraphs.VOCABULARY, 4)
                .node("Gather", "last_hidden_state", List.of("embedding", "ids"), attr("axis", 0))
                .output("last_hidden_state", FLOAT, "batch", "sequence", 4), "input_ids", "ids");
    }

    @Test
    void outputsOfTheWrongRankAreRejectedAtLoad() {
        assertLoadFails(TextGraphs.lookupGraph(4, "states")
                .initializer("four_d", new long[] {0, 0, 4, 1}, 4)
                .node("Reshape", "last_hidden_state", List.of("states", "four_d"))
                .output("last_hidden_state", FLOAT, "batch", "sequence", 4, 1), "rank 4");
        assertLoadFails(TextGraphs.lookupGraph(4, "states")
                .initializer("axes", new long[] {1, 2}, 2)
                .node("ReduceSum", "last_hidden_state", List.of("states", "axes"), attr("keepdims", 0))
                .output("last_hidden_state", FLOAT, "batch"), "rank 1");
    }

    @Test
    void aConfiguredOutputTheModelLacksIsRejectedAtLoadWithTheNamesItHas() {
        Path model = TextGraphs.lookup(dir.resolve("lookup.onnx"), 4);
        assertThatThrownBy(() -> TextEmbedding.builder()
                .modelFiles(ModelFiles.of(model, TestModels.BGE_SMALL_EN_V15.tokenizer()))
                .outputName("sentence_embedding").build())
                .isInstanceOfSatisfying(FastEmbedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_MODEL))
                .hasMessageContainingAll("sentence_embedding", "last_hidden_state");
    }

    @Test
    void anOutputWhoseTokenAxisDiffersFromTheInputFailsTheCallNotTheVector() {
        // Regroups each row's 4-wide states into 8-wide ones: half as many "tokens" as went in, which ONNX
        // Runtime only learns when it runs. The engine must not pool a row of the wrong length.
        try (TextEmbedding model = load(TextGraphs.lookupGraph(4, "states")
                .initializer("regrouped", new long[] {0, -1, 8}, 3)
                .node("Reshape", "last_hidden_state", List.of("states", "regrouped"))
                .output("last_hidden_state", FLOAT, "batch", "tokens", 8))) {
            assertThat(model.dimension()).isEqualTo(8);
            // [CLS] a b [SEP]: 4 tokens in, 2 out.
            assertThatThrownBy(() -> model.embed("a b"))
                    .isInstanceOfSatisfying(FastEmbedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_MODEL))
                    .hasMessageContainingAll("last_hidden_state", "expected [1, 4, 8]");
            // [CLS] a [SEP]: 12 values cannot be regrouped by 8; ONNX Runtime says so.
            assertThatThrownBy(() -> model.embed("a"))
                    .isInstanceOfSatisfying(FastEmbedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.ONNX_RUNTIME));
        }
    }

    @Test
    void anOutputThatLosesTheBatchFailsTheCall() {
        // Averages over the batch: [1, sequence, 4] whatever the batch size.
        try (TextEmbedding model = load(TextGraphs.lookupGraph(4, "states")
                .node("ReduceMean", "last_hidden_state", List.of("states"), ints("axes", 0), attr("keepdims", 1))
                .output("last_hidden_state", FLOAT, "batch", "sequence", 4))) {
            assertThat(model.embed("one text is fine")).hasSize(4);
            assertThatThrownBy(() -> model.embed(List.of("two", "texts")))
                    .isInstanceOfSatisfying(FastEmbedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_MODEL))
                    .hasMessageContaining("expected [2,");
            assertThat(model.embed("and the model still works")).hasSize(4);
        }
    }

    @Test
    void integerOutputsFailTheCallWithTheTypeNamed() {
        try (TextEmbedding model = load(TinyOnnx.graph("ints")
                .input("input_ids", INT64, "batch", "sequence")
                .initializer("axis", new long[] {2}, 1)
                .node("Unsqueeze", "last_hidden_state", List.of("input_ids", "axis"))
                .output("last_hidden_state", INT64, "batch", "sequence", 1))) {
            assertThatThrownBy(() -> model.embed("a text"))
                    .isInstanceOf(FastEmbedException.class)
                    .satisfies(e -> assertThat(e.getMessage().toLowerCase()).containsAnyOf("int64", "i64", "type"));
        }
    }

    @Test
    void inputsTheEngineDoesNotFeedFailTheCallNamingThem() {
        // position_ids is fed (decoder exports take it); an input no model kind uses is not.
        try (TextEmbedding model = load(TextGraphs.lookupGraph(4, "states")
                .input("segment_ids", INT64, "batch", "sequence")
                .node("Gather", "positions", List.of("embedding", "segment_ids"), attr("axis", 0))
                .node("Add", "last_hidden_state", List.of("states", "positions"))
                .output("last_hidden_state", FLOAT, "batch", "sequence", 4))) {
            assertThatThrownBy(() -> model.embed("a text"))
                    .isInstanceOfSatisfying(FastEmbedException.class, e -> assertThat(e.kind()).isEqualTo(Kind.ONNX_RUNTIME))
                    .hasMessageContaining("segment_ids");
        }
    }

    @Test
    void aModelFailingAtRunTimeKeepsFailingCleanlyAndClosesNormally() {
        // Ids beyond a 100-row table: ONNX Runtime's Gather reports an out-of-range index on every call.
        try (TextEmbedding model = load(TinyOnnx.graph("small-table")
                .input("input_ids", INT64, "batch", "sequence")
                .initializer("embedding", new float[100 * 4], 100, 4)
                .node("Gather", "last_hidden_state", List.of("embedding", "input_ids"), attr("axis", 0))
                .output("last_hidden_state", FLOAT, "batch", "sequence", 4))) {
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> model.embed("hello world"))
                        .isInstanceOfSatisfying(FastEmbedException.class,
                                e -> assertThat(e.kind()).isEqualTo(Kind.ONNX_RUNTIME));
            }
        }
    }

    @Test
    void aSymbolicHiddenSizeIsLearnedFromOneRun() {
        try (TextEmbedding model = load(TextGraphs.lookupGraph(6, "last_hidden_state")
                .output("last_hidden_state", FLOAT, "batch", "sequence", "hidden"))) {
            assertThat(model.dimension()).isEqualTo(6);
            assertThat(model.embed("text")).hasSize(6);
        }
    }

    @Test
    void nonFiniteOutputsAreReportedNotReturned() {
        try (TextEmbedding model = load(TextGraphs.lookupGraph(4, "states")
                .node("Neg", "negative", List.of("states"))
                .node("Log", "last_hidden_state", List.of("negative"))
                .output("last_hidden_state", FLOAT, "batch", "sequence", 4))) {
            assertThatThrownBy(() -> model.embed("log of a negative number")).isInstanceOf(FastEmbedException.class);
        }
    }
}
