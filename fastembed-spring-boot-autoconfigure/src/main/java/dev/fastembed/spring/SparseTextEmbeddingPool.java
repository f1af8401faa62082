package dev.fastembed.spring;

import dev.fastembed.SparseEmbedding;
import dev.fastembed.SparseTextEmbedding;

import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A sparse text model (SPLADE, BM25, BM42) as a bean: the methods of {@link SparseTextEmbedding}, each run
 * on the one loaded model under a permit of its {@link SharedModel}. Documents and queries are embedded
 * differently where fastembed does, so use {@link #embed} for what you store and {@link #queryEmbed} for what
 * you search with. Single-text calls of concurrent callers may be merged into one engine call ({@link CallBatching}).
 * Inject it by type or with {@code @Qualifier("<name>")}; calls may throw the pool's
 * exceptions (see {@link TextEmbeddingPool}).
 */
public final class SparseTextEmbeddingPool extends AbstractPooledModel<SparseTextEmbedding> {

    private final CallMerger<String, SparseEmbedding> embedMerger;
    private final CallMerger<String, SparseEmbedding> queryMerger;

    /** Sparse vectors have no fixed length: {@link #dimension()} is empty. */
    public SparseTextEmbeddingPool(SharedModel<SparseTextEmbedding> pool) {
        this(pool, CallBatching.off());
    }

    /** @param batching whether single-text calls of concurrent callers are merged into one engine call */
    public SparseTextEmbeddingPool(SharedModel<SparseTextEmbedding> pool, CallBatching batching) {
        super(pool, 0, null, model -> model.queryEmbed("fastembed health probe"),
                Objects.requireNonNull(batching, "batching"));
        this.embedMerger = merger("embed", this::embedDirect);
        this.queryMerger = merger("query", this::queryDirect);
    }

    /** How the loaded model weighs terms, loading a lazy model if needed. */
    public SparseTextEmbedding.Algorithm algorithm() {
        return pool.load().algorithm();
    }

    /** Embeds one document. */
    public SparseEmbedding embed(String document) {
        return embed(Collections.singletonList(document)).getFirst();
    }

    /** Embeds documents, one vector per document in input order. */
    public List<SparseEmbedding> embed(List<String> documents) {
        return mergeable(embedMerger, documents) ? List.of(embedMerger.call(documents.getFirst()))
                : embedDirect(documents);
    }

    private List<SparseEmbedding> embedDirect(List<String> documents) {
        return call("embed", documents, model -> model.embed(documents));
    }

    /** Embeds one search query. */
    public SparseEmbedding queryEmbed(String query) {
        return queryEmbed(Collections.singletonList(query)).getFirst();
    }

    /** Embeds search queries, one vector per query in input order. */
    public List<SparseEmbedding> queryEmbed(List<String> queries) {
        return mergeable(queryMerger, queries) ? List.of(queryMerger.call(queries.getFirst())) : queryDirect(queries);
    }

    private List<SparseEmbedding> queryDirect(List<String> queries) {
        return call("query", queries, model -> model.queryEmbed(queries));
    }
}
