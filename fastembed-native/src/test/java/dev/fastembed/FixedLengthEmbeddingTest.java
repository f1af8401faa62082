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
import static org.assertj.core.api.Assertions.within;

/**
 * SigLIP's text tower reads its last position whatever the attention mask, so fastembed pads every text to the
 * fixed maximum length. The stand-in has the export's interface ({@code input_ids} → {@code last_hidden_state},
 * {@code pooler_output}); its pooled output is the sum of the embeddings of all positions, padding included, so
 * it tells how far a text was padded. Expected values are computed here from Hugging Face tokenizers' ids.
 */
class FixedLengthEmbeddingTest {

    static final int HIDDEN = 4;
    static final int VOCABULARY = 30522;
    static final int MAX_LENGTH = 16;
    static final long PAD = 0;
    static final String SHORT = "a cat";
    static final String LONG = "a much longer caption about a cat asleep on a sunny window sill";

    @TempDir
    static Path dir;
    static HuggingFaceTokenizer oracle;
    static Path model;
    static TextEmbedding siglip;

    @BeforeAll
    static void load() throws Exception {
        Path tokenizer = TestModels.BGE_SMALL_EN_V15.tokenizer();
        oracle = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizer).optPadding(false).optTruncation(true)
                .optMaxLength(MAX_LENGTH).build();
        model = graph(dir.resolve("text_model.onnx"));
        siglip = TextEmbedding.builder().modelFiles(ModelFiles.of(model, tokenizer))
                .catalogSettings("google/siglip2-base-patch16-224").maxLength(MAX_LENGTH).build();
    }

    @AfterAll
    static void close() {
        siglip.close();
        oracle.close();
    }

    @Test
    void everyTextIsPaddedToTheMaximumLengthAloneOrInABatch() {
        float[] alone = siglip.embed(SHORT);
        assertThat(alone).containsExactly(expected(SHORT), within(1e-5f));
        float[][] batch = siglip.embed(List.of(LONG, SHORT));
        assertThat(batch[1]).containsExactly(alone, within(1e-5f));
        assertThat(batch[0]).containsExactly(expected(LONG), within(1e-5f));
    }

    @Test
    void withoutTheCataloguesFixedLengthTheBatchWouldChangeTheVector() {
        try (TextEmbedding longest = TextEmbedding.builder().modelFiles(ModelFiles.of(model,
                TestModels.BGE_SMALL_EN_V15.tokenizer())).outputName("pooler_output").maxLength(MAX_LENGTH).build()) {
            assertThat(longest.embed(List.of(LONG, SHORT))[1]).as("padded to the long text only")
                    .isNotEqualTo(longest.embed(SHORT));
        }
    }

    static float token(long id, int h) {
        return (float) Math.sin(0.37 * id + 1.3 * h) + 1.5f;
    }

    /** Sum over MAX_LENGTH positions: the text's ids, then [PAD] (id 0) up to the fixed length; normalized. */
    static float[] expected(String text) {
        long[] ids = oracle.encode(text).getIds();
        float[] v = new float[HIDDEN];
        double norm = 0;
        for (int h = 0; h < HIDDEN; h++) {
            for (long id : ids) {
                v[h] += token(id, h);
            }
            v[h] += (MAX_LENGTH - ids.length) * token(PAD, h);
            norm += v[h] * v[h];
        }
        for (int h = 0; h < HIDDEN; h++) {
            v[h] = (float) (v[h] / Math.sqrt(norm));
        }
        return v;
    }

    static Path graph(Path file) {
        float[] tokens = new float[VOCABULARY * HIDDEN];
        for (int id = 0; id < VOCABULARY; id++) {
            for (int h = 0; h < HIDDEN; h++) {
                tokens[id * HIDDEN + h] = token(id, h);
            }
        }
        return TinyOnnx.graph("siglip-text")
                .input("input_ids", INT64, "batch", "sequence")
                .initializer("tokens", tokens, VOCABULARY, HIDDEN)
                .initializer("token_axis", new long[] {1}, 1)
                .node("Gather", "last_hidden_state", List.of("tokens", "input_ids"), attr("axis", 0))
                .node("ReduceSum", "pooler_output", List.of("last_hidden_state", "token_axis"), attr("keepdims", 0))
                .output("last_hidden_state", FLOAT, "batch", "sequence", HIDDEN)
                .output("pooler_output", FLOAT, "batch", HIDDEN)
                .write(file);
    }
}
