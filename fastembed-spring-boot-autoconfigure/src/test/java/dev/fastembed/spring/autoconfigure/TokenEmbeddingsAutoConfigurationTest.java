package dev.fastembed.spring.autoconfigure;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.fastembed.catalog.ModelKind;
import dev.fastembed.spring.LateInteractionTextEmbeddingPool;
import dev.fastembed.testing.TestModels;
import dev.fastembed.testing.TinyOnnx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * fastembed's token embeddings model through the starter: a folder with a graph of jina-embeddings-v2-small-en's
 * interface ({@code last_hidden_state = table[input_ids] × attention_mask}) and the BERT tokenizer, run with the
 * settings of {@code jinaai/jina-embeddings-v2-small-en-tokens}. Expected: one table row per token of DJL's
 * encoding, not normalized, queries like documents.
 */
class TokenEmbeddingsAutoConfigurationTest {

    private static final int VOCABULARY = 30522;
    private static final int HIDDEN = 3;

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FastEmbedAutoConfiguration.class));

    static float table(long id, int k) {
        return (float) (Math.cos(id * 0.11 + k) * (2 + k));
    }

    @Test
    void theCatalogueSettingsGiveTheRawVectorsOfEveryAttendedToken() throws Exception {
        float[] rows = new float[VOCABULARY * HIDDEN];
        for (int id = 0; id < VOCABULARY; id++) {
            for (int k = 0; k < HIDDEN; k++) {
                rows[id * HIDDEN + k] = table(id, k);
            }
        }
        TinyOnnx.graph("jina-v2-small-tokens")
                .input("input_ids", TinyOnnx.INT64, "batch", "sequence")
                .input("attention_mask", TinyOnnx.INT64, "batch", "sequence")
                .input("token_type_ids", TinyOnnx.INT64, "batch", "sequence")
                .initializer("table", rows, VOCABULARY, HIDDEN)
                .initializer("axis", new long[] {2}, 1)
                .node("Gather", "embedded", List.of("table", "input_ids"), TinyOnnx.attr("axis", 0))
                .node("Cast", "mask", List.of("attention_mask"), TinyOnnx.attr("to", (long) TinyOnnx.FLOAT))
                .node("Unsqueeze", "mask3", List.of("mask", "axis"))
                .node("Mul", "last_hidden_state", List.of("embedded", "mask3"))
                .output("last_hidden_state", TinyOnnx.FLOAT, "batch", "sequence", HIDDEN)
                .write(dir.resolve("model.onnx"));
        Files.copy(TestModels.BGE_SMALL_EN_V15.tokenizer(), dir.resolve("tokenizer.json"));
        runner.withPropertyValues("fastembed.models.tokens.directory=" + dir,
                "fastembed.models.tokens.kind=late-interaction",
                "fastembed.models.tokens.model=jinaai/jina-embeddings-v2-small-en-tokens").run(context -> {
            assertThat(context).hasNotFailed();
            LateInteractionTextEmbeddingPool tokens = context.getBean(LateInteractionTextEmbeddingPool.class);
            assertThat(tokens.kind()).isEqualTo(ModelKind.LATE_INTERACTION);
            try (HuggingFaceTokenizer oracle = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(dir.resolve("tokenizer.json")).optPadding(false).build()) {
                for (String text : List.of("hello, world!", "a longer text, so that the batch is padded")) {
                    long[] ids = oracle.encode(text).getIds();
                    List<float[][]> both = List.of(tokens.embed(List.of(text, "x")).getFirst(), tokens.queryEmbed(text));
                    for (float[][] vectors : both) {
                        assertThat(vectors).as(text).hasNumberOfRows(ids.length);
                        for (int t = 0; t < ids.length; t++) {
                            for (int k = 0; k < HIDDEN; k++) {
                                assertThat(vectors[t][k]).isCloseTo(table(ids[t], k), within(1e-5f));
                            }
                        }
                    }
                }
            }
        });
    }
}
