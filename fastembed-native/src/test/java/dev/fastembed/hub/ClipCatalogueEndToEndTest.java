package dev.fastembed.hub;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.fastembed.ImageEmbedding;
import dev.fastembed.TextEmbedding;
import dev.fastembed.testing.ClipModels;
import dev.fastembed.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static dev.fastembed.testing.ClipModels.normalized;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Both CLIP towers loaded by their catalogue name ({@code ClipVitB32}) from a local stand-in for the hub that
 * serves the files the catalogue lists: the catalogue's output names, pooling and configuration files decide
 * what the engine reads. The ONNX files are small graphs with CLIP's interface (see {@link ClipModels}).
 */
class ClipCatalogueEndToEndTest {

    private static final String TEXT_REPO = "Qdrant/clip-ViT-B-32-text";
    private static final String VISION_REPO = "Qdrant/clip-ViT-B-32-vision";
    /** jina-clip-v1: both towers in one repository, under one catalogue name. */
    private static final String JINA_REPO = "jinaai/jina-clip-v1";
    private static final String JINA_PREPROCESSOR_CONFIG = """
            {"image_processor_type": "JinaCLIPImageProcessor", "interpolation": "bicubic", "size": 224,
             "fill_color": 0, "resize_mode": "shortest", "mean": [0.48145466, 0.4578275, 0.40821073],
             "std": [0.26862954, 0.26130258, 0.27577711]}""";

    @TempDir
    static Path temp;

    private static HubTestServer server;
    private static HubOptions options;
    private static HuggingFaceTokenizer oracle;

    @BeforeAll
    static void serveBothTowers() throws IOException {
        server = HubTestServer.start();
        server.addFile(TEXT_REPO, "model.onnx", Files.readAllBytes(ClipModels.textTower(temp.resolve("text.onnx"))), true);
        server.addFile(TEXT_REPO, "tokenizer.json", Files.readAllBytes(ClipModels.tokenizer()), false);
        server.addFile(TEXT_REPO, "config.json", utf8(ClipModels.TEXT_CONFIG), false);
        server.addFile(TEXT_REPO, "special_tokens_map.json", utf8(ClipModels.SPECIAL_TOKENS_MAP), false);
        server.addFile(TEXT_REPO, "tokenizer_config.json", utf8(ClipModels.TOKENIZER_CONFIG), false);
        server.addFile(VISION_REPO, "model.onnx",
                Files.readAllBytes(ClipModels.visionTower(temp.resolve("vision.onnx"))), true);
        server.addFile(VISION_REPO, "preprocessor_config.json", utf8(ClipModels.PREPROCESSOR_CONFIG), false);
        server.addFile(JINA_REPO, "onnx/text_model.onnx",
                Files.readAllBytes(ClipModels.textTower(temp.resolve("jina-text.onnx"))), true);
        server.addFile(JINA_REPO, "tokenizer.json", Files.readAllBytes(ClipModels.tokenizer()), false);
        server.addFile(JINA_REPO, "config.json", utf8(ClipModels.TEXT_CONFIG), false);
        server.addFile(JINA_REPO, "special_tokens_map.json", utf8(ClipModels.SPECIAL_TOKENS_MAP), false);
        server.addFile(JINA_REPO, "tokenizer_config.json", utf8(ClipModels.TOKENIZER_CONFIG), false);
        server.addFile(JINA_REPO, "onnx/vision_model.onnx",
                Files.readAllBytes(ClipModels.visionTower(temp.resolve("jina-vision.onnx"))), true);
        server.addFile(JINA_REPO, "preprocessor_config.json", utf8(JINA_PREPROCESSOR_CONFIG), false);
        options = HubOptions.builder().endpoint(server.endpoint()).cacheDir(temp.resolve("cache"))
                .environment(Map.of()).retries(0).readTimeout(Duration.ofSeconds(30)).build();
        oracle = HuggingFaceTokenizer.builder().optTokenizerPath(ClipModels.tokenizer()).optPadding(false)
                .optTruncation(true).optMaxLength(77).build();
    }

    @AfterAll
    static void stop() {
        server.close();
        oracle.close();
    }

    @Test
    void textTowerReadsTextEmbedsAndStopsAt77Tokens() {
        try (TextEmbedding text = TextEmbedding.builder().model("ClipVitB32").hubOptions(options).build()) {
            assertThat(text.dimension()).isEqualTo(512);
            String caption = "a photo of a red square";
            assertThat(text.embed(caption)).containsExactly(
                    normalized(ClipModels.textEmbeds(oracle.encode(caption).getIds())), within(1e-6f));

            // tokenizer_config.json's model_max_length (CLIP's 77 positions) bounds every text
            String longCaption = "a long caption that goes on and on ".repeat(20);
            long[] truncated = oracle.encode(longCaption).getIds();
            assertThat(truncated).hasSize(77);
            assertThat(text.embed(longCaption)).containsExactly(
                    normalized(ClipModels.textEmbeds(truncated)), within(1e-6f));
        }
    }

    @Test
    void imageTowerReadsImageEmbedsOfTheTextTowersSize() {
        try (ImageEmbedding image = ImageEmbedding.builder().model("ClipVitB32").hubOptions(options).build();
             TextEmbedding text = TextEmbedding.builder().model("ClipVitB32").hubOptions(options).build()) {
            assertThat(image.dimension()).isEqualTo(text.dimension()).isEqualTo(512);
            Color red = new Color(220, 20, 30);
            float[] vector = image.embedBytes(TestImages.encode(TestImages.solid(300, 260, red), "png"));
            float[] channels = new float[3];
            int[] rgb = {red.getRed(), red.getGreen(), red.getBlue()};
            float[] mean = {0.48145466f, 0.4578275f, 0.40821073f};
            float[] std = {0.26862954f, 0.26130258f, 0.27577711f};
            for (int c = 0; c < 3; c++) {
                channels[c] = ((float) (rgb[c] * 0.00392156862745098) - mean[c]) / std[c];
            }
            assertThat(vector).containsExactly(normalized(ClipModels.projectChannels(channels)), within(1e-5f));
        }
    }

    @Test
    void jinaClipsTowersLoadByOneNameAndTheirKind() {
        try (ImageEmbedding image = ImageEmbedding.builder().model("jinaai/jina-clip-v1").hubOptions(options).build();
             TextEmbedding text = TextEmbedding.builder().model("jinaai/jina-clip-v1").hubOptions(options).build()) {
            assertThat(image.dimension()).isEqualTo(text.dimension());
            String caption = "a photo of a red square";
            assertThat(text.embed(caption)).containsExactly(
                    normalized(ClipModels.textEmbeds(oracle.encode(caption).getIds())), within(1e-6f));
            // Shortest side resized to 224, then cropped to a centred square: a solid image stays solid.
            Color red = new Color(220, 20, 30);
            float[] vector = image.embedBytes(TestImages.encode(TestImages.solid(300, 260, red), "png"));
            assertThat(vector).containsExactly(normalized(ClipModels.projectChannels(clipChannels(red))), within(1e-5f));
        }
    }

    private static float[] clipChannels(Color color) {
        float[] channels = new float[3];
        int[] rgb = {color.getRed(), color.getGreen(), color.getBlue()};
        float[] mean = {0.48145466f, 0.4578275f, 0.40821073f};
        float[] std = {0.26862954f, 0.26130258f, 0.27577711f};
        for (int c = 0; c < 3; c++) {
            channels[c] = ((float) (rgb[c] * 0.00392156862745098) - mean[c]) / std[c];
        }
        return channels;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
