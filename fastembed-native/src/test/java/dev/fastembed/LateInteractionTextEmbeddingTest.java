package dev.fastembed;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.fastembed.catalog.ModelCatalog;
import dev.fastembed.catalog.ModelDescription;
import dev.fastembed.testing.TestModels;
import dev.fastembed.testing.TinyOnnx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.fastembed.testing.TinyOnnx.FLOAT;
import static dev.fastembed.testing.TinyOnnx.INT64;
import static dev.fastembed.testing.TinyOnnx.attr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * LateInteractionTextEmbedding on a graph with ColBERT's interface ({@code input_ids}, {@code attention_mask}
 * → {@code contextual} [batch, tokens, 128]) whose token vectors spell out the token id and the attention
 * mask they were computed from, with the real BERT uncased vocabulary ColBERT v2 uses. Expected token
 * sequences come from Hugging Face tokenizers (DJL) and fastembed's constants, assembled here by hand.
 */
class LateInteractionTextEmbeddingTest {

    // fastembed's colbert.py: QUERY_MARKER_TOKEN_ID, DOCUMENT_MARKER_TOKEN_ID, MIN_QUERY_LENGTH (31) + the marker
    static final long QUERY_MARKER = 1;
    static final long DOCUMENT_MARKER = 2;
    static final int QUERY_LENGTH = 32;
    static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    static final int DIMENSION = 128;
    /** Scales ids into [0, 1) so that every component of a vector has a similar size. */
    static final float ID_SCALE = 1f / 32768;

    @TempDir
    static Path dir;
    static HuggingFaceTokenizer oracle;
    static LateInteractionTextEmbedding colbert;
    static long maskId;
    static Set<Long> punctuationIds = new HashSet<>();

