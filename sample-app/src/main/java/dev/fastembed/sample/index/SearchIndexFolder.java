package dev.fastembed.sample.index;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.springframework.ai.embedding.EmbeddingModel;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Opens the Lucene index of one embedding model, and never guesses: a folder without an index gets a new one
 * (and only then the bundled corpus), while an index that cannot be opened, that another embedding model
 * built, or the JSON files of earlier versions stop startup with a {@link SearchIndexException} naming the
 * folder and the fix. What the index is rests in its commit user data, written with every commit.
 */
public final class SearchIndexFolder {

    /** Commit data: the embedding model whose vectors the index holds. */
    public static final String MODEL = "embedding-model";
    /** Commit data: their dimension. */
    public static final String DIMENSIONS = "dimensions";
    /** Commit data: {@code pending} until the bundled corpus is ingested, then {@code ingested}. */
    public static final String CORPUS = "bundled-corpus";
    /** Commit data: when the index was created. */
    public static final String CREATED = "created";

    public static final String CORPUS_PENDING = "pending";
    public static final String CORPUS_INGESTED = "ingested";
    public static final String CORPUS_NOT_WANTED = "not-requested";

    /** The files of the sample's earlier JSON index. */
    public static final List<String> JSON_INDEX_FILES = List.of("documents.json", "vector-store.json",
            "sparse-index.json");

    private static final Log log = LogFactory.getLog(SearchIndexFolder.class);

    private SearchIndexFolder() {
    }

