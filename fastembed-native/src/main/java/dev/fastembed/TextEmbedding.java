package dev.fastembed;

import dev.fastembed.catalog.ModelCatalog;
import dev.fastembed.catalog.ModelDescription;
import dev.fastembed.catalog.ModelKind;
import dev.fastembed.hub.HubOptions;
import dev.fastembed.internal.FastEmbedNative;
import dev.fastembed.internal.Json;
import dev.fastembed.internal.NativeHandle;
import dev.fastembed.internal.ResolvedModel;
import dev.fastembed.internal.Utf8Texts;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Objects;

/**
 * A dense text embedding model running in process: tokenizer, ONNX Runtime and pooling in the native engine.
 *
 * <p>Thread-safe: concurrent {@code embed} calls run in parallel on one loaded model (ONNX Runtime sessions
 * allow it); {@link #close()} waits for calls in flight, then frees the native model. Calls after close throw
 * {@link IllegalStateException}.
 *
 * <pre>{@code
 * try (TextEmbedding model = TextEmbedding.builder().model("BAAI/bge-small-en-v1.5").build()) {
 *     float[] vector = model.embed("hello");
 * }
 * }</pre>
 */
public final class TextEmbedding implements AutoCloseable {

    private final NativeHandle handle;
    private final int dimension;
    private final String queryPrefix;
    private final String passagePrefix;

