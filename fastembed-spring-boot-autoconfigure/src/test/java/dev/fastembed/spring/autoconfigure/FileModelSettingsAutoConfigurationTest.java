package dev.fastembed.spring.autoconfigure;

import dev.fastembed.ModelSettingRequiredException;
import dev.fastembed.spring.TextEmbeddingPool;
import dev.fastembed.testing.ReferenceEmbedder;
import dev.fastembed.testing.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's app with all-MiniLM-L6-v2 (a mean-pooled model) from the LangChain4j jar on the class path. The jar
 * holds only the ONNX file and tokenizer.json, so nothing there says how to pool: without a pooling property
 * startup fails naming it, and naming the catalogue model gives the vectors sentence-transformers computes.
 */
class FileModelSettingsAutoConfigurationTest {

    private static final String MODEL = "all-minilm-l6-v2.onnx";
    private static final String TOKENIZER = "all-minilm-l6-v2-tokenizer.json";
    private static final List<String> TEXTS = List.of(
            "The cat sits on the mat.",
            "A kitten is resting on a rug.",
            "Quarterly revenue grew by twelve percent.",
            "How do I reset my password?");

    /** sentence-transformers' computation: Hugging Face tokenizers, ONNX Runtime, masked mean, L2 norm. */
    private static ReferenceEmbedder reference;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FastEmbedAutoConfiguration.class,
                    FastEmbedHealthContributorAutoConfiguration.class))
            .withPropertyValues("fastembed.cache-dir=" + RealModelAutoConfigurationTest.CACHE,
                    "fastembed.models.mini.classpath.model=" + MODEL,
                    "fastembed.models.mini.classpath.tokenizer=" + TOKENIZER);

    @BeforeAll
    static void openTheReference() throws Exception {
        reference = new ReferenceEmbedder(TestModels.ALL_MINILM_L6_V2, 512);
    }

    @AfterAll
    static void closeTheReference() throws Exception {
        reference.close();
    }

    @Test
    void withoutAPoolingStartupFailsNamingTheProperty() {
        runner.run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(ModelSettingRequiredException.class)
                    .hasMessageContainingAll("fastembed.models.mini.pooling", "fastembed.models.mini.model",
                            "classpath:" + MODEL);
        });
    }

    @Test
    void namingTheCatalogueModelGivesMeanPooledVectorsAndHealthShowsWhy() throws Exception {
        runner.withPropertyValues("fastembed.models.mini.model=sentence-transformers/all-MiniLM-L6-v2")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    TextEmbeddingPool mini = context.getBean(TextEmbeddingPool.class);
                    assertThat(mini.pool().source()).isEqualTo("classpath:" + MODEL);
                    float[][] vectors = mini.embed(TEXTS);
                    for (int i = 0; i < TEXTS.size(); i++) {
                        assertThat(RealModelAutoConfigurationTest.cosine(vectors[i], reference.embed(TEXTS.get(i))))
                                .as(TEXTS.get(i)).isGreaterThanOrEqualTo(0.9999);
                    }
                    CompositeHealthContributor health = context.getBean("fastembedHealthContributor",
                            CompositeHealthContributor.class);
                    Map<String, Object> details = ((HealthIndicator) health.getContributor("mini")).health()
                            .getDetails();
                    assertThat(details).containsKey("settings");
                    @SuppressWarnings("unchecked")
                    Map<String, String> settings = (Map<String, String>) details.get("settings");
                    assertThat(settings)
                            .containsEntry("pooling", "MEAN (catalogue sentence-transformers/all-MiniLM-L6-v2)")
                            .containsEntry("normalize", "true (catalogue sentence-transformers/all-MiniLM-L6-v2)");
                });
    }

    @Test
    void anExplicitPoolingIsEnough() {
        runner.withPropertyValues("fastembed.models.mini.pooling=mean").run(context -> {
            assertThat(context).hasNotFailed();
            TextEmbeddingPool mini = context.getBean(TextEmbeddingPool.class);
            assertThat(RealModelAutoConfigurationTest.cosine(mini.embed(TEXTS.getFirst()),
                    reference.embed(TEXTS.getFirst()))).isGreaterThanOrEqualTo(0.9999);
            assertThat(mini.settings()).containsEntry("pooling", "MEAN (set explicitly)");
        });
    }
}
