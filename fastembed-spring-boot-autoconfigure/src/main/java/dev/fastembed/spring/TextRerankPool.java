package dev.fastembed.spring;

import dev.fastembed.RerankResult;
import dev.fastembed.TextRerank;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A reranker (cross-encoder) as a bean: the methods of {@link TextRerank}, each run on the one loaded model
 * under a permit of its {@link ModelPool}. Inject it by type or with {@code @Qualifier("<name>")}; calls may
 * throw the pool's exceptions (see {@link TextEmbeddingPool}).
 */
public final class TextRerankPool implements PooledModel {

    private final ModelPool<TextRerank> pool;

    public TextRerankPool(ModelPool<TextRerank> pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    @Override
    public ModelPool<TextRerank> pool() {
        return pool;
    }

    /** A reranker returns scores, not vectors. */
    @Override
    public OptionalInt dimension() {
        return OptionalInt.empty();
    }

    /** The score of each document for {@code query}, in the order of {@code documents}. */
    public float[] score(String query, List<String> documents) {
        return pool.call("rerank", documents == null ? 0 : documents.size(),
                model -> model.score(query, documents), scores -> -1);
    }

    /** All documents, best first (ties in input order). */
    public List<RerankResult> rerank(String query, List<String> documents) {
        return pool.call("rerank", documents == null ? 0 : documents.size(),
                model -> model.rerank(query, documents), results -> -1);
    }

    /** The {@code topK} best documents, best first (ties in input order). */
    public List<RerankResult> rerank(String query, List<String> documents, int topK) {
        return pool.call("rerank", documents == null ? 0 : documents.size(),
                model -> model.rerank(query, documents, topK), results -> -1);
    }

    @Override
    public void probe() {
        pool.call(PROBE, 1, model -> model.score("fastembed health probe", List.of("health probe")),
                scores -> -1, Duration.ZERO);
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "TextRerankPool[" + pool + "]";
    }
}
