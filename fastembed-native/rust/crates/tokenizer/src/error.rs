//! The one error type of the crate. Messages are shown to users as they are, so they name the
//! file part (as a JSON path) or the input that caused the failure.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum TokenizerError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{file} is not valid JSON: {message}")]
    Json { file: String, message: String },

    #[error("unsupported {component} type \"{type_name}\" at {path}")]
    UnknownComponent {
        component: &'static str,
        type_name: String,
        path: String,
    },

    #[error("invalid tokenizer definition at {path}: {message}")]
    InvalidConfig { path: String, message: String },

    #[error("invalid regular expression at {path} ({pattern:?}): {message}")]
    Regex {
        path: String,
        pattern: String,
        message: String,
    },

    #[error("cannot encode the input: {0}")]
    Encode(String),

    #[error("cannot truncate: {0}")]
    Truncation(String),

    #[error("cannot decode: {0}")]
    Decode(String),
}

impl TokenizerError {
    pub(crate) fn config(path: impl Into<String>, message: impl Into<String>) -> Self {
        TokenizerError::InvalidConfig {
            path: path.into(),
            message: message.into(),
        }
    }
}

pub type Result<T> = std::result::Result<T, TokenizerError>;
