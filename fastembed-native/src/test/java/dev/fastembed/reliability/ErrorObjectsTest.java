package dev.fastembed.reliability;

import dev.fastembed.FastEmbedException;
import dev.fastembed.ImageEmbedding;
import dev.fastembed.ModelFiles;
import dev.fastembed.Tokenizer;
import dev.fastembed.testing.ClipModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every failed native call hands back an error object that the bindings read and free. Failing calls in
 * a loop, each error carrying a 2 KB message (the path it names), must leave the C allocator's bytes in use
 * flat: were the objects leaked, 100k of them would add some 200 MB.
 */
class ErrorObjectsTest {

    /** A path of about 2 KB that does not exist: eight 250-character folder names. */
    private static Path longMissingPath(Path root, String fileName) {
        Path path = root;
        for (int i = 0; i < 8; i++) {
            path = path.resolve(Character.toString('a' + i).repeat(250));
        }
        return path.resolve(fileName);
    }

    /**
     * Growth of the C allocator's bytes in use over {@code calls} failing calls (resident memory is no
     * measure here: the loop's garbage makes the JVM touch fresh heap pages). Java heap growth is checked too.
     */
    private static long growthOver(int calls, Runnable failingCall) {
        for (int i = 0; i < 5_000; i++) {
            failingCall.run();
        }
        long heapBefore = ProcessMemory.heapAfterGc();
        long before = ProcessMemory.mallocInUse();
        for (int i = 0; i < calls; i++) {
            failingCall.run();
        }
        long heapGrowth = ProcessMemory.heapAfterGc() - heapBefore;
        long growth = ProcessMemory.mallocInUse() - before;
        System.out.printf("%d failing calls: malloc in use %+.1f MiB, Java heap in use %+.1f MiB%n", calls,
                growth / 1048576.0, heapGrowth / 1048576.0);
        assertThat(heapGrowth).as("Java heap growth").isLessThan(8L << 20);
        return growth;
    }

    @Test
    void aHundredThousandFailedLoadsLeaveMemoryFlat(@TempDir Path dir) {
        Path missing = longMissingPath(dir, "tokenizer.json");
        assertThatThrownBy(() -> Tokenizer.fromFile(missing))
                .isInstanceOfSatisfying(FastEmbedException.class,
                        e -> assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.IO))
                .hasMessageContaining(missing.toString());
        long growth = growthOver(100_000, () -> {
            try {
                Tokenizer.fromFile(missing).close();
                throw new AssertionError("loaded a missing file");
            } catch (FastEmbedException expected) {
                // the error object was read and freed by the bindings
            }
        });
        assertThat(growth).as("malloc growth over 100k failed loads").isLessThan(16L << 20);
    }

    @Test
    void failedEmbedCallsLeaveMemoryFlat(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("preprocessor_config.json"), ClipModels.PREPROCESSOR_CONFIG);
        ModelFiles files = ModelFiles.image(ClipModels.visionTower(dir.resolve("vision.onnx")), config);
        Path missing = longMissingPath(dir, "picture.png");
        try (ImageEmbedding model = ImageEmbedding.builder().modelFiles(files).build()) {
            long growth = growthOver(50_000, () -> {
                try {
                    model.embed(List.of(missing));
                    throw new AssertionError("embedded a missing file");
                } catch (FastEmbedException expected) {
                    // the error object was read and freed by the bindings
                }
            });
            assertThat(growth).as("malloc growth over 50k failed embeds").isLessThan(16L << 20);
            assertThat(model.embedBytes(dev.fastembed.testing.TestImages.encode(
                    dev.fastembed.testing.TestImages.solid(8, 8, java.awt.Color.RED), "png"))).hasSize(model.dimension());
        }
    }
}
