package dev.fastembed.hub;

import dev.fastembed.ModelFiles;
import dev.fastembed.ModelSetting;
import dev.fastembed.ModelSource;
import dev.fastembed.Pooling;
import dev.fastembed.TextEmbedding;
import dev.fastembed.testing.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The real bge-small-en-v1.5 (ONNX and tokenizer.json from the LangChain4j jar on the test class path) reached
 * through each kind of source: the catalogue entry served by the local hub, a folder, and the class path. The same
 * files must give the same vectors whichever way they arrived.
 */
class ModelSourceEndToEndTest {

    private static final String ONNX_RESOURCE = "bge-small-en-v1.5.onnx";
    private static final String TOKENIZER_RESOURCE = "bge-small-en-v1.5-tokenizer.json";
    private static final String CONFIGS = "dev/fastembed/hub/bge-small-en-v1.5/";
    private static final List<String> CONFIG_FILES = List.of("config.json", "special_tokens_map.json",
            "tokenizer_config.json");
    private static final List<String> TEXTS = List.of(
            "A cat is sleeping on the sofa.",
            "A kitten naps on the couch.",
            "Quantum chromodynamics describes the strong interaction between quarks and gluons.");

    @TempDir
    static Path temp;

    private static HubTestServer server;
    private static HubOptions options;

    @BeforeAll
    static void serveTheModelLikeHuggingFace() throws IOException {
        server = HubTestServer.start();
        String repo = "Xenova/bge-small-en-v1.5"; // the catalogue's repo for BGESmallENV15
        server.addFile(repo, "onnx/model.onnx", ModelSourceTest.resource(ONNX_RESOURCE), true);
        server.addFile(repo, "tokenizer.json", ModelSourceTest.resource(TOKENIZER_RESOURCE), false);
        for (String config : CONFIG_FILES) {
            server.addFile(repo, config, ModelSourceTest.resource(CONFIGS + config), false);
        }
        options = HubOptions.builder().endpoint(server.endpoint()).cacheDir(temp.resolve("cache"))
                .environment(Map.of()).retries(0).readTimeout(Duration.ofSeconds(30)).build();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void catalogueFolderAndClassPathGiveIdenticalVectors() throws IOException {
        ModelSource catalog = ModelSource.catalog("BGESmallENV15");
        ModelSource folder = ModelSource.directory(folderWithTheModel(temp.resolve("folder")));
        ModelSource classpath = ModelSource.classpath(ONNX_RESOURCE, TOKENIZER_RESOURCE,
                CONFIG_FILES.stream().map(name -> CONFIGS + name).toArray(String[]::new));

        float[][] fromHub = embed(catalog);
        float[][] fromFolder = embed(folder);
        float[][] fromClasspath = embed(classpath);

        assertThat(fromHub).hasDimensions(3, 384);
        assertThat(fromFolder).isDeepEqualTo(fromHub);
        assertThat(fromClasspath).isDeepEqualTo(fromHub);
        // A real model, not noise: the two sentences about a resting cat are closer than cat and physics.
        assertThat(dot(fromHub[0], fromHub[1])).isGreaterThan(dot(fromHub[0], fromHub[2]) + 0.1);
        assertThat(dot(fromHub[0], fromHub[0])).isCloseTo(1.0, within(1e-5));
    }

    @Test
    void aRepositoryTheCatalogueDoesNotKnowRunsAsItsSentenceTransformersFilesSay() throws IOException {
        String repo = "someone/all-MiniLM-L6-v2-onnx";
        server.addFile(repo, "onnx/model.onnx", ModelSourceTest.resource(TestModels.ALL_MINILM_L6_V2.modelResource()),
                true);
        server.addFile(repo, "tokenizer.json",
                ModelSourceTest.resource(TestModels.ALL_MINILM_L6_V2.tokenizerResource()), false);
        server.addFile(repo, "modules.json", """
                [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                 {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                 {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}]
                """.getBytes(StandardCharsets.UTF_8), false);
        server.addFile(repo, "1_Pooling/config.json", """
                {"word_embedding_dimension": 384, "pooling_mode_cls_token": false, "pooling_mode_mean_tokens": true}
                """.getBytes(StandardCharsets.UTF_8), false);

        try (TextEmbedding fromHub = TextEmbedding.builder().model(ModelSource.huggingFace(repo)).hubOptions(options)
                .build();
             TextEmbedding meanPooled = TestModels.ALL_MINILM_L6_V2.builder().build()) {
            assertThat(fromHub.settings().get("pooling"))
                    .isEqualTo(new ModelSetting<>(Pooling.MEAN, "file 1_Pooling/config.json"));
            assertThat(fromHub.settings().get("normalize"))
                    .isEqualTo(new ModelSetting<>(true, "file modules.json (Normalize module)"));
            float[][] expected = meanPooled.embed(TEXTS);
            float[][] actual = fromHub.embed(TEXTS);
            for (int i = 0; i < TEXTS.size(); i++) {
                assertThat(actual[i]).containsExactly(expected[i], within(1e-6f));
            }
        }
    }

    @Test
    void catalogueModelLoadsOfflineOnceCached() {
        ModelFiles online = ModelSource.catalog("BGESmallENV15").resolve(options);
        server.clearRequests();

        ModelFiles offline = ModelSource.catalog("BAAI/bge-small-en-v1.5")
                .resolve(options.toBuilder().offline(true).build());

        assertThat(offline).isEqualTo(online);
        assertThat(server.requests()).isEmpty();
    }

    /** Builds the model from the source's files with the settings of the catalogue entry they are. */
    private static float[][] embed(ModelSource source) {
        try (TextEmbedding model = TextEmbedding.builder().modelFiles(source.resolve(options))
                .catalogSettings("BGESmallENV15").build()) {
            return model.embed(TEXTS);
        }
    }

    private static Path folderWithTheModel(Path folder) throws IOException {
        Files.createDirectories(folder.resolve("onnx"));
        Files.write(folder.resolve("onnx/model.onnx"), ModelSourceTest.resource(ONNX_RESOURCE));
        Files.write(folder.resolve("tokenizer.json"), ModelSourceTest.resource(TOKENIZER_RESOURCE));
        for (String config : CONFIG_FILES) {
            Files.write(folder.resolve(config), ModelSourceTest.resource(CONFIGS + config));
        }
        return folder;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
