package dev.fastembed;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.fastembed.testing.ColModernVbertModels;
import dev.fastembed.testing.TestImages;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * LateInteractionMultimodalEmbedding with ColModernVBERT's interface (an Idefics3 preprocessor_config.json, a 5-D
 * {@code pixel_values}) on a generated graph whose token vectors spell out the token id, the attention mask, the
 * number of frames of the row and its largest pixel value. Expected token sequences: the prompts written out here
 * from fastembed's colmodernvbert.py (and Idefics3's processor), tokenized by Hugging Face tokenizers (DJL) on the
 * same tokenizer.json; expected grids derived by hand from fastembed's resize and split arithmetic.
 */
class ColModernVbertEmbeddingTest {

    static final Color RED = new Color(200, 30, 40);
    static final Color BLUE = new Color(10, 60, 230);

    @TempDir
    static Path dir;
    static HuggingFaceTokenizer oracle;
    static LateInteractionMultimodalEmbedding rightPadded;
    static LateInteractionMultimodalEmbedding leftPadded;

    @BeforeAll
    static void load() throws IOException {
        Path right = ColModernVbertModels.directory(dir.resolve("right"), "Right");
        Path left = ColModernVbertModels.directory(dir.resolve("left"), "Left");
        oracle = HuggingFaceTokenizer.builder().optTokenizerPath(right.resolve("tokenizer.json"))
                .optTruncation(false).optPadding(false).build();
        rightPadded = LateInteractionMultimodalEmbedding.builder().modelFiles(ModelFiles.inDirectory(right))
                .batchSize(3).build();
        leftPadded = LateInteractionMultimodalEmbedding.builder().modelFiles(ModelFiles.inDirectory(left))
                .batchSize(3).build();
    }

    @AfterAll
    static void close() {
        rightPadded.close();
        leftPadded.close();
        oracle.close();
    }

    @Test
    void queryIsTheTextWithTenEndOfUtteranceTokensBesideOneBlankFrame() {
        float[][] vectors = rightPadded.embedText("hello world");
        assertThat(ids(vectors)).containsExactlyElementsOf(oracleIds("hello world" + "<end_of_utterance>".repeat(10)));
        assertThat(column(vectors, 1)).as("attended").containsOnly(1f);
        assertThat(column(vectors, 2)).as("one frame").containsOnly(1f);
        assertThat(column(vectors, 3)).as("blank").containsOnly(0f);
    }

    @Test
    void batchedQueriesKeepOnlyTheirOwnTokensOnEitherPaddingSide() {
        List<String> queries = List.of("short", "a much longer query with many more tokens than the first", "", "x y");
        for (LateInteractionMultimodalEmbedding model : List.of(rightPadded, leftPadded)) {
            List<float[][]> batch = model.embedText(queries);
            for (int i = 0; i < queries.size(); i++) {
                assertThat(ids(batch.get(i))).as("query %d", i)
                        .containsExactlyElementsOf(oracleIds(queries.get(i) + "<end_of_utterance>".repeat(10)));
                assertThat(batch.get(i)).isDeepEqualTo(model.embedText(queries.get(i)));
            }
        }
    }

    @Test
    void landscapeImageIsCutIntoItsGridPlusAGlobalViewAndPromptedTileByTile() {
        // 70x50 -> longest edge 96: 96 x int(96 / 1.4) = 96x68 -> sides up to multiples of 32: 96x96 -> 3 x 3 + 1.
        float[][] vectors = rightPadded.embedImageBytes(png(RED, 70, 50));
        assertThat(ids(vectors)).containsExactlyElementsOf(oracleIds(prompt(3, 3)));
        assertThat(column(vectors, 1)).containsOnly(1f);
        assertThat(column(vectors, 2)).as("frames fed").containsOnly(10f);
        // A solid colour stays solid through every Lanczos resize: the largest value is red's (v / 255 - 0.5) / 0.5.
        float red = (float) (RED.getRed() * 0.00392156862745098);
        assertThat(column(vectors, 3)).containsOnly((red - 0.5f) / 0.5f);
    }

    @Test
    void portraitImageIsCutIntoThreeRowsOfTwo() {
        // 40x110 -> int(96 * 40 / 110) = 34 x 96 -> 64x96: 3 rows of 2 tiles (fastembed, which infers the grid from
        // the frame count, would label them as 2 rows of 3; Idefics3's processor and this engine use the real grid).
        float[][] vectors = rightPadded.embedImageBytes(png(BLUE, 40, 110));
        assertThat(ids(vectors)).containsExactlyElementsOf(oracleIds(prompt(3, 2)));
        assertThat(column(vectors, 2)).containsOnly(7f);
    }

