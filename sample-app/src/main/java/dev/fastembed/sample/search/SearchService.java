package dev.fastembed.sample.search;

import dev.fastembed.sample.index.DocumentIndex;
import dev.fastembed.sample.index.DocumentSplitter;
import org.springframework.ai.document.Document;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Dense search over the index. */
public class SearchService {

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

    /** The k chunks closest to the query, best first. */
    public SearchResult search(String query, int k) {
        long start = System.nanoTime();
        List<Document> found = index.search(query, k);
        List<SearchHit> hits = new ArrayList<>(found.size());
        for (Document document : found) {
            double dense = document.getScore() == null ? 0 : document.getScore();
            hits.add(hit(hits.size() + 1, dense, dense, null, null, document));
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
