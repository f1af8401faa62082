package dev.fastembed;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.fastembed.catalog.ModelCatalog;
import dev.fastembed.catalog.ModelDescription;
import dev.fastembed.catalog.ModelKind;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

/**
 * fastembed's token embeddings model ({@code jinaai/jina-embeddings-v2-small-en-tokens}, token_embeddings.py): per
 * text, the first output's vector of every attended token ({@code embeddings[i, masks[i] == 1]}), not normalized,
 * with no marker, no query padding and no skip list; {@code query_embed} is {@code embed}. The graph has
 * jina-embeddings-v2-small-en's interface ({@code input_ids}, {@code attention_mask}, {@code token_type_ids} →
 * {@code last_hidden_state}) over the real BERT uncased tokenizer; a token's vector is a row of a table written here
 * (of uneven lengths) plus the attention mask and the type id times two fixed vectors. The expected vectors are
 * computed here from DJL's token ids and the same formulas.
 */
class TokenEmbeddingsTest {

    private static final String NAME = "jinaai/jina-embeddings-v2-small-en-tokens";
    private static final int VOCABULARY = 30522;
    private static final int HIDDEN = 6;

    @TempDir
    static Path dir;
    static HuggingFaceTokenizer oracle;
    static Path graph;
    static LateInteractionTextEmbedding tokens;

    @BeforeAll
    static void load() throws Exception {
        oracle = HuggingFaceTokenizer.builder().optTokenizerPath(TestModels.BGE_SMALL_EN_V15.tokenizer())
                .optTruncation(true).optMaxLength(512).optPadding(false).build();
        graph = graph().write(dir.resolve("jina-v2-small-tokens.onnx"));
        tokens = builder().maxLength(512).build();
    }

    @AfterAll
    static void close() {
        tokens.close();
        oracle.close();
    }

    static LateInteractionTextEmbedding.Builder builder() {
        return LateInteractionTextEmbedding.builder()
                .modelFiles(ModelFiles.of(graph, TestModels.BGE_SMALL_EN_V15.tokenizer())).catalogSettings(NAME);
    }

    static float table(long id, int k) {
        return (float) (Math.sin(id * 0.37 + k * 1.3) * (1 + id % 5));
    }

    static float attended(int k) {
        return 0.25f * (k + 1);
    }

    static float typed(int k) {
        return 10f - k;
    }

    /** The vectors of {@code text}: one per token of DJL's encoding ([CLS] and [SEP] included), mask 1, type 0. */
    static float[][] expected(String text) {
        long[] ids = oracle.encode(text).getIds();
        float[][] vectors = new float[ids.length][HIDDEN];
        for (int t = 0; t < ids.length; t++) {
            for (int k = 0; k < HIDDEN; k++) {
                vectors[t][k] = table(ids[t], k) + attended(k);
            }
        }
        return vectors;
    }

    static void assertVectors(float[][] actual, float[][] expected) {
        assertThat(actual).hasNumberOfRows(expected.length);
        for (int t = 0; t < expected.length; t++) {
            for (int k = 0; k < HIDDEN; k++) {
                assertThat(actual[t][k]).as("token %d, value %d", t, k).isCloseTo(expected[t][k], within(1e-5f));
            }
        }
    }

    @Test
    void documentsAreTheRawVectorsOfEveryAttendedTokenPunctuationIncluded() {
        for (String text : List.of("hello world", "Hello, world! It's token-level (per token) -- see: x?y=1.", "")) {
            assertVectors(tokens.embed(text), expected(text));
        }
        assertThat(tokens.embed("?!.")).as("[CLS] ? ! . [SEP]: no skip list").hasNumberOfRows(5);
    }

    @Test
    void queriesAreEmbeddedLikeDocuments() {
        for (String text : List.of("what is a token embedding?", "", "a")) {
            float[][] query = tokens.queryEmbed(text);
            assertVectors(query, expected(text));
            assertThat(query).as("no [MASK] padding to 32").hasNumberOfRows(oracle.encode(text).getIds().length);
            assertThat(query).isDeepEqualTo(tokens.embed(text));
        }
    }

    @Test
    void vectorsAreNotNormalized() {
        float[][] vectors = tokens.embed("unnormalized vectors keep their length");
        double[] norms = new double[vectors.length];
        float[][] expected = expected("unnormalized vectors keep their length");
        for (int t = 0; t < vectors.length; t++) {
            double norm = 0;
            double expectedNorm = 0;
            for (int k = 0; k < HIDDEN; k++) {
                norm += vectors[t][k] * vectors[t][k];
                expectedNorm += expected[t][k] * expected[t][k];
            }
            norms[t] = Math.sqrt(norm);
            assertThat(norms[t]).isCloseTo(Math.sqrt(expectedNorm), within(1e-4));
        }
        assertThat(java.util.Arrays.stream(norms).max().orElseThrow()).as("not unit length").isGreaterThan(2);
    }

