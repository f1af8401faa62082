//! Dense text embedding handles.

use crate::args;
use crate::error::fe_error;
use crate::result::fe_result;
use fastembed_engine::TextEmbedder;
use std::os::raw::c_char;

/// A loaded dense text embedding model, created by `fe_text_embedding_new` and owned by the caller.
/// Thread-safe: `fe_text_embedding_embed` may be called from several threads at once on one handle.
/// Free it exactly once with `fe_text_embedding_free`, after every call on it has returned.
pub struct fe_text_embedding {
    embedder: TextEmbedder,
    session_info: std::ffi::CString,
}

/// Loads a model. `options_json` is a JSON object:
/// `{"model_file": "/m/model.onnx", "tokenizer_file": "/m/tokenizer.json"` (both required),
/// `"config_file"`, `"special_tokens_map_file"`, `"tokenizer_config_file"` (optional paths),
/// `"max_length": 512, "batch_size": 256, "token_budget": 1024, "threads": <cores> (1 to 4 × cores, at most 256), "run_timeout_ms": <none>,
/// "pooling": "cls"|"mean"|"last_token"|"none", "normalize": true, "output_name": "last_hidden_state",
/// "dimensions": <the model's>, "tasks": ["retrieval.query", ...], "default_task": "retrieval.passage",
/// "pad_to_max_length": false}`.
/// Without `"pooling"` a per-token output is CLS-pooled, unless `"pooling_required": true` makes that an
/// `FE_RESULT_INVALID_ARGUMENT` error (an output of one vector per text needs no pooling either way).
/// `"last_token"` (decoder embedders) pads batches on the left and feeds `position_ids` counted over real
/// tokens when the model takes them. `"dimensions"` keeps each vector's first values (Matryoshka
/// truncation), normalized after the cut; more than the model's dimension is `FE_RESULT_INVALID_ARGUMENT`.
/// `"tasks"` names the task ids of a model with a `task_id` input (task adapters), in id order; such a model
/// needs them, others refuse them. Calls choose a task with `fe_text_embedding_embed_task`.
/// `"pad_to_max_length"` pads every text to the maximum length (SigLIP's text tower reads its last position).
/// The files are read during this call only. On success stores a new handle in `*model_out`, which the caller
/// frees with `fe_text_embedding_free`; on failure `*model_out` is left as it was.
#[no_mangle]
pub extern "C" fn fe_text_embedding_new(
    options_json: *const c_char,
    model_out: *mut *mut fe_text_embedding,
    error_out: *mut *mut fe_error,
) -> fe_result {
    ffi_result!(error_out, {
        args::new_handle(options_json, model_out, |options| {
            let embedder = TextEmbedder::new(options)?;
            Ok(fe_text_embedding {
                session_info: args::session_info(embedder.session_info()),
                embedder,
            })
        })
    })
}

/// Length of each vector (fixed per model); 0 for a NULL handle.
#[no_mangle]
pub extern "C" fn fe_text_embedding_dimension(model: *const fe_text_embedding) -> usize {
    ffi_boundary!({
        args::reference(model, "model")
            .map(|m| m.embedder.dimension())
            .unwrap_or(0)
    })
}

/// Embeds `count` texts (see the text batch convention) into `out`, a caller-allocated array that must hold
/// exactly `count * dimension` floats (`out_len`; otherwise `FE_RESULT_INVALID_ARGUMENT`): the vector of
/// text `i` starts at `out[i * dimension]`. Stores the number of tokens processed in `*token_count_out`
/// when not NULL. Texts longer than the model's maximum are truncated; `count == 0` does nothing. On
/// failure `out` may hold partial results. The library keeps no pointer to `data`, `offsets` or `out`.
#[no_mangle]
pub extern "C" fn fe_text_embedding_embed(
    model: *const fe_text_embedding,
    data: *const u8,
    offsets: *const usize,
    count: usize,
    out: *mut f32,
    out_len: usize,
    token_count_out: *mut usize,
    error_out: *mut *mut fe_error,
) -> fe_result {
    // The default task of a task-adapter model; no task for other models.
    embed(
        model,
        std::ptr::null(),
        data,
        offsets,
        count,
        out,
        out_len,
        token_count_out,
        error_out,
    )
}

/// Stops the ONNX Runtime runs under way on `model`, from any thread: the calls running them fail with
/// `FE_RESULT_CANCELLED`; calls made afterwards run normally. Does nothing for a NULL handle or when no call
/// runs. The model must not have been freed.
#[no_mangle]
pub extern "C" fn fe_text_embedding_cancel(model: *const fe_text_embedding) {
    ffi_boundary!({ args::if_live(model, |m| m.embedder.cancel_runs()) })
}

/// How the model's ONNX Runtime session was set up, as a NUL-terminated JSON object owned by the handle (valid
/// until `fe_text_embedding_free`): `"execution_provider"` running it (`"cpu"`, `"cuda"`), the
/// `"requested_execution_provider"`, `"fallback_reason"` (ONNX Runtime's message) when `"fallback": "cpu"` took
/// over, `"optimized_graph"` (`"off"`, `"loaded"`, `"saved"`, `"not saved: <why>"`) and `"optimized_graph_file"`.
/// NULL for a NULL handle.
#[no_mangle]
pub extern "C" fn fe_text_embedding_session_info(model: *const fe_text_embedding) -> *const c_char {
    ffi_boundary!({
        args::reference(model, "model")
            .map(|m| m.session_info.as_ptr())
            .unwrap_or(std::ptr::null())
    })
}

/// `fe_text_embedding_embed` for one task of a task-adapter model (jina-embeddings-v3): `task` is a
/// NUL-terminated task name of the model's `"tasks"` option (e.g. `"retrieval.query"`), or NULL for its
/// `"default_task"`. A task the model does not list, a task for a model without task adapters, or NULL for a
/// model without a default task is `FE_RESULT_INVALID_ARGUMENT`. The library keeps no pointer to `task`.
#[no_mangle]
pub extern "C" fn fe_text_embedding_embed_task(
    model: *const fe_text_embedding,
    task: *const c_char,
    data: *const u8,
    offsets: *const usize,
    count: usize,
    out: *mut f32,
    out_len: usize,
    token_count_out: *mut usize,
    error_out: *mut *mut fe_error,
) -> fe_result {
    embed(
        model,
        task,
        data,
        offsets,
        count,
        out,
        out_len,
        token_count_out,
        error_out,
    )
}

/// Frees a model and everything it holds. NULL is ignored; freeing twice, or while a call on the model is
/// in flight, is undefined.
#[no_mangle]
pub extern "C" fn fe_text_embedding_free(model: *mut fe_text_embedding) {
    ffi_boundary!({ args::free_handle(model) })
}

/// Both embed functions: `task` NULL is the model's default task, or none.
#[allow(clippy::too_many_arguments)]
fn embed(
    model: *const fe_text_embedding,
    task: *const c_char,
    data: *const u8,
    offsets: *const usize,
    count: usize,
    out: *mut f32,
    out_len: usize,
    token_count_out: *mut usize,
    error_out: *mut *mut fe_error,
) -> fe_result {
    ffi_result!(error_out, {
        let model = args::reference(model, "model")?;
        let task = if task.is_null() {
            None
        } else {
            Some(args::c_str(task, "task")?)
        };
        let texts = args::texts(data, offsets, count)?;
        let out = args::buffer(out, out_len, "out")?;
        let tokens = model.embedder.embed_task_into(&texts, task, out)?;
        if !token_count_out.is_null() {
            *args::out(token_count_out, "token_count_out")? = tokens;
        }
        Ok(())
    })
}
