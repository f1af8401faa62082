package dev.fastembed.bench;

import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.TokenCountBatchingStrategy;

import java.util.List;

/**
 * The bulk path of a Spring AI {@link EmbeddingModel} as vector stores use it on {@code add(documents)}:
 * documents cut into requests by the default {@link TokenCountBatchingStrategy}, one {@code call} per request.
 */
final class SpringAiBulk {

    private SpringAiBulk() {
    }

    static float[][] embed(EmbeddingModel model, List<String> texts) {
        List<Document> documents = texts.stream().map(Document::new).toList();
        List<float[]> vectors = model.embed(documents, EmbeddingOptions.builder().build(), new TokenCountBatchingStrategy());
        return vectors.toArray(float[][]::new);
    }
}
