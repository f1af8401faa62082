package dev.fastembed.hub;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for the Hugging Face hub on 127.0.0.1: {@code /{org}/{name}/resolve/{revision}/{file}}
 * answers as the hub does (X-Repo-Commit, ETag; LFS files redirect to a second "CDN" server with
 * X-Linked-Etag = SHA-256 and X-Linked-Size), serves byte ranges, logs every request and injects faults.
 */
final class HubTestServer implements AutoCloseable {

    private static final Pattern RESOLVE = Pattern.compile("/([^/]+)/([^/]+)/resolve/([^/]+)/(.+)");
    private static final Pattern CDN = Pattern.compile("/cdn/([^/]+)/([^/]+)/(.+)");
    private static final int CHUNK = 8192;

    /** One request as the server saw it. */
    record Request(String server, String method, String path, String range, String authorization) {
    }

    private record Repo(String commit, Map<String, StoredFile> files) {
    }

    private record StoredFile(byte[] content, boolean lfs, String etag) {
    }

    private final HttpServer hub;
    private final HttpServer cdn;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Repo> repos = new ConcurrentHashMap<>();
    private final Map<String, String> renamed = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> cutAfter = new ConcurrentHashMap<>();
    private final Map<String, Boolean> corruptOnce = new ConcurrentHashMap<>();
    private final Map<String, Integer> failStatus = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failTimes = new ConcurrentHashMap<>();
    private final Map<String, Integer> headerDelayMillis = new ConcurrentHashMap<>();
    private final Map<String, int[]> stall = new ConcurrentHashMap<>();
    private final Map<String, Integer> chunkPauseMillis = new ConcurrentHashMap<>();
    private final Map<String, String> etagOverride = new ConcurrentHashMap<>();
    private final Map<String, Integer> dripMillis = new ConcurrentHashMap<>();
    private final Map<String, Long> endless = new ConcurrentHashMap<>();
    private final Map<String, String> redirects = new ConcurrentHashMap<>();
    private final Map<String, Boolean> cdnLoops = new ConcurrentHashMap<>();
    private final AtomicLong endlessBytesSent = new AtomicLong();
    private volatile String requiredToken;

