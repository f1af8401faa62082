package dev.fastembed.sample;

import dev.fastembed.sample.index.CorpusLoader;
import dev.fastembed.sample.index.DocumentIndex;
import dev.fastembed.sample.index.DocumentSplitter;
import dev.fastembed.sample.index.LuceneVectorStore;
import dev.fastembed.sample.index.SearchIndexFolder;
import dev.fastembed.sample.search.SearchService;
import dev.fastembed.SparseEmbedding;
import dev.fastembed.spring.SparseTextEmbeddingPool;
import dev.fastembed.spring.TextEmbeddingPool;
import dev.fastembed.spring.ai.FastEmbedEmbeddingModel;
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
import java.util.List;

/**
 * The search index over the primary fastembed {@link EmbeddingModel}: Spring AI's {@code VectorStore} in one
 * Lucene index per model ({@link LuceneVectorStore}), with the sparse model's BM25 weights for hybrid search.
 */
@Configuration(proxyBeanMethods = false)
class SampleConfiguration {

    private static final Log log = LogFactory.getLog(SampleConfiguration.class);

    @Bean
    LuceneVectorStore vectorStore(EmbeddingModel embeddingModel, TextEmbeddingPool primaryModel,
                                  ObjectProvider<SparseTextEmbeddingPool> sparseModel, SampleProperties properties,
                                  JsonMapper json) {
        // The embedded model is lazy (pool.eager: false) so that it costs nothing when fastembed.model names
        // another one; whichever model is primary loads here, before the server takes requests.
        primaryModel.pool().load();
        int dimensions = primaryModel.loadDimension();
        log.info("Embedding model '" + primaryModel.name() + "' (" + primaryModel.pool().source() + ") ready, "
                + dimensions + " dimensions");
        SparseTextEmbeddingPool sparse = sparseModel.getIfAvailable();
        return SearchIndexFolder.open(indexDir(properties, embeddingModel), modelName(embeddingModel), dimensions,
                properties.reindex(), properties.corpus().ingestOnFirstStart(), embeddingModel,
                sparse == null ? null : new SparseEncoder(sparse), json);
    }

    @Bean
    DocumentIndex documentIndex(LuceneVectorStore vectorStore, SampleProperties properties) {
        return new DocumentIndex(vectorStore, new DocumentSplitter(properties.index().chunkTokens()), Clock.systemUTC());
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

    /** The sparse model (e.g. Qdrant/bm25) as the store's term weights. */
    private record SparseEncoder(SparseTextEmbeddingPool model) implements LuceneVectorStore.SparseEncoder {

        @Override
        public List<SparseEmbedding> embedDocuments(List<String> texts) {
            return model.embed(texts);
        }

        @Override
        public SparseEmbedding embedQuery(String query) {
            return model.queryEmbed(query);
        }
    }
}
