package dev.fastembed.internal;

import dev.fastembed.FastEmbedException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The one place that touches the C ABI of libfastembed (include/fastembed.h). Method handles are resolved
 * once; every fallible function returns an {@code fe_result} and may hand back an {@code fe_error} that is
 * turned into a {@link FastEmbedException} and freed here.
 */
public final class FastEmbedNative {

    private static final Linker LINKER = Linker.nativeLinker();
    /** size_t on the 64-bit platforms this project ships for. */
    private static final ValueLayout SIZE_T = JAVA_LONG;

    private static final Throwable LOAD_FAILURE;
    private static final SymbolLookup LOOKUP;

    static {
        SymbolLookup lookup = null;
        Throwable failure = null;
        try {
            lookup = SymbolLookup.libraryLookup(NativeLibraries.fastembedLibrary(), Arena.global());
        } catch (Throwable t) {
            failure = t;
        }
        LOOKUP = lookup;
        LOAD_FAILURE = failure;
    }

    private static final MethodHandle RUNTIME_INIT = downcall("fe_runtime_init", JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle VERSION = downcall("fe_version", ADDRESS);
    private static final MethodHandle ONNXRUNTIME_VERSION = downcall("fe_onnxruntime_version", ADDRESS);
    private static final MethodHandle ERROR_MESSAGE = downcall("fe_error_message", ADDRESS, ADDRESS);
    private static final MethodHandle ERROR_FREE = downcallVoid("fe_error_free", ADDRESS);
    private static final MethodHandle DEBUG_PANIC = downcall("fe_debug_panic", JAVA_INT, ADDRESS, ADDRESS);

    private static final MethodHandle TEXT_EMBEDDING_DIMENSION = downcall("fe_text_embedding_dimension", SIZE_T, ADDRESS);
    private static final MethodHandle TEXT_EMBEDDING_EMBED = downcall("fe_text_embedding_embed", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, SIZE_T, ADDRESS, SIZE_T, ADDRESS, ADDRESS);

    private static final MethodHandle TEXT_EMBEDDING_EMBED_TASK = downcall("fe_text_embedding_embed_task", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, SIZE_T, ADDRESS, SIZE_T, ADDRESS, ADDRESS);

    private static final MethodHandle TOKENIZER_ENCODE = downcall("fe_tokenizer_encode", JAVA_INT,
            ADDRESS, ADDRESS, SIZE_T, ADDRESS, SIZE_T, JAVA_BOOLEAN, ADDRESS, ADDRESS);
    private static final MethodHandle ENCODING_LEN = downcall("fe_encoding_len", SIZE_T, ADDRESS);
    private static final MethodHandle ENCODING_IDS = downcall("fe_encoding_ids", ADDRESS, ADDRESS);
    private static final MethodHandle ENCODING_TYPE_IDS = downcall("fe_encoding_type_ids", ADDRESS, ADDRESS);
    private static final MethodHandle ENCODING_ATTENTION_MASK = downcall("fe_encoding_attention_mask", ADDRESS, ADDRESS);
    private static final MethodHandle ENCODING_SPECIAL_TOKENS_MASK = downcall("fe_encoding_special_tokens_mask", ADDRESS, ADDRESS);
    private static final MethodHandle ENCODING_FREE = downcallVoid("fe_encoding_free", ADDRESS);
    private static final MethodHandle TOKENIZER_ENCODE_BATCH = downcall("fe_tokenizer_encode_batch", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, SIZE_T, JAVA_BOOLEAN, ADDRESS, ADDRESS);
    private static final MethodHandle ENCODINGS_COUNT = downcall("fe_encodings_count", SIZE_T, ADDRESS);
    private static final MethodHandle ENCODINGS_OFFSETS = downcall("fe_encodings_offsets", ADDRESS, ADDRESS);
    private static final MethodHandle ENCODINGS_IDS = downcall("fe_encodings_ids", ADDRESS, ADDRESS);
    private static final MethodHandle ENCODINGS_TYPE_IDS = downcall("fe_encodings_type_ids", ADDRESS, ADDRESS);
    private static final MethodHandle ENCODINGS_ATTENTION_MASK = downcall("fe_encodings_attention_mask", ADDRESS, ADDRESS);
    private static final MethodHandle ENCODINGS_SPECIAL_TOKENS_MASK = downcall("fe_encodings_special_tokens_mask", ADDRESS, ADDRESS);
    private static final MethodHandle ENCODINGS_FREE = downcallVoid("fe_encodings_free", ADDRESS);

    // ---- Image embedding and late interaction (fe_image_embedding_*, fe_late_interaction_*, fe_token_embeddings_*) ----
    private static final MethodHandle IMAGE_EMBEDDING_DIMENSION = downcall("fe_image_embedding_dimension", SIZE_T, ADDRESS);
    private static final MethodHandle IMAGE_EMBEDDING_EMBED_FILES = downcall("fe_image_embedding_embed_files", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, SIZE_T, ADDRESS, SIZE_T, ADDRESS);
    private static final MethodHandle IMAGE_EMBEDDING_EMBED_BYTES = downcall("fe_image_embedding_embed_bytes", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, SIZE_T, ADDRESS, SIZE_T, ADDRESS);
    private static final MethodHandle LATE_INTERACTION_DIMENSION = downcall("fe_late_interaction_dimension", SIZE_T, ADDRESS);
    private static final MethodHandle LATE_INTERACTION_EMBED_DOCUMENTS = downcall("fe_late_interaction_embed_documents",
            JAVA_INT, ADDRESS, ADDRESS, ADDRESS, SIZE_T, ADDRESS, ADDRESS);
    private static final MethodHandle LATE_INTERACTION_EMBED_QUERIES = downcall("fe_late_interaction_embed_queries",
            JAVA_INT, ADDRESS, ADDRESS, ADDRESS, SIZE_T, ADDRESS, ADDRESS);
    private static final MethodHandle LATE_INTERACTION_MULTIMODAL_DIMENSION =
            downcall("fe_late_interaction_multimodal_dimension", SIZE_T, ADDRESS);
    private static final MethodHandle LATE_INTERACTION_MULTIMODAL_EMBED_QUERIES =
            downcall("fe_late_interaction_multimodal_embed_queries", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, SIZE_T, ADDRESS,
                    ADDRESS);
    private static final MethodHandle LATE_INTERACTION_MULTIMODAL_EMBED_IMAGE_FILES =
            downcall("fe_late_interaction_multimodal_embed_image_files", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, SIZE_T,
                    ADDRESS, ADDRESS);
    private static final MethodHandle LATE_INTERACTION_MULTIMODAL_EMBED_IMAGE_BYTES =
            downcall("fe_late_interaction_multimodal_embed_image_bytes", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, SIZE_T,
                    ADDRESS, ADDRESS);
    private static final MethodHandle TOKEN_EMBEDDINGS_COUNT = downcall("fe_token_embeddings_count", SIZE_T, ADDRESS);
    private static final MethodHandle TOKEN_EMBEDDINGS_DIMENSION = downcall("fe_token_embeddings_dimension", SIZE_T, ADDRESS);
    private static final MethodHandle TOKEN_EMBEDDINGS_OFFSETS = downcall("fe_token_embeddings_offsets", ADDRESS, ADDRESS);
    private static final MethodHandle TOKEN_EMBEDDINGS_DATA = downcall("fe_token_embeddings_data", ADDRESS, ADDRESS);
    private static final MethodHandle TOKEN_EMBEDDINGS_FREE = downcallVoid("fe_token_embeddings_free", ADDRESS);

    // ---- Sparse text embedding and reranking (fe_sparse_embedding_*, fe_sparse_embeddings_*, fe_text_rerank_*) ----
    private static final MethodHandle SPARSE_EMBEDDING_ALGORITHM = downcall("fe_sparse_embedding_algorithm", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS);
    private static final MethodHandle SPARSE_EMBEDDING_EMBED = downcall("fe_sparse_embedding_embed", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, SIZE_T, ADDRESS, ADDRESS);
    private static final MethodHandle SPARSE_EMBEDDING_QUERY_EMBED = downcall("fe_sparse_embedding_query_embed", JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, SIZE_T, ADDRESS, ADDRESS);
    private static final MethodHandle SPARSE_EMBEDDINGS_COUNT = downcall("fe_sparse_embeddings_count", SIZE_T, ADDRESS);
    private static final MethodHandle SPARSE_EMBEDDINGS_OFFSETS = downcall("fe_sparse_embeddings_offsets", ADDRESS, ADDRESS);
    private static final MethodHandle SPARSE_EMBEDDINGS_INDICES = downcall("fe_sparse_embeddings_indices", ADDRESS, ADDRESS);
    private static final MethodHandle SPARSE_EMBEDDINGS_VALUES = downcall("fe_sparse_embeddings_values", ADDRESS, ADDRESS);
    private static final MethodHandle SPARSE_EMBEDDINGS_FREE = downcallVoid("fe_sparse_embeddings_free", ADDRESS);
    private static final MethodHandle TEXT_RERANK_SCORE = downcall("fe_text_rerank_score", JAVA_INT,
            ADDRESS, ADDRESS, SIZE_T, ADDRESS, ADDRESS, SIZE_T, JAVA_BOOLEAN, ADDRESS, SIZE_T, ADDRESS);

    /**
     * The kinds of native object libfastembed creates, each with its {@code fe_<prefix>_new(options_json, out, error)}
     * and {@code fe_<prefix>_free(ptr)}; the description names it in "This ... is closed".
     */
    public enum NativeType {
        TEXT_EMBEDDING("text_embedding", "text embedding"),
        SPARSE_EMBEDDING("sparse_embedding", "sparse text embedding"),
        IMAGE_EMBEDDING("image_embedding", "image embedding"),
        LATE_INTERACTION("late_interaction", "late interaction model"),
        LATE_INTERACTION_MULTIMODAL("late_interaction_multimodal", "late interaction multimodal model"),
        TEXT_RERANK("text_rerank", "reranker"),
        TOKENIZER("tokenizer", "tokenizer");

        private final String prefix;
        private final String description;

        NativeType(String prefix, String description) {
            this.prefix = prefix;
            this.description = description;
        }

        /** The C function {@code fe_<prefix>_<suffix>}, e.g. {@code fe_text_embedding_new}. */
        String function(String suffix) {
            return "fe_" + prefix + "_" + suffix;
        }

        /** How the object is named in messages, e.g. "text embedding". */
        public String description() {
            return description;
        }
    }

    private static final Object RUNTIME_LOCK = new Object();
    private static volatile boolean runtimeReady;

    private FastEmbedNative() {
    }

    /** The engine's version, e.g. "0.1.0". */
    public static String version() {
        return string(invokeAddress(VERSION));
    }

    /** The loaded ONNX Runtime's version, e.g. "1.29.0". */
    public static String onnxRuntimeVersion() {
        ensureRuntime();
        return string(invokeAddress(ONNXRUNTIME_VERSION));
    }

    /**
     * Makes the engine panic on purpose inside its FFI boundary; the panic must come back as a
     * {@link FastEmbedException} of kind PANIC carrying {@code message}. For tests of the boundary.
     */
    public static void debugPanic(String message) {
        ensureRuntime();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment error = errorSlot(arena);
            int result = (int) DEBUG_PANIC.invokeExact(arena.allocateFrom(message), error);
            check(result, error);
        } catch (FastEmbedException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected("fe_debug_panic", t);
        }
    }

