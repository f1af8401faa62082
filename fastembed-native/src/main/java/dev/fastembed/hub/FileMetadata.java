package dev.fastembed.hub;

import java.net.URI;

/**
 * What a HEAD request on {@code /resolve/} tells about a file, read from the headers huggingface_hub uses.
 *
 * @param commit      {@code X-Repo-Commit}: the commit the revision points to (may be null for a missing file)
 * @param etag        {@code X-Linked-Etag} (LFS: the SHA-256 of the content) or {@code ETag}; null if missing
 * @param size        {@code X-Linked-Size} or {@code Content-Length}; -1 if unknown
 * @param downloadUrl where to GET the content (the CDN location for LFS files)
 * @param missing     true if the repository has no such file at that revision
 */
record FileMetadata(String commit, String etag, long size, URI downloadUrl, boolean missing) {

    static FileMetadata missing(String commit, URI url) {
        return new FileMetadata(commit, null, -1, url, true);
    }
}
