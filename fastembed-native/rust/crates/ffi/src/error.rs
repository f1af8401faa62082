//! Error objects handed to the caller, who frees them with `fe_error_free`.

use crate::result::fe_result;
use fastembed_engine::EngineError;
use std::ffi::CString;
use std::os::raw::c_char;

/// An error's code and message, stored in `*error_out` by a failed call. Owned by the caller, who frees it
/// with `fe_error_free` exactly once. Immutable: may be read from any thread.
pub struct fe_error {
    code: fe_result,
    message: CString,
}

impl fe_error {
    pub(crate) fn new(code: fe_result, message: &str) -> fe_error {
        // Interior NULs cannot be represented in a C string; keep the rest of the message.
        let message = CString::new(message.replace('\0', "\\0")).unwrap_or_default();
        fe_error { code, message }
    }
}

/// A failure on its way to the caller.
pub(crate) struct Failure {
    pub code: fe_result,
    pub message: String,
}

impl Failure {
    pub fn new(code: fe_result, message: impl Into<String>) -> Failure {
        Failure {
            code,
            message: message.into(),
        }
    }

    pub fn invalid(message: impl Into<String>) -> Failure {
        Failure::new(fe_result::FE_RESULT_INVALID_ARGUMENT, message)
    }
}

impl From<EngineError> for Failure {
    fn from(e: EngineError) -> Failure {
        Failure::new(e.kind().into(), e.message())
    }
}

/// Stores `failure` in `*error_out` (when given) and returns its code.
pub(crate) fn report(failure: Failure, error_out: *mut *mut fe_error) -> fe_result {
    if !error_out.is_null() {
        let error = Box::new(fe_error::new(failure.code, &failure.message));
        // SAFETY: the caller passes a valid `fe_error **` or NULL (checked above).
        unsafe { *error_out = Box::into_raw(error) };
    }
    failure.code
}

/// Converts a `Result` into the C convention: `FE_RESULT_OK`, or the error code with `*error_out` set.
pub(crate) fn finish(result: Result<(), Failure>, error_out: *mut *mut fe_error) -> fe_result {
    match result {
        Ok(()) => fe_result::FE_RESULT_OK,
        Err(failure) => report(failure, error_out),
    }
}

/// The error's message (UTF-8, NUL-terminated), owned by `error`: valid until `fe_error_free(error)`, never
/// freed by the caller. NULL for a NULL error.
#[no_mangle]
pub extern "C" fn fe_error_message(error: *const fe_error) -> *const c_char {
    ffi_boundary!({
        // SAFETY: `error` is NULL or a pointer returned by this library and not yet freed.
        match unsafe { error.as_ref() } {
            Some(e) => e.message.as_ptr(),
            None => std::ptr::null(),
        }
    })
}

/// The error's result code; `FE_RESULT_NULL_ARGUMENT` for a NULL error.
#[no_mangle]
pub extern "C" fn fe_error_code(error: *const fe_error) -> fe_result {
    ffi_boundary!({
        // SAFETY: as in fe_error_message.
        match unsafe { error.as_ref() } {
            Some(e) => e.code,
            None => fe_result::FE_RESULT_NULL_ARGUMENT,
        }
    })
}

/// Frees an error and its message. NULL is ignored; freeing the same error twice is undefined.
#[no_mangle]
pub extern "C" fn fe_error_free(error: *mut fe_error) {
    ffi_boundary!({
        if !error.is_null() {
            // SAFETY: `error` came from Box::into_raw in `report` and is freed once by contract.
            drop(unsafe { Box::from_raw(error) });
        }
    })
}
