package dev.fastembed;

import dev.fastembed.catalog.ModelCatalog;
import dev.fastembed.catalog.ModelDescription;
import dev.fastembed.catalog.ModelKind;
import dev.fastembed.internal.FastEmbedNative;
import dev.fastembed.internal.Json;
import dev.fastembed.internal.FastEmbedNative.NativeType;
import dev.fastembed.internal.ResolvedModel;
import dev.fastembed.internal.Utf8Texts;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A sparse text embedding model running in process, as fastembed's {@code SparseTextEmbedding}: SPLADE
 * (learned weights over the vocabulary), BM25 (term frequencies of stemmed words, no model files) or BM42
 * (words weighted by a transformer's attention).
 *
 * <p>Documents and queries are embedded differently where fastembed does: {@link #embed} weighs document
 * words (BM25: by term frequency and document length; BM42: by attention), {@link #queryEmbed} gives each
 * query word weight 1.0. BM25 and BM42 leave the inverse document frequency to the vector store (Qdrant's
 * {@code idf} modifier). SPLADE embeds queries as documents.
 *
 * <p>Thread-safe; {@link #close()} waits for calls in flight. Calls after close throw
 * {@link IllegalStateException}.
 *
 * <pre>{@code
 * try (SparseTextEmbedding splade = SparseTextEmbedding.builder().model("prithivida/Splade_PP_en_v1").build();
 *      SparseTextEmbedding bm25 = SparseTextEmbedding.bm25()) {
 *     SparseEmbedding doc = splade.embed("Sparse vectors for hybrid search");
 *     SparseEmbedding query = bm25.queryEmbed("hybrid search");
 * }
 * }</pre>
 */
public final class SparseTextEmbedding extends NativeModel {

    /** How term weights are computed. */
    public enum Algorithm {
        /** Learned weights over the tokenizer's vocabulary; indices are token ids. */
        SPLADE,
        /** Term frequencies of stemmed words, without a model; indices are word hashes. */
        BM25,
        /** Words weighted by attention; indices are word hashes. */
        BM42,
        /**
         * Inference-free SPLADE (opensearch-neural-sparse v3): documents through the model (double-log weights),
         * queries by the model's {@code idf.json} alone, the ONNX model never loaded for them; indices are token ids.
         */
        IF_SPLADE,
        /**
         * miniCOIL: BM25 whose vocabulary words carry a 4-value meaning vector (indices {@code word_id * 4 + j}),
         * other words BM25's hashed stems; values may be negative. Needs its vocabulary, matrices and stopwords.
         */
        MINICOIL
    }

    /** The files miniCOIL ships next to its tokenizer (vocabulary, per-word matrices, stopwords). */
    static final String MINICOIL_VOCAB = "minicoil.triplet.model.vocab";
    static final String MINICOIL_WEIGHTS = "minicoil.triplet.model.npy";
    static final String MINICOIL_STOPWORDS = "stopwords.txt";

    /** The IDF table an inference-free SPLADE model ships next to its tokenizer. */
    static final String IDF_FILE = "idf.json";

    private static final String BM25_MODEL = "Qdrant/bm25";

    private final Algorithm algorithm;

    private SparseTextEmbedding(String optionsJson) {
        super(NativeType.SPARSE_EMBEDDING, optionsJson);
        this.algorithm = Algorithm.values()[call(FastEmbedNative::sparseEmbeddingAlgorithm)];
    }

    public static Builder builder() {
        return new Builder();
    }

    /** BM25 with fastembed's defaults (English, k1 1.2, b 0.75, average length 256); needs no files. */
    public static SparseTextEmbedding bm25() {
        return builder().algorithm(Algorithm.BM25).build();
    }

    /** The sparse models of the catalogue, each loadable with {@code builder().model(name)}. */
    public static List<ModelDescription> listSupportedModels() {
        return ModelCatalog.list(ModelKind.SPARSE);
    }

    /** The algorithm of this model (given, or recognised from the model's output). */
    public Algorithm algorithm() {
        return algorithm;
    }

    /** Embeds one document. */
    public SparseEmbedding embed(String document) {
        return embed(List.of(requireText(document, "document"))).getFirst();
    }

    /** Embeds documents, one vector per document in input order. An empty list gives an empty list. */
    public List<SparseEmbedding> embed(List<String> documents) {
        return run(documents, false);
    }

    /** Embeds one search query. */
    public SparseEmbedding queryEmbed(String query) {
        return queryEmbed(List.of(requireText(query, "query"))).getFirst();
    }

    /** Embeds search queries, one vector per query in input order. */
    public List<SparseEmbedding> queryEmbed(List<String> queries) {
        return run(queries, true);
    }

    private List<SparseEmbedding> run(List<String> texts, boolean queries) {
        Utf8Texts.requireTexts(texts);
        FastEmbedNative.SparseRows rows = call(model -> FastEmbedNative.embedSparse(model, texts, queries));
        List<SparseEmbedding> vectors = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            int from = Math.toIntExact(rows.offsets()[i]);
            int to = Math.toIntExact(rows.offsets()[i + 1]);
            vectors.add(new SparseEmbedding(Arrays.copyOfRange(rows.indices(), from, to),
                    Arrays.copyOfRange(rows.values(), from, to)));
        }
        return List.copyOf(vectors);
    }

    private static String requireText(String text, String name) {
        if (text == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return text;
    }

    /**
     * Options of a {@link SparseTextEmbedding}. SPLADE and BM42 need model files ({@link #model} or
     * {@link #modelFiles}); BM25 needs none ({@code model("Qdrant/bm25")} or {@code algorithm(BM25)}).
     */
    public static final class Builder extends TextModelBuilder<Builder> {
        private Algorithm algorithm;
        private String language;
        private Float k1;
        private Float b;
        private Float avgLen;
        private Integer tokenMaxLength;
        private Boolean disableStemmer;
        private List<String> stopwords;
        private Float alpha;
        private Path idfFile;
        private Path[] miniCoilFiles;

        private Builder() {
            super(ModelKind.SPARSE);
        }

        /**
         * The algorithm (default: BM25 for {@code Qdrant/bm25}, otherwise recognised from the model's output:
         * {@code logits} means SPLADE, an {@code attention_*} output BM42). {@code BM25} needs no model.
         */
        public Builder algorithm(Algorithm algorithm) {
            this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
            return this;
        }

        /** BM25/BM42: stemmer and stopword language, e.g. {@code "english"} (default), {@code "german"}. */
        public Builder language(String language) {
            this.language = Objects.requireNonNull(language, "language");
            return this;
        }

        /** BM25: term-frequency saturation k1 (default 1.2). */
        public Builder k1(float k1) {
            this.k1 = k1;
            return this;
        }

        /** BM25: document-length weight b in [0, 1] (default 0.75). */
        public Builder b(float b) {
            this.b = b;
            return this;
        }

        /** BM25: average document length in words (default 256). */
        public Builder avgLen(float avgLen) {
            this.avgLen = avgLen;
            return this;
        }

        /** BM25: longer words (in characters) are dropped (default 40). */
        public Builder tokenMaxLength(int tokenMaxLength) {
            this.tokenMaxLength = positive(tokenMaxLength, "tokenMaxLength");
            return this;
        }

        /** BM25/BM42: no stemming and no stopwords (default false). */
        public Builder disableStemmer(boolean disableStemmer) {
            this.disableStemmer = disableStemmer;
            return this;
        }

        /**
         * BM25/BM42: the stopwords to drop, replacing the language's built-in list (also with
         * {@link #disableStemmer}); matched against the lowercased word before stemming, as fastembed does.
         */
        public Builder stopwords(List<String> stopwords) {
            this.stopwords = List.copyOf(Objects.requireNonNull(stopwords, "stopwords"));
            return this;
        }

        /** BM42: exponent of the rescoring {@code ln(1 + w)^alpha} (default 0.5). */
        public Builder alpha(float alpha) {
            this.alpha = alpha;
            return this;
        }

        /**
         * Inference-free SPLADE: the IDF table queries are weighed with (default: {@code idf.json} beside the
         * tokenizer). Setting it selects {@link Algorithm#IF_SPLADE} unless another algorithm is set.
         */
        public Builder idfFile(Path idfFile) {
            this.idfFile = Objects.requireNonNull(idfFile, "idfFile");
            return this;
        }

        /**
         * miniCOIL: its vocabulary ({@code minicoil.triplet.model.vocab}), per-word matrices ({@code .npy}) and
         * stopwords ({@code stopwords.txt}, or null for none); default: those files beside the tokenizer. Setting
         * them selects {@link Algorithm#MINICOIL} unless another algorithm is set.
         */
        public Builder miniCoilFiles(Path vocabFile, Path weightsFile, Path stopwordsFile) {
            this.miniCoilFiles = new Path[] {Objects.requireNonNull(vocabFile, "vocabFile"),
                Objects.requireNonNull(weightsFile, "weightsFile"), stopwordsFile};
            return this;
        }

        /** Resolves the model (downloading it if needed, never for BM25) and loads it. */
        public SparseTextEmbedding build() {
            if (files == null && source == null && algorithm != Algorithm.BM25) {
                throw new IllegalArgumentException("a model is required: set model(...) or modelFiles(...), or"
                        + " algorithm(BM25) for BM25, which needs no files");
            }
            Json json;
            if (isBm25()) {
                if (files != null || (source != null && !isBm25Entry(source))) {
                    throw new IllegalArgumentException("BM25 has no model files: set neither modelFiles nor a model"
                            + " other than " + BM25_MODEL);
                }
                json = Json.object().put("sparse_model", "bm25");
            } else {
                ResolvedModel model = resolveWithTokenizer("a SPLADE or BM42 model");
                Algorithm chosen = algorithm != null ? algorithm : isIfSplade(model) ? Algorithm.IF_SPLADE
                        : isMiniCoil(model) ? Algorithm.MINICOIL : null;
                json = engineOptions(model)
                        .put("sparse_model", chosen == null ? null : chosen.name().toLowerCase(Locale.ROOT));
                if (chosen == Algorithm.MINICOIL) {
                    Path dir = model.files().tokenizer().toAbsolutePath().getParent();
                    Path[] given = miniCoilFiles != null ? miniCoilFiles : new Path[] {dir.resolve(MINICOIL_VOCAB),
                        dir.resolve(MINICOIL_WEIGHTS), dir.resolve(MINICOIL_STOPWORDS)};
                    json.put("minicoil_vocab_file", given[0]).put("minicoil_weights_file", given[1])
                            .put("stopwords_file", given[2]);
                }
                if (chosen == Algorithm.IF_SPLADE) {
                    json.put("idf_file", idfFile != null ? idfFile
                            : model.files().tokenizer().toAbsolutePath().resolveSibling(IDF_FILE));
                }
            }
            json.put("language", language)
                    .put("k1", k1)
                    .put("b", b)
                    .put("avg_len", avgLen)
                    .put("token_max_length", tokenMaxLength)
                    .put("disable_stemmer", disableStemmer)
                    .put("stopwords", stopwords)
                    .put("alpha", alpha);
            return new SparseTextEmbedding(json.toString());
        }

        /** An explicit IDF table, or a catalogue entry that ships one (inference-free SPLADE). */
        private boolean isIfSplade(ResolvedModel model) {
            return idfFile != null || model.description().map(d -> d.additionalFiles().contains(IDF_FILE)).orElse(false);
        }

        /** Explicit miniCOIL files, or a catalogue entry that ships them. */
        private boolean isMiniCoil(ResolvedModel model) {
            return miniCoilFiles != null
                    || model.description().map(d -> d.additionalFiles().contains(MINICOIL_VOCAB)).orElse(false);
        }

        private boolean isBm25() {
            if (algorithm != null) {
                return algorithm == Algorithm.BM25;
            }
            return files == null && isBm25Entry(source);
        }

        /** A sparse catalogue entry without an ONNX file: BM25, whose stemmers and stopwords are built in. */
        private static boolean isBm25Entry(ModelSource source) {
            return source instanceof ModelSource.Catalog catalog && catalog.model().kind() == ModelKind.SPARSE
                    && catalog.model().modelFile() == null;
        }
    }
}
