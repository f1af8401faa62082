package dev.fastembed.reliability;

import dev.fastembed.FastEmbedException;
import dev.fastembed.FastEmbedException.Kind;
import dev.fastembed.ModelFiles;
import dev.fastembed.ModelSource;
import dev.fastembed.Pooling;
import dev.fastembed.TextEmbedding;
import dev.fastembed.hub.HubOptions;
import dev.fastembed.testing.TestModels;
import dev.fastembed.testing.TinyOnnx;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.fastembed.testing.TinyOnnx.FLOAT;
import static dev.fastembed.testing.TinyOnnx.INT64;
import static dev.fastembed.testing.TinyOnnx.attr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a model file or a model name can reach: an ONNX model's external weights must lie in the model's own
 * folder (a model naming /etc/... or ../../ is refused, not read), and names of Hugging Face repositories and
 * files cannot leave the cache folder. See docs/reliability.md for the review these tests back.
 */
class ModelLoadingSecurityTest {

    @TempDir
    Path dir;

    /** A lookup model whose 30522 x 4 table is external data at {@code location}. */
    private Path modelWithExternalTable(Path folder, String location) {
        return TinyOnnx.graph("external")
                .input("input_ids", INT64, "batch", "sequence")
                .externalInitializer("embedding", location, TextGraphs.VOCABULARY, 4)
                .node("Gather", "last_hidden_state", List.of("embedding", "input_ids"), attr("axis", 0))
                .output("last_hidden_state", FLOAT, "batch", "sequence", 4)
                .write(folder.resolve("model.onnx"));
    }

    private static byte[] littleEndian(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            bytes.putFloat(v);
        }
        return bytes.array();
    }

    private TextEmbedding load(Path model) {
        return TextEmbedding.builder().modelFiles(ModelFiles.of(model, TestModels.BGE_SMALL_EN_V15.tokenizer()))
                .pooling(Pooling.MEAN).build();
    }

    @Test
    void externalWeightsInsideTheModelFolderAreRead() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("model"));
        Files.write(folder.resolve("weights.bin"), littleEndian(TextGraphs.embeddingTable(4)));
        try (TextEmbedding model = load(modelWithExternalTable(folder, "weights.bin"))) {
            assertThat(model.embed("external weights")).hasSize(4);
        }
    }

    @Test
    void externalWeightsOutsideTheModelFolderAreRefused() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("inner").resolve("model"));
        // A real file of the right size next to the folder: only its location is wrong.
        Files.write(dir.resolve("outside.bin"), littleEndian(TextGraphs.embeddingTable(4)));
        for (String location : List.of("../../outside.bin", dir.resolve("outside.bin").toString(),
                "../".repeat(20) + "etc/hostname")) {
            Path model = modelWithExternalTable(folder, location);
            assertThatThrownBy(() -> load(model).close())
                    .as(location)
                    .isInstanceOfSatisfying(FastEmbedException.class,
                            e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_MODEL))
                    .hasMessageContaining("External data");
        }
    }

    @Test
    void repositoryAndFileNamesCannotLeaveTheCache() {
        HubOptions offline = HubOptions.builder().cacheDir(dir.resolve("cache")).offline(true).build();
        List<ThrowingCallable> hostile = List.of(
                () -> ModelSource.huggingFace("../../etc").resolve(offline),
                () -> ModelSource.huggingFace("org/../../x").resolve(offline),
                () -> ModelSource.huggingFace("org/name").modelFile("../../../.ssh/id_rsa").resolve(offline),
                () -> ModelSource.huggingFace("org/name").modelFile("/etc/passwd").resolve(offline),
                () -> ModelSource.huggingFace("org/name").tokenizerFile("onnx\\..\\..\\tokenizer.json").resolve(offline),
                () -> ModelSource.huggingFace("org/name").revision("../../../refs").resolve(offline),
                () -> ModelSource.huggingFace("org/name").additionalFiles("a/./../b").resolve(offline));
        for (ThrowingCallable source : hostile) {
            assertThatThrownBy(source)
                    .isInstanceOfSatisfying(FastEmbedException.class,
                            e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_ARGUMENT));
        }
        assertThat(dir.resolve("cache")).satisfiesAnyOf(
                cache -> assertThat(cache).doesNotExist(),
                cache -> assertThat(cache).isEmptyDirectory());
    }
}
