package dev.fastembed.reliability;

import dev.fastembed.ModelFiles;
import dev.fastembed.Pooling;
import dev.fastembed.TextEmbedding;
import dev.fastembed.Tokenizer;
import dev.fastembed.testing.ReferenceEmbedder;
import dev.fastembed.testing.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Texts chosen to break a tokenizer or the JVM/native boundary, on the real bge-small-en-v1.5: every vector
 * must be finite and of unit length, and the model must keep working.
 */
class AdversarialTextsTest {

    private static TextEmbedding model;
    private static Tokenizer tokenizer;

    @BeforeAll
    static void load() {
        model = TestModels.BGE_SMALL_EN_V15.builder().build();
        tokenizer = Tokenizer.forModel(TestModels.BGE_SMALL_EN_V15.files(), 512);
    }

    @AfterAll
    static void close() {
        model.close();
        tokenizer.close();
    }

    static void assertUnitVectors(float[][] vectors, int count) {
        assertThat(vectors).hasNumberOfRows(count);
        for (int i = 0; i < vectors.length; i++) {
            double norm = 0;
            for (float x : vectors[i]) {
                assertThat(Float.isFinite(x)).as("vector %d has a non-finite value", i).isTrue();
                norm += x * x;
            }
            assertThat(Math.sqrt(norm)).as("norm of vector %d", i).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        }
    }

    /** Each text alone gives the same vector as in the batch, so padding and sorting do not leak between rows. */
    static void assertBatchEqualsSingles(List<String> texts, float[][] batch) {
        for (int i = 0; i < texts.size(); i++) {
            assertThat(ReferenceEmbedder.cosine(model.embed(texts.get(i)), batch[i]))
                    .as("text %d alone vs in the batch", i).isGreaterThan(0.9999);
        }
    }

    @Test
    void loneSurrogatesAnywhereAreEmbeddedAsReplacementCharacters() {
        List<String> texts = List.of("\uD800", "\uDFFF", "a\uD800b", "\uDC00\uD800", "end \uDBFF", "\uD83D\uDE00\uD83D",
                "\uDE00 starts low");
        float[][] vectors = model.embed(texts);
        assertUnitVectors(vectors, texts.size());
        // A lone surrogate is encoded as U+FFFD, so the two spellings are one text to the model.
        assertThat(ReferenceEmbedder.cosine(model.embed("a\uD800b"), model.embed("a\uFFFDb"))).isGreaterThan(0.99999);
    }

