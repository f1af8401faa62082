//! One error type for all pipelines; its [`ErrorKind`] becomes the C ABI's result code.

use std::fmt;

/// What failed, coarse enough for callers to react on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    InvalidArgument,
    Io,
    InvalidModel,
    Tokenizer,
    OnnxRuntime,
    RuntimeNotLoaded,
    Image,
    /// A run was stopped on request (`cancel_runs`, e.g. because its caller was interrupted).
    Cancelled,
    /// A run took longer than the model's run timeout and was stopped.
    TimedOut,
    /// Memory for a buffer sized by the input or the model could not be had.
    Resource,
}

#[derive(Debug)]
pub struct EngineError {
    kind: ErrorKind,
    message: String,
}

impl EngineError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        EngineError {
            kind,
            message: message.into(),
        }
    }

    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidArgument, message)
    }

    pub fn invalid_model(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidModel, message)
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    /// Prefixes the message with what was being done, keeping the kind.
    pub fn context(self, what: impl fmt::Display) -> Self {
        EngineError {
            kind: self.kind,
            message: format!("{what}: {}", self.message),
        }
    }
}

impl EngineError {
    /// Names `file` in the message unless it already does, so every load error says which file failed.
    pub fn in_file(self, file: &std::path::Path) -> Self {
        let shown = file.display().to_string();
        if self.message.contains(&shown) {
            self
        } else {
            self.context(shown)
        }
    }
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EngineError {}

impl From<fastembed_ort::OrtError> for EngineError {
    fn from(e: fastembed_ort::OrtError) -> Self {
        EngineError::new(ErrorKind::OnnxRuntime, e.to_string())
    }
}

impl From<fastembed_tokenizer::TokenizerError> for EngineError {
    fn from(e: fastembed_tokenizer::TokenizerError) -> Self {
        EngineError::new(ErrorKind::Tokenizer, e.to_string())
    }
}
