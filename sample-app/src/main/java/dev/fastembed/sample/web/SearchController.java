package dev.fastembed.sample.web;

import dev.fastembed.sample.SampleProperties;
import dev.fastembed.sample.search.SearchResult;
import dev.fastembed.sample.search.SearchService;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/search?q=&k=&rerank=&hybrid=}: the documents that best answer a query, dense by default,
 * optionally fused with sparse scores and reranked by the cross-encoder.
 */
@RestController
@RequestMapping("/api")
class SearchController {

    private final SearchService search;
    private final SampleProperties.Limits limits;

    SearchController(SearchService search, SampleProperties properties) {
        this.search = search;
        this.limits = properties.limits();
    }

    @GetMapping("/search")
    SearchResult search(@RequestParam String q, @RequestParam(defaultValue = "5") int k,
                        @RequestParam(defaultValue = "false") boolean rerank,
                        @RequestParam(defaultValue = "false") boolean hybrid) {
        if (q.isBlank()) {
            throw new InvalidRequestException("q", "The query q is empty");
        }
        if (q.length() > limits.maxQueryChars()) {
            throw new InvalidRequestException("q", "The query q has " + q.length() + " characters; at most "
                    + limits.maxQueryChars() + " are allowed");
        }
        if (k < 1 || k > limits.maxResults()) {
            throw new InvalidRequestException("k", "k must be between 1 and " + limits.maxResults() + ", got " + k);
        }
        if (rerank && !search.canRerank()) {
            throw new FeatureUnavailableException("rerank", "No reranker is configured: add a model of kind rerank "
                    + "under fastembed.models (e.g. run with --spring.profiles.active=rerank)");
        }
        if (hybrid && !search.canHybrid()) {
            throw new FeatureUnavailableException("hybrid", "No sparse model is configured: add one under "
                    + "fastembed.models, e.g. model: Qdrant/bm25");
        }
        return search.search(q.strip(), k, rerank, hybrid);
    }
}
