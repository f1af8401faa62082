package dev.fastembed.spring.ai.autoconfigure;

import dev.fastembed.spring.ModelState;
import dev.fastembed.spring.TextEmbeddingPool;
import dev.fastembed.spring.ai.FastEmbedDocumentReranker;
import dev.fastembed.spring.ai.FastEmbedEmbeddingModel;
import dev.fastembed.spring.autoconfigure.FastEmbedAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.rag.Query;
import org.springframework.ai.rag.postretrieval.document.DocumentPostProcessor;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter backs off like Spring Boot's own: an application's own Spring AI bean is the one injected by type,
 * a model's {@code primary: false} is kept, and another selected provider leaves the text models unloaded.
 */
class FastEmbedSpringAiBackOffTest {

    private final ApplicationContextRunner runner = FastEmbedSpringAiAutoConfigurationTest.twoLazyTextModels();

    @Test
    void anApplicationEmbeddingModelIsInjectedByTypeAndTheModelsByQualifier() {
        runner.withUserConfiguration(OwnEmbeddingModel.class, Injected.class).run(context -> {
            assertThat(context).hasNotFailed();
            Injected injected = context.getBean(Injected.class);
            assertThat(injected.byType).isSameAs(context.getBean("ownEmbeddingModel"));
            assertThat(injected.small).isSameAs(context.getBean("smallEmbeddingModel"));
            assertThat(context.getBeanFactory().getBeanDefinition("smallEmbeddingModel").isPrimary()).isFalse();
            assertThat(context.getBeanFactory().getBeanDefinition("smallTextEmbeddingPool").isPrimary())
                    .as("the pools have no competitor").isTrue();
        });
    }

    @Test
    void anApplicationPrimaryEmbeddingModelDoesNotCollide() {
        runner.withUserConfiguration(OwnPrimaryEmbeddingModel.class, Injected.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(EmbeddingModel.class)).isSameAs(context.getBean("ownEmbeddingModel"));
            assertThat(context.getBean(Injected.class).small).isInstanceOf(FastEmbedEmbeddingModel.class);
        });
    }

    @Test
    void anApplicationPrimaryDocumentPostProcessorDoesNotCollide() {
        runner.withPropertyValues("fastembed.models.rerank.model=Xenova/ms-marco-MiniLM-L-6-v2",
                        "fastembed.models.rerank.pool.eager=false")
                .withUserConfiguration(OwnPrimaryPostProcessor.class).run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(DocumentPostProcessor.class))
                            .isSameAs(context.getBean("ownPostProcessor"));
                    assertThat(context.getBean("rerankDocumentPostProcessor"))
                            .isInstanceOf(FastEmbedDocumentReranker.class);
                });
    }

    @Test
    void primaryFalseIsHonoured() {
        runner.withPropertyValues("fastembed.models.small.primary=false").run(context -> {
            assertThat(context.getBeanFactory().getBeanDefinition("smallEmbeddingModel").isPrimary()).isFalse();
            assertThat(context.getBeanFactory().getBeanDefinition("smallTextEmbeddingPool").isPrimary()).isFalse();
            assertThat(context.getBean(EmbeddingModel.class)).isSameAs(context.getBean("e5EmbeddingModel"));
        });
    }

    @Test
    void primaryFalseOnTheOnlyModelLeavesNoPrimary() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FastEmbedAutoConfiguration.class,
                        FastEmbedSpringAiAutoConfiguration.class))
                .withPropertyValues("fastembed.models.docs.model=BAAI/bge-small-en-v1.5",
                        "fastembed.models.docs.pool.eager=false", "fastembed.models.docs.primary=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBeanFactory().getBeanDefinition("docsEmbeddingModel").isPrimary()).isFalse();
                });
    }

    @Test
    void anotherProviderLeavesTheTextModelsUnloaded(@TempDir Path cache) {
        // Offline with an empty cache: a model that tried to load would fail the startup.
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FastEmbedAutoConfiguration.class,
                        FastEmbedSpringAiAutoConfiguration.class))
                .withPropertyValues("spring.ai.model.embedding=openai", "fastembed.offline=true",
                        "fastembed.cache-dir=" + cache, "fastembed.models.docs.model=BAAI/bge-small-en-v1.5")
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(EmbeddingModel.class);
                    assertThat(context.getBean("docsTextEmbeddingPool", TextEmbeddingPool.class).pool().state())
                            .isEqualTo(ModelState.NOT_LOADED);
                });
    }

    @Test
    void anotherProviderStillLoadsAModelThatAsksToBeEager(@TempDir Path cache) {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FastEmbedAutoConfiguration.class,
                        FastEmbedSpringAiAutoConfiguration.class))
                .withPropertyValues("spring.ai.model.embedding=openai", "fastembed.offline=true",
                        "fastembed.cache-dir=" + cache, "fastembed.models.docs.model=BAAI/bge-small-en-v1.5",
                        "fastembed.models.docs.pool.eager=true")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("fastembed.offline"));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnEmbeddingModel {
        @Bean
        EmbeddingModel ownEmbeddingModel() {
            return new StubEmbeddingModel();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnPrimaryEmbeddingModel {
        @Bean
        @Primary
        EmbeddingModel ownEmbeddingModel() {
            return new StubEmbeddingModel();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnPrimaryPostProcessor {
        @Bean
        @Primary
        DocumentPostProcessor ownPostProcessor() {
            return (Query query, List<Document> documents) -> documents;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Injected {
        final EmbeddingModel byType;
        final EmbeddingModel small;

        Injected(EmbeddingModel byType, @Qualifier("small") EmbeddingModel small) {
            this.byType = byType;
            this.small = small;
        }
    }

    static final class StubEmbeddingModel implements EmbeddingModel {
        @Override
        public EmbeddingResponse call(EmbeddingRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public float[] embed(Document document) {
            throw new UnsupportedOperationException();
        }
    }
}
