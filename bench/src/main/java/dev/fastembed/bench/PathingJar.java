package dev.fastembed.bench;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A jar holding only a manifest whose Class-Path lists the real class path, so child JVMs start with a short
 * {@code -cp} (as Surefire does). ONNX Runtime 1.29's start-up needs stack in proportion to the command line and
 * overflows a JVM thread's stack once the class path is a few thousand characters long, which the bench's 60-odd
 * jars are. fastembed loads it on a thread with room for that; ONNX Runtime's Java API, under the floor, LangChain4j
 * and Spring AI, does not.
 */
final class PathingJar {

    private PathingJar() {
    }

    static Path create(Path jar, String classPath) throws IOException {
        String entries = Stream.of(classPath.split(File.pathSeparator))
                .filter(e -> !e.isBlank())
                .map(e -> Path.of(e).toAbsolutePath().toUri().toString())
                .collect(Collectors.joining(" "));
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, entries);
        manifest.getMainAttributes().put(new Attributes.Name("Enable-Native-Access"), "ALL-UNNAMED");
        Files.createDirectories(jar.getParent());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            // the manifest is the whole content
        }
        return jar;
    }
}
