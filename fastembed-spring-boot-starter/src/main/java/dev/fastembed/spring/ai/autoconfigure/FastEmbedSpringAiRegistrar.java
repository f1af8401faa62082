package dev.fastembed.spring.ai.autoconfigure;

import dev.fastembed.spring.TextEmbeddingPool;
import dev.fastembed.spring.ai.FastEmbedEmbeddingModel;
import dev.fastembed.spring.autoconfigure.ModelDefinition;
import dev.fastembed.spring.autoconfigure.ModelDefinitions;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationConvention;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one Spring AI bean per model: for a text model named {@code docs}, the {@link EmbeddingModel}
 * {@code docsEmbeddingModel} over the bean {@code docsTextEmbeddingPool}, qualified {@code @Qualifier("docs")}
 * and primary when the model is. A bean the application defines under that name wins.
 */
class FastEmbedSpringAiRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

    private Environment environment;
    private BeanFactory beanFactory;

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
            switch (model.kind()) {
                case TEXT -> registerEmbeddingModel(registry, model);
                default -> {
                    // Other kinds get their Spring AI beans when their engine types exist.
                }
            }
        }
    }

    private void registerEmbeddingModel(BeanDefinitionRegistry registry, ModelDefinition model) {
        String beanName = ModelDefinition.beanName(model.name(), EmbeddingModel.class);
        String poolName = ModelDefinition.beanName(model.name(), TextEmbeddingPool.class);
        if (registry.containsBeanDefinition(beanName)) {
            return;
        }
        RootBeanDefinition definition = new RootBeanDefinition(FastEmbedEmbeddingModel.class);
        definition.setInstanceSupplier(() -> {
            FastEmbedEmbeddingModel embeddingModel = new FastEmbedEmbeddingModel(
                    beanFactory.getBean(poolName, TextEmbeddingPool.class),
                    beanFactory.getBean(FastEmbedSpringAiProperties.class).getMetadataMode(),
                    beanFactory.getBeanProvider(ObservationRegistry.class).getIfUnique(() -> ObservationRegistry.NOOP));
            beanFactory.getBeanProvider(EmbeddingModelObservationConvention.class)
                    .ifUnique(embeddingModel::setObservationConvention);
            return embeddingModel;
        });
        definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, model.name()));
        definition.setPrimary(model.primary());
        definition.setDependsOn(poolName);
        registry.registerBeanDefinition(beanName, definition);
    }
}