    @BeforeAll
    static void load() throws Exception {
        Path tokenizer = TestModels.BGE_SMALL_EN_V15.tokenizer();
        oracle = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizer).optTruncation(true).optMaxLength(511)
                .optPadding(false).build();
        maskId = oracle.encode("[MASK]", false, false).getIds()[0];
        for (char symbol : PUNCTUATION.toCharArray()) {
            punctuationIds.add(oracle.encode(String.valueOf(symbol), false, false).getIds()[0]);
        }
        colbert = LateInteractionTextEmbedding.builder()
                .modelFiles(ModelFiles.of(colbertGraph(dir, "contextual", 3), tokenizer)).build();
    }

    @AfterAll
    static void close() {
        colbert.close();
        oracle.close();
    }

    @Test
    void markersAreTheUnusedTokensOfBertsVocabulary() {
        assertThat(oracle.decode(new long[] {QUERY_MARKER}, false)).isEqualTo("[unused0]");
        assertThat(oracle.decode(new long[] {DOCUMENT_MARKER}, false)).isEqualTo("[unused1]");
        assertThat(oracle.decode(new long[] {maskId}, false)).isEqualTo("[MASK]");
    }

    @Test
    void documentGetsItsMarkerRightAfterCls() {
        String text = "late interaction keeps one vector per token";
        float[][] vectors = colbert.embed(text);
        assertThat(ids(vectors)).containsExactlyElementsOf(withMarker(oracleIds(text), DOCUMENT_MARKER));
        assertThat(masks(vectors)).containsOnly(1L);
    }

    @Test
    void documentDropsPunctuationTokens() {
        String text = "Hello, world! It's late-interaction (ColBERT) -- see: https://example.org/x?y=1.";
        List<Long> all = withMarker(oracleIds(text), DOCUMENT_MARKER);
        List<Long> kept = all.stream().filter(id -> !punctuationIds.contains(id)).toList();
        assertThat(kept.size()).as("the text has punctuation to drop").isLessThan(all.size() - 10);
        assertThat(ids(colbert.embed(text))).containsExactlyElementsOf(kept);
    }

    @Test
    void queryIsPaddedToThirtyTwoTokensWithUnattendedMasks() {
        String text = "what is colbert?";
        List<Long> expected = withMarker(oracleIds(text), QUERY_MARKER);
        int real = expected.size();
        while (expected.size() < QUERY_LENGTH) {
            expected.add(maskId);
        }
        float[][] vectors = colbert.queryEmbed(text);
        assertThat(vectors).hasNumberOfRows(QUERY_LENGTH);
        assertThat(ids(vectors)).containsExactlyElementsOf(expected);
        List<Long> masks = masks(vectors);
        assertThat(masks.subList(0, real)).as("[CLS], marker, tokens (punctuation kept), [SEP]").containsOnly(1L);
        assertThat(masks.subList(real, QUERY_LENGTH)).as("[MASK] padding").containsOnly(0L);
    }

    @Test
    void longQueryIsNotPadded() {
        String text = "a query long enough to need no padding at all because it goes on and on about the "
                + "many words it contains, and then it keeps going with even more words than before";
        List<Long> expected = withMarker(oracleIds(text), QUERY_MARKER);
        assertThat(expected.size()).isGreaterThan(QUERY_LENGTH);
        assertThat(ids(colbert.queryEmbed(text))).containsExactlyElementsOf(expected);
    }

    @Test
    void longDocumentIsTruncatedToLeaveRoomForTheMarker() {
        String text = "word ".repeat(700);
        List<Long> ids = ids(colbert.embed(text));
        assertThat(ids).hasSize(512);
        assertThat(ids.getLast()).as("[SEP] survives truncation").isEqualTo(oracleIds("x").getLast());
        assertThat(ids).containsExactlyElementsOf(withMarker(oracleIds(text), DOCUMENT_MARKER));
    }

    @Test
    void emptyTextsKeepTheirSpecialTokens() {
        List<Long> special = withMarker(oracleIds(""), DOCUMENT_MARKER);
        assertThat(special).hasSize(3);
        assertThat(ids(colbert.embed(""))).containsExactlyElementsOf(special);
        assertThat(ids(colbert.embed("?!."))).containsExactlyElementsOf(special);
        assertThat(colbert.queryEmbed("")).hasNumberOfRows(QUERY_LENGTH);
    }

    @Test
    void everyTokenVectorIsUnitLength() {
        List<float[][]> documents = new ArrayList<>(colbert.embed(List.of("one document", "and another, longer document")));
        documents.add(colbert.queryEmbed("a query"));
        for (float[][] text : documents) {
            for (float[] vector : text) {
                assertThat(vector).hasSize(DIMENSION);
                double norm = 0;
                for (float x : vector) {
                    norm += x * x;
                }
                assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-6));
            }
        }
    }

    @Test
    void batchedTextsEqualSingleOnesInInputOrder() {
        List<String> texts = List.of("short", "a much longer document with many more tokens than the first one",
                "", "medium length, with punctuation!", "short again");
        List<float[][]> batch = colbert.embed(texts);
        assertThat(batch).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            float[][] single = colbert.embed(texts.get(i));
            assertThat(batch.get(i)).as("text %d", i).isDeepEqualTo(single);
        }
        List<float[][]> queries = colbert.queryEmbed(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(queries.get(i)).as("query %d", i).isDeepEqualTo(colbert.queryEmbed(texts.get(i)));
        }
    }

    @Test
    void maxSimSumsTheBestMatchOfEachQueryVector() {
        float[][] query = {{1, 0}, {0, 1}};
        float[][] document = {{0.6f, 0.8f}, {1, 0}, {0, -1}};
        // first query vector: best 1 (second document vector); second: best 0.8 (first)
        assertThat(LateInteractionTextEmbedding.maxSim(query, document)).isCloseTo(1.8f, within(1e-6f));
        assertThat(LateInteractionTextEmbedding.maxSim(query, new float[0][])).isZero();
        assertThatThrownBy(() -> LateInteractionTextEmbedding.maxSim(query, new float[][] {{1, 0, 0}}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dimensionComesFromTheModel() {
        assertThat(colbert.dimension()).isEqualTo(DIMENSION);
    }

    @Test
    void outputIsTheFirstUnlessNamed() throws Exception {
        // second output: the same vectors, scaled by 2 (identical after normalization) — and a third, rank 2
        Path model = colbertGraph(dir, "contextual", 3);
        try (LateInteractionTextEmbedding named = LateInteractionTextEmbedding.builder()
                .modelFiles(ModelFiles.of(model, TestModels.BGE_SMALL_EN_V15.tokenizer()))
                .outputName("doubled").build()) {
            assertThat(named.embed("same vectors")).isDeepEqualTo(colbert.embed("same vectors"));
        }
        assertThatThrownBy(() -> LateInteractionTextEmbedding.builder()
                .modelFiles(ModelFiles.of(model, TestModels.BGE_SMALL_EN_V15.tokenizer()))
                .outputName("pooled").build())
                .isInstanceOfSatisfying(FastEmbedException.class,
                        e -> assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.INVALID_MODEL))
                .hasMessageContaining("[batch, tokens, dim]");
    }

    @Test
    void badInputsAreRejected() {
        assertThatThrownBy(() -> colbert.embed((List<String>) null)).isInstanceOf(IllegalArgumentException.class);
        List<String> withNull = new ArrayList<>(List.of("fine"));
        withNull.add(null);
        assertThatThrownBy(() -> colbert.embed(withNull)).hasMessage("texts[1] is null");
        assertThatThrownBy(() -> colbert.queryEmbed((String) null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(colbert.embed(List.of())).isEmpty();
    }

    @Test
    void closedModelRejectsCalls() throws Exception {
        LateInteractionTextEmbedding model = LateInteractionTextEmbedding.builder()
                .modelFiles(ModelFiles.of(colbertGraph(dir, "contextual", 3), TestModels.BGE_SMALL_EN_V15.tokenizer()))
                .build();
        model.close();
        assertThat(model.isClosed()).isTrue();
        assertThatThrownBy(() -> model.queryEmbed("q")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void catalogueListsColbertModels() {
        assertThat(LateInteractionTextEmbedding.listSupportedModels())
                .extracting(ModelDescription::name, ModelDescription::dimension, ModelDescription::modelFile)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("colbert-ir/colbertv2.0", 128, "model.onnx"),
                        org.assertj.core.groups.Tuple.tuple("answerdotai/answerai-colbert-small-v1", 96,
                                "vespa_colbert.onnx"),
                        org.assertj.core.groups.Tuple.tuple("jinaai/jina-colbert-v2", 128, "onnx/model.onnx"),
                        org.assertj.core.groups.Tuple.tuple("lightonai/LateOn", 128, "model.onnx"),
                        org.assertj.core.groups.Tuple.tuple("jinaai/jina-embeddings-v2-small-en-tokens", 512,
                                "onnx/model.onnx"));
    }

    @Test
    void familySettingsAreFastembedsConstants() {
        // jina_colbert.py: QUERY/DOCUMENT_MARKER_TOKEN_ID 250002/250003, MASK_TOKEN "<mask>", query attention all 1.
        assertThat(ModelCatalog.lateInteractionSettings("jinaai/jina-colbert-v2")).containsOnly(
                entry("query_marker_id", 250002), entry("document_marker_id", 250003), entry("mask_token", "<mask>"),
                entry("query_mask_attention", true));
        // lateon.py: markers 50368/50369, [MASK], no query expansion, QUERY_LENGTH 32 (DOCUMENT_LENGTH 300 = maxLength).
        assertThat(ModelCatalog.lateInteractionSettings("lightonai/LateOn")).containsOnly(
                entry("query_marker_id", 50368), entry("document_marker_id", 50369), entry("mask_token", "[MASK]"),
                entry("query_expansion", false), entry("query_max_length", 32));
        assertThat(ModelCatalog.get("lightonai/LateOn").maxLength()).isEqualTo(300);
        assertThat(ModelCatalog.lateInteractionSettings("colbert-ir/colbertv2.0")).isEmpty();
    }

    @Test
    void jinaColbertQueriesAttendTheirMaskPaddingAndMarkersGoById() {
        try (LateInteractionTextEmbedding jina = LateInteractionTextEmbedding.builder()
                .modelFiles(ModelFiles.of(colbertGraph(dir, "contextual", 1), TestModels.BGE_SMALL_EN_V15.tokenizer()))
                .queryMarkerId(250002).documentMarkerId(250003).queryMaskAttention(true).build()) {
            String text = "what is colbert?";
            List<Long> expected = withMarker(oracleIds(text), 250002);
            while (expected.size() < QUERY_LENGTH) {
                expected.add(maskId);
            }
            float[][] query = jina.queryEmbed(text);
            assertThat(ids(query)).containsExactlyElementsOf(expected);
            assertThat(masks(query)).as("every query token attended, [MASK] padding included").containsOnly(1L);
            assertThat(ids(jina.embed(text)))
                    .containsExactlyElementsOf(withMarker(oracleIds("what is colbert"), 250003));
        }
    }

    @Test
    void lateOnQueriesAreNotExpandedAndTruncatedToThirtyTwoTokens() {
        try (LateInteractionTextEmbedding lateOn = LateInteractionTextEmbedding.builder()
                .modelFiles(ModelFiles.of(colbertGraph(dir, "contextual", 1), TestModels.BGE_SMALL_EN_V15.tokenizer()))
                .catalogSettings("lightonai/LateOn").build()) {
            String shortQuery = "what is late interaction?";
            float[][] query = lateOn.queryEmbed(shortQuery);
            assertThat(ids(query)).containsExactlyElementsOf(withMarker(oracleIds(shortQuery), 50368));
            assertThat(masks(query)).containsOnly(1L);

            String longText = "word ".repeat(100);
            List<Long> longQuery = ids(lateOn.queryEmbed(longText));
            List<Long> truncated = new ArrayList<>(oracleIds(longText).subList(0, 30));
            truncated.add(oracleIds("x").getLast());
            assertThat(longQuery).hasSize(32).containsExactlyElementsOf(withMarker(truncated, 50368));
            // Documents: marker 50369, truncated to 300 tokens with it (DOCUMENT_LENGTH).
            List<Long> document = ids(lateOn.embed(longText + longText + longText + longText));
            assertThat(document).hasSize(300);
            assertThat(document.get(1)).isEqualTo(50369L);
        }
    }

    // ---- helpers ----

    /** The oracle's ids of {@code text} with [CLS] and [SEP], truncated to 511 tokens. */
    static List<Long> oracleIds(String text) {
        List<Long> ids = new ArrayList<>();
        for (long id : oracle.encode(text).getIds()) {
            ids.add(id);
        }
        return ids;
    }

    static List<Long> withMarker(List<Long> ids, long marker) {
        List<Long> marked = new ArrayList<>(ids);
        marked.add(1, marker);
        return marked;
    }

    /** The token id each vector was computed from: its components are (id / 32768, mask, 1) scaled alike. */
    static List<Long> ids(float[][] vectors) {
        List<Long> ids = new ArrayList<>();
        for (float[] v : vectors) {
            ids.add(Math.round((double) v[0] / v[2] / ID_SCALE));
        }
        return ids;
    }

    static List<Long> masks(float[][] vectors) {
        List<Long> masks = new ArrayList<>();
        for (float[] v : vectors) {
            masks.add(Math.round((double) v[1] / v[2]));
        }
        return masks;
    }

    /**
     * ColBERT's interface: {@code input_ids}, {@code attention_mask} → {@code output} [batch, tokens, 128],
     * each token's vector being (id / 32768, mask, 1, 0, ...). A second output doubles it, a third is rank 2.
     */
    static Path colbertGraph(Path dir, String output, int outputs) {
        float[] projection = new float[2 * DIMENSION];
        projection[0] = ID_SCALE;
        projection[DIMENSION + 1] = 1;
        float[] bias = new float[DIMENSION];
        bias[2] = 1;
        TinyOnnx.Graph graph = TinyOnnx.graph("colbert")
                .input("input_ids", INT64, "batch", "sequence")
                .input("attention_mask", INT64, "batch", "sequence")
                .initializer("axis", new long[] {2}, 1)
                .initializer("projection", projection, 2, DIMENSION)
                .initializer("bias", bias, DIMENSION)
                .initializer("two", new float[] {2}, 1)
                .initializer("tokens_axis", new long[] {1}, 1)
                .node("Cast", "ids", List.of("input_ids"), attr("to", (long) FLOAT))
                .node("Cast", "mask", List.of("attention_mask"), attr("to", (long) FLOAT))
                .node("Unsqueeze", "ids3", List.of("ids", "axis"))
                .node("Unsqueeze", "mask3", List.of("mask", "axis"))
                .node("Concat", "features", List.of("ids3", "mask3"), attr("axis", 2L))
                .node("MatMul", "projected", List.of("features", "projection"))
                .node("Add", output, List.of("projected", "bias"))
                .node("Mul", "doubled", List.of(output, "two"))
                .node("ReduceSum", "pooled", List.of(output, "tokens_axis"), attr("keepdims", 0L))
                .output(output, FLOAT, "batch", "sequence", DIMENSION);
        if (outputs > 1) {
            graph.output("doubled", FLOAT, "batch", "sequence", DIMENSION);
        }
        if (outputs > 2) {
            graph.output("pooled", FLOAT, "batch", DIMENSION);
        }
        return graph.write(dir.resolve("colbert-" + output + "-" + outputs + ".onnx"));
    }
}
