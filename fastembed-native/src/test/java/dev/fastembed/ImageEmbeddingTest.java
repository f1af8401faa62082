package dev.fastembed;

import dev.fastembed.catalog.ModelDescription;
import dev.fastembed.testing.ClipModels;
import dev.fastembed.testing.TestImages;
import dev.fastembed.testing.TinyOnnx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.fastembed.testing.TinyOnnx.FLOAT;
import static dev.fastembed.testing.TinyOnnx.attr;
import static dev.fastembed.testing.TinyOnnx.ints;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * ImageEmbedding on small ONNX graphs with the I/O of the real models (CLIP vision: {@code pixel_values}
 * [batch, 3, 224, 224] → {@code image_embeds} [batch, 512] and {@code last_hidden_state}), CLIP's real
 * preprocessor_config.json, and pictures drawn here. Expected values are computed in the test from CLIP's
 * mean/std and the colours drawn.
 */
class ImageEmbeddingTest {

    static final String CLIP_PREPROCESSOR = ClipModels.PREPROCESSOR_CONFIG;
    static final double RESCALE = 0.00392156862745098;
    static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};
    static final int SIDE = 224;
    static final int PLANE = SIDE * SIDE;

    static final Color RED = new Color(200, 30, 40);
    static final Color BLUE = new Color(10, 60, 230);

    @TempDir
    static Path dir;
    static Path config;
    static ImageEmbedding clip;
    static ImageEmbedding pixels;

    @BeforeAll
    static void load() throws IOException {
        config = Files.writeString(dir.resolve("preprocessor_config.json"), CLIP_PREPROCESSOR);
        clip = ImageEmbedding.builder().modelFiles(ModelFiles.image(clipVision(dir), config)).build();
        pixels = ImageEmbedding.builder().modelFiles(ModelFiles.image(pixelsExposed(dir), config))
                .normalize(false).batchSize(2).build();
    }

    @AfterAll
    static void close() {
        clip.close();
        pixels.close();
    }

    // ---- preprocessing, checked through a graph that outputs its input ----

    @Test
    void solidColourBecomesRescaledNormalizedChannelPlanes() {
        // 300x200: shortest edge 200 is resized to 224, then the middle 224 columns are cropped.
        float[] tensor = pixels.embedBytes(TestImages.encode(TestImages.solid(300, 200, RED), "png"));
        assertThat(tensor).hasSize(3 * PLANE);
        int[] rgb = {RED.getRed(), RED.getGreen(), RED.getBlue()};
        for (int c = 0; c < 3; c++) {
            float expected = channelValue(rgb[c], c);
            for (int i = 0; i < PLANE; i++) {
                assertThat(tensor[c * PLANE + i]).as("channel %d pixel %d", c, i).isCloseTo(expected, within(1e-6f));
            }
        }
    }

    @Test
    void centerCropKeepsTheMiddleRowsOfATallImage() {
        // 224x448: no resize; the crop keeps rows 112..335, i.e. 112 red rows above 112 blue rows.
        float[] tensor = pixels.embedBytes(TestImages.encode(TestImages.halves(SIDE, 2 * SIDE, RED, BLUE), "png"));
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < SIDE; y++) {
                Color colour = y < SIDE / 2 ? RED : BLUE;
                float expected = channelValue(component(colour, c), c);
                for (int x = 0; x < SIDE; x += 37) {
                    assertThat(tensor[c * PLANE + y * SIDE + x]).as("c=%d y=%d x=%d", c, y, x)
                            .isCloseTo(expected, within(1e-6f));
                }
            }
        }
    }

    @Test
    void losslessFormatsDecodeToTheColourDrawn() {
        BufferedImage picture = TestImages.solid(64, 48, BLUE);
        for (String format : List.of("png", "bmp", "gif", "tiff")) {
            float[] tensor = pixels.embedBytes(TestImages.encode(picture, format));
            for (int c = 0; c < 3; c++) {
                assertThat(tensor[c * PLANE + PLANE / 2]).as(format + " channel " + c)
                        .isCloseTo(channelValue(component(BLUE, c), c), within(1e-6f));
            }
        }
    }

    @Test
    void jpegDecodesWithinAFewLevelsOfTheColourDrawn() {
        float[] tensor = pixels.embedBytes(TestImages.encode(TestImages.solid(80, 80, BLUE), "jpeg"));
        for (int c = 0; c < 3; c++) {
            float levels = 3 / 255f / STD[c];
            assertThat(tensor[c * PLANE + 1000]).isCloseTo(channelValue(component(BLUE, c), c), within(levels));
        }
    }

    // ---- output selection, pooling and normalization ----

    @Test
    void clipVisionReadsImageEmbedsNotTheHiddenStates() {
        assertThat(clip.dimension()).isEqualTo(512);
        float[] vector = clip.embedBytes(TestImages.encode(TestImages.solid(240, 240, RED), "png"));
        float[] expected = normalized(ClipModels.projectChannels(channelValues(RED)));
        assertThat(vector).containsExactly(expected, within(1e-5f));
    }

    @Test
    void vectorsAreUnitLength() {
        for (float[] vector : clip.embedBytes(List.of(png(RED), png(BLUE), png(Color.WHITE), png(Color.BLACK)))) {
            assertThat(norm(vector)).isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void aConfiguredOutputWithTokensIsClsPooled() {
        try (ImageEmbedding hidden = ImageEmbedding.builder().modelFiles(ModelFiles.image(clipVision(dir), config))
                .outputName("last_hidden_state").build()) {
            assertThat(hidden.dimension()).isEqualTo(768);
            // The first token holds the first 768 values of the red plane: all equal, so 1/sqrt(768) each.
            float[] vector = hidden.embedBytes(png(RED));
            for (float v : vector) {
                assertThat(v).isCloseTo((float) (1 / Math.sqrt(768)), within(1e-6f));
            }
        }
    }

    @Test
    void patchTokensArePooledWithTheFirstTokenOrTheMean() throws IOException {
        // One token per pixel; the top-left pixel (the first token) is red, the rest blue.
        BufferedImage picture = TestImages.solid(SIDE, SIDE, BLUE);
        picture.setRGB(0, 0, RED.getRGB());
        byte[] png = TestImages.encode(picture, "png");
        Path model = patchTokens(dir);
        try (ImageEmbedding cls = ImageEmbedding.builder().modelFiles(ModelFiles.image(model, config)).build();
             ImageEmbedding mean = ImageEmbedding.builder().modelFiles(ModelFiles.image(model, config))
                     .pooling(Pooling.MEAN).build()) {
            assertThat(cls.embedBytes(png)).containsExactly(normalized(channelValues(RED)), within(1e-6f));
            float[] red = channelValues(RED);
            float[] blue = channelValues(BLUE);
            float[] average = new float[3];
            for (int c = 0; c < 3; c++) {
                average[c] = (red[c] + (PLANE - 1) * blue[c]) / PLANE;
            }
            // a float32 sum over 50176 tokens: a few units in the fourth decimal
            assertThat(mean.embedBytes(png)).containsExactly(normalized(average), within(5e-4f));
        }
    }

    @Test
    void anyNamedOnlyInputIsFedAndFourDimensionalOutputsAreFlattened() throws IOException {
        try (ImageEmbedding resnet = ImageEmbedding.builder().modelFiles(ModelFiles.image(resnetLike(dir), config))
                .normalize(false).build()) {
            assertThat(resnet.dimension()).isEqualTo(3);
            // ONNX Runtime's float32 ReduceMean over 50176 pixels: a few units in the fourth decimal
            assertThat(resnet.embedBytes(png(RED))).containsExactly(channelValues(RED), within(5e-4f));
        }
    }

    // ---- inputs ----

    @Test
    void filesAndBytesGiveTheSameVector() throws IOException {
        byte[] jpeg = TestImages.encode(TestImages.halves(120, 90, RED, BLUE), "jpeg");
        Path file = Files.write(dir.resolve("halves.jpg"), jpeg);
        assertThat(clip.embed(file)).containsExactly(clip.embedBytes(jpeg), within(0f));
    }

    @Test
    void batchesKeepInputOrder() throws IOException {
        List<Color> colours = List.of(RED, BLUE, Color.GREEN, Color.ORANGE, Color.GRAY);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < colours.size(); i++) {
            files.add(Files.write(dir.resolve("colour-" + i + ".png"), png(colours.get(i))));
        }
        // batch size 2: three runs, the last with one image
        float[][] tensors = pixels.embed(files);
        for (int i = 0; i < colours.size(); i++) {
            for (int c = 0; c < 3; c++) {
                assertThat(tensors[i][c * PLANE]).isCloseTo(channelValue(component(colours.get(i), c), c), within(1e-6f));
            }
        }
    }

    @Test
    void concurrentCallsGiveTheSameVectorsAsSequentialOnes() throws Exception {
        List<byte[]> images = List.of(png(RED), png(BLUE), TestImages.encode(TestImages.halves(90, 70, RED, BLUE), "jpeg"));
        float[][] sequential = clip.embedBytes(images);
        try (var executor = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            List<java.util.concurrent.Future<float[][]>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(executor.submit(() -> clip.embedBytes(images)));
            }
            for (var result : results) {
                assertThat(result.get()).isDeepEqualTo(sequential);
            }
        }
    }

    @Test
    void emptyListsGiveNoVectors() {
        assertThat(clip.embed(List.of())).isEmpty();
        assertThat(clip.embedBytes(List.of())).isEmpty();
    }

    // ---- bad input: a clear error naming the image, and the model stays usable ----

    @Test
    void corruptImageIsReportedWithItsIndex() {
        byte[] png = png(RED);
        assertImageError(List.of(png, TestImages.truncated(png, 60)), "image 1", FastEmbedException.Kind.IMAGE);
    }

    @Test
    void unsupportedAndUnknownFormatsAreReported() {
        byte[] pdf = "%PDF-1.4\n1 0 obj << >> endobj\n".getBytes();
        assertImageError(List.of(pdf), "image 0: unsupported image format PDF", FastEmbedException.Kind.IMAGE);
        byte[] text = "just some text, not a picture".getBytes();
        assertImageError(List.of(png(RED), text), "image 1: unrecognised image data", FastEmbedException.Kind.IMAGE);
    }

    @Test
    void emptyAndZeroSizeImagesAreReported() {
        assertImageError(List.of(png(RED), new byte[0]), "image 1: image data is empty", FastEmbedException.Kind.IMAGE);
        assertImageError(List.of(TestImages.bmpWithZeroWidth()), "zero size", FastEmbedException.Kind.IMAGE);
    }

    @Test
    void decompressionBombIsRefusedByTheSizeLimit() {
        // 100000 x 100000 pixels claimed by a 60-byte file: refused from the header, before allocation.
        assertImageError(List.of(TestImages.pngClaiming(100_000, 100_000)), "exceeds the limit",
                FastEmbedException.Kind.IMAGE);
        assertImageError(List.of(TestImages.pngClaiming(15_000, 15_000)), "exceeds the limit of 50000000 pixels",
                FastEmbedException.Kind.IMAGE);
    }

    @Test
    void configuredLimitsApply() throws IOException {
        try (ImageEmbedding strict = ImageEmbedding.builder().modelFiles(ModelFiles.image(clipVision(dir), config))
                .imageLimits(ImageLimits.defaults().withMaxPixels(1000)).build()) {
            assertThatThrownBy(() -> strict.embedBytes(TestImages.encode(TestImages.solid(40, 30, RED), "png")))
                    .isInstanceOf(FastEmbedException.class)
                    .hasMessageContaining("exceeds the limit of 1000 pixels");
            assertThat(strict.embedBytes(TestImages.encode(TestImages.solid(40, 25, RED), "png"))).hasSize(512);
        }
        try (ImageEmbedding small = ImageEmbedding.builder().modelFiles(ModelFiles.image(clipVision(dir), config))
                .imageLimits(ImageLimits.defaults().withMaxBytes(100)).build()) {
            Path file = Files.write(dir.resolve("large.bmp"), TestImages.encode(TestImages.solid(20, 20, RED), "bmp"));
            assertThatThrownBy(() -> small.embed(file)).isInstanceOf(FastEmbedException.class)
                    .hasMessageContaining("image 0").hasMessageContaining("more than the limit of 100 bytes");
        }
    }

    @Test
    void missingFileIsAnIoErrorNamingThePath() {
        Path missing = dir.resolve("no-such-picture.png");
        assertThatThrownBy(() -> clip.embed(List.of(missing)))
                .isInstanceOfSatisfying(FastEmbedException.class,
                        e -> assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.IO))
                .hasMessageContaining("image 0").hasMessageContaining(missing.toString());
        assertThatThrownBy(() -> clip.embed(dir)).isInstanceOf(FastEmbedException.class)
                .hasMessageContaining("not a regular file");
        assertThat(clip.embedBytes(png(RED))).hasSize(512);
    }

    @Test
    void corruptFileIsNamedByItsPath() throws IOException {
        Path good = Files.write(dir.resolve("good.png"), png(BLUE));
        Path bad = Files.write(dir.resolve("bad.png"), TestImages.truncated(png(BLUE), 40));
        assertThatThrownBy(() -> clip.embed(List.of(good, good, bad)))
                .isInstanceOf(FastEmbedException.class)
                .hasMessageContaining("image 2 (" + bad + ")");
        assertThat(clip.embed(good)).hasSize(512);
    }

    @Test
    void nullInputsAreRejected() {
        assertThatThrownBy(() -> clip.embed((List<Path>) null)).isInstanceOf(IllegalArgumentException.class);
        List<Path> withNull = new ArrayList<>();
        withNull.add(null);
        assertThatThrownBy(() -> clip.embed(withNull)).hasMessage("images[0] is null");
        List<byte[]> bytesWithNull = new ArrayList<>(List.of(png(RED)));
        bytesWithNull.add(null);
        assertThatThrownBy(() -> clip.embedBytes(bytesWithNull)).hasMessage("images[1] is null");
    }

    @Test
    void closedModelRejectsCalls() {
        ImageEmbedding model = ImageEmbedding.builder().modelFiles(ModelFiles.image(clipVision(dir), config)).build();
        model.close();
        model.close();
        assertThat(model.isClosed()).isTrue();
        assertThatThrownBy(() -> model.embedBytes(png(RED))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    // ---- loading ----

    @Test
    void modelWithoutPreprocessorConfigIsRejected() {
        assertThatThrownBy(() -> ImageEmbedding.builder()
                .modelFiles(new ModelFiles(clipVision(dir), null, null, null, null, null)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("preprocessor_config.json");
    }

    @Test
    void preprocessorSizeMustFitTheModelInput() throws IOException {
        Path larger = Files.writeString(dir.resolve("crop-256.json"), CLIP_PREPROCESSOR
                .replace("\"height\": 224, \"width\": 224", "\"height\": 256, \"width\": 256"));
        assertThatThrownBy(() -> ImageEmbedding.builder().modelFiles(ModelFiles.image(clipVision(dir), larger)).build())
                .isInstanceOfSatisfying(FastEmbedException.class,
                        e -> assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.INVALID_MODEL))
                .hasMessageContaining("produces [batch, 3, 256, 256]");
    }

    @Test
    void catalogueListsFastembedsImageModels() {
        assertThat(ImageEmbedding.listSupportedModels()).extracting(ModelDescription::name, ModelDescription::dimension)
                .contains(org.assertj.core.groups.Tuple.tuple("Qdrant/clip-ViT-B-32-vision", 512),
                        org.assertj.core.groups.Tuple.tuple("Qdrant/resnet50-onnx", 2048),
                        org.assertj.core.groups.Tuple.tuple("Qdrant/Unicom-ViT-B-16", 768),
                        org.assertj.core.groups.Tuple.tuple("Qdrant/Unicom-ViT-B-32", 512),
                        org.assertj.core.groups.Tuple.tuple("nomic-ai/nomic-embed-vision-v1.5", 768));
        assertThat(ImageEmbedding.listSupportedModels()).allSatisfy(m ->
                assertThat(m.configFiles()).containsExactly("preprocessor_config.json"));
    }

    // ---- helpers ----

    private static void assertImageError(List<byte[]> images, String message, FastEmbedException.Kind kind) {
        assertThatThrownBy(() -> clip.embedBytes(images))
                .isInstanceOfSatisfying(FastEmbedException.class, e -> assertThat(e.kind()).isEqualTo(kind))
                .hasMessageContaining(message);
        assertThat(clip.embedBytes(png(BLUE))).as("the model stays usable").hasSize(512);
    }

    /** CLIP preprocessing of one 8-bit value, in the arithmetic fastembed uses (float64 rescale, float32 normalize). */
    static float channelValue(int value, int channel) {
        float rescaled = (float) (value * RESCALE);
        return (rescaled - MEAN[channel]) / STD[channel];
    }

    static float[] channelValues(Color colour) {
        return new float[] {channelValue(colour.getRed(), 0), channelValue(colour.getGreen(), 1),
                channelValue(colour.getBlue(), 2)};
    }

    static int component(Color colour, int channel) {
        return switch (channel) {
            case 0 -> colour.getRed();
            case 1 -> colour.getGreen();
            default -> colour.getBlue();
        };
    }

    static byte[] png(Color colour) {
        return TestImages.encode(TestImages.solid(32, 32, colour), "png");
    }

    static float[] normalized(float[] v) {
        double norm = norm(v);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / norm);
        }
        return out;
    }

    static double norm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        return Math.sqrt(sum);
    }

    // ---- graphs ----

    /** CLIP ViT-B/32 vision's interface (see {@link ClipModels#visionTower}). */
    static Path clipVision(Path dir) {
        return ClipModels.visionTower(dir.resolve("clip-vision.onnx"));
    }

    /** Outputs its input, flattened: [batch, 3 * 224 * 224]. */
    static Path pixelsExposed(Path dir) {
        return TinyOnnx.graph("pixels")
                .input("pixel_values", FLOAT, "batch", 3, SIDE, SIDE)
                .node("Flatten", "pixels", List.of("pixel_values"), attr("axis", 1))
                .output("pixels", FLOAT, "batch", 3 * PLANE)
                .write(dir.resolve("pixels.onnx"));
    }

    /** A ViT-like [batch, tokens, 3] output with one token per pixel, the top-left pixel first. */
    static Path patchTokens(Path dir) {
        return TinyOnnx.graph("patches")
                .input("pixel_values", FLOAT, "batch", 3, SIDE, SIDE)
                .initializer("planes", new long[] {0, 3, -1}, 3)
                .node("Reshape", "channels_first", List.of("pixel_values", "planes"))
                .node("Transpose", "last_hidden_state", List.of("channels_first"), ints("perm", 0, 2, 1))
                .output("last_hidden_state", FLOAT, "batch", "tokens", 3)
                .write(dir.resolve("patches.onnx"));
    }

    /** A ResNet-like model: input named "input", output [batch, 3, 1, 1] (channel means). */
    static Path resnetLike(Path dir) {
        return TinyOnnx.graph("resnet")
                .input("input", FLOAT, "batch", 3, SIDE, SIDE)
                .node("ReduceMean", "output", List.of("input"), ints("axes", 2, 3), attr("keepdims", 1))
                .output("output", FLOAT, "batch", 3, 1, 1)
                .write(dir.resolve("resnet.onnx"));
    }
}
