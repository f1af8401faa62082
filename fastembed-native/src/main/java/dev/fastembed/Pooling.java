package dev.fastembed;

/** How per-token hidden states become one vector per text. */
public enum Pooling {
    /** The hidden state of the first token ([CLS]). */
    CLS,
    /** Mean of the token hidden states, weighted by the attention mask. */
    MEAN,
    /**
     * The hidden state of the last real token: decoder embedders (Qwen3-Embedding), whose causal attention
     * gathers the text there. Batches are padded on the left.
     */
    LAST_TOKEN,
    /** The model already outputs one vector per text (e.g. a "sentence_embedding" output); used as is. */
    NONE;

    String nativeName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
