package dev.fastembed.spring.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The "fastembed" health contributor: when it exists and what each model entry reports. */
class FastEmbedHealthContributorAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FastEmbedAutoConfiguration.class,
                    FastEmbedHealthContributorAutoConfiguration.class, HealthContributorAutoConfiguration.class))
            .withPropertyValues(
                    "fastembed.models.docs.model=BAAI/bge-small-en-v1.5", "fastembed.models.docs.pool.eager=false",
                    "fastembed.models.docs.pool.size=2", "fastembed.models.docs.pool.max-wait=250ms",
                    "fastembed.models.broken.directory=/nonexistent/model-folder",
                    "fastembed.models.broken.pool.fail-fast=false");

    @Test
    void oneCompositeWithOneEntryPerModel() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasBean("fastembedHealthContributor");
            CompositeHealthContributor composite = context.getBean("fastembedHealthContributor",
                    CompositeHealthContributor.class);
            assertThat(composite.stream().map(entry -> entry.name())).containsExactlyInAnyOrder("docs", "broken");
        });
    }

    @Test
    void aModelThatIsNotNeededYetIsUpWithItsDetails() {
        runner.run(context -> {
            Health health = indicator(context.getBean("fastembedHealthContributor", CompositeHealthContributor.class),
                    "docs").health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("source", "BAAI/bge-small-en-v1.5")
                    .containsEntry("kind", "text").containsEntry("state", "not-loaded")
                    .containsEntry("dimension", 384)
                    .containsEntry("pool", Map.of("size", 2, "active", 0, "idle", 2, "waiting", 0,
                            "maxWaitMillis", 250L))
                    .containsEntry("batching", Map.of("enabled", true, "maxSize", 64, "windowMillis", 0L,
                            "mergedCalls", 0L, "mergedInputs", 0L));
        });
    }

    @Test
    void aModelThatFailedToLoadIsDownWithTheError() {
        runner.run(context -> {
            Health health = indicator(context.getBean("fastembedHealthContributor", CompositeHealthContributor.class),
                    "broken").health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("state", "failed")
                    .containsEntry("source", "directory:/nonexistent/model-folder");
            assertThat((String) health.getDetails().get("error")).contains("/nonexistent/model-folder");
        });
    }

    @Test
    void absentWithoutSpringBootHealthOnTheClassPath() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FastEmbedAutoConfiguration.class,
                        FastEmbedHealthContributorAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
                .withPropertyValues("fastembed.models.docs.model=BAAI/bge-small-en-v1.5",
                        "fastembed.models.docs.pool.eager=false")
                .run(context -> assertThat(context).hasNotFailed().hasBean("docsTextEmbeddingPool")
                        .doesNotHaveBean("fastembedHealthContributor"));
    }

    @Test
    void absentWhenDisabled() {
        runner.withPropertyValues("management.health.fastembed.enabled=false").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean("fastembedHealthContributor"));
    }

    @Test
    void absentWithoutModels() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FastEmbedAutoConfiguration.class,
                        FastEmbedHealthContributorAutoConfiguration.class, HealthContributorAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("fastembedHealthContributor"));
    }

    @Test
    void backsOffForTheApplicationsOwnContributor() {
        HealthIndicator own = () -> Health.up().withDetail("own", true).build();
        runner.withBean("fastembedHealthContributor", HealthContributor.class, () -> own).run(context ->
                assertThat(context.getBean("fastembedHealthContributor")).isSameAs(own));
    }

    private static HealthIndicator indicator(CompositeHealthContributor composite, String name) {
        return (HealthIndicator) composite.getContributor(name);
    }
}
