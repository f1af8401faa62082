package dev.fastembed;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.fastembed.reliability.TextGraphs;
import dev.fastembed.testing.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Execution plans through the Java API, on a lookup graph over bge-small's tokenizer: a text's vector is the mean
 * of its tokens' table rows, normalized, which the test computes from Hugging Face's tokenizer (DJL).
 */
class ExecutionPlanTest {

    private static final int HIDDEN = 8;
    private static final List<String> TEXTS = IntStream.range(0, 30)
            .mapToObj(i -> "text " + i + ": " + "pandas eat bamboo in the mountains ".repeat(1 + i % 6)).toList();

    @TempDir
    static Path dir;
    private static ModelFiles files;
    private static HuggingFaceTokenizer oracle;
    private static final float[] TABLE = TextGraphs.embeddingTable(HIDDEN);

    @BeforeAll
    static void load() throws IOException {
        files = ModelFiles.of(TextGraphs.lookup(dir.resolve("lookup.onnx"), HIDDEN), TestModels.BGE_SMALL_EN_V15.tokenizer());
        oracle = HuggingFaceTokenizer.builder().optTokenizerPath(TestModels.BGE_SMALL_EN_V15.tokenizer())
                .optMaxLength(512).optTruncation(true).optPadding(false).build();
    }

    @AfterAll
    static void close() {
        oracle.close();
    }

    private static TextEmbedding.Builder lookup() {
        return TextEmbedding.builder().modelFiles(files).pooling(Pooling.MEAN);
    }

    /** Mean of the tokens' rows, L2-normalized: what the graph and the engine's pooling give. */
    private static float[] expected(String text) {
        long[] ids = oracle.encode(text).getIds();
        double[] sum = new double[HIDDEN];
        for (long id : ids) {
            for (int h = 0; h < HIDDEN; h++) {
                sum[h] += TABLE[(int) id * HIDDEN + h] / ids.length;
            }
        }
        double norm = Math.sqrt(java.util.Arrays.stream(sum).map(v -> v * v).sum());
        float[] vector = new float[HIDDEN];
        for (int h = 0; h < HIDDEN; h++) {
            vector[h] = (float) (sum[h] / norm);
        }
        return vector;
    }

    @Test
    void parallelRunsGiveTheVectorsOfSingleRunAndOfTheGraph() {
        try (TextEmbedding single = lookup().plan(Plan.SINGLE_RUN).tokenBudget(48).build();
             TextEmbedding parallel = lookup().plan(Plan.PARALLEL_RUNS).parallelRuns(3).threads(1).tokenBudget(48)
                     .build()) {
            float[][] one = single.embed(TEXTS);
            float[][] side = parallel.embed(TEXTS);
            for (int i = 0; i < TEXTS.size(); i++) {
                float[] want = expected(TEXTS.get(i));
                for (int h = 0; h < HIDDEN; h++) {
                    assertThat(side[i][h]).as("text %d, value %d", i, h).isCloseTo(one[i][h], within(1e-6f));
                    assertThat(side[i][h]).as("text %d, value %d", i, h).isCloseTo(want[h], within(1e-5f));
                }
            }
            ExecutionPlan plan = parallel.executionPlan().orElseThrow();
            assertThat(plan.kind()).isEqualTo(Plan.PARALLEL_RUNS);
            assertThat(plan.runs()).isEqualTo(3);
            assertThat(plan.threadsPerRun()).isEqualTo(1);
            assertThat(plan.tokenBudget()).isEqualTo(48);
            assertThat(plan.source()).isEqualTo(ExecutionPlan.Source.CONFIGURED);
            assertThat(plan.calibration()).isEmpty();
        }
    }

    @Test
    void theDefaultPlanIsSingleRunWithThePinnedThreadsAndBudget() {
        try (TextEmbedding model = lookup().threads(1).tokenBudget(100).build()) {
            ExecutionPlan plan = model.executionPlan().orElseThrow();
            assertThat(plan.kind()).isEqualTo(Plan.SINGLE_RUN);
            assertThat(plan.runs()).isEqualTo(1);
            assertThat(plan.threadsPerRun()).isEqualTo(1);
            assertThat(plan.tokenBudget()).isEqualTo(100);
            assertThat(plan.source()).isEqualTo(ExecutionPlan.Source.CONFIGURED);
            assertThat(plan.toString()).isEqualTo("single-run: 1 run × 1 thread, token budget 100 (configured)");
        }
    }

    @Test
    void autoMeasuresOnceAndTheNextLoadReadsThePlanCache() throws IOException {
        Path cache = dir.resolve("plans");
        ExecutionPlan first;
        try (TextEmbedding model = lookup().plan(Plan.AUTO).planCacheDir(cache).build()) {
            first = model.executionPlan().orElseThrow();
            assertThat(model.embed(TEXTS.getFirst())).containsExactly(expected(TEXTS.getFirst()), within(1e-5f));
        }
        assertThat(first.source()).isEqualTo(ExecutionPlan.Source.CALIBRATED);
        if (Runtime.getRuntime().availableProcessors() < 2) {
            assertThat(first.note()).as("one core: nothing to compare").isPresent();
            return;
        }
        ExecutionPlan.Calibration timings = first.calibration().orElseThrow();
        assertThat(timings.singleRunMillis()).isPositive();
        assertThat(timings.parallelRunsMillis()).isPositive();
        try (Stream<Path> written = Files.list(cache)) {
            assertThat(written).hasSize(1);
        }
        try (TextEmbedding again = lookup().plan(Plan.AUTO).planCacheDir(cache).build()) {
            ExecutionPlan second = again.executionPlan().orElseThrow();
            assertThat(second.source()).isEqualTo(ExecutionPlan.Source.CACHED);
            assertThat(second.kind()).isEqualTo(first.kind());
            assertThat(second.calibration()).isEqualTo(first.calibration());
        }
    }

    @Test
    void everyTokenModelKindReportsAPlanAndBm25None() {
        try (SparseTextEmbedding bm25 = SparseTextEmbedding.bm25()) {
            assertThat(bm25.executionPlan()).isEmpty();
        }
        try (TextEmbedding model = lookup().plan(Plan.PARALLEL_RUNS).build()) {
            assertThat(model.executionPlan().orElseThrow().runs())
                    .isEqualTo(Runtime.getRuntime().availableProcessors());
        }
    }

    @Test
    void badPlanSettingsAreRefusedClearly() {
        assertThatThrownBy(() -> Plan.of("fastest")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown plan 'fastest'").hasMessageContaining("single-run, parallel-runs, auto");
        assertThat(Plan.of(" Parallel_Runs ")).isEqualTo(Plan.PARALLEL_RUNS);
        assertThatThrownBy(() -> lookup().parallelRuns(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parallelRuns must be positive");
        assertThatThrownBy(() -> lookup().parallelRuns(2).build()).isInstanceOf(FastEmbedException.class)
                .hasMessageContaining("parallel_runs applies to plan \"parallel-runs\" or \"auto\"");
    }
}
