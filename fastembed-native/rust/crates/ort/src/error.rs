//! The crate's error type and the conversion of an `OrtStatus` into it.

use std::ffi::CStr;
use std::path::PathBuf;

use crate::api::{OrtApi, Status};
use crate::tensor::ElementType;

/// `OrtErrorCode` as reported by ONNX Runtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    Fail,
    InvalidArgument,
    NoSuchFile,
    NoModel,
    EngineError,
    RuntimeException,
    InvalidProtobuf,
    ModelLoaded,
    NotImplemented,
    InvalidGraph,
    EpFail,
    ModelLoadCanceled,
    ModelRequiresCompilation,
    NotFound,
    /// A code added by a newer runtime than this crate knows.
    Other(i32),
}

impl ErrorCode {
    pub(crate) fn from_raw(code: i32) -> Self {
        match code {
            1 => Self::Fail,
            2 => Self::InvalidArgument,
            3 => Self::NoSuchFile,
            4 => Self::NoModel,
            5 => Self::EngineError,
            6 => Self::RuntimeException,
            7 => Self::InvalidProtobuf,
            8 => Self::ModelLoaded,
            9 => Self::NotImplemented,
            10 => Self::InvalidGraph,
            11 => Self::EpFail,
            12 => Self::ModelLoadCanceled,
            13 => Self::ModelRequiresCompilation,
            14 => Self::NotFound,
            other => Self::Other(other),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OrtError {
    /// The dynamic loader could not open the library (missing file, wrong architecture, ...).
    #[error("cannot load the ONNX Runtime library {path}: {message}")]
    LibraryLoad { path: PathBuf, message: String },

    /// The file loaded but is not an ONNX Runtime library.
    #[error("{path} is not an ONNX Runtime library: {problem}")]
    NotOnnxRuntime { path: PathBuf, problem: String },

    /// The library is older than the C API version this crate needs.
    #[error(
        "ONNX Runtime {library_version} at {path} does not serve C API version {requested}; \
         ONNX Runtime 1.{requested} or newer is required"
    )]
    UnsupportedApiVersion {
        path: PathBuf,
        library_version: String,
        requested: u32,
    },

    /// The library's API table lacks a function this crate calls.
    #[error("ONNX Runtime {library_version} at {path} has no C API function {function} (index {index})")]
    MissingFunction {
        path: PathBuf,
        library_version: String,
        function: &'static str,
        index: usize,
    },

    /// A process can hold one ONNX Runtime; a second, different library was asked for.
    #[error("ONNX Runtime is already loaded from {loaded}; cannot also load {requested}")]
    AlreadyLoaded { loaded: PathBuf, requested: PathBuf },

    /// An ONNX Runtime call failed; `message` is ONNX Runtime's own.
    #[error("ONNX Runtime {operation} failed ({code:?}): {message}")]
    Ort {
        operation: &'static str,
        code: ErrorCode,
        message: String,
    },

    /// Arguments rejected before they reach ONNX Runtime.
    #[error("invalid input: {0}")]
    InvalidInput(String),

    /// An output was read as a type it does not have.
    #[error("output tensor holds {actual:?}, not {requested}")]
    WrongElementType {
        actual: ElementType,
        requested: &'static str,
    },
}

impl OrtError {
    /// ONNX Runtime's error code, for errors that came from ONNX Runtime.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Self::Ort { code, .. } => Some(*code),
            _ => None,
        }
    }
}

/// Turns a returned status into a result, releasing the status object.
///
/// # Safety
/// `status` must be null or a status just returned by a function of `api`, not yet released.
pub(crate) unsafe fn check(api: &OrtApi, status: Status, operation: &'static str) -> Result<(), OrtError> {
    if status.is_null() {
        return Ok(());
    }
    let code = ErrorCode::from_raw((api.GetErrorCode)(status));
    let message_ptr = (api.GetErrorMessage)(status);
    let message = if message_ptr.is_null() {
        String::new()
    } else {
        CStr::from_ptr(message_ptr).to_string_lossy().into_owned()
    };
    (api.ReleaseStatus)(status);
    Err(OrtError::Ort {
        operation,
        code,
        message,
    })
}
