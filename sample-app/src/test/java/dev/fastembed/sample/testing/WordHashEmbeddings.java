package dev.fastembed.sample.testing;

import dev.fastembed.SparseEmbedding;
import dev.fastembed.sample.index.LuceneVectorStore;
import org.springframework.ai.document.Document;
import org.springframework.ai.document.MetadataMode;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * A stand-in for the models where the model is not what a test is about (a store killed mid-write): dense
 * vectors of hashed words (unit length) and sparse vectors of word counts. Deterministic and instant, so a
 * child JVM starts in about a second.
 */
public final class WordHashEmbeddings implements EmbeddingModel, LuceneVectorStore.SparseEncoder {

    public static final int DIMENSIONS = 64;

    @Override
    public EmbeddingResponse call(EmbeddingRequest request) {
        List<Embedding> embeddings = new ArrayList<>();
        for (int i = 0; i < request.getInstructions().size(); i++) {
            embeddings.add(new Embedding(dense(request.getInstructions().get(i)), i));
        }
        return new EmbeddingResponse(embeddings);
    }

    @Override
    public float[] embed(Document document) {
        return dense(document.getFormattedContent(MetadataMode.EMBED));
    }

    @Override
    public int dimensions() {
        return DIMENSIONS;
    }

    @Override
    public List<SparseEmbedding> embedDocuments(List<String> texts) {
        return texts.stream().map(WordHashEmbeddings::sparse).toList();
    }

    @Override
    public SparseEmbedding embedQuery(String query) {
        return sparse(query);
    }

    static float[] dense(String text) {
        float[] vector = new float[DIMENSIONS];
        for (String word : words(text)) {
            vector[Math.floorMod(word.hashCode(), DIMENSIONS)] += 1;
        }
        double norm = 0;
        for (float v : vector) {
            norm += v * v;
        }
        if (norm == 0) {
            vector[0] = 1;
            return vector;
        }
        for (int i = 0; i < vector.length; i++) {
            vector[i] = (float) (vector[i] / Math.sqrt(norm));
        }
        return vector;
    }

    static SparseEmbedding sparse(String text) {
        TreeMap<Integer, Float> counts = new TreeMap<>();
        for (String word : words(text)) {
            counts.merge(word.hashCode() & 0x7fffffff, 1f, Float::sum);
        }
        int[] indices = counts.keySet().stream().mapToInt(Integer::intValue).toArray();
        float[] values = new float[indices.length];
        int i = 0;
        for (float value : counts.values()) {
            values[i++] = value;
        }
        return new SparseEmbedding(indices, values);
    }

    private static String[] words(String text) {
        String lower = text.toLowerCase(Locale.ROOT).strip();
        return lower.isEmpty() ? new String[0] : lower.split("[^a-z0-9]+");
    }
}
