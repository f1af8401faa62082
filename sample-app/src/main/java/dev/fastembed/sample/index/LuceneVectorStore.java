package dev.fastembed.sample.index;

import dev.fastembed.SparseEmbedding;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FeatureField;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.BytesRef;
import org.springframework.ai.document.Document;
import org.springframework.ai.document.MetadataMode;
import org.springframework.ai.embedding.BatchingStrategy;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.TokenCountBatchingStrategy;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.ai.vectorstore.filter.Filter;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Spring AI's {@link VectorStore} over one Apache Lucene index: each Spring AI document (here: a chunk) is a
 * Lucene document with its text, its metadata (stored as JSON, and indexed per key for filter expressions),
 * its dense vector in an HNSW graph ({@link KnnFloatVectorField}, dot product of unit vectors = cosine) and,
 * with a {@link SparseEncoder}, its BM25 term weights as {@link FeatureField}s.
 *
 * <p>Every change ({@link #add}, {@link #delete(List)}, {@link #delete(Filter.Expression)}, {@link #replace})
 * is one Lucene commit: a crash leaves the index as of the last commit, and searches see only committed
 * changes. Writes run one at a time; searches run alongside.
 */
public class LuceneVectorStore implements VectorStore, Closeable {

    static final String ID = "id";
    static final String TEXT = "text";
    /** The text the models embedded (e.g. title and chunk), kept to embed it again with another model. */
    static final String EMBEDDED = "embedded";
    static final String METADATA = "metadata";
    static final String VECTOR = "vector";
    static final String TERMS = "terms";
    /** Metadata key {@code k} is indexed as field {@code meta.k}. */
    static final String META = "meta.";

    private static final org.apache.commons.logging.Log log =
            org.apache.commons.logging.LogFactory.getLog(LuceneVectorStore.class);
    private static final TypeReference<Map<String, Object>> METADATA_MAP = new TypeReference<>() {
    };

    /** Sparse term weights for keyword search, e.g. the engine's BM25. */
    public interface SparseEncoder {

        /** One vector per document text. */
        List<SparseEmbedding> embedDocuments(List<String> texts);

        /** The query's vector. */
        SparseEmbedding embedQuery(String query);
    }

    private final Path folder;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final EmbeddingModel embeddingModel;
    private final SparseEncoder sparseEncoder;
    private final JsonMapper json;
    private final BatchingStrategy batching = new TokenCountBatchingStrategy();
    private final Map<String, String> commitData;

    /**
     * @param folder         the index folder, for messages
     * @param writer         open on the index, which has at least one commit; closed by {@link #close()}
     * @param embeddingModel computes the dense vectors
     * @param sparseEncoder  computes term weights for {@link #keywordSearch}, or null
     * @param json           writes and reads the metadata
     */
    public LuceneVectorStore(Path folder, IndexWriter writer, EmbeddingModel embeddingModel, SparseEncoder sparseEncoder,
                             JsonMapper json) throws IOException {
        this.folder = folder;
        this.writer = writer;
        this.embeddingModel = Objects.requireNonNull(embeddingModel, "embeddingModel");
        this.sparseEncoder = sparseEncoder;
        this.json = json;
        this.searchers = new SearcherManager(writer.getDirectory(), null);
        this.commitData = new LinkedHashMap<>();
        var live = writer.getLiveCommitData();
        if (live != null) {
            live.forEach(entry -> commitData.put(entry.getKey(), entry.getValue()));
        }
    }

    @Override
    public String getName() {
        return "LuceneVectorStore";
    }

    @Override
    public <T> Optional<T> getNativeClient() {
        @SuppressWarnings("unchecked")
        T client = (T) writer;
        return Optional.of(client);
    }

    /** The index folder. */
    public Path folder() {
        return folder;
    }

    /** Whether {@link #keywordSearch} is available. */
    public boolean hasKeywords() {
        return sparseEncoder != null;
    }

    /** The user data of the last commit (what the index says about itself). */
    public synchronized Map<String, String> commitData() {
        return Map.copyOf(commitData);
    }

    /** Embeds and stores the documents (an id already present is replaced), in one commit. */
    @Override
    public void add(List<Document> documents) {
        replace(null, documents, Map.of());
    }

    @Override
    public void delete(List<String> ids) {
        write(() -> writer.deleteDocuments(new TermInSetQuery(ID, ids.stream().map(BytesRef::new).toList())), Map.of());
    }

    @Override
    public void delete(Filter.Expression filter) {
        Query query = LuceneFilters.toQuery(filter);
        write(() -> writer.deleteDocuments(query), Map.of());
    }

    /**
     * Deletes the documents matching {@code old} and adds {@code documents} (embedded first), in one commit:
     * after a crash either the old or the new ones are there, never both, never neither.
     *
     * @param old        what the documents replace, or null
     * @param documents  the new documents
     * @param commitData entries to set in the commit's user data
     */
    public void replace(Filter.Expression old, List<Document> documents, Map<String, String> commitData) {
        List<List<Field>> prepared = prepare(documents);
        Query oldQuery = old == null ? null : LuceneFilters.toQuery(old);
        write(() -> {
            if (oldQuery != null) {
                writer.deleteDocuments(oldQuery);
            }
            for (int i = 0; i < documents.size(); i++) {
                writer.updateDocument(new Term(ID, documents.get(i).getId()), prepared.get(i));
            }
        }, commitData);
    }

    /** Sets entries of the commit user data, in a commit of their own. */
    public void setCommitData(Map<String, String> entries) {
        write(() -> { }, entries);
    }

    /**
     * Replaces every document by itself, embedded again (with the current models), and sets the commit data,
     * in one commit. For an index built by another model.
     */
    public int reembedAll(Map<String, String> entries) {
        List<Document> all = read(searcher -> {
            TopDocs top = searcher.search(new MatchAllDocsQuery(), Math.max(1, searcher.getIndexReader().numDocs()));
            List<Document> found = new ArrayList<>(top.scoreDocs.length);
            for (ScoreDoc hit : top.scoreDocs) {
                Document document = load(searcher, hit.doc, null, false);
                String embedded = searcher.storedFields().document(hit.doc).get(EMBEDDED);
                document.setContentFormatter((d, mode) -> embedded);
                found.add(document);
            }
            return found;
        });
        List<List<Field>> prepared = prepare(all);
        write(() -> {
            // Also forgets the old vector field's dimension, which another model may not share.
            writer.deleteAll();
            writer.addDocuments(prepared);
        }, entries);
        return all.size();
    }

    /** The most similar documents, best first, each with its cosine similarity as score. */
    @Override
    public List<Document> similaritySearch(SearchRequest request) {
        float[] query = unit(embeddingModel.embed(request.getQuery()));
        Query filter = request.hasFilterExpression() ? LuceneFilters.toQuery(request.getFilterExpression()) : null;
        return read(searcher -> {
            int k = Math.max(1, request.getTopK());
            TopDocs top = searcher.search(new KnnFloatVectorQuery(VECTOR, query, k, filter), k);
            List<Document> found = new ArrayList<>(top.scoreDocs.length);
            for (ScoreDoc hit : top.scoreDocs) {
                // Lucene's dot-product score is (1 + cosine) / 2.
                double cosine = 2.0 * hit.score - 1.0;
                if (cosine >= request.getSimilarityThreshold()) {
                    found.add(load(searcher, hit.doc, cosine, true));
                }
            }
            return found;
        });
    }

    /**
     * The documents that share terms with the query, best first, scored by BM25: the encoder's term weights
     * (term frequency and length, as fastembed's BM25 computes them) times the query's, times each term's
     * inverse document frequency over this index, {@code ln(1 + (N - df + 0.5) / (df + 0.5))} (the formula of
     * Qdrant's idf modifier, which fastembed's BM25 relies on).
     */
    public List<Document> keywordSearch(String query, int k) {
        if (sparseEncoder == null) {
            throw new IllegalStateException("No sparse encoder is configured");
        }
        SparseEmbedding terms = sparseEncoder.embedQuery(query);
        return read(searcher -> {
            int n = searcher.getIndexReader().numDocs();
            BooleanQuery.Builder bm25 = new BooleanQuery.Builder();
            int clauses = 0;
            for (int i = 0; i < terms.indices().length && clauses < IndexSearcher.getMaxClauseCount(); i++) {
                String term = Integer.toString(terms.indices()[i]);
                int df = searcher.count(new TermQuery(new Term(TERMS, term)));
                float weight = (float) (terms.values()[i] * idf(n, df));
                if (df > 0 && weight > 0 && Float.isFinite(weight)) {
                    bm25.add(FeatureField.newLinearQuery(TERMS, term, weight), BooleanClause.Occur.SHOULD);
                    clauses++;
                }
            }
            if (clauses == 0) {
                return List.of();
            }
            TopDocs top = searcher.search(bm25.build(), Math.max(1, k));
            List<Document> found = new ArrayList<>(top.scoreDocs.length);
            for (ScoreDoc hit : top.scoreDocs) {
                found.add(load(searcher, hit.doc, (double) hit.score, false));
            }
            return found;
        });
    }

    /** Inverse document frequency as Qdrant's idf modifier computes it. */
    static double idf(int documents, int documentFrequency) {
        return Math.log(1 + (documents - documentFrequency + 0.5) / (documentFrequency + 0.5));
    }

    /** Every document matching the filter (all with null), without score, in index order. */
    public List<Document> list(Filter.Expression filter) {
        Query query = filter == null ? new MatchAllDocsQuery() : LuceneFilters.toQuery(filter);
        return read(searcher -> {
            TopDocs top = searcher.search(query, Math.max(1, searcher.getIndexReader().numDocs()));
            List<Document> found = new ArrayList<>(top.scoreDocs.length);
            for (ScoreDoc hit : top.scoreDocs) {
                found.add(load(searcher, hit.doc, null, false));
            }
            return found;
        });
    }

    /** How many documents the last commit holds. */
    public int count() {
        return read(searcher -> searcher.getIndexReader().numDocs());
    }

    @Override
    public void close() throws IOException {
        try (var directory = writer.getDirectory(); writer; searchers) {
            log.debug("Closing the search index in " + folder);
        }
    }

    private List<List<Field>> prepare(List<Document> documents) {
        if (documents.isEmpty()) {
            return List.of();
        }
        List<float[]> vectors = embeddingModel.embed(documents, EmbeddingOptions.builder().build(), batching);
        List<String> embedded = documents.stream().map(document -> document.getFormattedContent(MetadataMode.EMBED))
                .toList();
        List<SparseEmbedding> sparse = sparseEncoder == null ? null : sparseEncoder.embedDocuments(embedded);
        List<List<Field>> prepared = new ArrayList<>(documents.size());
        for (int i = 0; i < documents.size(); i++) {
            Document document = documents.get(i);
            List<Field> fields = new ArrayList<>();
            fields.add(new StringField(ID, document.getId(), Field.Store.YES));
            fields.add(new StoredField(TEXT, Objects.requireNonNullElse(document.getText(), "")));
            fields.add(new StoredField(EMBEDDED, embedded.get(i)));
            fields.add(new StoredField(METADATA, json.writeValueAsString(document.getMetadata())));
            document.getMetadata().forEach((key, value) -> fields.addAll(LuceneFilters.indexed(key, value)));
            fields.add(new KnnFloatVectorField(VECTOR, unit(vectors.get(i)), VectorSimilarityFunction.DOT_PRODUCT));
            if (sparse != null) {
                SparseEmbedding terms = sparse.get(i);
                for (int t = 0; t < terms.indices().length; t++) {
                    float value = terms.values()[t];
                    if (value > 0 && Float.isFinite(value)) {
                        fields.add(new FeatureField(TERMS, Integer.toString(terms.indices()[t]), value));
                    }
                }
            }
            prepared.add(fields);
        }
        return prepared;
    }

    /** A vector scaled to length 1 (the model's vectors are already; Lucene's dot product requires it). */
    static float[] unit(float[] vector) {
        double norm = 0;
        for (float v : vector) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        if (norm == 0 || Math.abs(norm - 1) < 1e-6) {
            return vector;
        }
        float[] scaled = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            scaled[i] = (float) (vector[i] / norm);
        }
        return scaled;
    }

    private Document load(IndexSearcher searcher, int doc, Double score, boolean distance) throws IOException {
        org.apache.lucene.document.Document stored = searcher.storedFields().document(doc);
        Map<String, Object> metadata = new HashMap<>(json.readValue(stored.get(METADATA), METADATA_MAP));
        if (distance) {
            metadata.put("distance", 1.0 - score); // as Spring AI's stores report it
        }
        return Document.builder().id(stored.get(ID)).text(stored.get(TEXT)).metadata(metadata).score(score).build();
    }

    private interface IndexChange {
        void apply() throws IOException;
    }

    private interface SearcherCall<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    /** Applies the change and commits it with the commit data; on failure nothing of it stays. */
    private synchronized void write(IndexChange change, Map<String, String> entries) {
        try {
            change.apply();
            Map<String, String> data = new LinkedHashMap<>(commitData);
            data.putAll(entries);
            writer.setLiveCommitData(data.entrySet());
            writer.commit();
            commitData.clear();
            commitData.putAll(data);
        } catch (IOException | RuntimeException e) {
            try {
                // Drops what was not committed; the store is closed and the app needs a restart.
                writer.rollback();
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("Could not write the search index in " + folder, io);
            }
            throw (RuntimeException) e;
        }
        try {
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not reopen the search index in " + folder, e);
        }
    }

    private <T> T read(SearcherCall<T> call) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return call.apply(searcher);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the search index in " + folder, e);
        }
    }
}
