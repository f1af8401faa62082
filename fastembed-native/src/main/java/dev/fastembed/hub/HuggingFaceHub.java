package dev.fastembed.hub;

import dev.fastembed.FastEmbedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fetches files of Hugging Face repositories into the hub cache layout (see {@link HubCache}), so caches
 * written by huggingface_hub, fastembed or fastembed-rs are reused and the other way round.
 *
 * <p>A file already in the cache for the requested revision is returned without touching the network. Otherwise
 * a HEAD request (relative redirects followed, absolute ones not) yields the commit, ETag and size; the content
 * is downloaded into {@code blobs/{etag}.incomplete} (resuming with a {@code Range} request after a cut),
 * checked against the size and, for LFS files whose ETag is a SHA-256, the checksum, then renamed into place
 * and linked from {@code snapshots/{commit}/{file}}. Downloads of one blob are serialised across threads and
 * processes by a lock file. In offline mode only the cache is consulted.
 *
 * <p>Every fetch ends: it fails when it takes longer than {@link HubOptions#downloadTimeout()} in all, when a body
 * pauses for {@link HubOptions#stallTimeout()}, when a body goes on beyond the size the hub announced (or beyond
 * {@link HubOptions#maxDownloadSize()} when it announced none; reading stops there), after {@value #MAX_REDIRECTS}
 * redirects, and at a redirect to anything but an http(s) URL. Messages name the repository and file and never
 * show the endpoint's credentials or the token.
 *
 * <p>Thread-safe; one instance can serve the whole application. {@link #close()} releases its HTTP client.
 */
public final class HuggingFaceHub implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HuggingFaceHub.class);

    private final HubOptions options;
    private final HubHttp http;
    private final RetryPolicy retries;
    private final FileMetadataResolver metadataResolver;
    private final ResumableDownload downloads;

    public HuggingFaceHub(HubOptions options) {
        this.options = java.util.Objects.requireNonNull(options, "options");
        this.http = new HubHttp(options);
        this.retries = new RetryPolicy(options);
        this.metadataResolver = new FileMetadataResolver(http);
        this.downloads = new ResumableDownload(options, http, retries);
    }

    public HubOptions options() {
        return options;
    }

    /** Waits for requests in flight, then frees the HTTP client's threads and connections. */
    @Override
    public void close() {
        http.close();
    }

    /** The cache folder of one repository, {@code {cacheDir}/models--org--name}. */
    public Path repoCacheDir(String repo) {
        return new HubCache(options.cacheDir(), repo).repoDir();
    }

    /** A file at the default revision; see {@link #fetch(String, String, String)}. */
    public Path fetch(String repo, String file) {
        return fetch(repo, options.revision(), file);
    }

    /**
     * The local path of {@code file} in {@code repo} at {@code revision}, downloading it if the cache lacks it.
     *
     * @throws FastEmbedException INVALID_ARGUMENT for a malformed repo, revision or path; DOWNLOAD when the file
     *                            cannot be fetched or verified (or is not cached in offline mode); IO when the
     *                            cache cannot be written
     */
    public Path fetch(String repo, String revision, String file) {
        checkNames(repo, revision, List.of(file));
        return fetchOne(repo, revision, file, true).path();
    }

    /** Like {@link #fetch(String, String, String)}, but empty when the repository has no such file. */
    public Optional<Path> fetchIfExists(String repo, String revision, String file) {
        checkNames(repo, revision, List.of(file));
        return Optional.ofNullable(fetchOne(repo, revision, file, false).path());
    }

    /** Several required files from one commit of a repository; see {@link #fetchAll(String, String, Collection, Collection)}. */
    public Map<String, Path> fetchAll(String repo, String revision, Collection<String> files) {
        return fetchAll(repo, revision, files, List.of());
    }

    /**
     * Required and optional files from one commit: the revision is resolved to a commit by the first file and
     * the others are taken from that same commit, so a branch moving meanwhile cannot mix two versions.
     *
     * @return file name to local path, in the order given; optional files the repository lacks are left out
     */
    public Map<String, Path> fetchAll(String repo, String revision, Collection<String> required,
                                      Collection<String> optional) {
        List<String> all = new ArrayList<>(required);
        all.addAll(optional);
        checkNames(repo, revision, all);
        RepoRevision pinned = revision(repo, revision);
        Map<String, Path> paths = new LinkedHashMap<>();
        for (String file : required) {
            paths.put(file, pinned.fetch(file));
        }
        for (String file : optional) {
            pinned.fetchIfExists(file).ifPresent(path -> paths.put(file, path));
        }
        return paths;
    }

    /**
     * A view of one revision of a repository that pins the commit: the first file fetched through it resolves the
     * revision to a commit, every later file comes from that commit. Use it to fetch files that must match
     * (a model, its external data and its tokenizer) one by one. Thread-safe.
     */
    public RepoRevision revision(String repo, String revision) {
        HubNames.requireRepoId(repo);
        HubNames.requireRevision(revision);
        return new RepoRevision(repo, revision);
    }

    /** See {@link HuggingFaceHub#revision(String, String)}. */
    public final class RepoRevision {
        private final String repo;
        private final String revision;
        private volatile String commit;

        private RepoRevision(String repo, String revision) {
            this.repo = repo;
            this.revision = revision;
            this.commit = HubNames.isCommitHash(revision) ? revision : null;
        }

        public String repo() {
            return repo;
        }

        public String revision() {
            return revision;
        }

        /** The commit, once a fetch has resolved it. */
        public Optional<String> commit() {
            return Optional.ofNullable(commit);
        }

        /** A required file; see {@link HuggingFaceHub#fetch(String, String, String)}. */
        public Path fetch(String file) {
            return fetch(file, true).orElseThrow();
        }

        /** An optional file: empty when the repository lacks it. */
        public Optional<Path> fetchIfExists(String file) {
            return fetch(file, false);
        }

        private synchronized Optional<Path> fetch(String file, boolean required) {
            HubNames.requireFilePath(file);
            Outcome outcome = fetchOne(repo, commit != null ? commit : revision, file, required);
            if (commit == null && outcome.commit() != null) {
                if (!revision.equals(outcome.commit())) {
                    writeRefQuietly(outcome.commit());
                }
                commit = outcome.commit();
            }
            return Optional.ofNullable(outcome.path());
        }

        private void writeRefQuietly(String resolved) {
            try {
                new HubCache(options.cacheDir(), repo).writeRef(revision, resolved);
            } catch (IOException e) {
                log.debug("Could not record {} -> {} for {}: {}", revision, resolved, repo, e.toString());
            }
        }
    }

    /** A fetched file (null path: the repository lacks it) and the commit it belongs to (null if unknown). */
    private record Outcome(Path path, String commit) {
    }

    private static void checkNames(String repo, String revision, Collection<String> files) {
        HubNames.requireRepoId(repo);
        HubNames.requireRevision(revision);
        files.forEach(HubNames::requireFilePath);
    }

    private Outcome fetchOne(String repo, String revision, String file, boolean required) {
        HubCache cache = new HubCache(options.cacheDir(), repo);
        String cachedCommit = cache.cachedCommit(revision);
        if (cachedCommit != null) {
            Path pointer = cache.snapshotFile(cachedCommit, file);
            if (Files.isRegularFile(pointer)) {
                log.debug("{} of {} found in the cache: {}", file, repo, pointer);
                return new Outcome(pointer, cachedCommit);
            }
            if (!required && cache.isKnownMissing(cachedCommit, file)) {
                return new Outcome(null, cachedCommit);
            }
        }
        if (options.offline()) {
            if (!required) {
                return new Outcome(null, cachedCommit);
            }
            throw new FastEmbedException(FastEmbedException.Kind.DOWNLOAD,
                    "Offline mode (HF_HUB_OFFLINE, HubOptions.offline or, in Spring Boot, fastembed.offline): '"
                            + file + "' of " + repo
                            + " at revision " + revision + " is not in the cache folder " + cache.repoDir()
                            + "; load the model once online or copy its files there");
        }

        URI url = http.resolveUrl(repo, revision, file);
        Deadline deadline = Deadline.after(options.downloadTimeout());
        FileMetadata metadata = retries.run(file + " of " + repo, url, deadline,
                () -> metadataResolver.resolve(url, repo, revision, file, deadline));
        if (metadata.missing()) {
            if (metadata.commit() != null) {
                cache.markMissing(metadata.commit(), file);
            }
            if (required) {
                throw new FastEmbedException(FastEmbedException.Kind.DOWNLOAD,
                        "'" + file + "' does not exist in " + repo + " at revision " + revision + " (HTTP 404 from "
                                + url + ")");
            }
            return new Outcome(null, metadata.commit());
        }
        try {
            cache.writeRef(revision, metadata.commit());
            Path pointer = cache.snapshotFile(metadata.commit(), file);
            if (Files.isRegularFile(pointer) && hasSize(pointer, metadata.size())) {
                return new Outcome(pointer, metadata.commit());
            }
            Path blob = cache.blob(metadata.etag());
            try (DownloadLock _ = DownloadLock.acquire(cache.lockFile(metadata.etag()), file + " of " + repo)) {
                // Whoever held the lock before may have finished this very blob.
                if (!(Files.isRegularFile(blob) && hasSize(blob, metadata.size()))) {
                    downloads.download(metadata, cache, file + " of " + repo, deadline);
                }
                cache.link(pointer, blob);
            }
            return new Outcome(pointer, metadata.commit());
        } catch (IOException e) {
            throw new FastEmbedException(FastEmbedException.Kind.IO,
                    "Could not store '" + file + "' of " + repo + " in the cache folder " + cache.repoDir() + ": " + e,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FastEmbedException(FastEmbedException.Kind.DOWNLOAD,
                    "Interrupted while fetching '" + file + "' of " + repo, e);
        }
    }

    private static boolean hasSize(Path file, long expected) throws IOException {
        return expected < 0 || Files.size(file) == expected;
    }
}
