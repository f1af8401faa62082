//! fastembed-style loading: tokenizer.json plus the model's config files, configured the way
//! fastembed-rs configures its tokenizers (truncation to the model's limit, batch padding
//! with the model's pad token, special tokens of special_tokens_map.json registered).

use crate::added_tokens::AddedToken;
use crate::error::{Result, TokenizerError};
use crate::padding::{PaddingDirection, PaddingParams, PaddingStrategy};
use crate::tokenizer::Tokenizer;
use crate::truncation::TruncationParams;
use serde_json::Value;
use std::path::Path;

/// The files of one model; only `tokenizer_json` is required.
#[derive(Clone, Copy, Debug)]
pub struct TokenizerFiles<'a> {
    pub tokenizer_json: &'a Path,
    pub config_json: Option<&'a Path>,
    pub special_tokens_map_json: Option<&'a Path>,
    pub tokenizer_config_json: Option<&'a Path>,
}

/// Loads a model's tokenizer configured like fastembed-rs:
/// - truncation (longest first, right) to `min(max_length, tokenizer_config.model_max_length)`;
/// - padding to the batch's longest, with pad id `config.pad_token_id` (default 0) and pad token
///   `tokenizer_config.pad_token`, else `special_tokens_map.pad_token`, else `[PAD]`;
/// - every string or full object entry of special_tokens_map.json added as a special token.
pub fn load_for_model(files: &TokenizerFiles, max_length: usize) -> Result<Tokenizer> {
    let tokenizer = Tokenizer::from_file(files.tokenizer_json)?;
    let config = read_optional_json(files.config_json)?;
    let special_tokens_map = read_optional_json(files.special_tokens_map_json)?;
    let tokenizer_config = read_optional_json(files.tokenizer_config_json)?;

    let mut max_length = max_length;
    if let Some(model_max) = tokenizer_config
        .as_ref()
        .and_then(|c| c.get("model_max_length"))
        .and_then(Value::as_f64)
    {
        // Some configs say 1e30 for "no limit"; the float-to-int cast saturates.
        if model_max >= 0.0 {
            max_length = max_length.min(model_max as usize);
        }
    }
    let pad_id = config
        .as_ref()
        .and_then(|c| c.get("pad_token_id"))
        .and_then(Value::as_u64)
        .and_then(|id| u32::try_from(id).ok())
        .unwrap_or(0);
    let pad_token = [&tokenizer_config, &special_tokens_map]
        .into_iter()
        .find_map(|file| file.as_ref().and_then(|f| token_content(f.get("pad_token")?)))
        .unwrap_or_else(|| "[PAD]".to_string());

    // The side comes from tokenizer.json when it says one (fastembed keeps a configured padding whole), so models
    // that pad on the left (ColModernVBERT's prompts follow it) are fed as fastembed feeds them.
    let direction = tokenizer.padding().map_or(PaddingDirection::Right, |p| p.direction);
    let mut tokenizer = tokenizer
        .with_padding(Some(PaddingParams {
            strategy: PaddingStrategy::BatchLongest,
            pad_id,
            pad_token,
            direction,
            ..PaddingParams::default()
        }))
        .with_truncation(Some(TruncationParams {
            max_length,
            ..TruncationParams::default()
        }));

    if let Some(Value::Object(entries)) = &special_tokens_map {
        let tokens: Vec<AddedToken> = entries.values().filter_map(special_token).collect();
        tokenizer.add_special_tokens(tokens)?;
    }
    Ok(tokenizer)
}

fn read_optional_json(path: Option<&Path>) -> Result<Option<Value>> {
    let Some(path) = path else { return Ok(None) };
    let text = std::fs::read_to_string(path).map_err(|source| TokenizerError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_str(&text).map(Some).map_err(|e| TokenizerError::Json {
        file: path.display().to_string(),
        message: e.to_string(),
    })
}

/// `"<pad>"` or `{"content": "<pad>", ...}`.
fn token_content(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("content")?.as_str().map(str::to_string),
        _ => None,
    }
}

/// A special_tokens_map entry as fastembed-rs reads it: a plain string gets HF's
/// `AddedToken` defaults (normalized), an object needs all four flags or is skipped.
fn special_token(v: &Value) -> Option<AddedToken> {
    match v {
        Value::String(s) => Some(AddedToken {
            normalized: true,
            ..AddedToken::new(s, true)
        }),
        Value::Object(o) => Some(AddedToken {
            content: o.get("content")?.as_str()?.to_string(),
            single_word: o.get("single_word")?.as_bool()?,
            lstrip: o.get("lstrip")?.as_bool()?,
            rstrip: o.get("rstrip")?.as_bool()?,
            normalized: o.get("normalized")?.as_bool()?,
            special: true,
        }),
        _ => None,
    }
}
