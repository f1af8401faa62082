package dev.fastembed.spring.autoconfigure;

import dev.fastembed.ModelSource;
import dev.fastembed.Pooling;
import dev.fastembed.TextEmbedding;
import dev.fastembed.TextEmbedding.DenseEmbeddings;
import dev.fastembed.hub.HubOptions;
import dev.fastembed.spring.ModelState;
import dev.fastembed.spring.PoolStats;
import dev.fastembed.spring.TextEmbeddingPool;
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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The beans on a real model: bge-small-en-v1.5 from the LangChain4j model jar on the test class path,
 * loaded through the class path source (copied once into target/fastembed-cache).
 */
class RealModelAutoConfigurationTest {

    static final String MODEL_RESOURCE = "bge-small-en-v1.5.onnx";
    static final String TOKENIZER_RESOURCE = "bge-small-en-v1.5-tokenizer.json";
    static final Path CACHE = Path.of("target", "fastembed-cache").toAbsolutePath();

    private static final List<String> TEXTS = List.of(
            "The cat sits on the mat.",
            "A kitten is resting on a rug.",
            "Quarterly revenue grew by twelve percent.",
            "How do I reset my password?",
            "Steps to change the login credentials of an account",
            "The weather in Lisbon is sunny today.",
            "Photosynthesis turns light into chemical energy.",
            "Embeddings map text to vectors.");

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FastEmbedAutoConfiguration.class,
                    FastEmbedHealthContributorAutoConfiguration.class, HealthContributorAutoConfiguration.class,
                    FastEmbedMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class))
            .withPropertyValues("fastembed.cache-dir=" + CACHE,
                    "fastembed.models.bge.classpath.model=" + MODEL_RESOURCE,
                    "fastembed.models.bge.classpath.tokenizer=classpath:" + TOKENIZER_RESOURCE,
                    "fastembed.models.bge.pooling=cls",
                    "fastembed.models.bge.pool.size=2");

    @Test
    void thePooledModelEmbedsExactlyLikeTheModelItself() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            TextEmbeddingPool pooled = context.getBean(TextEmbeddingPool.class);
            assertThat(pooled.pool().state()).as("eager by default").isEqualTo(ModelState.READY);
            float[][] fromPool = pooled.embed(TEXTS);
            try (TextEmbedding direct = TextEmbedding.builder()
                    .modelFiles(ModelSource.classpath(MODEL_RESOURCE, TOKENIZER_RESOURCE)
                            .resolve(HubOptions.builder().cacheDir(CACHE).build()))
                    .pooling(Pooling.CLS).build()) {
                float[][] expected = direct.embed(TEXTS);
                for (int i = 0; i < TEXTS.size(); i++) {
                    assertThat(fromPool[i]).containsExactly(expected[i], within(1e-6f));
                }
            }
            assertThat(pooled.dimension()).hasValue(384);
            assertThat(cosine(fromPool[0], fromPool[1])).as("paraphrases are close")
                    .isGreaterThan(cosine(fromPool[0], fromPool[2]) + 0.2);
            assertThat(cosine(fromPool[3], fromPool[4])).isGreaterThan(cosine(fromPool[3], fromPool[5]) + 0.2);
        });
    }

    @Test
    void concurrentCallersOnASmallPoolGetTheVectorsOfSequentialCalls() {
        runner.run(context -> {
            TextEmbeddingPool pooled = context.getBean(TextEmbeddingPool.class);
            float[][] sequential = new float[TEXTS.size()][];
            for (int i = 0; i < TEXTS.size(); i++) {
                sequential[i] = pooled.embed(TEXTS.get(i));
            }
            ExecutorService threads = Executors.newFixedThreadPool(TEXTS.size());
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<float[]>> results = new ArrayList<>();
                for (String text : TEXTS) {
                    results.add(threads.submit(() -> {
                        start.await();
                        return pooled.embed(text);
                    }));
                }
                start.countDown();
                for (int i = 0; i < TEXTS.size(); i++) {
                    assertThat(results.get(i).get(60, TimeUnit.SECONDS)).containsExactly(sequential[i], within(1e-6f));
                }
            } finally {
                threads.shutdownNow();
            }
            assertThat(pooled.pool().stats()).isEqualTo(new PoolStats(2, 0, 0));
        });
    }

    @Test
    void metricsCountCallsTextsAndTokens() {
        runner.run(context -> {
            TextEmbeddingPool pooled = context.getBean(TextEmbeddingPool.class);
            DenseEmbeddings documents = pooled.passageEmbedWithUsage(TEXTS.subList(0, 3));
            DenseEmbeddings query = pooled.queryEmbedWithUsage(List.of(TEXTS.get(3)));
            MeterRegistry registry = context.getBean(MeterRegistry.class);

            assertThat(registry.get("fastembed.embed").tags("model", "bge", "operation", "passage").timer().count())
                    .isEqualTo(1);
            assertThat(registry.get("fastembed.embed").tags("model", "bge", "operation", "query").timer().count())
                    .isEqualTo(1);
            assertThat(registry.get("fastembed.texts").tag("model", "bge").counter().count()).isEqualTo(4);
            assertThat(documents.tokenCount()).isPositive();
            assertThat(registry.get("fastembed.tokens").tag("model", "bge").counter().count())
                    .isEqualTo(documents.tokenCount() + query.tokenCount());
            assertThat(registry.get("fastembed.batch.size").tag("model", "bge").summary().max()).isEqualTo(3);
            assertThat(registry.get("fastembed.pool.wait").tags("model", "bge", "outcome", "acquired").timer()
                    .count()).isEqualTo(2);
            assertThat(registry.get("fastembed.model.load").tag("model", "bge").timeGauge().value()).isPositive();
        });
    }

    @Test
    void healthShowsTheLoadedModelAndCanProbeIt() {
        runner.withPropertyValues("fastembed.health.probe=true").run(context -> {
            CompositeHealthContributor composite = context.getBean("fastembedHealthContributor",
                    CompositeHealthContributor.class);
            Health health = ((HealthIndicator) composite.getContributor("bge")).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("state", "ready").containsEntry("dimension", 384)
                    .containsEntry("probe", "ok").containsEntry("source", "classpath:" + MODEL_RESOURCE)
                    .containsKey("loadTimeMillis");
            assertThat(context.getBean(MeterRegistry.class).get("fastembed.embed").tag("operation", "probe")
                    .timer().count()).isEqualTo(1);
        });
    }

    @Test
    void healthNamesTheExecutionProviderAndTheSavedOptimizedGraph() {
        runner.run(context -> {
            Health health = health(context);
            assertThat(health.getDetails()).containsEntry("executionProvider", "cpu")
                    .doesNotContainKey("fallbackReason");
            assertThat((String) health.getDetails().get("optimizedGraph")).isIn("saved", "loaded");
        });
        runner.run(context -> assertThat(health(context).getDetails()).containsEntry("optimizedGraph", "loaded"));
        runner.withPropertyValues("fastembed.optimized-graph-cache=false")
                .run(context -> assertThat(health(context).getDetails()).containsEntry("optimizedGraph", "off"));
    }

    @Test
    void cudaWithTheCpuFallbackStartsOnTheCpuAndHealthSaysWhy() {
        runner.withPropertyValues("fastembed.models.bge.execution-provider=cuda", "fastembed.models.bge.fallback=cpu")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    Health health = health(context);
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat(health.getDetails()).containsEntry("executionProvider", "cpu")
                            .containsEntry("requestedExecutionProvider", "cuda");
                    assertThat((String) health.getDetails().get("fallbackReason")).containsIgnoringCase("cuda");
                    assertThat(context.getBean(TextEmbeddingPool.class).embed("hello")).hasSize(384);
                });
    }

    @Test
    void cudaWithoutFallbackFailsStartupWithOnnxRuntimesMessage() {
        runner.withPropertyValues("fastembed.models.bge.execution-provider=cuda").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("with the cuda execution provider: ONNX Runtime said:")
                    .hasMessageContaining("onnxruntime_gpu");
        });
    }

    private static Health health(org.springframework.boot.test.context.assertj.AssertableApplicationContext context) {
        CompositeHealthContributor composite = context.getBean("fastembedHealthContributor",
                CompositeHealthContributor.class);
        return ((HealthIndicator) composite.getContributor("bge")).health();
    }

    @Test
    void aLazyModelLoadsOnItsFirstCall() {
        runner.withPropertyValues("fastembed.models.bge.pool.eager=false").run(context -> {
            TextEmbeddingPool pooled = context.getBean(TextEmbeddingPool.class);
            assertThat(pooled.pool().state()).isEqualTo(ModelState.NOT_LOADED);
            assertThat(pooled.dimension()).as("no catalogue entry, not loaded").isEmpty();
            assertThat(pooled.embed("hello")).hasSize(384);
            assertThat(pooled.pool().state()).isEqualTo(ModelState.READY);
            assertThat(pooled.dimension()).hasValue(384);
        });
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
