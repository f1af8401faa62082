//! Process-wide setup: loading ONNX Runtime, versions, and a deliberate panic to test the boundary.

use crate::args;
use crate::error::{fe_error, Failure};
use crate::result::fe_result;
use std::os::raw::c_char;

/// Version of the C ABI this header describes. Bumped when a change breaks existing callers (a signature,
/// a meaning, a result code's number); adding functions or result codes keeps it. At startup, compare it
/// with `fe_abi_version()`, the library's own, and stop if they differ.
pub const FE_ABI_VERSION: u32 = 1;

/// Loads ONNX Runtime (`libonnxruntime`) from `onnxruntime_path`, or, when NULL, from `ORT_DYLIB_PATH` or the
/// system's library path. Must succeed before any model is created (else `FE_RESULT_RUNTIME_NOT_LOADED`).
/// The first successful load stays for the life of the process: later calls with NULL or the same path
/// return `FE_RESULT_OK` without reloading, a different path gets `FE_RESULT_ONNX_RUNTIME`, and a failed
/// load may be retried. An empty path or a folder is `FE_RESULT_INVALID_ARGUMENT` (the loader would open the
/// host program for ""). Thread-safe. `onnxruntime_path` is only read during the call.
#[no_mangle]
pub extern "C" fn fe_runtime_init(onnxruntime_path: *const c_char, error_out: *mut *mut fe_error) -> fe_result {
    ffi_result!(error_out, {
        let path = if onnxruntime_path.is_null() {
            None
        } else {
            Some(std::path::PathBuf::from(args::c_str(
                onnxruntime_path,
                "onnxruntime_path",
            )?))
        };
        fastembed_engine::init_runtime(path.as_deref())?;
        Ok(())
    })
}

/// The engine version, e.g. "0.1.0". Static string, valid for the life of the process: do not free.
#[no_mangle]
pub extern "C" fn fe_version() -> *const c_char {
    ffi_boundary!({ concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr() as *const c_char })
}

/// The C ABI version this library implements; equal to the header's `FE_ABI_VERSION` when they match.
#[no_mangle]
pub extern "C" fn fe_abi_version() -> u32 {
    ffi_boundary!({ FE_ABI_VERSION })
}

/// The loaded ONNX Runtime's version, e.g. "1.29.0"; NULL before `fe_runtime_init` has succeeded.
/// Static string, valid for the life of the process: do not free.
#[no_mangle]
pub extern "C" fn fe_onnxruntime_version() -> *const c_char {
    ffi_boundary!({
        match fastembed_ort::Runtime::get() {
            Some(runtime) => runtime_version(runtime).as_ptr(),
            None => std::ptr::null(),
        }
    })
}

fn runtime_version(runtime: &fastembed_ort::Runtime) -> &'static std::ffi::CStr {
    static VERSION: once_cell::sync::OnceCell<std::ffi::CString> = once_cell::sync::OnceCell::new();
    VERSION.get_or_init(|| std::ffi::CString::new(runtime.version()).unwrap_or_default())
}

/// Panics inside the boundary on purpose and returns `FE_RESULT_PANIC` with `message` in the error:
/// lets bindings test that panics never cross the FFI boundary. Affects no other state.
#[no_mangle]
pub extern "C" fn fe_debug_panic(message: *const c_char, error_out: *mut *mut fe_error) -> fe_result {
    ffi_result!(error_out, {
        let message = args::c_str(message, "message")?;
        if message.is_empty() {
            return Err(Failure::invalid("message must not be empty"));
        }
        panic!("{}", message)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::fe_result;

    fn init_error(path: &str) -> (fe_result, String) {
        let path = std::ffi::CString::new(path).unwrap();
        let mut error = std::ptr::null_mut();
        let code = fe_runtime_init(path.as_ptr(), &mut error);
        let message = crate::fe_error_message(error);
        // SAFETY: the message is a NUL-terminated string owned by `error`, read before it is freed.
        let text = unsafe { std::ffi::CStr::from_ptr(message) }
            .to_string_lossy()
            .into_owned();
        crate::fe_error_free(error);
        (code, text)
    }

    #[test]
    fn empty_runtime_path_is_an_invalid_argument() {
        let (code, message) = init_error("");
        assert_eq!(code, fe_result::FE_RESULT_INVALID_ARGUMENT, "{message}");
        assert!(message.contains("path is empty"), "{message}");
    }

    #[test]
    fn folder_as_runtime_path_is_an_invalid_argument_naming_it() {
        let folder = std::env::temp_dir();
        let (code, message) = init_error(folder.to_str().unwrap());
        assert_eq!(code, fe_result::FE_RESULT_INVALID_ARGUMENT, "{message}");
        assert!(
            message.contains(&format!("{} is a folder", folder.display())),
            "{message}"
        );
    }
}
