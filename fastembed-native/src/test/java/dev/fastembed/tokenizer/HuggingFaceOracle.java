package dev.fastembed.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** The reference: Hugging Face tokenizers (Rust, through DJL's JNI binding) on the same tokenizer.json. */
final class HuggingFaceOracle implements AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;

    private HuggingFaceOracle(Path tokenizerJson, Map<String, String> options) {
        try {
            this.tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Configured as the file says, like {@code Tokenizer.fromFile}: its truncation section (if any) applies,
     * padding does not (single encodings are never padded).
     */
    static HuggingFaceOracle asFileSays(Path tokenizerJson) {
        JsonElement truncation = readJson(tokenizerJson).getAsJsonObject().get("truncation");
        if (truncation == null || truncation.isJsonNull()) {
            return new HuggingFaceOracle(tokenizerJson, Map.of("truncation", "false", "padding", "false"));
        }
        JsonObject params = truncation.getAsJsonObject();
        if (!"LongestFirst".equals(params.get("strategy").getAsString())) {
            throw new IllegalArgumentException("only LongestFirst truncation sections are mirrored");
        }
        return truncatedTo(tokenizerJson, params.get("max_length").getAsInt());
    }

    private static JsonElement readJson(Path file) {
        try {
            return JsonParser.parseString(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Longest-first truncation to {@code maxLength} tokens including special tokens, no padding. */
    static HuggingFaceOracle truncatedTo(Path tokenizerJson, int maxLength) {
        Map<String, String> options = new HashMap<>();
        options.put("truncation", "true");
        options.put("maxLength", Integer.toString(maxLength));
        options.put("padding", "false");
        return new HuggingFaceOracle(tokenizerJson, options);
    }

    /** Encodes a text ({@code pair} null) or a pair. */
    Expected encode(String text, String pair, boolean addSpecialTokens) {
        Encoding e = pair == null
                ? tokenizer.encode(text, addSpecialTokens, false)
                : tokenizer.encode(text, pair, addSpecialTokens, false);
        return new Expected(ints(e.getIds()), ints(e.getTypeIds()), ints(e.getAttentionMask()),
                ints(e.getSpecialTokenMask()), e.getTokens());
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    private static int[] ints(long[] values) {
        return Arrays.stream(values).mapToInt(Math::toIntExact).toArray();
    }

    /** What Hugging Face produced; {@code tokens} only serves failure messages. */
    record Expected(int[] ids, int[] typeIds, int[] attentionMask, int[] specialTokensMask, String[] tokens) {
    }
}
