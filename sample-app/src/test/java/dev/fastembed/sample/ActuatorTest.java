package dev.fastembed.sample;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Health shows each model with its state; the starter's metrics and observations follow the requests. */
class ActuatorTest extends RunningSampleApp {

    @Test
    void healthShowsEachModelUpWithDetails() {
        HttpResponse<String> response = get("/actuator/health");
        assertThat(response.statusCode()).isEqualTo(200);
        String body = response.body();
        assertThat(read(body, "$.status").toString()).isEqualTo("UP");
        assertThat(read(body, "$.components.fastembed.status").toString()).isEqualTo("UP");
        java.util.Map<String, Object> models = read(body, "$.components.fastembed.components");
        assertThat(models).containsKeys("embedded", "keywords", "reranker");
        models.keySet().forEach(model -> {
            String prefix = "$.components.fastembed.components." + model;
            assertThat(read(body, prefix + ".status").toString()).as(model).isEqualTo("UP");
            assertThat(read(body, prefix + ".details.state").toString()).as(model).isEqualTo("ready");
            assertThat(read(body, prefix + ".details.pool.size").toString()).as(model).isNotEmpty();
        });
        String embedded = "$.components.fastembed.components.embedded.details";
        assertThat(read(body, embedded + ".source").toString()).isEqualTo("classpath:bge-small-en-v1.5.onnx");
        assertThat(read(body, embedded + ".kind").toString()).isEqualTo("text");
        assertThat(read(body, embedded + ".dimension").toString()).isEqualTo("384");
        assertThat(read(body, embedded + ".pool.size").toString()).isEqualTo("2");
        assertThat(read(body, embedded + ".settings.pooling").toString())
                .isEqualTo("CLS (catalogue BAAI/bge-small-en-v1.5)");
        int loadTime = read(body, embedded + ".loadTimeMillis");
        assertThat(loadTime).isPositive();
        assertThat(read(body, "$.components.fastembed.components.keywords.details.kind").toString())
                .isEqualTo("sparse");
        assertThat(read(body, "$.components.fastembed.components.keywords.details.source").toString())
                .isEqualTo("Qdrant/bm25");
        assertThat(read(body, "$.components.fastembed.components.reranker.details.kind").toString())
                .isEqualTo("rerank");
    }

    @Test
    void starterMetricsCountEachSearch() {
        double queriesBefore = statistic("fastembed.embed?tag=model:embedded&tag=operation:query", "COUNT");
        double textsBefore = statistic("fastembed.texts?tag=model:embedded", "COUNT");

        assertThat(search("how do tides work", 3).statusCode()).isEqualTo(200);

        assertThat(statistic("fastembed.embed?tag=model:embedded&tag=operation:query", "COUNT"))
                .isEqualTo(queriesBefore + 1);
        assertThat(statistic("fastembed.texts?tag=model:embedded", "COUNT")).isEqualTo(textsBefore + 1);
        assertThat(statistic("fastembed.tokens?tag=model:embedded", "COUNT")).isPositive();
        assertThat(statistic("fastembed.batch.size?tag=model:embedded", "COUNT")).isPositive();
        assertThat(statistic("fastembed.pool.wait?tag=model:embedded&tag=outcome:acquired", "COUNT")).isPositive();
        assertThat(statistic("fastembed.pool.size?tag=model:embedded", "VALUE")).isEqualTo(2.0);
        assertThat(statistic("fastembed.pool.active?tag=model:embedded", "VALUE")).isZero();
        assertThat(statistic("fastembed.pool.idle?tag=model:embedded", "VALUE")).isEqualTo(2.0);
        assertThat(statistic("fastembed.pool.waiting?tag=model:embedded", "VALUE")).isZero();
        assertThat(statistic("fastembed.model.load?tag=model:embedded", "VALUE")).isPositive();
        assertThat(statistic("gen_ai.client.operation?tag=gen_ai.system:fastembed", "COUNT")).isPositive();
    }

    @Test
    void prometheusExportsTheStarterMetrics() {
        assertThat(search("what do bees do with nectar", 1).statusCode()).isEqualTo(200);
        HttpResponse<String> response = get("/actuator/prometheus");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("fastembed_embed_seconds_count{kind=\"text\",model=\"embedded\",operation=\"query\"}")
                .contains("fastembed_texts_total{kind=\"text\",model=\"embedded\"}")
                .contains("fastembed_tokens_total{kind=\"text\",model=\"embedded\"}")
                .contains("fastembed_pool_size_permits{kind=\"text\",model=\"embedded\"} 2.0")
                .contains("gen_ai_client_operation_seconds_count");
    }

    private double statistic(String metricAndTags, String statistic) {
        HttpResponse<String> response = get("/actuator/metrics/" + metricAndTags);
        assertThat(response.statusCode()).as(metricAndTags + ": " + response.body()).isEqualTo(200);
        List<Number> values = read(response.body(), "$.measurements[?(@.statistic == '" + statistic + "')].value");
        assertThat(values).as(metricAndTags + " " + statistic).hasSize(1);
        return values.getFirst().doubleValue();
    }
}
