package dev.fastembed;

import dev.fastembed.testing.TestModels;
import dev.fastembed.testing.TestTexts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** ONNX Runtime's optimized graph saved on a model's first load and loaded on later ones, on bge-small-en-v1.5. */
class OptimizedGraphCacheTest {

    private static final List<String> TEXTS = TestTexts.paragraphs(6);
    /** Vectors of the model loaded the usual way, optimized by ONNX Runtime at load, without any cache. */
    private static float[][] expected;

    @BeforeAll
    static void embedWithoutCache() {
        try (TextEmbedding model = TestModels.BGE_SMALL_EN_V15.builder().build()) {
            expected = model.embed(TEXTS);
        }
    }

    private static TextEmbedding load(Path cache) {
        return TestModels.BGE_SMALL_EN_V15.builder().optimizedModelCache(cache).build();
    }

    private static void assertSameVectors(TextEmbedding model) {
        float[][] actual = model.embed(TEXTS);
        for (int i = 0; i < TEXTS.size(); i++) {
            for (int j = 0; j < actual[i].length; j++) {
                assertThat(actual[i][j]).isCloseTo(expected[i][j], within(1e-5f));
            }
        }
    }

    @Test
    void theFirstLoadSavesTheGraphAndTheSecondLoadsItWithTheSameVectors(@TempDir Path cache) throws Exception {
        Path saved;
        try (TextEmbedding first = load(cache)) {
            SessionInfo info = first.sessionInfo().orElseThrow();
            assertThat(info.optimizedGraph()).isEqualTo("saved");
            saved = info.optimizedGraphFile().orElseThrow();
            assertThat(saved).isRegularFile().hasParentRaw(cache);
            assertThat(saved.getFileName().toString()).matches("bge-small-en-v1\\.5-[0-9a-f]{16}\\.optimized\\.onnx");
            assertSameVectors(first);
        }
        try (TextEmbedding second = load(cache)) {
            SessionInfo info = second.sessionInfo().orElseThrow();
            assertThat(info.optimizedGraph()).isEqualTo("loaded");
            assertThat(info.optimizedGraphFile()).contains(saved);
            assertSameVectors(second);
        }
        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files).as("no partial files left behind").containsExactly(saved);
        }
    }

    @Test
    void aCorruptSavedGraphIsReplacedAndTheModelStillLoads(@TempDir Path cache) throws Exception {
        Path saved;
        try (TextEmbedding first = load(cache)) {
            saved = first.sessionInfo().orElseThrow().optimizedGraphFile().orElseThrow();
        }
        Files.write(saved, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        try (TextEmbedding model = load(cache)) {
            assertThat(model.sessionInfo().orElseThrow().optimizedGraph()).isEqualTo("saved");
            assertSameVectors(model);
        }
        assertThat(Files.size(saved)).isGreaterThan(1_000_000);
        try (TextEmbedding model = load(cache)) {
            assertThat(model.sessionInfo().orElseThrow().optimizedGraph()).isEqualTo("loaded");
        }
    }

    @Test
    void aCacheFolderThatCannotBeCreatedOnlyMeansNothingIsSaved(@TempDir Path dir) throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("file"), "in the way");
        try (TextEmbedding model = load(notAFolder.resolve("cache"))) {
            assertThat(model.sessionInfo().orElseThrow().optimizedGraph()).startsWith("not saved: cannot create ");
            assertSameVectors(model);
        }
    }
}
