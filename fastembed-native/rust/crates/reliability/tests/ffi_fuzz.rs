//! Fuzzing of the C ABI's inputs through the ffi crate's functions, called as C would call them: options
//! JSON (random bytes, and random objects of the real keys with values of every type), text buffers
//! (random bytes, broken UTF-8, bad offsets, wrong output sizes, NULLs). Every call must return a result
//! code of the enum other than FE_RESULT_PANIC (a panic means a bug, even though the boundary caught it),
//! with an error object carrying that code and a message whenever it fails.
//!
//! Cases per property: `PROPTEST_CASES` (scripts/fuzz.sh raises it), else a CI-sized default.

use fastembed::*;
use fastembed_reliability::{files, proptest_cases};
use proptest::prelude::*;
use std::ffi::{CStr, CString};
use std::os::raw::c_char;
use std::sync::OnceLock;

/// What a failed call must hand back: its code in the error object and a readable message.
fn check_outcome(what: &str, result: fe_result, error: *mut fe_error) -> Result<(), TestCaseError> {
    prop_assert_ne!(
        result,
        fe_result::FE_RESULT_PANIC,
        "{}: the engine panicked: {}",
        what,
        message(error)
    );
    if result == fe_result::FE_RESULT_OK {
        prop_assert!(error.is_null(), "{}: an error object on success", what);
        return Ok(());
    }
    prop_assert!(
        !error.is_null(),
        "{}: failed with {:?} but no error object",
        what,
        result
    );
    prop_assert_eq!(
        fe_error_code(error),
        result,
        "{}: error code differs from the result",
        what
    );
    let text = message(error);
    fe_error_free(error);
    prop_assert!(!text.trim().is_empty(), "{}: empty error message", what);
    Ok(())
}

fn message(error: *const fe_error) -> String {
    let ptr = fe_error_message(error);
    if ptr.is_null() {
        return String::new();
    }
    // SAFETY: a NUL-terminated string owned by the live error.
    unsafe { CStr::from_ptr(ptr) }
        .to_str()
        .expect("error messages are UTF-8")
        .to_string()
}

type New<T> = extern "C" fn(*const c_char, *mut *mut T, *mut *mut fe_error) -> fe_result;
type Free<T> = extern "C" fn(*mut T);

/// Creates (and frees) one object from `options`; checks the outcome.
fn try_new<T>(what: &str, new: New<T>, free: Free<T>, options: &CStr) -> Result<(), TestCaseError> {
    let mut handle: *mut T = std::ptr::null_mut();
    let mut error: *mut fe_error = std::ptr::null_mut();
    let result = new(options.as_ptr(), &mut handle, &mut error);
    let outcome = check_outcome(what, result, error);
    if result == fe_result::FE_RESULT_OK {
        prop_assert!(!handle.is_null(), "{}: OK without a handle", what);
    } else {
        prop_assert!(handle.is_null(), "{}: a handle stored despite failing", what);
    }
    free(handle);
    outcome
}

/// Every constructor of the ABI on the same options.
fn every_constructor(options: &CStr) -> Result<(), TestCaseError> {
    try_new(
        "fe_text_embedding_new",
        fe_text_embedding_new,
        fe_text_embedding_free,
        options,
    )?;
    try_new("fe_tokenizer_new", fe_tokenizer_new, fe_tokenizer_free, options)?;
    try_new(
        "fe_image_embedding_new",
        fe_image_embedding_new,
        fe_image_embedding_free,
        options,
    )?;
    try_new(
        "fe_late_interaction_new",
        fe_late_interaction_new,
        fe_late_interaction_free,
        options,
    )?;
    try_new(
        "fe_late_interaction_multimodal_new",
        fe_late_interaction_multimodal_new,
        fe_late_interaction_multimodal_free,
        options,
    )?;
    try_new(
        "fe_sparse_embedding_new",
        fe_sparse_embedding_new,
        fe_sparse_embedding_free,
        options,
    )?;
    try_new("fe_text_rerank_new", fe_text_rerank_new, fe_text_rerank_free, options)?;
    Ok(())
}

