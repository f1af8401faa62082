package dev.fastembed.sample.index;

import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An {@link EmbeddingModel} that answers {@link #embed(Document)} from vectors computed beforehand, and passes
 * everything else to the real model. {@code SimpleVectorStore} embeds the documents it adds one call each;
 * {@link PersistentVectorStore} embeds them in batches first and offers the vectors here.
 */
final class PrecomputedEmbeddings implements EmbeddingModel {

    private final EmbeddingModel model;
    private final Map<Document, float[]> ready = new IdentityHashMap<>();

    PrecomputedEmbeddings(EmbeddingModel model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    EmbeddingModel model() {
        return model;
    }

    synchronized void offer(List<Document> documents, List<float[]> vectors) {
        if (documents.size() != vectors.size()) {
            throw new IllegalStateException(documents.size() + " documents but " + vectors.size() + " vectors");
        }
        for (int i = 0; i < documents.size(); i++) {
            ready.put(documents.get(i), vectors.get(i));
        }
    }

    synchronized void withdraw(List<Document> documents) {
        documents.forEach(ready::remove);
    }

    @Override
    public float[] embed(Document document) {
        float[] vector;
        synchronized (this) {
            vector = ready.remove(document);
        }
        return vector != null ? vector : model.embed(document);
    }

    @Override
    public EmbeddingResponse call(EmbeddingRequest request) {
        return model.call(request);
    }

    @Override
    public float[] embed(String text) {
        return model.embed(text);
    }

    @Override
    public String getEmbeddingContent(Document document) {
        return model.getEmbeddingContent(document);
    }

    @Override
    public int dimensions() {
        return model.dimensions();
    }
}
