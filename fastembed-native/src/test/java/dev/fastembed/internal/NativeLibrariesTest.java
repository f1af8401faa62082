package dev.fastembed.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class NativeLibrariesTest {

    @Test
    void platformFoldersFollowEachJarsNaming() {
        NativeLibraries.Platform linux = new NativeLibraries.Platform("linux", "x86_64");
        assertThat(linux.fastembedFolder()).isEqualTo("linux-x86_64");
        assertThat(linux.onnxRuntimeFolder()).isEqualTo("linux-x64");
        assertThat(linux.libraryFile("fastembed")).isEqualTo("libfastembed.so");
        NativeLibraries.Platform mac = new NativeLibraries.Platform("macos", "aarch64");
        assertThat(mac.onnxRuntimeFolder()).isEqualTo("osx-aarch64");
        assertThat(mac.libraryFile("onnxruntime")).isEqualTo("libonnxruntime.dylib");
        assertThat(new NativeLibraries.Platform("windows", "x86_64").libraryFile("fastembed")).isEqualTo("fastembed.dll");
    }

    @Test
    void olderCopiesArePrunedButTheRecentlyUsedOnesStay(@TempDir Path cache) throws Exception {
        Path current = copy(cache, "current", "libfastembed.so", Duration.ZERO);
        List<Path> recent = new ArrayList<>();
        for (int minutes : new int[] {10, 20, 30, 40}) {
            recent.add(copy(cache, "recent-" + minutes, "libfastembed.so", Duration.ofMinutes(minutes)));
        }
        Path dayOld = copy(cache, "day-old", "libfastembed.so", Duration.ofDays(1));
        Path weekOld = copy(cache, "week-old", "libfastembed.so", Duration.ofDays(7));
        Path otherLibrary = copy(cache, "other-library", "libonnxruntime.so", Duration.ofDays(30));

        NativeLibraries.pruneOlderCopies(cache, current, "libfastembed.so");

        // The three most recently used stay, so does the fourth (used within the hour); older ones go.
        assertThat(current).isDirectory();
        assertThat(recent).allSatisfy(folder -> assertThat(folder.resolve("libfastembed.so")).isRegularFile());
        assertThat(dayOld).doesNotExist();
        assertThat(weekOld).doesNotExist();
        assertThat(otherLibrary.resolve("libonnxruntime.so")).isRegularFile();
    }

    private static Path copy(Path cache, String name, String file, Duration unusedFor) throws Exception {
        Path folder = Files.createDirectories(cache.resolve(name));
        Files.writeString(folder.resolve(file), "library bytes");
        Files.setLastModifiedTime(folder, FileTime.from(Instant.now().minus(unusedFor)));
        return folder;
    }

    @Test
    void concurrentExtractionsEndWithOneIntactCopy(@TempDir Path cache) throws Exception {
        String previous = System.getProperty("fastembed.native.dir");
        System.setProperty("fastembed.native.dir", cache.toString());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Path>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(NativeLibraries::onnxRuntimeLibrary));
            }
            Path first = results.getFirst().get();
            for (Future<Path> result : results) {
                assertThat(result.get()).isEqualTo(first);
            }
            long expectedSize = NativeLibraries.class.getClassLoader()
                    .getResource("ai/onnxruntime/native/linux-x64/libonnxruntime.so").openConnection().getContentLengthLong();
            assertThat(Files.size(first)).isEqualTo(expectedSize);
            try (var files = Files.list(first.getParent())) {
                assertThat(files.toList()).containsExactly(first);
            }
            assertThat(NativeLibraries.onnxRuntimeLibrary()).isEqualTo(first);
        } finally {
            pool.shutdownNow();
            if (previous == null) {
                System.clearProperty("fastembed.native.dir");
            } else {
                System.setProperty("fastembed.native.dir", previous);
            }
        }
    }

    @Test
    void providerLibrariesOfAGpuJarAreExtractedBesideTheRuntimeOnce(@TempDir Path dir) throws Exception {
        String resourceFolder = "ai/onnxruntime/native/linux-x64/";
        Path jar = dir.resolve("gpu-jar");
        Path natives = Files.createDirectories(jar.resolve(resourceFolder));
        String shared = NativeLibraries.Platform.current().libraryFile("onnxruntime_providers_shared");
        String cuda = NativeLibraries.Platform.current().libraryFile("onnxruntime_providers_cuda");
        Files.writeString(natives.resolve(shared), "shared provider");
        Files.writeString(natives.resolve(cuda), "cuda provider");
        Path runtimeFolder = Files.createDirectories(dir.resolve("extracted"));
        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()}, null)) {
            NativeLibraries.extractProviders(loader, resourceFolder, runtimeFolder);
            assertThat(runtimeFolder.resolve(shared)).hasContent("shared provider");
            assertThat(runtimeFolder.resolve(cuda)).hasContent("cuda provider");

            Files.writeString(natives.resolve(cuda), "another build");
            NativeLibraries.extractProviders(loader, resourceFolder, runtimeFolder);
            assertThat(runtimeFolder.resolve(cuda)).as("present files are kept").hasContent("cuda provider");
        }
        try (var files = Files.list(runtimeFolder)) {
            assertThat(files).as("no partial files").hasSize(2);
        }
    }

    @Test
    void theCpuJarHasNoProviderLibrariesToExtract(@TempDir Path dir) {
        NativeLibraries.extractProviders(NativeLibraries.class.getClassLoader(), "ai/onnxruntime/native/"
                + NativeLibraries.Platform.current().onnxRuntimeFolder() + "/", dir);
        assertThat(dir).isEmptyDirectory();
    }
}