fn runtime() {
    static READY: OnceLock<()> = OnceLock::new();
    READY.get_or_init(files::init_runtime);
}

/// Paths the option values draw from: missing, a folder, a device, garbage, traversal, and (for the
/// tokenizer) the real tokenizer.json. Real ONNX models are left out: loading one per case is too slow.
fn paths() -> Vec<String> {
    let work = files::work_dir();
    let garbage = work.join("garbage.bin");
    if !garbage.is_file() {
        std::fs::write(&garbage, b"\x08\x07not an onnx model and not json {").unwrap();
    }
    let mut paths: Vec<String> = vec![
        "/nonexistent/model.onnx".into(),
        "/".into(),
        "/dev/null".into(),
        "/proc/self/mem".into(),
        garbage.display().to_string(),
        "../../../../../../etc/passwd".into(),
        "".into(),
        "relative/tokenizer.json".into(),
    ];
    paths.push(files::bge_small().1.display().to_string());
    paths
}

const KEYS: &[&str] = &[
    "model_file",
    "tokenizer_file",
    "config_file",
    "special_tokens_map_file",
    "tokenizer_config_file",
    "preprocessor_config_file",
    "max_length",
    "batch_size",
    "token_budget",
    "threads",
    "pooling",
    "pooling_required",
    "normalize",
    "output_name",
    "image_max_pixels",
    "image_max_side",
    "image_max_bytes",
    "query_marker_token",
    "document_marker_token",
    "mask_token",
    "query_length",
    "query_marker_id",
    "document_marker_id",
    "query_expansion",
    "query_mask_attention",
    "query_max_length",
    "markers",
    "skip_punctuation",
    "sparse_model",
    "idf_file",
    "minicoil_vocab_file",
    "minicoil_weights_file",
    "stopwords_file",
    "language",
    "k1",
    "b",
    "avg_len",
    "token_max_length",
    "disable_stemmer",
    "stopwords",
    "alpha",
    "no_such_option",
];

/// A JSON value of any type, with the boundaries that break naive conversions.
fn value(paths: Vec<String>) -> impl Strategy<Value = String> {
    let strings = prop::sample::select(
        paths
            .into_iter()
            .chain(
                [
                    "cls",
                    "mean",
                    "none",
                    "bm25",
                    "splade",
                    "bm42",
                    "if_splade",
                    "minicoil",
                    "english",
                    "tamil",
                    "klingon",
                    "[MASK]",
                    "\\u0000",
                ]
                .map(String::from),
            )
            .collect::<Vec<_>>(),
    );
    prop_oneof![
        strings.prop_map(|s| serde_json::to_string(&s).unwrap()),
        prop::sample::select(vec![
            "0",
            "1",
            "-1",
            "2",
            "7",
            "512",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "1e308",
            "-0.0",
            "0.5",
            "3.4e38",
            "true",
            "false",
            "null",
            "[]",
            "{}",
            "[1,2]",
            "{\"a\":1}",
            "\"\"",
        ])
        .prop_map(String::from),
    ]
}

fn options_object() -> impl Strategy<Value = String> {
    prop::collection::vec((prop::sample::select(KEYS.to_vec()), value(paths())), 0..8).prop_map(|fields| {
        let body: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
        format!("{{{}}}", body.join(", "))
    })
}

/// Options text as C passes it: any bytes up to the first NUL.
fn c_string(bytes: &[u8]) -> CString {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    CString::new(&bytes[..end]).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: proptest_cases(64), ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_as_options_fail_cleanly(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        runtime();
        every_constructor(&c_string(&bytes))?;
    }

    #[test]
    fn random_option_objects_fail_cleanly_or_load(json in options_object()) {
        runtime();
        every_constructor(&CString::new(json).unwrap())?;
    }

    #[test]
    fn option_objects_cut_short_fail_cleanly(json in options_object(), cut in 0usize..200) {
        runtime();
        let cut = cut.min(json.len());
        every_constructor(&c_string(&json.as_bytes()[..cut]))?;
    }
}

