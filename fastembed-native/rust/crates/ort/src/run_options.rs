//! Options of one run; here only its terminate flag, which stops the run from another thread.

use crate::api::OrtRunOptions;
use crate::error::OrtError;
use crate::owned::{call, create, Owned};
use crate::runtime::Runtime;

/// Passed to [`crate::Session::run_with`]; [`RunOptions::terminate`] makes that run (or the next one using
/// these options) stop at its next operator and fail with ONNX Runtime's "terminate flag" error.
pub struct RunOptions {
    runtime: &'static Runtime,
    raw: Owned<OrtRunOptions>,
}

// SAFETY: ONNX Runtime documents setting the terminate flag from another thread while a run uses the
// options (it is an atomic flag); the object is released once, by its owner.
unsafe impl Send for RunOptions {}
// SAFETY: as for Send.
unsafe impl Sync for RunOptions {}

impl RunOptions {
    pub fn new(runtime: &'static Runtime) -> Result<RunOptions, OrtError> {
        // SAFETY: the out-pointer is the only argument; the new object is owned here.
        let raw = unsafe { create!(runtime.api(), CreateRunOptions(), ReleaseRunOptions)? };
        Ok(RunOptions { runtime, raw })
    }

    /// Asks the run using these options to stop; safe to call from any thread, any number of times.
    pub fn terminate(&self) -> Result<(), OrtError> {
        // SAFETY: the options are live for as long as `self`.
        unsafe { call!(self.runtime.api(), RunOptionsSetTerminate(self.raw.as_ptr())) }
    }

    pub(crate) fn as_ptr(&self) -> *const OrtRunOptions {
        self.raw.as_ptr().cast_const()
    }
}
