package dev.fastembed.hub;

import dev.fastembed.FastEmbedException;

import java.io.IOException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The HTTP side shared by the metadata requests and the downloads of {@link HuggingFaceHub}: one client that
 * follows no redirect by itself, requests with the deadline's timeout and the token (for the endpoint only),
 * hub URLs, redirect targets and the errors of HTTP answers. Messages never show credentials.
 */
final class HubHttp implements AutoCloseable {

    static final int MAX_REDIRECTS = 10;
    private static final String USER_AGENT = "fastembed-java/0.1; java/" + Runtime.version().feature();

    private final HubOptions options;
    private final HttpClient client;

    HubHttp(HubOptions options) {
        this.options = options;
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

    HttpClient client() {
        return client;
    }

    /** Waits for requests in flight, then frees the client's threads and connections. */
    @Override
    public void close() {
        client.close();
    }

    HttpRequest.Builder request(URI url, Deadline deadline) {
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

    URI resolveUrl(String repo, String revision, String file) {
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

    static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** The final error for a 4xx answer; throws the retryable one for 408, 429 and 5xx. */
    FastEmbedException failure(int status, URI url, String repoOrWhat, String file) throws RetryableFailure {
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

    static FastEmbedException tooManyRedirects(String what, URI last) {
        return new FastEmbedException(FastEmbedException.Kind.DOWNLOAD, "Too many redirects (more than "
                + MAX_REDIRECTS + ") fetching " + what + "; the last from " + where(last));
    }

    /** The URL a redirect leads to: http or https with a host, or a DOWNLOAD error naming what was fetched. */
    static URI redirectTarget(URI from, HttpHeaders headers, int status, String what) throws IOException {
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
    static String where(URI url) {
        return HubOptions.redact(url.toString());
    }

    /** Server-sent text for a message: credentials redacted, control characters replaced, at most 200 characters. */
    private static String printable(String text) {
        String shown = HubOptions.redact(text).replaceAll("\\p{Cntrl}", "?");
        return shown.length() <= 200 ? shown : shown.substring(0, 200) + "…";
    }
}
