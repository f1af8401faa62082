//! The tokenizer: loading a tokenizer.json and running the pipeline
//! added tokens → normalizer → pre-tokenizer → model → truncation → post-processor → padding.

use crate::added_tokens::{AddedToken, AddedVocabulary};
use crate::decoder::Decoder;
use crate::encoding::Encoding;
use crate::error::{Result, TokenizerError};
use crate::json::Node;
use crate::model::Model;
use crate::normalizer::Normalizer;
use crate::padding::{self, PaddingParams};
use crate::post_processor::PostProcessor;
use crate::pre_tokenizer::PreTokenizer;
use crate::truncation::{self, TruncationDirection, TruncationParams, TruncationStrategy};
use std::path::Path;

/// Bytes of input looked at per token that truncation keeps: real text needs 1–20 bytes per token (CJK 3,
/// English about 5), so a prefix of this many bytes per kept token holds the kept tokens many times over,
/// while a 50 MB text costs no more than its prefix.
const INPUT_BYTES_PER_TOKEN: usize = 128;
/// Bounds of the bytes looked at per input sequence (see [`Tokenizer::input_byte_limit`]).
const MIN_INPUT_BYTES: usize = 64 * 1024;
pub const MAX_INPUT_BYTES: usize = 1024 * 1024;

/// A loaded tokenizer. Immutable once built, so it can be shared between threads.
#[derive(Debug)]
pub struct Tokenizer {
    normalizer: Option<Normalizer>,
    pre_tokenizer: Option<PreTokenizer>,
    model: Model,
    post_processor: Option<PostProcessor>,
    decoder: Option<Decoder>,
    added: AddedVocabulary,
    truncation: Option<TruncationParams>,
    padding: Option<PaddingParams>,
}

impl Tokenizer {
    pub fn from_file(path: &Path) -> Result<Tokenizer> {
        let json = std::fs::read_to_string(path).map_err(|source| TokenizerError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&json, &path.display().to_string())
    }

    pub fn from_json_str(json: &str) -> Result<Tokenizer> {
        Self::parse(json, "tokenizer.json")
    }

    fn parse(json: &str, file: &str) -> Result<Tokenizer> {
        let value: serde_json::Value = serde_json::from_str(json).map_err(|e| TokenizerError::Json {
            file: file.to_string(),
            message: e.to_string(),
        })?;
        Self::from_value(&value)
    }

    fn from_value(value: &serde_json::Value) -> Result<Tokenizer> {
        let root = Node::root(value);
        root.object()?;
        if let Some(version) = root.opt_str("version")? {
            if version != "1.0" {
                return Err(root.error(format!("unknown tokenizer.json version \"{version}\" (expected 1.0)")));
            }
        }
        let model = Model::from_json(&root.require("model")?)?;
        let normalizer = root.get("normalizer")?.map(|n| Normalizer::from_json(&n)).transpose()?;
        let pre_tokenizer = root
            .get("pre_tokenizer")?
            .map(|n| PreTokenizer::from_json(&n))
            .transpose()?;
        let post_processor = root
            .get("post_processor")?
            .map(|n| PostProcessor::from_json(&n))
            .transpose()?;
        let decoder = root.get("decoder")?.map(|n| Decoder::from_json(&n)).transpose()?;
        let truncation = root
            .get("truncation")?
            .map(|n| TruncationParams::from_json(&n))
            .transpose()?;
        let padding = root.get("padding")?.map(|n| PaddingParams::from_json(&n)).transpose()?;

        let mut added = AddedVocabulary::new();
        if let Some(list) = root.get("added_tokens")? {
            for item in list.items()? {
                let (_expected_id, token) = AddedToken::from_json(&item)?;
                added.add(token, &model);
            }
        }
        added.rebuild_matchers(&model, normalizer.as_ref())?;
        Ok(Tokenizer {
            normalizer,
            pre_tokenizer,
            model,
            post_processor,
            decoder,
            added,
            truncation,
            padding,
        })
    }

    pub fn with_truncation(mut self, truncation: Option<TruncationParams>) -> Self {
        self.truncation = truncation;
        self
    }

    pub fn with_padding(mut self, padding: Option<PaddingParams>) -> Self {
        self.padding = padding;
        self
    }

    pub fn truncation(&self) -> Option<&TruncationParams> {
        self.truncation.as_ref()
    }

    pub fn padding(&self) -> Option<&PaddingParams> {
        self.padding.as_ref()
    }

    /// Registers tokens as special added tokens (as HF's `add_special_tokens`).
    pub(crate) fn add_special_tokens(&mut self, tokens: Vec<AddedToken>) -> Result<()> {
        for token in tokens {
            self.added.add(token, &self.model);
        }
        self.added.rebuild_matchers(&self.model, self.normalizer.as_ref())
    }

