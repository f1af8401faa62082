package dev.fastembed;

import dev.fastembed.catalog.ModelCatalog;
import dev.fastembed.catalog.ModelDescription;
import dev.fastembed.catalog.ModelKind;
import dev.fastembed.internal.FastEmbedNative;
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
    public static final class Builder extends TextModelBuilder<Builder> {
        private Pooling pooling;
        private Boolean normalize;
        private String queryPrefix;
        private String passagePrefix;

        private Builder() {
            super(ModelKind.TEXT);
        }

        /** Pooling of token states (default: the catalogue's, else CLS). */
        public Builder pooling(Pooling pooling) {
            this.pooling = Objects.requireNonNull(pooling, "pooling");
            return this;
        }

        /** L2-normalize vectors (default: the catalogue's, else true). */
        public Builder normalize(boolean normalize) {
            this.normalize = normalize;
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
            ResolvedModel model = resolve();
            if (model.files().tokenizer() == null) {
                throw new IllegalArgumentException("a text embedding model needs a tokenizer.json");
            }
            return new TextEmbedding(this, model);
        }

        String toJson(ResolvedModel model) {
            Pooling effectivePooling = model.orDefault(pooling, ModelDescription::pooling);
            return engineOptions(model)
                    .put("pooling", effectivePooling == null ? null : effectivePooling.nativeName())
                    .put("normalize", model.orDefault(normalize, ModelDescription::normalize))
                    .toString();
        }
    }
}