// ---- text buffers ----

struct Handles {
    text: *mut fe_text_embedding,
    tokenizer: *mut fe_tokenizer,
    bm25: *mut fe_sparse_embedding,
    dimension: usize,
}

// SAFETY: the handles are documented thread-safe for concurrent calls and are never freed.
unsafe impl Send for Handles {}
// SAFETY: as for Send.
unsafe impl Sync for Handles {}

fn new_handle<T>(new: New<T>, options: &str) -> *mut T {
    let options = CString::new(options).unwrap();
    let mut handle = std::ptr::null_mut();
    let mut error = std::ptr::null_mut();
    let result = new(options.as_ptr(), &mut handle, &mut error);
    assert_eq!(result, fe_result::FE_RESULT_OK, "{}", message(error));
    handle
}

/// bge-small-en-v1.5 as dense model and tokenizer, and BM25 (no files); loaded once for all cases.
fn handles() -> &'static Handles {
    static HANDLES: OnceLock<Handles> = OnceLock::new();
    HANDLES.get_or_init(|| {
        runtime();
        let (model, tokenizer) = files::bge_small();
        let options = serde_json::json!({"model_file": model, "tokenizer_file": tokenizer, "threads": 1}).to_string();
        let text = new_handle(fe_text_embedding_new, &options);
        let tokenizer = new_handle(
            fe_tokenizer_new,
            &serde_json::json!({"tokenizer_file": tokenizer}).to_string(),
        );
        let bm25 = new_handle(fe_sparse_embedding_new, r#"{"sparse_model": "bm25"}"#);
        Handles {
            text,
            tokenizer,
            bm25,
            dimension: fe_text_embedding_dimension(text),
        }
    })
}

/// Byte strings: random bytes, valid UTF-8, and UTF-8 with one broken sequence spliced in.
fn text_bytes() -> impl Strategy<Value = Vec<u8>> {
    let broken = prop::sample::select(vec![
        &b"\xff"[..],
        b"\xc0\xaf",
        b"\xe0\x80\xaf",
        b"\xed\xa0\x80",
        b"\xf4\x90\x80\x80",
        b"\xf0\x9f\x98",
        b"\x80",
        b"\xc3",
        b"\0",
    ]);
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..64),
        "\\PC{0,64}".prop_map(String::into_bytes),
        ("\\PC{0,32}", broken, "\\PC{0,32}").prop_map(|(a, b, c)| [a.as_bytes(), b, c.as_bytes()].concat()),
    ]
}

/// A batch: the texts concatenated and their offsets, sometimes spoiled (not starting at 0, decreasing).
fn batch() -> impl Strategy<Value = (Vec<u8>, Vec<usize>)> {
    (prop::collection::vec(text_bytes(), 0..6), 0u8..10).prop_map(|(texts, spoil)| {
        let mut data = Vec::new();
        let mut offsets = vec![0];
        for t in &texts {
            data.extend_from_slice(t);
            offsets.push(data.len());
        }
        if offsets.len() > 2 && spoil == 0 {
            offsets.swap(1, 2);
        } else if offsets.len() > 1 && spoil == 1 && !data.is_empty() {
            offsets[0] = 1;
        }
        (data, offsets)
    })
}

fn all_utf8(data: &[u8], offsets: &[usize]) -> bool {
    offsets
        .windows(2)
        .all(|w| w[0] <= w[1] && std::str::from_utf8(&data[w[0]..w[1]]).is_ok())
        && offsets[0] == 0
}