    /// Encodes one text; truncation applies, padding does not (see `encode_batch`).
    ///
    /// With truncation to the right (or left), only the first (or last) [`Tokenizer::input_byte_limit`]
    /// bytes of the text are read, so time and memory per text do not grow with its length.
    pub fn encode(&self, text: &str, add_special_tokens: bool) -> Result<Encoding> {
        let limit = self.sequence_token_limit(false, add_special_tokens);
        let first = self.encode_sequence(text, 0, limit)?;
        self.post_process(first, None, add_special_tokens)
    }

    /// Encodes a pair (query, document); truncation applies to both together.
    pub fn encode_pair(&self, a: &str, b: &str, add_special_tokens: bool) -> Result<Encoding> {
        let first = self.encode_first(a, add_special_tokens)?;
        self.encode_pair_with(&first, b, add_special_tokens)
    }

    /// Encodes the first sequence of pairs once, to pair it with many second sequences (a reranker's
    /// query with each document) through [`Tokenizer::encode_pair_with`].
    pub fn encode_first(&self, text: &str, add_special_tokens: bool) -> Result<FirstSequence> {
        let limit = self.sequence_token_limit(true, add_special_tokens);
        Ok(FirstSequence(self.encode_sequence(text, 0, limit)?))
    }

    /// The pair of an already encoded first sequence and `b`; equal to `encode_pair(a, b)`.
    pub fn encode_pair_with(&self, first: &FirstSequence, b: &str, add_special_tokens: bool) -> Result<Encoding> {
        let limit = self.sequence_token_limit(true, add_special_tokens);
        let second = self.encode_sequence(b, 1, limit)?;
        self.post_process(first.0.clone(), Some(second), add_special_tokens)
    }

    /// Bytes of one input sequence read when truncation keeps at most `token_limit` tokens of it:
    /// 128 bytes per token, at least 64 KiB and at most 1 MiB ([`MAX_INPUT_BYTES`]).
    pub fn input_byte_limit(token_limit: usize) -> usize {
        token_limit
            .saturating_mul(INPUT_BYTES_PER_TOKEN)
            .clamp(MIN_INPUT_BYTES, MAX_INPUT_BYTES)
    }

    /// The most tokens truncation can keep of one sequence, when that alone decides what is kept: a
    /// single sequence, or either side of a pair truncated longest-first (the side with more tokens than
    /// this is cut to at most this, whatever its exact length). `None` when all tokens may matter.
    fn sequence_token_limit(&self, pair: bool, add_special_tokens: bool) -> Option<(usize, TruncationDirection)> {
        let params = self.truncation.as_ref()?;
        if pair && params.strategy != TruncationStrategy::LongestFirst {
            return None;
        }
        let added = match (&self.post_processor, add_special_tokens) {
            (Some(p), true) => p.added_tokens(pair),
            _ => 0,
        };
        Some((params.max_length.saturating_sub(added), params.direction))
    }

    /// Encodes several texts and pads them if padding is configured.
    pub fn encode_batch(&self, texts: &[&str], add_special_tokens: bool) -> Result<Vec<Encoding>> {
        let mut out = texts
            .iter()
            .map(|t| self.encode(t, add_special_tokens))
            .collect::<Result<Vec<_>>>()?;
        self.pad_batch(&mut out);
        Ok(out)
    }

    /// Encodes several pairs and pads them if padding is configured.
    pub fn encode_pair_batch(&self, pairs: &[(&str, &str)], add_special_tokens: bool) -> Result<Vec<Encoding>> {
        let mut out = pairs
            .iter()
            .map(|(a, b)| self.encode_pair(a, b, add_special_tokens))
            .collect::<Result<Vec<_>>>()?;
        self.pad_batch(&mut out);
        Ok(out)
    }

    /// Pads the encodings with the configured padding parameters, if any.
    pub fn pad_batch(&self, encodings: &mut [Encoding]) {
        if let Some(params) = &self.padding {
            padding::pad(encodings, params);
        }
    }

    pub fn token_to_id(&self, token: &str) -> Option<u32> {
        self.added.id(token).or_else(|| self.model.token_to_id(token))
    }

    pub fn id_to_token(&self, id: u32) -> Option<String> {
        match self.added.token(id) {
            Some(t) => Some(t.content.clone()),
            None => self.model.id_to_token(id),
        }
    }

    /// Number of distinct tokens: the model vocabulary plus added tokens it lacks.
    pub fn vocab_size(&self) -> usize {
        let extra = self
            .added
            .contents()
            .filter(|c| self.model.token_to_id(c).is_none())
            .count();
        self.model.vocab_size() + extra
    }

