package dev.fastembed;

import dev.fastembed.hub.HubOptions;
import dev.fastembed.testing.ReferenceEmbedder;
import dev.fastembed.testing.TestModels;
import dev.fastembed.testing.TestTexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A model from files runs with settings that something states, never with a guessed pooling: the builder, the
 * catalogue entry it names, or the model's own sentence-transformers files. all-MiniLM-L6-v2 is mean pooled;
 * its LangChain4j jar holds only the ONNX file and tokenizer.json, which say nothing about pooling.
 */
class FileModelSettingsTest {

    private static final HubOptions CACHE = HubOptions.builder()
            .cacheDir(Path.of("target", "fastembed-cache").toAbsolutePath()).offline(true).build();
    private static final ModelSource MINILM_IN_JAR = ModelSource.classpath(
            TestModels.ALL_MINILM_L6_V2.modelResource(), TestModels.ALL_MINILM_L6_V2.tokenizerResource());

    @Test
    void aClassPathModelWithNothingSayingItsPoolingDoesNotBuildAndNamesTheSetting() {
        assertThatThrownBy(() -> TextEmbedding.builder().model(MINILM_IN_JAR).hubOptions(CACHE).build())
                .isInstanceOfSatisfying(ModelSettingRequiredException.class, e -> {
                    assertThat(e.setting()).isEqualTo("pooling");
                    assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.INVALID_ARGUMENT);
                })
                .hasMessageContainingAll("classpath:all-minilm-l6-v2.onnx", ".pooling(Pooling.MEAN)",
                        ".catalogSettings(");
    }

    @Test
    void aClassPathModelNamingItsCatalogueModelIsMeanPooledLikeTheReference() throws Exception {
        try (TextEmbedding model = TextEmbedding.builder().model(MINILM_IN_JAR).hubOptions(CACHE)
                .catalogSettings("sentence-transformers/all-MiniLM-L6-v2").build()) {
            assertThat(model.settings().get("pooling"))
                    .isEqualTo(new ModelSetting<>(Pooling.MEAN, "catalogue sentence-transformers/all-MiniLM-L6-v2"));
            assertThat(model.settings().get("normalize").value()).isEqualTo(true);
            assertMatchesMeanPooledReference(model, 512);
        }
    }

    @Test
    void aFolderWithSentenceTransformersFilesRunsAsTheySay(@TempDir Path folder) throws Exception {
        sentenceTransformersFolder(folder, "pooling_mode_mean_tokens");
        Files.writeString(folder.resolve("config_sentence_transformers.json"),
                "{\"prompts\": {\"query\": \"query: \", \"passage\": \"passage: \"}, \"default_prompt_name\": null}");
        Files.writeString(folder.resolve("sentence_bert_config.json"),
                "{\"max_seq_length\": 256, \"do_lower_case\": false}");
        try (TextEmbedding model = TextEmbedding.builder().model(ModelSource.directory(folder)).build()) {
            assertThat(model.settings()).containsExactly(
                    entry("pooling", new ModelSetting<>(Pooling.MEAN, "file 1_Pooling/config.json")),
                    entry("normalize", new ModelSetting<>(true, "file modules.json (Normalize module)")),
                    entry("queryPrefix", new ModelSetting<>("query: ", "file config_sentence_transformers.json")),
                    entry("passagePrefix", new ModelSetting<>("passage: ", "file config_sentence_transformers.json")),
                    entry("maxLength", new ModelSetting<>(256, "file sentence_bert_config.json")));
            assertThat(model.queryPrefix()).isEqualTo("query: ");
            assertMatchesMeanPooledReference(model, 256);
        }
    }

    @Test
    void explicitSettingsWinOverTheFiles(@TempDir Path folder) throws Exception {
        sentenceTransformersFolder(folder, "pooling_mode_mean_tokens");
        try (TextEmbedding model = TextEmbedding.builder().model(ModelSource.directory(folder))
                .pooling(Pooling.CLS).build()) {
            assertThat(model.settings().get("pooling")).isEqualTo(new ModelSetting<>(Pooling.CLS, "set explicitly"));
            assertThat(model.settings().get("queryPrefix")).isEqualTo(new ModelSetting<>("", "none given"));
        }
    }

    @Test
    void aPoolingModeTheEngineLacksIsRefusedNamingTheFile(@TempDir Path folder) throws Exception {
        sentenceTransformersFolder(folder, "pooling_mode_max_tokens");
        assertThatThrownBy(() -> TextEmbedding.builder().model(ModelSource.directory(folder)).build())
                .isInstanceOf(FastEmbedException.class)
                .hasMessageContainingAll("1_Pooling/config.json", "pooling_mode_max_tokens");
    }

    @Test
    void anExplicitPoolingRunsFilesThatAskForOneTheEngineLacks(@TempDir Path folder) throws Exception {
        sentenceTransformersFolder(folder, "pooling_mode_max_tokens");
        try (TextEmbedding model = TextEmbedding.builder().model(ModelSource.directory(folder))
                .pooling(Pooling.MEAN).build()) {
            assertThat(model.settings().get("pooling")).isEqualTo(new ModelSetting<>(Pooling.MEAN, "set explicitly"));
        }
    }

    @Test
    void anUnknownCatalogueNameIsRefusedWithTheClosestNames() {
        assertThatThrownBy(() -> TextEmbedding.builder().catalogSettings("sentence-transformers/all-MiniLM-L6"))
                .isInstanceOf(FastEmbedException.class)
                .hasMessageContaining("sentence-transformers/all-MiniLM-L6-v2");
    }

    /** all-MiniLM-L6-v2 laid out as its sentence-transformers repository is: Pooling then Normalize modules. */
    private static void sentenceTransformersFolder(Path folder, String poolingMode) throws Exception {
        Files.createSymbolicLink(folder.resolve("model.onnx"), TestModels.ALL_MINILM_L6_V2.files().model());
        Files.copy(TestModels.ALL_MINILM_L6_V2.tokenizer(), folder.resolve("tokenizer.json"));
        Files.writeString(folder.resolve("modules.json"), """
                [
                  {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                  {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                  {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}
                ]
                """);
        Files.createDirectories(folder.resolve("1_Pooling"));
        Files.writeString(folder.resolve("1_Pooling/config.json"), """
                {"word_embedding_dimension": 384, "pooling_mode_cls_token": false,
                 "pooling_mode_mean_tokens": false, "pooling_mode_max_tokens": false,
                 "pooling_mode_mean_sqrt_len_tokens": false}
                """.replace("\"" + poolingMode + "\": false", "\"" + poolingMode + "\": true"));
    }

    private static void assertMatchesMeanPooledReference(TextEmbedding model, int maxLength) throws Exception {
        List<String> texts = TestTexts.varied();
        try (ReferenceEmbedder reference = new ReferenceEmbedder(TestModels.ALL_MINILM_L6_V2, maxLength)) {
            float[][] vectors = model.embed(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertThat(ReferenceEmbedder.cosine(vectors[i], reference.embed(texts.get(i))))
                        .as("text %d: %.60s", i, texts.get(i)).isGreaterThanOrEqualTo(0.9999);
            }
        }
    }

    private static <V> java.util.Map.Entry<String, V> entry(String key, V value) {
        return java.util.Map.entry(key, value);
    }
}
