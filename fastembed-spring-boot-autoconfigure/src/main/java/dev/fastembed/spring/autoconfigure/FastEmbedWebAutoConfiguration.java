package dev.fastembed.spring.autoconfigure;

import dev.fastembed.spring.SharedModel;
import dev.fastembed.spring.web.FastEmbedProblemDetailsHandler;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.ProblemDetail;

/**
 * Opt-in ({@code fastembed.web.problem-details.enabled=true}): the {@link FastEmbedProblemDetailsHandler} in a
 * servlet or reactive web application, so an overloaded or unavailable model is a 503 problem detail instead of a
 * 500 with a stack trace.
 */
@AutoConfiguration(after = FastEmbedAutoConfiguration.class)
@ConditionalOnClass({SharedModel.class, ProblemDetail.class})
@ConditionalOnWebApplication
@ConditionalOnBooleanProperty(name = "fastembed.web.problem-details.enabled")
public final class FastEmbedWebAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    FastEmbedProblemDetailsHandler fastembedProblemDetailsHandler() {
        return new FastEmbedProblemDetailsHandler();
    }
}
