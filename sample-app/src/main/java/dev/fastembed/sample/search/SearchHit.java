package dev.fastembed.sample.search;

/**
 * One ranked chunk.
 *
 * @param rank       1 for the best
 * @param score      the score the ranking used (dense cosine, rerank score or hybrid fusion)
 * @param denseScore cosine similarity of query and chunk vectors
 * @param rerankScore the cross-encoder's score, when reranked
 * @param sparseScore the sparse model's dot product, when hybrid
 * @param source     the document's name
 * @param title      the document's title
 * @param section    the Markdown heading above the chunk, or ""
 * @param text       the chunk
 */
public record SearchHit(int rank, double score, double denseScore, Double rerankScore, Double sparseScore,
                        String source, String title, String section, String text) {
}
