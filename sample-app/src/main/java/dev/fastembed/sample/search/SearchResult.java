package dev.fastembed.sample.search;

import java.util.List;

/**
 * The answer to a search.
 *
 * @param query      the query as given
 * @param mode       {@code dense}, {@code dense+rerank}, {@code hybrid} or {@code hybrid+rerank}
 * @param model      the dense model's name
 * @param tookMillis time spent in the search
 * @param results    best first
 */
public record SearchResult(String query, String mode, String model, long tookMillis, List<SearchHit> results) {
}
