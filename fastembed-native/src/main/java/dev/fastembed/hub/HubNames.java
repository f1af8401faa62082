package dev.fastembed.hub;

import dev.fastembed.FastEmbedException;

import java.util.regex.Pattern;

/**
 * Checks for the names that become paths in the cache: repository ids, file paths inside a repository,
 * revisions, and the ETags and commit hashes a server sends back. Everything that reaches the file system
 * passes one of these first, so no name from a catalogue, a user's configuration or a (hostile) server can
 * leave the cache folder.
 */
public final class HubNames {

    /** A part of a repo id: word characters, '.', '-', starting and ending with a letter, digit or '_'. */
    private static final Pattern REPO_PART = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?");
    private static final Pattern COMMIT_HASH = Pattern.compile("[0-9a-f]{40}");
    /** What a server may send as ETag or commit: it becomes a single file or folder name. */
    private static final Pattern SERVER_TOKEN = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,255}");
    private static final int MAX_REPO_ID = 96;
    private static final int MAX_PATH = 1024;

    private HubNames() {
    }

    /**
     * A Hugging Face repo id, {@code org/name} (or a legacy single {@code name}), as the hub accepts it:
     * no "..", no "--" (the cache folder separator), no slashes beyond the one.
     */
    public static String requireRepoId(String repo) {
        if (repo == null || repo.isEmpty()) {
            throw invalid("Hugging Face repo id must not be empty");
        }
        if (repo.length() > MAX_REPO_ID) {
            throw invalid("Hugging Face repo id is longer than " + MAX_REPO_ID + " characters: " + quote(repo));
        }
        String[] parts = repo.split("/", -1);
        boolean wellFormed = parts.length <= 2;
        for (String part : parts) {
            wellFormed &= REPO_PART.matcher(part).matches() && !part.contains("..") && !part.contains("--");
        }
        if (!wellFormed) {
            throw invalid("Invalid Hugging Face repo id " + quote(repo)
                    + ": expected 'org/name' made of letters, digits, '_', '-' and '.', without '..' or '--'");
        }
        return repo;
    }

    /** True for ids of the form {@code org/name} (what catalogue entries use). */
    public static boolean isNamespacedRepoId(String repo) {
        try {
            return requireRepoId(repo).indexOf('/') > 0;
        } catch (FastEmbedException e) {
            return false;
        }
    }

    /**
     * A file path inside a repository: relative, '/'-separated, no empty, "." or ".." segments, no backslash,
     * colon or control character.
     */
    public static String requireFilePath(String file) {
        return requireRelativePath(file, "file path");
    }

    /** A branch, tag or commit hash. Branch names may contain '/', never "." or ".." segments. */
    public static String requireRevision(String revision) {
        return requireRelativePath(revision, "revision");
    }

    /** True for a full 40-character commit hash, which names an immutable snapshot. */
    public static boolean isCommitHash(String revision) {
        return revision != null && COMMIT_HASH.matcher(revision).matches();
    }

    /** An ETag or commit hash sent by the server, which becomes one file or folder name in the cache. */
    static String requireServerToken(String value, String what, String url) {
        if (value == null || !SERVER_TOKEN.matcher(value).matches()) {
            throw new FastEmbedException(FastEmbedException.Kind.DOWNLOAD,
                    "The server sent an unusable " + what + " " + quote(value) + " for " + url
                            + "; is the endpoint a Hugging Face hub or mirror?");
        }
        return value;
    }

    private static String requireRelativePath(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw invalid("The " + what + " must not be empty");
        }
        if (value.length() > MAX_PATH) {
            throw invalid("The " + what + " is longer than " + MAX_PATH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\' || c == ':') {
                throw invalid("The " + what + " " + quote(value)
                        + " contains a backslash, colon or control character");
            }
        }
        for (String segment : value.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw invalid("The " + what + " " + quote(value)
                        + " must be a relative path without empty, '.' or '..' parts");
            }
        }
        return value;
    }

    private static FastEmbedException invalid(String message) {
        return new FastEmbedException(FastEmbedException.Kind.INVALID_ARGUMENT, message);
    }

    /** Quotes a name for a message, escaping control characters so a NUL or newline stays visible. */
    static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("'");
        value.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.append('\'').toString();
    }
}
