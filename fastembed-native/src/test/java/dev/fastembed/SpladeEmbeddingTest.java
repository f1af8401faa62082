package dev.fastembed;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.fastembed.catalog.ModelDescription;
import dev.fastembed.testing.TestModels;
import dev.fastembed.testing.TinyOnnx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * SPLADE through every layer, on a graph with the real Splade_PP_en_v1's interface (input_ids, attention_mask,
 * token_type_ids → logits [batch, sequence, 30522]) over the real BERT tokenizer of bge-small-en-v1.5. The graph's
 * logits are {@code embedding[id] · projection + bias}; the test computes the expected weights from the same
 * numbers with the SPLADE formula, max over tokens of {@code log(1 + relu(logit))}.
 */
class SpladeEmbeddingTest {

    private static final int VOCAB = 30522;
    private static final int HIDDEN = 2;
    static final float BIAS = -0.6f;

    @TempDir
    static Path dir;
    private static Path modelFile;
    private static SparseTextEmbedding model;
    private static HuggingFaceTokenizer oracle;

    @BeforeAll
    static void load() throws Exception {
        modelFile = spladeGraph().write(dir.resolve("splade.onnx"));
        model = SparseTextEmbedding.builder().modelFiles(files()).build();
        oracle = HuggingFaceTokenizer.builder().optTokenizerPath(TestModels.BGE_SMALL_EN_V15.tokenizer())
                .optMaxLength(512).optTruncation(true).optPadding(false).build();
    }

    @AfterAll
    static void close() {
        model.close();
        oracle.close();
    }

    private static ModelFiles files() {
        return ModelFiles.of(modelFile, TestModels.BGE_SMALL_EN_V15.tokenizer());
    }

    /** Token embeddings in [-1, 1] from the id; [PAD] (id 0) gets large ones, so leaking padding would show. */
    static float embedding(int id, int k) {
        if (id == 0) {
            return 5f;
        }
        return k == 0 ? ((id * 37) % 101) / 50f - 1f : ((id * 53) % 89) / 44f - 1f;
    }

    static float projection(int k, int v) {
        return k == 0 ? ((v * 31) % 97) / 48f - 1f : ((v * 17) % 83) / 41f - 1f;
    }

    static TinyOnnx.Graph spladeGraph() {
        float[] embedding = new float[VOCAB * HIDDEN];
        float[] projection = new float[HIDDEN * VOCAB];
        float[] bias = new float[VOCAB];
        for (int id = 0; id < VOCAB; id++) {
            for (int k = 0; k < HIDDEN; k++) {
                embedding[id * HIDDEN + k] = embedding(id, k);
                projection[k * VOCAB + id] = projection(k, id);
            }
            bias[id] = BIAS;
        }
        return TinyOnnx.graph("splade")
                .input("input_ids", TinyOnnx.INT64, "batch", "sequence")
                .input("attention_mask", TinyOnnx.INT64, "batch", "sequence")
                .input("token_type_ids", TinyOnnx.INT64, "batch", "sequence")
                .initializer("embedding", embedding, VOCAB, HIDDEN)
                .initializer("projection", projection, HIDDEN, VOCAB)
                .initializer("bias", bias, VOCAB)
                .node("Gather", "states", List.of("embedding", "input_ids"), TinyOnnx.attr("axis", 0))
                .node("MatMul", "projected", List.of("states", "projection"))
                .node("Add", "logits", List.of("projected", "bias"))
                .output("logits", TinyOnnx.FLOAT, "batch", "sequence", VOCAB);
    }

    /** The SPLADE weights of a text over the whole vocabulary, computed from the graph's numbers. */
    private static double[] expectedWeights(long[] ids) {
        double[] weights = new double[VOCAB];
        for (long id : ids) {
            for (int v = 0; v < VOCAB; v++) {
                double logit = embedding((int) id, 0) * (double) projection(0, v)
                        + embedding((int) id, 1) * (double) projection(1, v) + BIAS;
                weights[v] = Math.max(weights[v], Math.log(1 + Math.max(logit, 0)));
            }
        }
        return weights;
    }

    /** The vector's weight for every vocabulary entry must be the expected one (0 where the vector has none). */
    private static void assertWeights(SparseEmbedding vector, double[] expected, String text) {
        double[] dense = new double[VOCAB];
        for (int i = 0; i < vector.size(); i++) {
            dense[vector.indices()[i]] = vector.values()[i];
        }
        for (int v = 0; v < VOCAB; v++) {
            if (Math.abs(dense[v] - expected[v]) > 2e-5) {
                fail("'%s': weight of vocabulary entry %d is %s, expected %s", text, v, dense[v], expected[v]);
            }
        }
    }