    /**
     * @param folder        the index folder (created if missing)
     * @param modelName     the embedding model's name
     * @param dimensions    its vector length
     * @param reindex       embed every chunk of an existing index again, with this model
     * @param corpusWanted  whether a new index is to get the bundled corpus
     * @param model         the embedding model
     * @param sparseEncoder term weights for keyword search, or null
     * @param json          for metadata
     */
    public static LuceneVectorStore open(Path folder, String modelName, int dimensions, boolean reindex,
                                         boolean corpusWanted, EmbeddingModel model,
                                         LuceneVectorStore.SparseEncoder sparseEncoder, JsonMapper json) {
        Path dir = folder.toAbsolutePath().normalize();
        refuseJsonIndex(dir);
        Directory directory = null;
        try {
            Files.createDirectories(dir);
            directory = FSDirectory.open(dir);
            boolean exists = DirectoryReader.indexExists(directory);
            if (!exists) {
                refuseStrayFiles(dir);
            }
            IndexWriter writer = openWriter(dir, directory, exists);
            LuceneVectorStore store;
            try {
                if (!exists) {
                    // The first commit creates the index, saying what it is; until then there is no index.
                    Map<String, String> data = new LinkedHashMap<>();
                    data.put(MODEL, modelName);
                    data.put(DIMENSIONS, Integer.toString(dimensions));
                    data.put(CORPUS, corpusWanted ? CORPUS_PENDING : CORPUS_NOT_WANTED);
                    data.put(CREATED, Instant.now().toString());
                    writer.setLiveCommitData(data.entrySet());
                    writer.commit();
                }
                store = new LuceneVectorStore(dir, writer, model, sparseEncoder, json);
            } catch (IOException | RuntimeException e) {
                writer.close();
                throw e;
            }
            if (!exists) {
                log.info("Created a new search index in " + dir + " for embedding model '" + modelName + "'");
                return store;
            }
            try {
                checkModel(store, modelName, dimensions, reindex);
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
            return store;
        } catch (LockObtainFailedException e) {
            close(directory);
            throw new SearchIndexException("The search index in " + dir + " is in use by another process.",
                    "Stop the other instance of the app, or give this one another sample.data-dir.", e);
        } catch (IOException | IllegalArgumentException e) {
            close(directory);
            throw new SearchIndexException("The search index in " + dir + " cannot be opened: " + e + ".",
                    "Restore the folder from a backup, or move it away (then the app creates a new index, ingests "
                            + "the bundled corpus, and your own documents need to be ingested again).", e);
        } catch (RuntimeException e) {
            close(directory);
            throw e;
        }
    }

    private static IndexWriter openWriter(Path dir, Directory directory, boolean exists) throws IOException {
        IndexWriterConfig config = new IndexWriterConfig()
                .setOpenMode(exists ? IndexWriterConfig.OpenMode.APPEND : IndexWriterConfig.OpenMode.CREATE)
                .setCommitOnClose(false);
        IndexWriter writer = new IndexWriter(directory, config);
        if (exists) {
            // Opens every segment: a damaged file shows here, at startup, rather than at the first search.
            try (DirectoryReader reader = DirectoryReader.open(directory)) {
                log.debug("Search index in " + dir + ": " + reader.numDocs() + " chunk(s)");
            } catch (IOException | RuntimeException e) {
                writer.close();
                throw e;
            }
        }
        return writer;
    }

    private static void checkModel(LuceneVectorStore store, String modelName, int dimensions, boolean reindex) {
        Map<String, String> data = store.commitData();
        String builtBy = data.get(MODEL);
        String builtDimensions = data.get(DIMENSIONS);
        boolean same = modelName.equals(builtBy) && Integer.toString(dimensions).equals(builtDimensions);
        if (same && !reindex) {
            return;
        }
        String was = builtBy == null ? "an unknown embedding model (its commit data names none)"
                : "embedding model '" + builtBy + "' (" + builtDimensions + " dimensions)";
        if (!reindex) {
            throw new SearchIndexException("The search index in " + store.folder() + " was built by " + was
                    + "; this app runs '" + modelName + "' (" + dimensions + " dimensions), whose vectors do not mix "
                    + "with those.", "Start once with --sample.reindex=true to embed its " + store.count()
                    + " chunk(s) again with '" + modelName + "', or set sample.data-dir to another folder.", null);
        }
        long start = System.nanoTime();
        int chunks = store.reembedAll(Map.of(MODEL, modelName, DIMENSIONS, Integer.toString(dimensions)));
        log.warn("Re-embedded the " + chunks + " chunk(s) of the search index in " + store.folder() + " (built by "
                + was + ") with '" + modelName + "' in " + (System.nanoTime() - start) / 1_000_000
                + " ms (sample.reindex=true; leave it off from now on)");
    }

    private static void refuseJsonIndex(Path dir) {
        List<String> found = JSON_INDEX_FILES.stream().filter(name -> Files.exists(dir.resolve(name))).toList();
        if (!found.isEmpty()) {
            throw new SearchIndexException("Found the JSON index of an earlier version of the sample in " + dir
                    + " (" + String.join(", ", found) + "); this version keeps its index in Lucene and does not read "
                    + "those files.", "Move " + String.join(", ", found) + " out of " + dir + " (keep them as a "
                    + "backup): the next start creates the Lucene index and ingests the bundled corpus; then ingest "
                    + "your own documents again with POST /api/documents.", null);
        }
    }

    /**
     * A folder without a Lucene commit may hold what a crash before the first commit left (the lock and a
     * pending commit file): that is no index. Anything else is not ours to overwrite.
     */
    private static void refuseStrayFiles(Path dir) throws IOException {
        List<String> stray = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(path -> path.getFileName().toString())
                    .filter(name -> !name.equals("write.lock") && !name.startsWith("pending_segments_"))
                    .sorted().forEach(stray::add);
        }
        if (!stray.isEmpty()) {
            throw new SearchIndexException("The folder " + dir + " has no Lucene index (no segments_N commit "
                    + "file) but holds other files: " + String.join(", ", stray.subList(0, Math.min(10, stray.size())))
                    + (stray.size() > 10 ? ", …" : "") + ".", "If it held the search index, restore it from a "
                    + "backup; otherwise empty the folder or set sample.data-dir to another one.", null);
        }
    }

    private static void close(Directory directory) {
        if (directory != null) {
            try {
                directory.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
