package dev.fastembed.internal;

import dev.fastembed.FastEmbedException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * Finds the two native libraries: libfastembed (bundled in this jar under {@code natives/<platform>/}) and
 * libonnxruntime (from the {@code com.microsoft.onnxruntime:onnxruntime} jar on the class path, or the
 * {@code onnxruntime_gpu} jar, whose execution provider libraries are extracted beside it). Each is
 * extracted once into a cache folder keyed by its content checksum, through a temporary file and an atomic
 * rename, so concurrent JVMs never see a half-written library. Each use marks its folder; when a new copy is
 * extracted, older copies of the same library beyond the {@value #KEPT_COPIES} most recently used, and unused for an
 * hour, are deleted, so upgrades and rebuilds do not pile up 30 MB libraries.
 *
 * <p>Overrides: system property {@code fastembed.library.path} / env {@code FASTEMBED_LIBRARY_PATH} and
 * {@code fastembed.onnxruntime.path} / {@code FASTEMBED_ONNXRUNTIME_PATH} point at existing files;
 * {@code fastembed.native.dir} / {@code FASTEMBED_NATIVE_DIR} sets the extraction folder
 * (default {@code ~/.cache/fastembed/natives}).
 */
final class NativeLibraries {

    /** Older copies of a library kept besides the current one (other installed versions may still use them). */
    static final int KEPT_COPIES = 3;
    /** A copy used this recently is never deleted: a JVM may be about to load it. */
    static final Duration IN_USE = Duration.ofHours(1);

    /**
     * ONNX Runtime's execution provider libraries, which it loads from its own folder when a session asks for the
     * provider. Only GPU jars ({@code com.microsoft.onnxruntime:onnxruntime_gpu}) carry them.
     */
    static final List<String> PROVIDER_LIBRARIES = List.of("onnxruntime_providers_shared", "onnxruntime_providers_cuda");

    private NativeLibraries() {
    }

    static Path fastembedLibrary() {
        Path override = configuredPath("fastembed.library.path", "FASTEMBED_LIBRARY_PATH");
        if (override != null) {
            return override;
        }
        String resource = "natives/" + Platform.current().fastembedFolder() + "/" + Platform.current().libraryFile("fastembed");
        return extract(resource);
    }

    static Path onnxRuntimeLibrary() {
        Path override = configuredPath("fastembed.onnxruntime.path", "FASTEMBED_ONNXRUNTIME_PATH");
        if (override != null) {
            return override;
        }
        String folder = "ai/onnxruntime/native/" + Platform.current().onnxRuntimeFolder() + "/";
        Path library = extract(folder + Platform.current().libraryFile("onnxruntime"));
        extractProviders(NativeLibraries.class.getClassLoader(), folder, library.getParent());
        return library;
    }

    /**
     * Extracts the {@link #PROVIDER_LIBRARIES} found in {@code resourceFolder} on the class path into {@code folder},
     * the folder of the extracted libonnxruntime, unless already there. That folder is keyed by libonnxruntime's
     * checksum and every build has its own libonnxruntime, so a file already there came from the same jar.
     */
    static void extractProviders(ClassLoader loader, String resourceFolder, Path folder) {
        for (String name : PROVIDER_LIBRARIES) {
            String fileName = Platform.current().libraryFile(name);
            URL url = loader.getResource(resourceFolder + fileName);
            Path target = folder.resolve(fileName);
            if (url == null || Files.isRegularFile(target)) {
                continue;
            }
            try {
                copyAtomically(url, folder, target);
            } catch (IOException e) {
                throw new FastEmbedException(FastEmbedException.Kind.NATIVE_LIBRARY,
                        "Could not extract " + resourceFolder + fileName + " to " + folder + ": " + e.getMessage(), e);
            }
        }
    }

    /** Copies {@code url} to {@code target} through a private file in {@code folder}: readers never see half a library. */
    private static void copyAtomically(URL url, Path folder, Path target) throws IOException {
        Path temporary = Files.createTempFile(folder, target.getFileName().toString(), ".part");
        try {
            try (InputStream in = url.openStream(); OutputStream out = Files.newOutputStream(temporary)) {
                in.transferTo(out);
            }
            moveAtomically(temporary, target);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static Path configuredPath(String property, String environment) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(environment);
        }
        if (value == null || value.isBlank()) {
            return null;
        }
        Path path = Path.of(value);
        if (!Files.isRegularFile(path)) {
            throw new FastEmbedException(FastEmbedException.Kind.NATIVE_LIBRARY,
                    property + " / " + environment + " points at " + path + ", which is not a file");
        }
        return path;
    }

    private static Path extract(String resource) {
        URL url = NativeLibraries.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new FastEmbedException(FastEmbedException.Kind.NATIVE_LIBRARY,
                    "Native library " + resource + " is not on the class path (platform " + Platform.current()
                            + "). Is this platform supported, and is com.microsoft.onnxruntime:onnxruntime a dependency?");
        }
        try {
            long checksum = checksum(url);
            String fileName = resource.substring(resource.lastIndexOf('/') + 1);
            Path folder = cacheRoot().resolve(Long.toHexString(checksum));
            Path target = folder.resolve(fileName);
            if (Files.isRegularFile(target)) {
                markUsed(folder);
                return target;
            }
            Files.createDirectories(folder);
            copyAtomically(url, folder, target);
            pruneOlderCopies(cacheRoot(), folder, fileName);
            return target;
        } catch (IOException e) {
            throw new FastEmbedException(FastEmbedException.Kind.NATIVE_LIBRARY,
                    "Could not extract " + resource + " to " + cacheRoot() + ": " + e.getMessage(), e);
        }
    }

    private static void markUsed(Path folder) {
        try {
            Files.setLastModifiedTime(folder, FileTime.from(Instant.now()));
        } catch (IOException e) {
            // a read-only cache still works; it is only never pruned
        }
    }

    /**
     * Deletes the folders of {@code root} holding another copy of {@code fileName}, except the
     * {@value #KEPT_COPIES} most recently used and any used within {@link #IN_USE}. Best effort: a copy that
     * cannot be deleted (e.g. loaded by a JVM on Windows) stays.
     */
    static void pruneOlderCopies(Path root, Path current, String fileName) {
        // Each folder's time is read once: another JVM may touch a folder meanwhile, and a sort whose keys
        // change under it can fail.
        record Copy(Path folder, Instant lastUsed) {
        }
        List<Copy> copies;
        try (Stream<Path> folders = Files.list(root)) {
            copies = folders.filter(folder -> !folder.equals(current) && Files.isRegularFile(folder.resolve(fileName)))
                    .map(folder -> new Copy(folder, lastUsed(folder)))
                    .sorted(Comparator.comparing(Copy::lastUsed).reversed())
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            return;
        }
        Instant recent = Instant.now().minus(IN_USE);
        for (Copy copy : copies.subList(Math.min(KEPT_COPIES, copies.size()), copies.size())) {
            if (copy.lastUsed().isBefore(recent)) {
                try (Stream<Path> files = Files.list(copy.folder())) {
                    for (Path file : files.toList()) {
                        Files.deleteIfExists(file);
                    }
                    Files.deleteIfExists(copy.folder());
                } catch (IOException | UncheckedIOException e) {
                    // in use or not ours to delete: leave it
                }
            }
        }
    }

    private static Instant lastUsed(Path folder) {
        try {
            return Files.getLastModifiedTime(folder).toInstant();
        } catch (IOException e) {
            return Instant.MAX; // unknown: never the oldest
        }
    }

    private static void moveAtomically(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            // another JVM extracted the same content first
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Identifies the library's content. Inside a jar the entry's CRC and size come from the jar's directory,
     * so no start-up pays for inflating a 30 MB library just to find it was extracted before.
     */
    private static long checksum(URL url) throws IOException {
        URLConnection connection = url.openConnection();
        if (connection instanceof JarURLConnection jar) {
            JarEntry entry = jar.getJarEntry();
            if (entry != null && entry.getCrc() != -1 && entry.getSize() != -1) {
                return entry.getCrc() ^ (entry.getSize() << 32);
            }
        }
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = url.openStream()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                crc.update(buffer, 0, n);
            }
        }
        return crc.getValue();
    }

    private static Path cacheRoot() {
        String configured = System.getProperty("fastembed.native.dir", System.getenv("FASTEMBED_NATIVE_DIR"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "fastembed", "natives");
    }

    /** Operating system and architecture, named as each jar names its native folders. */
    record Platform(String os, String arch) {

        static Platform current() {
            String osName = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            String os = osName.contains("win") ? "windows" : osName.contains("mac") ? "macos" : "linux";
            String archName = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
            String arch = archName.equals("amd64") || archName.equals("x86_64") ? "x86_64"
                    : archName.equals("aarch64") || archName.equals("arm64") ? "aarch64" : archName;
            return new Platform(os, arch);
        }

        String fastembedFolder() {
            return os + "-" + arch;
        }

        String onnxRuntimeFolder() {
            String ortOs = switch (os) {
                case "windows" -> "win";
                case "macos" -> "osx";
                default -> "linux";
            };
            return ortOs + "-" + (arch.equals("x86_64") ? "x64" : arch);
        }

        String libraryFile(String name) {
            return switch (os) {
                case "windows" -> name + ".dll";
                case "macos" -> "lib" + name + ".dylib";
                default -> "lib" + name + ".so";
            };
        }

        @Override
        public String toString() {
            return os + "-" + arch;
        }
    }
}
