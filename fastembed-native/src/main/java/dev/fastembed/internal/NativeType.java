package dev.fastembed.internal;

/**
 * The kinds of native object libfastembed creates, each with its {@code fe_<prefix>_new(options_json, out, error)}
 * and {@code fe_<prefix>_free(ptr)}; the description names it in "This ... is closed".
 */
public enum NativeType {
    TEXT_EMBEDDING("text_embedding", "text embedding"),
    SPARSE_EMBEDDING("sparse_embedding", "sparse text embedding"),
    IMAGE_EMBEDDING("image_embedding", "image embedding"),
    LATE_INTERACTION("late_interaction", "late interaction model"),
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
