package dev.fastembed;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module boundary: {@code java.lang.foreign} stays in {@code dev.fastembed.internal}, which is not exported.
 * Reads the compiled module descriptor and the compiled classes of every exported package.
 */
class ModuleBoundaryTest {

    @Test
    void theModuleExportsThePublicPackagesAndNotInternal() throws IOException, URISyntaxException {
        ModuleDescriptor module = descriptor();
        assertThat(module.name()).isEqualTo("dev.fastembed");
        assertThat(exportedPackages(module)).containsExactlyInAnyOrder("dev.fastembed", "dev.fastembed.catalog",
                "dev.fastembed.hub");
        assertThat(classesFolder().resolve("dev/fastembed/internal/FastEmbedNative.class")).as("the bindings").isRegularFile();
    }

    @Test
    void noClassOfAnExportedPackageReferencesJavaLangForeign() throws IOException, URISyntaxException {
        Path classes = classesFolder();
        List<String> offenders = new ArrayList<>();
        int read = 0;
        for (String pkg : exportedPackages(descriptor())) {
            try (Stream<Path> files = Files.list(classes.resolve(pkg.replace('.', '/')))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    read++;
                    // Any use of a foreign type (import, field, signature, lambda) puts its internal name
                    // into the class file's constant pool.
                    String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                    if (bytes.contains("java/lang/foreign/")) {
                        offenders.add(classes.relativize(file).toString());
                    }
                }
            }
        }
        assertThat(read).as("classes read").isGreaterThan(20);
        assertThat(offenders).as("classes of exported packages that use java.lang.foreign").isEmpty();
    }

    @Test
    void theCheckSeesForeignUseWhereItIs() throws IOException, URISyntaxException {
        Path handle = classesFolder().resolve("dev/fastembed/internal/FastEmbedNative.class");
        assertThat(new String(Files.readAllBytes(handle), StandardCharsets.ISO_8859_1)).contains("java/lang/foreign/");
    }

    private static Set<String> exportedPackages(ModuleDescriptor module) {
        return module.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
    }

    private static ModuleDescriptor descriptor() throws IOException, URISyntaxException {
        try (InputStream in = Files.newInputStream(classesFolder().resolve("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    /** The folder (target/classes) the main classes were compiled to. */
    private static Path classesFolder() throws URISyntaxException {
        Path location = Path.of(TextEmbedding.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(location).as("main classes as a folder").isDirectory();
        return location;
    }
}
