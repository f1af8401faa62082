package dev.fastembed.sample.search;

/**
 * One ranked document, with its best chunk.
 *
 * @param rank        1 for the best
 * @param score       the score the ranking used: the rerank score when reranked, else the fused score when
 *                    hybrid (reciprocal rank fusion), else the dense score
 * @param denseScore  cosine similarity of query and chunk vectors
 * @param rerankScore the cross-encoder's score, when reranked
 * @param sparseScore the sparse (BM25) score, when hybrid; 0 if the chunk shares no term with the query
 * @param source      the document's name
 * @param title       the document's title
 * @param section     the Markdown heading above the chunk, or ""
 * @param text        the chunk
 */
public record SearchHit(int rank, double score, double denseScore, Double rerankScore, Double sparseScore,
                        String source, String title, String section, String text) {
}