proptest! {
    #![proptest_config(ProptestConfig { cases: proptest_cases(48), ..ProptestConfig::default() })]

    #[test]
    fn random_text_batches_embed_or_fail_cleanly((data, offsets) in batch(), size_error in -1isize..=1) {
        let h = handles();
        let count = offsets.len() - 1;
        let out_len = ((count * h.dimension) as isize + size_error).max(0) as usize;
        let mut out = vec![f32::NAN; out_len.max(1)];
        let mut tokens = 0usize;
        let mut error = std::ptr::null_mut();
        let result = fe_text_embedding_embed(h.text, data.as_ptr(), offsets.as_ptr(), count, out.as_mut_ptr(),
                                             out_len, &mut tokens, &mut error);
        check_outcome("fe_text_embedding_embed", result, error)?;
        let valid = all_utf8(&data, &offsets) && out_len == count * h.dimension;
        prop_assert_eq!(result == fe_result::FE_RESULT_OK, valid, "result {:?}", result);
        if result == fe_result::FE_RESULT_OK {
            for vector in out[..out_len].chunks(h.dimension.max(1)) {
                let norm: f32 = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
                prop_assert!((norm - 1.0).abs() < 1e-3, "norm {}", norm);
            }
            prop_assert!(tokens >= 2 * count, "{} tokens for {} texts", tokens, count);
        }
    }

    #[test]
    fn random_text_batches_through_bm25_give_sparse_vectors_or_fail_cleanly((data, offsets) in batch()) {
        let h = handles();
        let count = offsets.len() - 1;
        let mut result_ptr = std::ptr::null_mut();
        let mut error = std::ptr::null_mut();
        let result = fe_sparse_embedding_embed(h.bm25, data.as_ptr(), offsets.as_ptr(), count, &mut result_ptr,
                                               &mut error);
        check_outcome("fe_sparse_embedding_embed", result, error)?;
        prop_assert_eq!(result == fe_result::FE_RESULT_OK, all_utf8(&data, &offsets));
        if result == fe_result::FE_RESULT_OK {
            prop_assert_eq!(fe_sparse_embeddings_count(result_ptr), count);
        }
        fe_sparse_embeddings_free(result_ptr);
    }

    #[test]
    fn random_texts_and_pairs_tokenize_or_fail_cleanly(text in text_bytes(), pair in prop::option::of(text_bytes()),
                                                       special in any::<bool>()) {
        let h = handles();
        let mut encoding = std::ptr::null_mut();
        let mut error = std::ptr::null_mut();
        let (pair_ptr, pair_len) = pair.as_ref().map_or((std::ptr::null(), 0), |p| (p.as_ptr(), p.len()));
        let result = fe_tokenizer_encode(h.tokenizer, text.as_ptr(), text.len(), pair_ptr, pair_len, special,
                                         &mut encoding, &mut error);
        check_outcome("fe_tokenizer_encode", result, error)?;
        let valid = std::str::from_utf8(&text).is_ok() && pair.as_ref().is_none_or(|p| std::str::from_utf8(p).is_ok());
        prop_assert_eq!(result == fe_result::FE_RESULT_OK, valid);
        if result == fe_result::FE_RESULT_OK {
            let len = fe_encoding_len(encoding);
            let minimum = if special { 2 } else { 0 };
            prop_assert!(len >= minimum, "{} tokens", len);
            prop_assert!(!fe_encoding_ids(encoding).is_null());
        }
        fe_encoding_free(encoding);
    }
}

/// One C call whose only varying argument is the error out-pointer.
type CallWithError<'a> = Box<dyn Fn(*mut *mut fe_error) -> fe_result + 'a>;

