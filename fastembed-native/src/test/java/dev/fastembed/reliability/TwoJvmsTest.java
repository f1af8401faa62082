package dev.fastembed.reliability;

import dev.fastembed.Pooling;
import dev.fastembed.TextEmbedding;
import dev.fastembed.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two JVMs released at the same moment, with an empty native-library folder: both extract libfastembed
 * and libonnxruntime into it at once, load them and embed. Both must succeed with the same vector as this
 * JVM computes, and the folder must hold one intact copy of each library.
 *
 * <p>No clock decides the race: each child JVM starts, prepares everything short of touching the native
 * libraries, says {@code READY} on its standard output and blocks reading its standard input; once both
 * have said it, this JVM writes {@code GO} to both, so on a slow or busy machine they still start together.
 */
class TwoJvmsTest {

    /** Generous: two JVMs on a slow shared machine; a hang fails with a message instead of blocking the build. */
    private static final long TIMEOUT_SECONDS = 180;

    @Test
    void twoJvmsLoadingTheSameNativeLibrariesAtOnceBothWork(@TempDir Path natives) throws Exception {
        String text = "two processes, one set of libraries";
        var modelFiles = TestModels.BGE_SMALL_EN_V15.files(); // extracted here once, not by both children at once
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Child> children = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                children.add(new Child(new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                        "-Dfastembed.native.dir=" + natives, "-cp", System.getProperty("java.class.path"),
                        EmbedInAnotherJvm.class.getName(), EmbedInAnotherJvm.WAIT_FOR_GO, text)
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start()));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            for (Child child : children) {
                if (!child.ready.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS) || !child.saidReady) {
                    throw new AssertionError("a child JVM did not say READY within " + TIMEOUT_SECONDS
                            + " s (alive: " + child.process.isAlive() + "); its output so far: " + child.output);
                }
            }
            // Both are blocked reading stdin, neither has touched the native libraries: release them together.
            for (Child child : children) {
                child.process.getOutputStream().write(EmbedInAnotherJvm.GO_LINE.getBytes(StandardCharsets.UTF_8));
            }
            for (Child child : children) {
                child.process.getOutputStream().close();
            }
            List<String> vectors = new ArrayList<>();
            for (Child child : children) {
                String output = child.finish(deadline);
                assertThat(child.process.exitValue()).as("exit status; output: %s", output).isZero();
                vectors.add(output.lines().filter(l -> l.startsWith("VECTOR ")).findFirst().orElseThrow());
            }
            try (TextEmbedding model = TextEmbedding.builder().modelFiles(modelFiles).pooling(Pooling.CLS).threads(1).build()) {
                float[] here = model.embed(text);
                for (String line : vectors) {
                    float[] there = parse(line.substring("VECTOR ".length()));
                    assertThat(there).hasSameSizeAs(here);
                    for (int i = 0; i < here.length; i++) {
                        assertThat(there[i]).isCloseTo(here[i], org.assertj.core.data.Offset.offset(1e-5f));
                    }
                }
            }
        } finally {
            children.forEach(child -> child.process.destroyForcibly());
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
                EmbedInAnotherJvm.class.getName(), EmbedInAnotherJvm.AT_ONCE, "a long class path")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Child child = new Child(process);
        String output;
        try {
            output = child.finish(System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS));
        } finally {
            process.destroyForcibly();
        }
        assertThat(classPath.length()).isGreaterThan(50_000);
        assertThat(process.exitValue()).as("exit status (139 = SIGSEGV); output: %s", output).isZero();
        assertThat(output).contains("VECTOR [");
    }

    /** A child JVM whose standard output a thread of its own reads, line by line, as it comes. */
    private static final class Child {
        final Process process;
        /** Counted down when the child says READY, or when its output ends without it (then saidReady is false). */
        final CountDownLatch ready = new CountDownLatch(1);
        volatile boolean saidReady;
        final StringBuffer output = new StringBuffer();
        final Thread reader;

        Child(Process process) {
            this.process = process;
            this.reader = Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader lines = process.inputReader(StandardCharsets.UTF_8)) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        output.append(line).append('\n');
                        if (line.equals(EmbedInAnotherJvm.READY_LINE)) {
                            saidReady = true;
                            ready.countDown();
                        }
                    }
                } catch (IOException e) {
                    output.append("(reading the output failed: ").append(e).append(")\n");
                } finally {
                    ready.countDown();
                }
            });
        }

        /** Waits until the process has exited and its output is read, or fails once the deadline passes. */
        String finish(long deadlineNanos) throws InterruptedException {
            if (!process.waitFor(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new AssertionError("a child JVM did not finish within " + TIMEOUT_SECONDS
                        + " s; its output so far: " + output);
            }
            reader.join(TimeUnit.SECONDS.toMillis(30));
            return output.toString();
        }
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
