package dev.fastembed;

import dev.fastembed.testing.TestModels;
import dev.fastembed.testing.TestTexts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
    void twoFirstLoadsAtOnceEachWriteTheirOwnFileAndLeaveOneWholeGraph(@TempDir Path cache) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> loads = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                loads.add(threads.submit(() -> {
                    start.await();
                    try (TextEmbedding model = load(cache)) {
                        assertSameVectors(model);
                        return model.sessionInfo().orElseThrow().optimizedGraph();
                    }
                }));
            }
            start.countDown();
            for (Future<String> load : loads) {
                assertThat(load.get(5, TimeUnit.MINUTES)).isIn("saved", "loaded");
            }
        } finally {
            threads.shutdownNow();
        }
        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files.map(file -> file.getFileName().toString())).singleElement().asString()
                    .endsWith(".optimized.onnx");
        }
        try (TextEmbedding model = load(cache)) {
            assertThat(model.sessionInfo().orElseThrow().optimizedGraph()).isEqualTo("loaded");
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
