//! Sparse text embedding handles (SPLADE, BM25, BM42) and their variable-size results.

use crate::args;
use crate::error::fe_error;
use crate::result::fe_result;
use fastembed_engine::{SparseAlgorithm, SparseEmbedder, SparseVector};
use std::os::raw::c_char;

/// A loaded sparse model, created by `fe_sparse_embedding_new` and owned by the caller. Thread-safe: one handle
/// may serve several threads at once. Free it exactly once with `fe_sparse_embedding_free`, after every call on
/// it has returned. Results it produced stay valid after it is freed.
pub struct fe_sparse_embedding {
    embedder: SparseEmbedder,
    session_info: std::ffi::CString,
}

/// How a sparse model weighs terms. Numbers are stable.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum fe_sparse_algorithm {
    /// Learned weights over the tokenizer's vocabulary; indices are token ids.
    FE_SPARSE_SPLADE = 0,
    /// Term frequencies of stemmed words; indices are word hashes. No model file.
    FE_SPARSE_BM25 = 1,
    /// Attention-weighted words; indices are word hashes.
    FE_SPARSE_BM42 = 2,
    /// Inference-free SPLADE: documents through the model, queries by IDF lookup alone.
    FE_SPARSE_IF_SPLADE = 3,
    /// miniCOIL: BM25 whose known words carry a small meaning vector; values may be negative.
    FE_SPARSE_MINICOIL = 4,
}

/// The sparse vectors of a batch of texts in compressed-row form: vector `i` holds the entries
/// `offsets[i] .. offsets[i+1]` of `indices` (ascending within a vector) and `values` (all > 0 but miniCOIL's).
/// Owned by the caller, who frees it (and the arrays it holds) with `fe_sparse_embeddings_free`. Immutable:
/// readable from any thread.
pub struct fe_sparse_embeddings {
    offsets: Vec<usize>,
    indices: Vec<u32>,
    values: Vec<f32>,
}

impl From<Vec<SparseVector>> for fe_sparse_embeddings {
    fn from(vectors: Vec<SparseVector>) -> Self {
        let total = vectors.iter().map(SparseVector::len).sum();
        let mut result = fe_sparse_embeddings {
            offsets: Vec::with_capacity(vectors.len() + 1),
            indices: Vec::with_capacity(total),
            values: Vec::with_capacity(total),
        };
        result.offsets.push(0);
        for vector in vectors {
            result.indices.extend(vector.indices);
            result.values.extend(vector.values);
            result.offsets.push(result.indices.len());
        }
        result
    }
}

/// Loads a model. `options_json` is a JSON object.
/// SPLADE and BM42: `{"model_file": "/m/model.onnx", "tokenizer_file": "/m/tokenizer.json"` (both required),
/// `"config_file"`, `"special_tokens_map_file"`, `"tokenizer_config_file"` (optional paths),
/// `"max_length": 512, "batch_size": 256, "token_budget": <bounded by the output size>, "threads": <cores> (1 to 4 × cores, at most 256), "run_timeout_ms": <none>,
/// "output_name": "logits" (SPLADE) | "attention_6" (BM42)`; BM42 also `"alpha": 0.5, "language": "english"}`.
/// BM25 (no files): `{"sparse_model": "bm25", "language": "english", "k1": 1.2, "b": 0.75, "avg_len": 256,
/// "token_max_length": 40, "disable_stemmer": false, "stopwords": ["..."]}` (`stopwords`, BM25 and BM42: the
/// user's list replacing the language's; languages: the 18 of fastembed, Snowball's stemmers).
/// Inference-free SPLADE (`"sparse_model": "if_splade"`, required): `model_file`, `tokenizer_file` and `"idf_file"`
/// (the model's idf.json); queries are weighed by IDF alone and the model file is opened by the first document call.
/// miniCOIL (`"sparse_model": "minicoil"`, required): `model_file`, `tokenizer_file`, `"minicoil_vocab_file"`,
/// `"minicoil_weights_file"` (the .npy), optional `"stopwords_file"`, and `k1`, `b`, `avg_len` (1.2, 0.75, 150).
/// `"sparse_model": "splade" | "bm25" | "bm42" | "if_splade" | "minicoil"` may be given; without it, no `model_file` means BM25 and
/// otherwise the model's output decides (`logits` of rank 3: SPLADE; `attention_*` of rank 4: BM42).
/// Options that do not apply to the chosen algorithm are rejected. On success stores a new handle in
/// `*model_out`, which the caller frees with `fe_sparse_embedding_free`.
#[no_mangle]
pub extern "C" fn fe_sparse_embedding_new(
    options_json: *const c_char,
    model_out: *mut *mut fe_sparse_embedding,
    error_out: *mut *mut fe_error,
) -> fe_result {
    ffi_result!(error_out, {
        args::new_handle(options_json, model_out, |options| {
            let embedder = SparseEmbedder::new(options)?;
            Ok(fe_sparse_embedding {
                session_info: args::session_info(embedder.session_info()),
                embedder,
            })
        })
    })
}

