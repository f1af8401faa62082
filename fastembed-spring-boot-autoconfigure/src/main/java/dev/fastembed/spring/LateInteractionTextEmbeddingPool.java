package dev.fastembed.spring;

import dev.fastembed.LateInteractionTextEmbedding;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A late interaction (ColBERT) model as a bean: one vector per token for documents and queries, each call
 * run on the one loaded model under a permit of its {@link ModelPool}. Score with
 * {@link LateInteractionTextEmbedding#maxSim(float[][], float[][])}. Inject it by type or with
 * {@code @Qualifier("<name>")}; calls may throw the pool's exceptions (see {@link TextEmbeddingPool}).
 */
public final class LateInteractionTextEmbeddingPool implements PooledModel {

    private final ModelPool<LateInteractionTextEmbedding> pool;
    private final int knownDimension;

    /**
     * @param pool           the pool over the model
     * @param knownDimension the per-token vector length if known before loading (the catalogue's), else 0
     */
    public LateInteractionTextEmbeddingPool(ModelPool<LateInteractionTextEmbedding> pool, int knownDimension) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.knownDimension = knownDimension;
    }

    @Override
    public ModelPool<LateInteractionTextEmbedding> pool() {
        return pool;
    }

    /** The length of each token vector. */
    @Override
    public OptionalInt dimension() {
        return pool.loadedModel()
                .map(model -> OptionalInt.of(model.dimension()))
                .orElse(knownDimension > 0 ? OptionalInt.of(knownDimension) : OptionalInt.empty());
    }

    /** The token vectors of one document. */
    public float[][] embed(String document) {
        return embed(Collections.singletonList(document)).getFirst();
    }

    /** The token vectors of each document, in input order. */
    public List<float[][]> embed(List<String> documents) {
        return pool.call("embed", documents == null ? 0 : documents.size(), model -> model.embed(documents),
                vectors -> -1);
    }

    /** The token vectors of one query (padded to ColBERT's query length). */
    public float[][] queryEmbed(String query) {
        return queryEmbed(Collections.singletonList(query)).getFirst();
    }

    /** The token vectors of each query, in input order. */
    public List<float[][]> queryEmbed(List<String> queries) {
        return pool.call("query", queries == null ? 0 : queries.size(), model -> model.queryEmbed(queries),
                vectors -> -1);
    }

    @Override
    public void probe() {
        pool.call(PROBE, 1, model -> model.queryEmbed("fastembed health probe"), vectors -> -1, Duration.ZERO);
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "LateInteractionTextEmbeddingPool[" + pool + "]";
    }
}
