package dev.fastembed.spring.autoconfigure;

import dev.fastembed.spring.ModelUnavailableException;
import dev.fastembed.spring.TextEmbeddingPool;
import dev.fastembed.spring.metrics.FastEmbedMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** When the meters exist and what they show without inference (values after real calls: the real-model tests). */
class FastEmbedMetricsAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FastEmbedAutoConfiguration.class,
                    FastEmbedMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class))
            .withPropertyValues(
                    "fastembed.models.docs.model=BAAI/bge-small-en-v1.5", "fastembed.models.docs.pool.eager=false",
                    "fastembed.models.docs.pool.size=3",
                    "fastembed.models.broken.directory=/nonexistent/model-folder",
                    "fastembed.models.broken.pool.fail-fast=false");

    @Test
    void poolGaugesPerModel() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(FastEmbedMetrics.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("fastembed.pool.size").tags("model", "docs", "kind", "text").gauge().value())
                    .isEqualTo(3);
            assertThat(registry.get("fastembed.pool.idle").tag("model", "docs").gauge().value()).isEqualTo(3);
            assertThat(registry.get("fastembed.pool.active").tag("model", "docs").gauge().value()).isZero();
            assertThat(registry.get("fastembed.pool.waiting").tag("model", "docs").gauge().value()).isZero();
            assertThat(registry.get("fastembed.model.load").tag("model", "docs").timeGauge().value())
                    .as("not loaded yet").isNaN();
        });
    }

    @Test
    void aFailedLoadHasALoadTimeAndCallsCountAsErrorsByType() {
        runner.run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("fastembed.model.load").tag("model", "broken").timeGauge().value())
                    .isNotNaN().isGreaterThan(0);
            TextEmbeddingPool broken = context.getBean("brokenTextEmbeddingPool", TextEmbeddingPool.class);
            assertThatThrownBy(() -> broken.embed("hello")).isInstanceOf(ModelUnavailableException.class);
            assertThatThrownBy(() -> broken.queryEmbed("hello")).isInstanceOf(ModelUnavailableException.class);
            assertThat(registry.get("fastembed.errors").tags("model", "broken", "type", "model-unavailable")
                    .counters()).hasSize(2).allSatisfy(counter -> assertThat(counter.count()).isEqualTo(1));
            assertThat(registry.get("fastembed.pool.wait").tags("model", "broken", "outcome", "acquired").timer()
                    .count()).isEqualTo(2);
            assertThat(registry.find("fastembed.embed").timers()).as("only successful calls are timed").isEmpty();
        });
    }

    @Test
    void imageModelsAreTaggedWithTheirKind() {
        runner.withPropertyValues("fastembed.models.photos.model=Qdrant/clip-ViT-B-32-vision",
                "fastembed.models.photos.pool.eager=false", "fastembed.models.photos.pool.size=1").run(context ->
                assertThat(context.getBean(MeterRegistry.class).get("fastembed.pool.size")
                        .tags("model", "photos", "kind", "image").gauge().value()).isEqualTo(1));
    }

    @Test
    void absentWithoutMicrometer() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FastEmbedAutoConfiguration.class,
                        FastEmbedMetricsAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader("io.micrometer.core"))
                .withPropertyValues("fastembed.models.docs.model=BAAI/bge-small-en-v1.5",
                        "fastembed.models.docs.pool.eager=false")
                .run(context -> assertThat(context).hasNotFailed().hasBean("docsTextEmbeddingPool")
                        .doesNotHaveBean(FastEmbedMetrics.class));
    }

    @Test
    void absentWithoutAMeterRegistry() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FastEmbedAutoConfiguration.class,
                        FastEmbedMetricsAutoConfiguration.class))
                .withPropertyValues("fastembed.models.docs.model=BAAI/bge-small-en-v1.5",
                        "fastembed.models.docs.pool.eager=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FastEmbedMetrics.class));
    }

    @Test
    void backsOffForTheApplicationsOwnBinder() {
        FastEmbedMetrics own = new FastEmbedMetrics(java.util.List.of());
        runner.withBean(FastEmbedMetrics.class, () -> own).run(context ->
                assertThat(context.getBean(FastEmbedMetrics.class)).isSameAs(own));
    }
}
