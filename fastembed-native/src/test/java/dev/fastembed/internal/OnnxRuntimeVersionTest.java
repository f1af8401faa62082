package dev.fastembed.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One ONNX Runtime, checked: the engine refuses a runtime older than the C API it needs, naming the version
 * found and the one required; a runtime older than the tested one loads with a warning naming both and the fix.
 * Each load runs in a JVM of its own (a process loads ONNX Runtime once), with that runtime first on the class
 * path, as Maven's nearest-wins rule puts it there.
 */
class OnnxRuntimeVersionTest {

    /** The ONNX Runtime jar LangChain4j's model jars bring, copied by the build (maven-dependency-plugin). */
    private static final Path ONNXRUNTIME_1_20 = Path.of("target", "older-onnxruntime", "onnxruntime-1.20.0.jar");

    @Test
    void theTestedVersionIsTheBuildsOnnxRuntimeDependency() throws Exception {
        String onClassPath = onnxRuntimeJarVersion();
        assertThat(OnnxRuntimeVersion.TESTED).isEqualTo(onClassPath).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(FastEmbedNative.onnxRuntimeVersion()).as("the runtime this JVM loaded").isEqualTo(onClassPath);
    }

    @Test
    void theBomPinsTheTestedVersion() throws Exception {
        String bom = Files.readString(Path.of("..", "fastembed-bom", "pom.xml"));
        assertThat(bom).contains("<onnxruntime.version>" + OnnxRuntimeVersion.TESTED + "</onnxruntime.version>")
                .contains("<artifactId>onnxruntime</artifactId>");
    }

    @Test
    void versionsCompareNumericallyAndGiveTheirApiLevel() {
        assertThat(OnnxRuntimeVersion.apiLevel("1.20.0")).isEqualTo(20);
        assertThat(OnnxRuntimeVersion.apiLevel("1.29.0")).isEqualTo(29);
        assertThat(OnnxRuntimeVersion.apiLevel("2.0.0")).isEqualTo(-1);
        assertThat(OnnxRuntimeVersion.isOlder("1.20.0", "1.29.0")).isTrue();
        assertThat(OnnxRuntimeVersion.isOlder("1.9.1", "1.29.0")).isTrue();
        assertThat(OnnxRuntimeVersion.isOlder("1.29.0", "1.29.0")).isFalse();
        assertThat(OnnxRuntimeVersion.isOlder("1.30.0-dev", "1.29.0")).isFalse();
    }

    @Test
    void aRuntimeTooOldForTheEngineIsRefusedNamingItsVersionAndTheMinimum(@TempDir Path dir) throws Exception {
        Path classes = dir.resolve("old-onnxruntime");
        Path library = classes.resolve("ai/onnxruntime/native/linux-x64/libonnxruntime.so");
        Files.createDirectories(library.getParent());
        Path source = dir.resolve("old_onnxruntime.c");
        try (InputStream in = getClass().getResourceAsStream("old_onnxruntime.c")) {
            Files.copy(in, source);
        }
        Process gcc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-o", library.toString(), source.toString())
                .redirectErrorStream(true).start();
        String gccOutput = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(gcc.waitFor()).as("gcc: %s", gccOutput).isZero();

        Result result = loadInAnotherJvm(classes, dir.resolve("natives"));

        assertThat(result.exitCode()).as(result.output()).isEqualTo(3);
        assertThat(result.output()).contains("REFUSED")
                .contains("ONNX Runtime 1.4.0").contains("C API version 11").contains("ONNX Runtime 1.11 or newer");
    }

    @Test
    void anOlderRuntimeThanTheTestedOneLoadsWithAWarningNamingBothVersions(@TempDir Path dir) throws Exception {
        assertThat(ONNXRUNTIME_1_20).as("copied by the build (generate-test-resources)").isRegularFile();

        Result result = loadInAnotherJvm(ONNXRUNTIME_1_20, dir.resolve("natives"));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("LOADED 1.20.0")
                .contains("WARN").contains("ONNX Runtime 1.20.0 (C API 20)")
                .contains("older than " + OnnxRuntimeVersion.TESTED)
                .contains("dev.fastembed:fastembed-bom");
    }

    private record Result(int exitCode, String output) {
    }

    /** Runs {@link LoadRuntimeInAnotherJvm} with {@code first} ahead of this JVM's class path. */
    private static Result loadInAnotherJvm(Path first, Path nativeDir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-Dfastembed.native.dir=" + nativeDir,
                "-cp", first.toAbsolutePath() + File.pathSeparator + System.getProperty("java.class.path"),
                LoadRuntimeInAnotherJvm.class.getName()))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Result(process.exitValue(), output);
    }

    /** The Implementation-Version of the onnxruntime jar on this JVM's class path. */
    private static String onnxRuntimeJarVersion() throws Exception {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.contains("com/microsoft/onnxruntime/onnxruntime/") && entry.endsWith(".jar")) {
                try (JarFile jar = new JarFile(entry)) {
                    return jar.getManifest().getMainAttributes().getValue("Implementation-Version");
                }
            }
        }
        throw new AssertionError("no com.microsoft.onnxruntime:onnxruntime jar on the test class path");
    }
}
