//! Ownership of ONNX Runtime objects: each one is released exactly once, when its guard drops.

use std::ptr::NonNull;

use crate::error::OrtError;

/// An ONNX Runtime object this crate created and must release.
pub(crate) struct Owned<T> {
    ptr: NonNull<T>,
    release: unsafe extern "system" fn(*mut T),
}

impl<T> Owned<T> {
    /// Takes ownership of `ptr`, if it is not null.
    ///
    /// # Safety
    /// A non-null `ptr` must be an object nobody else releases, and `release` its release function.
    pub(crate) unsafe fn from_raw(ptr: *mut T, release: unsafe extern "system" fn(*mut T)) -> Option<Self> {
        NonNull::new(ptr).map(|ptr| Self { ptr, release })
    }

    pub(crate) fn as_ptr(&self) -> *mut T {
        self.ptr.as_ptr()
    }
}

impl<T> Drop for Owned<T> {
    fn drop(&mut self) {
        // SAFETY: `from_raw` made this guard the object's only owner, and drop runs once.
        unsafe { (self.release)(self.ptr.as_ptr()) }
    }
}

/// A call reported success but left its out-parameter null: an ONNX Runtime bug, reported rather
/// than trusted.
pub(crate) fn no_object(operation: &'static str) -> OrtError {
    OrtError::Ort {
        operation,
        code: crate::error::ErrorCode::Fail,
        message: "reported success but returned no object".to_owned(),
    }
}

/// Calls an `OrtApi` function whose last parameter is an out-pointer to a new object, and returns
/// that object owned. Must be used inside `unsafe`.
///
/// `create!(api, CreateSessionOptions(), ReleaseSessionOptions)`
macro_rules! create {
    ($api:expr, $function:ident($($arg:expr),* $(,)?), $release:ident) => {{
        let api: &$crate::api::OrtApi = $api;
        let mut out = std::ptr::null_mut();
        let status = (api.$function)($($arg,)* &mut out);
        // Own whatever came back before looking at the status, so nothing leaks on any path.
        let owned = $crate::owned::Owned::from_raw(out, api.$release);
        $crate::error::check(api, status, stringify!($function)).and_then(|()| {
            owned.ok_or_else(|| $crate::owned::no_object(stringify!($function)))
        })
    }};
}

/// Calls an `OrtApi` function returning only a status. Must be used inside `unsafe`.
///
/// `call!(api, DisableMemPattern(options))`
macro_rules! call {
    ($api:expr, $function:ident($($arg:expr),* $(,)?)) => {{
        let api: &$crate::api::OrtApi = $api;
        $crate::error::check(api, (api.$function)($($arg),*), stringify!($function))
    }};
}

pub(crate) use {call, create};
