//! Checks and conversions of raw C arguments, done once here rather than ad hoc in each function.

use crate::error::Failure;
use crate::result::fe_result;
use std::ffi::CStr;
use std::os::raw::c_char;

fn null(name: &str) -> Failure {
    Failure::new(fe_result::FE_RESULT_NULL_ARGUMENT, format!("{name} must not be NULL"))
}

/// A shared reference to a handle or input struct.
pub(crate) fn reference<'a, T>(ptr: *const T, name: &str) -> Result<&'a T, Failure> {
    // SAFETY: non-NULL pointers passed by the caller point to live objects of type T by contract.
    unsafe { ptr.as_ref() }.ok_or_else(|| null(name))
}

/// A place to store one output value.
pub(crate) fn out<'a, T>(ptr: *mut T, name: &str) -> Result<&'a mut T, Failure> {
    // SAFETY: as in `reference`; the caller owns the slot for the duration of the call.
    unsafe { ptr.as_mut() }.ok_or_else(|| null(name))
}

/// A NUL-terminated UTF-8 string.
pub(crate) fn c_str<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, Failure> {
    if ptr.is_null() {
        return Err(null(name));
    }
    // SAFETY: non-NULL and NUL-terminated by contract.
    unsafe { CStr::from_ptr(ptr) }
        .to_str()
        .map_err(|e| Failure::invalid(format!("{name} is not valid UTF-8: {e}")))
}

/// `len` bytes of UTF-8 text (NUL bytes allowed). NULL is accepted when `len` is 0.
pub(crate) fn utf8<'a>(data: *const u8, len: usize, name: &str) -> Result<&'a str, Failure> {
    let bytes = bytes(data, len, name)?;
    std::str::from_utf8(bytes).map_err(|e| Failure::invalid(format!("{name} is not valid UTF-8: {e}")))
}

fn bytes<'a>(data: *const u8, len: usize, name: &str) -> Result<&'a [u8], Failure> {
    if len == 0 {
        return Ok(&[]);
    }
    if data.is_null() {
        return Err(null(name));
    }
    // SAFETY: non-NULL, `len` readable bytes by contract.
    Ok(unsafe { std::slice::from_raw_parts(data, len) })
}

/// A batch of texts: one buffer and `count + 1` ascending offsets into it.
pub(crate) fn texts<'a>(data: *const u8, offsets: *const usize, count: usize) -> Result<Vec<&'a str>, Failure> {
    if count == 0 {
        return Ok(Vec::new());
    }
    if offsets.is_null() {
        return Err(null("offsets"));
    }
    // SAFETY: `count + 1` offsets by contract.
    let offsets = unsafe { std::slice::from_raw_parts(offsets, count + 1) };
    let total = offsets[count];
    if offsets[0] != 0 || offsets.windows(2).any(|w| w[0] > w[1]) {
        return Err(Failure::invalid("text offsets must start at 0 and never decrease"));
    }
    let data = bytes(data, total, "data")?;
    offsets
        .windows(2)
        .enumerate()
        .map(|(i, w)| {
            std::str::from_utf8(&data[w[0]..w[1]])
                .map_err(|e| Failure::invalid(format!("text {i} is not valid UTF-8: {e}")))
        })
        .collect()
}

/// A batch of byte strings (e.g. encoded images): one buffer and `count + 1` ascending offsets into it,
/// item `i` spanning `data[offsets[i] .. offsets[i+1]]`.
pub(crate) fn byte_batch<'a>(data: *const u8, offsets: *const usize, count: usize) -> Result<Vec<&'a [u8]>, Failure> {
    if count == 0 {
        return Ok(Vec::new());
    }
    if offsets.is_null() {
        return Err(null("offsets"));
    }
    // SAFETY: `count + 1` offsets by contract.
    let offsets = unsafe { std::slice::from_raw_parts(offsets, count + 1) };
    if offsets[0] != 0 || offsets.windows(2).any(|w| w[0] > w[1]) {
        return Err(Failure::invalid("offsets must start at 0 and never decrease"));
    }
    let data = bytes(data, offsets[count], "data")?;
    Ok(offsets.windows(2).map(|w| &data[w[0]..w[1]]).collect())
}

/// A writable buffer of `len` elements.
pub(crate) fn buffer<'a, T>(data: *mut T, len: usize, name: &str) -> Result<&'a mut [T], Failure> {
    if len == 0 {
        return Ok(&mut []);
    }
    if data.is_null() {
        return Err(null(name));
    }
    // SAFETY: non-NULL, `len` writable elements owned by the caller for the call.
    Ok(unsafe { std::slice::from_raw_parts_mut(data, len) })
}

/// The body of every `fe_<kind>_new`: parses the options JSON, builds the value with `build`, and hands it to
/// the caller in `*out` (left untouched on failure).
pub(crate) fn new_handle<T, F>(options_json: *const c_char, out: *mut *mut T, build: F) -> Result<(), Failure>
where
    F: FnOnce(&fastembed_engine::ModelOptions) -> Result<T, Failure>,
{
    let options = fastembed_engine::ModelOptions::from_json(c_str(options_json, "options_json")?)?;
    let slot = self::out(out, "model_out")?;
    let value = build(&options)?;
    into_handle(value, slot);
    Ok(())
}

/// Runs `f` on a live handle; NULL does nothing (getters and `fe_<kind>_cancel`).
pub(crate) fn if_live<T>(handle: *const T, f: impl FnOnce(&T)) {
    if let Ok(handle) = reference(handle, "model") {
        f(handle);
    }
}

/// Moves a value to the heap and hands ownership to the caller.
pub(crate) fn into_handle<T>(value: T, out_slot: &mut *mut T) {
    *out_slot = Box::into_raw(Box::new(value));
}

/// Frees a handle created by `into_handle`. NULL is ignored.
pub(crate) fn free_handle<T>(handle: *mut T) {
    if !handle.is_null() {
        // SAFETY: created by Box::into_raw in `into_handle`, freed once by contract.
        drop(unsafe { Box::from_raw(handle) });
    }
}

/// A model's session info as the JSON its handle hands out (`{}` when it has no session yet).
pub fn session_info(info: Option<fastembed_engine::session::SessionInfo>) -> std::ffi::CString {
    info.map_or_else(
        || std::ffi::CString::new("{}").unwrap_or_default(),
        |info| info.json().to_owned(),
    )
}
