package dev.fastembed.spring.ai.autoconfigure;

import dev.fastembed.spring.ImageEmbeddingPool;
import dev.fastembed.spring.ModelState;
import dev.fastembed.spring.ModelUnavailableException;
import dev.fastembed.spring.TextEmbeddingPool;
import dev.fastembed.spring.ai.FastEmbedDocumentReranker;
import dev.fastembed.spring.ai.FastEmbedEmbeddingModel;
import dev.fastembed.spring.ai.FastEmbedImageEmbeddingModel;
import dev.fastembed.spring.autoconfigure.FastEmbedAutoConfiguration;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.ai.content.Media;
import org.springframework.ai.document.Document;
import org.springframework.ai.document.MetadataMode;
import org.springframework.ai.embedding.DocumentEmbeddingModel;
import org.springframework.ai.embedding.DocumentEmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.rag.postretrieval.document.DocumentPostProcessor;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.MimeTypeUtils;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which Spring AI beans exist for which configuration. Models stay lazy: nothing is loaded here. */
class FastEmbedSpringAiAutoConfigurationTest {

    private final ApplicationContextRunner runner = twoLazyTextModels();

    /** Both auto-configurations with two catalogue text models that are never loaded (pool.eager=false). */
    static ApplicationContextRunner twoLazyTextModels() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FastEmbedAutoConfiguration.class,
                        FastEmbedSpringAiAutoConfiguration.class))
                .withPropertyValues(
                        "fastembed.models.small.model=BAAI/bge-small-en-v1.5", "fastembed.models.small.pool.eager=false",
                        "fastembed.models.e5.model=intfloat/multilingual-e5-small", "fastembed.models.e5.pool.eager=false");
    }

    @Test
    void oneEmbeddingModelPerTextModelWithThePrimaryOneByType() {
        runner.withUserConfiguration(NeedsE5.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBeansOfType(EmbeddingModel.class))
                    .containsOnlyKeys("smallEmbeddingModel", "e5EmbeddingModel");
            FastEmbedEmbeddingModel primary = (FastEmbedEmbeddingModel) context.getBean(EmbeddingModel.class);
            assertThat(primary.textEmbeddingPool()).isSameAs(context.getBean("smallTextEmbeddingPool"));
            NeedsE5 e5 = context.getBean(NeedsE5.class);
            assertThat(((FastEmbedEmbeddingModel) e5.embeddingModel).textEmbeddingPool()).isSameAs(e5.pool);
            assertThat(e5.pool.name()).isEqualTo("e5");
        });
    }

    @Test
    void primaryFollowsTheModelSettings() {
        runner.withPropertyValues("fastembed.models.e5.primary=true").run(context ->
                assertThat(((FastEmbedEmbeddingModel) context.getBean(EmbeddingModel.class)).modelName())
                        .isEqualTo("intfloat/multilingual-e5-small"));
    }

    @Test
    void dimensionsComeFromTheCatalogueWithoutLoadingOrEmbedding() {
        runner.run(context -> {
            EmbeddingModel e5 = context.getBean("e5EmbeddingModel", EmbeddingModel.class);
            assertThat(e5.dimensions()).isEqualTo(384);
            assertThat(context.getBean("e5TextEmbeddingPool", TextEmbeddingPool.class).pool().state())
                    .isEqualTo(ModelState.NOT_LOADED);
        });
    }

    @Test
    void activeWhenSpringAiSelectsFastembed() {
        runner.withPropertyValues("spring.ai.model.embedding=fastembed").run(context ->
                assertThat(context).hasBean("smallEmbeddingModel"));
    }

    @Test
    void backsOffWhenSpringAiSelectsAnotherProvider() {
        runner.withPropertyValues("spring.ai.model.embedding=openai").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(EmbeddingModel.class)
                        .hasBean("smallTextEmbeddingPool"));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnAdapter() {
        runner.withUserConfiguration(OwnAdapter.class).run(context -> {
            assertThat(context.getBeansOfType(EmbeddingModel.class)).containsOnlyKeys("ownEmbeddingModel");
        });
    }

    @Test
    void anApplicationBeanWithAModelsBeanNameReplacesOnlyThatOne() {
        EmbeddingModel own = new FastEmbedEmbeddingModel(dummyPool(), MetadataMode.NONE,
                ObservationRegistry.NOOP);
        runner.withBean("e5EmbeddingModel", EmbeddingModel.class, () -> own).run(context -> {
            assertThat(context.getBean("e5EmbeddingModel")).isSameAs(own);
            assertThat(context).hasBean("smallEmbeddingModel");
        });
    }

    @Test
    void disabledFastembedMeansNoAdapters() {
        runner.withPropertyValues("fastembed.enabled=false").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(EmbeddingModel.class));
    }

    @Test
    void theMetadataModeDecidesWhatOfADocumentIsEmbedded() {
        Document document = new Document("Reset your password in the account settings.",
                Map.of("title", "Password help"));
        runner.run(context -> assertThat(context.getBean("smallEmbeddingModel", EmbeddingModel.class)
                .getEmbeddingContent(document)).contains("Password help").contains("Reset your password"));
        runner.withPropertyValues("fastembed.spring-ai.metadata-mode=none").run(context ->
                assertThat(context.getBean("smallEmbeddingModel", EmbeddingModel.class).getEmbeddingContent(document))
                        .doesNotContain("Password help").contains("Reset your password in the account settings."));
    }

    @Test
    void aRequestCannotSwitchModelsOrVectorLengths() {
        runner.run(context -> {
            EmbeddingModel small = context.getBean("smallEmbeddingModel", EmbeddingModel.class);
            assertThatThrownBy(() -> small.call(new EmbeddingRequest(List.of("hi"),
                    EmbeddingOptions.builder().model("text-embedding-3-small").build())))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'small'").hasMessageContaining("text-embedding-3-small");
            assertThatThrownBy(() -> small.call(new EmbeddingRequest(List.of("hi"),
                    EmbeddingOptions.builder().dimensions(1536).build())))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("384");
            assertThat(context.getBean("smallTextEmbeddingPool", TextEmbeddingPool.class).pool().state())
                    .as("rejected before loading").isEqualTo(ModelState.NOT_LOADED);
        });
    }

    @Test
    void anImageModelIsADocumentEmbeddingModelThatKnowsItsDimensions() {
        runner.withPropertyValues("fastembed.models.photos.model=Qdrant/clip-ViT-B-32-vision",
                "fastembed.models.photos.pool.eager=false").run(context -> {
            assertThat(context).hasNotFailed().hasBean("photosDocumentEmbeddingModel");
            DocumentEmbeddingModel photos = context.getBean(DocumentEmbeddingModel.class);
            assertThat(photos).isInstanceOf(FastEmbedImageEmbeddingModel.class);
            assertThat(photos.dimensions()).isEqualTo(512);
            assertThat(context.getBean(ImageEmbeddingPool.class).pool().state()).isEqualTo(ModelState.NOT_LOADED);
            assertThat(context.getBean(EmbeddingModel.class).dimensions()).as("the text models are unaffected")
                    .isEqualTo(384);
        });
    }

    @Test
    void theImageAdapterRejectsDocumentsWithoutAnImageItCanRead() {
        runner.withPropertyValues("fastembed.models.photos.model=Qdrant/clip-ViT-B-32-vision",
                "fastembed.models.photos.pool.eager=false").run(context -> {
            DocumentEmbeddingModel photos = context.getBean(DocumentEmbeddingModel.class);
            assertThatThrownBy(() -> photos.call(new DocumentEmbeddingRequest(new Document("just text"))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no media");
            Document remote = new Document(new Media(MimeTypeUtils.IMAGE_PNG, URI.create("https://example.com/cat.png")),
                    Map.of());
            assertThatThrownBy(() -> photos.call(new DocumentEmbeddingRequest(remote)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not fetched");
            Document pdf = new Document(Media.builder().mimeType(MimeTypeUtils.parseMimeType("application/pdf"))
                    .data(new byte[] {1, 2, 3}).build(), Map.of());
            assertThatThrownBy(() -> photos.call(new DocumentEmbeddingRequest(pdf)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an image");
            assertThat(context.getBean(ImageEmbeddingPool.class).pool().state()).isEqualTo(ModelState.NOT_LOADED);
        });
    }

    @Test
    void anImageModelThatCannotLoadFailsItsCallsClearly() {
        runner.withPropertyValues("fastembed.models.photos.directory=/nonexistent/clip",
                "fastembed.models.photos.kind=image", "fastembed.models.photos.pool.fail-fast=false").run(context -> {
            Document image = new Document(Media.builder().mimeType(MimeTypeUtils.IMAGE_PNG).data(new byte[] {1})
                    .build(), Map.of());
            assertThatThrownBy(() -> context.getBean(DocumentEmbeddingModel.class)
                    .call(new DocumentEmbeddingRequest(image)))
                    .isInstanceOf(ModelUnavailableException.class).hasMessageContaining("/nonexistent/clip");
        });
    }

    @Test
    void imageAdaptersFollowTheMultimodalSelection() {
        runner.withPropertyValues("fastembed.models.photos.model=Qdrant/clip-ViT-B-32-vision",
                "fastembed.models.photos.pool.eager=false", "spring.ai.model.embedding.multimodal=vertexai")
                .run(context -> assertThat(context).doesNotHaveBean(DocumentEmbeddingModel.class)
                        .hasBean("photosImageEmbeddingPool").hasBean("smallEmbeddingModel"));
    }

    @Test
    void aRerankerIsADocumentPostProcessorWithItsCutOffs() {
        runner.withPropertyValues("fastembed.models.rerank.model=BAAI/bge-reranker-base",
                "fastembed.models.rerank.pool.eager=false", "fastembed.models.rerank.rerank.top-k=5",
                "fastembed.models.rerank.rerank.min-score=-2.5").run(context -> {
            assertThat(context).hasNotFailed().hasBean("rerankDocumentPostProcessor");
            FastEmbedDocumentReranker reranker = (FastEmbedDocumentReranker) context.getBean(DocumentPostProcessor.class);
            assertThat(reranker.textRerankPool()).isSameAs(context.getBean("rerankTextRerankPool"));
            assertThat(reranker.topK()).isEqualTo(5);
            assertThat(reranker.minScore()).isEqualTo(-2.5);
        });
    }

    @Test
    void noRerankerWithoutSpringAiRag() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.ai.rag"))
                .withPropertyValues("fastembed.models.rerank.model=BAAI/bge-reranker-base",
                        "fastembed.models.rerank.pool.eager=false")
                .run(context -> assertThat(context).hasNotFailed().hasBean("rerankTextRerankPool")
                        .doesNotHaveBean("rerankDocumentPostProcessor").hasBean("smallEmbeddingModel"));
    }

    @Test
    void sparseAndLateInteractionModelsHaveNoSpringAiBeans() {
        runner.withPropertyValues("fastembed.models.bm25.model=Qdrant/bm25", "fastembed.models.bm25.pool.eager=false",
                "fastembed.models.colbert.model=colbert-ir/colbertv2.0", "fastembed.models.colbert.pool.eager=false")
                .run(context -> {
                    assertThat(context).hasBean("bm25SparseTextEmbeddingPool")
                            .hasBean("colbertLateInteractionTextEmbeddingPool");
                    assertThat(context.getBeansOfType(EmbeddingModel.class))
                            .containsOnlyKeys("smallEmbeddingModel", "e5EmbeddingModel");
                });
    }

    private static TextEmbeddingPool dummyPool() {
        return new TextEmbeddingPool(new dev.fastembed.spring.SharedModel<>("own", dev.fastembed.catalog.ModelKind.TEXT,
                "own", 1, java.time.Duration.ZERO, () -> {
            throw new IllegalStateException("not loaded in this test");
        }), 0, "", "");
    }

    @Configuration(proxyBeanMethods = false)
    static class NeedsE5 {
        final EmbeddingModel embeddingModel;
        final TextEmbeddingPool pool;

        NeedsE5(@Qualifier("e5") EmbeddingModel embeddingModel, @Qualifier("e5") TextEmbeddingPool pool) {
            this.embeddingModel = embeddingModel;
            this.pool = pool;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnAdapter {
        @Bean
        FastEmbedEmbeddingModel ownEmbeddingModel() {
            return new FastEmbedEmbeddingModel(dummyPool(), MetadataMode.NONE, ObservationRegistry.NOOP);
        }
    }
}
