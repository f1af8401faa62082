//! The engine's tokenizer on its own, for counting tokens and for parity tests.

use crate::args;
use crate::error::{fe_error, Failure};
use crate::result::fe_result;
use fastembed_engine::ModelOptions;
use fastembed_tokenizer::{Encoding, Tokenizer};
use std::os::raw::c_char;

/// A loaded tokenizer, created by `fe_tokenizer_new` and owned by the caller. Thread-safe: several threads
/// may encode with one handle at once. Free it exactly once with `fe_tokenizer_free`, after every call on it
/// has returned. Encodings it produced stay valid after it is freed.
pub struct fe_tokenizer {
    tokenizer: Tokenizer,
}

/// One encoded text: parallel arrays of `fe_encoding_len` elements, owned by the encoding. Created by
/// `fe_tokenizer_encode`, owned by the caller, freed with `fe_encoding_free`. Immutable: readable from any
/// thread.
pub struct fe_encoding {
    ids: Vec<u32>,
    type_ids: Vec<u32>,
    attention_mask: Vec<u32>,
    special_tokens_mask: Vec<u32>,
}

/// Loads a tokenizer. `options_json`: `{"tokenizer_file": "..."}` uses tokenizer.json exactly as written
/// (its own truncation and padding); adding `"max_length": n` (and optionally `"config_file"`,
/// `"special_tokens_map_file"`, `"tokenizer_config_file"`) configures it the way models use it.
/// On success stores a new handle in `*tokenizer_out`, which the caller frees with `fe_tokenizer_free`.
#[no_mangle]
pub extern "C" fn fe_tokenizer_new(
    options_json: *const c_char,
    tokenizer_out: *mut *mut fe_tokenizer,
    error_out: *mut *mut fe_error,
) -> fe_result {
    ffi_result!(error_out, {
        let options = ModelOptions::from_json(args::c_str(options_json, "options_json")?)?;
        let slot = args::out(tokenizer_out, "tokenizer_out")?;
        let tokenizer = if options.max_length.is_some() {
            fastembed_engine::text::load_tokenizer(&options)?
        } else {
            let file = options.require_tokenizer_file()?;
            Tokenizer::from_file(file).map_err(|e| fastembed_engine::EngineError::from(e).in_file(file))?
        };
        args::into_handle(fe_tokenizer { tokenizer }, slot);
        Ok(())
    })
}

/// Encodes `text` (`text_len` UTF-8 bytes), or the pair (`text`, `pair`) when `pair` is not NULL, with or
/// without the post-processor's special tokens. Stores a new encoding in `*encoding_out`, which the caller
/// frees with `fe_encoding_free`. The texts are only read during the call.
#[no_mangle]
pub extern "C" fn fe_tokenizer_encode(
    tokenizer: *const fe_tokenizer,
    text: *const u8,
    text_len: usize,
    pair: *const u8,
    pair_len: usize,
    add_special_tokens: bool,
    encoding_out: *mut *mut fe_encoding,
    error_out: *mut *mut fe_error,
) -> fe_result {
    ffi_result!(error_out, {
        let tokenizer = &args::reference(tokenizer, "tokenizer")?.tokenizer;
        let first = args::utf8(text, text_len, "text")?;
        let slot = args::out(encoding_out, "encoding_out")?;
        let encoding = if pair.is_null() {
            tokenizer.encode(first, add_special_tokens)
        } else {
            tokenizer.encode_pair(first, args::utf8(pair, pair_len, "pair")?, add_special_tokens)
        }
        .map_err(|e| Failure::from(fastembed_engine::EngineError::from(e)))?;
        args::into_handle(fe_encoding::from(encoding), slot);
        Ok(())
    })
}

/// The encodings of a batch of texts, concatenated: text `i` has the tokens from `offsets[i]` to
/// `offsets[i + 1]` of each array. Created by `fe_tokenizer_encode_batch`, owned by the caller, freed with
/// `fe_encodings_free`. Immutable: readable from any thread.
pub struct fe_encodings {
    offsets: Vec<usize>,
    ids: Vec<u32>,
    type_ids: Vec<u32>,
    attention_mask: Vec<u32>,
    special_tokens_mask: Vec<u32>,
}

/// Encodes `count` texts (see the text batch convention) across the cores, with or without the
/// post-processor's special tokens; truncation applies, padding does not. Stores a new result in
/// `*result_out`, which the caller frees with `fe_encodings_free`. The texts are only read during the call.
#[no_mangle]
pub extern "C" fn fe_tokenizer_encode_batch(
    tokenizer: *const fe_tokenizer,
    data: *const u8,
    offsets: *const usize,
    count: usize,
    add_special_tokens: bool,
    result_out: *mut *mut fe_encodings,
    error_out: *mut *mut fe_error,
) -> fe_result {
    ffi_result!(error_out, {
        let tokenizer = &args::reference(tokenizer, "tokenizer")?.tokenizer;
        let texts = args::texts(data, offsets, count)?;
        let slot = args::out(result_out, "result_out")?;
        let encodings = fastembed_engine::batching::encode_range(0..texts.len(), |i| {
            tokenizer
                .encode(texts[i], add_special_tokens)
                .map_err(fastembed_engine::EngineError::from)
        })?;
        args::into_handle(fe_encodings::from(encodings), slot);
        Ok(())
    })
}

