package dev.fastembed;

import dev.fastembed.testing.ReferenceEmbedder;
import dev.fastembed.testing.TestModels;
import dev.fastembed.testing.TestTexts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Behaviour of the Java API on the real bge-small-en-v1.5 model. */
class TextEmbeddingTest {

    private static TextEmbedding model;

    @BeforeAll
    static void load() {
        model = TestModels.BGE_SMALL_EN_V15.builder().build();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void dimensionIsKnownWithoutEmbedding() {
        assertThat(model.dimension()).isEqualTo(384);
    }

    @Test
    void vectorsAreUnitLength() {
        for (float[] vector : model.embed(TestTexts.varied())) {
            double norm = 0;
            for (float x : vector) {
                norm += x * x;
            }
            assertThat(Math.sqrt(norm)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void singleTextEqualsItsRowInABatch() {
        List<String> texts = TestTexts.paragraphs(10);
        float[][] batch = model.embed(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(ReferenceEmbedder.cosine(model.embed(texts.get(i)), batch[i])).isGreaterThan(0.99999);
        }
    }

    @Test
    void aSmallTokenBudgetSplitsRunsButGivesTheSameVectors() {
        List<String> texts = TestTexts.paragraphs(12);
        float[][] defaults = model.embed(texts);
        // 64 padded tokens per run: every paragraph runs alone, against many per run by default.
        try (TextEmbedding small = TestModels.BGE_SMALL_EN_V15.builder()
                .tokenBudget(64).build()) {
            float[][] split = small.embed(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertThat(ReferenceEmbedder.cosine(split[i], defaults[i])).isGreaterThan(0.99999);
            }
        }
    }

    @Test
    void inputOrderIsKeptWhateverTheLengths() {
        List<String> texts = new ArrayList<>(TestTexts.paragraphs(12));
        float[][] forward = model.embed(texts);
        Collections.reverse(texts);
        float[][] backward = model.embed(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(ReferenceEmbedder.cosine(forward[i], backward[texts.size() - 1 - i])).isGreaterThan(0.99999);
        }
    }

    @Test
    void similarTextsAreCloserThanUnrelatedOnes() {
        float[][] v = model.embed(List.of("How do I bake bread at home?", "A recipe for homemade bread",
                "The stock market fell sharply today"));
        assertThat(ReferenceEmbedder.cosine(v[0], v[1])).isGreaterThan(ReferenceEmbedder.cosine(v[0], v[2]) + 0.1);
    }

    @Test
    void emptyListGivesNoVectors() {
        assertThat(model.embed(List.of())).isEmpty();
    }

    @Test
    void usageCountsTokensWithoutPadding() {
        TextEmbedding.DenseEmbeddings result = model.embedWithUsage(List.of("hello", "hello world again"));
        // [CLS] hello [SEP] + [CLS] hello world again [SEP]
        assertThat(result.tokenCount()).isEqualTo(3 + 5);
    }

    @Test
    void nullTextIsRejectedAndTheModelStaysUsable() {
        assertThatThrownBy(() -> model.embed((String) null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> model.embed(Arrays.asList("ok", null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("texts[1]");
        assertThatThrownBy(() -> model.embed((List<String>) null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(model.embed("still works")).hasSize(384);
    }

    @Test
    void textFarBeyondMaxLengthIsTruncatedNotRejected() {
        String huge = TestTexts.longText(200_000);
        float[] vector = model.embed(huge);
        float[] prefix = model.embed(huge.substring(0, 4_000));
        assertThat(ReferenceEmbedder.cosine(vector, prefix)).isGreaterThan(0.9999);
    }

    @Test
    void textsWithNulCharactersAndLoneSurrogatesAreEmbedded() {
        float[][] v = model.embed(List.of("a\u0000b", "broken \uD800 surrogate", "\uDC00"));
        assertThat(Arrays.asList(v)).allSatisfy(vector -> assertThat(vector).hasSize(384));
    }

    @Test
    void corruptOnnxFileGivesAClearError(@TempDir Path dir) throws Exception {
        Path corrupt = Files.write(dir.resolve("model.onnx"), "not an onnx model".getBytes());
        ModelFiles files = ModelFiles.of(corrupt, TestModels.BGE_SMALL_EN_V15.tokenizer());
        assertThatThrownBy(() -> TextEmbedding.builder().modelFiles(files).build())
                .isInstanceOfSatisfying(FastEmbedException.class,
                        e -> assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.INVALID_MODEL))
                .hasMessageContaining("model.onnx");
    }

    @Test
    void truncatedOnnxFileGivesAClearError(@TempDir Path dir) throws Exception {
        byte[] real = Files.readAllBytes(TestModels.BGE_SMALL_EN_V15.files().model());
        Path truncated = Files.write(dir.resolve("model.onnx"), Arrays.copyOf(real, real.length / 3));
        assertThatThrownBy(() -> TextEmbedding.builder()
                .modelFiles(ModelFiles.of(truncated, TestModels.BGE_SMALL_EN_V15.tokenizer())).build())
                .isInstanceOf(FastEmbedException.class);
    }

    @Test
    void missingTokenizerFileGivesAClearError(@TempDir Path dir) {
        ModelFiles files = ModelFiles.of(TestModels.BGE_SMALL_EN_V15.files().model(), dir.resolve("tokenizer.json"));
        assertThatThrownBy(() -> TextEmbedding.builder().modelFiles(files).build())
                .isInstanceOfSatisfying(FastEmbedException.class,
                        e -> assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.IO))
                .hasMessageContaining("tokenizer.json");
    }

    @Test
    void corruptTokenizerFileGivesAClearError(@TempDir Path dir) throws Exception {
        Path tokenizer = Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"type\": 42}");
        ModelFiles files = ModelFiles.of(TestModels.BGE_SMALL_EN_V15.files().model(), tokenizer);
        assertThatThrownBy(() -> TextEmbedding.builder().modelFiles(files).build())
                .isInstanceOfSatisfying(FastEmbedException.class,
                        e -> assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.TOKENIZER));
    }

    @Test
    void nonexistentFolderGivesAClearError(@TempDir Path dir) {
        assertThatThrownBy(() -> ModelFiles.inDirectory(dir.resolve("nowhere")))
                .isInstanceOf(FastEmbedException.class).hasMessageContaining("nowhere");
    }

    @Test
    void invalidOptionsAreRejectedBeforeLoading() {
        assertThatThrownBy(() -> TextEmbedding.builder().batchSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TextEmbedding.builder().tokenBudget(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tokenBudget");
        assertThatThrownBy(() -> TextEmbedding.builder().build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TestModels.BGE_SMALL_EN_V15.builder()
                .outputName("no_such_output").build())
                .isInstanceOf(FastEmbedException.class).hasMessageContaining("no_such_output");
    }

    @Test
    void supportedModelsAreTheCataloguesTextModels() {
        assertThat(TextEmbedding.listSupportedModels())
                .extracting(dev.fastembed.catalog.ModelDescription::name)
                .contains("BAAI/bge-small-en-v1.5", "sentence-transformers/all-MiniLM-L6-v2", "intfloat/multilingual-e5-small");
        assertThat(TextEmbedding.listSupportedModels())
                .allSatisfy(d -> assertThat(d.kind()).isEqualTo(dev.fastembed.catalog.ModelKind.TEXT));
    }

    @Test
    void filesAndSourceTogetherAreAmbiguous() {
        assertThatThrownBy(() -> TestModels.BGE_SMALL_EN_V15.builder()
                .model(ModelSource.directory(Path.of("."))).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not both");
    }

    @Test
    void closedModelRejectsEmbedAndCloseIsIdempotent() {
        TextEmbedding closing = TestModels.BGE_SMALL_EN_V15.builder().build();
        closing.close();
        closing.close();
        assertThat(closing.isClosed()).isTrue();
        assertThatThrownBy(() -> closing.embed("x")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void concurrentCallsOnOneModelAgree() throws Exception {
        List<String> texts = TestTexts.paragraphs(6);
        float[][] expected = model.embed(texts);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[][]>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> model.embed(texts)));
            }
            for (Future<float[][]> result : results) {
                float[][] actual = result.get(2, TimeUnit.MINUTES);
                for (int i = 0; i < texts.size(); i++) {
                    assertThat(ReferenceEmbedder.cosine(actual[i], expected[i])).isGreaterThan(0.99999);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closeRacingEmbedNeverCrashes() throws Exception {
        TextEmbedding racing = TestModels.BGE_SMALL_EN_V15.builder().threads(1).build();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        CountDownLatch started = new CountDownLatch(3);
        try {
            for (int t = 0; t < 3; t++) {
                pool.submit(() -> {
                    started.countDown();
                    for (int i = 0; i < 50; i++) {
                        try {
                            assertThat(racing.embed("racing text " + i)).hasSize(384);
                        } catch (IllegalStateException closed) {
                            return;
                        } catch (Throwable other) {
                            failures.add(other);
                            return;
                        }
                    }
                });
            }
            started.await();
            racing.close();
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
        }
        assertThat(failures).isEmpty();
        assertThat(racing.isClosed()).isTrue();
    }
}
