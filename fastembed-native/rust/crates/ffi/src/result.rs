//! The one result enum of the C ABI. Numbers are stable: new kinds are appended, never renumbered.

use fastembed_engine::ErrorKind;

/// Outcome of a fallible call.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum fe_result {
    FE_RESULT_OK = 0,
    /// A required pointer argument was NULL.
    FE_RESULT_NULL_ARGUMENT = 1,
    /// An argument was malformed: invalid UTF-8, bad options JSON, wrong buffer size, ...
    FE_RESULT_INVALID_ARGUMENT = 2,
    /// A file could not be read.
    FE_RESULT_IO = 3,
    /// The model file or its configuration is unusable (corrupt, wrong inputs/outputs, ...).
    FE_RESULT_INVALID_MODEL = 4,
    /// tokenizer.json could not be loaded or a text could not be encoded.
    FE_RESULT_TOKENIZER = 5,
    /// ONNX Runtime reported an error.
    FE_RESULT_ONNX_RUNTIME = 6,
    /// fe_runtime_init has not succeeded yet.
    FE_RESULT_RUNTIME_NOT_LOADED = 7,
    /// An image could not be decoded or preprocessed.
    FE_RESULT_IMAGE = 8,
    /// The call's run was stopped by `fe_*_cancel` on its model.
    FE_RESULT_CANCELLED = 9,
    /// A run took longer than the model's `run_timeout_ms` and was stopped.
    FE_RESULT_TIMED_OUT = 10,
    /// Memory for a buffer sized by the input or the model could not be had; the process lives on.
    FE_RESULT_RESOURCE = 11,
    /// A bug in the engine was caught at the boundary; the handle involved should be dropped.
    FE_RESULT_PANIC = 99,
}

impl From<ErrorKind> for fe_result {
    fn from(kind: ErrorKind) -> Self {
        match kind {
            ErrorKind::InvalidArgument => fe_result::FE_RESULT_INVALID_ARGUMENT,
            ErrorKind::Io => fe_result::FE_RESULT_IO,
            ErrorKind::InvalidModel => fe_result::FE_RESULT_INVALID_MODEL,
            ErrorKind::Tokenizer => fe_result::FE_RESULT_TOKENIZER,
            ErrorKind::OnnxRuntime => fe_result::FE_RESULT_ONNX_RUNTIME,
            ErrorKind::RuntimeNotLoaded => fe_result::FE_RESULT_RUNTIME_NOT_LOADED,
            ErrorKind::Image => fe_result::FE_RESULT_IMAGE,
            ErrorKind::Cancelled => fe_result::FE_RESULT_CANCELLED,
            ErrorKind::TimedOut => fe_result::FE_RESULT_TIMED_OUT,
            ErrorKind::Resource => fe_result::FE_RESULT_RESOURCE,
        }
    }
}