    @Test
    void batchPaddingIsLeftOutAndTextsKeepTheirOrder() {
        List<String> texts = List.of("short", "a much longer text, with many more tokens than the first one has", "",
                "medium length, with punctuation!");
        List<float[][]> documents = tokens.embed(texts);
        List<float[][]> queries = tokens.queryEmbed(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertVectors(documents.get(i), expected(texts.get(i)));
            assertVectors(queries.get(i), expected(texts.get(i)));
        }
    }

    @Test
    void longTextsAreTruncatedAtTheMaximumWithNoRoomKeptForAMarker() {
        String text = "word ".repeat(700);
        float[][] vectors = tokens.embed(text);
        assertThat(vectors).hasNumberOfRows(512);
        assertVectors(vectors, expected(text));
    }

    @Test
    void theCatalogueEntryIsFastembeds() {
        ModelDescription model = ModelCatalog.get(NAME);
        assertThat(model.kind()).isEqualTo(ModelKind.LATE_INTERACTION);
        assertThat(model.repo()).isEqualToIgnoringCase("xenova/jina-embeddings-v2-small-en");
        assertThat(model.repo()).as("the dense model's files, one cache entry")
                .isEqualTo(ModelCatalog.get("jinaai/jina-embeddings-v2-small-en").repo());
        assertThat(model.modelFile()).isEqualTo("onnx/model.onnx");
        assertThat(model.dimension()).isEqualTo(512);
        assertThat(model.sizeGb()).isEqualTo(0.12);
        assertThat(model.licence()).isEqualTo("apache-2.0");
        assertThat(model.normalize()).isFalse();
        assertThat(model.maxLength()).isEqualTo(8192);
        assertThat(ModelCatalog.lateInteractionSettings(NAME)).containsOnly(entry("markers", false),
                entry("query_expansion", false), entry("skip_punctuation", false));
        assertThat(LateInteractionTextEmbedding.listSupportedModels()).contains(model);
    }

    @Test
    void dimensionComesFromTheModel() {
        assertThat(tokens.dimension()).isEqualTo(HIDDEN);
    }

    @Test
    void markerSettingsAreRefusedWhenMarkersAreOff() {
        assertThatThrownBy(() -> builder().queryMarkerId(1).build())
                .isInstanceOfSatisfying(FastEmbedException.class,
                        e -> assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.INVALID_ARGUMENT))
                .hasMessageContaining("query_marker_id").hasMessageContaining("markers are off");
    }

    @Test
    void colbertSettingsTurnedBackOnRestoreColbertsBehaviour() {
        // The same graph with markers, the skip list and normalization: ColBERT's document side.
        try (LateInteractionTextEmbedding colbertLike = builder().maxLength(512).markers(true).skipPunctuation(true)
                .normalize(true).build()) {
            float[][] vectors = colbertLike.embed("hello, world");
            assertThat(vectors).as("[CLS] [unused1] hello world [SEP]").hasNumberOfRows(5);
            for (float[] vector : vectors) {
                double norm = 0;
                for (float x : vector) {
                    norm += x * x;
                }
                assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-5));
            }
        }
    }

    /**
     * jina-embeddings-v2-small-en's interface: {@code last_hidden_state = table[input_ids] + attention_mask × a +
     * token_type_ids × c}, [batch, sequence, HIDDEN].
     */
    static TinyOnnx.Graph graph() {
        float[] rows = new float[VOCABULARY * HIDDEN];
        float[] a = new float[HIDDEN];
        float[] c = new float[HIDDEN];
        for (int k = 0; k < HIDDEN; k++) {
            for (int id = 0; id < VOCABULARY; id++) {
                rows[id * HIDDEN + k] = table(id, k);
            }
            a[k] = attended(k);
            c[k] = typed(k);
        }
        return TinyOnnx.graph("jina-v2-small-tokens")
                .input("input_ids", INT64, "batch", "sequence")
                .input("attention_mask", INT64, "batch", "sequence")
                .input("token_type_ids", INT64, "batch", "sequence")
                .initializer("table", rows, VOCABULARY, HIDDEN)
                .initializer("a", a, HIDDEN)
                .initializer("c", c, HIDDEN)
                .initializer("axis", new long[] {2}, 1)
                .node("Gather", "embedded", List.of("table", "input_ids"), attr("axis", 0))
                .node("Cast", "mask", List.of("attention_mask"), attr("to", (long) FLOAT))
                .node("Unsqueeze", "mask3", List.of("mask", "axis"))
                .node("Mul", "masked", List.of("mask3", "a"))
                .node("Cast", "types", List.of("token_type_ids"), attr("to", (long) FLOAT))
                .node("Unsqueeze", "types3", List.of("types", "axis"))
                .node("Mul", "typed", List.of("types3", "c"))
                .node("Add", "partial", List.of("embedded", "masked"))
                .node("Add", "last_hidden_state", List.of("partial", "typed"))
                .output("last_hidden_state", FLOAT, "batch", "sequence", HIDDEN);
    }
}
