package dev.fastembed;

/**
 * One document's place in a reranking, as fastembed-rs' {@code RerankResult}.
 *
 * @param index    the document's position in the list given to {@link TextRerank#rerank}
 * @param score    its relevance: the model's logit, or its sigmoid when the model was built so
 * @param document the document's text
 */
public record RerankResult(int index, float score, String document) {
}