#[test]
fn null_pointers_are_reported_not_dereferenced() {
    let h = handles();
    let offsets = [0usize, 4];
    let mut out = vec![0f32; h.dimension];
    let out_ptr = out.as_mut_ptr();
    let calls: Vec<(&str, CallWithError)> = vec![
        (
            "NULL model",
            Box::new(|e| {
                fe_text_embedding_embed(
                    std::ptr::null(),
                    b"text".as_ptr(),
                    offsets.as_ptr(),
                    1,
                    std::ptr::null_mut(),
                    0,
                    std::ptr::null_mut(),
                    e,
                )
            }),
        ),
        (
            "NULL data",
            Box::new(|e| {
                fe_text_embedding_embed(
                    h.text,
                    std::ptr::null(),
                    offsets.as_ptr(),
                    1,
                    out_ptr,
                    h.dimension,
                    std::ptr::null_mut(),
                    e,
                )
            }),
        ),
        (
            "NULL offsets",
            Box::new(|e| {
                fe_text_embedding_embed(
                    h.text,
                    b"text".as_ptr(),
                    std::ptr::null(),
                    1,
                    out_ptr,
                    h.dimension,
                    std::ptr::null_mut(),
                    e,
                )
            }),
        ),
        (
            "NULL out",
            Box::new(|e| {
                fe_text_embedding_embed(
                    h.text,
                    b"text".as_ptr(),
                    offsets.as_ptr(),
                    1,
                    std::ptr::null_mut(),
                    h.dimension,
                    std::ptr::null_mut(),
                    e,
                )
            }),
        ),
        (
            "NULL options",
            Box::new(|e| fe_text_embedding_new(std::ptr::null(), &mut std::ptr::null_mut(), e)),
        ),
        (
            "NULL model_out",
            Box::new(|e| fe_text_embedding_new(c"{}".as_ptr(), std::ptr::null_mut(), e)),
        ),
        (
            "NULL encoding_out",
            Box::new(|e| {
                fe_tokenizer_encode(
                    h.tokenizer,
                    b"a".as_ptr(),
                    1,
                    std::ptr::null(),
                    0,
                    true,
                    std::ptr::null_mut(),
                    e,
                )
            }),
        ),
        (
            "NULL tokenizer",
            Box::new(|e| {
                fe_tokenizer_encode(
                    std::ptr::null(),
                    b"a".as_ptr(),
                    1,
                    std::ptr::null(),
                    0,
                    true,
                    &mut std::ptr::null_mut(),
                    e,
                )
            }),
        ),
        (
            "NULL sparse result",
            Box::new(|e| {
                fe_sparse_embedding_embed(h.bm25, b"text".as_ptr(), offsets.as_ptr(), 1, std::ptr::null_mut(), e)
            }),
        ),
    ];
    for (what, call) in calls {
        let mut error = std::ptr::null_mut();
        let result = call(&mut error);
        assert!(
            matches!(
                result,
                fe_result::FE_RESULT_NULL_ARGUMENT | fe_result::FE_RESULT_INVALID_ARGUMENT
            ),
            "{what}: {result:?} {}",
            message(error)
        );
        assert_eq!(fe_error_code(error), result, "{what}");
        fe_error_free(error);
        // Without an error slot only the code comes back.
        assert_eq!(call(std::ptr::null_mut()), result, "{what} without error_out");
    }
    // Accessors and frees take NULL.
    assert_eq!(fe_text_embedding_dimension(std::ptr::null()), 0);
    assert_eq!(fe_encoding_len(std::ptr::null()), 0);
    assert!(fe_encoding_ids(std::ptr::null()).is_null());
    assert!(fe_error_message(std::ptr::null()).is_null());
    assert_eq!(fe_error_code(std::ptr::null()), fe_result::FE_RESULT_NULL_ARGUMENT);
    assert_eq!(fe_sparse_embeddings_count(std::ptr::null()), 0);
    fe_error_free(std::ptr::null_mut());
    fe_text_embedding_free(std::ptr::null_mut());
    fe_tokenizer_free(std::ptr::null_mut());
    fe_encoding_free(std::ptr::null_mut());
    fe_sparse_embeddings_free(std::ptr::null_mut());
}
