package dev.fastembed.spring.ai.autoconfigure;

import dev.fastembed.spring.TextEmbeddingPool;
import dev.fastembed.spring.ai.FastEmbedDocumentReranker;
import dev.fastembed.spring.ai.FastEmbedEmbeddingModel;
import dev.fastembed.spring.ai.FastEmbedImageEmbeddingModel;
import dev.fastembed.spring.autoconfigure.FastEmbedAutoConfiguration;
import org.springframework.ai.embedding.DocumentEmbeddingModel;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.model.SpringAIModelProperties;
import org.springframework.ai.rag.postretrieval.document.DocumentPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Spring AI beans over the fastembed model beans: an {@link EmbeddingModel} per text model, a
 * {@link DocumentEmbeddingModel} per image model and a {@link DocumentPostProcessor} per reranker. The
 * embedding models follow Spring AI's provider selection ({@code spring.ai.model.embedding},
 * {@code spring.ai.model.embedding.multimodal}: active when it is {@code fastembed} or unset). Each group
 * backs off when the application defines its own adapter of that type. Sparse and late interaction models have
 * no Spring AI type; their beans are the pools themselves.
 */
@AutoConfiguration(after = FastEmbedAutoConfiguration.class)
@ConditionalOnClass({EmbeddingModel.class, TextEmbeddingPool.class})
@ConditionalOnBooleanProperty(name = "fastembed.enabled", matchIfMissing = true)
@EnableConfigurationProperties(FastEmbedSpringAiProperties.class)
public final class FastEmbedSpringAiAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = SpringAIModelProperties.EMBEDDING_MODEL,
            havingValue = FastEmbedEmbeddingModel.PROVIDER, matchIfMissing = true)
    @ConditionalOnMissingBean(FastEmbedEmbeddingModel.class)
    @Import(FastEmbedSpringAiRegistrar.TextModels.class)
    static class TextEmbeddingModels {
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(DocumentPostProcessor.class)
    @ConditionalOnMissingBean(FastEmbedDocumentReranker.class)
    @Import(FastEmbedSpringAiRegistrar.RerankModels.class)
    static class Rerankers {
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = SpringAIModelProperties.MULTI_MODAL_EMBEDDING_MODEL,
            havingValue = FastEmbedEmbeddingModel.PROVIDER, matchIfMissing = true)
    @ConditionalOnMissingBean(FastEmbedImageEmbeddingModel.class)
    @Import(FastEmbedSpringAiRegistrar.ImageModels.class)
    static class ImageEmbeddingModels {
    }
}
