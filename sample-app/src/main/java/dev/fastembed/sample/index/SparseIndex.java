package dev.fastembed.sample.index;

import dev.fastembed.SparseEmbedding;
import dev.fastembed.spring.SparseTextEmbeddingPool;
import org.springframework.ai.document.Document;
import org.springframework.ai.document.MetadataMode;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The chunks' sparse vectors (e.g. BM25 term weights) by chunk id, kept in {@code sparse-index.json} next to
 * the vector store, and their scoring against a query. BM25 models leave the inverse document frequency to
 * the store (fastembed relies on Qdrant's {@code idf} modifier), so it is applied here, with the same
 * formula: {@code idf = ln(1 + (N - df + 0.5) / (df + 0.5))} over the N chunks of the index.
 */
public class SparseIndex {

    public static final String FILE = "sparse-index.json";

    /** One stored vector. */
    record Entry(String id, int[] indices, float[] values) {
    }

    private static final TypeReference<List<Entry>> ENTRY_LIST = new TypeReference<>() {
    };

    private final SparseTextEmbeddingPool model;
    private final JsonMapper json;
    private final Path file;
    private final Map<String, SparseEmbedding> vectors = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> documentFrequency = new ConcurrentHashMap<>();

    public SparseIndex(SparseTextEmbeddingPool model, JsonMapper json, Path indexDir) {
        this.model = Objects.requireNonNull(model, "model");
        this.json = json;
        this.file = indexDir.toAbsolutePath().resolve(FILE);
        if (Files.isRegularFile(file)) {
            for (Entry entry : json.readValue(file.toFile(), ENTRY_LIST)) {
                put(entry.id(), new SparseEmbedding(entry.indices(), entry.values()));
            }
        }
    }

    /** The sparse model's name, e.g. {@code keywords}. */
    public String modelName() {
        return model.name();
    }

    public boolean contains(String chunkId) {
        return vectors.containsKey(chunkId);
    }

    public int size() {
        return vectors.size();
    }

    /** Embeds the chunks as documents (title and text, as the dense model sees them) and stores them. */
    public void add(List<Document> chunks) {
        if (chunks.isEmpty()) {
            return;
        }
        List<String> texts = chunks.stream().map(chunk -> chunk.getFormattedContent(MetadataMode.EMBED)).toList();
        List<SparseEmbedding> embedded = model.embed(texts);
        for (int i = 0; i < chunks.size(); i++) {
            put(chunks.get(i).getId(), embedded.get(i));
        }
    }

    public void remove(Collection<String> chunkIds) {
        for (String id : chunkIds) {
            SparseEmbedding removed = vectors.remove(id);
            if (removed != null) {
                for (int term : removed.indices()) {
                    documentFrequency.computeIfPresent(term, (t, df) -> df > 1 ? df - 1 : null);
                }
            }
        }
    }

    /** Every chunk that shares a term with the query, with its BM25-style score (higher is better). */
    public Map<String, Double> scores(String query) {
        SparseEmbedding q = model.queryEmbed(query);
        int n = vectors.size();
        Map<Integer, Double> weights = new HashMap<>();
        for (int i = 0; i < q.indices().length; i++) {
            int df = documentFrequency.getOrDefault(q.indices()[i], 0);
            if (df > 0) {
                weights.put(q.indices()[i], q.values()[i] * idf(n, df));
            }
        }
        Map<String, Double> scores = new HashMap<>();
        if (weights.isEmpty()) {
            return scores;
        }
        vectors.forEach((id, vector) -> {
            double score = 0;
            for (int i = 0; i < vector.indices().length; i++) {
                Double weight = weights.get(vector.indices()[i]);
                if (weight != null) {
                    score += weight * vector.values()[i];
                }
            }
            if (score > 0) {
                scores.put(id, score);
            }
        });
        return scores;
    }

    /** Inverse document frequency as Qdrant's idf modifier computes it. */
    static double idf(int chunks, int documentFrequency) {
        return Math.log(1 + (chunks - documentFrequency + 0.5) / (documentFrequency + 0.5));
    }

    /** Writes all vectors, replacing the file in one step. */
    public void persist() {
        List<Entry> entries = new ArrayList<>(vectors.size());
        vectors.forEach((id, vector) -> entries.add(new Entry(id, vector.indices(), vector.values())));
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(FILE + ".tmp");
            json.writeValue(temporary.toFile(), entries);
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
    }

    private void put(String id, SparseEmbedding vector) {
        SparseEmbedding previous = vectors.put(id, vector);
        if (previous != null) {
            for (int term : previous.indices()) {
                documentFrequency.computeIfPresent(term, (t, df) -> df > 1 ? df - 1 : null);
            }
        }
        for (int term : vector.indices()) {
            documentFrequency.merge(term, 1, Integer::sum);
        }
    }
}
