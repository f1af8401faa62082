package dev.fastembed.sample;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;

/**
 * The sample's own settings, under {@code sample}. The models are configured under {@code fastembed}.
 *
 * @param dataDir folder of the search indexes (a Lucene index per embedding model); kept across restarts
 * @param reindex embed every chunk of the existing index again with the current model, e.g. one built by
 *                another model (which is otherwise refused)
 * @param corpus  the documents ingested into a new index
 * @param index   how documents are split into chunks and searched
 * @param limits  the largest inputs the API accepts; larger ones get 400
 */
@ConfigurationProperties("sample")
public record SampleProperties(
        @DefaultValue("data") Path dataDir,
        @DefaultValue("false") boolean reindex,
        @DefaultValue Corpus corpus,
        @DefaultValue Index index,
        @DefaultValue Limits limits) {

    /**
     * @param location         Spring resource pattern of the bundled documents (.md and .txt)
     * @param ingestOnFirstStart ingest them into an index created now (never into one that exists)
     */
    public record Corpus(@DefaultValue("classpath:corpus/*") String location,
                         @DefaultValue("true") boolean ingestOnFirstStart) {
    }

    /**
     * @param chunkTokens     target chunk size in the splitter's tokens (cl100k); well under the model's 512
     * @param rerankCandidates how many dense hits the reranker re-orders
     */
    public record Index(@DefaultValue("256") int chunkTokens,
                        @DefaultValue("20") int rerankCandidates) {
    }

    /**
     * @param maxQueryChars    longest search query
     * @param maxResults       largest k of a search
     * @param maxEmbedTexts    most texts per embed request
     * @param maxTextChars     longest text of an embed request
     * @param maxDocumentChars longest document to ingest
     */
    public record Limits(@DefaultValue("1000") int maxQueryChars,
                         @DefaultValue("20") int maxResults,
                         @DefaultValue("64") int maxEmbedTexts,
                         @DefaultValue("8000") int maxTextChars,
                         @DefaultValue("200000") int maxDocumentChars) {
    }
}
