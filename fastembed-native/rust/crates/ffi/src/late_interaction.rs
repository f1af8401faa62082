//! Late interaction (ColBERT) handles and their per-token results.

use crate::args;
use crate::error::fe_error;
use crate::result::fe_result;
use fastembed_engine::{LateInteractionEmbedder, TextRole, TokenEmbeddings};
use std::os::raw::c_char;

/// A loaded late interaction model, created by `fe_late_interaction_new` and owned by the caller. Thread-safe:
/// one handle may serve several threads at once. Free it exactly once with `fe_late_interaction_free`, after
/// every call on it has returned. Results it produced stay valid after it is freed.
pub struct fe_late_interaction {
    embedder: LateInteractionEmbedder,
    session_info: std::ffi::CString,
    plan: args::PlanJson,
}

/// The token vectors of a batch of texts. Text `i` has `offsets[i+1] - offsets[i]` vectors of `dimension`
/// floats, starting at `data + offsets[i] * dimension`. Owned by the caller, who frees it (and the arrays it
/// holds) with `fe_token_embeddings_free`. Immutable: readable from any thread.
pub struct fe_token_embeddings {
    pub(crate) embeddings: TokenEmbeddings,
}

/// Loads a model. `options_json` is a JSON object:
/// `{"model_file": "/m/model.onnx", "tokenizer_file": "/m/tokenizer.json"` (both required),
/// `"config_file"`, `"special_tokens_map_file"`, `"tokenizer_config_file"` (optional paths),
/// `"max_length": 512, "batch_size": 256, "token_budget": 1024, "threads": <cores> (1 to 4 × cores, at most 256), "run_timeout_ms": <none>, "normalize": true,
/// "plan": "single-run"|"parallel-runs"|"auto" (how calls run, see fe_text_embedding_plan), "parallel_runs": <cores>,
/// "plan_cache_dir": <none> (where "auto" remembers the plan it measured at load),
/// "output_name": <first output>, "query_marker_token": "[unused0]", "document_marker_token": "[unused1]",
/// "mask_token": "[MASK]", "query_length": 32}`; markers by id instead (`"query_marker_id"`, `"document_marker_id"`,
/// as for jina-colbert-v2 and LateOn), `"query_expansion": true` (false: no mask padding, LateOn),
/// `"query_mask_attention": false` (true: the mask padding is attended, jina-colbert-v2) and
/// `"query_max_length"` (queries' truncation, marker included; LateOn 32); `"markers": true` and
/// `"skip_punctuation": true` (both false, with `"query_expansion": false` and `"normalize": false`, for token
/// embeddings: every attended token's raw vector, queries like documents). On success stores a new handle in
/// `*model_out`, which the caller frees with `fe_late_interaction_free`.
#[no_mangle]
pub extern "C" fn fe_late_interaction_new(
    options_json: *const c_char,
    model_out: *mut *mut fe_late_interaction,
    error_out: *mut *mut fe_error,
) -> fe_result {
    ffi_result!(error_out, {
        args::new_handle(options_json, model_out, |options| {
            let embedder = LateInteractionEmbedder::new(options)?;
            Ok(fe_late_interaction {
                session_info: args::session_info(embedder.session_info()),
                embedder,
                plan: args::PlanJson::default(),
            })
        })
    })
}

/// Length of each token vector; 0 for a NULL handle.
#[no_mangle]
pub extern "C" fn fe_late_interaction_dimension(model: *const fe_late_interaction) -> usize {
    ffi_boundary!({
        args::reference(model, "model")
            .map(|m| m.embedder.dimension())
            .unwrap_or(0)
    })
}

/// Embeds `count` documents (see the text batch convention): one vector per kept token, padding dropped and
/// punctuation too unless `"skip_punctuation"` is false. Stores a new result in `*result_out`, which the caller frees with
/// `fe_token_embeddings_free`.
#[no_mangle]
pub extern "C" fn fe_late_interaction_embed_documents(
    model: *const fe_late_interaction,
    data: *const u8,
    offsets: *const usize,
    count: usize,
    result_out: *mut *mut fe_token_embeddings,
    error_out: *mut *mut fe_error,
) -> fe_result {
    embed(model, data, offsets, count, TextRole::Document, result_out, error_out)
}

/// Embeds `count` queries: one vector per token, queries padded with `[MASK]` to the query length unless
/// `"query_expansion"` is false.
/// Stores a new result in `*result_out`, which the caller frees with `fe_token_embeddings_free`.
#[no_mangle]
pub extern "C" fn fe_late_interaction_embed_queries(
    model: *const fe_late_interaction,
    data: *const u8,
    offsets: *const usize,
    count: usize,
    result_out: *mut *mut fe_token_embeddings,
    error_out: *mut *mut fe_error,
) -> fe_result {
    embed(model, data, offsets, count, TextRole::Query, result_out, error_out)
}

