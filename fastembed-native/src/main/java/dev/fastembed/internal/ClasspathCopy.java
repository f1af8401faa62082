package dev.fastembed.internal;

import dev.fastembed.FastEmbedException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Copies the class-path resources of a {@link dev.fastembed.ModelSource.Classpath} model into the cache, so they
 * can be opened as files: one folder per content ({@code classpath/<model file>-<fingerprint>}), written
 * completely under a temporary name and renamed into place, so a folder that exists is complete.
 */
public final class ClasspathCopy {

    private ClasspathCopy() {
    }

    /** The given class loader, else the thread's context class loader, else the one that loaded this library. */
    public static ClassLoader loader(ClassLoader explicit) {
        if (explicit != null) {
            return explicit;
        }
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : ClasspathCopy.class.getClassLoader();
    }

    /** The last segment of a resource name, which is its file name in the copy. */
    public static String fileName(String resource) {
        return resource.substring(resource.lastIndexOf('/') + 1);
    }

    /**
     * The folder under {@code cacheDir} holding a copy of every resource by its file name, copying them first if
     * no complete copy of this content exists. The folder name covers names, sizes and contents: a changed jar gets
     * a new folder.
     */
    public static Path intoCache(ClassLoader explicitLoader, String modelResource, List<String> resources, Path cacheDir)
            throws IOException {
        ClassLoader loader = loader(explicitLoader);
        MessageDigest key = sha256();
        for (String resource : resources) {
            Fingerprint fingerprint = fingerprint(loader, resource);
            key.update((resource + "\n" + fingerprint.size() + "\n" + fingerprint.sha256() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        String base = fileName(modelResource).replaceAll("[^A-Za-z0-9._-]", "_");
        Path root = cacheDir.resolve("classpath");
        Path folder = root.resolve(base + "-" + HexFormat.of().formatHex(key.digest()).substring(0, 16));
        if (!isComplete(folder, resources)) {
            copyInto(loader, root, folder, resources);
        }
        return folder;
    }

    private record Fingerprint(long size, String sha256) {
    }

    private static Fingerprint fingerprint(ClassLoader loader, String resource) throws IOException {
        MessageDigest digest = sha256();
        long size = 0;
        try (InputStream in = new DigestInputStream(open(loader, resource), digest)) {
            byte[] buffer = new byte[1 << 16];
            for (int read; (read = in.read(buffer)) > 0; ) {
                size += read;
            }
        }
        return new Fingerprint(size, HexFormat.of().formatHex(digest.digest()));
    }

    private static boolean isComplete(Path folder, List<String> resources) {
        return Files.isDirectory(folder)
                && resources.stream().allMatch(r -> Files.isRegularFile(folder.resolve(fileName(r))));
    }

    /** Copies into a temporary folder, then renames it into place. */
    private static void copyInto(ClassLoader loader, Path root, Path folder, List<String> resources) throws IOException {
        Files.createDirectories(root);
        Path temp = root.resolve("." + folder.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createDirectories(temp);
            for (String resource : resources) {
                try (InputStream in = open(loader, resource);
                     OutputStream out = Files.newOutputStream(temp.resolve(fileName(resource)))) {
                    in.transferTo(out);
                }
            }
            try {
                Files.move(temp, folder, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, folder);
            } catch (FileSystemException e) {
                // Another thread or process put the same content there first; theirs is as good.
                if (!isComplete(folder, resources)) {
                    throw e;
                }
            }
        } finally {
            deleteRecursively(temp);
        }
    }

    private static InputStream open(ClassLoader loader, String resource) throws IOException {
        URL url = loader.getResource(resource);
        if (url == null) {
            throw new FastEmbedException(FastEmbedException.Kind.IO,
                    "Class-path resource '" + resource + "' not found (is the jar holding it on the class path?)");
        }
        return url.openStream();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
