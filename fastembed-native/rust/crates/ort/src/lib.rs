//! ONNX Runtime through its C API, loaded at run time.
//!
//! The library is opened with `libloading` ([`Runtime::init`]), so nothing links against ONNX
//! Runtime at build time and the application chooses which `libonnxruntime` to use. Only the C API
//! table entries this crate needs are declared (`api`), each checked against its index in
//! `onnxruntime_c_api.h` at compile time. C API version [`MIN_API_VERSION`] (ONNX Runtime 1.11) is
//! requested, so older 1.x runtimes work as well as the current one.
//!
//! ```no_run
//! use fastembed_ort::{InputTensor, Runtime, Session, SessionOptions};
//! # fn main() -> Result<(), fastembed_ort::OrtError> {
//! let runtime = Runtime::init(None)?;
//! let session = Session::from_file(runtime, "model.onnx".as_ref(), &SessionOptions::default())?;
//! let ids = [101i64, 7592, 102];
//! let mask = [1i64; 3];
//! let outputs = session.run(
//!     &[
//!         ("input_ids", InputTensor::I64 { data: &ids, shape: &[1, 3] }),
//!         ("attention_mask", InputTensor::I64 { data: &mask, shape: &[1, 3] }),
//!     ],
//!     &["last_hidden_state"],
//! )?;
//! let hidden: &[f32] = outputs[0].as_f32()?;
//! # Ok(()) }
//! ```

mod api;
mod error;
mod gate;
mod options;
mod owned;
mod run_options;
mod runtime;
mod session;
mod tensor;

pub use api::MIN_API_VERSION;
pub use error::{ErrorCode, OrtError};
pub use options::{ExecutionProvider, GraphOptimization, SessionOptions};
pub use run_options::RunOptions;
pub use runtime::{Runtime, ORT_DYLIB_PATH};
pub use session::Session;
pub use tensor::{ElementType, InputTensor, OutputTensor, TensorInfo};