    private HubTestServer() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        hub = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
        cdn = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
        hub.createContext("/", this::handleHub);
        cdn.createContext("/", this::handleCdn);
        hub.setExecutor(executor);
        cdn.setExecutor(executor);
        hub.start();
        cdn.start();
    }

    static HubTestServer start() throws IOException {
        return new HubTestServer();
    }

    String endpoint() {
        return "http://127.0.0.1:" + hub.getAddress().getPort();
    }

    /** Creates a repo (or returns its commit) with a random 40-hex commit hash. */
    String addRepo(String repo) {
        return repos.computeIfAbsent(repo, r -> new Repo(randomCommit(), new ConcurrentHashMap<>())).commit();
    }

    /** Adds a file; LFS files are served through the CDN with their SHA-256 as ETag. */
    void addFile(String repo, String file, byte[] content, boolean lfs) {
        addRepo(repo);
        String etag = lfs ? sha256Hex(content) : gitBlobSha1(content);
        repos.get(repo).files().put(file, new StoredFile(content, lfs, etag));
    }

    /** Answers requests for {@code oldRepo} with a relative redirect to {@code newRepo}, as the hub does. */
    void rename(String oldRepo, String newRepo) {
        renamed.put(oldRepo, newRepo);
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    void clearRequests() {
        requests.clear();
    }

    long count(String method, String pathPart) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().contains(pathPart)).count();
    }

    // ---- faults, keyed by "org/name/file" ----

    void cutConnectionOnce(String repo, String file, int afterBytes) {
        cutAfter.put(repo + "/" + file, afterBytes);
    }

    void corruptOnce(String repo, String file) {
        corruptOnce.put(repo + "/" + file, true);
    }

    void failNext(String repo, String file, int status, int times) {
        failStatus.put(repo + "/" + file, status);
        failTimes.put(repo + "/" + file, new AtomicInteger(times));
    }

    void delayHeaders(String repo, String file, int millis) {
        headerDelayMillis.put(repo + "/" + file, millis);
    }

    void stallBody(String repo, String file, int afterBytes, int millis) {
        stall.put(repo + "/" + file, new int[]{afterBytes, millis});
    }

    /** Pauses between 8 KiB chunks, so a download takes a while. */
    void throttle(String repo, String file, int pauseMillisPerChunk) {
        chunkPauseMillis.put(repo + "/" + file, pauseMillisPerChunk);
    }

    /** Sends the body one byte at a time, one every {@code intervalMillis}. */
    void drip(String repo, String file, int intervalMillis) {
        dripMillis.put(repo + "/" + file, intervalMillis);
    }

    /**
     * The hub announces {@code announcedSize} bytes (none when negative) for an LFS file whose content then never
     * ends: the CDN streams zeros until the client goes away ({@link #endlessBytesSent()} counts them).
     */
    void endlessBody(String repo, String file, long announcedSize) {
        endless.put(repo + "/" + file, announcedSize);
    }

    long endlessBytesSent() {
        return endlessBytesSent.get();
    }

    /** The hub answers requests for the file with a 302 to {@code location}, whatever it is. */
    void redirect(String repo, String file, String location) {
        redirects.put(repo + "/" + file, location);
    }

    /** The CDN answers requests for the LFS file with a redirect to itself. */
    void cdnRedirectLoop(String repo, String file) {
        cdnLoops.put(repo + "/" + file, true);
    }

    void overrideEtag(String repo, String file, String etag) {
        etagOverride.put(repo + "/" + file, etag);
    }

    void requireToken(String token) {
        this.requiredToken = token;
    }

    @Override
    public void close() {
        hub.stop(0);
        cdn.stop(0);
        executor.shutdownNow();
    }

    // ---- handlers ----

    private void handleHub(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            record(exchange, "hub");
            Matcher m = RESOLVE.matcher(path);
            if (!m.matches()) {
                send(exchange, 404, new Headers());
                return;
            }
            String repo = decode(m.group(1)) + "/" + decode(m.group(2));
            String revision = decode(m.group(3));
            String file = decodePath(m.group(4));
            Headers headers = new Headers();
            if (renamed.containsKey(repo)) {
                headers.add("Location", "/" + renamed.get(repo) + "/resolve/" + m.group(3) + "/" + m.group(4));
                send(exchange, 307, headers);
                return;
            }
            if (requiredToken != null && !("Bearer " + requiredToken).equals(
                    exchange.getRequestHeaders().getFirst("Authorization"))) {
                headers.add("X-Error-Code", "RepositoryNotFound");
                send(exchange, 401, headers);
                return;
            }
            Repo stored = repos.get(repo);
            if (stored == null) {
                headers.add("X-Error-Code", "RepositoryNotFound");
                send(exchange, 401, headers);
                return;
            }
            if (!revision.equals("main") && !revision.equals(stored.commit())) {
                headers.add("X-Error-Code", "RevisionNotFound");
                send(exchange, 404, headers);
                return;
            }
            String key = repo + "/" + file;
            pause(headerDelayMillis.get(key));
            if (injectFailure(exchange, key)) {
                return;
            }
            if (redirects.containsKey(key)) {
                headers.add("Location", redirects.get(key));
                send(exchange, 302, headers);
                return;
            }
            headers.add("X-Repo-Commit", stored.commit());
            StoredFile storedFile = stored.files().get(file);
            if (storedFile == null) {
                headers.add("X-Error-Code", "EntryNotFound");
                send(exchange, 404, headers);
                return;
            }
            String etag = etagOverride.getOrDefault(key, storedFile.etag());
            if (storedFile.lfs()) {
                headers.add("X-Linked-Etag", "\"" + etag + "\"");
                long announced = endless.getOrDefault(key, (long) storedFile.content().length);
                if (announced >= 0) {
                    headers.add("X-Linked-Size", Long.toString(announced));
                }
                headers.add("ETag", "\"" + gitBlobSha1(etag.getBytes(StandardCharsets.UTF_8)) + "\"");
                headers.add("Location", "http://127.0.0.1:" + cdn.getAddress().getPort() + "/cdn/"
                        + m.group(1) + "/" + m.group(2) + "/" + m.group(4));
                send(exchange, 302, headers);
                return;
            }
            headers.add("ETag", "\"" + etag + "\"");
            serveContent(exchange, headers, key, storedFile.content());
        }
    }

    private void handleCdn(HttpExchange exchange) throws IOException {
        try (exchange) {
            record(exchange, "cdn");
            Matcher m = CDN.matcher(exchange.getRequestURI().getRawPath());
            Repo stored = m.matches() ? repos.get(decode(m.group(1)) + "/" + decode(m.group(2))) : null;
            StoredFile file = stored == null ? null : stored.files().get(decodePath(m.group(3)));
            if (file == null) {
                send(exchange, 404, new Headers());
                return;
            }
            String key = decode(m.group(1)) + "/" + decode(m.group(2)) + "/" + decodePath(m.group(3));
            pause(headerDelayMillis.get(key));
            if (injectFailure(exchange, key)) {
                return;
            }
            Headers headers = new Headers();
            if (cdnLoops.containsKey(key)) {
                headers.add("Location", exchange.getRequestURI().getRawPath());
                send(exchange, 302, headers);
                return;
            }
            headers.add("ETag", "\"" + file.etag() + "\"");
            if (endless.containsKey(key) && exchange.getRequestMethod().equals("GET")) {
                serveEndless(exchange, headers);
                return;
            }
            serveContent(exchange, headers, key, file.content());
        }
    }

    private boolean injectFailure(HttpExchange exchange, String key) throws IOException {
        AtomicInteger remaining = failTimes.get(key);
        if (remaining != null && remaining.getAndDecrement() > 0) {
            send(exchange, failStatus.get(key), new Headers());
            return true;
        }
        return false;
    }

    /** Serves content (or a HEAD for it) with Range support and the configured faults. */
    private void serveContent(HttpExchange exchange, Headers headers, String key, byte[] content) throws IOException {
        int start = 0;
        int status = 200;
        String range = exchange.getRequestHeaders().getFirst("Range");
        if (range != null) {
            Matcher r = Pattern.compile("bytes=(\\d+)-").matcher(range);
            if (!r.matches() || Integer.parseInt(r.group(1)) >= content.length) {
                headers.add("Content-Range", "bytes */" + content.length);
                send(exchange, 416, headers);
                return;
            }
            start = Integer.parseInt(r.group(1));
            status = 206;
            headers.add("Content-Range", "bytes " + start + "-" + (content.length - 1) + "/" + content.length);
        }
        headers.add("Accept-Ranges", "bytes");
        exchange.getResponseHeaders().putAll(headers);
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(content.length - start));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] body = java.util.Arrays.copyOfRange(content, start, content.length);
        if (corruptOnce.remove(key) != null && body.length > 0) {
            body[body.length / 2] ^= 0x5a;
        }
        Integer cut = cutAfter.remove(key);
        int[] stallAt = stall.remove(key);
        Integer pauseMillis = chunkPauseMillis.get(key);
        exchange.sendResponseHeaders(status, body.length);
        OutputStream out = exchange.getResponseBody();
        Integer drip = dripMillis.get(key);
        if (drip != null) {
            for (byte b : body) {
                out.write(b);
                out.flush();
                pause(drip);
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
            }
            out.close();
            return;
        }
        for (int offset = 0; offset < body.length; offset += CHUNK) {
            int length = Math.min(CHUNK, body.length - offset);
            if (cut != null && offset + length > cut) {
                out.write(body, offset, Math.max(0, cut - offset));
                out.flush();
                throw new IOException("test server cuts the connection"); // the exchange is closed unfinished
            }
            if (stallAt != null && offset >= stallAt[0]) {
                out.flush();
                pause(stallAt[1]);
                stallAt = null;
            }
            out.write(body, offset, length);
            if (pauseMillis != null) {
                out.flush();
                pause(pauseMillis);
            }
        }
        out.close();
    }

    /** Zeros, chunked, until the client closes the connection (or 1 GiB, a bound for the test itself). */
    private void serveEndless(HttpExchange exchange, Headers headers) throws IOException {
        exchange.getResponseHeaders().putAll(headers);
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        byte[] chunk = new byte[64 * 1024];
        for (long sent = 0; sent < (1L << 30); sent += chunk.length) {
            out.write(chunk);
            endlessBytesSent.addAndGet(chunk.length);
        }
        out.close();
    }

    private void record(HttpExchange exchange, String server) {
        requests.add(new Request(server, exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestHeaders().getFirst("Range"), exchange.getRequestHeaders().getFirst("Authorization")));
    }

    private static void send(HttpExchange exchange, int status, Headers headers) throws IOException {
        exchange.getResponseHeaders().putAll(headers);
        exchange.sendResponseHeaders(status, -1);
    }

    private static void pause(Integer millis) {
        if (millis == null) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String decodePath(String rawPath) {
        List<String> parts = new ArrayList<>();
        for (String part : rawPath.split("/")) {
            parts.add(decode(part));
        }
        return String.join("/", parts);
    }

    private static String randomCommit() {
        byte[] bytes = new byte[20];
        new Random().nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }

    static String sha256Hex(byte[] content) {
        return java.util.HexFormat.of().formatHex(digest("SHA-256", content));
    }

    /** The hub's ETag for a regular (non-LFS) file: the git blob id. */
    static String gitBlobSha1(byte[] content) {
        byte[] header = ("blob " + content.length + "\0").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[header.length + content.length];
        System.arraycopy(header, 0, all, 0, header.length);
        System.arraycopy(content, 0, all, header.length, content.length);
        return java.util.HexFormat.of().formatHex(digest("SHA-1", all));
    }

    private static byte[] digest(String algorithm, byte[] content) {
        try {
            return MessageDigest.getInstance(algorithm).digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
