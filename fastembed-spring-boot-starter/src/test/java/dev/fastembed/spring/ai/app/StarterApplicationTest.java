package dev.fastembed.spring.ai.app;

import com.jayway.jsonpath.JsonPath;
import dev.fastembed.spring.ModelUnavailableException;
import dev.fastembed.spring.TextEmbeddingPool;
import org.junit.jupiter.api.Test;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A whole application over HTTP, configured as a user would: a real model (bge-small-en-v1.5 from the
 * LangChain4j jar, as class path resources) and a model whose folder does not exist, allowed to fail.
 */
@SpringBootTest(classes = StarterTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "server.address=127.0.0.1",
                "fastembed.cache-dir=target/fastembed-cache",
                "fastembed.models.bge.classpath.model=bge-small-en-v1.5.onnx",
                "fastembed.models.bge.classpath.tokenizer=bge-small-en-v1.5-tokenizer.json",
                "fastembed.models.bge.model=BAAI/bge-small-en-v1.5",
                "fastembed.models.bge.pool.size=2",
                "fastembed.models.broken.directory=target/no-such-model",
                "fastembed.models.broken.pool.fail-fast=false",
                "management.endpoints.web.exposure.include=health,metrics",
                "management.endpoint.health.show-details=always"})
class StarterApplicationTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    private int port;

    @Autowired
    private EmbeddingModel embeddingModel;

    @Autowired
    @Qualifier("broken")
    private EmbeddingModel brokenModel;

    @Autowired
    @Qualifier("bge")
    private TextEmbeddingPool bgePool;

    @Test
    void healthShowsEachModelAndTheOneThatFailedIsDown() throws Exception {
        HttpResponse<String> health = get("/actuator/health");
        assertThat(health.statusCode()).as("a DOWN component makes the application DOWN").isEqualTo(503);
        String body = health.body();
        assertThat(JsonPath.<String>read(body, "$.components.fastembed.status")).isEqualTo("DOWN");
        assertThat(JsonPath.<String>read(body, "$.components.fastembed.components.bge.status")).isEqualTo("UP");
        assertThat(JsonPath.<Integer>read(body, "$.components.fastembed.components.bge.details.dimension"))
                .isEqualTo(384);
        assertThat(JsonPath.<String>read(body, "$.components.fastembed.components.bge.details.state"))
                .isEqualTo("ready");
        assertThat(JsonPath.<Integer>read(body, "$.components.fastembed.components.bge.details.pool.size"))
                .isEqualTo(2);
        assertThat(JsonPath.<String>read(body, "$.components.fastembed.components.broken.status")).isEqualTo("DOWN");
        assertThat(JsonPath.<String>read(body, "$.components.fastembed.components.broken.details.error"))
                .contains("no-such-model");

        HttpResponse<String> one = get("/actuator/health/fastembed/bge");
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(JsonPath.<String>read(one.body(), "$.status")).isEqualTo("UP");
    }

    @Test
    void theEmbeddingModelServesAndItsMetricsAndObservationsFollow() throws Exception {
        EmbeddingResponse response = embeddingModel.embedForResponse(
                List.of("How do I reset my password?", "Invoices are sent monthly."));
        assertThat(response.getResults()).hasSize(2)
                .allSatisfy(embedding -> assertThat(embedding.getOutput()).hasSize(384));
        assertThat(response.getMetadata().getModel()).isEqualTo("classpath:bge-small-en-v1.5.onnx");
        int tokens = response.getMetadata().getUsage().getPromptTokens();
        assertThat(tokens).isPositive();

        assertThat(measurement("/actuator/metrics/fastembed.embed?tag=model:bge", "COUNT")).isGreaterThanOrEqualTo(1);
        assertThat(measurement("/actuator/metrics/fastembed.tokens?tag=model:bge", "COUNT"))
                .isGreaterThanOrEqualTo(tokens);
        assertThat(measurement("/actuator/metrics/fastembed.texts?tag=model:bge", "COUNT")).isGreaterThanOrEqualTo(2);
        assertThat(measurement("/actuator/metrics/fastembed.pool.size?tag=model:bge", "VALUE")).isEqualTo(2);
        assertThat(measurement("/actuator/metrics/fastembed.model.load?tag=model:bge", "VALUE")).isPositive();
        assertThat(measurement("/actuator/metrics/gen_ai.client.operation?tag=gen_ai.system:fastembed"
                + "&tag=gen_ai.response.model:classpath:bge-small-en-v1.5.onnx", "COUNT")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void theModelThatFailedToLoadFailsItsCallsClearlyAndIsCounted() throws Exception {
        assertThatThrownBy(() -> brokenModel.embed("hello")).isInstanceOf(ModelUnavailableException.class)
                .hasMessageContaining("'broken'").hasMessageContaining("no-such-model");
        assertThat(measurement("/actuator/metrics/fastembed.errors?tag=model:broken&tag=type:model-unavailable",
                "COUNT")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void theInjectedPoolAndEmbeddingModelShareOneModel() {
        float[] direct = bgePool.embed("shared weights");
        assertThat(embeddingModel.embed(List.of("shared weights")).getFirst()).containsExactly(direct);
    }

    private double measurement(String path, String statistic) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        List<Double> values = JsonPath.read(response.body(),
                "$.measurements[?(@.statistic == '" + statistic + "')].value");
        assertThat(values).as(path + " " + statistic).hasSize(1);
        return values.getFirst();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