    /// Whether `token` is registered as a special added token.
    pub fn is_special_token(&self, token: &str) -> bool {
        self.added.is_special(token)
    }

    /// Turns ids back into text with the tokenizer's decoder.
    pub fn decode(&self, ids: &[u32], skip_special_tokens: bool) -> Result<String> {
        let tokens: Vec<String> = ids
            .iter()
            .filter_map(|&id| {
                let token = self.id_to_token(id)?;
                if skip_special_tokens && self.added.is_special(&token) {
                    None
                } else {
                    Some(token)
                }
            })
            .collect();
        match &self.decoder {
            Some(d) => d.decode(tokens),
            None => Ok(tokens.join(" ")),
        }
    }

    /// One input sequence through added tokens, normalizer, pre-tokenizer and model; with a token limit,
    /// only the part of the text truncation can keep from is read (its prefix, or its suffix for left
    /// truncation).
    fn encode_sequence(
        &self,
        text: &str,
        type_id: u32,
        limit: Option<(usize, TruncationDirection)>,
    ) -> Result<Encoding> {
        let (text, base) = match limit {
            Some((tokens, direction)) => bounded_part(text, Self::input_byte_limit(tokens), direction),
            None => (text, 0),
        };
        let mut pre = self.added.extract_and_normalize(self.normalizer.as_ref(), text, base)?;
        if let Some(p) = &self.pre_tokenizer {
            p.pre_tokenize(&mut pre)?;
        }
        let mut encoding = Encoding::default();
        for split in pre.splits {
            let tokens = match split.tokens {
                Some(tokens) => tokens,
                None => self.model.tokenize(split.normalized.as_str())?,
            };
            for token in tokens {
                let offsets = split.normalized.original_span(token.offsets.0, token.offsets.1);
                encoding.push(token.id, token.value, offsets, type_id, false);
            }
        }
        Ok(encoding)
    }

    fn post_process(
        &self,
        mut first: Encoding,
        mut second: Option<Encoding>,
        add_special_tokens: bool,
    ) -> Result<Encoding> {
        if let Some(params) = &self.truncation {
            let added = match (&self.post_processor, add_special_tokens) {
                (Some(p), true) => p.added_tokens(second.is_some()),
                _ => 0,
            };
            let max_length = params.max_length.checked_sub(added).ok_or_else(|| {
                TokenizerError::Truncation(format!(
                    "max_length {} is smaller than the {} special tokens the post-processor adds",
                    params.max_length, added
                ))
            })?;
            truncation::truncate(&mut first, second.as_mut(), max_length, params)?;
        }
        let mut parts = vec![first];
        parts.extend(second);
        if let Some(p) = &self.post_processor {
            parts = p.process(parts, add_special_tokens)?;
        }
        let mut result = Encoding::default();
        for part in parts {
            result.append(part);
        }
        Ok(result)
    }
}

/// The first sequence of pairs, encoded once (see [`Tokenizer::encode_first`]).
#[derive(Clone, Debug)]
pub struct FirstSequence(Encoding);

/// At most `max_bytes` of `text` on char boundaries: its start (`Right` truncation keeps the first tokens)
/// or its end (`Left`), with the byte offset of that part in `text`.
fn bounded_part(text: &str, max_bytes: usize, direction: TruncationDirection) -> (&str, usize) {
    if text.len() <= max_bytes {
        return (text, 0);
    }
    match direction {
        TruncationDirection::Right => {
            let mut end = max_bytes;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            (&text[..end], 0)
        }
        TruncationDirection::Left => {
            let mut start = text.len() - max_bytes;
            while !text.is_char_boundary(start) {
                start += 1;
            }
            (&text[start..], start)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_part_keeps_char_boundaries_and_the_offset_of_a_suffix() {
        let text = "aé你b";
        assert_eq!(bounded_part(text, 100, TruncationDirection::Right), (text, 0));
        assert_eq!(bounded_part(text, 4, TruncationDirection::Right), ("aé", 0));
        assert_eq!(bounded_part(text, 5, TruncationDirection::Right), ("aé", 0));
        assert_eq!(bounded_part(text, 6, TruncationDirection::Right), ("aé你", 0));
        assert_eq!(bounded_part(text, 5, TruncationDirection::Left), ("你b", 3));
        assert_eq!(bounded_part(text, 3, TruncationDirection::Left), ("b", 6));
    }

    #[test]
    fn input_byte_limit_is_clamped() {
        assert_eq!(Tokenizer::input_byte_limit(0), 64 * 1024);
        assert_eq!(Tokenizer::input_byte_limit(510), 64 * 1024);
        assert_eq!(Tokenizer::input_byte_limit(1024), 128 * 1024);
        assert_eq!(Tokenizer::input_byte_limit(usize::MAX), MAX_INPUT_BYTES);
    }
}
