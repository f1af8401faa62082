package dev.fastembed.spring;

import dev.fastembed.SparseEmbedding;
import dev.fastembed.SparseTextEmbedding;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A sparse text model (SPLADE, BM25, BM42) as a bean: the methods of {@link SparseTextEmbedding}, each run
 * on the one loaded model under a permit of its {@link ModelPool}. Documents and queries are embedded
 * differently where fastembed does, so use {@link #embed} for what you store and {@link #queryEmbed} for what
 * you search with. Inject it by type or with {@code @Qualifier("<name>")}; calls may throw the pool's
 * exceptions (see {@link TextEmbeddingPool}).
 */
public final class SparseTextEmbeddingPool implements PooledModel {

    private final ModelPool<SparseTextEmbedding> pool;

    public SparseTextEmbeddingPool(ModelPool<SparseTextEmbedding> pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    @Override
    public ModelPool<SparseTextEmbedding> pool() {
        return pool;
    }

    /** Sparse vectors have no fixed length. */
    @Override
    public OptionalInt dimension() {
        return OptionalInt.empty();
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
        return pool.call("embed", documents == null ? 0 : documents.size(), model -> model.embed(documents),
                vectors -> -1);
    }

    /** Embeds one search query. */
    public SparseEmbedding queryEmbed(String query) {
        return queryEmbed(Collections.singletonList(query)).getFirst();
    }

    /** Embeds search queries, one vector per query in input order. */
    public List<SparseEmbedding> queryEmbed(List<String> queries) {
        return pool.call("query", queries == null ? 0 : queries.size(), model -> model.queryEmbed(queries),
                vectors -> -1);
    }

    @Override
    public void probe() {
        pool.call(PROBE, 1, model -> model.queryEmbed("fastembed health probe"), vector -> -1, Duration.ZERO);
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "SparseTextEmbeddingPool[" + pool + "]";
    }
}
