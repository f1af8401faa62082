package dev.fastembed.bench;

import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.List;

/**
 * The Spring AI {@link EmbeddingModel} bean of this project's starter, in a Spring Boot application configured
 * as a user would: one model from a folder, a pool of one.
 */
final class StarterContender implements Contender {

    private final ConfigurableApplicationContext context;
    private final EmbeddingModel model;

    StarterContender(ModelDir dir) {
        this.context = new SpringApplicationBuilder(Application.class)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .properties(
                        "spring.main.banner-mode=off",
                        "fastembed.models.bge.directory=" + dir.model().getParent(),
                        "fastembed.models.bge.pooling=cls",
                        "fastembed.spring-ai.metadata-mode=none")
                .run();
        this.model = context.getBean(EmbeddingModel.class);
    }

    @Override
    public float[][] embedAll(List<String> texts) {
        return SpringAiBulk.embed(model, texts);
    }

    @Override
    public float[] embedOne(String text) {
        return model.embed(text);
    }

    @Override
    public void close() {
        context.close();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {
    }
}
