package dev.fastembed.spring;

import dev.fastembed.LateInteractionTextEmbedding;

import java.util.Collections;
import java.util.List;

/**
 * A late interaction (ColBERT) model as a bean: one vector per token for documents and queries, each call
 * run on the one loaded model under a permit of its {@link SharedModel}. Score with
 * {@link LateInteractionTextEmbedding#maxSim(float[][], float[][])}. Inject it by type or with
 * {@code @Qualifier("<name>")}; calls may throw the pool's exceptions (see {@link TextEmbeddingPool}).
 */
public final class LateInteractionTextEmbeddingPool extends AbstractPooledModel<LateInteractionTextEmbedding> {

    /**
     * @param pool           the pool over the model
     * @param knownDimension the per-token vector length if known before loading (the catalogue's), else 0
     */
    public LateInteractionTextEmbeddingPool(SharedModel<LateInteractionTextEmbedding> pool, int knownDimension) {
        super(pool, knownDimension, LateInteractionTextEmbedding::dimension, model -> model.queryEmbed("fastembed health probe"));
    }

    /** The token vectors of one document. */
    public float[][] embed(String document) {
        return embed(Collections.singletonList(document)).getFirst();
    }

    /** The token vectors of each document, in input order. */
    public List<float[][]> embed(List<String> documents) {
        return call("embed", documents, model -> model.embed(documents));
    }

    /** The token vectors of one query (ColBERT pads it to its query length; token embeddings embed it as a document). */
    public float[][] queryEmbed(String query) {
        return queryEmbed(Collections.singletonList(query)).getFirst();
    }

    /** The token vectors of each query, in input order. */
    public List<float[][]> queryEmbed(List<String> queries) {
        return call("query", queries, model -> model.queryEmbed(queries));
    }
}
