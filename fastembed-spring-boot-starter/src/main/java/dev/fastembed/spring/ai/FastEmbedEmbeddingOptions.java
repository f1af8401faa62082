package dev.fastembed.spring.ai;

import org.springframework.ai.embedding.EmbeddingOptions;

/**
 * Spring AI embedding options with fastembed's one addition: the {@code task} of a task-adapter model
 * (jinaai/jina-embeddings-v3: {@code retrieval.query}, {@code retrieval.passage}, {@code separation},
 * {@code classification}, {@code text-matching}), which {@link FastEmbedEmbeddingModel#call} passes to the model.
 *
 * <pre>{@code
 * embeddingModel.call(new EmbeddingRequest(texts, FastEmbedEmbeddingOptions.builder().task("classification").build()));
 * }</pre>
 *
 * @param model      the model name, or null for the model of the {@code EmbeddingModel}
 * @param dimensions the vector length, or null for the model's
 * @param task       the task adapter, or null for the model's default task (and for models without adapters)
 */
public record FastEmbedEmbeddingOptions(String model, Integer dimensions, String task) implements EmbeddingOptions {

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String getModel() {
        return model;
    }

    @Override
    public Integer getDimensions() {
        return dimensions;
    }

    public String getTask() {
        return task;
    }

    /** Builds {@link FastEmbedEmbeddingOptions}; every value is optional. */
    public static final class Builder implements EmbeddingOptions.Builder {
        private String model;
        private Integer dimensions;
        private String task;

        @Override
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        @Override
        public Builder dimensions(Integer dimensions) {
            this.dimensions = dimensions;
            return this;
        }

        public Builder task(String task) {
            this.task = task;
            return this;
        }

        @Override
        public FastEmbedEmbeddingOptions build() {
            return new FastEmbedEmbeddingOptions(model, dimensions, task);
        }
    }
}