    /**
     * Creates a native object with {@code fe_<type>_new(const char *options_json, T **out, fe_error **error)}
     * and wraps it in a handle freed by {@code fe_<type>_free(T *)}.
     */
    public static NativeHandle create(NativeType type, String optionsJson) {
        ensureRuntime();
        String newFunction = type.function("new");
        MethodHandle constructor = downcall(newFunction, JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        MethodHandle free = downcallVoid(type.function("free"), ADDRESS);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            MemorySegment error = errorSlot(arena);
            int result = (int) constructor.invokeExact(arena.allocateFrom(optionsJson), out, error);
            check(result, error);
            return new NativeHandle(out.get(ADDRESS, 0), free, type);
        } catch (FastEmbedException | IllegalArgumentException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(newFunction, t);
        }
    }

    /** {@code fe_<type>_cancel} per kind of model that runs ONNX Runtime (all but the tokenizer). */
    private static final Map<NativeType, MethodHandle> CANCEL = cancelFunctions();

    private static Map<NativeType, MethodHandle> cancelFunctions() {
        Map<NativeType, MethodHandle> cancel = new EnumMap<>(NativeType.class);
        for (NativeType type : NativeType.values()) {
            if (type != NativeType.TOKENIZER && LOOKUP != null) {
                cancel.put(type, downcallVoid(type.function("cancel"), ADDRESS));
            }
        }
        return cancel;
    }

