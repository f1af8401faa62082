package dev.fastembed.catalog;

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
    LATE_INTERACTION
}
