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
use crate::truncation::{self, TruncationParams};
use std::path::Path;

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
    pub fn encode(&self, text: &str, add_special_tokens: bool) -> Result<Encoding> {
        let first = self.encode_sequence(text, 0)?;
        self.post_process(first, None, add_special_tokens)
    }

    /// Encodes a pair (query, document); truncation applies to both together.
    pub fn encode_pair(&self, a: &str, b: &str, add_special_tokens: bool) -> Result<Encoding> {
        let first = self.encode_sequence(a, 0)?;
        let second = self.encode_sequence(b, 1)?;
        self.post_process(first, Some(second), add_special_tokens)
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

    /// One input sequence through added tokens, normalizer, pre-tokenizer and model.
    fn encode_sequence(&self, text: &str, type_id: u32) -> Result<Encoding> {
        let mut pre = self.added.extract_and_normalize(self.normalizer.as_ref(), text)?;
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
