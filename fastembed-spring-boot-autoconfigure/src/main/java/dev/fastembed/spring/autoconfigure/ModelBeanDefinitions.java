package dev.fastembed.spring.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The bean definitions of one model's beans, and how they back off. A bean of the same type that the application
 * defines itself (not one of these) makes this project's beans of that type non-primary, so a user's
 * {@code @Primary} bean never collides with them; when {@code defaultCandidate} is asked for, they are also left out
 * of plain by-type injection and are only injected with their qualifier ({@code @Qualifier("docs")}).
 */
public final class ModelBeanDefinitions {

    /** Marks the bean definitions this project registers, with the model's name as value. */
    public static final String MODEL_ATTRIBUTE = "dev.fastembed.model";

    private static final Log log = LogFactory.getLog(ModelBeanDefinitions.class);

    private ModelBeanDefinitions() {
    }

    /**
     * A bean definition of the model's bean, named and qualified after the model, primary when the model is
     * and no bean of the type {@code role} comes from the application.
     *
     * @param registry         where the definition will be registered (also searched for the application's beans)
     * @param role             the type by which applications inject the bean, e.g. {@code EmbeddingModel}
     * @param type             the bean's class
     * @param create           creates the bean
     * @param defaultCandidate whether the bean stays a candidate for unqualified injection beside an application's
     *                         bean of the role type
     */
    public static <T> RootBeanDefinition define(BeanDefinitionRegistry registry, ModelDefinition model, Class<?> role,
                                                Class<T> type, Supplier<T> create, boolean defaultCandidate) {
        RootBeanDefinition definition = new RootBeanDefinition(type);
        definition.setInstanceSupplier(create);
        definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, model.name()));
        definition.setAttribute(MODEL_ATTRIBUTE, model.name());
        boolean userDefined = definedByApplication(registry, role);
        definition.setPrimary(model.primary() && !userDefined);
        if (userDefined) {
            definition.setDefaultCandidate(defaultCandidate);
            log.debug("The application defines its own " + role.getSimpleName() + "; fastembed model '" + model.name()
                    + "' is not primary" + (defaultCandidate ? "" : " and injected only with @Qualifier(\""
                    + model.name() + "\")"));
        }
        return definition;
    }

    /** Whether a bean of this type is defined other than by this project. */
    public static boolean definedByApplication(BeanDefinitionRegistry registry, Class<?> type) {
        if (!(registry instanceof ListableBeanFactory beanFactory)) {
            return false;
        }
        return Arrays.stream(beanFactory.getBeanNamesForType(type, true, false))
                .anyMatch(name -> !registry.containsBeanDefinition(name)
                        || registry.getBeanDefinition(name).getAttribute(MODEL_ATTRIBUTE) == null);
    }
}
