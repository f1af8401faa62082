package dev.fastembed;

import dev.fastembed.internal.FastEmbedNative;
import dev.fastembed.internal.Json;
import dev.fastembed.internal.FastEmbedNative.NativeType;
import dev.fastembed.internal.Utf8Texts;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The engine's Hugging Face tokenizer on its own: the same code the models use, for counting tokens or
 * inspecting how a text is split. Thread-safe; {@link AutoCloseable}.
 */
public final class Tokenizer extends NativeModel {

    private Tokenizer(String optionsJson) {
        super(NativeType.TOKENIZER, optionsJson);
    }

    /** A tokenizer exactly as {@code tokenizer.json} defines it, including its truncation and padding sections. */
    public static Tokenizer fromFile(Path tokenizerJson) {
        Objects.requireNonNull(tokenizerJson, "tokenizerJson");
        return new Tokenizer(Json.object().put("tokenizer_file", tokenizerJson).toString());
    }

    /**
     * A tokenizer configured as the models use it (fastembed's rules): truncation at
     * {@code min(maxLength, model_max_length)}, the pad token from the configuration files.
     */
    public static Tokenizer forModel(ModelFiles files, int maxLength) {
        Objects.requireNonNull(files, "files");
        if (files.tokenizer() == null) {
            throw new IllegalArgumentException("files.tokenizer() is required");
        }
        if (maxLength <= 0) {
            throw new IllegalArgumentException("maxLength must be positive, got " + maxLength);
        }
        return new Tokenizer(Json.object().modelFiles(files).put("max_length", maxLength).toString());
    }

    /** Encodes one text with the special tokens of the post-processor. */
    public Encoding encode(String text) {
        return encode(text, true);
    }

    public Encoding encode(String text, boolean addSpecialTokens) {
        requireText(text, "text");
        return call(t -> Encoding.of(FastEmbedNative.tokenizerEncode(t, text, null, addSpecialTokens)));
    }

    /**
     * Encodes many texts in one call, spread over the cores inside the engine (faster than calling
     * {@link #encode(String)} from several threads); truncation applies, padding does not.
     */
    public List<Encoding> encodeBatch(List<String> texts, boolean addSpecialTokens) {
        Utf8Texts.requireTexts(texts);
        return call(t -> Arrays.stream(FastEmbedNative.tokenizerEncodeBatch(t, texts, addSpecialTokens)).map(Encoding::of)
                .toList());
    }

    /** {@link #encodeBatch(List, boolean)} with the post-processor's special tokens. */
    public List<Encoding> encodeBatch(List<String> texts) {
        return encodeBatch(texts, true);
    }

    /** Encodes a (first, second) pair, e.g. (query, document) for a cross-encoder. */
    public Encoding encodePair(String first, String second, boolean addSpecialTokens) {
        requireText(first, "first");
        requireText(second, "second");
        return call(t -> Encoding.of(FastEmbedNative.tokenizerEncode(t, first, second, addSpecialTokens)));
    }

    private static void requireText(String text, String name) {
        if (text == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
    }

    /** One encoded text; all arrays have the same length. */
    public record Encoding(int[] ids, int[] typeIds, int[] attentionMask, int[] specialTokensMask) {

        static Encoding of(FastEmbedNative.EncodingArrays arrays) {
            return new Encoding(arrays.ids(), arrays.typeIds(), arrays.attentionMask(), arrays.specialTokensMask());
        }

        public int length() {
            return ids.length;
        }
    }
}
