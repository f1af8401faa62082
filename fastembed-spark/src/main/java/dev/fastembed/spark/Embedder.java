package dev.fastembed.spark;

import java.util.List;

/**
 * One loaded model as the transformer uses it: texts in, one result per text in order ({@code float[]} for
 * dense models, {@link dev.fastembed.SparseEmbedding} for sparse ones). Thread-safe, as the engine's models are.
 */
interface Embedder extends AutoCloseable {

    /**
     * @param textType {@code document} (as given), {@code query} or {@code passage} (the Java API's
     *                 {@code queryEmbed}/{@code passageEmbed}: the model's prefixes; BM25/BM42 weigh query words 1.0)
     */
    List<?> embed(List<String> texts, String textType);

    @Override
    void close();
}
