package dev.fastembed.sample.web;

import dev.fastembed.sample.index.DocumentIndex;
import dev.fastembed.sample.search.SearchService;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/info}: what the search runs on, for the web page. */
@RestController
@RequestMapping("/api")
class InfoController {

    /**
     * @param model      the dense model
     * @param dimensions its vector length
     * @param documents  documents in the index
     * @param chunks     chunks in the index
     * @param rerank     whether {@code rerank=true} is available
     * @param hybrid     whether {@code hybrid=true} is available
     */
    record Info(String model, int dimensions, int documents, int chunks, boolean rerank, boolean hybrid) {
    }

    private final SearchService search;
    private final DocumentIndex index;
    private final EmbeddingModel embeddingModel;

    InfoController(SearchService search, DocumentIndex index, EmbeddingModel embeddingModel) {
        this.search = search;
        this.index = index;
        this.embeddingModel = embeddingModel;
    }

    @GetMapping("/info")
    Info info() {
        return new Info(search.modelName(), embeddingModel.dimensions(), index.documents().size(),
                index.chunkCount(), search.canRerank(), search.canHybrid());
    }
}
