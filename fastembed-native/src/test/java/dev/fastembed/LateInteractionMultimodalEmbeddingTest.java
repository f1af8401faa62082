package dev.fastembed;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.fastembed.catalog.ModelDescription;
import dev.fastembed.catalog.ModelKind;
import dev.fastembed.testing.ColPaliModels;
import dev.fastembed.testing.TestImages;
import dev.fastembed.testing.TestModels;
import dev.fastembed.testing.TinyOnnx;
import dev.fastembed.testing.TokenRows;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.fastembed.testing.TinyOnnx.FLOAT;
import static dev.fastembed.testing.TinyOnnx.INT64;
import static dev.fastembed.testing.TinyOnnx.attr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * LateInteractionMultimodalEmbedding on a graph with ColPali's interface ({@code input_ids}, {@code attention_mask},
 * {@code pixel_values} [batch, 3, 448, 448] → [batch, tokens, 5]) whose token vectors spell out the token id, the
 * attention mask and the largest value of each channel of the image they were fed with, and ColPali's
 * {@code preprocessor_config.json}. Expected token sequences come from Hugging Face tokenizers (DJL) on the same
 * tokenizer.json and fastembed's constants (colpali.py), assembled here by hand; expected pixels from the
 * SigLIP arithmetic written out below.
 */
class LateInteractionMultimodalEmbeddingTest {

    // fastembed's colpali.py: QUERY_MARKER_TOKEN_ID, the <image> token, EMPTY_TEXT_PLACEHOLDER's tail
    static final long[] QUERY_START_IDS = {2, 5098};
    static final long IMAGE_TOKEN = 257152;
    static final long[] IMAGE_PROMPT = {2, 50721, 573, 2416, 235265, 108};
    static final int IMAGE_TOKENS = 1024;
    static final int DIMENSION = ColPaliModels.DIMENSION;
    static final float ID_SCALE = ColPaliModels.ID_SCALE;
    static final Color RED = new Color(200, 30, 40);
    static final Color BLUE = new Color(10, 60, 230);

    @TempDir
    static Path dir;
    static Path tokenizer;
    static Path preprocessor;
    static HuggingFaceTokenizer oracle;
    static LateInteractionMultimodalEmbedding colpali;

