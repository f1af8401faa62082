package dev.fastembed.spark;

import java.util.List;

/**
 * One loaded model as the transformer uses it: texts in, one result per text in order ({@code float[]} for
 * dense models, {@link dev.fastembed.SparseEmbedding} for sparse ones). Thread-safe, as the engine's models are.
 */
interface Embedder extends AutoCloseable {

    List<?> embed(List<String> texts);

    @Override
    void close();
}