    /** Whether {@link #cancelRuns} can stop calls on this kind of object. */
    public static boolean runsCancellable(NativeType type) {
        return CANCEL.containsKey(type);
    }

    /**
     * Stops the ONNX Runtime runs under way on {@code model} ({@code fe_<type>_cancel}); their calls fail with
     * {@link FastEmbedException.Kind#CANCELLED}. The caller must keep the object alive during this call.
     */
    public static void cancelRuns(NativePointer model) {
        MethodHandle cancel = CANCEL.get(model.type());
        if (cancel == null) {
            return;
        }
        try {
            cancel.invokeExact(model.segment());
        } catch (Throwable t) {
            throw unexpected(model.type().function("cancel"), t);
        }
    }

    /** {@code fe_<type>_session_info} per kind of model that runs ONNX Runtime (all but the tokenizer). */
    private static final Map<NativeType, MethodHandle> SESSION_INFO = sessionInfoFunctions();

    private static Map<NativeType, MethodHandle> sessionInfoFunctions() {
        Map<NativeType, MethodHandle> info = new EnumMap<>(NativeType.class);
        for (NativeType type : NativeType.values()) {
            if (type != NativeType.TOKENIZER && LOOKUP != null) {
                info.put(type, downcall(type.function("session_info"), ADDRESS, ADDRESS));
            }
        }
        return info;
    }

