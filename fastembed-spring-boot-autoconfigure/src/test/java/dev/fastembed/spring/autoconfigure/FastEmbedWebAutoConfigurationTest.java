package dev.fastembed.spring.autoconfigure;

import dev.fastembed.spring.ModelPoolExhaustedException;
import dev.fastembed.spring.ModelUnavailableException;
import dev.fastembed.spring.web.FastEmbedProblemDetailsHandler;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.config.EnableWebFlux;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The opt-in problem details handler: 503 (+ Retry-After) for the models' exceptions, servlet and reactive. */
class FastEmbedWebAutoConfigurationTest {

    private static final String ENABLED = "fastembed.web.problem-details.enabled=true";

    private final WebApplicationContextRunner servlet = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FastEmbedAutoConfiguration.class,
                    FastEmbedWebAutoConfiguration.class))
            .withUserConfiguration(ServletApp.class);

    private final ReactiveWebApplicationContextRunner reactive = new ReactiveWebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FastEmbedAutoConfiguration.class,
                    FastEmbedWebAutoConfiguration.class))
            .withUserConfiguration(ReactiveApp.class);

    @Test
    void offUnlessEnabled() {
        servlet.run(context -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(FastEmbedProblemDetailsHandler.class));
    }

    @Test
    void notInAnApplicationWithoutWeb() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FastEmbedAutoConfiguration.class,
                        FastEmbedWebAutoConfiguration.class))
                .withPropertyValues(ENABLED)
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(FastEmbedProblemDetailsHandler.class));
    }

    @Test
    void anApplicationHandlerReplacesIt() {
        FastEmbedProblemDetailsHandler own = new FastEmbedProblemDetailsHandler();
        servlet.withPropertyValues(ENABLED).withBean("own", FastEmbedProblemDetailsHandler.class, () -> own)
                .run(context -> assertThat(context.getBean(FastEmbedProblemDetailsHandler.class)).isSameAs(own));
    }

    @Test
    void servletPoolExhaustionIs503WithRetryAfter() {
        servlet.withPropertyValues(ENABLED).run(context -> {
            MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
            mvc.perform(get("/busy"))
                    .andExpect(status().isServiceUnavailable())
                    .andExpect(header().string("Retry-After", "2"))
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.title").value("Model overloaded"))
                    .andExpect(jsonPath("$.model").value("docs"))
                    .andExpect(jsonPath("$.instance").value("/busy"));
        });
    }

    @Test
    void servletModelDownIs503() {
        servlet.withPropertyValues(ENABLED).run(context -> {
            MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
            mvc.perform(get("/down"))
                    .andExpect(status().isServiceUnavailable())
                    .andExpect(header().doesNotExist("Retry-After"))
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.title").value("Model unavailable"))
                    .andExpect(jsonPath("$.model").value("docs"));
        });
    }

    @Test
    void reactivePoolExhaustionIs503WithRetryAfter() {
        reactive.withPropertyValues(ENABLED).run(context -> {
            WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
            client.get().uri("/busy").exchange()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().valueEquals("Retry-After", "2")
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.title").isEqualTo("Model overloaded")
                    .jsonPath("$.model").isEqualTo("docs");
        });
    }

    @Test
    void reactiveModelDownIs503() {
        reactive.withPropertyValues(ENABLED).run(context -> {
            WebTestClient client = WebTestClient.bindToApplicationContext(context).build();
            client.get().uri("/down").exchange()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().doesNotExist("Retry-After")
                    .expectBody().jsonPath("$.title").isEqualTo("Model unavailable");
        });
    }

    @RestController
    static class FailingController {

        @GetMapping("/busy")
        String busy() {
            throw new ModelPoolExhaustedException("docs", 2, Duration.ofMillis(1500));
        }

        @GetMapping("/down")
        String down() {
            throw new ModelUnavailableException("docs", "Model 'docs' failed to load: no such file", null);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableWebMvc
    @Import(FailingController.class)
    static class ServletApp {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableWebFlux
    @Import(FailingController.class)
    static class ReactiveApp {
    }
}
