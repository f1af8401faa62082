//! Embedding pipelines over ONNX Runtime: tokenize, batch by length, run, pool and normalize.
//!
//! Each model kind has its own module; they share option parsing, session setup, batching and pooling.
#![forbid(unsafe_code)]

pub mod batching;
pub mod error;
pub mod image;
pub mod late_interaction;
pub mod options;
pub mod pooling;
pub mod rerank;
pub mod session;
pub mod sparse;
pub mod tensors;
pub mod text;

pub use error::{EngineError, ErrorKind};
pub use image::{ImageEmbedder, ImageSource};
pub use late_interaction::{LateInteractionEmbedder, TextRole, TokenEmbeddings};
pub use options::ModelOptions;
pub use rerank::CrossEncoder;
pub use sparse::{SparseAlgorithm, SparseEmbedder, SparseVector};
pub use text::TextEmbedder;

/// Loads ONNX Runtime from `path` (or the default locations) once per process.
pub fn init_runtime(path: Option<&std::path::Path>) -> Result<&'static fastembed_ort::Runtime, EngineError> {
    fastembed_ort::Runtime::init(path).map_err(EngineError::from)
}
