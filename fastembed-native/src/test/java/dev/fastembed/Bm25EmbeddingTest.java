package dev.fastembed;

import dev.fastembed.catalog.ModelCatalog;
import dev.fastembed.hub.HubOptions;
import dev.fastembed.testing.Murmur3;
import dev.fastembed.testing.Prerequisites;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * BM25 through every layer, without model files, on the paragraphs of the Apache License 2.0: the engine's
 * document vectors (term-frequency part), query vectors (1.0 per word) and an IDF computed from the vectors as a
 * vector store does it must rank paragraphs as a textbook BM25 written here does.
 */
class Bm25EmbeddingTest {

    private static final Path APACHE_LICENSE = Path.of("/usr/share/common-licenses/Apache-2.0");
    private static final double K1 = 1.2;
    private static final double B = 0.75;

    private static List<String> paragraphs;
    private static List<List<String>> paragraphTerms;
    private static double averageLength;
    private static SparseTextEmbedding unstemmed;
    private static SparseTextEmbedding english;

    @BeforeAll
    static void load() throws IOException {
        Path license = Prerequisites.debianFile(APACHE_LICENSE, "base-files");
        paragraphs = Arrays.stream(Files.readString(license).split("\\n\\s*\\n"))
                .map(String::strip).filter(p -> !p.isEmpty()).toList();
        paragraphTerms = paragraphs.stream().map(Bm25EmbeddingTest::terms).toList();
        averageLength = paragraphTerms.stream().mapToInt(List::size).average().orElseThrow();
        // Without stemming and stopwords, BM25's words are the lowercase runs of letters, digits and '_'.
        unstemmed = SparseTextEmbedding.builder().algorithm(SparseTextEmbedding.Algorithm.BM25)
                .disableStemmer(true).avgLen((float) averageLength).build();
        english = SparseTextEmbedding.bm25();
    }

    @AfterAll
    static void close() {
        if (unstemmed != null) {
            unstemmed.close();
            english.close();
        }
    }

