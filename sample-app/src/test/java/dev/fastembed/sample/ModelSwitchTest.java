package dev.fastembed.sample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static com.jayway.jsonpath.JsonPath.read;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A model named {@code default} — what {@code --fastembed.model=<catalogue name>} registers — replaces the
 * embedded one: it becomes the primary model and gets its own index, and the embedded model is never loaded.
 * Offline here, the "other" model is all-MiniLM-L6-v2 from the class path instead of a download.
 */
class ModelSwitchTest {

    @TempDir
    Path dataDir;

    @Test
    void aDefaultModelReplacesTheEmbeddedOne() throws Exception {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(SampleApplication.class).run(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--fastembed.cache-dir=target/fastembed-cache",
                "--fastembed.models.default.classpath.model=all-minilm-l6-v2.onnx",
                "--fastembed.models.default.classpath.tokenizer=all-minilm-l6-v2-tokenizer.json",
                "--fastembed.models.default.pooling=mean",
                "--sample.data-dir=" + dataDir,
                "--sample.corpus.location=classpath:corpus/t*",
                "--management.endpoints.web.exposure.include=health",
                "--management.endpoint.health.show-details=always")) {
            HttpClient http = HttpClient.newHttpClient();
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();

            String info = get(http, port, "/api/info");
            assertThat(read(info, "$.model").toString()).isEqualTo("classpath:all-minilm-l6-v2.onnx");

            String search = get(http, port, "/api/search?k=1&q="
                    + URLEncoder.encode("why does the ocean rise and fall twice a day", StandardCharsets.UTF_8));
            assertThat(read(search, "$.results[0].source").toString()).isEqualTo("tides.txt");

            String health = get(http, port, "/actuator/health/fastembed");
            assertThat(read(health, "$.components.default.details.state").toString()).isEqualTo("ready");
            assertThat(read(health, "$.components.embedded.details.state").toString())
                    .as("the embedded model is lazy and nobody used it").isEqualTo("not-loaded");
            assertThat(read(health, "$.components.embedded.status").toString()).isEqualTo("UP");

            HttpResponse<String> rerank = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/search?rerank=true&q=tides")).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(rerank.statusCode()).as("no reranker in this configuration").isEqualTo(400);
            assertThat(read(rerank.body(), "$.title").toString()).isEqualTo("Feature not configured");
            assertThat(read(rerank.body(), "$.parameter").toString()).isEqualTo("rerank");

            try (var files = java.nio.file.Files.list(dataDir.resolve("classpath_all-minilm-l6-v2.onnx"))) {
                assertThat(files.map(path -> path.getFileName().toString()))
                        .as("each model has its own (Lucene) index").anyMatch(name -> name.startsWith("segments_"));
            }
            assertThat(dataDir.resolve("classpath_bge-small-en-v1.5.onnx")).doesNotExist();
        }
    }

    private static String get(HttpClient http, int port, String path) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }
}