    @BeforeAll
    static void load() throws IOException {
        tokenizer = TestModels.BGE_SMALL_EN_V15.tokenizer();
        oracle = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizer).optTruncation(true).optMaxLength(512)
                .optPadding(false).build();
        preprocessor = Files.writeString(dir.resolve("preprocessor_config.json"), ColPaliModels.PREPROCESSOR);
        colpali = LateInteractionMultimodalEmbedding.builder()
                .modelFiles(files(ColPaliModels.graph(dir, "output_embeddings", true))).batchSize(2).build();
    }

    @AfterAll
    static void close() {
        colpali.close();
        oracle.close();
    }

    // ---- queries ----

    @Test
    void queryIsFastembedsPromptWithItsFirstTwoIdsReplaced() {
        String query = "hello world";
        List<Long> expected = oracleIds("<s>Query: " + query + "<pad>".repeat(10) + "\n");
        expected.set(0, QUERY_START_IDS[0]);
        expected.set(1, QUERY_START_IDS[1]);
        float[][] vectors = colpali.embedText(query);
        assertThat(ids(vectors)).containsExactlyElementsOf(expected);
        assertThat(column(vectors, 1)).as("every prompt token is attended").containsOnly(1f);
        for (int channel = 0; channel < 3; channel++) {
            assertThat(column(vectors, 2 + channel)).as("beside a blank image").containsOnly(0f);
        }
    }

    @Test
    void batchedQueriesKeepOnlyTheirOwnTokensInInputOrder() {
        List<String> queries = List.of("short", "a much longer query with many more tokens than the first one has",
                "", "medium, with punctuation!", "short again");
        List<float[][]> batch = colpali.embedText(queries);
        assertThat(batch).hasSize(queries.size());
        for (int i = 0; i < queries.size(); i++) {
            assertThat(batch.get(i)).as("query %d", i).isDeepEqualTo(colpali.embedText(queries.get(i)));
        }
        assertThat(colpali.embedText(List.of())).isEmpty();
    }

    // ---- images ----

    @Test
    void imageIsFedWithPaliGemmasPromptAndGetsAVectorPerPromptToken() {
        float[][] vectors = colpali.embedImageBytes(png(RED, 300, 200));
        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < IMAGE_TOKENS; i++) {
            expected.add(IMAGE_TOKEN);
        }
        for (long id : IMAGE_PROMPT) {
            expected.add(id);
        }
        assertThat(vectors).hasNumberOfRows(1030);
        assertThat(ids(vectors)).containsExactlyElementsOf(expected);
        assertThat(column(vectors, 1)).containsOnly(1f);
    }

    @Test
    void imagePixelsAreResizedRescaledAndNormalizedToMinusOneToOne() {
        // A solid image stays solid through the 448x448 resize: each channel is (v / 255 - 0.5) / 0.5.
        float[][] vectors = colpali.embedImageBytes(png(RED, 300, 200));
        int[] rgb = {RED.getRed(), RED.getGreen(), RED.getBlue()};
        for (int channel = 0; channel < 3; channel++) {
            float rescaled = (float) (rgb[channel] * 0.00392156862745098);
            float expected = (rescaled - 0.5f) / 0.5f;
            for (float[] vector : vectors) {
                assertThat(vector[2 + channel]).as("channel %d", channel).isCloseTo(expected, within(1e-6f));
            }
        }
    }

    @Test
    void imagesKeepInputOrderAcrossBatchesAndFilesEqualBytes() throws IOException {
        List<byte[]> images = List.of(png(RED, 64, 64), png(BLUE, 32, 80), png(RED, 10, 10), png(BLUE, 500, 20),
                png(RED, 7, 3));
        List<float[][]> batch = colpali.embedImageBytes(images);
        assertThat(batch).hasSize(images.size());
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            assertThat(batch.get(i)).as("image %d", i).isDeepEqualTo(colpali.embedImageBytes(images.get(i)));
            files.add(Files.write(dir.resolve("page-" + i + ".png"), images.get(i)));
        }
        assertThat(colpali.embedImages(files)).usingRecursiveComparison().isEqualTo(batch);
        assertThat(batch.get(0)[0][2]).as("red and blue pages differ").isNotEqualTo(batch.get(1)[0][2]);
    }

    @Test
    void aCorruptImageFailsTheCallNamingItsIndexAndTheModelStaysUsable() {
        byte[] good = png(RED, 20, 20);
        assertThatThrownBy(() -> colpali.embedImageBytes(List.of(good, TestImages.truncated(good, 60))))
                .isInstanceOfSatisfying(FastEmbedException.class,
                        e -> assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.IMAGE))
                .hasMessageContaining("image 1");
        assertThatThrownBy(() -> colpali.embedImage(dir.resolve("missing.png")))
                .isInstanceOfSatisfying(FastEmbedException.class,
                        e -> assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.IO))
                .hasMessageContaining("missing.png");
        assertThat(colpali.embedImageBytes(good)).hasNumberOfRows(1030);
    }

    // ---- the model ----

    @Test
    void dimensionComesFromTheModelAndVectorsAreTheModelsOwnUnlessNormalizationIsAsked() throws IOException {
        assertThat(colpali.dimension()).isEqualTo(DIMENSION);
        try (LateInteractionMultimodalEmbedding normalized = LateInteractionMultimodalEmbedding.builder()
                .modelFiles(files(ColPaliModels.graph(dir, "output_embeddings", false))).normalize(true).build()) {
            assertThat(normalized.dimension()).as("learnt from a run: the graph declares no size").isEqualTo(DIMENSION);
            float[][] raw = colpali.embedText("norms");
            float[][] unit = normalized.embedText("norms");
            for (int t = 0; t < raw.length; t++) {
                double norm = 0;
                for (float x : raw[t]) {
                    norm += x * x;
                }
                for (int d = 0; d < DIMENSION; d++) {
                    assertThat(unit[t][d]).isCloseTo((float) (raw[t][d] / Math.sqrt(norm)), within(1e-6f));
                }
            }
        }
    }

    @Test
    void aModelWithoutPixelValuesIsRefusedNamingTheInput() {
        Path textOnly = TinyOnnx.graph("text-only")
                .input("input_ids", INT64, "batch", "sequence")
                .initializer("axis", new long[] {2}, 1)
                .node("Cast", "ids", List.of("input_ids"), attr("to", (long) FLOAT))
                .node("Unsqueeze", "out", List.of("ids", "axis"))
                .output("out", FLOAT, "batch", "sequence", 1)
                .write(dir.resolve("text-only.onnx"));
        assertThatThrownBy(() -> LateInteractionMultimodalEmbedding.builder().modelFiles(files(textOnly)).build())
                .isInstanceOfSatisfying(FastEmbedException.class,
                        e -> assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.INVALID_MODEL))
                .hasMessageContaining("'pixel_values'");
        assertThatThrownBy(() -> LateInteractionMultimodalEmbedding.builder()
                .modelFiles(ModelFiles.of(textOnly, tokenizer)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("preprocessor_config.json");
    }

    @Test
    void closedModelRejectsCalls() {
        LateInteractionMultimodalEmbedding model = LateInteractionMultimodalEmbedding.builder()
                .modelFiles(files(ColPaliModels.graph(dir, "output_embeddings", true))).build();
        model.close();
        assertThatThrownBy(() -> model.embedText("x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> model.embedImageBytes(png(RED, 4, 4))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void planAutoKeepsSingleRunWithoutCachingAChoiceItCouldNotMeasure() throws IOException {
        // Calibration has no synthetic pixel_values: auto must still load (as the starter's default does) and
        // remember nothing, so a later load is not pinned to a plan nobody timed.
        Path plans = Files.createDirectories(dir.resolve("plans"));
        try (LateInteractionMultimodalEmbedding auto = LateInteractionMultimodalEmbedding.builder()
                .modelFiles(files(ColPaliModels.graph(dir, "output_embeddings", true))).plan(Plan.AUTO)
                .planCacheDir(plans).build()) {
            assertThat(auto.embedText("late interaction")).isDeepEqualTo(colpali.embedText("late interaction"));
        }
        try (var cached = Files.list(plans)) {
            assertThat(cached).isEmpty();
        }
    }

    @Test
    void catalogueHasColPaliWithItsFilesAndNoOwnNormalization() {
        ModelDescription colpaliModel = LateInteractionMultimodalEmbedding.listSupportedModels().getFirst();
        assertThat(colpaliModel.name()).isEqualTo("Qdrant/colpali-v1.3-fp16");
        assertThat(colpaliModel.kind()).isEqualTo(ModelKind.LATE_INTERACTION_MULTIMODAL);
        assertThat(colpaliModel.dimension()).isEqualTo(128);
        assertThat(colpaliModel.normalize()).isFalse();
        assertThat(colpaliModel.files()).contains("model.onnx", "model.onnx_data", "tokenizer.json",
                "preprocessor_config.json");
    }

    // ---- helpers ----

    static ModelFiles files(Path model) {
        return new ModelFiles(model, tokenizer, null, null, null, preprocessor);
    }

    static byte[] png(Color color, int width, int height) {
        return TestImages.encode(TestImages.solid(width, height, color), "png");
    }

    List<Long> oracleIds(String text) {
        return TokenRows.oracleIds(oracle, text);
    }

    static List<Long> ids(float[][] vectors) {
        return TokenRows.ids(vectors, ID_SCALE);
    }

    static List<Float> column(float[][] vectors, int index) {
        return TokenRows.column(vectors, index);
    }
}
