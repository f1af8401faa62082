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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static com.jayway.jsonpath.JsonPath.read;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The index lives in the data folder: a second application started on the same folder finds every document,
 * including one added over the API, with its dense vectors and BM25 terms, and does not ingest the bundled
 * corpus again.
 */
class RestartKeepsIndexTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dataDir;

    @Test
    void aSecondStartOnTheSameFolderKeepsTheIndex() throws Exception {
        String documentsBefore;
        try (ConfigurableApplicationContext first = start()) {
            documentsBefore = get(first, "/api/documents").body();
            HttpResponse<String> created = post(first, "/api/documents", """
                    {"source": "glassblowing.md", "content": "# Glassblowing\\n\\nA gaffer gathers molten glass on \
                    the end of a long pipe, blows a bubble into it and shapes it with wet wooden blocks and jacks \
                    while turning the pipe so the soft glass does not sag."}""");
            assertThat(created.statusCode()).isEqualTo(201);
        }
        try (var files = Files.walk(dataDir)) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .as("a Lucene index in " + dataDir).anyMatch(name -> name.startsWith("segments_"))
                    .noneMatch(name -> name.endsWith(".json"));
        }

        try (ConfigurableApplicationContext second = start()) {
            String documentsAfter = get(second, "/api/documents").body();
            List<String> sources = read(documentsAfter, "$.items[*].source");
            assertThat(sources).contains("glassblowing.md", "tides.txt", "tcp-handshake.md");
            assertThat(read(documentsAfter, "$.items[?(@.source == 'tides.txt')].ingestedAt").toString())
                    .as("the corpus was not ingested again")
                    .isEqualTo(read(documentsBefore, "$.items[?(@.source == 'tides.txt')].ingestedAt").toString());

            HttpResponse<String> found = get(second, "/api/search?k=1&q="
                    + URLEncoder.encode("shaping hot liquid glass by breathing through a tube", StandardCharsets.UTF_8));
            assertThat(found.statusCode()).isEqualTo(200);
            assertThat(read(found.body(), "$.results[0].source").toString()).isEqualTo("glassblowing.md");
            assertSparseScoreFindsGlassblowing(second);
        }
    }

    private void assertSparseScoreFindsGlassblowing(ConfigurableApplicationContext context) throws Exception {
        HttpResponse<String> hybrid = get(context, "/api/search?k=1&hybrid=true&q=gaffer");
        assertThat(hybrid.statusCode()).isEqualTo(200);
        assertThat(read(hybrid.body(), "$.results[0].source").toString()).isEqualTo("glassblowing.md");
        double sparse = read(hybrid.body(), "$.results[0].sparseScore");
        assertThat(sparse).as("BM25 knows the word").isPositive();
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(SampleApplication.class).run(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--fastembed.cache-dir=target/fastembed-cache",
                "--sample.data-dir=" + dataDir,
                // Two bundled documents are enough here and keep the first start short.
                "--sample.corpus.location=classpath:corpus/t*",
                "--management.endpoints.web.exposure.include=health");
    }

    private HttpResponse<String> get(ConfigurableApplicationContext context, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(context, path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(ConfigurableApplicationContext context, String path, String json)
            throws Exception {
        return http.send(HttpRequest.newBuilder(uri(context, path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(ConfigurableApplicationContext context, String path) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
