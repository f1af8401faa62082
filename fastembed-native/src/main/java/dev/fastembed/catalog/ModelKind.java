package dev.fastembed.catalog;

import java.util.Locale;

/** What a catalogue model produces, which decides the class that runs it. */
public enum ModelKind {
    /** One dense vector per text. */
    TEXT,
    /** A sparse vector (token id → weight) per text: SPLADE, BM25, BM42. */
    SPARSE,
    /** One dense vector per image. */
    IMAGE,
    /** A relevance score per (query, document) pair: cross-encoders. */
    RERANK,
    /** One vector per token (ColBERT-style multi-vector). */
    LATE_INTERACTION,
    /** One vector per token of a query or per token of an image's prompt (ColPali): queries search page images. */
    LATE_INTERACTION_MULTIMODAL;

    /** The kind as configuration and listings spell it: {@code text}, ..., {@code late-interaction-multimodal}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
