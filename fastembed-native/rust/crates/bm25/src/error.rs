//! The one error type of this crate.

use thiserror::Error;

/// Why a BM25/BM42 model could not be built or an input could not be weighted.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Bm25Error {
    #[error("unsupported BM25 language '{language}'; supported languages: {supported}")]
    UnsupportedLanguage { language: String, supported: String },
    #[error("invalid BM25 configuration: {0}")]
    InvalidConfig(String),
    #[error("BM42 input mismatch: {0}")]
    InvalidBm42Input(String),
}
