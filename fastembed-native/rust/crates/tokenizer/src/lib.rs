//! Hugging Face `tokenizer.json` tokenizers, reimplemented: the same token ids as the
//! `tokenizers` library for the normalizers, pre-tokenizers, models and post-processors
//! used by fastembed's model catalogue.
//!
//! Pipeline (one module per stage): [`added_tokens`] → [`normalizer`] → [`pre_tokenizer`] →
//! [`model`] → truncation → [`post_processor`] → padding.
#![forbid(unsafe_code)]

mod added_tokens;
mod byte_level;
mod chars;
mod decoder;
mod encoding;
mod error;
mod fast_hash;
mod json;
mod loader;
mod model;
mod normalized;
mod normalizer;
mod padding;
mod pattern;
mod post_processor;
mod pre_tokenizer;
mod pretokenized;
mod regexp;
mod tokenizer;
mod trie;
mod truncation;
mod unicode_props;
#[rustfmt::skip]
mod unicode_tables;

pub use encoding::Encoding;
pub use error::TokenizerError;
pub use loader::{load_for_model, TokenizerFiles};
pub use padding::{PaddingDirection, PaddingParams, PaddingStrategy};
pub use tokenizer::{FirstSequence, Tokenizer, MAX_INPUT_BYTES};
pub use truncation::{TruncationDirection, TruncationParams, TruncationStrategy};