impl From<Vec<Encoding>> for fe_encodings {
    fn from(encodings: Vec<Encoding>) -> Self {
        let total = encodings.iter().map(|e| e.ids.len()).sum();
        let mut result = fe_encodings {
            offsets: Vec::with_capacity(encodings.len() + 1),
            ids: Vec::with_capacity(total),
            type_ids: Vec::with_capacity(total),
            attention_mask: Vec::with_capacity(total),
            special_tokens_mask: Vec::with_capacity(total),
        };
        result.offsets.push(0);
        for e in encodings {
            result.ids.extend_from_slice(&e.ids);
            result.type_ids.extend_from_slice(&e.type_ids);
            result.attention_mask.extend_from_slice(&e.attention_mask);
            result.special_tokens_mask.extend_from_slice(&e.special_tokens_mask);
            result.offsets.push(result.ids.len());
        }
        result
    }
}

/// Number of texts in the result; 0 for NULL.
#[no_mangle]
pub extern "C" fn fe_encodings_count(result: *const fe_encodings) -> usize {
    ffi_boundary!({
        args::reference(result, "result")
            .map(|r| r.offsets.len() - 1)
            .unwrap_or(0)
    })
}

/// `count + 1` token offsets: text `i` is tokens `offsets[i]..offsets[i + 1]` of the arrays below. Borrowed from
/// `result`, valid until `fe_encodings_free`; do not free. NULL for a NULL result.
#[no_mangle]
pub extern "C" fn fe_encodings_offsets(result: *const fe_encodings) -> *const usize {
    ffi_boundary!({
        args::reference(result, "result")
            .map(|r| r.offsets.as_ptr())
            .unwrap_or(std::ptr::null())
    })
}

/// Token ids of all texts (`offsets[count]` elements): borrowed, valid until `fe_encodings_free`. NULL for NULL.
#[no_mangle]
pub extern "C" fn fe_encodings_ids(result: *const fe_encodings) -> *const u32 {
    ffi_boundary!({ array(result, |r| &r.ids) })
}

/// Token type ids of all texts: borrowed, valid until `fe_encodings_free`. NULL for NULL.
#[no_mangle]
pub extern "C" fn fe_encodings_type_ids(result: *const fe_encodings) -> *const u32 {
    ffi_boundary!({ array(result, |r| &r.type_ids) })
}

/// Attention masks of all texts: borrowed, valid until `fe_encodings_free`. NULL for NULL.
#[no_mangle]
pub extern "C" fn fe_encodings_attention_mask(result: *const fe_encodings) -> *const u32 {
    ffi_boundary!({ array(result, |r| &r.attention_mask) })
}

/// Special-tokens masks of all texts: borrowed, valid until `fe_encodings_free`. NULL for NULL.
#[no_mangle]
pub extern "C" fn fe_encodings_special_tokens_mask(result: *const fe_encodings) -> *const u32 {
    ffi_boundary!({ array(result, |r| &r.special_tokens_mask) })
}

/// Frees a batch result and its arrays. NULL is ignored; freeing twice is undefined.
#[no_mangle]
pub extern "C" fn fe_encodings_free(result: *mut fe_encodings) {
    ffi_boundary!({ args::free_handle(result) })
}

impl From<Encoding> for fe_encoding {
    fn from(e: Encoding) -> Self {
        fe_encoding {
            ids: e.ids,
            type_ids: e.type_ids,
            attention_mask: e.attention_mask,
            special_tokens_mask: e.special_tokens_mask,
        }
    }
}

/// Number of tokens; 0 for NULL.
#[no_mangle]
pub extern "C" fn fe_encoding_len(encoding: *const fe_encoding) -> usize {
    ffi_boundary!({ args::reference(encoding, "encoding").map(|e| e.ids.len()).unwrap_or(0) })
}

/// Token ids (`fe_encoding_len` elements): borrowed from `encoding`, valid until `fe_encoding_free`;
/// do not free. NULL for a NULL encoding.
#[no_mangle]
pub extern "C" fn fe_encoding_ids(encoding: *const fe_encoding) -> *const u32 {
    ffi_boundary!({ array(encoding, |e| &e.ids) })
}

/// Token type ids (segment ids): borrowed from `encoding`, valid until `fe_encoding_free`;
/// do not free. NULL for a NULL encoding.
#[no_mangle]
pub extern "C" fn fe_encoding_type_ids(encoding: *const fe_encoding) -> *const u32 {
    ffi_boundary!({ array(encoding, |e| &e.type_ids) })
}

/// Attention mask (1 for real tokens): borrowed from `encoding`, valid until `fe_encoding_free`;
/// do not free. NULL for a NULL encoding.
#[no_mangle]
pub extern "C" fn fe_encoding_attention_mask(encoding: *const fe_encoding) -> *const u32 {
    ffi_boundary!({ array(encoding, |e| &e.attention_mask) })
}

/// 1 for special tokens added by the post-processor: borrowed from `encoding`, valid until `fe_encoding_free`;
/// do not free. NULL for a NULL encoding.
#[no_mangle]
pub extern "C" fn fe_encoding_special_tokens_mask(encoding: *const fe_encoding) -> *const u32 {
    ffi_boundary!({ array(encoding, |e| &e.special_tokens_mask) })
}

/// One array of an encoding or a batch result; NULL for a NULL handle.
fn array<T>(handle: *const T, field: fn(&T) -> &Vec<u32>) -> *const u32 {
    args::reference(handle, "handle")
        .map(|h| field(h).as_ptr())
        .unwrap_or(std::ptr::null())
}

/// Frees an encoding and its arrays. NULL is ignored; freeing twice is undefined.
#[no_mangle]
pub extern "C" fn fe_encoding_free(encoding: *mut fe_encoding) {
    ffi_boundary!({ args::free_handle(encoding) })
}

/// Frees a tokenizer. NULL is ignored; freeing twice, or while a call on it is in flight, is undefined.
#[no_mangle]
pub extern "C" fn fe_tokenizer_free(tokenizer: *mut fe_tokenizer) {
    ffi_boundary!({ args::free_handle(tokenizer) })
}
