package dev.fastembed.spring;

import dev.fastembed.RerankResult;
import dev.fastembed.TextRerank;

import java.util.List;

/**
 * A reranker (cross-encoder) as a bean: the methods of {@link TextRerank}, each run on the one loaded model
 * under a permit of its {@link SharedModel}. Inject it by type or with {@code @Qualifier("<name>")}; calls may
 * throw the pool's exceptions (see {@link TextEmbeddingPool}).
 */
public final class TextRerankPool extends AbstractPooledModel<TextRerank> {

    public TextRerankPool(SharedModel<TextRerank> pool) {
        super(pool, 0, null, model -> model.score("fastembed health probe", List.of("health probe")));
    }

    /** The score of each document for {@code query}, in the order of {@code documents}. */
    public float[] score(String query, List<String> documents) {
        return call("rerank", documents, model -> model.score(query, documents));
    }

    /** All documents, best first (ties in input order). */
    public List<RerankResult> rerank(String query, List<String> documents) {
        return call("rerank", documents, model -> model.rerank(query, documents));
    }

    /** The {@code topK} best documents, best first (ties in input order). */
    public List<RerankResult> rerank(String query, List<String> documents, int topK) {
        return call("rerank", documents, model -> model.rerank(query, documents, topK));
    }
}