    @Test
    void weightsAreTheMaxOverTokensOfLogOnePlusReluOfTheLogits() {
        List<String> texts = List.of("Sparse vectors for hybrid search.", "a", "",
                "SPLADE expands queries and documents with related vocabulary terms!");
        List<SparseEmbedding> vectors = model.embed(texts);
        assertThat(vectors).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            double[] expected = expectedWeights(oracle.encode(texts.get(i)).getIds());
            assertWeights(vectors.get(i), expected, texts.get(i));
        }
    }

    @Test
    void indicesAscendAndEveryValueIsPositive() {
        SparseEmbedding vector = model.embed("indices are vocabulary ids");
        assertThat(vector.size()).isPositive().isLessThan(VOCAB);
        for (int i = 1; i < vector.size(); i++) {
            assertThat(vector.indices()[i]).isGreaterThan(vector.indices()[i - 1]);
        }
        for (float value : vector.values()) {
            assertThat(value).isPositive();
        }
    }

    @Test
    void paddingInABatchDoesNotChangeAVector() {
        String shortText = "short";
        List<String> batch = new ArrayList<>(List.of(shortText));
        for (int i = 0; i < 5; i++) {
            batch.add("a much longer text that forces the short one to be padded ".repeat(i + 1));
        }
        SparseEmbedding alone = model.embed(shortText);
        assertThat(model.embed(batch).getFirst()).isEqualTo(alone);
        // [PAD]'s large logits would raise many weights if the mask were ignored.
        assertWeights(alone, expectedWeights(oracle.encode(shortText).getIds()), shortText);
    }

    @Test
    void queriesAreEmbeddedLikeDocuments() {
        assertThat(model.queryEmbed("what is splade")).isEqualTo(model.embed("what is splade"));
    }

    @Test
    void textsAreTruncatedToTheMaximumLength() throws Exception {
        String text = "one two three four five six seven eight nine ten eleven twelve";
        try (SparseTextEmbedding truncating = SparseTextEmbedding.builder().modelFiles(files()).maxLength(6).build();
             HuggingFaceTokenizer six = HuggingFaceTokenizer.builder()
                     .optTokenizerPath(TestModels.BGE_SMALL_EN_V15.tokenizer())
                     .optMaxLength(6).optTruncation(true).optPadding(false).build()) {
            long[] ids = six.encode(text).getIds();
            assertThat(ids).hasSize(6);
            assertWeights(truncating.embed(text), expectedWeights(ids), text);
        }
    }

    @Test
    void theAlgorithmIsRecognisedFromTheLogitsOutput() {
        assertThat(model.algorithm()).isEqualTo(SparseTextEmbedding.Algorithm.SPLADE);
    }

    @Test
    void smallBatchesGiveTheSameVectors() {
        List<String> texts = List.of("first text", "the second text is longer than the first", "third");
        try (SparseTextEmbedding oneAtATime = SparseTextEmbedding.builder().modelFiles(files()).batchSize(1).build()) {
            assertThat(oneAtATime.embed(texts)).isEqualTo(model.embed(texts));
        }
    }

    @Test
    void concurrentCallsGiveTheSequentialVectors() throws Exception {
        List<String> texts = List.of("alpha beta", "gamma delta epsilon", "zeta", "eta theta iota kappa");
        List<SparseEmbedding> sequential = model.embed(texts);
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            List<java.util.concurrent.Future<SparseEmbedding>> futures = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                for (String text : texts) {
                    futures.add(pool.submit(() -> model.embed(text)));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get()).isEqualTo(sequential.get(i % texts.size()));
            }
        }
    }

    @Test
    void anEmptyListGivesAnEmptyList() {
        assertThat(model.embed(List.of())).isEmpty();
        assertThat(model.queryEmbed(List.of())).isEmpty();
    }

    @Test
    void nullTextsAreRejected() {
        assertThatThrownBy(() -> model.embed((String) null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> model.queryEmbed((String) null)).isInstanceOf(IllegalArgumentException.class);
        List<String> withNull = new ArrayList<>(List.of("a"));
        withNull.add(null);
        assertThatThrownBy(() -> model.embed(withNull)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[1]");
        assertThat(model.embed("still usable").size()).isPositive();
    }

    @Test
    void bm25OptionsAreRejectedForSplade() {
        assertThatThrownBy(() -> SparseTextEmbedding.builder().modelFiles(files()).k1(1.5f).build())
                .isInstanceOfSatisfying(FastEmbedException.class,
                        e -> assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.INVALID_ARGUMENT))
                .hasMessageContaining("k1").hasMessageContaining("SPLADE");
    }

    @Test
    void aModelWithoutLogitsOfRankThreeIsRejected() {
        Path bad = TinyOnnx.graph("not-splade")
                .input("input_ids", TinyOnnx.INT64, "batch", "sequence")
                .initializer("axes", new long[] {1}, 1)
                .node("Cast", "ids", List.of("input_ids"), TinyOnnx.attr("to", TinyOnnx.FLOAT))
                .node("ReduceSum", "logits", List.of("ids", "axes"), TinyOnnx.attr("keepdims", 0))
                .output("logits", TinyOnnx.FLOAT, "batch")
                .write(dir.resolve("rank1.onnx"));
        assertThatThrownBy(() -> SparseTextEmbedding.builder()
                .modelFiles(ModelFiles.of(bad, TestModels.BGE_SMALL_EN_V15.tokenizer()))
                .algorithm(SparseTextEmbedding.Algorithm.SPLADE).build())
                .isInstanceOfSatisfying(FastEmbedException.class,
                        e -> assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.INVALID_MODEL))
                .hasMessageContaining("rank 1");
    }

    @Test
    void aClosedModelRejectsCalls() {
        SparseTextEmbedding closing = SparseTextEmbedding.builder().modelFiles(files()).build();
        closing.close();
        closing.close();
        assertThat(closing.isClosed()).isTrue();
        assertThatThrownBy(() -> closing.embed("text")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> closing.queryEmbed("text")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theCatalogueListsSpladeBm25AndBm42() {
        assertThat(SparseTextEmbedding.listSupportedModels()).extracting(ModelDescription::name)
                .contains("prithivida/Splade_PP_en_v1", "Qdrant/bm25", "Qdrant/bm42-all-minilm-l6-v2-attentions");
    }
}
