//! Real ONNX Runtime and model files for the tests, from Maven artifacts (fastembed-testkit); a missing
//! one fails the test that needs it.

use std::path::PathBuf;
use std::sync::OnceLock;

use fastembed_ort::{Runtime, Session, SessionOptions};

/// A directory for this test run's files under Cargo's per-target temporary directory.
pub fn work_dir() -> PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("fastembed-ort");
    std::fs::create_dir_all(&dir).expect("create test work directory");
    dir
}

/// The ONNX Runtime library from the onnxruntime jar.
pub fn ort_library() -> PathBuf {
    fastembed_testkit::onnxruntime_library()
}

/// The loaded runtime.
pub fn runtime() -> &'static Runtime {
    Runtime::init(Some(&ort_library())).expect("load the ONNX Runtime extracted from the jar")
}

/// Lean settings: the machine running the tests is small and shared.
pub fn lean_options() -> SessionOptions {
    SessionOptions {
        intra_op_threads: 1,
        inter_op_threads: 1,
        allow_spinning: false,
        ..SessionOptions::default()
    }
}

pub fn bge_model() -> PathBuf {
    fastembed_testkit::langchain4j_file("bge-small-en-v15", "bge-small-en-v1.5.onnx")
}

/// One bge-small-en-v1.5 session shared by the tests of this binary.
pub fn bge_session() -> &'static Session {
    static SESSION: OnceLock<Session> = OnceLock::new();
    SESSION
        .get_or_init(|| Session::from_file(runtime(), &bge_model(), &lean_options()).expect("load bge-small-en-v1.5"))
}