    /**
     * How the model's ONNX Runtime session was set up, as the engine's JSON object ({@code fe_<type>_session_info}):
     * execution provider, fallback reason, optimized graph. {@code {}} for a model without an ONNX session.
     */
    public static String sessionInfo(NativePointer model) {
        MethodHandle info = SESSION_INFO.get(model.type());
        if (info == null) {
            return "{}";
        }
        try {
            return string((MemorySegment) info.invokeExact(model.segment()));
        } catch (Throwable t) {
            throw unexpected(model.type().function("session_info"), t);
        }
    }

    /** {@code fe_<type>_plan} per kind of model over token ids. */
    private static final Map<NativeType, MethodHandle> PLAN = planFunctions();

    private static Map<NativeType, MethodHandle> planFunctions() {
        Map<NativeType, MethodHandle> plan = new EnumMap<>(NativeType.class);
        for (NativeType type : List.of(NativeType.TEXT_EMBEDDING, NativeType.SPARSE_EMBEDDING, NativeType.TEXT_RERANK,
                NativeType.LATE_INTERACTION)) {
            if (LOOKUP != null) {
                plan.put(type, downcall(type.function("plan"), ADDRESS, ADDRESS));
            }
        }
        return plan;
    }

    /** Whether this kind of object reports an execution plan ({@link #plan}). */
    public static boolean hasPlan(NativeType type) {
        return PLAN.containsKey(type);
    }

    /** The model's execution plan as the engine's JSON ({@code fe_<type>_plan}); empty while it has none. */
    public static Optional<String> plan(NativePointer model) {
        MethodHandle plan = PLAN.get(model.type());
        if (plan == null) {
            return Optional.empty();
        }
        try {
            MemorySegment json = (MemorySegment) plan.invokeExact(model.segment());
            return json.equals(MemorySegment.NULL) ? Optional.empty() : Optional.of(string(json));
        } catch (Throwable t) {
            throw unexpected(model.type().function("plan"), t);
        }
    }

    /** The vector length of a text, image or late interaction model ({@code fe_<type>_dimension}). */
    public static int dimension(NativePointer model) {
        MethodHandle dimension = switch (model.type()) {
            case TEXT_EMBEDDING -> TEXT_EMBEDDING_DIMENSION;
            case IMAGE_EMBEDDING -> IMAGE_EMBEDDING_DIMENSION;
            case LATE_INTERACTION -> LATE_INTERACTION_DIMENSION;
            case LATE_INTERACTION_MULTIMODAL -> LATE_INTERACTION_MULTIMODAL_DIMENSION;
            default -> throw new IllegalArgumentException("a " + model.type().description() + " has no dimension");
        };
        try {
            return Math.toIntExact((long) dimension.invokeExact(model.segment()));
        } catch (Throwable t) {
            throw unexpected(model.type().function("dimension"), t);
        }
    }

    /** Dense vectors, one per input, and the number of tokens the model saw for them. */
    public record DenseBatch(float[][] vectors, long tokenCount) {
    }

    /**
     * Embeds texts with a text embedding model into {@code dimension}-long vectors; {@code task} names the task
     * of a task-adapter model ({@code fe_text_embedding_embed_task}), null its default task or no task.
     */
    public static DenseBatch embedDense(NativePointer model, List<String> texts, int dimension, String task) {
        if (texts.isEmpty()) {
            return new DenseBatch(new float[0][], 0);
        }
        String function = task == null ? "fe_text_embedding_embed" : "fe_text_embedding_embed_task";
        try (Arena arena = Arena.ofConfined()) {
            Utf8Texts packed = Utf8Texts.pack(arena, texts);
            MemorySegment out = arena.allocate(ValueLayout.JAVA_FLOAT, (long) texts.size() * dimension);
            MemorySegment tokens = arena.allocate(JAVA_LONG);
            MemorySegment error = errorSlot(arena);
            int result = task == null
                    ? (int) TEXT_EMBEDDING_EMBED.invokeExact(model.segment(), packed.data(), packed.offsets(),
                            (long) packed.count(), out, out.byteSize() / Float.BYTES, tokens, error)
                    : (int) TEXT_EMBEDDING_EMBED_TASK.invokeExact(model.segment(), arena.allocateFrom(task),
                            packed.data(), packed.offsets(), (long) packed.count(), out, out.byteSize() / Float.BYTES,
                            tokens, error);
            check(result, error);
            return new DenseBatch(vectors(out, texts.size(), dimension), tokens.get(JAVA_LONG, 0));
        } catch (FastEmbedException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(function, t);
        }
    }