    @Test
    void nulBytesAreTextNotTerminators() {
        List<String> texts = List.of("\u0000", "before\u0000after", "\u0000".repeat(10_000), "a\u0000".repeat(300));
        assertUnitVectors(model.embed(texts), texts.size());
        // The text after a NUL still counts: NUL does not end the string at the boundary.
        assertThat(model.embedWithUsage(List.of("before\u0000after words here")).tokenCount())
                .isGreaterThan(model.embedWithUsage(List.of("before")).tokenCount());
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aMegabyteOfOneCharacterIsTruncatedQuickly() {
        Map<String, String> characters = Map.of(
                "letter", "a", "space", " ", "CJK", "你", "combining acute", "\u0301", "emoji", "\uD83D\uDE00",
                "zero-width joiner", "\u200D", "NUL", "\u0000");
        for (Map.Entry<String, String> c : characters.entrySet()) {
            String text = c.getValue().repeat((1 << 20) / c.getValue().length());
            TextEmbedding.DenseEmbeddings result = model.embedWithUsage(List.of(text));
            assertUnitVectors(result.vectors(), 1);
            // Every CJK character is a token, so a megabyte of them is cut at the maximum length.
            assertThat(result.tokenCount()).as(c.getKey()).isBetween(2L, 512L)
                    .matches(n -> !c.getKey().equals("CJK") || n == 512, "512 for CJK");
        }
    }

    /**
     * 100k texts in one call, through the real tokenizer and a lookup model (bge-small would spend minutes
     * computing; the engine's part — tokenizing, batching, packing, copying — is what is tested here).
     */
    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aHundredThousandTextsInOneCallCompleteWithBoundedMemory(@TempDir Path dir) {
        ModelFiles files = ModelFiles.of(TextGraphs.lookup(dir.resolve("lookup.onnx"), 8),
                TestModels.BGE_SMALL_EN_V15.tokenizer());
        try (TextEmbedding lookup = TextEmbedding.builder().modelFiles(files).pooling(Pooling.MEAN).build()) {
            List<String> texts = IntStream.range(0, 100_000).mapToObj(i -> "short text number " + i).toList();
            lookup.embed(texts.subList(0, 1000));
            long before = ProcessMemory.rss();
            ProcessMemory.resetPeak();
            long started = System.nanoTime();
            TextEmbedding.DenseEmbeddings result = lookup.embedWithUsage(texts);
            long millis = (System.nanoTime() - started) / 1_000_000L;
            long growth = ProcessMemory.peakRss() - before;
            assertUnitVectors(result.vectors(), texts.size());
            // [CLS] short text number <digits> [SEP]: 5 tokens and the number's word pieces.
            assertThat(result.tokenCount()).isGreaterThan(6L * texts.size());
            for (int i : new int[] {0, 1, 50_000, 99_999}) {
                assertThat(result.vectors()[i]).as("text %d", i).containsExactly(lookup.embed(texts.get(i)));
            }
            System.out.printf("100k texts: %d ms, peak RSS growth %s%n", millis, ProcessMemory.mib(growth));
            // Input strings, their UTF-8 copy and the vectors are a few tens of MiB; the engine tokenizes in
            // chunks of 4096 texts, so what it holds must not grow with the 100k.
            assertThat(growth).as("peak RSS growth").isLessThan(256L * 1024 * 1024);
        }
    }

    @Test
    void everyUnicodeGeneralCategoryIsEmbedded() {
        Map<Integer, List<Integer>> byCategory = new TreeMap<>();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            byCategory.computeIfAbsent(Character.getType(cp), k -> new ArrayList<>()).add(cp);
        }
        assertThat(byCategory).hasSizeGreaterThanOrEqualTo(30);
        List<String> texts = new ArrayList<>();
        for (List<Integer> codePoints : byCategory.values()) {
            StringBuilder dense = new StringBuilder();
            StringBuilder spaced = new StringBuilder();
            int step = Math.max(1, codePoints.size() / 24);
            for (int i = 0; i < codePoints.size(); i += step) {
                dense.appendCodePoint(codePoints.get(i));
                spaced.appendCodePoint(codePoints.get(i)).append(' ');
            }
            texts.add(dense.toString());
            texts.add(spaced.toString());
        }
        float[][] vectors = model.embed(texts);
        assertUnitVectors(vectors, texts.size());
        assertBatchEqualsSingles(texts, vectors);
    }

    @Test
    void rightToLeftCombiningAndJoinerSequencesAreEmbedded() {
        List<String> texts = List.of(
                "مرحبا بالعالم", "שָׁלוֹם עוֹלָם", "\u202Eevil.exe\u202C", "\u2067isolated\u2069 text", "a\u200Fb\u200Ec",
                "e" + "\u0301".repeat(500), "Z\u0351\u0352\u0353\u0354\u0355\u0356\u0357\u0358\u0359\u035A".repeat(50),
                "👨\u200D👩\u200D👧\u200D👦 family", "\u200D\u200D\u200D", "क्‍ष", "🏳️\u200D🌈", "ﷺ ﷽", "\u0E01\u0E34\u0E4D");
        float[][] vectors = model.embed(texts);
        assertUnitVectors(vectors, texts.size());
        assertBatchEqualsSingles(texts, vectors);
    }

    @Test
    void byteOrderMarksAndZeroWidthCharactersAreInvisibleToABertModel() {
        // BERT's normalizer drops format characters (Cf), as Hugging Face's does: same tokens, same vector.
        String plain = "The quick brown fox";
        for (String variant : List.of("\uFEFF" + plain, plain + "\uFEFF", "The qu\u200Bick brown\u200D fox",
                "\uFEFF\uFEFF" + plain)) {
            assertThat(tokenizer.encode(variant).ids()).as(variant).containsExactly(tokenizer.encode(plain).ids());
            assertThat(ReferenceEmbedder.cosine(model.embed(variant), model.embed(plain))).isGreaterThan(0.99999);
        }
        List<String> onlyInvisible = List.of("\uFEFF", "\u200B\u200C\u200D", "\uFFFE\uFFFF", "\uDBFF\uDFFF");
        assertUnitVectors(model.embed(onlyInvisible), onlyInvisible.size());
    }

    @Test
    void theModelStillAgreesWithItselfAfterAllThis() {
        float[] first = model.embed("The model is still fine.");
        assertUnitVectors(model.embed(List.of("\uD800", "\u0000".repeat(1000), "你".repeat(100_000))), 3);
        assertThat(ReferenceEmbedder.cosine(first, model.embed("The model is still fine."))).isGreaterThan(0.99999);
    }
}