    @Test
    void anImageOfOneFrameIsNotSplitAndGetsTheSingleImagePrompt() throws IOException {
        // Longest edge 30: 70x50 -> 30 x int(30 / 1.4) = 30x21 -> 30x22 -> up to 32x32, one frame, no global view.
        Path single = ColModernVbertModels.directory(dir.resolve("single"), "Right");
        Files.writeString(single.resolve("preprocessor_config.json"),
                ColModernVbertModels.PREPROCESSOR.replace("\"longest_edge\": 96", "\"longest_edge\": 30"));
        try (LateInteractionMultimodalEmbedding model = LateInteractionMultimodalEmbedding.builder()
                .modelFiles(ModelFiles.inDirectory(single)).build()) {
            float[][] vectors = model.embedImageBytes(png(RED, 70, 50));
            String image = "<image>".repeat(ColModernVbertModels.IMAGE_SEQ_LEN);
            assertThat(ids(vectors)).containsExactlyElementsOf(oracleIds("<|begin_of_text|>User:"
                    + "<fake_token_around_image><global-img>" + image + "<fake_token_around_image>"
                    + "Describe the image.<end_of_utterance>\nAssistant:"));
            assertThat(column(vectors, 2)).containsOnly(1f);
        }
    }

    @Test
    void batchedImagesKeepTheirOwnTokensAndPixelsOnEitherPaddingSide() throws IOException {
        List<byte[]> images = List.of(png(RED, 70, 50), png(BLUE, 40, 110), png(RED, 300, 20), png(BLUE, 20, 20));
        // 300x20 -> 96x6 -> 96x32: one row of 3 tiles; 20x20 -> 96x96: 3 x 3.
        List<String> prompts = List.of(prompt(3, 3), prompt(3, 2), prompt(1, 3), prompt(3, 3));
        for (LateInteractionMultimodalEmbedding model : List.of(rightPadded, leftPadded)) {
            List<float[][]> batch = model.embedImageBytes(images);
            List<Path> files = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) {
                float[][] alone = model.embedImageBytes(images.get(i));
                assertThat(ids(batch.get(i))).as("image %d", i).containsExactlyElementsOf(oracleIds(prompts.get(i)));
                assertThat(column(batch.get(i), 1)).containsOnly(1f);
                assertThat(column(batch.get(i), 3)).as("its own pixels").isEqualTo(column(alone, 3));
                files.add(Files.write(dir.resolve("page-" + i + ".png"), images.get(i)));
            }
            assertThat(model.embedImages(files)).usingRecursiveComparison().isEqualTo(batch);
        }
    }

    @Test
    void aCorruptImageFailsTheCallNamingItsIndexAndTheModelStaysUsable() {
        byte[] good = png(RED, 20, 20);
        assertThatThrownBy(() -> rightPadded.embedImageBytes(List.of(good, TestImages.truncated(good, 60))))
                .isInstanceOfSatisfying(FastEmbedException.class,
                        e -> assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.IMAGE))
                .hasMessageContaining("image 1");
        assertThat(rightPadded.embedImageBytes(good)).hasNumberOfRows(oracleIds(prompt(3, 3)).size());
    }

    @Test
    void withoutProcessorConfigTheModelIsRefusedNamingTheFile() throws IOException {
        Path incomplete = ColModernVbertModels.directory(dir.resolve("incomplete"), "Right");
        Files.delete(incomplete.resolve("processor_config.json"));
        assertThatThrownBy(() -> LateInteractionMultimodalEmbedding.builder()
                .modelFiles(ModelFiles.inDirectory(incomplete)).build())
                .isInstanceOfSatisfying(FastEmbedException.class,
                        e -> assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.INVALID_MODEL))
                .hasMessageContaining("processor_config.json");
    }

    /** The prompt of an image cut into rows x cols tiles, as fastembed's colmodernvbert.py writes it out. */
    static String prompt(int rows, int cols) {
        String image = "<image>".repeat(ColModernVbertModels.IMAGE_SEQ_LEN);
        StringBuilder text = new StringBuilder("<|begin_of_text|>User:");
        for (int row = 1; row <= rows; row++) {
            for (int col = 1; col <= cols; col++) {
                text.append("<fake_token_around_image><row_").append(row).append("_col_").append(col).append('>')
                        .append(image);
            }
            text.append('\n');
        }
        return text.append("\n<fake_token_around_image><global-img>").append(image)
                .append("<fake_token_around_image>Describe the image.<end_of_utterance>\nAssistant:").toString();
    }

    static byte[] png(Color color, int width, int height) {
        return TestImages.encode(TestImages.solid(width, height, color), "png");
    }

    static List<Long> oracleIds(String text) {
        return TokenRows.oracleIds(oracle, text);
    }

    static List<Long> ids(float[][] vectors) {
        return TokenRows.ids(vectors, ColModernVbertModels.ID_SCALE);
    }

    static List<Float> column(float[][] vectors, int index) {
        return TokenRows.column(vectors, index);
    }
}