    /** The reference tokenizer: ASCII text, so Python's \w is [a-z0-9_] after lowercasing; "_" alone is dropped. */
    private static List<String> terms(String text) {
        return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^a-z0-9_]+"))
                .filter(t -> !t.isEmpty() && !t.equals("_") && t.length() <= 40).toList();
    }

    private static Map<String, Integer> termFrequencies(List<String> terms) {
        Map<String, Integer> tf = new LinkedHashMap<>();
        terms.forEach(t -> tf.merge(t, 1, Integer::sum));
        return tf;
    }

    /** Textbook Okapi BM25 with the IDF Lucene and Qdrant use: ln(1 + (N - df + 0.5) / (df + 0.5)). */
    private static double[] referenceScores(String query) {
        int n = paragraphTerms.size();
        Map<String, Integer> documentFrequency = new HashMap<>();
        for (List<String> terms : paragraphTerms) {
            new LinkedHashSet<>(terms).forEach(t -> documentFrequency.merge(t, 1, Integer::sum));
        }
        double[] scores = new double[n];
        for (String term : new LinkedHashSet<>(terms(query))) {
            int df = documentFrequency.getOrDefault(term, 0);
            double idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
            for (int d = 0; d < n; d++) {
                int tf = termFrequencies(paragraphTerms.get(d)).getOrDefault(term, 0);
                double length = paragraphTerms.get(d).size();
                scores[d] += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / averageLength));
            }
        }
        return scores;
    }

    /** What a sparse index with an IDF modifier computes from the engine's vectors. */
    private static double[] engineScores(List<SparseEmbedding> documents, SparseEmbedding query) {
        int n = documents.size();
        double[] scores = new double[n];
        for (int q = 0; q < query.size(); q++) {
            int index = query.indices()[q];
            long df = documents.stream().filter(d -> d.get(index) > 0).count();
            double idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
            for (int d = 0; d < n; d++) {
                scores[d] += query.values()[q] * idf * documents.get(d).get(index);
            }
        }
        return scores;
    }

    private static List<Integer> ranking(double[] scores) {
        return IntStream.range(0, scores.length).filter(i -> scores[i] > 0).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparing(i -> i)).toList();
    }

    @Test
    void bm25HasNoOnnxSessionToDescribe() {
        assertThat(english.sessionInfo()).isEmpty();
    }

    @Test
    void murmurReferenceMatchesPublishedHashes() {
        // mmh3.hash("foo") and mmh3.hash("hello"), as mmh3's documentation and test suite give them.
        assertThat(Murmur3.hash32("foo".getBytes(), 0)).isEqualTo(-156908512);
        assertThat(Murmur3.hash32("hello".getBytes(), 0)).isEqualTo(613153351);
        assertThat(Murmur3.hash32(new byte[0], 0)).isZero();
    }

    @Test
    void documentWeightsAreTheTermFrequencyPartOfBm25() {
        List<SparseEmbedding> vectors = unstemmed.embed(paragraphs);
        for (int d = 0; d < paragraphs.size(); d++) {
            List<String> terms = paragraphTerms.get(d);
            Map<Integer, Double> expected = new HashMap<>();
            termFrequencies(terms).forEach((term, tf) -> expected.put(Murmur3.sparseIndex(term),
                    tf * (K1 + 1) / (tf + K1 * (1 - B + B * terms.size() / averageLength))));
            SparseEmbedding vector = vectors.get(d);
            assertThat(vector.size()).as(paragraphs.get(d)).isEqualTo(expected.size());
            for (Map.Entry<Integer, Double> entry : expected.entrySet()) {
                assertThat((double) vector.get(entry.getKey())).as("paragraph %d", d)
                        .isCloseTo(entry.getValue(), within(1e-6 * entry.getValue()));
            }
        }
    }

    @Test
    void rankingMatchesAReferenceBm25() {
        List<SparseEmbedding> documents = unstemmed.embed(paragraphs);
        List<String> queries = List.of("patent litigation", "warranty of merchantability", "trademarks",
                "derivative works in source form", "contributor license grant", "indemnity liability",
                "redistribution of the work", "apache license version 2 0", "NOTICE text file");
        for (String query : queries) {
            double[] reference = referenceScores(query);
            double[] actual = engineScores(documents, unstemmed.queryEmbed(query));
            assertThat(ranking(reference)).as(query).isNotEmpty();
            assertThat(ranking(actual)).as(query).isEqualTo(ranking(reference));
            for (int d = 0; d < reference.length; d++) {
                assertThat(actual[d]).as("%s, paragraph %d", query, d).isCloseTo(reference[d], within(1e-5));
            }
        }
    }

    @Test
    void queriesWeighEachDistinctWordOne() {
        SparseEmbedding query = unstemmed.queryEmbed("patent Patent grant");
        int[] expected = {Murmur3.sparseIndex("patent"), Murmur3.sparseIndex("grant")};
        Arrays.sort(expected);
        assertThat(query.indices()).containsExactly(expected);
        assertThat(query.values()).containsExactly(1f, 1f);
    }

    @Test
    void englishStemsWordFormsTogetherAndDropsStopwords() {
        // Snowball English: licenses, licensing and licensed all stem to "licens".
        int stem = Murmur3.sparseIndex("licens");
        assertThat(english.queryEmbed("licensing").indices()).containsExactly(stem);
        assertThat(english.embed("Licenses were licensed").indices()).containsExactly(stem);
        assertThat(english.queryEmbed("the and of to which").size()).isZero();
        // A paragraph that says "License" now matches a query that says "licensing".
        List<SparseEmbedding> documents = english.embed(paragraphs);
        double[] scores = engineScores(documents, english.queryEmbed("licensing"));
        assertThat(Arrays.stream(scores).filter(s -> s > 0).count()).isGreaterThan(5);
    }

    @Test
    void theLanguageChoosesStemmerAndStopwords() {
        try (SparseTextEmbedding german = SparseTextEmbedding.builder().model("Qdrant/bm25").language("german").build()) {
            assertThat(german.queryEmbed("und der Hund").indices()).containsExactly(Murmur3.sparseIndex("hund"));
        }
    }

    @Test
    void everyFastembedLanguageStemsAndOwnStopwordsReplaceTheList() {
        // The Arabic pair is from Snowball's official vocabulary (Debian's snowball-data). Tamil is cut at its vowel
        // signs and viramas first, as fastembed's Python re does: "கழித்துக்" becomes கழ, த, த, க (Python 3.11).
        try (SparseTextEmbedding tamil = SparseTextEmbedding.builder().model("Qdrant/bm25").language("tamil").build();
                SparseTextEmbedding arabic = SparseTextEmbedding.builder().model("Qdrant/bm25").language("arabic").build()) {
            assertThat(tamil.queryEmbed("கழித்துக்").indices()).containsExactlyInAnyOrder(Murmur3.sparseIndex("கழ"),
                    Murmur3.sparseIndex("த"), Murmur3.sparseIndex("க"));
            assertThat(arabic.queryEmbed("فبارحا").indices()).containsExactly(Murmur3.sparseIndex("بارح"));
        }
        try (SparseTextEmbedding own = SparseTextEmbedding.builder().model("Qdrant/bm25").language("german")
                .stopwords(List.of("Hund")).build()) {
            // "und" and "der" are German stopwords, but the user's list replaces German's.
            assertThat(own.queryEmbed("und der Hund").indices())
                    .containsExactlyInAnyOrder(Murmur3.sparseIndex("und"), Murmur3.sparseIndex("der"));
        }
    }

    @Test
    void theCatalogueEntryNeedsNoFilesAndNoNetwork(@TempDir Path cache) {
        assertThat(ModelCatalog.get("Qdrant/bm25").files()).isEmpty();
        HubOptions offline = HubOptions.builder().cacheDir(cache).offline(true).build();
        try (SparseTextEmbedding fromCatalogue = SparseTextEmbedding.builder().model("Qdrant/bm25")
                .hubOptions(offline).build()) {
            assertThat(fromCatalogue.algorithm()).isEqualTo(SparseTextEmbedding.Algorithm.BM25);
            assertThat(fromCatalogue.embed(paragraphs)).isEqualTo(english.embed(paragraphs));
        }
        assertThat(cache).isEmptyDirectory();
    }

    @Test
    void parametersChangeTheWeightsAsTheFormulaSays() {
        try (SparseTextEmbedding tuned = SparseTextEmbedding.builder().algorithm(SparseTextEmbedding.Algorithm.BM25)
                .k1(2f).b(0.5f).avgLen(3f).build()) {
            // "word" once in a one-word document: 1 * (k1 + 1) / (1 + k1 * (1 - b + b * 1 / avgLen))
            double expected = 3.0 / (1 + 2.0 * (0.5 + 0.5 / 3.0));
            assertThat((double) tuned.embed("word").values()[0]).isCloseTo(expected, within(1e-6));
        }
    }

    @Test
    void badOptionsAreRejectedWithClearMessages() {
        List<SparseTextEmbedding.Builder> bad = List.of(
                SparseTextEmbedding.builder().algorithm(SparseTextEmbedding.Algorithm.BM25).b(1.5f),
                SparseTextEmbedding.builder().algorithm(SparseTextEmbedding.Algorithm.BM25).k1(-1f),
                SparseTextEmbedding.builder().algorithm(SparseTextEmbedding.Algorithm.BM25).avgLen(0f),
                SparseTextEmbedding.builder().algorithm(SparseTextEmbedding.Algorithm.BM25).alpha(0.5f),
                SparseTextEmbedding.builder().algorithm(SparseTextEmbedding.Algorithm.BM25).language("klingon"));
        for (SparseTextEmbedding.Builder builder : bad) {
            assertThatThrownBy(builder::build).isInstanceOfSatisfying(FastEmbedException.class,
                    e -> assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.INVALID_ARGUMENT));
        }
        assertThatThrownBy(() -> SparseTextEmbedding.builder().algorithm(SparseTextEmbedding.Algorithm.BM25)
                .language("klingon").build()).hasMessageContaining("english");
        assertThatThrownBy(() -> SparseTextEmbedding.builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BM25");
        assertThatThrownBy(() -> SparseTextEmbedding.builder().algorithm(SparseTextEmbedding.Algorithm.BM25)
                .modelFiles(ModelFiles.of(Path.of("model.onnx"), null)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no model files");
    }

    @Test
    void emptyAndNullInputs() {
        assertThat(english.embed(List.of())).isEmpty();
        assertThat(english.embed("").size()).isZero();
        assertThatThrownBy(() -> english.embed((List<String>) null)).isInstanceOf(IllegalArgumentException.class);
        List<String> withNull = new ArrayList<>();
        withNull.add(null);
        assertThatThrownBy(() -> english.queryEmbed(withNull)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aClosedModelRejectsCalls() {
        SparseTextEmbedding closing = SparseTextEmbedding.bm25();
        closing.close();
        assertThatThrownBy(() -> closing.embed("text")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> closing.queryEmbed(List.of())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void vectorsHaveAscendingIndicesAndPositiveValues() {
        for (SparseEmbedding vector : english.embed(paragraphs)) {
            for (int i = 1; i < vector.size(); i++) {
                assertThat(Integer.compareUnsigned(vector.indices()[i - 1], vector.indices()[i])).isNegative();
            }
            for (float v : vector.values()) {
                assertThat(v).isPositive();
            }
        }
        Set<Integer> distinct = new java.util.HashSet<>();
        english.embed(paragraphs).forEach(v -> Arrays.stream(v.indices()).forEach(distinct::add));
        assertThat(distinct).hasSizeGreaterThan(100);
    }
}
