package dev.fastembed.spring.autoconfigure;

import dev.fastembed.SparseEmbedding;
import dev.fastembed.SparseTextEmbedding;
import dev.fastembed.spring.ModelState;
import dev.fastembed.spring.SparseTextEmbeddingPool;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real sparse model through the beans: BM25 runs in the engine without model files, so it loads here
 * offline (fastembed.offline=true guarantees no download is tried).
 */
class Bm25AutoConfigurationTest {

    private static final List<String> DOCUMENTS = List.of(
            "Sparse vectors make hybrid search possible.",
            "The bakery sells fresh bread every morning.",
            "Hybrid search mixes sparse and dense retrieval.");

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FastEmbedAutoConfiguration.class,
                    FastEmbedHealthContributorAutoConfiguration.class, HealthContributorAutoConfiguration.class,
                    FastEmbedMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class))
            .withPropertyValues("fastembed.offline=true", "fastembed.cache-dir=target/empty-fastembed-cache",
                    "fastembed.models.bm25.model=Qdrant/bm25");

    @Test
    void thePooledBm25EmbedsLikeTheEngineItself() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            SparseTextEmbeddingPool bm25 = context.getBean(SparseTextEmbeddingPool.class);
            assertThat(bm25.pool().state()).isEqualTo(ModelState.READY);
            assertThat(bm25.algorithm()).isEqualTo(SparseTextEmbedding.Algorithm.BM25);
            try (SparseTextEmbedding direct = SparseTextEmbedding.bm25()) {
                assertThat(bm25.embed(DOCUMENTS)).isEqualTo(direct.embed(DOCUMENTS));
                assertThat(bm25.queryEmbed("hybrid search")).isEqualTo(direct.queryEmbed("hybrid search"));
            }
            SparseEmbedding query = bm25.queryEmbed("hybrid search");
            List<SparseEmbedding> documents = bm25.embed(DOCUMENTS);
            assertThat(query.dot(documents.get(2))).isGreaterThan(0);
            assertThat(query.dot(documents.get(1))).as("no shared word").isZero();
        });
    }

    @Test
    void sparseSettingsReachTheEngine() {
        runner.withPropertyValues("fastembed.models.bm25.sparse.language=german", "fastembed.models.bm25.sparse.k1=2")
                .run(context -> {
                    SparseTextEmbeddingPool bm25 = context.getBean(SparseTextEmbeddingPool.class);
                    List<String> german = List.of("Die Häuser stehen am Fluss und die Kinder spielen.");
                    try (SparseTextEmbedding direct = SparseTextEmbedding.builder()
                            .algorithm(SparseTextEmbedding.Algorithm.BM25).language("german").k1(2).build();
                         SparseTextEmbedding english = SparseTextEmbedding.bm25()) {
                        assertThat(bm25.embed(german)).isEqualTo(direct.embed(german));
                        assertThat(bm25.embed(german)).isNotEqualTo(english.embed(german));
                    }
                });
    }

    @Test
    void healthAndMetricsCoverSparseModels() {
        runner.withPropertyValues("fastembed.health.probe=true").run(context -> {
            SparseTextEmbeddingPool bm25 = context.getBean(SparseTextEmbeddingPool.class);
            bm25.embed(DOCUMENTS);
            Health health = ((HealthIndicator) context.getBean("fastembedHealthContributor",
                    CompositeHealthContributor.class).getContributor("bm25")).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("kind", "sparse").containsEntry("probe", "ok")
                    .doesNotContainKey("dimension");
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("fastembed.texts").tags("model", "bm25", "kind", "sparse").counter().count())
                    .isEqualTo(DOCUMENTS.size());
            assertThat(registry.get("fastembed.embed").tags("model", "bm25", "operation", "embed").timer().count())
                    .isEqualTo(1);
        });
    }
}
