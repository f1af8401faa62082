package dev.fastembed.spring.autoconfigure;

import dev.fastembed.spring.PooledModel;
import dev.fastembed.spring.health.ModelHealthIndicator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * The {@code fastembed} health contributor: a composite with one {@link ModelHealthIndicator} per model,
 * keyed by model name. Needs {@code spring-boot-health}; off with
 * {@code management.health.fastembed.enabled=false}.
 */
@AutoConfiguration(after = FastEmbedAutoConfiguration.class)
@ConditionalOnClass({HealthContributor.class, ConditionalOnEnabledHealthIndicator.class})
public final class FastEmbedHealthContributorAutoConfiguration {

    // The health conditions sit on the method: their condition classes live in spring-boot-health, and a
    // method's conditions are only read once the class condition above has passed.
    @Bean
    @ConditionalOnBean(PooledModel.class)
    @ConditionalOnEnabledHealthIndicator("fastembed")
    @ConditionalOnMissingBean(name = {"fastembedHealthIndicator", "fastembedHealthContributor"})
    HealthContributor fastembedHealthContributor(ObjectProvider<PooledModel> models,
                                                 ObjectProvider<FastEmbedProperties> properties) {
        boolean probe = properties.getIfAvailable(FastEmbedProperties::new).getHealth().isProbe();
        return CompositeHealthContributor.fromMap(PooledModels.byName(models),
                model -> new ModelHealthIndicator(model, probe));
    }
}
