package dev.fastembed.hub;

import dev.fastembed.FastEmbedException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * One repository's folder in the Hugging Face hub cache layout, shared with huggingface_hub, fastembed and
 * fastembed-rs:
 * <pre>
 * {cache}/models--{org}--{name}/blobs/{etag}                   file contents, named by ETag
 *                              /snapshots/{commit}/{file}     symlink to ../../blobs/{etag} (or a copy)
 *                              /refs/{revision}               commit hash the revision pointed to
 *                              /.no_exist/{commit}/{file}     marker: the file is not in that commit
 * {cache}/.locks/models--{org}--{name}/{etag}.lock            download lock
 * </pre>
 * Names reaching this class were checked by {@link HubNames}; every path is checked once more to lie inside
 * the repository folder.
 */
final class HubCache {

    private final Path cacheDir;
    private final Path repoDir;
    private final String folderName;

    HubCache(Path cacheDir, String repo) {
        this.cacheDir = cacheDir.toAbsolutePath().normalize();
        this.folderName = folderName(HubNames.requireRepoId(repo));
        this.repoDir = this.cacheDir.resolve(folderName);
    }

    /** {@code models--org--name}, as huggingface_hub names a model repository's folder. */
    static String folderName(String repo) {
        return "models--" + repo.replace("/", "--");
    }

    Path repoDir() {
        return repoDir;
    }

    /** The commit a revision resolves to from the cache alone: itself if a commit hash, else refs/{revision}. */
    String cachedCommit(String revision) {
        if (HubNames.isCommitHash(revision)) {
            return revision;
        }
        Path ref = inside(repoDir, "refs/" + revision);
        if (!Files.isRegularFile(ref)) {
            return null;
        }
        try {
            String commit = Files.readString(ref, StandardCharsets.UTF_8).strip();
            return commit.isEmpty() ? null : HubNames.requireServerToken(commit, "commit in " + ref, ref.toString());
        } catch (IOException | FastEmbedException e) {
            return null; // an unreadable ref is treated as absent: the file is fetched again
        }
    }

    void writeRef(String revision, String commit) throws IOException {
        if (revision.equals(commit)) {
            return;
        }
        Path ref = inside(repoDir, "refs/" + revision);
        if (commit.equals(cachedCommit(revision))) {
            return;
        }
        Files.createDirectories(ref.getParent());
        Path temp = ref.resolveSibling(ref.getFileName() + "." + UUID.randomUUID() + ".tmp");
        Files.writeString(temp, commit, StandardCharsets.UTF_8);
        moveAtomically(temp, ref);
    }

    Path snapshotFile(String commit, String file) {
        return inside(repoDir, "snapshots/" + commit + "/" + file);
    }

    Path blob(String etag) {
        return inside(repoDir, "blobs/" + etag);
    }

    Path incompleteBlob(String etag) {
        return inside(repoDir, "blobs/" + etag + ".incomplete");
    }

    Path lockFile(String etag) {
        return inside(cacheDir.resolve(".locks").resolve(folderName), etag + ".lock");
    }

    boolean isKnownMissing(String commit, String file) {
        return Files.exists(inside(repoDir, ".no_exist/" + commit + "/" + file));
    }

    void markMissing(String commit, String file) {
        Path marker = inside(repoDir, ".no_exist/" + commit + "/" + file);
        try {
            Files.createDirectories(marker.getParent());
            if (!Files.exists(marker)) {
                Files.createFile(marker);
            }
        } catch (IOException e) {
            // Only an optimisation (skips a request next time); a read-only cache must not fail the load.
        }
    }

    /**
     * Points {@code snapshots/{commit}/{file}} at the blob: a relative symlink as huggingface_hub makes, or a
     * copy where the file system refuses symlinks (Windows without developer mode). Replaces atomically.
     */
    void link(Path pointer, Path blob) throws IOException {
        Files.createDirectories(pointer.getParent());
        Path temp = pointer.resolveSibling(pointer.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createSymbolicLink(temp, pointer.getParent().relativize(blob));
        } catch (UnsupportedOperationException | FileSystemException e) {
            Files.deleteIfExists(temp);
            Files.copy(blob, temp);
        }
        moveAtomically(temp, pointer);
    }

    static void moveAtomically(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Resolves a '/'-separated relative path under {@code base}, refusing anything that ends up outside. */
    private static Path inside(Path base, String relative) {
        Path resolved = base.resolve(relative).normalize();
        if (!resolved.startsWith(base) || resolved.equals(base)) {
            throw new FastEmbedException(FastEmbedException.Kind.INVALID_ARGUMENT,
                    "Refusing cache path '" + relative + "': it leaves " + base);
        }
        return resolved;
    }
}
