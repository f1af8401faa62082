package dev.fastembed.sample.search;

import dev.fastembed.sample.index.DocumentIndex;
import dev.fastembed.sample.index.DocumentSplitter;
import org.springframework.ai.document.Document;
import org.springframework.ai.rag.Query;
import org.springframework.ai.rag.postretrieval.document.DocumentPostProcessor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Search over the index: dense (cosine similarity of the query and chunk vectors), optionally hybrid (dense
 * and sparse rankings fused) and optionally reranked by a cross-encoder. Results are documents, not chunks:
 * each document appears once, with its best chunk.
 */
public class SearchService {

    /** Chunks fetched per wanted result, so that k distinct documents remain after dropping repeats. */
    private static final int CHUNKS_PER_RESULT = 5;
    private static final int MAX_CANDIDATES = 200;
    /** The usual constant of reciprocal rank fusion: damps the difference between the very first ranks. */
    static final int RRF_K = 60;
    /** How deep the dense and the keyword ranking go for fusion. */
    static final int FUSION_DEPTH = 1000;

    private final DocumentIndex index;
    private final String modelName;
    private final DocumentPostProcessor reranker;
    private final int rerankCandidates;

    /**
     * @param index            the documents
     * @param modelName        the dense model, for responses
     * @param reranker         re-orders candidates (Spring AI's post-processor over a cross-encoder), or null
     * @param rerankCandidates how many chunks the reranker sees
     */
    public SearchService(DocumentIndex index, String modelName, DocumentPostProcessor reranker, int rerankCandidates) {
        this.index = Objects.requireNonNull(index, "index");
        this.modelName = modelName;
        this.reranker = reranker;
        this.rerankCandidates = rerankCandidates;
    }

    public String modelName() {
        return modelName;
    }

    /** Whether a reranker is configured. */
    public boolean canRerank() {
        return reranker != null;
    }

    /** Whether a sparse model is configured. */
    public boolean canHybrid() {
        return index.hasKeywords();
    }

    /** The k documents that best answer the query, best first. */
    public SearchResult search(String query, int k) {
        return search(query, k, false, false);
    }

    /**
     * The k documents that best answer the query, best first.
     *
     * @param rerank re-order the candidates with the reranker ({@link #canRerank()} must hold)
     * @param hybrid fuse the dense ranking with the sparse one ({@link #canHybrid()} must hold)
     */
    public SearchResult search(String query, int k, boolean rerank, boolean hybrid) {
        if (rerank && !canRerank()) {
            throw new IllegalStateException("No reranker is configured");
        }
        if (hybrid && !canHybrid()) {
            throw new IllegalStateException("No sparse model is configured");
        }
        long start = System.nanoTime();
        int wanted = Math.min(MAX_CANDIDATES, Math.max(k * CHUNKS_PER_RESULT, rerank ? rerankCandidates : 0));
        Scores scores = new Scores();
        List<Document> candidates = hybrid ? hybrid(query, wanted, scores) : dense(query, wanted, scores);
        if (rerank) {
            candidates = reranker.process(new Query(query), candidates);
            candidates.forEach(chunk -> scores.rerank.put(chunk.getId(), chunk.getScore()));
        }
        List<SearchHit> hits = new ArrayList<>(k);
        Set<String> seen = new HashSet<>();
        for (Document chunk : candidates) {
            if (hits.size() == k) {
                break;
            }
            if (seen.add(metadata(chunk, DocumentSplitter.SOURCE))) {
                hits.add(hit(hits.size() + 1, chunk, scores));
            }
        }
        String mode = (hybrid ? "hybrid" : "dense") + (rerank ? "+rerank" : "");
        return new SearchResult(query, mode, modelName, (System.nanoTime() - start) / 1_000_000, hits);
    }

    /** The per-chunk scores a search computed. */
    private static final class Scores {
        final Map<String, Double> dense = new HashMap<>();
        final Map<String, Double> sparse = new HashMap<>();
        final Map<String, Double> fused = new HashMap<>();
        final Map<String, Double> rerank = new HashMap<>();
    }

    private List<Document> dense(String query, int wanted, Scores scores) {
        List<Document> found = index.search(query, wanted);
        found.forEach(chunk -> scores.dense.put(chunk.getId(), score(chunk)));
        return found;
    }

    /**
     * Reciprocal rank fusion of the dense and the sparse ranking over every chunk: each ranking adds
     * {@code 1 / (60 + rank)}. Ranks, not scores, are fused because cosine similarities and BM25 sums have
     * unrelated scales. Both rankings go {@value #FUSION_DEPTH} chunks deep (all of them in the bundled corpus).
     */
    private List<Document> hybrid(String query, int wanted, Scores scores) {
        int depth = Math.max(1, Math.min(FUSION_DEPTH, index.chunkCount()));
        List<Document> all = new ArrayList<>(index.search(query, depth));
        Map<String, Double> sparse = new HashMap<>();
        Map<String, Integer> sparseRank = new HashMap<>();
        Set<String> denseIds = new HashSet<>();
        all.forEach(chunk -> denseIds.add(chunk.getId()));
        List<Document> keywordHits = index.store().keywordSearch(query, depth);
        for (int i = 0; i < keywordHits.size(); i++) {
            Document chunk = keywordHits.get(i);
            sparse.put(chunk.getId(), score(chunk));
            sparseRank.put(chunk.getId(), i + 1);
            if (denseIds.add(chunk.getId())) {
                all.add(chunk.mutate().score(null).build()); // beyond the dense depth: no dense score
            }
        }
        for (int i = 0; i < all.size(); i++) {
            Document chunk = all.get(i);
            scores.dense.put(chunk.getId(), score(chunk));
            Integer rank = sparseRank.get(chunk.getId());
            double dense = chunk.getScore() == null ? 0 : 1.0 / (RRF_K + i + 1);
            double fused = dense + (rank == null ? 0 : 1.0 / (RRF_K + rank));
            scores.fused.put(chunk.getId(), fused);
            if (rank != null) {
                scores.sparse.put(chunk.getId(), sparse.get(chunk.getId()));
            }
        }
        List<Document> ranked = new ArrayList<>(all);
        ranked.sort(Comparator.comparing((Document chunk) -> scores.fused.get(chunk.getId())).reversed());
        return ranked.subList(0, Math.min(wanted, ranked.size()));
    }

    private static SearchHit hit(int rank, Document chunk, Scores scores) {
        String id = chunk.getId();
        double dense = scores.dense.getOrDefault(id, 0.0);
        Double rerank = scores.rerank.get(id);
        Double fused = scores.fused.get(id);
        double score = rerank != null ? rerank : fused != null ? fused : dense;
        return new SearchHit(rank, score, dense, rerank, scores.fused.containsKey(id) ? scores.sparse.getOrDefault(id, 0.0)
                : null, metadata(chunk, DocumentSplitter.SOURCE), metadata(chunk, DocumentSplitter.TITLE),
                metadata(chunk, DocumentSplitter.SECTION), chunk.getText());
    }

    private static double score(Document chunk) {
        return chunk.getScore() == null ? 0 : chunk.getScore();
    }

    private static String metadata(Document document, String key) {
        Object value = document.getMetadata().get(key);
        return value == null ? "" : value.toString();
    }
}
