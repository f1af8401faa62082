package dev.fastembed;

import ai.djl.huggingface.tokenizers.Encoding;
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
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Cross-encoder reranking through every layer, on a graph with the interface of the BERT-style rerankers
 * (input_ids, attention_mask, token_type_ids → logits [batch, 1]) over the real BERT tokenizer of
 * bge-small-en-v1.5. The graph's logit for a pair is the sum over its real tokens of {@code tokenScore(id) +
 * segmentScore(type)}, so the test computes it from the pair encoding of Hugging Face's tokenizer (DJL): the
 * document's segment adds {@code SEGMENT_1} per token only if the pair template sets type ids.
 */
class TextRerankTest {

    private static final int VOCAB = 30522;
    private static final float SEGMENT_1 = 0.25f;
    private static final String QUERY = "what does a panda eat?";
    private static final List<String> DOCUMENTS = List.of(
            "The giant panda eats bamboo almost exclusively.",
            "hi",
            "Pandas are bears native to south central China, where they live in mountain forests.",
            "",
            "Kung Fu Panda is an animated film.");

    @TempDir
    static Path dir;
    private static ModelFiles files;
    private static TextRerank reranker;
    private static HuggingFaceTokenizer oracle;

    @BeforeAll
    static void load() throws Exception {
        files = ModelFiles.of(rerankGraph(true).write(dir.resolve("reranker.onnx")), TestModels.BGE_SMALL_EN_V15.tokenizer());
        reranker = TextRerank.builder().modelFiles(files).build();
        oracle = oracle(512);
    }

    @AfterAll
    static void close() {
        reranker.close();
        oracle.close();
    }

    private static HuggingFaceTokenizer oracle(int maxLength) throws Exception {
        return HuggingFaceTokenizer.builder().optTokenizerPath(TestModels.BGE_SMALL_EN_V15.tokenizer())
                .optMaxLength(maxLength).optTruncation(true).optPadding(false).build();
    }

    static float tokenScore(long id) {
        return ((id * 13) % 17 - 8) / 10f;
    }

    /** logits = ReduceSum((tokenScore[ids] + segmentScore[types]) * mask), as [batch, 1] or [batch]. */
    private static TinyOnnx.Graph rerankGraph(boolean keepDims) {
        float[] scores = new float[VOCAB];
        for (int id = 0; id < VOCAB; id++) {
            scores[id] = tokenScore(id);
        }
        TinyOnnx.Graph graph = TinyOnnx.graph("reranker")
                .input("input_ids", TinyOnnx.INT64, "batch", "sequence")
                .input("attention_mask", TinyOnnx.INT64, "batch", "sequence")
                .input("token_type_ids", TinyOnnx.INT64, "batch", "sequence")
                .initializer("token_score", scores, VOCAB)
                .initializer("segment_score", new float[] {0f, SEGMENT_1}, 2)
                .initializer("axes", new long[] {1}, 1)
                .node("Gather", "by_token", List.of("token_score", "input_ids"), TinyOnnx.attr("axis", 0))
                .node("Gather", "by_segment", List.of("segment_score", "token_type_ids"), TinyOnnx.attr("axis", 0))
                .node("Add", "per_token", List.of("by_token", "by_segment"))
                .node("Cast", "mask", List.of("attention_mask"), TinyOnnx.attr("to", TinyOnnx.FLOAT))
                .node("Mul", "masked", List.of("per_token", "mask"))
                .node("ReduceSum", "logits", List.of("masked", "axes"), TinyOnnx.attr("keepdims", keepDims ? 1 : 0));
        return keepDims ? graph.output("logits", TinyOnnx.FLOAT, "batch", 1) : graph.output("logits", TinyOnnx.FLOAT, "batch");
    }

