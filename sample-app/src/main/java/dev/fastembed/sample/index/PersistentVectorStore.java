package dev.fastembed.sample.index;

import io.micrometer.observation.ObservationRegistry;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.vectorstore.SimpleVectorStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Spring AI's {@link SimpleVectorStore}, kept in one JSON file: loaded when the store is created, written
 * whole by {@link #persist()}. Writes go to a temporary file that then replaces the old one, so a crash
 * mid-write leaves the previous index intact.
 */
public class PersistentVectorStore extends SimpleVectorStore {

    private final Path file;
    private final PrecomputedEmbeddings precomputed;

    /**
     * @param embeddingModel      the model of the vectors
     * @param file                the index file; loaded if it exists
     * @param observationRegistry where store operations are observed
     */
    public PersistentVectorStore(EmbeddingModel embeddingModel, Path file, ObservationRegistry observationRegistry) {
        this(new PrecomputedEmbeddings(embeddingModel), file, observationRegistry);
    }

    private PersistentVectorStore(PrecomputedEmbeddings precomputed, Path file, ObservationRegistry observationRegistry) {
        super(SimpleVectorStore.builder(precomputed).observationRegistry(observationRegistry));
        this.precomputed = precomputed;
        this.file = file.toAbsolutePath();
        if (Files.isRegularFile(this.file)) {
            load(this.file.toFile());
            // load() installs the map Jackson built; searches run while documents are added, so keep it concurrent.
            this.store = new ConcurrentHashMap<>(this.store);
        }
    }

    /** Embeds the documents in batches (SimpleVectorStore alone makes one model call per document). */
    @Override
    public void doAdd(List<Document> documents) {
        List<float[]> vectors = precomputed.model().embed(documents, EmbeddingOptions.builder().build(),
                batchingStrategy);
        precomputed.offer(documents, vectors);
        try {
            super.doAdd(documents);
        } finally {
            precomputed.withdraw(documents);
        }
    }

    /** The index file. */
    public Path file() {
        return file;
    }

    /** Whether the index file existed when the store was created or has been written since. */
    public boolean fileExists() {
        return Files.isRegularFile(file);
    }

    /** How many chunks the store holds. */
    public int size() {
        return store.size();
    }

    /** Writes the whole store to its file, replacing the previous version in one step. */
    public synchronized void persist() {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(temporary);
            save(temporary.toFile());
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the search index to " + file, e);
        }
    }
}
