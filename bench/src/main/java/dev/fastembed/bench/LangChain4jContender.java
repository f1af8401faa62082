package dev.fastembed.bench;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15.BgeSmallEnV15EmbeddingModel;

import java.util.List;

/** LangChain4j's in-process model as its users create it: the model inside its jar, its default executor. */
final class LangChain4jContender implements Contender {

    private final BgeSmallEnV15EmbeddingModel model = new BgeSmallEnV15EmbeddingModel();

    @Override
    public float[][] embedAll(List<String> texts) {
        List<Embedding> embeddings = model.embedAll(texts.stream().map(TextSegment::from).toList()).content();
        return embeddings.stream().map(Embedding::vector).toArray(float[][]::new);
    }

    @Override
    public float[] embedOne(String text) {
        return model.embed(text).content().vector();
    }
}
