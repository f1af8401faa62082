//! fastembed's BM25 sparse text embedding (model "Qdrant/bm25") and the text side of BM42
//! ("Qdrant/bm42-all-minilm-l6-v2-attentions"), without any model files.
//!
//! Text is split into lowercase words as fastembed's `SimpleTokenizer` does, stopwords and
//! overlong words are dropped, the rest is reduced with the language's Snowball stemmer and
//! each stem becomes the sparse index `abs(murmur3_32(stem) as i32)`. Documents weigh each
//! stem by BM25's term-frequency part; queries give each stem 1.0. The inverse document
//! frequency is left to the vector store (Qdrant's `idf` modifier), as in fastembed.
//!
//! Stemmers: Snowball's own C stemmers (libstemmer, linked statically) for every language
//! fastembed lists, checked against Snowball's official vocabularies. Other languages are
//! rejected with [`Bm25Error::UnsupportedLanguage`] (or usable with `disable_stemmer`).
#![deny(unsafe_code)]

mod bm25;
mod bm42;
mod config;
mod error;
mod murmur3;
mod sparse;
#[allow(unsafe_code)] // the libstemmer binding, each block with its SAFETY note
pub mod stemmer;
mod stopwords;
mod text;

pub use crate::bm25::Bm25;
pub use crate::bm42::{bm42_document_weights, bm42_pool_attention, bm42_query, Bm42Config};
pub use crate::config::Bm25Config;
pub use crate::error::Bm25Error;
pub use crate::murmur3::{murmur3_32, token_index};
pub use crate::sparse::SparseVector;

/// fastembed's `remove_non_alphanumeric` followed by its `SimpleTokenizer`: the lowercase words of `text` that
/// BM25 would see before stopwords and stemming (miniCOIL cleans its unknown words with it).
pub fn split_words(text: &str) -> Vec<String> {
    text::words(text)
}