/// Stores the model's algorithm in `*algorithm_out`.
#[no_mangle]
pub extern "C" fn fe_sparse_embedding_algorithm(
    model: *const fe_sparse_embedding,
    algorithm_out: *mut fe_sparse_algorithm,
    error_out: *mut *mut fe_error,
) -> fe_result {
    ffi_result!(error_out, {
        let model = args::reference(model, "model")?;
        *args::out(algorithm_out, "algorithm_out")? = match model.embedder.algorithm() {
            SparseAlgorithm::Splade => fe_sparse_algorithm::FE_SPARSE_SPLADE,
            SparseAlgorithm::Bm25 => fe_sparse_algorithm::FE_SPARSE_BM25,
            SparseAlgorithm::Bm42 => fe_sparse_algorithm::FE_SPARSE_BM42,
            SparseAlgorithm::IfSplade => fe_sparse_algorithm::FE_SPARSE_IF_SPLADE,
            SparseAlgorithm::MiniCoil => fe_sparse_algorithm::FE_SPARSE_MINICOIL,
        };
        Ok(())
    })
}

/// Embeds `count` documents (see the text batch convention), fastembed's `embed`. Stores a new result in
/// `*result_out`, which the caller frees with `fe_sparse_embeddings_free`. Texts longer than the model's maximum
/// are truncated.
#[no_mangle]
pub extern "C" fn fe_sparse_embedding_embed(
    model: *const fe_sparse_embedding,
    data: *const u8,
    offsets: *const usize,
    count: usize,
    result_out: *mut *mut fe_sparse_embeddings,
    error_out: *mut *mut fe_error,
) -> fe_result {
    embed(
        model,
        data,
        offsets,
        count,
        SparseEmbedder::embed_documents,
        result_out,
        error_out,
    )
}

/// Embeds `count` search queries, fastembed's `query_embed`: BM25 and BM42 give each query word weight 1.0
/// (BM42 without running the model); SPLADE embeds queries as documents. Stores a new result in `*result_out`,
/// which the caller frees with `fe_sparse_embeddings_free`.
#[no_mangle]
pub extern "C" fn fe_sparse_embedding_query_embed(
    model: *const fe_sparse_embedding,
    data: *const u8,
    offsets: *const usize,
    count: usize,
    result_out: *mut *mut fe_sparse_embeddings,
    error_out: *mut *mut fe_error,
) -> fe_result {
    embed(
        model,
        data,
        offsets,
        count,
        SparseEmbedder::embed_queries,
        result_out,
        error_out,
    )
}

type EmbedFn = fn(&SparseEmbedder, &[&str]) -> Result<Vec<SparseVector>, fastembed_engine::EngineError>;

fn embed(
    model: *const fe_sparse_embedding,
    data: *const u8,
    offsets: *const usize,
    count: usize,
    run: EmbedFn,
    result_out: *mut *mut fe_sparse_embeddings,
    error_out: *mut *mut fe_error,
) -> fe_result {
    ffi_result!(error_out, {
        let model = args::reference(model, "model")?;
        let texts = args::texts(data, offsets, count)?;
        let slot = args::out(result_out, "result_out")?;
        let vectors = run(&model.embedder, &texts)?;
        args::into_handle(fe_sparse_embeddings::from(vectors), slot);
        Ok(())
    })
}

/// Number of vectors in the result; 0 for NULL.
#[no_mangle]
pub extern "C" fn fe_sparse_embeddings_count(result: *const fe_sparse_embeddings) -> usize {
    ffi_boundary!({
        args::reference(result, "result")
            .map(|r| r.offsets.len() - 1)
            .unwrap_or(0)
    })
}

/// `count + 1` ascending entry offsets (the first is 0, the last the total number of entries), borrowed from
/// `result`: valid until `fe_sparse_embeddings_free`; do not free.
#[no_mangle]
pub extern "C" fn fe_sparse_embeddings_offsets(result: *const fe_sparse_embeddings) -> *const usize {
    ffi_boundary!({
        args::reference(result, "result")
            .map(|r| r.offsets.as_ptr())
            .unwrap_or(std::ptr::null())
    })
}

/// The indices of all vectors, `offsets[count]` elements, borrowed from `result`: valid until
/// `fe_sparse_embeddings_free`; do not free.
#[no_mangle]
pub extern "C" fn fe_sparse_embeddings_indices(result: *const fe_sparse_embeddings) -> *const u32 {
    ffi_boundary!({
        args::reference(result, "result")
            .map(|r| r.indices.as_ptr())
            .unwrap_or(std::ptr::null())
    })
}