    private TextEmbedding(Builder builder, ResolvedModel model) {
        String options = builder.toJson(model);
        this.handle = FastEmbedNative.create("fe_text_embedding_new", "fe_text_embedding_free", options, "text embedding");
        this.dimension = Math.toIntExact(handle.call(FastEmbedNative::textEmbeddingDimension));
        String query = model.orDefault(builder.queryPrefix, ModelDescription::queryPrefix);
        String passage = model.orDefault(builder.passagePrefix, ModelDescription::passagePrefix);
        this.queryPrefix = query == null ? "" : query;
        this.passagePrefix = passage == null ? "" : passage;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The dense text models of the catalogue, each loadable with {@code builder().model(name)}. */
    public static java.util.List<ModelDescription> listSupportedModels() {
        return ModelCatalog.list(ModelKind.TEXT);
    }

    /** The length of every vector this model returns. */
    public int dimension() {
        return dimension;
    }

    /** Embeds one text. */
    public float[] embed(String text) {
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
        return embed(List.of(text))[0];
    }

    /** Embeds texts, one vector per text in input order. An empty list gives an empty array. */
    public float[][] embed(List<String> texts) {
        return embedWithUsage(texts).vectors();
    }

    /** Embeds texts and reports how many tokens (after truncation, without padding) the model saw. */
    public DenseEmbeddings embedWithUsage(List<String> texts) {
        Utf8Texts.requireTexts(texts);
        return handle.call(model -> {
            if (texts.isEmpty()) {
                return new DenseEmbeddings(new float[0][], 0);
            }
            try (Arena arena = Arena.ofConfined()) {
                Utf8Texts packed = Utf8Texts.pack(arena, texts);
                MemorySegment out = arena.allocate(ValueLayout.JAVA_FLOAT, (long) texts.size() * dimension);
                MemorySegment tokens = arena.allocate(ValueLayout.JAVA_LONG);
                FastEmbedNative.textEmbeddingEmbed(arena, model, packed, out, tokens);
                float[][] vectors = new float[texts.size()][];
                for (int i = 0; i < vectors.length; i++) {
                    vectors[i] = out.asSlice((long) i * dimension * Float.BYTES, (long) dimension * Float.BYTES)
                            .toArray(ValueLayout.JAVA_FLOAT);
                }
                return new DenseEmbeddings(vectors, tokens.get(ValueLayout.JAVA_LONG, 0));
            }
        });
    }

    /** Embeds a search query, with the model's query prefix (e.g. {@code "query: "} for E5) prepended. */
    public float[] queryEmbed(String query) {
        if (query == null) {
            throw new IllegalArgumentException("query must not be null");
        }
        return embed(queryPrefix + query);
    }

    /** Embeds documents, with the model's passage prefix (e.g. {@code "passage: "} for E5) prepended. */
    public float[][] passageEmbed(List<String> passages) {
        Utf8Texts.requireTexts(passages);
        if (passagePrefix.isEmpty()) {
            return embed(passages);
        }
        return embed(passages.stream().map(p -> passagePrefix + p).toList());
    }

    /** Frees the native model once calls in flight have finished. Idempotent. */
    @Override
    public void close() {
        handle.close();
    }

    /** True once {@link #close()} has been called. */
    public boolean isClosed() {
        return handle.isClosed();
    }

    /** Vectors and the number of tokens the model processed for them. */
    public record DenseEmbeddings(float[][] vectors, long tokenCount) {
    }

    /** Options of a {@link TextEmbedding}; only the model files are required. */
    public static final class Builder {
        private ModelFiles files;
        private ModelSource source;
        private HubOptions hubOptions;
        private Integer maxLength;
        private Integer batchSize;
        private Integer threads;
        private Pooling pooling;
        private Boolean normalize;
        private String outputName;
        private String queryPrefix;
        private String passagePrefix;

        private Builder() {
        }

        /** Local ONNX model and tokenizer files (or use {@link #model(ModelSource)}). */
        public Builder modelFiles(ModelFiles files) {
            this.files = Objects.requireNonNull(files, "files");
            return this;
        }

        /**
         * Where the model comes from: catalogue, Hugging Face, folder or class path. Catalogue models bring
         * their defaults (pooling, normalization, prefixes, output) for options left unset.
         */
        public Builder model(ModelSource source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /** A catalogue text model by name or alias, e.g. {@code "BAAI/bge-small-en-v1.5"} or {@code "BGESmallENV15"}. */
        public Builder model(String catalogName) {
            return model(ModelSource.catalog(ModelKind.TEXT, catalogName));
        }

        /** Download and cache settings for {@link #model} (default: {@link HubOptions#defaults()}). */
        public Builder hubOptions(HubOptions hubOptions) {
            this.hubOptions = Objects.requireNonNull(hubOptions, "hubOptions");
            return this;
        }

        /** Maximum tokens per text; longer texts are truncated (default: the tokenizer's, at most 512). */
        public Builder maxLength(int maxLength) {
            this.maxLength = positive(maxLength, "maxLength");
            return this;
        }

        /** Texts per ONNX Runtime run (default 256, further bounded by a token budget). */
        public Builder batchSize(int batchSize) {
            this.batchSize = positive(batchSize, "batchSize");
            return this;
        }

        /** ONNX Runtime intra-op threads (default: available cores). */
        public Builder threads(int threads) {
            this.threads = positive(threads, "threads");
            return this;
        }

        /** Pooling of token states (default CLS). */
        public Builder pooling(Pooling pooling) {
            this.pooling = Objects.requireNonNull(pooling, "pooling");
            return this;
        }

        /** L2-normalize vectors (default true). */
        public Builder normalize(boolean normalize) {
            this.normalize = normalize;
            return this;
        }

        /**
         * The ONNX output to pool (default: the catalogue's, else {@code text_embeds} (CLIP), else
         * {@code last_hidden_state}, else {@code sentence_embedding}, else the model's first output).
         */
        public Builder outputName(String outputName) {
            this.outputName = outputName;
            return this;
        }

        /** Prefix {@link #queryEmbed} adds, e.g. {@code "query: "}. */
        public Builder queryPrefix(String queryPrefix) {
            this.queryPrefix = queryPrefix;
            return this;
        }

        /** Prefix {@link #passageEmbed} adds, e.g. {@code "passage: "}. */
        public Builder passagePrefix(String passagePrefix) {
            this.passagePrefix = passagePrefix;
            return this;
        }

        /** Resolves the model (downloading it if needed) and loads it. */
        public TextEmbedding build() {
            ResolvedModel model = ResolvedModel.of(files, source, hubOptions);
            if (model.files().tokenizer() == null) {
                throw new IllegalArgumentException("a text embedding model needs a tokenizer.json");
            }
            return new TextEmbedding(this, model);
        }

        String toJson(ResolvedModel model) {
            Pooling effectivePooling = model.orDefault(pooling, ModelDescription::pooling);
            return Json.object()
                    .modelFiles(model.files())
                    .put("max_length", maxLength)
                    .put("batch_size", batchSize)
                    .put("threads", threads)
                    .put("pooling", effectivePooling == null ? null : effectivePooling.nativeName())
                    .put("normalize", model.orDefault(normalize, ModelDescription::normalize))
                    .put("output_name", model.orDefault(outputName, ModelDescription::outputName))
                    .toString();
        }

        private static int positive(int value, String name) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
            return value;
        }
    }
}
