package dev.fastembed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.fastembed.testing.Murmur3;
import dev.fastembed.testing.TestModels;
import dev.fastembed.testing.TinyOnnx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

/**
 * BM42 through every layer, on a graph with the interface of Qdrant/all_miniLM_L6_v2_with_attentions
 * (input_ids, attention_mask, token_type_ids → last_hidden_state and attention_6 [batch, heads, tokens, tokens])
 * over the real all-MiniLM-L6-v2 tokenizer. In the graph, every query position of head {@code h} attends to token
 * {@code j} with {@code HEAD_SCALE[h] * weight(id_j)}, so the [CLS] attention BM42 reads is known in the test; the
 * test rebuilds words, drops stopwords and punctuation, stems (by a table for its sentences) and rescores as
 * fastembed's BM42 describes.
 */
class Bm42EmbeddingTest {

    private static final int VOCAB = 30522;
    private static final float[] HEAD_SCALE = {1.0f, 0.5f};
    /** Snowball English stems of the words of the test sentences. */
    private static final Map<String, String> STEMS = Map.of("quick", "quick", "brown", "brown", "foxes", "fox",
            "running", "run", "lazy", "lazi", "dog", "dog", "jumped", "jump", "fox", "fox");
    /** The NLTK English stopwords among the words of the test sentences. */
    private static final Set<String> STOPWORDS = Set.of("the", "were", "a", "over");
    private static final Set<String> SPECIAL = Set.of("[CLS]", "[SEP]", "[PAD]");
    private static final List<String> TEXTS = List.of("The quick brown foxes were running, running!",
            "A lazy dog jumped over the quick fox.", "");

    @TempDir
    static Path dir;
    private static ModelFiles files;
    private static SparseTextEmbedding model;
    private static HuggingFaceTokenizer oracle;

    @BeforeAll
    static void load() throws Exception {
        files = ModelFiles.of(bm42Graph().write(dir.resolve("bm42.onnx")), TestModels.ALL_MINILM_L6_V2.tokenizer());
        model = SparseTextEmbedding.builder().modelFiles(files).build();
        oracle = HuggingFaceTokenizer.builder().optTokenizerPath(TestModels.ALL_MINILM_L6_V2.tokenizer())
                .optMaxLength(512).optTruncation(true).optPadding(false).build();
    }

    @AfterAll
    static void close() {
        model.close();
        oracle.close();
    }

    static float weight(long id) {
        return ((id * 7919) % 1000) / 1000f + 0.001f;
    }

    private static TinyOnnx.Graph bm42Graph() {
        float[] weights = new float[VOCAB];
        float[] hidden = new float[VOCAB * 2];
        for (int id = 0; id < VOCAB; id++) {
            weights[id] = weight(id);
            hidden[2 * id] = id;
            hidden[2 * id + 1] = -id;
        }
        return TinyOnnx.graph("bm42")
                .input("input_ids", TinyOnnx.INT64, "batch", "sequence")
                .input("attention_mask", TinyOnnx.INT64, "batch", "sequence")
                .input("token_type_ids", TinyOnnx.INT64, "batch", "sequence")
                .initializer("token_weight", weights, VOCAB)
                .initializer("hidden", hidden, VOCAB, 2)
                .initializer("head_scale", HEAD_SCALE, 1, HEAD_SCALE.length, 1, 1)
                .initializer("key_axes", new long[] {1, 2}, 2)
                .initializer("query_axes", new long[] {1, 3}, 2)
                .node("Gather", "last_hidden_state", List.of("hidden", "input_ids"), TinyOnnx.attr("axis", 0))
                .node("Gather", "w", List.of("token_weight", "input_ids"), TinyOnnx.attr("axis", 0))
                .node("Unsqueeze", "w_keys", List.of("w", "key_axes"))
                .node("Cast", "mask", List.of("attention_mask"), TinyOnnx.attr("to", TinyOnnx.FLOAT))
                .node("Unsqueeze", "mask_queries", List.of("mask", "query_axes"))
                .node("Mul", "per_head", List.of("w_keys", "head_scale"))
                .node("Mul", "attention_6", List.of("per_head", "mask_queries"))
                .output("last_hidden_state", TinyOnnx.FLOAT, "batch", "sequence", 2)
                .output("attention_6", TinyOnnx.FLOAT, "batch", HEAD_SCALE.length, "sequence", "sequence");
    }

    /** fastembed's BM42 document vector, from the oracle's tokens and the graph's attention. */
    private static Map<Integer, Double> expectedDocument(String text, double alpha) {
        Encoding encoding = oracle.encode(text);
        String[] tokens = encoding.getTokens();
        long[] ids = encoding.getIds();
        float headMean = 0;
        for (float scale : HEAD_SCALE) {
            headMean += scale;
        }
        headMean /= HEAD_SCALE.length;
        Map<String, Double> best = new LinkedHashMap<>();
        for (Word word : words(tokens)) {
            if (STOPWORDS.contains(word.text) || isPunctuation(word.text)) {
                continue;
            }
            double sum = 0;
            for (int position : word.positions) {
                sum += headMean * weight(ids[position]);
            }
            best.merge(stem(word.text), sum, Math::max);
        }
        Map<Integer, Double> vector = new TreeMap<>();
        best.forEach((stem, w) -> vector.put(Murmur3.sparseIndex(stem), Math.pow(Math.log(1 + w), alpha)));
        return vector;
    }

