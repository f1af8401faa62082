package dev.fastembed.sample;

import dev.fastembed.sample.index.CorpusLoader;
import dev.fastembed.sample.index.DocumentIndex;
import dev.fastembed.sample.index.DocumentSplitter;
import dev.fastembed.sample.index.PersistentVectorStore;
import dev.fastembed.sample.index.SparseIndex;
import dev.fastembed.sample.search.SearchService;
import dev.fastembed.spring.SparseTextEmbeddingPool;
import dev.fastembed.spring.TextEmbeddingPool;
import dev.fastembed.spring.ai.FastEmbedEmbeddingModel;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.rag.postretrieval.document.DocumentPostProcessor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.support.ResourcePatternResolver;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.time.Clock;

/** The search index over the primary fastembed {@link EmbeddingModel}. */
@Configuration(proxyBeanMethods = false)
class SampleConfiguration {

    private static final Log log = LogFactory.getLog(SampleConfiguration.class);

    @Bean
    PersistentVectorStore vectorStore(EmbeddingModel embeddingModel, TextEmbeddingPool primaryModel,
                                      SampleProperties properties,
                                      ObjectProvider<ObservationRegistry> observationRegistry) {
        // The embedded model is lazy (pool.eager: false) so that it costs nothing when fastembed.model names
        // another one; whichever model is primary loads here, before the server takes requests.
        primaryModel.pool().load();
        log.info("Embedding model '" + primaryModel.name() + "' (" + primaryModel.pool().source() + ") ready, "
                + primaryModel.loadDimension() + " dimensions");
        return new PersistentVectorStore(embeddingModel,
                indexDir(properties, embeddingModel).resolve(DocumentIndex.VECTOR_STORE_FILE),
                observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP));
    }

    /** With a sparse model (e.g. Qdrant/bm25) configured, chunks also get sparse vectors, for hybrid search. */
    @Bean
    DocumentIndex documentIndex(PersistentVectorStore vectorStore, ObjectProvider<SparseTextEmbeddingPool> sparseModel,
                                EmbeddingModel embeddingModel, SampleProperties properties, JsonMapper json) {
        Path indexDir = indexDir(properties, embeddingModel);
        SparseTextEmbeddingPool sparse = sparseModel.getIfAvailable();
        DocumentIndex index = new DocumentIndex(vectorStore, sparse == null ? null : new SparseIndex(sparse, json, indexDir),
                new DocumentSplitter(properties.index().chunkTokens()), json, indexDir, Clock.systemUTC());
        index.completeSparseIndex();
        return index;
    }

    /** The reranker, when a model of kind rerank is configured, is the starter's Spring AI post-processor. */
    @Bean
    SearchService searchService(DocumentIndex index, EmbeddingModel embeddingModel,
                                ObjectProvider<DocumentPostProcessor> reranker, SampleProperties properties) {
        return new SearchService(index, modelName(embeddingModel), reranker.getIfAvailable(),
                properties.index().rerankCandidates());
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "sample.corpus.ingest-on-first-start", matchIfMissing = true)
    CorpusLoader corpusLoader(DocumentIndex index, ResourcePatternResolver resources, SampleProperties properties) {
        return new CorpusLoader(index, resources, properties.corpus().location());
    }

    /** Vectors of different models do not mix: each model gets its own index folder. */
    static Path indexDir(SampleProperties properties, EmbeddingModel embeddingModel) {
        return properties.dataDir().resolve(modelName(embeddingModel).replaceAll("[^A-Za-z0-9._-]+", "_"));
    }

    static String modelName(EmbeddingModel embeddingModel) {
        return embeddingModel instanceof FastEmbedEmbeddingModel fastembed ? fastembed.modelName()
                : embeddingModel.getClass().getSimpleName();
    }
}
