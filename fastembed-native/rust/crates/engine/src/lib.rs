//! Embedding pipelines over ONNX Runtime: tokenize, batch by length, run, pool and normalize.
//!
//! Each model kind has its own module; they share option parsing, session setup, batching and pooling.
#![forbid(unsafe_code)]

pub mod alloc;
pub mod batching;
pub mod error;
pub mod fingerprint;
pub mod image;
pub mod late_interaction;
pub mod multimodal;
pub mod optimized_graph;
pub mod options;
pub mod plan;
pub mod pooling;
pub mod rerank;
pub mod runs;
pub mod session;
pub mod sparse;
pub mod tensors;
pub mod text;

pub use error::{EngineError, ErrorKind};
pub use image::{ImageEmbedder, ImageSource};
pub use late_interaction::{LateInteractionEmbedder, TextRole, TokenEmbeddings};
pub use multimodal::LateInteractionMultimodalEmbedder;
pub use options::ModelOptions;
pub use plan::{ExecutionPlan, PlanKind, PlanSource};
pub use rerank::CrossEncoder;
pub use sparse::{SparseAlgorithm, SparseEmbedder, SparseVector};
pub use text::TextEmbedder;

/// Loads ONNX Runtime from `path` (or the default locations) once per process.
///
/// An empty path or a folder is refused as INVALID_ARGUMENT before the loader sees it: `dlopen("")` hands
/// back the host program itself, which then "lacks OrtGetApiBase" under an empty library name.
pub fn init_runtime(path: Option<&std::path::Path>) -> Result<&'static fastembed_ort::Runtime, EngineError> {
    if let Some(path) = path {
        if path.as_os_str().is_empty() {
            return Err(EngineError::invalid_argument(
                "the ONNX Runtime library path is empty: give the library's file, or no path (NULL) for \
                 ORT_DYLIB_PATH or the system's library",
            ));
        }
        if path.is_dir() {
            return Err(EngineError::invalid_argument(format!(
                "the ONNX Runtime library path {} is a folder: give the library's file (e.g. \
                 {}/libonnxruntime.so)",
                path.display(),
                path.display()
            )));
        }
    }
    fastembed_ort::Runtime::init(path).map_err(EngineError::from)
}
