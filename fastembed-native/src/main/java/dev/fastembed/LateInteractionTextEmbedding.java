package dev.fastembed;

import dev.fastembed.catalog.ModelCatalog;
import dev.fastembed.catalog.ModelDescription;
import dev.fastembed.catalog.ModelKind;
import dev.fastembed.internal.FastEmbedNative;
import dev.fastembed.internal.FastEmbedNative.NativeType;
import dev.fastembed.internal.Json;
import dev.fastembed.internal.ResolvedModel;
import dev.fastembed.internal.Utf8Texts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A late interaction (ColBERT) model: one L2-normalized vector per token, compared with {@link #maxSim}.
 * Runs ColBERT v2 and answerai-colbert-small as fastembed does:
 * <ul>
 *   <li>a marker token right after {@code [CLS]}: {@code [unused0]} for queries, {@code [unused1]} for
 *       documents (ids 1 and 2 of BERT's vocabulary, the ids fastembed uses);</li>
 *   <li>queries padded with {@code [MASK]} to 32 tokens (ColBERT's query augmentation), with attention 0 on
 *       them as on padding; all 32+ vectors are returned;</li>
 *   <li>documents without the vectors of punctuation tokens (Python's {@code string.punctuation}) and
 *       padding.</li>
 * </ul>
 * Texts are truncated one token short of the model's maximum to leave room for the marker.
 *
 * <p>{@code jinaai/jina-embeddings-v2-small-en-tokens} is fastembed's token embeddings model: no marker, no query
 * padding, no skip list, no normalization; queries and documents alike get the model's output vector of every
 * attended token ({@code [CLS]} and {@code [SEP]} included).
 *
 * <p>Thread-safe like {@link TextEmbedding}; calls after {@link #close()} throw {@link IllegalStateException}.
 *
 * <pre>{@code
 * try (var colbert = LateInteractionTextEmbedding.builder().model("colbert-ir/colbertv2.0").build()) {
 *     float[][] query = colbert.queryEmbed("what is late interaction?");
 *     List<float[][]> documents = colbert.embed(List.of("ColBERT compares token vectors.", "Bread recipes."));
 *     float score = LateInteractionTextEmbedding.maxSim(query, documents.get(0));
 * }
 * }</pre>
 */
public final class LateInteractionTextEmbedding extends NativeModel {

    private final int dimension;

    private LateInteractionTextEmbedding(String optionsJson) {
        super(NativeType.LATE_INTERACTION, optionsJson);
        this.dimension = call(FastEmbedNative::dimension);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The late interaction models of the catalogue, each loadable with {@code builder().model(name)}. */
    public static List<ModelDescription> listSupportedModels() {
        return ModelCatalog.list(ModelKind.LATE_INTERACTION);
    }

    /** The length of every token vector. */
    public int dimension() {
        return dimension;
    }

    /** Embeds documents: per document, one vector per kept token ({@code tokens × dimension}), in input order. */
    public List<float[][]> embed(List<String> documents) {
        return run(documents, false);
    }

    /** Embeds one document. */
    public float[][] embed(String document) {
        if (document == null) {
            throw new IllegalArgumentException("document must not be null");
        }
        return embed(List.of(document)).getFirst();
    }

    /** Embeds a search query: one vector per token, at least 32 with the {@code [MASK]} padding (ColBERT). */
    public float[][] queryEmbed(String query) {
        if (query == null) {
            throw new IllegalArgumentException("query must not be null");
        }
        return queryEmbed(List.of(query)).getFirst();
    }

    /** Embeds several queries, each as {@link #queryEmbed(String)} would. */
    public List<float[][]> queryEmbed(List<String> queries) {
        return run(queries, true);
    }

    /**
     * ColBERT's relevance score: for each query vector, the largest dot product with any document vector,
     * summed over the query vectors. With normalized vectors the dot products are cosine similarities.
     *
     * @throws IllegalArgumentException if an argument is null or the vectors differ in length
     */
    public static float maxSim(float[][] query, float[][] document) {
        if (query == null || document == null) {
            throw new IllegalArgumentException("query and document must not be null");
        }
        double score = 0;
        for (float[] q : query) {
            double best = Double.NEGATIVE_INFINITY;
            for (float[] d : document) {
                if (q.length != d.length) {
                    throw new IllegalArgumentException("vector lengths differ: " + q.length + " and " + d.length);
                }
                double dot = 0;
                for (int i = 0; i < q.length; i++) {
                    dot += q[i] * d[i];
                }
                best = Math.max(best, dot);
            }
            // An empty document matches nothing.
            score += document.length == 0 ? 0 : best;
        }
        return (float) score;
    }

    private List<float[][]> run(List<String> texts, boolean queries) {
        Utf8Texts.requireTexts(texts);
        return call(model -> FastEmbedNative.embedLateInteraction(model, texts, queries));
    }

    /**
     * Options of a {@link LateInteractionTextEmbedding}; only the model files are required. The query and marker
     * settings default to the catalogue entry's ({@link ModelCatalog#lateInteractionSettings}), else ColBERT v2's.
     */
    public static final class Builder extends TextModelBuilder<Builder> {

        private final Map<String, Object> settings = new LinkedHashMap<>();
        private Boolean normalize;

        private Builder() {
            super(ModelKind.LATE_INTERACTION);
        }

        /** The query marker by token id (jina-colbert-v2: 250002, LateOn: 50368) instead of {@code [unused0]}. */
        public Builder queryMarkerId(int id) {
            settings.put("query_marker_id", nonNegative(id, "queryMarkerId"));
            return this;
        }

        /** The document marker by token id (jina-colbert-v2: 250003, LateOn: 50369) instead of {@code [unused1]}. */
        public Builder documentMarkerId(int id) {
            settings.put("document_marker_id", nonNegative(id, "documentMarkerId"));
            return this;
        }

        /** The token queries are padded with (default {@code [MASK]}; jina-colbert-v2 {@code <mask>}). */
        public Builder maskToken(String token) {
            settings.put("mask_token", Objects.requireNonNull(token, "token"));
            return this;
        }

        /** The length queries are padded to with the mask token, marker included (default 32). */
        public Builder queryLength(int length) {
            settings.put("query_length", nonNegative(length, "queryLength"));
            return this;
        }

        /** Whether queries are padded with the mask token at all (default true; LateOn false). */
        public Builder queryExpansion(boolean expansion) {
            settings.put("query_expansion", expansion);
            return this;
        }

        /** Whether the mask padding of queries is attended (default false; jina-colbert-v2 true). */
        public Builder queryMaskAttention(boolean attended) {
            settings.put("query_mask_attention", attended);
            return this;
        }

        /** The longest query in tokens, marker included (default: as documents; LateOn 32). */
        public Builder queryMaxLength(int length) {
            settings.put("query_max_length", nonNegative(length, "queryMaxLength"));
            return this;
        }

        /** Whether the query and document markers are inserted after {@code [CLS]} (default true; token embeddings false). */
        public Builder markers(boolean markers) {
            settings.put("markers", markers);
            return this;
        }

        /** Whether documents drop the vectors of punctuation tokens (default true; token embeddings false). */
        public Builder skipPunctuation(boolean skip) {
            settings.put("skip_punctuation", skip);
            return this;
        }

        /** Whether every token vector is L2-normalized (default: the catalogue entry's, else true). */
        public Builder normalize(boolean normalize) {
            this.normalize = normalize;
            return this;
        }

        private static int nonNegative(int value, String name) {
            if (value < 0) {
                throw new IllegalArgumentException(name + " must not be negative, got " + value);
            }
            return value;
        }

        /** Resolves the model (downloading it if needed) and loads it. */
        public LateInteractionTextEmbedding build() {
            ResolvedModel model = resolveWithTokenizer("a late interaction model");
            return new LateInteractionTextEmbedding(toJson(model));
        }

        String toJson(ResolvedModel model) {
            Map<String, Object> merged = new LinkedHashMap<>(
                    model.description().map(d -> ModelCatalog.lateInteractionSettings(d.name())).orElse(Map.of()));
            merged.putAll(settings);
            Json json = engineOptions(model).put("normalize", model.orDefault(normalize, ModelDescription::normalize));
            if (maxLength == null) {
                // A family's document length is part of its definition (LateOn: 300 tokens, marker included).
                json.put("max_length", model.description().map(ModelDescription::maxLength).filter(n -> n > 0).orElse(null));
            }
            merged.forEach(json::put);
            return json.toString();
        }
    }
}
