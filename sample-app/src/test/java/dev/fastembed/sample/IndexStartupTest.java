package dev.fastembed.sample;

import dev.fastembed.sample.index.SearchIndexException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static com.jayway.jsonpath.JsonPath.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The app on an index it must not use as it is: one built by another embedding model (here all-MiniLM-L6-v2's,
 * put where bge-small's belongs; both have 384 dimensions, so only the model name tells them apart) stops
 * startup until {@code --sample.reindex=true} embeds it again; a damaged one stops startup naming the folder.
 */
class IndexStartupTest {

    private static final String BGE_FOLDER = "classpath_bge-small-en-v1.5.onnx";

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    @Test
    void anIndexOfAnotherModelIsRefusedThenEmbeddedAgainOnRequest() throws Exception {
        try (ConfigurableApplicationContext minilm = start("--fastembed.models.default.classpath.model=all-minilm-l6-v2.onnx",
                "--fastembed.models.default.classpath.tokenizer=all-minilm-l6-v2-tokenizer.json",
                "--fastembed.models.default.pooling=mean")) {
            assertThat(read(get(minilm, "/api/documents").body(), "$.documents").toString()).isEqualTo("2");
        }
        Files.move(dataDir.resolve("classpath_all-minilm-l6-v2.onnx"), dataDir.resolve(BGE_FOLDER));

        assertThatThrownBy(this::start).rootCause().isInstanceOf(SearchIndexException.class)
                .hasMessageContaining(dataDir.resolve(BGE_FOLDER).toString())
                .hasMessageContaining("'classpath:all-minilm-l6-v2.onnx' (384 dimensions)")
                .hasMessageContaining("'classpath:bge-small-en-v1.5.onnx'")
                .hasMessageContaining("--sample.reindex=true");

        try (ConfigurableApplicationContext bge = start("--sample.reindex=true")) {
            String documents = get(bge, "/api/documents").body();
            List<String> sources = read(documents, "$.items[*].source");
            assertThat(sources).containsExactly("tcp-handshake.md", "tides.txt");
            String found = get(bge, "/api/search?k=1&q=" + URLEncoder.encode(
                    "why does the ocean rise and fall along the shore twice daily", StandardCharsets.UTF_8)).body();
            assertThat(read(found, "$.results[0].source").toString()).isEqualTo("tides.txt");
            double score = read(found, "$.results[0].denseScore");
            assertThat(score).as("a bge-small cosine, not a mix of models").isGreaterThan(0.6);
        }
        try (ConfigurableApplicationContext again = start()) {
            assertThat(read(get(again, "/api/info").body(), "$.documents").toString()).isEqualTo("2");
        }
    }

    @Test
    void aDamagedIndexStopsStartupNamingTheFolder() throws Exception {
        try (ConfigurableApplicationContext first = start()) {
            assertThat(get(first, "/api/documents").statusCode()).isEqualTo(200);
        }
        Path folder = dataDir.resolve(BGE_FOLDER);
        List<Path> commits = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            files.filter(f -> f.getFileName().toString().startsWith("segments_")).forEach(commits::add);
        }
        assertThat(commits).isNotEmpty();
        for (Path commit : commits) {
            Files.writeString(commit, "garbage");
        }
        assertThatThrownBy(this::start).satisfies(failure -> {
            Throwable cause = failure;
            while (!(cause instanceof SearchIndexException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            assertThat(cause).isInstanceOf(SearchIndexException.class)
                    .hasMessageContaining("The search index in " + folder + " cannot be opened")
                    .hasMessageContaining("Restore the folder from a backup");
        });
        assertThat(Files.readString(commits.getFirst())).as("left as it was").isEqualTo("garbage");
    }

    private ConfigurableApplicationContext start(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--fastembed.cache-dir=target/fastembed-cache",
                "--sample.data-dir=" + dataDir,
                "--sample.corpus.location=classpath:corpus/t*",
                "--management.endpoints.web.exposure.include=health"));
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(SampleApplication.class).run(args.toArray(String[]::new));
    }

    private HttpResponse<String> get(ConfigurableApplicationContext context, String path) throws Exception {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