    private static double expectedLogit(HuggingFaceTokenizer tokenizer, String query, String document) {
        Encoding pair = tokenizer.encode(query, document);
        double sum = 0;
        for (int t = 0; t < pair.getIds().length; t++) {
            sum += tokenScore(pair.getIds()[t]) + (pair.getTypeIds()[t] == 1 ? SEGMENT_1 : 0);
        }
        return sum;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Test
    void aRerankerAskingForCudaFallsBackToTheCpuWithTheSameScores() {
        List<String> documents = List.of("Pandas eat bamboo.", "Kung Fu Panda is an animated film.");
        try (TextRerank fallback = TextRerank.builder().modelFiles(files).executionProvider(ExecutionProvider.CUDA)
                .fallbackToCpu(true).build()) {
            SessionInfo info = fallback.sessionInfo().orElseThrow();
            assertThat(info.executionProvider()).isEqualTo(ExecutionProvider.CPU);
            assertThat(info.requestedProvider()).isEqualTo(ExecutionProvider.CUDA);
            assertThat(fallback.score("What do pandas eat?", documents))
                    .containsExactly(reranker.score("What do pandas eat?", documents));
        }
        assertThat(reranker.sessionInfo().orElseThrow().fellBack()).isFalse();
    }

    @Test
    void scoresAreTheModelsLogitsForEachQueryDocumentPairInInputOrder() {
        float[] scores = reranker.score(QUERY, DOCUMENTS);
        assertThat(scores).hasSize(DOCUMENTS.size());
        for (int i = 0; i < DOCUMENTS.size(); i++) {
            assertThat((double) scores[i]).as(DOCUMENTS.get(i))
                    .isCloseTo(expectedLogit(oracle, QUERY, DOCUMENTS.get(i)), within(1e-4));
        }
    }

    @Test
    void pairsUseTheTemplatesSegmentIds() {
        Encoding pair = oracle.encode(QUERY, DOCUMENTS.getFirst());
        long documentTokens = java.util.Arrays.stream(pair.getTypeIds()).filter(t -> t == 1).count();
        assertThat(documentTokens).as("[SEP]-separated second segment").isGreaterThan(5);
        // Encoding query and document as one text would give type 0 everywhere.
        Encoding single = oracle.encode(QUERY + " " + DOCUMENTS.getFirst());
        double withoutSegments = java.util.Arrays.stream(single.getIds()).mapToDouble(TextRerankTest::tokenScore).sum();
        double score = reranker.score(QUERY, List.of(DOCUMENTS.getFirst()))[0];
        assertThat(score).isNotCloseTo(withoutSegments, within(0.01));
    }

    @Test
    void rerankSortsBestFirstWithIndexScoreAndDocument() {
        float[] scores = reranker.score(QUERY, DOCUMENTS);
        List<Integer> bestFirst = IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparing(i -> i)).toList();
        List<RerankResult> ranked = reranker.rerank(QUERY, DOCUMENTS);
        assertThat(ranked).extracting(RerankResult::index).isEqualTo(bestFirst);
        for (RerankResult result : ranked) {
            assertThat(result.score()).isEqualTo(scores[result.index()]);
            assertThat(result.document()).isSameAs(DOCUMENTS.get(result.index()));
        }
        assertThat(ranked).extracting(RerankResult::score).isSortedAccordingTo(Comparator.reverseOrder());
    }

