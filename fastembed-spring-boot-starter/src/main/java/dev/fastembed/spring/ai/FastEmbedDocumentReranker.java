package dev.fastembed.spring.ai;

import dev.fastembed.spring.TextRerankPool;
import org.springframework.ai.document.Document;
import org.springframework.ai.rag.Query;
import org.springframework.ai.rag.postretrieval.document.DocumentPostProcessor;
import org.springframework.util.Assert;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A fastembed reranker (cross-encoder) as Spring AI's {@link DocumentPostProcessor}: scores each retrieved
 * document's text against the query and returns the documents best first, each with the reranker's score as
 * its {@linkplain Document#getScore() score} and the retrieval score it had kept in the metadata under
 * {@value #RETRIEVAL_SCORE}. Optionally keeps only the {@code topK} best and drops those below
 * {@code minScore}.
 */
public class FastEmbedDocumentReranker implements DocumentPostProcessor {

    /** Metadata key of the score a document had before reranking (absent if it had none). */
    public static final String RETRIEVAL_SCORE = "retrieval_score";

    private final TextRerankPool model;
    private final Integer topK;
    private final Double minScore;

    /**
     * @param model    the pooled reranker
     * @param topK     documents kept at most, or null for all
     * @param minScore lowest score kept, or null to keep all
     */
    public FastEmbedDocumentReranker(TextRerankPool model, Integer topK, Double minScore) {
        this.model = Objects.requireNonNull(model, "model");
        if (topK != null && topK < 1) {
            throw new IllegalArgumentException("topK must be at least 1, got " + topK);
        }
        this.topK = topK;
        this.minScore = minScore;
    }

    /** The pooled reranker this post-processor runs on. */
    public TextRerankPool textRerankPool() {
        return model;
    }

    /** Documents kept at most, or null for all. */
    public Integer topK() {
        return topK;
    }

    /** Lowest score kept, or null to keep all. */
    public Double minScore() {
        return minScore;
    }

    @Override
    public List<Document> process(Query query, List<Document> documents) {
        Assert.notNull(query, "query must not be null");
        Assert.notNull(documents, "documents must not be null");
        if (documents.isEmpty()) {
            return List.of();
        }
        List<String> texts = new ArrayList<>(documents.size());
        for (int i = 0; i < documents.size(); i++) {
            Document document = documents.get(i);
            if (document == null || document.getText() == null) {
                throw new IllegalArgumentException("documents[" + i + "]" + (document == null ? " is null"
                        : " (id " + document.getId() + ") has no text to rerank"));
            }
            texts.add(document.getText());
        }
        return ranked(documents, model.score(query.text(), texts), topK, minScore);
    }

    /** The documents best first (ties in input order), with their scores, cut by top-k and minimum score. */
    static List<Document> ranked(List<Document> documents, float[] scores, Integer topK, Double minScore) {
        if (scores.length != documents.size()) {
            throw new IllegalStateException(scores.length + " scores for " + documents.size() + " documents");
        }
        List<Integer> order = new ArrayList<>(documents.size());
        for (int i = 0; i < scores.length; i++) {
            if (minScore == null || scores[i] >= minScore) {
                order.add(i);
            }
        }
        order.sort(Comparator.<Integer>comparingDouble(i -> scores[i]).reversed().thenComparing(i -> i));
        int keep = topK == null ? order.size() : Math.min(topK, order.size());
        List<Document> result = new ArrayList<>(keep);
        for (int i : order.subList(0, keep)) {
            Document document = documents.get(i);
            Map<String, Object> metadata = new LinkedHashMap<>(document.getMetadata());
            if (document.getScore() != null) {
                metadata.put(RETRIEVAL_SCORE, document.getScore());
            }
            result.add(document.mutate().metadata(metadata).score((double) scores[i]).build());
        }
        return result;
    }

    @Override
    public String toString() {
        return "FastEmbedDocumentReranker[" + model.name() + ", " + model.pool().source() + ", topK=" + topK
                + ", minScore=" + minScore + "]";
    }
}
