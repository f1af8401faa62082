package dev.fastembed.reliability;

import dev.fastembed.TextEmbedding;
import dev.fastembed.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two JVMs starting at the same moment, with an empty native-library folder: both extract libfastembed
 * and libonnxruntime into it at once, load them and embed. Both must succeed with the same vector as this
 * JVM computes, and the folder must hold one intact copy of each library.
 */
class TwoJvmsTest {

    @Test
    void twoJvmsLoadingTheSameNativeLibrariesAtOnceBothWork(@TempDir Path natives) throws Exception {
        String text = "two processes, one set of libraries";
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long startAt = System.currentTimeMillis() + 4_000;
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            processes.add(new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                    "-Dfastembed.native.dir=" + natives, "-cp", System.getProperty("java.class.path"),
                    EmbedInAnotherJvm.class.getName(), Long.toString(startAt), text)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start());
        }
        List<String> vectors = new ArrayList<>();
        for (Process process : processes) {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();
            assertThat(process.exitValue()).as("exit status; output: %s", output).isZero();
            vectors.add(output.lines().filter(l -> l.startsWith("VECTOR ")).findFirst().orElseThrow());
        }
        try (TextEmbedding model = TestModels.BGE_SMALL_EN_V15.builder().threads(1).build()) {
            float[] here = model.embed(text);
            for (String line : vectors) {
                float[] there = parse(line.substring("VECTOR ".length()));
                assertThat(there).hasSameSizeAs(here);
                for (int i = 0; i < here.length; i++) {
                    assertThat(there[i]).isCloseTo(here[i], org.assertj.core.data.Offset.offset(1e-5f));
                }
            }
        }
        try (Stream<Path> files = Files.walk(natives)) {
            List<Path> libraries = files.filter(Files::isRegularFile).toList();
            assertThat(libraries).as("one copy of each library, no leftovers").hasSize(2)
                    .allSatisfy(p -> assertThat(p.getFileName().toString()).endsWith(".so"));
        }
    }

    /**
     * ONNX Runtime's start-up needs stack in proportion to the process's command line: with a class path of a few
     * thousand characters (an IDE or build tool launching an app with every jar listed) it overflowed a JVM
     * thread's stack and killed the JVM with SIGSEGV. The engine now loads it on a thread with room for that.
     */
    @Test
    void aJvmWithAVeryLongClassPathLoadsTheRuntime(@TempDir Path natives) throws Exception {
        StringBuilder classPath = new StringBuilder(System.getProperty("java.class.path"));
        for (int i = 0; i < 2_000; i++) {
            classPath.append(java.io.File.pathSeparator).append(natives.resolve("absent-library-" + i + ".jar"));
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-Dfastembed.native.dir=" + natives, "-cp", classPath.toString(),
                EmbedInAnotherJvm.class.getName(), "0", "a long class path")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(classPath.length()).isGreaterThan(50_000);
        assertThat(process.exitValue()).as("exit status (139 = SIGSEGV); output: %s", output).isZero();
        assertThat(output).contains("VECTOR [");
    }

    private static float[] parse(String array) {
        String[] parts = array.substring(1, array.length() - 1).split(", ");
        float[] values = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = Float.parseFloat(parts[i]);
        }
        return values;
    }
}