/// The values of all vectors, `offsets[count]` elements, borrowed from `result`: valid until
/// `fe_sparse_embeddings_free`; do not free.
#[no_mangle]
pub extern "C" fn fe_sparse_embeddings_values(result: *const fe_sparse_embeddings) -> *const f32 {
    ffi_boundary!({
        args::reference(result, "result")
            .map(|r| r.values.as_ptr())
            .unwrap_or(std::ptr::null())
    })
}

/// Frees a result and its arrays. NULL is ignored; freeing twice is undefined.
#[no_mangle]
pub extern "C" fn fe_sparse_embeddings_free(result: *mut fe_sparse_embeddings) {
    ffi_boundary!({ args::free_handle(result) })
}

/// Stops the ONNX Runtime runs under way on `model`, from any thread: the calls running them fail with
/// `FE_RESULT_CANCELLED`; calls made afterwards run normally. Does nothing for a NULL handle or when no call
/// runs. The model must not have been freed.
#[no_mangle]
pub extern "C" fn fe_sparse_embedding_cancel(model: *const fe_sparse_embedding) {
    ffi_boundary!({ args::if_live(model, |m| m.embedder.cancel_runs()) })
}

/// How the model's ONNX Runtime session was set up, as a NUL-terminated JSON object owned by the handle (valid
/// until `fe_sparse_embedding_free`): `"execution_provider"` running it (`"cpu"`, `"cuda"`), the
/// `"requested_execution_provider"`, `"fallback_reason"` (ONNX Runtime's message) when `"fallback": "cpu"` took
/// over, `"optimized_graph"` (`"off"`, `"loaded"`, `"saved"`, `"not saved: <why>"`) and `"optimized_graph_file"`. A sparse model whose document model loads on first use (inference-free SPLADE) reports `{}`; so
/// does BM25, which has no ONNX model.
/// NULL for a NULL handle.
#[no_mangle]
pub extern "C" fn fe_sparse_embedding_session_info(model: *const fe_sparse_embedding) -> *const c_char {
    ffi_boundary!({
        args::reference(model, "model")
            .map(|m| m.session_info.as_ptr())
            .unwrap_or(std::ptr::null())
    })
}

/// Frees a model. NULL is ignored; freeing twice, or while a call on the model is in flight, is undefined.
#[no_mangle]
pub extern "C" fn fe_sparse_embedding_free(model: *mut fe_sparse_embedding) {
    ffi_boundary!({ args::free_handle(model) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_are_laid_out_in_compressed_rows() {
        let vectors = vec![
            SparseVector {
                indices: vec![3, 9],
                values: vec![0.5, 1.0],
            },
            SparseVector::default(),
            SparseVector {
                indices: vec![1],
                values: vec![2.0],
            },
        ];
        let result = fe_sparse_embeddings::from(vectors);
        assert_eq!(result.offsets, [0, 2, 2, 3]);
        assert_eq!(result.indices, [3, 9, 1]);
        assert_eq!(result.values, [0.5, 1.0, 2.0]);
    }

    #[test]
    fn bm25_runs_through_the_c_functions_and_null_arguments_are_reported() {
        let options = std::ffi::CString::new(r#"{"sparse_model": "bm25"}"#).unwrap();
        let mut model = std::ptr::null_mut();
        let mut error = std::ptr::null_mut();
        assert_eq!(
            fe_sparse_embedding_new(options.as_ptr(), &mut model, &mut error),
            fe_result::FE_RESULT_OK
        );
        let mut algorithm = fe_sparse_algorithm::FE_SPARSE_SPLADE;
        assert_eq!(
            fe_sparse_embedding_algorithm(model, &mut algorithm, &mut error),
            fe_result::FE_RESULT_OK
        );
        assert_eq!(algorithm, fe_sparse_algorithm::FE_SPARSE_BM25);

        let text = b"hello hello world";
        let offsets = [0usize, text.len()];
        let mut result = std::ptr::null_mut();
        let code = fe_sparse_embedding_embed(model, text.as_ptr(), offsets.as_ptr(), 1, &mut result, &mut error);
        assert_eq!(code, fe_result::FE_RESULT_OK);
        assert_eq!(fe_sparse_embeddings_count(result), 1);
        // SAFETY: count + 1 offsets, as documented.
        let entries = unsafe { *fe_sparse_embeddings_offsets(result).add(1) };
        assert_eq!(entries, 2, "hello and world");
        fe_sparse_embeddings_free(result);

        let code = fe_sparse_embedding_embed(
            std::ptr::null(),
            text.as_ptr(),
            offsets.as_ptr(),
            1,
            &mut result,
            &mut error,
        );
        assert_eq!(code, fe_result::FE_RESULT_NULL_ARGUMENT);
        crate::fe_error_free(error);
        fe_sparse_embedding_free(model);
        assert_eq!(fe_sparse_embeddings_count(std::ptr::null()), 0);
    }
}