    @Test
    void topKKeepsTheBestOnes() {
        List<RerankResult> all = reranker.rerank(QUERY, DOCUMENTS);
        assertThat(reranker.rerank(QUERY, DOCUMENTS, 2)).isEqualTo(all.subList(0, 2));
        assertThat(reranker.rerank(QUERY, DOCUMENTS, 100)).isEqualTo(all);
        assertThatThrownBy(() -> reranker.rerank(QUERY, DOCUMENTS, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sigmoidSquashesEachLogitAndKeepsTheOrder() {
        try (TextRerank squashing = TextRerank.builder().modelFiles(files).sigmoid(true).build()) {
            assertThat(squashing.sigmoid()).isTrue();
            float[] probabilities = squashing.score(QUERY, DOCUMENTS);
            for (int i = 0; i < DOCUMENTS.size(); i++) {
                double logit = expectedLogit(oracle, QUERY, DOCUMENTS.get(i));
                assertThat((double) probabilities[i]).isCloseTo(sigmoid(logit), within(1e-5)).isBetween(0.0, 1.0);
            }
            assertThat(squashing.rerank(QUERY, DOCUMENTS)).extracting(RerankResult::index)
                    .isEqualTo(reranker.rerank(QUERY, DOCUMENTS).stream().map(RerankResult::index).toList());
        }
    }

    @Test
    void logitsShapedBatchOnlyAreReadToo() {
        ModelFiles flat = ModelFiles.of(rerankGraph(false).write(dir.resolve("reranker-rank1.onnx")),
                TestModels.BGE_SMALL_EN_V15.tokenizer());
        try (TextRerank rankOne = TextRerank.builder().modelFiles(flat).build()) {
            assertThat(rankOne.score(QUERY, DOCUMENTS)).containsExactly(reranker.score(QUERY, DOCUMENTS));
        }
    }

    @Test
    void longPairsAreTruncatedLongestFirstToTheMaximumLength() throws Exception {
        String longDocument = "bamboo shoots and leaves are eaten by giant pandas every day ".repeat(10);
        try (TextRerank short16 = TextRerank.builder().modelFiles(files).maxLength(16).build();
             HuggingFaceTokenizer oracle16 = oracle(16)) {
            assertThat(oracle16.encode(QUERY, longDocument).getIds()).hasSize(16);
            assertThat((double) short16.score(QUERY, List.of(longDocument))[0])
                    .isCloseTo(expectedLogit(oracle16, QUERY, longDocument), within(1e-4));
        }
    }

    @Test
    void batchingDoesNotChangeScores() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add("document number " + i + " about pandas ".repeat(i % 7));
        }
        try (TextRerank smallBatches = TextRerank.builder().modelFiles(files).batchSize(3).build()) {
            float[] batched = smallBatches.score(QUERY, many);
            float[] together = reranker.score(QUERY, many);
            for (int i = 0; i < many.size(); i++) {
                assertThat(batched[i]).isCloseTo(together[i], within(1e-5f));
            }
        }
    }

    @Test
    void concurrentCallsGiveTheSequentialScores() throws Exception {
        float[] sequential = reranker.score(QUERY, DOCUMENTS);
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            List<java.util.concurrent.Future<float[]>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                futures.add(pool.submit(() -> reranker.score(QUERY, DOCUMENTS)));
            }
            for (var future : futures) {
                assertThat(future.get()).containsExactly(sequential);
            }
        }
    }

    @Test
    void noDocumentsGiveNoScores() {
        assertThat(reranker.score(QUERY, List.of())).isEmpty();
        assertThat(reranker.rerank(QUERY, List.of(), 3)).isEmpty();
    }

    @Test
    void nullQueryOrDocumentsAreRejected() {
        assertThatThrownBy(() -> reranker.score(null, DOCUMENTS)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("query");
        assertThatThrownBy(() -> reranker.rerank(QUERY, null, 1)).isInstanceOf(IllegalArgumentException.class);
        List<String> withNull = new ArrayList<>(DOCUMENTS);
        withNull.add(1, null);
        assertThatThrownBy(() -> reranker.rerank(QUERY, withNull)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("documents[1]");
        assertThat(reranker.score(QUERY, List.of("still usable"))).hasSize(1);
    }

    @Test
    void aModelWithoutLogitsIsRejected() {
        Path hidden = TinyOnnx.graph("encoder")
                .input("input_ids", TinyOnnx.INT64, "batch", "sequence")
                .initializer("table", new float[VOCAB * 2], VOCAB, 2)
                .node("Gather", "last_hidden_state", List.of("table", "input_ids"), TinyOnnx.attr("axis", 0))
                .output("last_hidden_state", TinyOnnx.FLOAT, "batch", "sequence", 2)
                .write(dir.resolve("encoder.onnx"));
        assertThatThrownBy(() -> TextRerank.builder()
                .modelFiles(ModelFiles.of(hidden, TestModels.BGE_SMALL_EN_V15.tokenizer())).build())
                .isInstanceOfSatisfying(FastEmbedException.class,
                        e -> assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.INVALID_MODEL))
                .hasMessageContaining("rank 3");
    }

    @Test
    void aClosedRerankerRejectsCalls() {
        TextRerank closing = TextRerank.builder().modelFiles(files).build();
        closing.close();
        closing.close();
        assertThat(closing.isClosed()).isTrue();
        assertThatThrownBy(() -> closing.score(QUERY, DOCUMENTS)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> closing.rerank(QUERY, List.of(), 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theCatalogueListsTheCrossEncoders() {
        assertThat(TextRerank.listSupportedModels()).extracting(ModelDescription::name)
                .contains("BAAI/bge-reranker-base", "jinaai/jina-reranker-v1-turbo-en",
                        "jinaai/jina-reranker-v2-base-multilingual", "Xenova/ms-marco-MiniLM-L-6-v2",
                        "Xenova/ms-marco-MiniLM-L-12-v2");
    }
}
