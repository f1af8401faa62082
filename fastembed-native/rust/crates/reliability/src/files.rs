//! Real files for the tests and tools: ONNX Runtime and the bge-small-en-v1.5 model, from Maven artifacts
//! (fastembed-testkit extracts them into the target folder); a missing one fails with what to install.

use std::path::{Path, PathBuf};

pub use fastembed_testkit::work_dir;

/// bge-small-en-v1.5: (model.onnx, tokenizer.json).
pub fn bge_small() -> (PathBuf, PathBuf) {
    (
        fastembed_testkit::langchain4j_file("bge-small-en-v15", "bge-small-en-v1.5.onnx"),
        fastembed_testkit::langchain4j_file("bge-small-en-v15", "bge-small-en-v1.5-tokenizer.json"),
    )
}

/// Loads ONNX Runtime (the onnxruntime Maven artifact's library) into the process (once).
pub fn init_runtime() {
    fastembed_engine::init_runtime(Some(&fastembed_testkit::onnxruntime_library())).expect("load ONNX Runtime");
}

/// The ffi crate's sources and the generated C header, for the boundary coverage check.
pub fn ffi_sources() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../ffi/src")
}

pub fn c_header() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../include/fastembed.h")
}
