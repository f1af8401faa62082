package dev.fastembed.hub;

import dev.fastembed.FastEmbedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * Downloads one blob of the hub cache: resumes with a {@code Range} request after a cut, never reads beyond the
 * announced size (or {@link HubOptions#maxDownloadSize()}), gives up when the body stalls for
 * {@link HubOptions#stallTimeout()} or the deadline passes, verifies size and checksum, logs progress of large
 * files.
 */
final class ResumableDownload {

    private static final Logger log = LoggerFactory.getLogger(HuggingFaceHub.class);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern GIT_BLOB_ID = Pattern.compile("[0-9a-f]{40}");
    private static final long LARGE_FILE_BYTES = 10L * 1024 * 1024;
    private static final long PROGRESS_INTERVAL_NANOS = Duration.ofSeconds(2).toNanos();

    private final HubOptions options;
    private final HubHttp http;
    private final RetryPolicy retries;

    ResumableDownload(HubOptions options, HubHttp http, RetryPolicy retries) {
        this.options = options;
        this.http = http;
        this.retries = retries;
    }

    /**
     * Downloads the blob into {@code blobs/{etag}.incomplete} (resuming what an earlier attempt left), verifies it
     * and moves it to {@code blobs/{etag}}; retried as {@link RetryPolicy} says.
     */
    void download(FileMetadata metadata, HubCache cache, String what, Deadline deadline) throws IOException {
        Path incomplete = cache.incompleteBlob(metadata.etag());
        Files.createDirectories(incomplete.getParent());
        retries.run(what, metadata.downloadUrl(), deadline, () -> {
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
                HttpRequest.Builder request = http.request(url, deadline).GET();
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
                    response = await(http.client().sendAsync(request.build(), handler), body, progress, deadline, what);
                } catch (FileBodySubscriber.TooLong e) {
                    channel.truncate(0);
                    throw new FastEmbedException(FastEmbedException.Kind.DOWNLOAD, "Refused " + what + " from "
                            + HubHttp.where(url) + ": " + (expected >= 0
                            ? "the body is longer than the announced " + expected + " bytes"
                            : "no size was announced and the body goes on beyond " + options.maxDownloadSize()
                            + " bytes (HubOptions.maxDownloadSize)")
                            + "; reading stopped there and the partial download was discarded");
                }
                int status = response.statusCode();
                if (HubHttp.isRedirect(status)) {
                    if (hops >= HubHttp.MAX_REDIRECTS) {
                        throw HubHttp.tooManyRedirects(what, url);
                    }
                    url = HubHttp.redirectTarget(url, response.headers(), status, what);
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
                throw http.failure(status, url, what, null);
            }
        }
    }

    /**
     * Waits for a response, giving up when the body stalls for longer than the stall timeout or the file's
     * deadline passes.
     */
    private HttpResponse<Long> await(CompletableFuture<HttpResponse<Long>> future,
                                             AtomicReference<FileBodySubscriber> body, Progress progress,
                                             Deadline deadline, String what)
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
                        throw deadline.exceeded(what, subscriber == null ? null : subscriber.written());
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
