//! The panic boundary: every exported function body runs inside `ffi_boundary!`, so a panic becomes a
//! value the caller understands instead of unwinding into C (undefined behaviour).

use crate::result::fe_result;

/// The value an exported function returns when its body panicked.
pub(crate) trait PanicDefault {
    fn panic_default() -> Self;
}

impl PanicDefault for fe_result {
    fn panic_default() -> Self {
        fe_result::FE_RESULT_PANIC
    }
}

impl<T> PanicDefault for *const T {
    fn panic_default() -> Self {
        std::ptr::null()
    }
}

impl<T> PanicDefault for *mut T {
    fn panic_default() -> Self {
        std::ptr::null_mut()
    }
}

impl PanicDefault for usize {
    fn panic_default() -> Self {
        0
    }
}

impl PanicDefault for u32 {
    fn panic_default() -> Self {
        0
    }
}

impl PanicDefault for () {
    fn panic_default() -> Self {}
}

/// Runs `$body`, returning the type's [`PanicDefault`] if it panics.
macro_rules! ffi_boundary {
    ($body:block) => {{
        match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(|| $body)) {
            Ok(value) => value,
            Err(_) => $crate::boundary::PanicDefault::panic_default(),
        }
    }};
}

/// Runs a fallible `$body` (returning `Result<(), Failure>`), reporting failures and panics in `$error_out`.
macro_rules! ffi_result {
    ($error_out:expr, $body:block) => {{
        let error_out = $error_out;
        match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(
            || -> Result<(), $crate::error::Failure> { $body },
        )) {
            Ok(result) => $crate::error::finish(result, error_out),
            Err(payload) => $crate::error::report(
                $crate::error::Failure::new(
                    $crate::result::fe_result::FE_RESULT_PANIC,
                    format!("internal error (panic): {}", $crate::boundary::panic_message(&payload)),
                ),
                error_out,
            ),
        }
    }};
}

/// The text of a panic payload, when it has one.
pub(crate) fn panic_message(payload: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

#[allow(unused_imports)]
pub(crate) use {ffi_boundary, ffi_result};
