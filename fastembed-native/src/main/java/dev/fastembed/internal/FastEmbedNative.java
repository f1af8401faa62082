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

    private static final MethodHandle TOKENIZER_ENCODE = downcall("fe_tokenizer_encode", JAVA_INT,
            ADDRESS, ADDRESS, SIZE_T, ADDRESS, SIZE_T, JAVA_BOOLEAN, ADDRESS, ADDRESS);
    private static final MethodHandle ENCODING_LEN = downcall("fe_encoding_len", SIZE_T, ADDRESS);
    private static final MethodHandle ENCODING_IDS = downcall("fe_encoding_ids", ADDRESS, ADDRESS);
    private static final MethodHandle ENCODING_TYPE_IDS = downcall("fe_encoding_type_ids", ADDRESS, ADDRESS);
    private static final MethodHandle ENCODING_ATTENTION_MASK = downcall("fe_encoding_attention_mask", ADDRESS, ADDRESS);
    private static final MethodHandle ENCODING_SPECIAL_TOKENS_MASK = downcall("fe_encoding_special_tokens_mask", ADDRESS, ADDRESS);
    private static final MethodHandle ENCODING_FREE = downcallVoid("fe_encoding_free", ADDRESS);

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
     * Creates a native object with {@code <newFunction>(const char *options_json, T **out, fe_error **error)}
     * and wraps it in a handle freed by {@code <freeFunction>(T *)}.
     */
    public static NativeHandle create(String newFunction, String freeFunction, String optionsJson, String description) {
        ensureRuntime();
        MethodHandle constructor = downcall(newFunction, JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        MethodHandle free = downcallVoid(freeFunction, ADDRESS);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            MemorySegment error = errorSlot(arena);
            int result = (int) constructor.invokeExact(arena.allocateFrom(optionsJson), out, error);
            check(result, error);
            return new NativeHandle(out.get(ADDRESS, 0), free, description);
        } catch (FastEmbedException | IllegalArgumentException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected(newFunction, t);
        }
    }

    public static long textEmbeddingDimension(MemorySegment model) {
        try {
            return (long) TEXT_EMBEDDING_DIMENSION.invokeExact(model);
        } catch (Throwable t) {
            throw unexpected("fe_text_embedding_dimension", t);
        }
    }

    /** Embeds packed texts into {@code out} (count × dimension floats); writes the token count. */
    public static void textEmbeddingEmbed(Arena arena, MemorySegment model, Utf8Texts texts, MemorySegment out,
                                          MemorySegment tokenCount) {
        MemorySegment error = errorSlot(arena);
        try {
            int result = (int) TEXT_EMBEDDING_EMBED.invokeExact(model, texts.data(), texts.offsets(),
                    (long) texts.count(), out, out.byteSize() / Float.BYTES, tokenCount, error);
            check(result, error);
        } catch (FastEmbedException e) {
            throw e;
        } catch (Throwable t) {
            throw unexpected("fe_text_embedding_embed", t);
        }
    }

    /** Token ids, type ids, attention mask and special-tokens mask of one encoding. */
    public record EncodingArrays(int[] ids, int[] typeIds, int[] attentionMask, int[] specialTokensMask) {
    }

    public static EncodingArrays tokenizerEncode(MemorySegment tokenizer, String text, String pair, boolean addSpecialTokens) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment first = Utf8Texts.single(arena, text);
            MemorySegment second = pair == null ? MemorySegment.NULL : Utf8Texts.single(arena, pair);
            MemorySegment out = arena.allocate(ADDRESS);
            MemorySegment error = errorSlot(arena);
            int result = (int) TOKENIZER_ENCODE.invokeExact(tokenizer, first, first.byteSize(), second,
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
