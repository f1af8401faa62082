package dev.fastembed.sample;

import com.jayway.jsonpath.JsonPath;
import dev.fastembed.testing.TinyOnnx;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The whole sample app on a random port over real HTTP, configured as shipped (embedded bge-small-en-v1.5,
 * BM25, bundled corpus) on a fresh data folder, plus a reranker: a tiny cross-encoder-shaped graph
 * (written with fastembed-native's {@link TinyOnnx}) over bge-small's tokenizer, since no package ships a real one. Test classes
 * extending this share one running app.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "server.address=127.0.0.1",
                "fastembed.cache-dir=target/fastembed-cache",
                // Short, so the overload test does not wait long for its 503.
                "fastembed.models.embedded.pool.max-wait=300ms"})
public abstract class RunningSampleApp {

    static final Path DATA_DIR = newDir("sample-data-");
    static final Path RERANKER_DIR = tinyReranker();

    @DynamicPropertySource
    static void folders(DynamicPropertyRegistry registry) {
        registry.add("sample.data-dir", DATA_DIR::toString);
        registry.add("fastembed.models.reranker.directory", RERANKER_DIR::toString);
        registry.add("fastembed.models.reranker.kind", () -> "rerank");
        registry.add("fastembed.models.reranker.pool.size", () -> "2");
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    protected int port;

    protected String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    protected HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).GET().build());
    }

    protected HttpResponse<String> postJson(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(url(path)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    protected HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected HttpResponse<String> search(String query, int k) {
        return get("/api/search?q=" + encode(query) + "&k=" + k);
    }

    protected static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    protected static <T> T read(String json, String path) {
        return JsonPath.read(json, path);
    }

    private static Path newDir(String prefix) {
        try {
            Path target = Files.createDirectories(Path.of("target"));
            return Files.createTempDirectory(target, prefix).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A model folder: bge-small-en-v1.5's tokenizer.json and, as model.onnx, a graph with a BERT cross-encoder's
     * interface (int64 {@code input_ids}, {@code attention_mask}, {@code token_type_ids} [batch, sequence]; float
     * {@code logits} [batch, 1]) whose relevance is plain arithmetic: {@code 0.0001 × Σ id × type × mask}, a scaled
     * sum of the document segment's token ids. A test of the sample's plumbing needs scores that differ from dense
     * similarity, not meaningful ones.
     */
    private static Path tinyReranker() {
        Path dir = newDir("tiny-reranker-");
        try (InputStream tokenizer = RunningSampleApp.class.getClassLoader()
                .getResourceAsStream("bge-small-en-v1.5-tokenizer.json")) {
            Files.copy(java.util.Objects.requireNonNull(tokenizer, "bge-small tokenizer on the class path"),
                    dir.resolve("tokenizer.json"));
            TinyOnnx.graph("tiny-cross-encoder")
                    .input("input_ids", TinyOnnx.INT64, "batch", "sequence")
                    .input("attention_mask", TinyOnnx.INT64, "batch", "sequence")
                    .input("token_type_ids", TinyOnnx.INT64, "batch", "sequence")
                    .initializer("axes", new long[] {1}, 1)
                    .initializer("scale", new float[] {1e-4f}, 1)
                    .node("Cast", "ids_f", List.of("input_ids"), TinyOnnx.attr("to", (long) TinyOnnx.FLOAT))
                    .node("Cast", "types_f", List.of("token_type_ids"), TinyOnnx.attr("to", (long) TinyOnnx.FLOAT))
                    .node("Cast", "mask_f", List.of("attention_mask"), TinyOnnx.attr("to", (long) TinyOnnx.FLOAT))
                    .node("Mul", "doc_ids", List.of("ids_f", "types_f"))
                    .node("Mul", "masked_ids", List.of("doc_ids", "mask_f"))
                    .node("ReduceSum", "sums", List.of("masked_ids", "axes"), TinyOnnx.attr("keepdims", 1L))
                    .node("Mul", "logits", List.of("sums", "scale"))
                    .output("logits", TinyOnnx.FLOAT, "batch", 1)
                    .write(dir.resolve("model.onnx"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
