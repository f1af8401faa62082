package dev.fastembed.reliability;

import dev.fastembed.FastEmbedException;
import dev.fastembed.ModelFiles;
import dev.fastembed.Pooling;
import dev.fastembed.TextEmbedding;
import dev.fastembed.Tokenizer;
import dev.fastembed.testing.Prerequisites;
import dev.fastembed.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.fastembed.testing.TinyOnnx.FLOAT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inputs of issue 16 that used to abort the process, run in a child JVM under a 4 GiB address-space limit
 * ({@code ulimit -v}), where an allocation the allocator cannot serve ends the process (exit 134) instead of
 * swapping: a 20 MB text of Chinese characters with the stock bge tokenizer (a 615 MB request before), a
 * tokenizer whose normalizer turns one character into 100 000, and a model declaring 200 000 000 values per
 * vector. Each must end in a vector or a clear exception, and the process must live on.
 */
class MemoryLimitTest {

    /** The limit, KiB for {@code ulimit -v}: the JVM below reserves about 1.5 GiB of it. */
    private static final long LIMIT_KIB = 4L << 20;

    @Test
    void inputsThatAbortedTheProcessEndCleanlyUnderAMemoryLimit(@TempDir Path dir) throws Exception {
        Path bash = Prerequisites.debianFile(Path.of("/bin/bash"), "bash");
        ModelFiles bge = TestModels.BGE_SMALL_EN_V15.files();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = "ulimit -v " + LIMIT_KIB + " && exec \"$@\"";
        Process child = new ProcessBuilder(bash.toString(), "-c", command, "child", java,
                "-Xmx512m", "-XX:MaxMetaspaceSize=128m", "-XX:ReservedCodeCacheSize=64m",
                "-XX:CompressedClassSpaceSize=64m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
                "-Dfastembed.native.dir=" + dir.resolve("natives"), "-cp", System.getProperty("java.class.path"),
                UnderMemoryLimit.class.getName(), bge.model().toString(), bge.tokenizer().toString(), dir.toString())
                .redirectErrorStream(true).start();
        byte[] output = child.getInputStream().readAllBytes();
        assertThat(child.waitFor(300, TimeUnit.SECONDS)).as("the child ended").isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as("exit status (134 = abort); output:%n%s", text).isZero();
        assertThat(text).contains("OK long text: 384 values", "OK blown-up normalizer: TOKENIZER",
                "OK declared size: INVALID_MODEL", "OK still working: 384 values");
    }

    /** The child JVM: each case prints one OK line, or the process fails. */
    public static final class UnderMemoryLimit {

        public static void main(String[] args) throws Exception {
            ModelFiles bge = ModelFiles.of(Path.of(args[0]), Path.of(args[1]));
            Path dir = Path.of(args[2]);
            try (TextEmbedding model = TextEmbedding.builder().modelFiles(bge).pooling(Pooling.CLS).threads(1).build()) {
                String chinese = "你好世界这是一个很长的测试文本没有空格".repeat(350_000); // 21 MB of UTF-8
                System.out.println("OK long text: " + model.embed(chinese).length + " values");

                Path blownUp = dir.resolve("blown-up-tokenizer.json");
                Files.writeString(blownUp, """
                        {"version": "1.0",
                         "model": {"type": "WordLevel", "vocab": {"x": 0, "<unk>": 1}, "unk_token": "<unk>"},
                         "normalizer": {"type": "Replace", "pattern": {"String": "a"}, "content": "%s"},
                         "pre_tokenizer": {"type": "WhitespaceSplit"}}
                        """.formatted("x".repeat(100_000)));
                try (Tokenizer tokenizer = Tokenizer.fromFile(blownUp)) {
                    tokenizer.encode("a ".repeat(500));
                    throw new AssertionError("the blown-up normalizer encoded");
                } catch (FastEmbedException e) {
                    System.out.println("OK blown-up normalizer: " + e.kind());
                }

                Path declaring = TextGraphs.lookupGraph(4, "states")
                        .node("Shape", "runtime_shape", List.of("states"))
                        .node("Reshape", "last_hidden_state", List.of("states", "runtime_shape"))
                        .output("last_hidden_state", FLOAT, "batch", "sequence", 200_000_000)
                        .write(dir.resolve("declaring.onnx"));
                try (TextEmbedding huge = TextEmbedding.builder().modelFiles(ModelFiles.of(declaring, bge.tokenizer()))
                        .pooling(Pooling.MEAN).build()) {
                    huge.embed(List.of("a", "b", "c"));
                    throw new AssertionError("the model declaring 200 000 000 values ran");
                } catch (FastEmbedException e) {
                    System.out.println("OK declared size: " + e.kind());
                }
                System.out.println("OK still working: " + model.embed("hello world").length + " values");
            }
        }
    }
}
