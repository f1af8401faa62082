package dev.fastembed.sample.index;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The searchable documents: their chunks and vectors in a {@link PersistentVectorStore}
 * ({@code vector-store.json}) and the list of documents in {@code documents.json}, both in the data folder.
 * Ingesting a source name again replaces that document. Ingestion runs one at a time; searches run alongside.
 */
public class DocumentIndex {

    public static final String VECTOR_STORE_FILE = "vector-store.json";
    public static final String DOCUMENTS_FILE = "documents.json";

    private static final Log log = LogFactory.getLog(DocumentIndex.class);
    private static final TypeReference<List<IngestedDocument>> DOCUMENT_LIST = new TypeReference<>() {
    };

    private final PersistentVectorStore vectorStore;
    private final SparseIndex sparseIndex;
    private final DocumentSplitter splitter;
    private final JsonMapper json;
    private final Path documentsFile;
    private final Clock clock;
    private final Map<String, IngestedDocument> documents = new ConcurrentHashMap<>();
    private final ReentrantLock ingestLock = new ReentrantLock();
    private final boolean existedAtStart;

    /**
     * @param vectorStore the chunks with their dense vectors
     * @param sparseIndex their sparse vectors, or null without a sparse model
     * @param splitter    cuts documents into chunks
     * @param json        reads and writes the document list
     * @param dataDir     the index folder
     * @param clock       for ingestion times
     */
    public DocumentIndex(PersistentVectorStore vectorStore, SparseIndex sparseIndex, DocumentSplitter splitter,
                         JsonMapper json, Path dataDir, Clock clock) {
        this.vectorStore = vectorStore;
        this.sparseIndex = sparseIndex;
        this.splitter = splitter;
        this.json = json;
        this.documentsFile = dataDir.toAbsolutePath().resolve(DOCUMENTS_FILE);
        this.clock = clock;
        this.existedAtStart = vectorStore.fileExists();
        if (existedAtStart && Files.isRegularFile(documentsFile)) {
            json.readValue(documentsFile.toFile(), DOCUMENT_LIST).forEach(d -> documents.put(d.source(), d));
        }
    }

    /** Whether an index was found in the data folder at startup (false on a first start). */
    public boolean existedAtStart() {
        return existedAtStart;
    }

    /**
     * Splits, embeds and stores a document, replacing an earlier one of the same source, and writes the index.
     *
     * @throws EmptyDocumentException if the document has no text to index
     */
    public IngestedDocument ingest(SourceDocument document) {
        List<Document> chunks = splitter.split(document);
        if (chunks.isEmpty()) {
            throw new EmptyDocumentException(document.source());
        }
        ingestLock.lock();
        try {
            vectorStore.add(chunks);
            if (sparseIndex != null) {
                sparseIndex.add(chunks);
            }
            IngestedDocument ingested = new IngestedDocument(document.source(), DocumentSplitter.titleOf(document),
                    document.format().label(), document.content().length(),
                    chunks.stream().map(Document::getId).toList(), clock.instant());
            IngestedDocument previous = documents.put(document.source(), ingested);
            if (previous != null) {
                vectorStore.delete(previous.chunkIds());
                if (sparseIndex != null) {
                    sparseIndex.remove(previous.chunkIds());
                }
            }
            persist();
            log.info("Indexed '" + document.source() + "' in " + chunks.size() + " chunk(s)"
                    + (previous != null ? ", replacing the earlier version" : ""));
            return ingested;
        } finally {
            ingestLock.unlock();
        }
    }

    /**
     * Gives sparse vectors to the chunks that lack them: all of them when a sparse model is added to an index
     * built without one. Returns how many were added.
     */
    public int completeSparseIndex() {
        if (sparseIndex == null || vectorStore.size() == 0) {
            return 0;
        }
        ingestLock.lock();
        try {
            List<Document> missing = allChunks().stream().filter(chunk -> !sparseIndex.contains(chunk.getId()))
                    .map(chunk -> {
                        Document copy = chunk.mutate().build();
                        copy.setContentFormatter(DocumentSplitter.TITLE_AND_TEXT);
                        return copy;
                    }).toList();
            if (!missing.isEmpty()) {
                sparseIndex.add(missing);
                sparseIndex.persist();
                log.info("Gave sparse vectors (model '" + sparseIndex.modelName() + "') to " + missing.size()
                        + " chunk(s) indexed without them");
            }
            return missing.size();
        } finally {
            ingestLock.unlock();
        }
    }

    /** Every chunk, in no useful order. */
    List<Document> allChunks() {
        // SimpleVectorStore has no listing; a search with an accept-all threshold and k = size returns everything.
        return search("*", Math.max(1, vectorStore.size()));
    }

    /** The sparse index, when a sparse model is configured. */
    public Optional<SparseIndex> sparseIndex() {
        return Optional.ofNullable(sparseIndex);
    }

    /** The chunks most similar to the query, best first, each with its cosine similarity as score. */
    public List<Document> search(String query, int k) {
        return vectorStore.similaritySearch(SearchRequest.builder().query(query).topK(k)
                .similarityThresholdAll().build());
    }

    /** The documents, by source name. */
    public List<IngestedDocument> documents() {
        List<IngestedDocument> all = new ArrayList<>(documents.values());
        all.sort(Comparator.comparing(IngestedDocument::source));
        return all;
    }

    public Optional<IngestedDocument> document(String source) {
        return Optional.ofNullable(documents.get(source));
    }

    /** How many chunks are searchable. */
    public int chunkCount() {
        return vectorStore.size();
    }

    /** Writes the vectors, then the document list (each file replaced in one step). */
    private void persist() {
        vectorStore.persist();
        if (sparseIndex != null) {
            sparseIndex.persist();
        }
        try {
            Path temporary = documentsFile.resolveSibling(DOCUMENTS_FILE + ".tmp");
            json.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), documents());
            try {
                Files.move(temporary, documentsFile, StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, documentsFile, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + documentsFile, e);
        }
    }
}
