package dev.fastembed;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.fastembed.testing.TestModels;
import dev.fastembed.testing.TinyOnnx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.fastembed.testing.TinyOnnx.FLOAT;
import static dev.fastembed.testing.TinyOnnx.INT64;
import static dev.fastembed.testing.TinyOnnx.attr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Task adapters (jina-embeddings-v3) on a stand-in with the real export's interface: {@code input_ids},
 * {@code attention_mask} and the scalar {@code task_id} → {@code last_hidden_state} [batch, sequence, 4]. Each
 * token's state is its embedding plus the row of the task table the task id selects, so the mean-pooled vector
 * shows which task reached the model. Expected vectors are computed here from Hugging Face tokenizers' ids.
 */
class TaskAdapterEmbeddingTest {

    static final int HIDDEN = 4;
    static final int VOCABULARY = 30522;
    static final List<String> TASKS = List.of("retrieval.query", "retrieval.passage", "separation", "classification",
            "text-matching");
    static final String TEXT = "which adapter read this text";

    @TempDir
    static Path dir;
    static HuggingFaceTokenizer oracle;
    static Path tokenizer;
    static TextEmbedding jina;

    @BeforeAll
    static void load() throws Exception {
        tokenizer = TestModels.BGE_SMALL_EN_V15.tokenizer();
        oracle = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizer).optPadding(false).build();
        jina = TextEmbedding.builder().modelFiles(ModelFiles.of(graph(dir.resolve("scalar.onnx")), tokenizer))
                .catalogSettings("jinaai/jina-embeddings-v3").build();
    }

    @AfterAll
    static void close() {
        jina.close();
        oracle.close();
    }

    @Test
    void eachTaskReachesTheModelAsItsId() {
        assertThat(jina.tasks()).containsExactlyElementsOf(TASKS);
        for (int id = 0; id < TASKS.size(); id++) {
            assertThat(jina.embed(List.of(TEXT, "x"), TASKS.get(id))[0]).as(TASKS.get(id))
                    .containsExactly(expected(TEXT, id), within(1e-5f));
        }
    }

    @Test
    void queriesAndPassagesUseTheirRetrievalAdaptersAndPlainEmbedThePassageOne() {
        assertThat(jina.queryEmbed(TEXT)).containsExactly(expected(TEXT, 0), within(1e-5f));
        assertThat(jina.passageEmbed(List.of(TEXT))[0]).containsExactly(expected(TEXT, 1), within(1e-5f));
        assertThat(jina.embed(TEXT)).containsExactly(expected(TEXT, 1), within(1e-5f));
    }

    @Test
    void theDefaultTaskIsAnOptionAndTheInputMayBeAOneElementTensor() {
        Path model = graph(dir.resolve("one-element.onnx"), 1);
        try (TextEmbedding classifier = TextEmbedding.builder().modelFiles(ModelFiles.of(model, tokenizer))
                .pooling(Pooling.MEAN).tasks(TASKS).task("classification").build()) {
            assertThat(classifier.embed(TEXT)).containsExactly(expected(TEXT, 3), within(1e-5f));
            assertThat(classifier.embed(List.of(TEXT), "text-matching")[0]).containsExactly(expected(TEXT, 4),
                    within(1e-5f));
        }
    }

    @Test
    void autoTimesATaskAdapterModelWithItsTaskInput() {
        // Calibration feeds task id 0 to the model's task_id input (a scalar here) besides the synthetic tokens.
        try (TextEmbedding timed = TextEmbedding.builder().modelFiles(ModelFiles.of(dir.resolve("scalar.onnx"), tokenizer))
                .catalogSettings("jinaai/jina-embeddings-v3").plan(Plan.AUTO).build()) {
            ExecutionPlan plan = timed.executionPlan().orElseThrow();
            assertThat(plan.source()).isEqualTo(ExecutionPlan.Source.CALIBRATED);
            if (Runtime.getRuntime().availableProcessors() > 1) {
                assertThat(plan.note()).as("no calibration failure").isEmpty();
                assertThat(plan.calibration()).isPresent();
            }
            assertThat(timed.queryEmbed(TEXT)).containsExactly(expected(TEXT, 0), within(1e-5f));
        }
    }

    @Test
    void unknownTasksAndTasksWithoutAdaptersAreRefused() {
        assertThatThrownBy(() -> jina.embed(List.of(TEXT), "summarization"))
                .isInstanceOfSatisfying(FastEmbedException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("unknown task 'summarization'")
                            .contains("retrieval.query, retrieval.passage, separation, classification, text-matching");
                });
        try (TextEmbedding plain = TestModels.BGE_SMALL_EN_V15.builder().build()) {
            assertThat(plain.tasks()).isEmpty();
            assertThatThrownBy(() -> plain.embed(List.of(TEXT), "retrieval.query"))
                    .isInstanceOf(FastEmbedException.class).hasMessageContaining("has no task adapters");
        }
        assertThatThrownBy(() -> TextEmbedding.builder().modelFiles(ModelFiles.of(graph(dir.resolve("bare.onnx")),
                tokenizer)).pooling(Pooling.MEAN).build())
                .isInstanceOf(FastEmbedException.class).hasMessageContaining("give \"tasks\"");
        assertThatThrownBy(() -> TestModels.BGE_SMALL_EN_V15.builder().task("retrieval.query").build())
                .isInstanceOf(FastEmbedException.class).hasMessageContaining("apply to task-adapter models");
    }

    static float token(long id, int h) {
        return (float) Math.sin(0.37 * id + 1.3 * h) + 1.5f;
    }

    static float task(int id, int h) {
        return id * (h + 1) * 0.5f;
    }

    /** Mean over the text's tokens (with [CLS] and [SEP]) of embedding + task row, normalized. */
    static float[] expected(String text, int taskId) {
        long[] ids = oracle.encode(text).getIds();
        float[] v = new float[HIDDEN];
        double norm = 0;
        for (int h = 0; h < HIDDEN; h++) {
            for (long id : ids) {
                v[h] += token(id, h);
            }
            v[h] = v[h] / ids.length + task(taskId, h);
            norm += v[h] * v[h];
        }
        for (int h = 0; h < HIDDEN; h++) {
            v[h] = (float) (v[h] / Math.sqrt(norm));
        }
        return v;
    }

    static Path graph(Path file) {
        return graph(file, 0);
    }

    /** The stand-in; {@code taskRank} 0 declares task_id as a scalar (as the real export), 1 as [1]. */
    static Path graph(Path file, int taskRank) {
        float[] tokens = new float[VOCABULARY * HIDDEN];
        for (int id = 0; id < VOCABULARY; id++) {
            for (int h = 0; h < HIDDEN; h++) {
                tokens[id * HIDDEN + h] = token(id, h);
            }
        }
        float[] tasks = new float[TASKS.size() * HIDDEN];
        for (int id = 0; id < TASKS.size(); id++) {
            for (int h = 0; h < HIDDEN; h++) {
                tasks[id * HIDDEN + h] = task(id, h);
            }
        }
        Object[] taskShape = taskRank == 0 ? new Object[0] : new Object[] {1};
        return TinyOnnx.graph("task-adapters")
                .input("input_ids", INT64, "batch", "sequence")
                .input("attention_mask", INT64, "batch", "sequence")
                .input("task_id", INT64, taskShape)
                .initializer("tokens", tokens, VOCABULARY, HIDDEN)
                .initializer("tasks", tasks, TASKS.size(), HIDDEN)
                .node("Gather", "embedded", List.of("tokens", "input_ids"), attr("axis", 0))
                .node("Gather", "adapter", List.of("tasks", "task_id"), attr("axis", 0))
                .node("Add", "last_hidden_state", List.of("embedded", "adapter"))
                .output("last_hidden_state", FLOAT, "batch", "sequence", HIDDEN)
                .write(file);
    }
}
