package dev.fastembed.hub;

import dev.fastembed.FastEmbedException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

/**
 * What the hub says of one file before it is downloaded: a HEAD request (relative redirects followed, an absolute
 * one, the CDN of an LFS file, not) yields the commit, the ETag (SHA-256 of LFS files, git blob id of others)
 * and the size, or that the file does not exist.
 */
final class FileMetadataResolver {

    private final HubHttp http;

    FileMetadataResolver(HubHttp http) {
        this.http = http;
    }

    /**
     * The metadata of {@code file} (commit, ETag, size, where to download it) from a HEAD request at {@code start},
     * following the hub's relative redirects; {@link FileMetadata#missing()} when the repository lacks the file.
     */
    FileMetadata resolve(URI start, String repo, String revision, String file, Deadline deadline)
            throws IOException, InterruptedException, RetryableFailure {
        URI url = start;
        String what = "'" + file + "' of " + repo;
        for (int hops = 0; ; hops++) {
            HttpRequest request = http.request(url, deadline).method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<Void> response = http.client().send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            HttpHeaders headers = response.headers();
            if (HubHttp.isRedirect(status)) {
                URI target = HubHttp.redirectTarget(url, headers, status, what);
                // A relative redirect is the hub itself (a renamed repo); an absolute one is the CDN holding an
                // LFS file, whose metadata is already in this response.
                if (URI.create(headers.firstValue("Location").orElseThrow()).getHost() == null) {
                    if (hops >= HubHttp.MAX_REDIRECTS) {
                        throw HubHttp.tooManyRedirects(what, url);
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
            throw http.failure(status, url, repo, file);
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
                .map(FileMetadataResolver::normalizeEtag).orElse(null);
        if (etag == null) {
            throw new FastEmbedException(FastEmbedException.Kind.DOWNLOAD, "No ETag header from " + where
                    + ": cannot cache the file without it");
        }
        long size = headers.firstValue("X-Linked-Size")
                .or(() -> contentIsTheFile ? headers.firstValue("Content-Length") : Optional.empty())
                .map(FileMetadataResolver::parseSize).orElse(-1L);
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
}
