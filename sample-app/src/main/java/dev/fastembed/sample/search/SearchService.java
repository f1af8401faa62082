package dev.fastembed.sample.search;

import dev.fastembed.sample.index.DocumentIndex;
import dev.fastembed.sample.index.DocumentSplitter;
import org.springframework.ai.document.Document;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Search over the index. Results are documents, not chunks: each document appears once, with its best chunk.
 */
public class SearchService {

    /** Chunks fetched per wanted result, so that k distinct documents remain after dropping repeats. */
    private static final int CHUNKS_PER_RESULT = 5;
    private static final int MAX_CANDIDATES = 200;

    private final DocumentIndex index;
    private final String modelName;

    public SearchService(DocumentIndex index, String modelName) {
        this.index = Objects.requireNonNull(index, "index");
        this.modelName = modelName;
    }

    public String modelName() {
        return modelName;
    }

    /** Whether a reranker is configured. */
    public boolean canRerank() {
        return false;
    }

    /** Whether a sparse model is configured. */
    public boolean canHybrid() {
        return false;
    }

    /** The k documents closest to the query, best first. */
    public SearchResult search(String query, int k) {
        long start = System.nanoTime();
        List<Document> found = index.search(query, Math.min(k * CHUNKS_PER_RESULT, MAX_CANDIDATES));
        List<SearchHit> hits = new ArrayList<>(k);
        Set<String> seen = new HashSet<>();
        for (Document chunk : found) {
            if (hits.size() == k) {
                break;
            }
            if (seen.add(metadata(chunk, DocumentSplitter.SOURCE))) {
                double dense = chunk.getScore() == null ? 0 : chunk.getScore();
                hits.add(hit(hits.size() + 1, dense, dense, null, null, chunk));
            }
        }
        return new SearchResult(query, "dense", modelName, (System.nanoTime() - start) / 1_000_000, hits);
    }

    static SearchHit hit(int rank, double score, double dense, Double rerank, Double sparse, Document document) {
        return new SearchHit(rank, score, dense, rerank, sparse,
                metadata(document, DocumentSplitter.SOURCE), metadata(document, DocumentSplitter.TITLE),
                metadata(document, DocumentSplitter.SECTION), document.getText());
    }

    private static String metadata(Document document, String key) {
        Object value = document.getMetadata().get(key);
        return value == null ? "" : value.toString();
    }
}
