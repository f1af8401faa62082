//! Late interaction over images (ColPali) handles: queries and images to per-token vectors.

use crate::args;
use crate::error::fe_error;
use crate::late_interaction::fe_token_embeddings;
use crate::result::fe_result;
use fastembed_engine::{ImageSource, LateInteractionMultimodalEmbedder};
use std::os::raw::c_char;
use std::path::Path;

/// A loaded late interaction model over images (ColPali), created by `fe_late_interaction_multimodal_new` and
/// owned by the caller. Thread-safe: one handle may serve several threads at once. Free it exactly once with
/// `fe_late_interaction_multimodal_free`, after every call on it has returned. Results it produced stay valid
/// after it is freed.
pub struct fe_late_interaction_multimodal {
    embedder: LateInteractionMultimodalEmbedder,
    session_info: std::ffi::CString,
}

/// Loads a model. `options_json` is a JSON object:
/// `{"model_file": "/m/model.onnx", "tokenizer_file": "/m/tokenizer.json", "preprocessor_config_file":
/// "/m/preprocessor_config.json"` (all three required), `"config_file"`, `"special_tokens_map_file"`,
/// `"tokenizer_config_file"` (optional paths), `"max_length": 512, "batch_size": 16, "token_budget": 1024` (padded
/// query tokens per run), `"threads": <cores> (1 to 4 × cores, at most 256), "run_timeout_ms": <none>,
/// "normalize": false` (the model normalizes its vectors),
/// `"output_name": <first output>`, and the image decoding limits of `fe_image_embedding_new`. The model takes
/// `input_ids`, `attention_mask` and `pixel_values` (float32 `[batch, 3, height, width]` as the preprocessor
/// makes them; for an Idefics3 `preprocessor_config.json` (ColModernVBERT) `[batch, frames, 3, side, side]`, with
/// `processor_config.json` read from beside it). On success stores a new handle in `*model_out`, which the caller frees with
/// `fe_late_interaction_multimodal_free`.
#[no_mangle]
pub extern "C" fn fe_late_interaction_multimodal_new(
    options_json: *const c_char,
    model_out: *mut *mut fe_late_interaction_multimodal,
    error_out: *mut *mut fe_error,
) -> fe_result {
    ffi_result!(error_out, {
        args::new_handle(options_json, model_out, |options| {
            let embedder = LateInteractionMultimodalEmbedder::new(options)?;
            Ok(fe_late_interaction_multimodal {
                session_info: args::session_info(embedder.session_info()),
                embedder,
            })
        })
    })
}

/// Length of each token vector; 0 for a NULL handle.
#[no_mangle]
pub extern "C" fn fe_late_interaction_multimodal_dimension(model: *const fe_late_interaction_multimodal) -> usize {
    ffi_boundary!({
        args::reference(model, "model")
            .map(|m| m.embedder.dimension())
            .unwrap_or(0)
    })
}

/// Embeds `count` queries (see the text batch convention): per query, one vector per token of its prompt
/// (`<s>Query: {query}` and ten `<pad>` tokens, as fastembed). Stores a new result in `*result_out`, which the
/// caller frees with `fe_token_embeddings_free`.
#[no_mangle]
pub extern "C" fn fe_late_interaction_multimodal_embed_queries(
    model: *const fe_late_interaction_multimodal,
    data: *const u8,
    offsets: *const usize,
    count: usize,
    result_out: *mut *mut fe_token_embeddings,
    error_out: *mut *mut fe_error,
) -> fe_result {
    ffi_result!(error_out, {
        let model = args::reference(model, "model")?;
        let queries = args::texts(data, offsets, count)?;
        let slot = args::out(result_out, "result_out")?;
        let embeddings = model.embedder.embed_queries(&queries)?;
        args::into_handle(fe_token_embeddings { embeddings }, slot);
        Ok(())
    })
}

/// Embeds `count` image files whose UTF-8 paths are packed as a text batch: per image, one vector per token of
/// its prompt (1030 for ColPali: 1024 image tokens, then `<bos>Describe the image.\n`). A missing, unreadable,
/// corrupt, unsupported, empty or oversized image fails the call with `FE_RESULT_IO` or `FE_RESULT_IMAGE` and a
/// message naming its index and path. Stores a new result in `*result_out`, which the caller frees with
/// `fe_token_embeddings_free`.
#[no_mangle]
pub extern "C" fn fe_late_interaction_multimodal_embed_image_files(
    model: *const fe_late_interaction_multimodal,
    paths: *const u8,
    offsets: *const usize,
    count: usize,
    result_out: *mut *mut fe_token_embeddings,
    error_out: *mut *mut fe_error,
) -> fe_result {
    ffi_result!(error_out, {
        let model = args::reference(model, "model")?;
        let paths = args::texts(paths, offsets, count)?;
        let slot = args::out(result_out, "result_out")?;
        let images: Vec<ImageSource<'_>> = paths.iter().map(|p| ImageSource::File(Path::new(p))).collect();
        let embeddings = model.embedder.embed_images(&images)?;
        args::into_handle(fe_token_embeddings { embeddings }, slot);
        Ok(())
    })
}

/// Embeds `count` encoded images (PNG, JPEG, WebP, GIF, BMP, TIFF) packed as one buffer `data` with `count + 1`
/// offsets, image `i` spanning `data[offsets[i] .. offsets[i+1]]`, as `fe_late_interaction_multimodal_embed_image_files`.
/// The library keeps no pointer to `data` after the call.
#[no_mangle]
pub extern "C" fn fe_late_interaction_multimodal_embed_image_bytes(
    model: *const fe_late_interaction_multimodal,
    data: *const u8,
    offsets: *const usize,
    count: usize,
    result_out: *mut *mut fe_token_embeddings,
    error_out: *mut *mut fe_error,
) -> fe_result {
    ffi_result!(error_out, {
        let model = args::reference(model, "model")?;
        let items = args::byte_batch(data, offsets, count)?;
        let slot = args::out(result_out, "result_out")?;
        let images: Vec<ImageSource<'_>> = items.into_iter().map(ImageSource::Bytes).collect();
        let embeddings = model.embedder.embed_images(&images)?;
        args::into_handle(fe_token_embeddings { embeddings }, slot);
        Ok(())
    })
}

/// Stops the ONNX Runtime runs under way on `model`, from any thread: the calls running them fail with
/// `FE_RESULT_CANCELLED`; calls made afterwards run normally. Does nothing for a NULL handle or when no call
/// runs. The model must not have been freed.
#[no_mangle]
pub extern "C" fn fe_late_interaction_multimodal_cancel(model: *const fe_late_interaction_multimodal) {
    ffi_boundary!({ args::if_live(model, |m| m.embedder.cancel_runs()) })
}

/// How the model's ONNX Runtime session was set up, as a JSON object (as `fe_late_interaction_session_info`),
/// borrowed from `model`: valid until `fe_late_interaction_multimodal_free`; do not free. NULL for a NULL handle.
#[no_mangle]
pub extern "C" fn fe_late_interaction_multimodal_session_info(
    model: *const fe_late_interaction_multimodal,
) -> *const c_char {
    ffi_boundary!({
        args::reference(model, "model")
            .map(|m| m.session_info.as_ptr())
            .unwrap_or(std::ptr::null())
    })
}

/// Frees a model. NULL is ignored; freeing twice, or while a call on the model is in flight, is undefined.
#[no_mangle]
pub extern "C" fn fe_late_interaction_multimodal_free(model: *mut fe_late_interaction_multimodal) {
    ffi_boundary!({ args::free_handle(model) })
}
