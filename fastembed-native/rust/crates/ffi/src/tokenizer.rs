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

fn array(encoding: *const fe_encoding, field: fn(&fe_encoding) -> &Vec<u32>) -> *const u32 {
    args::reference(encoding, "encoding").map(|e| field(e).as_ptr()).unwrap_or(std::ptr::null())
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
