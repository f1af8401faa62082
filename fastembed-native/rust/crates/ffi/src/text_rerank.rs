//! Cross-encoder reranking handles.

use crate::args;
use crate::error::{fe_error, Failure};
use crate::result::fe_result;
use fastembed_engine::CrossEncoder;
use std::os::raw::c_char;

/// A loaded cross-encoder, created by `fe_text_rerank_new` and owned by the caller. Thread-safe: one handle may
/// serve several threads at once. Free it exactly once with `fe_text_rerank_free`, after every call on it has
/// returned.
pub struct fe_text_rerank {
    encoder: CrossEncoder,
    session_info: std::ffi::CString,
}

/// Loads a model. `options_json` is a JSON object:
/// `{"model_file": "/m/model.onnx", "tokenizer_file": "/m/tokenizer.json"` (both required),
/// `"config_file"`, `"special_tokens_map_file"`, `"tokenizer_config_file"` (optional paths),
/// `"max_length": 512, "batch_size": 256, "token_budget": 1024, "threads": <cores> (1 to 4 × cores, at most 256), "run_timeout_ms": <none>,
/// "output_name": "logits" (else the first output)}`. On success stores a new handle in `*model_out`, which the
/// caller frees with `fe_text_rerank_free`.
#[no_mangle]
pub extern "C" fn fe_text_rerank_new(
    options_json: *const c_char,
    model_out: *mut *mut fe_text_rerank,
    error_out: *mut *mut fe_error,
) -> fe_result {
    ffi_result!(error_out, {
        args::new_handle(options_json, model_out, |options| {
            let encoder = CrossEncoder::new(options)?;
            Ok(fe_text_rerank {
                session_info: args::session_info(encoder.session_info()),
                encoder,
            })
        })
    })
}

/// Scores `count` documents (see the text batch convention) against `query` (`query_len` UTF-8 bytes): each
/// (query, document) pair is encoded with the tokenizer's pair template and truncated longest-first to the
/// model's length. Writes the score of document `i` to `scores[i]`; `scores_len` must equal `count`. Scores
/// are the model's logits, or their sigmoid (in 0..1) when `sigmoid` is true. `scores` is the caller's
/// (allocated and freed by it); the library keeps no pointer to any argument after the call.
#[no_mangle]
pub extern "C" fn fe_text_rerank_score(
    model: *const fe_text_rerank,
    query: *const u8,
    query_len: usize,
    data: *const u8,
    offsets: *const usize,
    count: usize,
    sigmoid: bool,
    scores: *mut f32,
    scores_len: usize,
    error_out: *mut *mut fe_error,
) -> fe_result {
    ffi_result!(error_out, {
        let model = args::reference(model, "model")?;
        let query = args::utf8(query, query_len, "query")?;
        let documents = args::texts(data, offsets, count)?;
        if scores_len != count {
            return Err(Failure::invalid(format!(
                "scores holds {scores_len} floats for {count} documents"
            )));
        }
        let out = args::buffer(scores, scores_len, "scores")?;
        out.copy_from_slice(&model.encoder.score(query, &documents, sigmoid)?);
        Ok(())
    })
}

/// Stops the ONNX Runtime runs under way on `model`, from any thread: the calls running them fail with
/// `FE_RESULT_CANCELLED`; calls made afterwards run normally. Does nothing for a NULL handle or when no call
/// runs. The model must not have been freed.
#[no_mangle]
pub extern "C" fn fe_text_rerank_cancel(model: *const fe_text_rerank) {
    ffi_boundary!({ args::if_live(model, |m| m.encoder.cancel_runs()) })
}

/// How the model's ONNX Runtime session was set up, as a NUL-terminated JSON object owned by the handle (valid
/// until `fe_text_rerank_free`): `"execution_provider"` running it (`"cpu"`, `"cuda"`), the
/// `"requested_execution_provider"`, `"fallback_reason"` (ONNX Runtime's message) when `"fallback": "cpu"` took
/// over, `"optimized_graph"` (`"off"`, `"loaded"`, `"saved"`, `"not saved: <why>"`) and `"optimized_graph_file"`.
/// NULL for a NULL handle.
#[no_mangle]
pub extern "C" fn fe_text_rerank_session_info(model: *const fe_text_rerank) -> *const c_char {
    ffi_boundary!({
        args::reference(model, "model")
            .map(|m| m.session_info.as_ptr())
            .unwrap_or(std::ptr::null())
    })
}

/// Frees a model. NULL is ignored; freeing twice, or while a call on the model is in flight, is undefined.
#[no_mangle]
pub extern "C" fn fe_text_rerank_free(model: *mut fe_text_rerank) {
    ffi_boundary!({ args::free_handle(model) })
}
