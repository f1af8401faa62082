package dev.fastembed.sample.index;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.filter.Filter;
import org.springframework.ai.vectorstore.filter.FilterExpressionBuilder;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The searchable documents, all in one {@link LuceneVectorStore}: a document is its chunks, each carrying the
 * document's source, title, format, length and ingestion time as metadata, so the listing is read from the
 * same commit as the search and the two always agree. Ingesting a source name again replaces that document,
 * in the same commit as the new chunks.
 */
public class DocumentIndex {

    /** Chunk metadata: the document's length in characters. */
    public static final String CHARACTERS = "characters";
    /** Chunk metadata: when the document was ingested (ISO-8601). */
    public static final String INGESTED_AT = "ingestedAt";

    private static final Log log = LogFactory.getLog(DocumentIndex.class);
    private static final FilterExpressionBuilder FILTER = new FilterExpressionBuilder();

    private final LuceneVectorStore store;
    private final DocumentSplitter splitter;
    private final Clock clock;

    /**
     * @param store    the chunks with their vectors and terms
     * @param splitter cuts documents into chunks
     * @param clock    for ingestion times
     */
    public DocumentIndex(LuceneVectorStore store, DocumentSplitter splitter, Clock clock) {
        this.store = store;
        this.splitter = splitter;
        this.clock = clock;
    }

    /**
     * Splits, embeds and stores a document, replacing an earlier one of the same source, in one commit: once
     * this returns the document survives a crash, and until then the earlier version stays whole.
     *
     * @throws EmptyDocumentException if the document has no text to index
     */
    public IngestedDocument ingest(SourceDocument document) {
        List<Document> chunks = splitter.split(document);
        if (chunks.isEmpty()) {
            throw new EmptyDocumentException(document.source());
        }
        Instant now = clock.instant();
        chunks.forEach(chunk -> {
            chunk.getMetadata().put(CHARACTERS, document.content().length());
            chunk.getMetadata().put(INGESTED_AT, now.toString());
        });
        boolean replacing = document(document.source()).isPresent();
        store.replace(bySource(document.source()), chunks, Map.of());
        log.info("Indexed '" + document.source() + "' in " + chunks.size() + " chunk(s)"
                + (replacing ? ", replacing the earlier version" : ""));
        return describe(chunks.getFirst());
    }

    /** Whether the index was created for the bundled corpus, which is not ingested (completely) yet. */
    public boolean corpusPending() {
        return SearchIndexFolder.CORPUS_PENDING.equals(store.commitData().get(SearchIndexFolder.CORPUS));
    }

    /** Records in the index that the bundled corpus is ingested. */
    public void corpusIngested() {
        store.setCommitData(Map.of(SearchIndexFolder.CORPUS, SearchIndexFolder.CORPUS_INGESTED));
    }

    /** The store, for keyword search. */
    public LuceneVectorStore store() {
        return store;
    }

    /** Whether chunks have BM25 terms, for hybrid search. */
    public boolean hasKeywords() {
        return store.hasKeywords();
    }

    /** The chunks most similar to the query, best first, each with its cosine similarity as score. */
    public List<Document> search(String query, int k) {
        return store.similaritySearch(SearchRequest.builder().query(query).topK(k).similarityThresholdAll().build());
    }

    /** The documents, by source name. */
    public List<IngestedDocument> documents() {
        return store.list(FILTER.eq(DocumentSplitter.CHUNK, 0).build()).stream().map(DocumentIndex::describe)
                .sorted(Comparator.comparing(IngestedDocument::source)).toList();
    }

    public Optional<IngestedDocument> document(String source) {
        return store.list(FILTER.and(FILTER.eq(DocumentSplitter.SOURCE, source), FILTER.eq(DocumentSplitter.CHUNK, 0))
                .build()).stream().findFirst().map(DocumentIndex::describe);
    }

    /** How many chunks are searchable. */
    public int chunkCount() {
        return store.count();
    }

    private static Filter.Expression bySource(String source) {
        return FILTER.eq(DocumentSplitter.SOURCE, source).build();
    }

    private static IngestedDocument describe(Document chunk) {
        Map<String, Object> metadata = chunk.getMetadata();
        return new IngestedDocument(String.valueOf(metadata.get(DocumentSplitter.SOURCE)),
                String.valueOf(metadata.get(DocumentSplitter.TITLE)), String.valueOf(metadata.get(DocumentSplitter.FORMAT)),
                ((Number) metadata.get(CHARACTERS)).intValue(), ((Number) metadata.get(DocumentSplitter.CHUNKS)).intValue(),
                Instant.parse(String.valueOf(metadata.get(INGESTED_AT))));
    }
}