    private record Word(String text, List<Integer> positions) {
    }

    /** WordPiece pieces joined into words ("##" continues a word), special tokens skipped. */
    private static List<Word> words(String[] tokens) {
        List<Word> words = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) {
            if (SPECIAL.contains(tokens[i])) {
                continue;
            }
            if (tokens[i].startsWith("##") && !words.isEmpty()) {
                Word last = words.removeLast();
                List<Integer> positions = new ArrayList<>(last.positions);
                positions.add(i);
                words.add(new Word(last.text + tokens[i].substring(2), positions));
            } else {
                words.add(new Word(tokens[i], List.of(i)));
            }
        }
        return words;
    }

    private static boolean isPunctuation(String word) {
        return word.length() == 1 && "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".contains(word);
    }

    private static String stem(String word) {
        String stem = STEMS.get(word);
        if (stem == null) {
            fail("the test's stem table lacks '" + word + "'");
        }
        return stem;
    }

    private static Map<Integer, Double> asMap(SparseEmbedding vector) {
        Map<Integer, Double> map = new HashMap<>();
        for (int i = 0; i < vector.size(); i++) {
            map.put(vector.indices()[i], (double) vector.values()[i]);
        }
        return map;
    }

    private static void assertVector(SparseEmbedding actual, Map<Integer, Double> expected) {
        assertThat(asMap(actual).keySet()).isEqualTo(expected.keySet());
        expected.forEach((index, value) ->
                assertThat((double) actual.get(index)).as("index %d", index).isCloseTo(value, within(1e-6)));
    }

    @Test
    void documentsAreWeightedByTheClsAttentionToTheirWords() {
        List<SparseEmbedding> vectors = model.embed(TEXTS);
        for (int i = 0; i < TEXTS.size(); i++) {
            assertVector(vectors.get(i), expectedDocument(TEXTS.get(i), 0.5));
        }
        // quick, brown, fox, run: "the"/"were" are stopwords, "running" twice is one word with its larger weight.
        assertThat(vectors.get(0).size()).isEqualTo(4);
        assertThat(vectors.get(2).size()).isZero();
    }

    @Test
    void queriesWeighEachWordOneWithoutAttention() {
        SparseEmbedding query = model.queryEmbed("The quick foxes, running!");
        Map<Integer, Double> expected = new TreeMap<>();
        for (String stem : List.of("quick", "fox", "run")) {
            expected.put(Murmur3.sparseIndex(stem), 1.0);
        }
        assertVector(query, expected);
    }

    @Test
    void alphaIsTheExponentOfTheRescoring() {
        try (SparseTextEmbedding linear = SparseTextEmbedding.builder().modelFiles(files).alpha(1f).build()) {
            assertVector(linear.embed(TEXTS.get(1)), expectedDocument(TEXTS.get(1), 1.0));
        }
    }

    @Test
    void paddingInABatchDoesNotChangeADocument() {
        List<String> batch = List.of("fox", "a quick brown dog jumped over a lazy dog and jumped again and again");
        assertThat(model.embed(batch).getFirst()).isEqualTo(model.embed("fox"));
    }

    @Test
    void theAlgorithmIsRecognisedFromTheAttentionOutput() {
        assertThat(model.algorithm()).isEqualTo(SparseTextEmbedding.Algorithm.BM42);
    }

    @Test
    void readingAnotherOutputIsRejected() {
        assertThatThrownBy(() -> SparseTextEmbedding.builder().modelFiles(files)
                .algorithm(SparseTextEmbedding.Algorithm.BM42).outputName("last_hidden_state").build())
                .isInstanceOfSatisfying(FastEmbedException.class,
                        e -> assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.INVALID_MODEL))
                .hasMessageContaining("rank 3");
    }

    @Test
    void bm25OnlyOptionsAreRejected() {
        assertThatThrownBy(() -> SparseTextEmbedding.builder().modelFiles(files).avgLen(100f).build())
                .isInstanceOf(FastEmbedException.class).hasMessageContaining("avg_len").hasMessageContaining("BM42");
        assertThatThrownBy(() -> SparseTextEmbedding.builder().modelFiles(files).alpha(-1f).build())
                .isInstanceOf(FastEmbedException.class).hasMessageContaining("alpha");
    }

    @Test
    void aClosedModelRejectsCalls() {
        SparseTextEmbedding closing = SparseTextEmbedding.builder().modelFiles(files).build();
        closing.close();
        assertThatThrownBy(() -> closing.queryEmbed("fox")).isInstanceOf(IllegalStateException.class);
    }
}
