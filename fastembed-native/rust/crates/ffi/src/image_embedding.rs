//! Image embedding handles.

use crate::args;
use crate::error::fe_error;
use crate::result::fe_result;
use fastembed_engine::{ImageEmbedder, ImageSource};
use std::os::raw::c_char;
use std::path::Path;

/// A loaded image embedding model, created by `fe_image_embedding_new` and owned by the caller. Thread-safe:
/// embed calls may run from several threads at once on one handle. Free it exactly once with
/// `fe_image_embedding_free`, after every call on it has returned.
pub struct fe_image_embedding {
    embedder: ImageEmbedder,
    session_info: std::ffi::CString,
}

/// Loads a model. `options_json` is a JSON object:
/// `{"model_file": "/m/model.onnx", "preprocessor_config_file": "/m/preprocessor_config.json"` (both
/// required), `"batch_size": 16, "threads": <cores> (1 to 4 × cores, at most 256), "run_timeout_ms": <none>, "pooling": "cls"|"mean"` (for `[batch, tokens, dim]`
/// outputs), `"normalize": true, "output_name": "image_embeds"`, and decoding limits checked before any
/// pixel buffer is allocated: `"image_max_pixels": 50000000, "image_max_side": 16384,
/// "image_max_bytes": 134217728}`. On success stores a new handle in `*model_out`, which the caller frees with
/// `fe_image_embedding_free`.
#[no_mangle]
pub extern "C" fn fe_image_embedding_new(
    options_json: *const c_char,
    model_out: *mut *mut fe_image_embedding,
    error_out: *mut *mut fe_error,
) -> fe_result {
    ffi_result!(error_out, {
        args::new_handle(options_json, model_out, |options| {
            let embedder = ImageEmbedder::new(options)?;
            Ok(fe_image_embedding {
                session_info: args::session_info(embedder.session_info()),
                embedder,
            })
        })
    })
}

/// Length of each vector; 0 for a NULL handle.
#[no_mangle]
pub extern "C" fn fe_image_embedding_dimension(model: *const fe_image_embedding) -> usize {
    ffi_boundary!({
        args::reference(model, "model")
            .map(|m| m.embedder.dimension())
            .unwrap_or(0)
    })
}

/// Embeds `count` image files whose UTF-8 paths are packed as a text batch (see the text batch convention)
/// into `out`, which must hold exactly `count * dimension` floats: the vector of image `i` starts at
/// `out[i * dimension]`. A missing, unreadable, corrupt, unsupported, empty or oversized image fails the
/// call with `FE_RESULT_IO` or `FE_RESULT_IMAGE` and a message naming its index and path. `out` is the caller's
/// (allocated and freed by it); the files are read during the call only.
#[no_mangle]
pub extern "C" fn fe_image_embedding_embed_files(
    model: *const fe_image_embedding,
    paths: *const u8,
    offsets: *const usize,
    count: usize,
    out: *mut f32,
    out_len: usize,
    error_out: *mut *mut fe_error,
) -> fe_result {
    ffi_result!(error_out, {
        let model = args::reference(model, "model")?;
        let paths = args::texts(paths, offsets, count)?;
        let out = args::buffer(out, out_len, "out")?;
        let images: Vec<ImageSource<'_>> = paths.iter().map(|p| ImageSource::File(Path::new(p))).collect();
        model.embedder.embed_into(&images, out)?;
        Ok(())
    })
}

/// Embeds `count` encoded images (PNG, JPEG, WebP, GIF, BMP, TIFF) packed as one buffer `data` with
/// `count + 1` offsets, image `i` spanning `data[offsets[i] .. offsets[i+1]]`, into `out` (as
/// `fe_image_embedding_embed_files`). A bad image fails the call with a message naming its index. The library
/// keeps no pointer to `data` or `out` after the call.
#[no_mangle]
pub extern "C" fn fe_image_embedding_embed_bytes(
    model: *const fe_image_embedding,
    data: *const u8,
    offsets: *const usize,
    count: usize,
    out: *mut f32,
    out_len: usize,
    error_out: *mut *mut fe_error,
) -> fe_result {
    ffi_result!(error_out, {
        let model = args::reference(model, "model")?;
        let items = args::byte_batch(data, offsets, count)?;
        let out = args::buffer(out, out_len, "out")?;
        let images: Vec<ImageSource<'_>> = items.into_iter().map(ImageSource::Bytes).collect();
        model.embedder.embed_into(&images, out)?;
        Ok(())
    })
}

/// Stops the ONNX Runtime runs under way on `model`, from any thread: the calls running them fail with
/// `FE_RESULT_CANCELLED`; calls made afterwards run normally. Does nothing for a NULL handle or when no call
/// runs. The model must not have been freed.
#[no_mangle]
pub extern "C" fn fe_image_embedding_cancel(model: *const fe_image_embedding) {
    ffi_boundary!({ args::if_live(model, |m| m.embedder.cancel_runs()) })
}

/// How the model's ONNX Runtime session was set up, as a NUL-terminated JSON object owned by the handle (valid
/// until `fe_image_embedding_free`): `"execution_provider"` running it (`"cpu"`, `"cuda"`), the
/// `"requested_execution_provider"`, `"fallback_reason"` (ONNX Runtime's message) when `"fallback": "cpu"` took
/// over, `"optimized_graph"` (`"off"`, `"loaded"`, `"saved"`, `"not saved: <why>"`) and `"optimized_graph_file"`.
/// NULL for a NULL handle.
#[no_mangle]
pub extern "C" fn fe_image_embedding_session_info(model: *const fe_image_embedding) -> *const c_char {
    ffi_boundary!({
        args::reference(model, "model")
            .map(|m| m.session_info.as_ptr())
            .unwrap_or(std::ptr::null())
    })
}

/// Frees a model. NULL is ignored; freeing twice, or while a call on the model is in flight, is undefined.
#[no_mangle]
pub extern "C" fn fe_image_embedding_free(model: *mut fe_image_embedding) {
    ffi_boundary!({ args::free_handle(model) })
}
