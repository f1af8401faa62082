package dev.fastembed.spring.ai.autoconfigure;

import dev.fastembed.spring.TextEmbeddingPool;
import dev.fastembed.spring.ai.FastEmbedEmbeddingModel;
import dev.fastembed.spring.autoconfigure.FastEmbedAutoConfiguration;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.model.SpringAIModelProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * Spring AI beans over the fastembed model beans: an {@link EmbeddingModel} per text model. Active unless
 * {@code spring.ai.model.embedding} names another provider, and unless the application defines its own
 * {@link FastEmbedEmbeddingModel}.
 */
@AutoConfiguration(after = FastEmbedAutoConfiguration.class)
@ConditionalOnClass({EmbeddingModel.class, TextEmbeddingPool.class})
@ConditionalOnBooleanProperty(name = "fastembed.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = SpringAIModelProperties.EMBEDDING_MODEL, havingValue = FastEmbedEmbeddingModel.PROVIDER,
        matchIfMissing = true)
@ConditionalOnMissingBean(FastEmbedEmbeddingModel.class)
@EnableConfigurationProperties(FastEmbedSpringAiProperties.class)
@Import(FastEmbedSpringAiRegistrar.class)
public final class FastEmbedSpringAiAutoConfiguration {
}
