//! The text side of fastembed's BM42 ("Qdrant/bm42-all-minilm-l6-v2-attentions"), as pure
//! functions over WordPiece tokens and attention weights so that any ONNX runner can feed it.
//!
//! A document's weight per word is the attention the `[CLS]` token pays to the word's pieces
//! (summed), the largest over the word's occurrences, rescored as `ln(1 + w)^alpha`. A query
//! gives each word weight 1.0. Words are rebuilt from WordPiece pieces, special tokens, ASCII
//! punctuation and stopwords are dropped, and the rest is stemmed with the given [`Bm25`]'s
//! stemmer and stopwords (fastembed's BM42 model is English).

use std::collections::HashMap;

use crate::config::widen;
use crate::murmur3::token_index;
use crate::{text, Bm25, Bm25Error, SparseVector};

/// BM42 settings, with fastembed's defaults for its MiniLM model.
#[derive(Debug, Clone, PartialEq)]
pub struct Bm42Config {
    /// Exponent of the rescoring `ln(1 + w)^alpha`; finite and >= 0.
    pub alpha: f32,
    /// Tokens skipped when rebuilding words (the tokenizer's special tokens).
    pub special_tokens: Vec<String>,
    /// Marks a WordPiece piece that continues the previous one.
    pub continuing_subword_prefix: String,
}

impl Default for Bm42Config {
    fn default() -> Self {
        Bm42Config {
            alpha: 0.5,
            special_tokens: ["[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]"]
                .map(String::from)
                .to_vec(),
            continuing_subword_prefix: "##".to_owned(),
        }
    }
}

/// The per-token attention BM42 weighs by: for one sequence of an `attention` output shaped
/// `[num_heads, seq_len, seq_len]` (row-major), the attention of token 0 (`[CLS]`) to each token,
/// averaged over heads, zero where `attention_mask` is 0.
pub fn bm42_pool_attention(
    attention: &[f32],
    num_heads: usize,
    seq_len: usize,
    attention_mask: &[i64],
) -> Result<Vec<f32>, Bm25Error> {
    let expected = num_heads.checked_mul(seq_len).and_then(|n| n.checked_mul(seq_len));
    if num_heads == 0 || expected != Some(attention.len()) {
        return Err(Bm25Error::InvalidBm42Input(format!(
            "attention has {} values, expected {num_heads} heads x {seq_len} x {seq_len}",
            attention.len()
        )));
    }
    if attention_mask.len() != seq_len {
        return Err(Bm25Error::InvalidBm42Input(format!(
            "attention mask has {} values for {seq_len} tokens",
            attention_mask.len()
        )));
    }
    // Row 0 of each head, summed head by head in f32 and divided by the head count, as numpy's
    // float32 mean over that axis does.
    let pooled = (0..seq_len)
        .map(|token| {
            let sum: f32 = (0..num_heads)
                .map(|head| attention[head * seq_len * seq_len + token])
                .sum();
            if attention_mask[token] == 0 {
                0.0
            } else {
                sum / num_heads as f32 * attention_mask[token] as f32
            }
        })
        .collect();
    Ok(pooled)
}

/// Document vector from a sequence's tokens (as the tokenizer produced them, special tokens
/// included) and their pooled attention (see [`bm42_pool_attention`]).
pub fn bm42_document_weights(
    tokens: &[&str],
    attention: &[f32],
    bm25: &Bm25,
    config: &Bm42Config,
) -> Result<SparseVector, Bm25Error> {
    if tokens.len() != attention.len() {
        return Err(Bm25Error::InvalidBm42Input(format!(
            "{} tokens but {} attention weights",
            tokens.len(),
            attention.len()
        )));
    }
    if !(config.alpha.is_finite() && config.alpha >= 0.0) {
        return Err(Bm25Error::InvalidBm42Input(format!(
            "alpha must be finite and >= 0, got {}",
            config.alpha
        )));
    }
    let alpha = widen(config.alpha);

    // Largest summed weight per stemmed word, in order of first occurrence.
    let mut order: Vec<String> = Vec::new();
    let mut max_weight: HashMap<String, f64> = HashMap::new();
    for (word, positions) in stemmed_words(tokens, bm25, config) {
        let weight: f64 = positions.iter().map(|&i| f64::from(attention[i])).sum();
        match max_weight.get_mut(&word) {
            Some(best) => *best = python_max(*best, weight),
            None => {
                order.push(word.clone());
                max_weight.insert(word, python_max(0.0, weight));
            }
        }
    }
    let rescored = order.iter().map(|word| {
        let weight = max_weight[word];
        (token_index(word), (1.0 + weight).ln().powf(alpha))
    });
    Ok(SparseVector::from_pairs(rescored))
}

/// Python's `max(a, b)`: `b` only when it is larger, so a NaN never replaces a number.
fn python_max(a: f64, b: f64) -> f64 {
    if b > a {
        b
    } else {
        a
    }
}

/// Query vector: weight 1.0 for each word left after the same rebuilding, filtering and
/// stemming as documents get.
pub fn bm42_query(tokens: &[&str], bm25: &Bm25, config: &Bm42Config) -> SparseVector {
    SparseVector::from_pairs(
        stemmed_words(tokens, bm25, config)
            .into_iter()
            .map(|(word, _)| (token_index(&word), 1.0)),
    )
}

/// Words rebuilt from pieces, filtered and stemmed, each with the positions of its pieces.
fn stemmed_words(tokens: &[&str], bm25: &Bm25, config: &Bm42Config) -> Vec<(String, Vec<usize>)> {
    rebuild_words(tokens, config)
        .into_iter()
        .filter(|(word, _)| !bm25.is_stopword(word) && !text::is_ascii_punctuation_word(word))
        .map(|(word, positions)| (bm25.stem(&word), positions))
        .collect()
}

/// Joins WordPiece continuations (`##ing`) onto the piece before them, skipping special tokens
/// (which do not end a word), and keeps the positions of each word's pieces.
fn rebuild_words(tokens: &[&str], config: &Bm42Config) -> Vec<(String, Vec<usize>)> {
    let prefix = config.continuing_subword_prefix.as_str();
    let mut words = Vec::new();
    let mut word = String::new();
    let mut positions = Vec::new();
    for (i, &token) in tokens.iter().enumerate() {
        if config.special_tokens.iter().any(|s| s == token) {
            continue;
        }
        match token.strip_prefix(prefix) {
            Some(rest) => {
                word.push_str(rest);
                positions.push(i);
            }
            None => {
                // Like fastembed, a word is only closed once it has text; pieces of an empty
                // word carry their positions over to the next one.
                if !word.is_empty() {
                    words.push((std::mem::take(&mut word), std::mem::take(&mut positions)));
                }
                word = token.to_owned();
                positions.push(i);
            }
        }
    }
    if !word.is_empty() {
        words.push((word, positions));
    }
    words
}
