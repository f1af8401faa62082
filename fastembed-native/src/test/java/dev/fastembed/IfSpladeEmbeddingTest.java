package dev.fastembed;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.fastembed.catalog.ModelCatalog;
import dev.fastembed.testing.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Inference-free SPLADE (opensearch-neural-sparse-encoding-doc-v3-gte) as fastembed's {@code IfSplade}: documents
 * through the model with the v3 weight {@code log(1 + log(1 + relu(max logit)))}, special tokens left out; queries
 * by the IDF table alone. The document graph is {@link SpladeEmbeddingTest}'s (the real SPLADE interface over the
 * real BERT tokenizer of bge-small-en-v1.5); expected values come from the same numbers and DJL's tokenizer.
 */
class IfSpladeEmbeddingTest {

    private static final int VOCAB = 30522;
    /** The BERT tokenizer's special tokens: [PAD], [UNK], [CLS], [SEP], [MASK]. */
    private static final Set<Integer> SPECIAL = Set.of(0, 100, 101, 102, 103);

    @TempDir
    static Path dir;
    private static Path idfFile;
    private static HuggingFaceTokenizer oracle;

    @BeforeAll
    static void write() throws Exception {
        idfFile = Files.writeString(dir.resolve("idf.json"),
                "{\"hello\": 2.5, \"world\": 1.25, \"[CLS]\": 9.0, \"[SEP]\": 9.0, \"no-such-token-here\": 3.0,"
                        + " \"search\": 0.0, \"sparse\": 0.75}");
        oracle = HuggingFaceTokenizer.builder().optTokenizerPath(TestModels.BGE_SMALL_EN_V15.tokenizer())
                .optMaxLength(512).optTruncation(true).optPadding(false).build();
    }

    @AfterAll
    static void close() {
        oracle.close();
    }

    private static int id(String token) {
        return Math.toIntExact(oracle.encode(token, false, false).getIds()[0]);
    }

    @Test
    void queriesAreTheIdfOfTheirTokensAndNeverLoadTheModel() throws Exception {
        // Not an ONNX file: a query that loaded the model would fail.
        Path notAModel = Files.write(dir.resolve("not-a-model.onnx"), new byte[] {1, 2, 3, 4});
        try (SparseTextEmbedding model = SparseTextEmbedding.builder()
                .modelFiles(ModelFiles.of(notAModel, TestModels.BGE_SMALL_EN_V15.tokenizer())).idfFile(idfFile).build()) {
            assertThat(model.algorithm()).isEqualTo(SparseTextEmbedding.Algorithm.IF_SPLADE);
            // [CLS]/[SEP] are special (left out although listed), "search" weighs 0 (left out), tokens repeat once.
            SparseEmbedding query = model.queryEmbed("Hello world, hello sparse search!");
            Map<Integer, Float> expected = new TreeMap<>(Map.of(id("hello"), 2.5f, id("world"), 1.25f, id("sparse"), 0.75f));
            assertThat(query.indices()).containsExactly(expected.keySet().stream().mapToInt(Integer::intValue).toArray());
            List<Float> values = List.copyOf(expected.values());
            assertThat(query.values()).containsExactly(values.get(0), values.get(1), values.get(2));
            assertThat(model.queryEmbed(List.of("nothing known", "")))
                    .allSatisfy(v -> assertThat(v.size()).isZero());
            // Only a document call opens the model, and fails on it.
            assertThatThrownBy(() -> model.embed("hello")).isInstanceOf(FastEmbedException.class);
        }
    }

    @Test
    void documentsGoThroughTheModelWithTheDoubleLogWeight() throws Exception {
        Path graph = SpladeEmbeddingTest.spladeGraph().write(dir.resolve("if-splade.onnx"));
        try (SparseTextEmbedding model = SparseTextEmbedding.builder()
                .modelFiles(ModelFiles.of(graph, TestModels.BGE_SMALL_EN_V15.tokenizer()))
                .algorithm(SparseTextEmbedding.Algorithm.IF_SPLADE).idfFile(idfFile).build()) {
            List<String> texts = List.of("Inference-free sparse retrieval.", "a", "documents are expanded");
            List<SparseEmbedding> vectors = model.embed(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertWeights(vectors.get(i), expected(oracle.encode(texts.get(i)).getIds()), texts.get(i));
            }
        }
    }

    @Test
    void theCatalogueEntryShipsItsIdfTable() {
        var entry = ModelCatalog.get("opensearch-project/opensearch-neural-sparse-encoding-doc-v3-gte");
        assertThat(entry.additionalFiles()).containsExactly("idf.json");
        assertThat(entry.repo()).isEqualTo("Qdrant/opensearch-neural-sparse-encoding-doc-v3-gte");
    }

    @Test
    void aMissingIdfTableIsAClearError() throws Exception {
        Path model = Files.write(dir.resolve("some.onnx"), new byte[] {0});
        assertThatThrownBy(() -> SparseTextEmbedding.builder()
                .modelFiles(ModelFiles.of(model, TestModels.BGE_SMALL_EN_V15.tokenizer()))
                .idfFile(dir.resolve("missing-idf.json")).build())
                .isInstanceOf(FastEmbedException.class).hasMessageContaining("idf_file").hasMessageContaining("does not exist");
    }

    /** log(1 + log(1 + relu(max over tokens of the logit))) per vocabulary entry, special tokens 0 (fastembed). */
    private static double[] expected(long[] ids) {
        double[] max = new double[VOCAB];
        for (long id : ids) {
            for (int v = 0; v < VOCAB; v++) {
                double logit = SpladeEmbeddingTest.embedding((int) id, 0) * (double) SpladeEmbeddingTest.projection(0, v)
                        + SpladeEmbeddingTest.embedding((int) id, 1) * (double) SpladeEmbeddingTest.projection(1, v)
                        + SpladeEmbeddingTest.BIAS;
                max[v] = Math.max(max[v], logit);
            }
        }
        double[] weights = new double[VOCAB];
        for (int v = 0; v < VOCAB; v++) {
            weights[v] = SPECIAL.contains(v) ? 0 : Math.log1p(Math.log1p(Math.max(max[v], 0)));
        }
        return weights;
    }

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
}
