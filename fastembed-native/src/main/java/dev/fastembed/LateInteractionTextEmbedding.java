package dev.fastembed;

import dev.fastembed.catalog.ModelCatalog;
import dev.fastembed.catalog.ModelDescription;
import dev.fastembed.catalog.ModelKind;
import dev.fastembed.internal.FastEmbedNative;
import dev.fastembed.internal.FastEmbedNative.NativeType;
import dev.fastembed.internal.ResolvedModel;
import dev.fastembed.internal.Utf8Texts;

import java.util.List;

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

    /** Embeds a search query: one vector per token, at least 32 with the {@code [MASK]} padding. */
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

    /** Options of a {@link LateInteractionTextEmbedding}; only the model files are required. */
    public static final class Builder extends TextModelBuilder<Builder> {

        private Builder() {
            super(ModelKind.LATE_INTERACTION);
        }

        /** Resolves the model (downloading it if needed) and loads it. */
        public LateInteractionTextEmbedding build() {
            ResolvedModel model = resolveWithTokenizer("a late interaction model");
            return new LateInteractionTextEmbedding(toJson(model));
        }

        String toJson(ResolvedModel model) {
            return engineOptions(model).put("normalize", model.orDefault(null, ModelDescription::normalize)).toString();
        }
    }
}
