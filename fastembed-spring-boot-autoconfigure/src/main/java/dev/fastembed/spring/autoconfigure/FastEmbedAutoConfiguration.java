package dev.fastembed.spring.autoconfigure;

import dev.fastembed.FastEmbedException;
import dev.fastembed.TextEmbedding;
import dev.fastembed.hub.HubOptions;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.ResourceLoader;

import java.time.Duration;

/**
 * The model beans of {@code fastembed.*}: one bean per named model (see {@link FastEmbedModelRegistrar}),
 * built by the {@link FastEmbedModelFactory} with the {@link HubOptions} below.
 */
@AutoConfiguration
@ConditionalOnClass(TextEmbedding.class)
@ConditionalOnBooleanProperty(name = "fastembed.enabled", matchIfMissing = true)
@EnableConfigurationProperties(FastEmbedProperties.class)
@Import(FastEmbedModelRegistrar.class)
public final class FastEmbedAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    HubOptions fastembedHubOptions(FastEmbedProperties properties) {
        FastEmbedProperties.HuggingFace hf = properties.getHuggingFace();
        HubOptions.Builder builder = HubOptions.builder()
                .connectTimeout(positive(hf.getConnectTimeout(), "fastembed.hugging-face.connect-timeout"))
                .readTimeout(positive(hf.getReadTimeout(), "fastembed.hugging-face.read-timeout"))
                .stallTimeout(positive(hf.getStallTimeout(), "fastembed.hugging-face.stall-timeout"))
                .downloadTimeout(positive(hf.getDownloadTimeout(), "fastembed.hugging-face.download-timeout"));
        if (hf.getMaxDownloadSize() == null || hf.getMaxDownloadSize().toBytes() <= 0) {
            throw new InvalidConfigurationPropertyValueException("fastembed.hugging-face.max-download-size",
                    hf.getMaxDownloadSize(), "Must be positive");
        }
        builder.maxDownloadSize(hf.getMaxDownloadSize().toBytes());
        if (hf.getRetries() < 0) {
            throw new InvalidConfigurationPropertyValueException("fastembed.hugging-face.retries", hf.getRetries(),
                    "Must be zero or more");
        }
        builder.retries(hf.getRetries());
        if (properties.getCacheDir() != null) {
            builder.cacheDir(properties.getCacheDir());
        }
        if (properties.getOffline() != null) {
            builder.offline(properties.getOffline());
        }
        if (ModelDefinitions.hasText(hf.getToken())) {
            builder.token(hf.getToken().strip());
        }
        if (ModelDefinitions.hasText(hf.getEndpoint())) {
            builder.endpoint(hf.getEndpoint());
        }
        try {
            return builder.build();
        } catch (FastEmbedException e) {
            // The value is shown redacted: it may carry user:password@.
            throw new InvalidConfigurationPropertyValueException("fastembed.hugging-face.endpoint",
                    HubOptions.redact(hf.getEndpoint()), e.getMessage(), e);
        }
    }

    @Bean
    @ConditionalOnMissingBean
    FastEmbedModelFactory fastembedModelFactory(HubOptions hubOptions, FastEmbedProperties properties,
                                                ResourceLoader resourceLoader) {
        return new FastEmbedModelFactory(hubOptions, properties.getThreads(), resourceLoader.getClassLoader(),
                properties.isOptimizedGraphCache() ? hubOptions.cacheDir().resolve("optimized-graphs") : null);
    }

    private static Duration positive(Duration value, String property) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new InvalidConfigurationPropertyValueException(property, value, "Must be a positive duration, e.g. 10s");
        }
        return value;
    }
}
