package dev.fastembed.spring.autoconfigure;

import dev.fastembed.spring.ImageEmbeddingPool;
import dev.fastembed.spring.LateInteractionMultimodalEmbeddingPool;
import dev.fastembed.spring.LateInteractionTextEmbeddingPool;
import dev.fastembed.spring.SparseTextEmbeddingPool;
import dev.fastembed.spring.TextEmbeddingPool;
import dev.fastembed.spring.TextRerankPool;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

import java.util.function.Function;

/**
 * Registers one bean per configured model, named {@code <name><Type>} (e.g. {@code docsTextEmbeddingPool}),
 * qualified {@code @Qualifier("<name>")}, primary when its definition says so and the application defines no
 * pool of that type itself. A bean the application already defines under that name wins: its model is skipped.
 */
class FastEmbedModelRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

    private static final Log log = LogFactory.getLog(FastEmbedModelRegistrar.class);

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
                case TEXT -> register(registry, model, TextEmbeddingPool.class,
                        factory -> factory.textEmbedding(model));
                case IMAGE -> register(registry, model, ImageEmbeddingPool.class,
                        factory -> factory.imageEmbedding(model));
                case LATE_INTERACTION -> register(registry, model, LateInteractionTextEmbeddingPool.class,
                        factory -> factory.lateInteractionTextEmbedding(model));
                case LATE_INTERACTION_MULTIMODAL -> register(registry, model, LateInteractionMultimodalEmbeddingPool.class,
                        factory -> factory.lateInteractionMultimodalEmbedding(model));
                case SPARSE -> register(registry, model, SparseTextEmbeddingPool.class,
                        factory -> factory.sparseTextEmbedding(model));
                case RERANK -> register(registry, model, TextRerankPool.class, factory -> factory.textRerank(model));
            }
        }
    }

    private <T> void register(BeanDefinitionRegistry registry, ModelDefinition model, Class<T> type,
                              Function<FastEmbedModelFactory, T> create) {
        String beanName = ModelDefinition.beanName(model.name(), type);
        if (registry.containsBeanDefinition(beanName)) {
            log.debug("Bean '" + beanName + "' is defined by the application; not creating fastembed model '"
                    + model.name() + "'");
            return;
        }
        // Pools stay default candidates beside an application's own pool: health and metrics stream them by type.
        RootBeanDefinition definition = ModelBeanDefinitions.define(registry, model, type, type,
                () -> create.apply(beanFactory.getBean(FastEmbedModelFactory.class)), true);
        definition.setDestroyMethodName("close");
        registry.registerBeanDefinition(beanName, definition);
    }
}
