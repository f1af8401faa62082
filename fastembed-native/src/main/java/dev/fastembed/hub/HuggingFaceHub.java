package dev.fastembed.hub;

import dev.fastembed.FastEmbedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

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
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern GIT_BLOB_ID = Pattern.compile("[0-9a-f]{40}");
    private static final int MAX_REDIRECTS = 10;
    private static final long LARGE_FILE_BYTES = 10L * 1024 * 1024;
    private static final long PROGRESS_INTERVAL_NANOS = Duration.ofSeconds(2).toNanos();
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final String USER_AGENT = "fastembed-java/0.1; java/" + Runtime.version().feature();

    private final HubOptions options;
    private final HttpClient client;

    public HuggingFaceHub(HubOptions options) {
        this.options = java.util.Objects.requireNonNull(options, "options");
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(options.connectTimeout())
                // Redirects are followed by hand: relative ones only for HEAD (as huggingface_hub does), and
                // the token must not travel to the CDN host an LFS file redirects to.
                .followRedirects(HttpClient.Redirect.NEVER);
        ProxySelector proxies = ProxySelector.getDefault();
        if (proxies != null) {
            builder.proxy(proxies); // -Dhttps.proxyHost / -Dhttp.nonProxyHosts / -Djava.net.useSystemProxies
        }
        this.client = builder.build();
    }

    public HubOptions options() {
        return options;
    }

    /** Waits for requests in flight, then frees the HTTP client's threads and connections. */
    @Override
    public void close() {
        client.close();
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

        URI url = resolveUrl(repo, revision, file);
        Deadline deadline = Deadline.after(options.downloadTimeout());
        FileMetadata metadata = withRetries(file + " of " + repo, url, deadline,
                () -> head(url, repo, revision, file, deadline));
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
                    download(metadata, cache, file + " of " + repo, deadline);
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

    // ---- HEAD: commit, ETag, size ----

    private FileMetadata head(URI start, String repo, String revision, String file, Deadline deadline)
            throws IOException, InterruptedException, RetryableFailure {
        URI url = start;
        String what = "'" + file + "' of " + repo;
        for (int hops = 0; ; hops++) {
            HttpRequest request = request(url, deadline).method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            HttpHeaders headers = response.headers();
            if (isRedirect(status)) {
                URI target = redirectTarget(url, headers, status, what);
                // A relative redirect is the hub itself (a renamed repo); an absolute one is the CDN holding an
                // LFS file, whose metadata is already in this response.
                if (URI.create(headers.firstValue("Location").orElseThrow()).getHost() == null) {
                    if (hops >= MAX_REDIRECTS) {
                        throw tooManyRedirects(what, url);
                    }
                    url = target;
                    continue;
                }
                return metadata(headers, false, target, url);
            }
            if (status >= 200 && status < 300) {
                return metadata(headers, true, url, url);
            }
            if (status == 404) {
                String errorCode = headers.firstValue("X-Error-Code").orElse("");
                if (errorCode.equals("RepositoryNotFound") || errorCode.equals("RevisionNotFound")) {
                    throw new FastEmbedException(FastEmbedException.Kind.DOWNLOAD,
                            (errorCode.equals("RepositoryNotFound") ? "Repository " + repo + " not found"
                                    : "Revision '" + revision + "' not found in " + repo) + " (HTTP 404 from " + url + ")");
                }
                String commit = headers.firstValue("X-Repo-Commit").orElse(null);
                return FileMetadata.missing(commit == null ? null : HubNames.requireServerToken(commit, "commit", url.toString()), url);
            }
            throw failure(status, url, repo, file);
        }
    }

    private static FileMetadata metadata(HttpHeaders headers, boolean contentIsTheFile, URI downloadUrl, URI url) {
        String where = url.toString();
        String commit = headers.firstValue("X-Repo-Commit").orElse(null);
        if (commit == null) {
            throw new FastEmbedException(FastEmbedException.Kind.DOWNLOAD, "No X-Repo-Commit header from " + where
                    + ": the endpoint does not look like a Hugging Face hub or mirror (check HF_ENDPOINT)");
        }
        String etag = headers.firstValue("X-Linked-Etag").or(() -> headers.firstValue("ETag"))
                .map(HuggingFaceHub::normalizeEtag).orElse(null);
        if (etag == null) {
            throw new FastEmbedException(FastEmbedException.Kind.DOWNLOAD, "No ETag header from " + where
                    + ": cannot cache the file without it");
        }
        long size = headers.firstValue("X-Linked-Size")
                .or(() -> contentIsTheFile ? headers.firstValue("Content-Length") : Optional.empty())
                .map(HuggingFaceHub::parseSize).orElse(-1L);
        return new FileMetadata(HubNames.requireServerToken(commit, "commit", where),
                HubNames.requireServerToken(etag, "ETag", where), size, downloadUrl, false);
    }

    /** Drops the weak-validator prefix and quotes: {@code W/"abc"} → {@code abc}. */
    private static String normalizeEtag(String etag) {
        String value = etag.strip();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static long parseSize(String value) {
        try {
            long size = Long.parseLong(value.strip());
            return size < 0 ? -1 : size;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    // ---- GET: download with resume and verification ----

    private void download(FileMetadata metadata, HubCache cache, String what, Deadline deadline) throws IOException {
        Path incomplete = cache.incompleteBlob(metadata.etag());
        Files.createDirectories(incomplete.getParent());
        withRetries(what, metadata.downloadUrl(), deadline, () -> {
            downloadOnce(metadata, incomplete, what, deadline);
            verify(metadata, incomplete);
            return null;
        });
        HubCache.moveAtomically(incomplete, cache.blob(metadata.etag()));
    }

    private void downloadOnce(FileMetadata metadata, Path incomplete, String what, Deadline deadline)
            throws IOException, InterruptedException, RetryableFailure {
        long expected = metadata.size();
        try (FileChannel channel = FileChannel.open(incomplete, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long offset = channel.size();
            if (expected >= 0 && offset > expected) {
                channel.truncate(0);
                offset = 0;
            }
            if (expected >= 0 && offset == expected) {
                return; // finished by an earlier attempt; verify() decides whether it is good
            }
            if (offset > 0) {
                log.info("Resuming download of {} at byte {}", what, offset);
            }
            URI url = metadata.downloadUrl();
            for (int hops = 0; ; hops++) {
                final long start = offset;
                HttpRequest.Builder request = request(url, deadline).GET();
                if (start > 0) {
                    request.header("Range", "bytes=" + start + "-");
                }
                AtomicReference<FileBodySubscriber> body = new AtomicReference<>();
                HttpResponse.BodyHandler<Long> handler = info -> {
                    int status = info.statusCode();
                    if (status == 200 || status == 206 && rangeStartsAt(info.headers(), start)) {
                        long from = status == 200 ? 0 : start;
                        // Never more than announced (or than the cap when nothing was): the body is cut there.
                        long limit = (expected >= 0 ? expected : options.maxDownloadSize()) - from;
                        FileBodySubscriber subscriber = new FileBodySubscriber(channel, from, limit);
                        body.set(subscriber);
                        return subscriber;
                    }
                    return HttpResponse.BodySubscribers.replacing(-1L);
                };
                Progress progress = new Progress(what, start, expected);
                HttpResponse<Long> response;
                try {
                    response = await(client.sendAsync(request.build(), handler), body, progress, deadline, what);
                } catch (FileBodySubscriber.TooLong e) {
                    channel.truncate(0);
                    throw new FastEmbedException(FastEmbedException.Kind.DOWNLOAD, "Refused " + what + " from "
                            + where(url) + ": " + (expected >= 0
                            ? "the body is longer than the announced " + expected + " bytes"
                            : "no size was announced and the body goes on beyond " + options.maxDownloadSize()
                            + " bytes (HubOptions.maxDownloadSize)")
                            + "; reading stopped there and the partial download was discarded");
                }
                int status = response.statusCode();
                if (isRedirect(status)) {
                    if (hops >= MAX_REDIRECTS) {
                        throw tooManyRedirects(what, url);
                    }
                    url = redirectTarget(url, response.headers(), status, what);
                    continue;
                }
                if (status == 200 || status == 206) {
                    if (body.get() == null) {
                        channel.truncate(0);
                        throw new RetryableFailure("the server answered the request for bytes " + start
                                + "- with another range; starting over");
                    }
                    progress.finished(body.get().written());
                    return;
                }
                if (status == 416) {
                    channel.truncate(0);
                    throw new RetryableFailure("the server refused to resume at byte " + start + "; starting over");
                }
                throw failure(status, url, what, null);
            }
        }
    }

    /**
     * Waits for a response, giving up when the body stalls for longer than the stall timeout or the file's
     * deadline passes.
     */
    private HttpResponse<Long> await(CompletableFuture<HttpResponse<Long>> future,
                                     AtomicReference<FileBodySubscriber> body, Progress progress, Deadline deadline,
                                     String what)
            throws IOException, InterruptedException, RetryableFailure {
        long stallNanos = options.stallTimeout().toNanos();
        long pollMillis = Math.clamp(Math.min(options.stallTimeout().toMillis(), options.downloadTimeout().toMillis()) / 4,
                10, 1000);
        try {
            while (true) {
                try {
                    return future.get(pollMillis, TimeUnit.MILLISECONDS);
                } catch (TimeoutException notYet) {
                    FileBodySubscriber subscriber = body.get();
                    if (deadline.passed()) {
                        cancel(future, subscriber);
                        throw deadlineExceeded(what, subscriber == null ? null : subscriber.written());
                    }
                    if (subscriber != null) {
                        progress.report(subscriber.written());
                        if (subscriber.idleNanos() > stallNanos) {
                            cancel(future, subscriber);
                            throw new RetryableFailure("no data received for " + options.stallTimeout().toMillis()
                                    + " ms (stall timeout)");
                        }
                    }
                }
            }
        } catch (ExecutionException e) {
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                if (c instanceof FileBodySubscriber.TooLong tooLong) {
                    throw tooLong;
                }
            }
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException unchecked) {
                throw unchecked.getCause();
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(String.valueOf(cause), cause);
        } catch (InterruptedException e) {
            FileBodySubscriber subscriber = body.get();
            if (subscriber != null) {
                subscriber.cancel();
            }
            future.cancel(true);
            throw e;
        }
    }

    private static void cancel(CompletableFuture<?> future, FileBodySubscriber subscriber) {
        if (subscriber != null) {
            subscriber.cancel();
        }
        future.cancel(true);
    }

    private FastEmbedException deadlineExceeded(String what, Long written) {
        return new FastEmbedException(FastEmbedException.Kind.DOWNLOAD, "Fetching " + what + " did not finish within "
                + options.downloadTimeout().toMillis() + " ms (download timeout: HubOptions.downloadTimeout, "
                + "fastembed.hugging-face.download-timeout)" + (written == null ? ""
                : "; " + written + " bytes arrived in the last attempt, kept for the next fetch to resume"));
    }

    private static FastEmbedException tooManyRedirects(String what, URI last) {
        return new FastEmbedException(FastEmbedException.Kind.DOWNLOAD, "Too many redirects (more than "
                + MAX_REDIRECTS + ") fetching " + what + "; the last from " + where(last));
    }

    /** The URL a redirect leads to: http or https with a host, or a DOWNLOAD error naming what was fetched. */
    private static URI redirectTarget(URI from, HttpHeaders headers, int status, String what) throws IOException {
        String location = headers.firstValue("Location").orElseThrow(
                () -> new IOException("HTTP " + status + " without Location header from " + where(from)));
        URI target;
        try {
            target = from.resolve(new URI(location));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new FastEmbedException(FastEmbedException.Kind.DOWNLOAD, "Refused the redirect of " + what + " from "
                    + where(from) + ": malformed Location '" + printable(location) + "'");
        }
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || target.getHost() == null) {
            throw new FastEmbedException(FastEmbedException.Kind.DOWNLOAD, "Refused the redirect of " + what + " from "
                    + where(from) + " to '" + printable(location) + "': only http(s) URLs with a host are followed");
        }
        return target;
    }

    /** A URL for a message: without user-info. */
    private static String where(URI url) {
        return HubOptions.redact(url.toString());
    }

    /** Server-sent text for a message: credentials redacted, control characters replaced, at most 200 characters. */
    private static String printable(String text) {
        String shown = HubOptions.redact(text).replaceAll("\\p{Cntrl}", "?");
        return shown.length() <= 200 ? shown : shown.substring(0, 200) + "…";
    }

    private static boolean rangeStartsAt(HttpHeaders headers, long start) {
        // Content-Range: bytes 1000-1999/2000
        return headers.firstValue("Content-Range")
                .map(value -> value.strip().toLowerCase(Locale.ROOT).startsWith("bytes " + start + "-"))
                .orElse(false);
    }

    private static void verify(FileMetadata metadata, Path file) throws IOException, RetryableFailure {
        long size = Files.size(file);
        if (metadata.size() >= 0 && size != metadata.size()) {
            if (size > metadata.size()) {
                Files.delete(file);
            } // shorter: kept, the next attempt resumes
            throw new RetryableFailure("size mismatch: expected " + metadata.size() + " bytes, got " + size);
        }
        // LFS files carry the SHA-256 of their content, regular (small) files their git blob id: the SHA-1 of
        // "blob <size>\0" followed by the content.
        String actual = null;
        String checksum = null;
        if (SHA256.matcher(metadata.etag()).matches()) {
            checksum = "SHA-256";
            actual = digest(file, "SHA-256", null);
        } else if (GIT_BLOB_ID.matcher(metadata.etag()).matches()) {
            checksum = "git blob id (SHA-1)";
            actual = digest(file, "SHA-1", ("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
        }
        if (actual != null && !actual.equals(metadata.etag())) {
            Files.delete(file);
            throw new RetryableFailure(checksum + " mismatch (expected " + metadata.etag() + ", got " + actual
                    + "): corrupted download discarded");
        }
    }

    private static String digest(Path file, String algorithm, byte[] header) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every JDK", e);
        }
        if (header != null) {
            digest.update(header);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int read; (read = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static boolean hasSize(Path file, long expected) throws IOException {
        return expected < 0 || Files.size(file) == expected;
    }

    // ---- HTTP plumbing ----

    private HttpRequest.Builder request(URI url, Deadline deadline) {
        Duration timeout = options.readTimeout();
        Duration left = Duration.ofNanos(Math.max(1_000_000, deadline.remainingNanos()));
        HttpRequest.Builder builder = HttpRequest.newBuilder(url)
                .timeout(left.compareTo(timeout) < 0 ? left : timeout)
                .header("User-Agent", USER_AGENT)
                .header("Accept-Encoding", "identity");
        // The token (else the endpoint's user-info) goes to the endpoint only, never to a CDN.
        options.authorization().filter(authorization -> sameOrigin(url, options.endpoint()))
                .ifPresent(authorization -> builder.header("Authorization", authorization));
        return builder;
    }

    private URI resolveUrl(String repo, String revision, String file) {
        StringBuilder url = new StringBuilder(options.endpoint().toString());
        for (String part : repo.split("/")) {
            url.append('/').append(encode(part));
        }
        url.append("/resolve/").append(encode(revision)); // "refs/pr/1" becomes one segment, as on the hub
        for (String part : file.split("/")) {
            url.append('/').append(encode(part));
        }
        return URI.create(url.toString());
    }

    /** Percent-encodes one path segment (RFC 3986 unreserved characters stay). */
    private static String encode(String segment) {
        StringBuilder out = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        return out.toString();
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** The final error for a 4xx answer; throws the retryable one for 408, 429 and 5xx. */
    private FastEmbedException failure(int status, URI url, String repoOrWhat, String file) throws RetryableFailure {
        if (status == 408 || status == 429 || status >= 500) {
            throw new RetryableFailure("HTTP " + status + " from " + url);
        }
        String what = file == null ? repoOrWhat : "'" + file + "' of " + repoOrWhat;
        String hint = switch (status) {
            case 401 -> options.token().isPresent()
                    ? ": the token was refused, or the repository does not exist"
                    : ": the repository is private or gated, or does not exist; set HF_TOKEN (or HubOptions.token) "
                    + "for private and gated models";
            case 403 -> ": access denied; for a gated model accept its conditions on the model page and use a token "
                    + "that may read it";
            default -> "";
        };
        return new FastEmbedException(FastEmbedException.Kind.DOWNLOAD,
                "Could not fetch " + what + ": HTTP " + status + " from " + url + hint);
    }

    /** When one file's fetch must end. */
    private record Deadline(long endNanos) {
        static Deadline after(Duration limit) {
            long nanos;
            try {
                nanos = limit.toNanos();
            } catch (ArithmeticException e) {
                nanos = Long.MAX_VALUE / 4; // centuries
            }
            return new Deadline(System.nanoTime() + Math.min(nanos, Long.MAX_VALUE / 4));
        }

        long remainingNanos() {
            return endNanos - System.nanoTime();
        }

        boolean passed() {
            return remainingNanos() <= 0;
        }
    }

    @FunctionalInterface
    private interface Attempt<T> {
        T run() throws IOException, InterruptedException, RetryableFailure;
    }

    private <T> T withRetries(String what, URI url, Deadline deadline, Attempt<T> attempt) {
        int attempts = options.retries() + 1;
        Exception last = null;
        for (int i = 1; i <= attempts; i++) {
            try {
                return attempt.run();
            } catch (IOException | RetryableFailure e) {
                last = e;
                if (deadline.passed()) {
                    throw deadlineExceeded(what, null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FastEmbedException(FastEmbedException.Kind.DOWNLOAD, "Interrupted while fetching " + what, e);
            }
            if (i < attempts) {
                Duration wait = backoff(i);
                Duration left = Duration.ofNanos(Math.max(0, deadline.remainingNanos()));
                wait = wait.compareTo(left) < 0 ? wait : left;
                log.warn("Fetching {} failed ({}), attempt {} of {}; retrying in {} ms", what, describe(last), i,
                        attempts, wait.toMillis());
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new FastEmbedException(FastEmbedException.Kind.DOWNLOAD, "Interrupted while fetching " + what, e);
                }
            }
        }
        throw new FastEmbedException(FastEmbedException.Kind.DOWNLOAD,
                "Could not fetch " + what + " from " + where(url) + " (" + attempts + " attempt" + (attempts == 1 ? "" : "s")
                        + "): " + describe(last), last);
    }

    private Duration backoff(int failedAttempts) {
        Duration wait = options.retryBackoff().multipliedBy(1L << Math.min(failedAttempts - 1, 20));
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
    }

    private String describe(Exception e) {
        return HubOptions.redact(describeUnredacted(e));
    }

    private String describeUnredacted(Exception e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "no connection within " + options.connectTimeout().toMillis() + " ms (connect timeout)";
        }
        if (e instanceof HttpTimeoutException) {
            return "timed out: " + e.getMessage() + " within " + options.readTimeout().toMillis() + " ms (read timeout)";
        }
        if (e instanceof ConnectException) {
            return "connection refused or unreachable";
        }
        if (e instanceof RetryableFailure) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /** Logs percent and throughput of downloads that take a while. */
    private static final class Progress {
        private final String what;
        private final long offset;
        private final long total;
        private final long startNanos = System.nanoTime();
        private long lastReportNanos = startNanos;

        Progress(String what, long offset, long total) {
            this.what = what;
            this.offset = offset;
            this.total = total;
            if (total >= LARGE_FILE_BYTES) {
                log.info("Downloading {} ({} MB)", what, megabytes(total));
            } else {
                log.debug("Downloading {}", what);
            }
        }

        void report(long written) {
            long now = System.nanoTime();
            // Small files get no progress lines (a slow one used to log "0% (0.0 of 0.0 MB)" every 2 s).
            if (now - lastReportNanos < PROGRESS_INTERVAL_NANOS || total >= 0 && total < LARGE_FILE_BYTES) {
                return;
            }
            lastReportNanos = now;
            String rate = megabytes(written / Math.max(1e-9, (now - startNanos) / 1e9));
            if (total > 0) {
                log.info("Downloading {}: {}% ({} of {} MB, {} MB/s)", what, (offset + written) * 100 / total,
                        megabytes(offset + written), megabytes(total), rate);
            } else {
                log.info("Downloading {}: {} MB ({} MB/s)", what, megabytes(offset + written), rate);
            }
        }

        void finished(long written) {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            if (offset + written >= LARGE_FILE_BYTES) {
                log.info("Downloaded {} ({} MB in {} s, {} MB/s)", what, megabytes(offset + written),
                        String.format(Locale.ROOT, "%.1f", seconds), megabytes(written / Math.max(1e-9, seconds)));
            }
        }

        private static String megabytes(double bytes) {
            return String.format(Locale.ROOT, "%.1f", bytes / (1024 * 1024));
        }
    }
}