    /** {@code count} rows of {@code dimension} floats, copied out of {@code out}. */
    private static float[][] vectors(MemorySegment out, int count, int dimension) {
        float[][] vectors = new float[count][];
        long bytes = (long) dimension * Float.BYTES;
        for (int i = 0; i < count; i++) {
            vectors[i] = out.asSlice(i * bytes, bytes).toArray(ValueLayout.JAVA_FLOAT);
        }
        return vectors;
    }

    /** Token ids, type ids, attention mask and special-tokens mask of one encoding. */
    public record EncodingArrays(int[] ids, int[] typeIds, int[] attentionMask, int[] specialTokensMask) {
    }

    public static EncodingArrays tokenizerEncode(NativePointer tokenizer, String text, String pair, boolean addSpecialTokens) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment first = Utf8Texts.single(arena, text);
            MemorySegment second = pair == null ? MemorySegment.NULL : Utf8Texts.single(arena, pair);
            MemorySegment out = arena.allocate(ADDRESS);
            MemorySegment error = errorSlot(arena);
            int result = (int) TOKENIZER_ENCODE.invokeExact(tokenizer.segment(), first, first.byteSize(), second,
                    second.byteSize(), addSpecialTokens, out, error);
            check(result, error);
            MemorySegment encoding = out.get(ADDRESS, 0);
            try {
                long length = (long) ENCODING_LEN.invokeExact(encoding);
                return new EncodingArrays(
                        u32Array((MemorySegment) ENCODING_IDS.invokeExact(encoding), length),
                        u32Array((MemorySegment) ENCODING_TYPE_IDS.invokeExact(encoding), length),
                        u32Array((MemorySegment) ENCODING_ATTENTION_MASK.invokeExact(encoding), length),
                        u32Array((MemorySegment) ENCODING_SPECIAL_TOKENS_MASK.invokeExact(encoding), length));
            } finally {
                ENCODING_FREE.invokeExact(encoding);
            }
        } catch (FastEmbedException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected("fe_tokenizer_encode", t);
        }
    }

    /** Encodes a batch of texts in one call; the engine spreads them over the cores. */
    public static EncodingArrays[] tokenizerEncodeBatch(NativePointer tokenizer, List<String> texts, boolean addSpecialTokens) {
        if (texts.isEmpty()) {
            return new EncodingArrays[0];
        }
        try (Arena arena = Arena.ofConfined()) {
            Utf8Texts packed = Utf8Texts.pack(arena, texts);
            MemorySegment out = arena.allocate(ADDRESS);
            MemorySegment error = errorSlot(arena);
            int result = (int) TOKENIZER_ENCODE_BATCH.invokeExact(tokenizer.segment(), packed.data(), packed.offsets(),
                    (long) packed.count(), addSpecialTokens, out, error);
            check(result, error);
            MemorySegment encodings = out.get(ADDRESS, 0);
            try {
                int count = Math.toIntExact((long) ENCODINGS_COUNT.invokeExact(encodings));
                long[] offsets = ((MemorySegment) ENCODINGS_OFFSETS.invokeExact(encodings))
                        .reinterpret((count + 1L) * Long.BYTES).toArray(JAVA_LONG);
                long bytes = offsets[count] * Integer.BYTES;
                MemorySegment ids = ((MemorySegment) ENCODINGS_IDS.invokeExact(encodings)).reinterpret(bytes);
                MemorySegment typeIds = ((MemorySegment) ENCODINGS_TYPE_IDS.invokeExact(encodings)).reinterpret(bytes);
                MemorySegment attentionMask = ((MemorySegment) ENCODINGS_ATTENTION_MASK.invokeExact(encodings)).reinterpret(bytes);
                MemorySegment specialTokensMask = ((MemorySegment) ENCODINGS_SPECIAL_TOKENS_MASK.invokeExact(encodings))
                        .reinterpret(bytes);
                EncodingArrays[] arrays = new EncodingArrays[count];
                for (int i = 0; i < count; i++) {
                    long from = offsets[i] * Integer.BYTES;
                    long length = (offsets[i + 1] - offsets[i]) * Integer.BYTES;
                    arrays[i] = new EncodingArrays(ids.asSlice(from, length).toArray(JAVA_INT),
                            typeIds.asSlice(from, length).toArray(JAVA_INT),
                            attentionMask.asSlice(from, length).toArray(JAVA_INT),
                            specialTokensMask.asSlice(from, length).toArray(JAVA_INT));
                }
                return arrays;
            } finally {
                ENCODINGS_FREE.invokeExact(encodings);
            }
        } catch (FastEmbedException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected("fe_tokenizer_encode_batch", t);
        }
    }

    // ---- Image embedding ----

    /** Embeds the image files at {@code paths} (absolute) into {@code dimension}-long vectors. */
    public static float[][] embedImageFiles(NativePointer model, List<String> paths, int dimension) {
        return paths.isEmpty() ? new float[0][] : embedImages(model, dimension, IMAGE_EMBEDDING_EMBED_FILES,
                "fe_image_embedding_embed_files", arena -> Utf8Texts.pack(arena, paths));
    }

    /** Embeds encoded images (PNG, JPEG, ...) into {@code dimension}-long vectors. */
    public static float[][] embedImageBytes(NativePointer model, List<byte[]> images, int dimension) {
        return images.isEmpty() ? new float[0][] : embedImages(model, dimension, IMAGE_EMBEDDING_EMBED_BYTES,
                "fe_image_embedding_embed_bytes", arena -> ByteBatch.pack(arena, images));
    }

    /** Runs {@code embed} (files or bytes: the same C signature) on the batch {@code pack} writes. */
    private static float[][] embedImages(NativePointer model, int dimension, MethodHandle embed, String function,
                                         Function<Arena, PackedBatch> pack) {
        try (Arena arena = Arena.ofConfined()) {
            PackedBatch packed = pack.apply(arena);
            MemorySegment out = arena.allocate(ValueLayout.JAVA_FLOAT, (long) packed.count() * dimension);
            MemorySegment error = errorSlot(arena);
            int result = (int) embed.invokeExact(model.segment(), packed.data(), packed.offsets(), (long) packed.count(),
                    out, out.byteSize() / Float.BYTES, error);
            check(result, error);
            return vectors(out, packed.count(), dimension);
        } catch (FastEmbedException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(function, t);
        }
    }

    // ---- Late interaction ----

    /**
     * Embeds packed texts as queries or documents; per text, its token vectors ({@code tokens × dimension}).
     * The native result is copied and freed here.
     */
    public static List<float[][]> embedLateInteraction(NativePointer model, List<String> texts, boolean queries) {
        return queries
                ? tokenEmbeddings(model, LATE_INTERACTION_EMBED_QUERIES, "fe_late_interaction_embed_queries",
                        texts.size(), arena -> Utf8Texts.pack(arena, texts))
                : tokenEmbeddings(model, LATE_INTERACTION_EMBED_DOCUMENTS, "fe_late_interaction_embed_documents",
                        texts.size(), arena -> Utf8Texts.pack(arena, texts));
    }

    /** Embeds queries with a late interaction model over images (ColPali); per query, its token vectors. */
    public static List<float[][]> embedMultimodalQueries(NativePointer model, List<String> queries) {
        return tokenEmbeddings(model, LATE_INTERACTION_MULTIMODAL_EMBED_QUERIES,
                "fe_late_interaction_multimodal_embed_queries", queries.size(), arena -> Utf8Texts.pack(arena, queries));
    }

    /** Embeds the image files at {@code paths} (absolute) with a late interaction model over images. */
    public static List<float[][]> embedMultimodalImageFiles(NativePointer model, List<String> paths) {
        return tokenEmbeddings(model, LATE_INTERACTION_MULTIMODAL_EMBED_IMAGE_FILES,
                "fe_late_interaction_multimodal_embed_image_files", paths.size(), arena -> Utf8Texts.pack(arena, paths));
    }

    /** Embeds encoded images (PNG, JPEG, ...) with a late interaction model over images. */
    public static List<float[][]> embedMultimodalImageBytes(NativePointer model, List<byte[]> images) {
        return tokenEmbeddings(model, LATE_INTERACTION_MULTIMODAL_EMBED_IMAGE_BYTES,
                "fe_late_interaction_multimodal_embed_image_bytes", images.size(), arena -> ByteBatch.pack(arena, images));
    }

    /**
     * Runs {@code embed} ({@code (model, data, offsets, count, fe_token_embeddings **, fe_error **)}) on the batch
     * {@code pack} writes; the native result is copied and freed here.
     */
    private static List<float[][]> tokenEmbeddings(NativePointer model, MethodHandle embed, String function, int count,
                                                   Function<Arena, PackedBatch> pack) {
        if (count == 0) {
            return List.of();
        }
        try (Arena arena = Arena.ofConfined()) {
            PackedBatch packed = pack.apply(arena);
            MemorySegment slot = arena.allocate(ADDRESS);
            MemorySegment error = errorSlot(arena);
            int result = (int) embed.invokeExact(model.segment(), packed.data(), packed.offsets(), (long) packed.count(),
                    slot, error);
            check(result, error);
            MemorySegment embeddings = slot.get(ADDRESS, 0);
            try {
                return tokenEmbeddings(embeddings);
            } finally {
                TOKEN_EMBEDDINGS_FREE.invokeExact(embeddings);
            }
        } catch (FastEmbedException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(function, t);
        }
    }

    private static List<float[][]> tokenEmbeddings(MemorySegment embeddings) throws Throwable {
        int count = Math.toIntExact((long) TOKEN_EMBEDDINGS_COUNT.invokeExact(embeddings));
        int dimension = Math.toIntExact((long) TOKEN_EMBEDDINGS_DIMENSION.invokeExact(embeddings));
        long[] offsets = ((MemorySegment) TOKEN_EMBEDDINGS_OFFSETS.invokeExact(embeddings))
                .reinterpret((count + 1L) * Long.BYTES).toArray(JAVA_LONG);
        MemorySegment data = ((MemorySegment) TOKEN_EMBEDDINGS_DATA.invokeExact(embeddings))
                .reinterpret(offsets[count] * dimension * Float.BYTES);
        List<float[][]> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            float[][] vectors = new float[Math.toIntExact(offsets[i + 1] - offsets[i])][];
            for (int t = 0; t < vectors.length; t++) {
                long start = (offsets[i] + t) * dimension * Float.BYTES;
                vectors[t] = data.asSlice(start, (long) dimension * Float.BYTES).toArray(ValueLayout.JAVA_FLOAT);
            }
            texts.add(vectors);
        }
        return texts;
    }

    // ---- Sparse text embedding ----

    /** The {@code fe_sparse_algorithm} of a sparse model: 0 SPLADE, 1 BM25, 2 BM42. */
    public static int sparseEmbeddingAlgorithm(NativePointer model) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment algorithm = arena.allocate(JAVA_INT);
            MemorySegment error = errorSlot(arena);
            check((int) SPARSE_EMBEDDING_ALGORITHM.invokeExact(model.segment(), algorithm, error), error);
            return algorithm.get(JAVA_INT, 0);
        } catch (FastEmbedException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected("fe_sparse_embedding_algorithm", t);
        }
    }

    /**
     * Sparse vectors in compressed rows: vector {@code i} holds entries {@code offsets[i] .. offsets[i+1]} of
     * {@code indices} (ascending, token ids or word hashes as unsigned 32-bit numbers) and {@code values}.
     */
    public record SparseRows(long[] offsets, int[] indices, float[] values) {
    }

    /** Embeds packed texts as documents ({@code queries} false) or queries; the native result is copied and freed. */
    public static SparseRows embedSparse(NativePointer model, List<String> texts, boolean queries) {
        if (texts.isEmpty()) {
            return new SparseRows(new long[] {0}, new int[0], new float[0]);
        }
        String function = queries ? "fe_sparse_embedding_query_embed" : "fe_sparse_embedding_embed";
        try (Arena arena = Arena.ofConfined()) {
            Utf8Texts packed = Utf8Texts.pack(arena, texts);
            MemorySegment slot = arena.allocate(ADDRESS);
            MemorySegment error = errorSlot(arena);
            MethodHandle embed = queries ? SPARSE_EMBEDDING_QUERY_EMBED : SPARSE_EMBEDDING_EMBED;
            int result = (int) embed.invokeExact(model.segment(), packed.data(), packed.offsets(), (long) packed.count(),
                    slot, error);
            check(result, error);
            MemorySegment rows = slot.get(ADDRESS, 0);
            try {
                long count = (long) SPARSE_EMBEDDINGS_COUNT.invokeExact(rows);
                long[] offsets = ((MemorySegment) SPARSE_EMBEDDINGS_OFFSETS.invokeExact(rows))
                        .reinterpret((count + 1) * Long.BYTES).toArray(JAVA_LONG);
                long entries = offsets[Math.toIntExact(count)];
                int[] indices = u32Array((MemorySegment) SPARSE_EMBEDDINGS_INDICES.invokeExact(rows), entries);
                float[] values = entries == 0 ? new float[0]
                        : ((MemorySegment) SPARSE_EMBEDDINGS_VALUES.invokeExact(rows))
                        .reinterpret(entries * Float.BYTES).toArray(ValueLayout.JAVA_FLOAT);
                return new SparseRows(offsets, indices, values);
            } finally {
                SPARSE_EMBEDDINGS_FREE.invokeExact(rows);
            }
        } catch (FastEmbedException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(function, t);
        }
    }

    // ---- Reranking ----

    /** Scores documents against the query, one score per document in input order. */
    public static float[] rerankScores(NativePointer model, String query, List<String> documents, boolean sigmoid) {
        if (documents.isEmpty()) {
            return new float[0];
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment queryBytes = Utf8Texts.single(arena, query);
            Utf8Texts packed = Utf8Texts.pack(arena, documents);
            MemorySegment scores = arena.allocate(ValueLayout.JAVA_FLOAT, documents.size());
            MemorySegment error = errorSlot(arena);
            int result = (int) TEXT_RERANK_SCORE.invokeExact(model.segment(), queryBytes, queryBytes.byteSize(),
                    packed.data(), packed.offsets(), (long) packed.count(), sigmoid, scores,
                    scores.byteSize() / Float.BYTES, error);
            check(result, error);
            return scores.toArray(ValueLayout.JAVA_FLOAT);
        } catch (FastEmbedException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected("fe_text_rerank_score", t);
        }
    }

    /** A {@code fe_error *} slot initialised to NULL. */
    public static MemorySegment errorSlot(Arena arena) {
        MemorySegment slot = arena.allocate(ADDRESS);
        slot.set(ADDRESS, 0, MemorySegment.NULL);
        return slot;
    }

    /** Throws the native error, freeing it, when {@code result} is not FE_RESULT_OK. */
    public static void check(int result, MemorySegment errorSlot) {
        if (result == 0) {
            return;
        }
        MemorySegment error = errorSlot.get(ADDRESS, 0);
        String message = "native call failed with code " + result;
        if (!error.equals(MemorySegment.NULL)) {
            try {
                message = string((MemorySegment) ERROR_MESSAGE.invokeExact(error));
            } catch (Throwable t) {
                throw unexpected("fe_error_message", t);
            } finally {
                try {
                    ERROR_FREE.invokeExact(error);
                } catch (Throwable ignored) {
                    // nothing more can be done: the message is already read
                }
            }
        }
        throw FastEmbedException.fromNative(result, message);
    }

    /** Resolves a function of libfastembed; other bindings classes of this package use it too. */
    public static MethodHandle downcall(String name, MemoryLayout result, MemoryLayout... arguments) {
        return LOOKUP == null ? null : LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(result, arguments));
    }

    public static MethodHandle downcallVoid(String name, MemoryLayout... arguments) {
        return LOOKUP == null ? null : LINKER.downcallHandle(symbol(name), FunctionDescriptor.ofVoid(arguments));
    }

    public static int[] u32Array(MemorySegment pointer, long length) {
        if (length == 0) {
            return new int[0];
        }
        return pointer.reinterpret(length * Integer.BYTES).toArray(JAVA_INT);
    }

    static String string(MemorySegment cString) {
        if (cString.equals(MemorySegment.NULL)) {
            return "";
        }
        return cString.reinterpret(Long.MAX_VALUE).getString(0);
    }

    /** Handles stay null when the library failed to load; {@link #ensureRuntime()} reports why on first use. */
    private static MemorySegment symbol(String name) {
        return LOOKUP.find(name).orElseThrow(() -> new FastEmbedException(FastEmbedException.Kind.NATIVE_LIBRARY,
                "libfastembed has no symbol " + name + ": the jar and the native library do not match"));
    }

    /** Loads ONNX Runtime into the engine once per JVM. */
    public static void ensureRuntime() {
        if (runtimeReady) {
            return;
        }
        synchronized (RUNTIME_LOCK) {
            if (runtimeReady) {
                return;
            }
            if (LOAD_FAILURE != null) {
                throw new FastEmbedException(FastEmbedException.Kind.NATIVE_LIBRARY,
                        "Could not load libfastembed: " + LOAD_FAILURE.getMessage(), LOAD_FAILURE);
            }
            Path onnxRuntime = NativeLibraries.onnxRuntimeLibrary();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment error = errorSlot(arena);
                int result = (int) RUNTIME_INIT.invokeExact(arena.allocateFrom(onnxRuntime.toString()), error);
                check(result, error);
            } catch (FastEmbedException e) {
                throw e;
            } catch (Throwable t) {
                throw unexpected("fe_runtime_init", t);
            }
            runtimeReady = true;
            OnnxRuntimeVersion.report(onnxRuntimeVersion(), onnxRuntime);
        }
    }

    private static MemorySegment invokeAddress(MethodHandle handle) {
        if (LOAD_FAILURE != null) {
            ensureRuntime();
        }
        try {
            return (MemorySegment) handle.invokeExact();
        } catch (Throwable t) {
            throw unexpected("native call", t);
        }
    }

    private static FastEmbedException unexpected(String function, Throwable t) {
        return new FastEmbedException(FastEmbedException.Kind.NATIVE_LIBRARY,
                "Unexpected failure calling " + function + ": " + t, t);
    }
}
