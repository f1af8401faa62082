package dev.fastembed.hub;

import dev.fastembed.FastEmbedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HuggingFaceHubTest {

    private static final String REPO = "test-org/tiny-model";
    private static final String MODEL = "onnx/model.onnx";
    private static final String TOKENIZER = "tokenizer.json";

    @TempDir
    Path cache;

    private HubTestServer server;
    private final List<HuggingFaceHub> hubs = new ArrayList<>();
    private String commit;
    private byte[] model;
    private byte[] tokenizer;

    @BeforeEach
    void startServer() throws IOException {
        server = HubTestServer.start();
        model = randomBytes(1_500_000, 42);
        tokenizer = "{\"version\":\"1.0\",\"model\":{\"type\":\"WordPiece\"}}".getBytes(StandardCharsets.UTF_8);
        commit = server.addRepo(REPO);
        server.addFile(REPO, MODEL, model, true);
        server.addFile(REPO, TOKENIZER, tokenizer, false);
    }

    @AfterEach
    void stopServerAndClients() {
        server.close();
        hubs.forEach(HuggingFaceHub::close);
    }

    private HubOptions.Builder options() {
        return HubOptions.builder()
                .endpoint(server.endpoint())
                .cacheDir(cache)
                .environment(Map.of())
                .retries(0)
                .retryBackoff(Duration.ofMillis(10))
                .readTimeout(Duration.ofSeconds(5));
    }

    private HuggingFaceHub hub(HubOptions.Builder options) {
        HuggingFaceHub hub = new HuggingFaceHub(options.build());
        hubs.add(hub);
        return hub;
    }

    @Test
    void firstLoadDownloadsAndSecondLoadStaysOffTheNetwork() throws IOException {
        Map<String, Path> first = hub(options()).fetchAll(REPO, "main", List.of(MODEL, TOKENIZER));

        assertThat(first.get(MODEL)).hasBinaryContent(model);
        assertThat(first.get(TOKENIZER)).hasBinaryContent(tokenizer);
        assertThat(server.count("GET", "/cdn/")).isEqualTo(1);
        assertThat(server.count("GET", "/resolve/" + commit + "/" + TOKENIZER)).as("pinned to the commit of the first file").isEqualTo(1);

        server.clearRequests();
        Map<String, Path> second = hub(options()).fetchAll(REPO, "main", List.of(MODEL, TOKENIZER));

        assertThat(second).isEqualTo(first);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void cacheUsesTheHuggingFaceHubLayout() throws IOException {
        Path file = hub(options()).fetch(REPO, MODEL);

        Path repoDir = cache.resolve("models--test-org--tiny-model");
        Path blob = repoDir.resolve("blobs").resolve(HubTestServer.sha256Hex(model));
        assertThat(file).isEqualTo(repoDir.resolve("snapshots").resolve(commit).resolve(MODEL));
        assertThat(Files.isSymbolicLink(file)).isTrue();
        assertThat(Files.readSymbolicLink(file).toString()).isEqualTo("../../../blobs/" + blob.getFileName());
        assertThat(blob).hasBinaryContent(model);
        assertThat(repoDir.resolve("refs/main")).hasContent(commit);
        assertThat(Files.list(repoDir.resolve("blobs")).map(p -> p.getFileName().toString()))
                .noneMatch(name -> name.endsWith(".incomplete"));
    }

    @Test
    void reusesACacheWrittenByHuggingFaceHub() throws IOException {
        // Laid out by hand the way huggingface_hub (and so fastembed) writes it.
        Path repoDir = cache.resolve("models--test-org--tiny-model");
        String etag = HubTestServer.gitBlobSha1(tokenizer);
        Files.createDirectories(repoDir.resolve("blobs"));
        Files.write(repoDir.resolve("blobs").resolve(etag), tokenizer);
        Path snapshot = Files.createDirectories(repoDir.resolve("snapshots").resolve(commit));
        Files.createSymbolicLink(snapshot.resolve(TOKENIZER), Path.of("../../blobs/" + etag));
        Files.createDirectories(repoDir.resolve("refs"));
        Files.writeString(repoDir.resolve("refs/main"), commit);

        assertThat(hub(options()).fetch(REPO, TOKENIZER)).isEqualTo(snapshot.resolve(TOKENIZER));
        assertThat(hub(options().offline(true)).fetch(REPO, TOKENIZER)).hasBinaryContent(tokenizer);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void interruptedDownloadResumesWithARangeRequest() throws IOException {
        server.cutConnectionOnce(REPO, MODEL, 600_000);

        assertThatThrownBy(() -> hub(options()).fetch(REPO, MODEL))
                .isInstanceOfSatisfying(FastEmbedException.class,
                        e -> assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.DOWNLOAD))
                .hasMessageContaining(MODEL).hasMessageContaining(REPO);
        Path incomplete = cache.resolve("models--test-org--tiny-model/blobs/" + HubTestServer.sha256Hex(model) + ".incomplete");
        long kept = Files.size(incomplete);
        assertThat(kept).isPositive().isLessThanOrEqualTo(600_000);

        Path file = hub(options()).fetch(REPO, MODEL);

        assertThat(file).hasBinaryContent(model);
        HubTestServer.Request resumed = server.requests().getLast();
        assertThat(resumed.server()).isEqualTo("cdn");
        assertThat(resumed.range()).isEqualTo("bytes=" + kept + "-");
        assertThat(incomplete).doesNotExist();
    }

    @Test
    void cutDownloadResumesWithinOneCallWhenRetriesAreAllowed() {
        server.cutConnectionOnce(REPO, MODEL, 300_000);

        Path file = hub(options().retries(2)).fetch(REPO, MODEL);

        assertThat(file).hasBinaryContent(model);
        assertThat(server.count("GET", "/cdn/")).isEqualTo(2);
        assertThat(server.requests().getLast().range()).startsWith("bytes=");
    }

    @Test
    void corruptedDownloadIsRejectedAndFetchedAgain() {
        server.corruptOnce(REPO, MODEL);

        Path file = hub(options().retries(1)).fetch(REPO, MODEL);

        assertThat(file).hasBinaryContent(model);
        assertThat(server.count("GET", "/cdn/")).isEqualTo(2);
        assertThat(server.requests().getLast().range()).as("a corrupt file is not resumed").isNull();
    }

    @Test
    void corruptedDownloadNeverReachesTheCache() {
        server.corruptOnce(REPO, MODEL);

        assertThatThrownBy(() -> hub(options()).fetch(REPO, MODEL))
                .isInstanceOf(FastEmbedException.class).hasMessageContaining("SHA-256 mismatch");
        Path blobs = cache.resolve("models--test-org--tiny-model/blobs");
        assertThat(blobs.resolve(HubTestServer.sha256Hex(model))).doesNotExist();
        assertThat(blobs.resolve(HubTestServer.sha256Hex(model) + ".incomplete")).doesNotExist();
        assertThat(cache.resolve("models--test-org--tiny-model/snapshots/" + commit + "/" + MODEL)).doesNotExist();
    }

    @Test
    void corruptedSmallFileIsCaughtByItsGitBlobId() {
        server.corruptOnce(REPO, TOKENIZER);

        assertThatThrownBy(() -> hub(options()).fetch(REPO, TOKENIZER))
                .isInstanceOf(FastEmbedException.class).hasMessageContaining("git blob id (SHA-1) mismatch");
        assertThat(cache.resolve("models--test-org--tiny-model/snapshots/" + commit + "/" + TOKENIZER)).doesNotExist();

        Path file = hub(options().retries(1)).fetch(REPO, TOKENIZER);
        assertThat(file).hasBinaryContent(tokenizer);
    }

    @Test
    void offlineModeWithAColdCacheNamesRepoFileAndFolder() {
        assertThatThrownBy(() -> hub(options().offline(true)).fetch(REPO, MODEL))
                .isInstanceOfSatisfying(FastEmbedException.class,
                        e -> assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.DOWNLOAD))
                .hasMessageContaining(REPO)
                .hasMessageContaining(MODEL)
                .hasMessageContaining(cache.resolve("models--test-org--tiny-model").toString())
                .hasMessageContaining("HF_HUB_OFFLINE").hasMessageContaining("fastembed.offline");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void offlineModeFromTheEnvironmentServesAWarmCache() {
        Path online = hub(options()).fetch(REPO, MODEL);
        server.clearRequests();

        HubOptions offline = HubOptions.builder().endpoint(server.endpoint()).cacheDir(cache)
                .environment(Map.of("HF_HUB_OFFLINE", "1")).build();

        assertThat(offline.offline()).isTrue();
        try (HuggingFaceHub hub = new HuggingFaceHub(offline)) {
            assertThat(hub.fetch(REPO, MODEL)).isEqualTo(online);
        }
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void concurrentThreadsDownloadTheFileOnce() throws Exception {
        server.throttle(REPO, MODEL, 2); // ~180 chunks: long enough for the threads to meet
        HuggingFaceHub hub = hub(options());
        int threads = 6;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Path>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                // Separate hub instances too: the in-process lock must not depend on sharing one.
                HuggingFaceHub own = i % 2 == 0 ? hub : hub(options());
                results.add(pool.submit(() -> {
                    start.await();
                    return own.fetch(REPO, MODEL);
                }));
            }
            start.countDown();
            Path first = results.getFirst().get(60, TimeUnit.SECONDS);
            for (Future<Path> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(first);
            }
            assertThat(first).hasBinaryContent(model);
            assertThat(server.count("GET", "/cdn/")).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoProcessesDownloadTheFileOnce() throws Exception {
        server.throttle(REPO, MODEL, 5); // ~1 s of download, while both processes want the file
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long startAt = System.currentTimeMillis() + 3_000; // both JVMs are up by then, and start together
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            processes.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    FetchInAnotherProcess.class.getName(), server.endpoint(), cache.toString(), REPO, MODEL,
                    Long.toString(startAt))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start());
        }
        List<String> printed = new ArrayList<>();
        for (Process process : processes) {
            assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
            printed.add(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
        }

        Path expected = cache.resolve("models--test-org--tiny-model/snapshots/" + commit + "/" + MODEL);
        assertThat(printed).containsOnly(expected.toString());
        assertThat(expected).hasBinaryContent(model);
        assertThat(server.count("GET", "/cdn/")).isEqualTo(1);
    }

    @Test
    void missingFileIsAClearErrorWithoutRetries() {
        assertThatThrownBy(() -> hub(options().retries(3)).fetch(REPO, "onnx/missing.onnx"))
                .isInstanceOf(FastEmbedException.class)
                .hasMessageContaining("'onnx/missing.onnx' does not exist in " + REPO)
                .hasMessageContaining("404");
        assertThat(server.count("HEAD", "missing.onnx")).isEqualTo(1);
    }

    @Test
    void unknownRepositoryIsAClearError() {
        assertThatThrownBy(() -> hub(options()).fetch("test-org/no-such-model", MODEL))
                .isInstanceOf(FastEmbedException.class)
                .hasMessageContaining("test-org/no-such-model")
                .hasMessageContaining("HTTP 401")
                .hasMessageContaining("HF_TOKEN");
    }

    @Test
    void serverErrorsAreRetriedThenReported() {
        server.failNext(REPO, TOKENIZER, 500, 10);

        assertThatThrownBy(() -> hub(options().retries(2)).fetch(REPO, TOKENIZER))
                .isInstanceOfSatisfying(FastEmbedException.class,
                        e -> assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.DOWNLOAD))
                .hasMessageContaining("HTTP 500")
                .hasMessageContaining("3 attempts")
                .hasMessageContaining(TOKENIZER);
        assertThat(server.count("HEAD", TOKENIZER)).isEqualTo(3);
    }

    @Test
    void transientServerErrorIsOvercomeByARetry() {
        server.failNext(REPO, MODEL, 503, 1);

        assertThat(hub(options().retries(1)).fetch(REPO, MODEL)).hasBinaryContent(model);
    }

    @Test
    void slowResponseTimesOut() {
        server.delayHeaders(REPO, TOKENIZER, 3_000);
        long start = System.nanoTime();

        assertThatThrownBy(() -> hub(options().readTimeout(Duration.ofMillis(300))).fetch(REPO, TOKENIZER))
                .isInstanceOf(FastEmbedException.class)
                .hasMessageContaining("timed out")
                .hasMessageContaining("300 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_500));
    }

    @Test
    void stalledDownloadTimesOutAndKeepsWhatArrived() throws IOException {
        server.stallBody(REPO, MODEL, 200_000, 5_000);
        HuggingFaceHub hub = hub(options().stallTimeout(Duration.ofMillis(1_000)));
        hub.fetch(REPO, TOKENIZER); // warms up client and server, so only the stall can exceed the timeout

        assertThatThrownBy(() -> hub.fetch(REPO, MODEL))
                .isInstanceOf(FastEmbedException.class)
                .hasMessageContaining("no data received for 1000 ms (stall timeout)");
        Path incomplete = cache.resolve("models--test-org--tiny-model/blobs/" + HubTestServer.sha256Hex(model) + ".incomplete");
        assertThat(Files.size(incomplete)).isPositive();
    }

    @Test
    void namesThatLeaveTheCacheAreRefusedBeforeAnyRequest() {
        HuggingFaceHub hub = hub(options());
        for (String file : List.of("../x", "onnx/../../x", "/etc/passwd", "a\\b", "a\u0000b", "C:/x", "a//b", ".")) {
            assertThatThrownBy(() -> hub.fetch(REPO, "main", file)).as(file)
                    .isInstanceOfSatisfying(FastEmbedException.class,
                            e -> assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.INVALID_ARGUMENT));
        }
        for (String repo : List.of("../evil", "org/../x", "org/name/more", "org--x/name", "", "org/.hidden")) {
            assertThatThrownBy(() -> hub.fetch(repo, "main", MODEL)).as(repo)
                    .isInstanceOf(FastEmbedException.class);
        }
        assertThatThrownBy(() -> hub.fetch(REPO, "../main", MODEL)).isInstanceOf(FastEmbedException.class);
        assertThat(server.requests()).isEmpty();
        assertThat(cache).isEmptyDirectory();
    }

    @Test
    void hostileEtagFromTheServerIsRefused() {
        server.overrideEtag(REPO, TOKENIZER, "../../../escape");

        assertThatThrownBy(() -> hub(options()).fetch(REPO, TOKENIZER))
                .isInstanceOf(FastEmbedException.class)
                .hasMessageContaining("unusable ETag");
        assertThat(cache.resolve("escape")).doesNotExist();
    }

    @Test
    void tokenGoesToTheHubButNotToTheCdn() {
        server.requireToken("secret-token");

        assertThatThrownBy(() -> hub(options()).fetch(REPO, MODEL)).hasMessageContaining("HF_TOKEN");
        server.clearRequests();
        Path file = hub(options().token("secret-token")).fetch(REPO, MODEL);

        assertThat(file).hasBinaryContent(model);
        assertThat(server.requests()).filteredOn(r -> r.server().equals("hub"))
                .isNotEmpty().allMatch(r -> "Bearer secret-token".equals(r.authorization()));
        assertThat(server.requests()).filteredOn(r -> r.server().equals("cdn"))
                .isNotEmpty().allMatch(r -> r.authorization() == null);
    }

    @Test
    void optionalFileMissingFromTheRepoIsRememberedAndSkipsTheNetworkNextTime() {
        Map<String, Path> first = hub(options()).fetchAll(REPO, "main", List.of(TOKENIZER), List.of("special_tokens_map.json"));
        assertThat(first).containsOnlyKeys(TOKENIZER);
        assertThat(cache.resolve("models--test-org--tiny-model/.no_exist/" + commit + "/special_tokens_map.json")).exists();
        server.clearRequests();

        Map<String, Path> second = hub(options()).fetchAll(REPO, "main", List.of(TOKENIZER), List.of("special_tokens_map.json"));

        assertThat(second).isEqualTo(first);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void renamedRepositoryIsFollowedThroughARelativeRedirect() {
        server.rename("old-org/tiny-model", REPO);

        assertThat(hub(options()).fetch("old-org/tiny-model", TOKENIZER)).hasBinaryContent(tokenizer);
        assertThat(cache.resolve("models--old-org--tiny-model/refs/main")).hasContent(commit);
    }

    @Test
    void commitHashRevisionNeedsNoRef() {
        Path file = hub(options()).fetch(REPO, commit, TOKENIZER);

        assertThat(file).isEqualTo(cache.resolve("models--test-org--tiny-model/snapshots/" + commit + "/" + TOKENIZER));
        assertThat(cache.resolve("models--test-org--tiny-model/refs")).doesNotExist();
        server.clearRequests();
        assertThat(hub(options().offline(true)).fetch(REPO, commit, TOKENIZER)).isEqualTo(file);
    }

    @Test
    void unknownRevisionIsAClearError() {
        assertThatThrownBy(() -> hub(options()).fetch(REPO, "v9", TOKENIZER))
                .isInstanceOf(FastEmbedException.class)
                .hasMessageContaining("Revision 'v9' not found in " + REPO);
    }

    @Test
    void drippingDownloadEndsAtTheDownloadTimeoutWhateverTheRetries() {
        server.drip(REPO, TOKENIZER, 1_000); // a byte a second: never a stall, never an end (48 s)
        HuggingFaceHub hub = hub(options().retries(3).stallTimeout(Duration.ofSeconds(3))
                .downloadTimeout(Duration.ofSeconds(3)));
        long start = System.nanoTime();

        assertThatThrownBy(() -> hub.fetch(REPO, TOKENIZER))
                .isInstanceOfSatisfying(FastEmbedException.class,
                        e -> assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.DOWNLOAD))
                .hasMessageContaining("Fetching tokenizer.json of " + REPO + " did not finish within 3000 ms")
                .hasMessageContaining("download timeout");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.println("dripping download failed after " + took.toMillis() + " ms (download timeout 3000 ms)");
        assertThat(took).isBetween(Duration.ofMillis(2_900), Duration.ofSeconds(6));
    }

    @Test
    void bodyLongerThanAnnouncedIsCutAtTheAnnouncedSize() throws Exception {
        server.endlessBody(REPO, MODEL, 3_000);
        Path incomplete = cache.resolve("models--test-org--tiny-model/blobs/" + HubTestServer.sha256Hex(model) + ".incomplete");
        AtomicLong largest = new AtomicLong(-1);
        AtomicBoolean done = new AtomicBoolean();
        Thread watcher = Thread.ofPlatform().start(() -> {
            while (!done.get()) {
                try {
                    largest.accumulateAndGet(Files.size(incomplete), Math::max);
                } catch (IOException notYet) {
                    // not created yet, or already gone
                }
            }
        });
        long start = System.nanoTime();

        try {
            assertThatThrownBy(() -> hub(options().retries(2)).fetch(REPO, MODEL))
                    .isInstanceOf(FastEmbedException.class)
                    .hasMessageContaining("Refused onnx/model.onnx of " + REPO)
                    .hasMessageContaining("longer than the announced 3000 bytes");
        } finally {
            done.set(true);
            watcher.join();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(largest.get()).as("bytes on disk at most").isBetween(0L, 3_001L);
        assertThat(Files.exists(incomplete) ? Files.size(incomplete) : 0).isZero();
        assertThat(server.count("GET", "/cdn/")).as("not retried").isEqualTo(1);
        Thread.sleep(300);
        long sent = server.endlessBytesSent();
        Thread.sleep(300);
        assertThat(server.endlessBytesSent()).as("the server stopped sending").isEqualTo(sent).isLessThan(1L << 30);
    }

    @Test
    void bodyOfUnannouncedSizeIsCutAtTheCap() {
        server.endlessBody(REPO, MODEL, -1);

        assertThatThrownBy(() -> hub(options().maxDownloadSize(100_000)).fetch(REPO, MODEL))
                .isInstanceOf(FastEmbedException.class)
                .hasMessageContaining("Refused onnx/model.onnx of " + REPO)
                .hasMessageContaining("no size was announced and the body goes on beyond 100000 bytes");
    }

    @Test
    void redirectLoopOnTheHubIsReportedAsTooManyRedirects() {
        server.rename(REPO, "test-org/elsewhere");
        server.rename("test-org/elsewhere", REPO);

        assertThatThrownBy(() -> hub(options()).fetch(REPO, TOKENIZER))
                .isInstanceOf(FastEmbedException.class)
                .hasMessageContaining("Too many redirects (more than 10) fetching 'tokenizer.json' of " + REPO);
    }

    @Test
    void redirectLoopOnTheCdnIsReportedAsTooManyRedirects() {
        server.cdnRedirectLoop(REPO, MODEL);

        assertThatThrownBy(() -> hub(options()).fetch(REPO, MODEL))
                .isInstanceOf(FastEmbedException.class)
                .hasMessageContaining("Too many redirects (more than 10) fetching onnx/model.onnx of " + REPO);
        assertThat(server.count("GET", "/cdn/")).isEqualTo(11);
    }

    @Test
    void redirectsToOtherSchemesOrMalformedOnesAreRefusedNamingRepoAndFile() {
        Map<String, String> cases = Map.of(
                "file:///etc/passwd", "only http(s) URLs with a host are followed",
                "jar:file:/tmp/models.jar!/model.onnx", "only http(s) URLs with a host are followed",
                "ftp://127.0.0.1/model.onnx", "only http(s) URLs with a host are followed",
                "http://[not a uri", "malformed Location 'http://[not a uri'");
        for (Map.Entry<String, String> entry : cases.entrySet()) {
            server.redirect(REPO, MODEL, entry.getKey());

            assertThatThrownBy(() -> hub(options()).fetch(REPO, MODEL))
                    .as(entry.getKey())
                    .isInstanceOfSatisfying(FastEmbedException.class,
                            e -> assertThat(e.kind()).isEqualTo(FastEmbedException.Kind.DOWNLOAD))
                    .hasMessageContaining("Refused the redirect of 'onnx/model.onnx' of " + REPO)
                    .hasMessageContaining(entry.getValue());
        }
        assertThat(server.requests()).noneMatch(r -> r.server().equals("cdn"));
    }

    @Test
    void endpointCredentialsAreSentAsBasicAuthenticationToTheHubOnly() {
        String endpoint = server.endpoint().replace("http://", "http://reader:pa%40ss@");

        Path file = hub(options().endpoint(endpoint)).fetch(REPO, MODEL);

        assertThat(file).hasBinaryContent(model);
        String basic = "Basic " + Base64.getEncoder().encodeToString("reader:pa@ss".getBytes(StandardCharsets.UTF_8));
        assertThat(server.requests()).filteredOn(r -> r.server().equals("hub"))
                .isNotEmpty().allMatch(r -> basic.equals(r.authorization()));
        assertThat(server.requests()).filteredOn(r -> r.server().equals("cdn"))
                .isNotEmpty().allMatch(r -> r.authorization() == null);
    }

    @Test
    void noSecretInAnyLogLineOrMessageOfFailingDownloads() throws Exception {
        String password = "pw-Zq81x";
        String token = "hf_tok-W93kd";
        server.failNext(REPO, TOKENIZER, 503, 100);
        String endpoint = server.endpoint().replace("http://", "http://reader:" + password + "@");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Dorg.slf4j.simpleLogger.defaultLogLevel=trace",
                "-cp", System.getProperty("java.class.path"), FailingFetchesInAnotherProcess.class.getName(),
                endpoint, token, cache.toString(), REPO, TOKENIZER, MODEL, "missing.json")
                .redirectErrorStream(true)
                .start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String all = new String(output, StandardCharsets.UTF_8);

        assertThat(all).as(all)
                .contains("attempt 1 of 2") // the WARN line of the retry: log output is captured
                .contains("Could not fetch tokenizer.json of " + REPO)
                .contains("HTTP 503")
                .contains("'missing.json' does not exist in " + REPO)
                .contains("FETCHED " + MODEL)
                .contains("Invalid Hugging Face endpoint 'http://***@")
                .contains("DEBUG"); // every level is on
        String basic = Base64.getEncoder().encodeToString(("reader:" + password).getBytes(StandardCharsets.UTF_8));
        for (String secret : List.of(password, token, basic, token.substring(3))) {
            assertThat(all).as("output of the child JVM").doesNotContain(secret);
        }
        assertThat(process.exitValue()).isZero();
        assertThat(server.requests()).filteredOn(r -> r.server().equals("hub"))
                .isNotEmpty().allMatch(r -> ("Bearer " + token).equals(r.authorization()));
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
