package dev.fastembed.sample.web;

import dev.fastembed.sample.SampleProperties;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** {@code POST /api/embed}: texts in, one vector per text out, from the primary text model. */
@RestController
@RequestMapping("/api")
class EmbedController {

    /** @param texts the texts to embed, as they are (no query or passage prefix) */
    record EmbedRequest(List<String> texts) {
    }

    /**
     * @param model      the model that embedded them
     * @param dimensions the vector length
     * @param tokens     tokens the model read
     * @param embeddings one vector per text, in request order
     */
    record EmbedResponse(String model, int dimensions, long tokens, List<float[]> embeddings) {
    }

    private final EmbeddingModel embeddingModel;
    private final SampleProperties.Limits limits;

    EmbedController(EmbeddingModel embeddingModel, SampleProperties properties) {
        this.embeddingModel = embeddingModel;
        this.limits = properties.limits();
    }

    @PostMapping("/embed")
    EmbedResponse embed(@RequestBody EmbedRequest request) {
        List<String> texts = request.texts();
        if (texts == null || texts.isEmpty()) {
            throw new InvalidRequestException("texts", "Give at least one text: {\"texts\": [\"...\"]}");
        }
        if (texts.size() > limits.maxEmbedTexts()) {
            throw new InvalidRequestException("texts", texts.size() + " texts in one request; at most "
                    + limits.maxEmbedTexts() + " are allowed");
        }
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text == null || text.isBlank()) {
                throw new InvalidRequestException("texts[" + i + "]", "texts[" + i + "] is empty");
            }
            if (text.length() > limits.maxTextChars()) {
                throw new InvalidRequestException("texts[" + i + "]", "texts[" + i + "] has " + text.length()
                        + " characters; at most " + limits.maxTextChars() + " are allowed");
            }
        }
        EmbeddingResponse response = embeddingModel.call(new EmbeddingRequest(texts, null));
        List<float[]> vectors = response.getResults().stream().map(Embedding::getOutput).toList();
        return new EmbedResponse(response.getMetadata().getModel(), vectors.getFirst().length,
                response.getMetadata().getUsage().getTotalTokens(), vectors);
    }
}
