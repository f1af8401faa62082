package dev.fastembed.spring.autoconfigure;

import dev.fastembed.LateInteractionMultimodalEmbedding;
import dev.fastembed.ModelFiles;
import dev.fastembed.spring.LateInteractionMultimodalEmbeddingPool;
import dev.fastembed.spring.ModelState;
import dev.fastembed.testing.ColPaliModels;
import dev.fastembed.testing.TestImages;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

import java.awt.Color;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A late interaction model over images through the beans: a stand-in with ColPali's interface
 * ({@link ColPaliModels}) in a model folder, loaded eagerly, probed through its image side, its calls counted.
 */
class LateInteractionMultimodalAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FastEmbedAutoConfiguration.class,
                    FastEmbedHealthContributorAutoConfiguration.class, HealthContributorAutoConfiguration.class,
                    FastEmbedMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class))
            .withPropertyValues("fastembed.offline=true", "fastembed.cache-dir=target/empty-fastembed-cache",
                    "fastembed.health.probe=true", "fastembed.models.pages.kind=late-interaction-multimodal");

    @Test
    void thePoolEmbedsLikeTheModelItselfWithHealthAndImageCounts(@TempDir Path dir) {
        Path folder = ColPaliModels.directory(dir.resolve("colpali"));
        byte[] page = TestImages.encode(TestImages.solid(60, 80, new Color(200, 30, 40)), "png");
        runner.withPropertyValues("fastembed.models.pages.directory=" + folder).run(context -> {
            assertThat(context).hasNotFailed();
            LateInteractionMultimodalEmbeddingPool pages = context.getBean(LateInteractionMultimodalEmbeddingPool.class);
            assertThat(pages.pool().state()).as("eager: loaded and probed with an image").isEqualTo(ModelState.READY);
            assertThat(pages.dimension()).hasValue(ColPaliModels.DIMENSION);
            try (LateInteractionMultimodalEmbedding direct = LateInteractionMultimodalEmbedding.builder()
                    .modelFiles(ModelFiles.inDirectory(folder)).build()) {
                assertThat(pages.embedImageBytes(List.of(page, page)))
                        .usingRecursiveComparison().isEqualTo(direct.embedImageBytes(List.of(page, page)));
                assertThat(pages.embedText("total amount due")).isDeepEqualTo(direct.embedText("total amount due"));
            }
            Health health = ((HealthIndicator) context.getBean("fastembedHealthContributor",
                    CompositeHealthContributor.class).getContributor("pages")).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("kind", "late-interaction-multimodal")
                    .containsEntry("probe", "ok").containsEntry("dimension", ColPaliModels.DIMENSION);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("fastembed.images").tags("model", "pages").counter().count()).isEqualTo(2);
            assertThat(registry.get("fastembed.texts").tags("model", "pages").counter().count()).isEqualTo(1);
            assertThat(registry.get("fastembed.embed").tags("model", "pages", "operation", "image").timer().count())
                    .isEqualTo(1);
        });
    }
}
