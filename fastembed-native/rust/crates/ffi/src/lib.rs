//! C ABI of the fastembed engine. The header `include/fastembed.h` is generated from this crate by cbindgen.
//!
//! Conventions (the same for every function):
//! - Fallible functions return an [`fe_result`]; on failure they store an [`fe_error`] in `*error_out`
//!   when `error_out` is not NULL. The caller reads it with `fe_error_message` and frees it with `fe_error_free`.
//! - Objects are opaque handles created by `fe_*_new` and freed by the matching `fe_*_free` (NULL is ignored).
//! - Texts are UTF-8 with explicit lengths (they may contain NUL bytes); text batches are one byte buffer plus
//!   `count + 1` offsets, text `i` spanning `data[offsets[i] .. offsets[i+1]]`.
//! - A Rust panic never unwinds into the caller: it becomes `FE_RESULT_PANIC` (or NULL / 0 for functions
//!   without a result code).
#![allow(non_camel_case_types)]
// Exported functions take raw pointers from C by design: each is checked for NULL and dereferenced in an
// `unsafe` block with its SAFETY comment; marking them `unsafe fn` would change nothing for C callers.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

#[macro_use]
mod boundary;
mod args;
mod error;
mod image_embedding;
mod late_interaction;
mod late_interaction_multimodal;
mod result;
mod runtime;
mod sparse_embedding;
mod text_embedding;
mod text_rerank;
mod tokenizer;

pub use error::*;
pub use image_embedding::*;
pub use late_interaction::*;
pub use late_interaction_multimodal::*;
pub use result::fe_result;
pub use runtime::*;
pub use sparse_embedding::*;
pub use text_embedding::*;
pub use text_rerank::*;
pub use tokenizer::*;
