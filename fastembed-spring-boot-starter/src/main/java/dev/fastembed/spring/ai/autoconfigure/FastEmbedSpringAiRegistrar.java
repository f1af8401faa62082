package dev.fastembed.spring.ai.autoconfigure;

import dev.fastembed.catalog.ModelKind;
import dev.fastembed.spring.ImageEmbeddingPool;
import dev.fastembed.spring.TextEmbeddingPool;
import dev.fastembed.spring.TextRerankPool;
import dev.fastembed.spring.ai.FastEmbedDocumentReranker;
import dev.fastembed.spring.ai.FastEmbedEmbeddingModel;
import dev.fastembed.spring.ai.FastEmbedImageEmbeddingModel;
import dev.fastembed.spring.autoconfigure.FastEmbedProperties;
import dev.fastembed.spring.autoconfigure.ModelBeanDefinitions;
import dev.fastembed.spring.autoconfigure.ModelDefinition;
import dev.fastembed.spring.autoconfigure.ModelDefinitions;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.ai.embedding.DocumentEmbeddingModel;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationConvention;
import org.springframework.ai.rag.postretrieval.document.DocumentPostProcessor;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

import java.util.function.Supplier;

/**
 * Registers one Spring AI bean per model of one kind, named {@code <name><Role>}, qualified
 * {@code @Qualifier("<name>")}, primary when the model is, over the model's pool bean. A bean the
 * application defines under that name wins. When the application defines its own bean of the role type (e.g. an
 * {@code EmbeddingModel}), these beans back off: not primary, and injected only with their qualifier.
 */
abstract class FastEmbedSpringAiRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

    private Environment environment;
    protected BeanFactory beanFactory;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        for (ModelDefinition model : ModelDefinitions.bind(environment)) {
            if (model.kind() == kind()) {
                register(registry, model);
            }
        }
    }

    abstract ModelKind kind();

    abstract void register(BeanDefinitionRegistry registry, ModelDefinition model);

    <T> void register(BeanDefinitionRegistry registry, ModelDefinition model, Class<?> role, String poolName,
                      Class<T> type, Supplier<T> create) {
        String beanName = ModelDefinition.beanName(model.name(), role);
        if (registry.containsBeanDefinition(beanName)) {
            return;
        }
        RootBeanDefinition definition = ModelBeanDefinitions.define(registry, model, role, type, create, false);
        definition.setDependsOn(poolName);
        registry.registerBeanDefinition(beanName, definition);
    }

    /** Text model {@code docs}: the {@link EmbeddingModel} {@code docsEmbeddingModel} over {@code docsTextEmbeddingPool}. */
    static final class TextModels extends FastEmbedSpringAiRegistrar {

        @Override
        ModelKind kind() {
            return ModelKind.TEXT;
        }

        @Override
        void register(BeanDefinitionRegistry registry, ModelDefinition model) {
            String poolName = ModelDefinition.beanName(model.name(), TextEmbeddingPool.class);
            register(registry, model, EmbeddingModel.class, poolName, FastEmbedEmbeddingModel.class, () -> {
                FastEmbedEmbeddingModel embeddingModel = new FastEmbedEmbeddingModel(
                        beanFactory.getBean(poolName, TextEmbeddingPool.class),
                        beanFactory.getBean(FastEmbedSpringAiProperties.class).getMetadataMode(),
                        beanFactory.getBeanProvider(ObservationRegistry.class).getIfUnique(() -> ObservationRegistry.NOOP));
                beanFactory.getBeanProvider(EmbeddingModelObservationConvention.class)
                        .ifUnique(embeddingModel::setObservationConvention);
                return embeddingModel;
            });
        }
    }

    /**
     * Reranker {@code rerank}: the {@link DocumentPostProcessor} {@code rerankDocumentPostProcessor} over
     * {@code rerankTextRerankPool}, with the model's {@code rerank.top-k} and {@code rerank.min-score}.
     */
    static final class RerankModels extends FastEmbedSpringAiRegistrar {

        @Override
        ModelKind kind() {
            return ModelKind.RERANK;
        }

        @Override
        void register(BeanDefinitionRegistry registry, ModelDefinition model) {
            String poolName = ModelDefinition.beanName(model.name(), TextRerankPool.class);
            FastEmbedProperties.RerankProperties rerank = model.properties().getRerank();
            register(registry, model, DocumentPostProcessor.class, poolName, FastEmbedDocumentReranker.class,
                    () -> new FastEmbedDocumentReranker(beanFactory.getBean(poolName, TextRerankPool.class),
                            rerank.getTopK(), rerank.getMinScore()));
        }
    }

    /**
     * Image model {@code photos}: the {@link DocumentEmbeddingModel} {@code photosDocumentEmbeddingModel} over
     * {@code photosImageEmbeddingPool}.
     */
    static final class ImageModels extends FastEmbedSpringAiRegistrar {

        @Override
        ModelKind kind() {
            return ModelKind.IMAGE;
        }

        @Override
        void register(BeanDefinitionRegistry registry, ModelDefinition model) {
            String poolName = ModelDefinition.beanName(model.name(), ImageEmbeddingPool.class);
            register(registry, model, DocumentEmbeddingModel.class, poolName, FastEmbedImageEmbeddingModel.class,
                    () -> new FastEmbedImageEmbeddingModel(beanFactory.getBean(poolName, ImageEmbeddingPool.class)));
        }
    }
}
