package dev.fastembed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.fastembed.catalog.ModelCatalog;
import dev.fastembed.testing.Murmur3;
import dev.fastembed.testing.TestModels;
import dev.fastembed.testing.TinyOnnx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * miniCOIL (Qdrant/minicoil-v1) as fastembed's minicoil.py, its vocab resolver, encoder and sparse-vector converter
 * define it, on a graph with a token-vector output ({@code input_ids}, {@code attention_mask}, {@code token_type_ids}
 * → {@code last_hidden_state}) over the real BERT WordPiece tokenizer, with a vocabulary, matrices (.npy) and
 * stopwords written here. The expected vectors are computed here from the same numbers: words rebuilt from DJL's
 * tokens, resolved through the vocabulary (stems from Snowball's English vocabulary), mean token vectors projected
 * through tanh, normalized and scaled by BM25's term frequency; unknown words hashed past the vocabulary's range.
 */
class MiniCoilEmbeddingTest {

    private static final int VOCAB = 30522;
    private static final int HIDDEN = 3;
    private static final int DIM = 4;
    private static final List<String> WORDS = List.of("cat", "run", "fox");
    /** English Snowball stems of the test's words (Snowball's official vocabulary, python3-snowballstemmer). */
    private static final Map<String, String> STEMS = Map.of("cats", "cat", "runs", "run", "zebras", "zebra",
            "quickly", "quick", "and", "and", "fox", "fox", "run", "run");
    private static final Set<String> STOPWORDS = Set.of("the", "a");

    @TempDir
    static Path dir;
    static HuggingFaceTokenizer oracle;
    static SparseTextEmbedding model;

    @BeforeAll
    static void load() throws Exception {
        Path tokenizer = TestModels.BGE_SMALL_EN_V15.tokenizer();
        oracle = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizer).optMaxLength(512).optTruncation(true)
                .optPadding(false).build();
        Path vocab = Files.writeString(dir.resolve("minicoil.triplet.model.vocab"),
                "{\"vocab\": [\"cat\", \"run\", \"fox\"], \"stem_mapping\": {\"cat\": \"cat\", \"run\": \"run\", \"fox\": \"fox\"}}");
        Path weights = Files.write(dir.resolve("minicoil.triplet.model.npy"), npy());
        Path stopwords = Files.writeString(dir.resolve("stopwords.txt"), "the\na\n");
        model = SparseTextEmbedding.builder().modelFiles(ModelFiles.of(graph().write(dir.resolve("minicoil.onnx")),
                tokenizer)).miniCoilFiles(vocab, weights, stopwords).build();
    }

    @AfterAll
    static void close() {
        model.close();
        oracle.close();
    }

    static float embedding(long id, int k) {
        return (float) Math.sin(id * 0.37 + k * 1.3);
    }

    static float weight(int word, int i, int o) {
        return (float) Math.cos(word * 0.9 + i * 0.55 + o * 1.7) * 0.8f;
    }

    private static TinyOnnx.Graph graph() {
        float[] table = new float[VOCAB * HIDDEN];
        for (int id = 0; id < VOCAB; id++) {
            for (int k = 0; k < HIDDEN; k++) {
                table[id * HIDDEN + k] = embedding(id, k);
            }
        }
        return TinyOnnx.graph("minicoil")
                .input("input_ids", TinyOnnx.INT64, "batch", "sequence")
                .input("attention_mask", TinyOnnx.INT64, "batch", "sequence")
                .input("token_type_ids", TinyOnnx.INT64, "batch", "sequence")
                .initializer("table", table, VOCAB, HIDDEN)
                .node("Gather", "last_hidden_state", List.of("table", "input_ids"), TinyOnnx.attr("axis", 0))
                .output("last_hidden_state", TinyOnnx.FLOAT, "batch", "sequence", HIDDEN);
    }

    /** The matrices [words + 1, HIDDEN, DIM] as a little-endian float32 .npy file. */
    private static byte[] npy() {
        int rows = WORDS.size() + 1;
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + HIDDEN + ", " + DIM + "), }";
        int total = 10 + header.length() + 1;
        header = header + " ".repeat((64 - total % 64) % 64) + "\n";
        ByteBuffer out = ByteBuffer.allocate(10 + header.length() + rows * HIDDEN * DIM * 4).order(ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        out.put(header.getBytes(StandardCharsets.US_ASCII));
        for (int w = 0; w < rows; w++) {
            for (int i = 0; i < HIDDEN; i++) {
                for (int o = 0; o < DIM; o++) {
                    out.putFloat(weight(w, i, o));
                }
            }
        }
        return out.array();
    }

    /** The expected vector of {@code text}: index → value, computed from the graph's and the files' numbers. */
    private static Map<Integer, Double> expected(String text, boolean query) {
        Encoding encoding = oracle.encode(text);
        String[] tokens = encoding.getTokens();
        long[] ids = encoding.getIds();
        // Words from WordPiece pieces, with their token positions.
        List<String> words = new ArrayList<>();
        List<List<Integer>> positions = new ArrayList<>();
        for (int t = 0; t < tokens.length; t++) {
            if (tokens[t].startsWith("##") && !words.isEmpty()) {
                words.set(words.size() - 1, words.getLast() + tokens[t].substring(2));
                positions.getLast().add(t);
            } else {
                words.add(tokens[t]);
                positions.add(new ArrayList<>(List.of(t)));
            }
        }
        Map<Integer, List<Integer>> known = new TreeMap<>();    // word id → token positions
        Map<Integer, Integer> knownCount = new TreeMap<>();
        Map<String, Integer> unknown = new LinkedHashMap<>();   // BM25 stem → count
        for (int w = 0; w < words.size(); w++) {
            String word = words.get(w);
            int id = STOPWORDS.contains(word) ? 0 : WORDS.indexOf(word) + 1;
            if (id == 0 && !STOPWORDS.contains(word) && word.matches("\\p{L}+")) {
                String stem = STEMS.get(word);
                assertThat(stem).as("the test's stem table covers '%s'", word).isNotNull();
                id = WORDS.indexOf(stem) + 1;
            }
            if (id > 0) {
                known.computeIfAbsent(id, k -> new ArrayList<>()).addAll(positions.get(w));
                knownCount.merge(id, 1, Integer::sum);
            } else if (word.matches("\\p{L}+") && !STOPWORDS.contains(word)) {
                unknown.merge(STEMS.get(word), 1, Integer::sum);
            }
        }
        int length = knownCount.values().stream().mapToInt(Integer::intValue).sum()
                + unknown.values().stream().mapToInt(Integer::intValue).sum();
        Map<Integer, Double> vector = new TreeMap<>();
        known.forEach((id, at) -> {
            double[] mean = new double[HIDDEN];
            for (int t : at) {
                for (int k = 0; k < HIDDEN; k++) {
                    mean[k] += embedding(ids[t], k) / (double) at.size();
                }
            }
            double[] out = new double[DIM];
            double norm = 0;
            for (int o = 0; o < DIM; o++) {
                for (int i = 0; i < HIDDEN; i++) {
                    out[o] += mean[i] * weight(id, i, o);
                }
                out[o] = Math.tanh(out[o]);
                norm += out[o] * out[o];
            }
            double tf = query ? 1 : tf(knownCount.get(id), length);
            for (int o = 0; o < DIM; o++) {
                vector.put(id * DIM + o, out[o] / Math.sqrt(norm) * tf);
            }
        });
        long shift = (((WORDS.size() + 1L) * DIM) / 32000 + 2) * 32000;
        unknown.forEach((stem, count) -> vector.put((int) (shift + Murmur3.sparseIndex(stem) % (Integer.MAX_VALUE - shift)),
                query ? 1 : tf(count, length)));
        return vector;
    }

    /** BM25's term-frequency weight with miniCOIL's k 1.2, b 0.75, avg_len 150. */
    private static double tf(int count, int length) {
        return count * 2.2 / (count + 1.2 * (1 - 0.75 + 0.75 * length / 150.0));
    }

    private static void assertVector(SparseEmbedding actual, Map<Integer, Double> expected) {
        assertThat(actual.indices()).containsExactly(expected.keySet().stream().mapToInt(Integer::intValue).toArray());
        int i = 0;
        for (double value : expected.values()) {
            assertThat((double) actual.values()[i++]).isCloseTo(value, within(1e-4));
        }
    }

    @Test
    void documentsAreWordMeaningsScaledByTermFrequencyAndUnknownWordsAreBm25() {
        assertThat(model.algorithm()).isEqualTo(SparseTextEmbedding.Algorithm.MINICOIL);
        for (String text : List.of("The cats run, the fox runs quickly! zebras", "fox", "the a", "")) {
            Map<Integer, Double> expected = expected(text, false);
            assertVector(model.embed(text), expected);
        }
        Map<Integer, Double> mixed = expected("The cats run, the fox runs quickly! zebras", false);
        assertThat(mixed).as("three known words (4 values each) and two unknown ones").hasSize(14);
        assertThat(mixed.values()).as("miniCOIL's values may be negative").anyMatch(x -> x < 0);
    }

    @Test
    void queriesWeighEveryWordOne() {
        String text = "cats and zebras run";
        assertVector(model.queryEmbed(text), expected(text, true));
    }

    @Test
    void theCatalogueEntryShipsItsFiles() {
        assertThat(ModelCatalog.get("Qdrant/minicoil-v1").additionalFiles())
                .containsExactly("stopwords.txt", "minicoil.triplet.model.npy", "minicoil.triplet.model.vocab");
    }
}
