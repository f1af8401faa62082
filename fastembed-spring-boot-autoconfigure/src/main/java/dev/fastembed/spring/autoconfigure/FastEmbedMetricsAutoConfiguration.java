package dev.fastembed.spring.autoconfigure;

import dev.fastembed.spring.PooledModel;
import dev.fastembed.spring.metrics.FastEmbedMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import java.util.List;

/**
 * {@link FastEmbedMetrics} for every pooled model, bound to the application's {@link MeterRegistry} by
 * Spring Boot like any {@link MeterBinder}. Needs Micrometer and a registry.
 */
@AutoConfiguration(after = FastEmbedAutoConfiguration.class,
        afterName = {"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean({PooledModel.class, MeterRegistry.class})
public final class FastEmbedMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    FastEmbedMetrics fastembedMetrics(ObjectProvider<PooledModel> models) {
        return new FastEmbedMetrics(List.copyOf(PooledModels.byName(models).values()));
    }
}
