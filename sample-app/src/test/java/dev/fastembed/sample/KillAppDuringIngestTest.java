package dev.fastembed.sample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static com.jayway.jsonpath.JsonPath.read;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole app in a child JVM, {@code kill -9}ed while a client ingests and replaces documents over HTTP:
 * after each restart every document acknowledged with 201 is listed in its acknowledged version (or the one
 * whose request was cut off, if its commit made it), the listing's chunk counts add up to the index's, and
 * the search finds each listed document and nothing unlisted. The store-level {@code KillDuringIngestTest}
 * kills many more times; this shows the same through the app (three starts, so few rounds).
 */
class KillAppDuringIngestTest {

    private static final String[] SOURCES = {"kilo.md", "lima.md", "mike.md"};
    private static final int ROUNDS = 2;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Integer> expected = new TreeMap<>();

    @TempDir
    Path dataDir;

    @Test
    void acknowledgedDocumentsSurviveKillsOfTheApp() throws Exception {
        Random random = new Random(17);
        int version = 0;
        String inFlight = null;
        int inFlightVersion = -1;
        for (int round = 0; round <= ROUNDS; round++) {
            int port = freePort();
            Process app = start(port);
            try {
                awaitUp(app, port);
                if (round > 0) {
                    check(port, inFlight, inFlightVersion);
                }
                if (round == ROUNDS) {
                    return;
                }
                int killAfter = 2 + random.nextInt(4);
                for (int acknowledged = 0; acknowledged < killAfter; acknowledged++) {
                    String source = SOURCES[random.nextInt(SOURCES.length)];
                    version++;
                    HttpResponse<String> response = ingest(port, source, version, 1 + random.nextInt(4));
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
                    expected.put(source, version);
                }
                // One more request goes out, and the app dies while it embeds or commits it (or just after).
                inFlight = SOURCES[random.nextInt(SOURCES.length)];
                inFlightVersion = ++version;
                String source = inFlight;
                int last = inFlightVersion;
                Thread.ofPlatform().daemon().start(() -> {
                    try {
                        ingest(port, source, last, 4);
                    } catch (RuntimeException e) {
                        // cut off by the kill
                    }
                });
                Thread.sleep(random.nextInt(150));
            } finally {
                app.destroyForcibly(); // SIGKILL
                assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(app.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        }
    }

    private void check(int port, String inFlight, int inFlightVersion) {
        String listing = get(port, "/api/documents").body();
        List<String> sources = read(listing, "$.items[*].source");
        List<String> titles = read(listing, "$.items[*].title");
        List<Integer> chunks = read(listing, "$.items[*].chunks");
        Map<String, Integer> present = new TreeMap<>();
        for (int i = 0; i < sources.size(); i++) {
            if (List.of(SOURCES).contains(sources.get(i))) {
                String title = titles.get(i);
                present.put(sources.get(i), Integer.parseInt(title.substring(title.lastIndexOf(' ') + 1)));
            }
        }
        assertThat(sources).as("the bundled corpus").contains("tides.txt", "tcp-handshake.md");
        Map<String, Integer> allowed = new TreeMap<>(expected);
        if (inFlight != null && present.getOrDefault(inFlight, -1) == inFlightVersion) {
            allowed.put(inFlight, inFlightVersion); // its commit made it before the kill
        }
        assertThat(present).as("acknowledged versions (in flight: %s %d)", inFlight, inFlightVersion)
                .isEqualTo(allowed);
        expected.clear();
        expected.putAll(present);
        int total = read(listing, "$.chunks");
        assertThat(chunks.stream().mapToInt(Integer::intValue).sum()).as("listing and index agree").isEqualTo(total);

        // At most 5 documents: a search for 20 returns every document that has a chunk.
        for (String query : List.of("bees on a city roof", "why does the sea rise")) {
            List<String> found = read(get(port, "/api/search?k=20&q=" + URLEncoder.encode(query, StandardCharsets.UTF_8))
                    .body(), "$.results[*].source");
            assertThat(new HashSet<>(found)).as("search and listing agree").isEqualTo(new HashSet<>(sources));
        }
        String hybrid = get(port, "/api/search?k=20&hybrid=true&q=marker").body();
        List<String> withTerm = read(hybrid, "$.results[?(@.sparseScore > 0)].source");
        assertThat(new HashSet<>(withTerm)).as("BM25 finds the listed documents with the word")
                .isEqualTo(present.keySet());
    }

    private HttpResponse<String> ingest(int port, String source, int version, int sections) {
        StringBuilder content = new StringBuilder("# " + source + " version " + version + "\\n\\n");
        for (int s = 0; s < sections; s++) {
            content.append("## Part ").append(s).append("\\n\\nThe ").append(source).append(" marker text of version ")
                    .append(version).append(", part ").append(s).append(", about keeping bees on a city roof.\\n\\n");
        }
        String json = "{\"source\": \"" + source + "\", \"title\": \"" + source + " version " + version
                + "\", \"content\": \"" + content + "\"}";
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/documents"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> get(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Process start(int port) throws IOException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(javaBin, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), SampleApplication.class.getName(),
                "--server.port=" + port, "--server.address=127.0.0.1",
                "--fastembed.cache-dir=target/fastembed-cache", "--sample.data-dir=" + dataDir,
                "--sample.corpus.location=classpath:corpus/t*", "--management.endpoints.web.exposure.include=health",
                "--logging.level.root=warn"));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
    }

    private void awaitUp(Process app, int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertThat(app.isAlive()).as("the app runs (see its output above)").isTrue();
            try {
                if (get(port, "/api/info").statusCode() == 200) {
                    return;
                }
            } catch (RuntimeException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("The app did not start within 120 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
