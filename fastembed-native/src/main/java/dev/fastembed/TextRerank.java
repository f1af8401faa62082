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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A cross-encoder reranker running in process, as fastembed's {@code TextCrossEncoder} / fastembed-rs'
 * {@code TextRerank}: each (query, document) pair is tokenized with the tokenizer's pair template, truncated
 * longest-first to the model's length, and scored by the model. Scores are the model's raw logits, as fastembed
 * returns them, unless the model is built with {@link Builder#sigmoid(boolean)}.
 *
 * <p>Thread-safe; {@link #close()} waits for calls in flight. Calls after close throw
 * {@link IllegalStateException}.
 *
 * <pre>{@code
 * try (TextRerank reranker = TextRerank.builder().model("BAAI/bge-reranker-base").build()) {
 *     List<RerankResult> best = reranker.rerank("what is a panda?", documents, 3);
 * }
 * }</pre>
 */
public final class TextRerank implements AutoCloseable {

    private static final Comparator<RerankResult> BEST_FIRST =
            Comparator.comparing(RerankResult::score, Comparator.reverseOrder()).thenComparing(RerankResult::index);

    private final NativeHandle handle;
    private final boolean sigmoid;

    private TextRerank(String optionsJson, boolean sigmoid) {
        this.handle = FastEmbedNative.create("fe_text_rerank_new", "fe_text_rerank_free", optionsJson, "reranker");
        this.sigmoid = sigmoid;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The rerankers of the catalogue, each loadable with {@code builder().model(name)}. */
    public static List<ModelDescription> listSupportedModels() {
        return ModelCatalog.list(ModelKind.RERANK);
    }

    /** The score of each document for {@code query}, in the order of {@code documents}. */
    public float[] score(String query, List<String> documents) {
        requireInputs(query, documents);
        return handle.call(model -> {
            if (documents.isEmpty()) {
                return new float[0];
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment scores = arena.allocate(ValueLayout.JAVA_FLOAT, documents.size());
                FastEmbedNative.textRerankScore(arena, model, Utf8Texts.single(arena, query),
                        Utf8Texts.pack(arena, documents), sigmoid, scores);
                return scores.toArray(ValueLayout.JAVA_FLOAT);
            }
        });
    }

    /** All documents, best first (ties in input order). */
    public List<RerankResult> rerank(String query, List<String> documents) {
        return rerank(query, documents, Integer.MAX_VALUE);
    }

    /** The {@code topK} best documents, best first (ties in input order); fewer if there are fewer documents. */
    public List<RerankResult> rerank(String query, List<String> documents, int topK) {
        if (topK <= 0) {
            throw new IllegalArgumentException("topK must be positive, got " + topK);
        }
        float[] scores = score(query, documents);
        List<RerankResult> results = new ArrayList<>(scores.length);
        for (int i = 0; i < scores.length; i++) {
            results.add(new RerankResult(i, scores[i], documents.get(i)));
        }
        results.sort(BEST_FIRST);
        return List.copyOf(results.subList(0, Math.min(topK, results.size())));
    }

    /** Whether scores are squashed through a sigmoid into (0, 1). */
    public boolean sigmoid() {
        return sigmoid;
    }

    /** Frees the native model once calls in flight have finished. Idempotent. */
    @Override
    public void close() {
        handle.close();
    }

    public boolean isClosed() {
        return handle.isClosed();
    }

    private static void requireInputs(String query, List<String> documents) {
        if (query == null) {
            throw new IllegalArgumentException("query must not be null");
        }
        if (documents == null) {
            throw new IllegalArgumentException("documents must not be null");
        }
        for (int i = 0; i < documents.size(); i++) {
            if (documents.get(i) == null) {
                throw new IllegalArgumentException("documents[" + i + "] is null");
            }
        }
    }

    /** Options of a {@link TextRerank}; only the model is required. */
    public static final class Builder {
        private ModelFiles files;
        private ModelSource source;
        private HubOptions hubOptions;
        private Integer maxLength;
        private Integer batchSize;
        private Integer threads;
        private String outputName;
        private boolean sigmoid;

        private Builder() {
        }

        /** Local ONNX model and tokenizer files (or use {@link #model(ModelSource)}). */
        public Builder modelFiles(ModelFiles files) {
            this.files = Objects.requireNonNull(files, "files");
            return this;
        }

        /** Where the model comes from: catalogue, Hugging Face, folder or class path. */
        public Builder model(ModelSource source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /** A catalogue reranker by name or alias, e.g. {@code "BAAI/bge-reranker-base"} or {@code "BGERerankerBase"}. */
        public Builder model(String catalogName) {
            return model(ModelSource.catalog(ModelKind.RERANK, catalogName));
        }

        /** Download and cache settings for {@link #model} (default: {@link HubOptions#defaults()}). */
        public Builder hubOptions(HubOptions hubOptions) {
            this.hubOptions = Objects.requireNonNull(hubOptions, "hubOptions");
            return this;
        }

        /** Maximum tokens per (query, document) pair, truncated longest-first (default: the tokenizer's, at most 512). */
        public Builder maxLength(int maxLength) {
            this.maxLength = positive(maxLength, "maxLength");
            return this;
        }

        /** Pairs per ONNX Runtime run (default 256, further bounded by a token budget). */
        public Builder batchSize(int batchSize) {
            this.batchSize = positive(batchSize, "batchSize");
            return this;
        }

        /** ONNX Runtime intra-op threads (default: available cores). */
        public Builder threads(int threads) {
            this.threads = positive(threads, "threads");
            return this;
        }

        /** The ONNX output holding the logits (default {@code logits}, else the model's first output). */
        public Builder outputName(String outputName) {
            this.outputName = Objects.requireNonNull(outputName, "outputName");
            return this;
        }

        /** Squash scores through a sigmoid into (0, 1) (default false: raw logits, as fastembed returns). */
        public Builder sigmoid(boolean sigmoid) {
            this.sigmoid = sigmoid;
            return this;
        }

        /** Resolves the model (downloading it if needed) and loads it. */
        public TextRerank build() {
            ResolvedModel model = ResolvedModel.of(files, source, hubOptions);
            if (model.files().tokenizer() == null) {
                throw new IllegalArgumentException("a reranker needs a tokenizer.json");
            }
            String json = Json.object()
                    .modelFiles(model.files())
                    .put("max_length", maxLength)
                    .put("batch_size", batchSize)
                    .put("threads", threads)
                    .put("output_name", model.orDefault(outputName, ModelDescription::outputName))
                    .toString();
            return new TextRerank(json, sigmoid);
        }

        private static int positive(int value, String name) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
            return value;
        }
    }
}