fn embed(
    model: *const fe_late_interaction,
    data: *const u8,
    offsets: *const usize,
    count: usize,
    role: TextRole,
    result_out: *mut *mut fe_token_embeddings,
    error_out: *mut *mut fe_error,
) -> fe_result {
    ffi_result!(error_out, {
        let model = args::reference(model, "model")?;
        let texts = args::texts(data, offsets, count)?;
        let slot = args::out(result_out, "result_out")?;
        let embeddings = model.embedder.embed(&texts, role)?;
        args::into_handle(fe_token_embeddings { embeddings }, slot);
        Ok(())
    })
}

/// Number of texts in the result; 0 for NULL.
#[no_mangle]
pub extern "C" fn fe_token_embeddings_count(result: *const fe_token_embeddings) -> usize {
    ffi_boundary!({
        args::reference(result, "result")
            .map(|r| r.embeddings.len())
            .unwrap_or(0)
    })
}

/// Length of each token vector; 0 for NULL.
#[no_mangle]
pub extern "C" fn fe_token_embeddings_dimension(result: *const fe_token_embeddings) -> usize {
    ffi_boundary!({
        args::reference(result, "result")
            .map(|r| r.embeddings.dimension)
            .unwrap_or(0)
    })
}

/// `count + 1` ascending token offsets (the first is 0), borrowed from `result`: valid until
/// `fe_token_embeddings_free`; do not free.
#[no_mangle]
pub extern "C" fn fe_token_embeddings_offsets(result: *const fe_token_embeddings) -> *const usize {
    ffi_boundary!({
        args::reference(result, "result")
            .map(|r| r.embeddings.offsets.as_ptr())
            .unwrap_or(std::ptr::null())
    })
}

/// All token vectors, `offsets[count] * dimension` floats, borrowed from `result`: valid until
/// `fe_token_embeddings_free`; do not free.
#[no_mangle]
pub extern "C" fn fe_token_embeddings_data(result: *const fe_token_embeddings) -> *const f32 {
    ffi_boundary!({
        args::reference(result, "result")
            .map(|r| r.embeddings.data.as_ptr())
            .unwrap_or(std::ptr::null())
    })
}

/// Frees a result and its arrays. NULL is ignored; freeing twice is undefined.
#[no_mangle]
pub extern "C" fn fe_token_embeddings_free(result: *mut fe_token_embeddings) {
    ffi_boundary!({ args::free_handle(result) })
}

/// The model's execution plan as a JSON object, e.g. `{"kind": "parallel-runs", "runs": 2, "threads_per_run": 1,
/// "token_budget": 1024, "source": "calibrated", "calibration": {"single_run_ms": 41.2, "parallel_runs_ms":
/// 33.0}}`: `kind` "single-run" | "parallel-runs", `source` "configured" | "calibrated" | "cached",
/// `calibration` null unless measured (now, or by the load that cached it), and a `note` when "auto" chose
/// without measuring. UTF-8, NUL-terminated, owned by the model: valid until it is freed. NULL for a NULL handle.
#[no_mangle]
pub extern "C" fn fe_late_interaction_plan(model: *const fe_late_interaction) -> *const c_char {
    ffi_boundary!({ args::plan_json(model, |m| &m.plan, |m| Some(m.embedder.plan().clone())) })
}

/// Stops the ONNX Runtime runs under way on `model`, from any thread: the calls running them fail with
/// `FE_RESULT_CANCELLED`; calls made afterwards run normally. Does nothing for a NULL handle or when no call
/// runs. The model must not have been freed.
#[no_mangle]
pub extern "C" fn fe_late_interaction_cancel(model: *const fe_late_interaction) {
    ffi_boundary!({ args::if_live(model, |m| m.embedder.cancel_runs()) })
}

/// How the model's ONNX Runtime session was set up, as a NUL-terminated JSON object owned by the handle (valid
/// until `fe_late_interaction_free`): `"execution_provider"` running it (`"cpu"`, `"cuda"`), the
/// `"requested_execution_provider"`, `"fallback_reason"` (ONNX Runtime's message) when `"fallback": "cpu"` took
/// over, `"optimized_graph"` (`"off"`, `"loaded"`, `"saved"`, `"not saved: <why>"`) and `"optimized_graph_file"`.
/// NULL for a NULL handle.
#[no_mangle]
pub extern "C" fn fe_late_interaction_session_info(model: *const fe_late_interaction) -> *const c_char {
    ffi_boundary!({
        args::reference(model, "model")
            .map(|m| m.session_info.as_ptr())
            .unwrap_or(std::ptr::null())
    })
}

/// Frees a model. NULL is ignored; freeing twice, or while a call on the model is in flight, is undefined.
#[no_mangle]
pub extern "C" fn fe_late_interaction_free(model: *mut fe_late_interaction) {
    ffi_boundary!({ args::free_handle(model) })
}
