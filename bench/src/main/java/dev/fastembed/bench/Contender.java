package dev.fastembed.bench;

import java.util.List;

/** One embedder under test, called the way its users call it. */
interface Contender extends AutoCloseable {

    /** Sees every text of the run before timing starts (the ORT floor pre-tokenizes here). */
    default void prepare(List<String> texts) {
    }

    /** Embeds a bulk of texts through the contender's own bulk API; vectors in input order. */
    float[][] embedAll(List<String> texts);

    /** Embeds one text through the contender's single-text API. */
    float[] embedOne(String text);

    @Override
    default void close() throws Exception {
    }
}
