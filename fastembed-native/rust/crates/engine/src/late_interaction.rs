//! Late interaction (ColBERT): one L2-normalized vector per token, as fastembed runs ColBERT v2 and
//! answerai-colbert-small. With markers, query expansion, normalization and the skip list all off it is
//! fastembed's token embeddings model (`jinaai/jina-embeddings-v2-small-en-tokens`): the raw output
//! vectors of the attended tokens, queries and documents alike.
//!
//! Inputs follow fastembed: a marker token goes right after `[CLS]` (`[unused0]` for queries,
//! `[unused1]` for documents — ids 1 and 2 in BERT's vocabulary, the ids fastembed hard-codes);
//! texts are truncated one token short of the maximum to leave room for it. Queries are padded with
//! `[MASK]` to 32 tokens (ColBERT's query augmentation); like the padding it is, the `[MASK]` tokens
//! get attention 0 (ColBERT v2's default), yet their vectors are part of the query. Documents drop the
//! vectors of punctuation tokens and padding.

use crate::error::EngineError;
use crate::options::ModelOptions;
use crate::pooling::l2_normalize;
use crate::session::{open_session, TextSession};
use crate::tensors::{declared_size, embedding_dimension, float_data};
use crate::text::load_tokenizer;
use fastembed_ort::{ElementType, Session};
use fastembed_tokenizer::{Encoding, Tokenizer, TruncationParams};
use std::collections::HashSet;

pub const DEFAULT_QUERY_MARKER: &str = "[unused0]";
pub const DEFAULT_DOCUMENT_MARKER: &str = "[unused1]";
pub const DEFAULT_MASK_TOKEN: &str = "[MASK]";
/// Query length after padding, marker included (fastembed pads to 31, then inserts the marker).
pub const DEFAULT_QUERY_LENGTH: usize = 32;
/// Python's `string.punctuation`: fastembed drops the document vectors of these tokens.
pub const PUNCTUATION: &str = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
/// Whether texts are search queries or documents: they get different markers and post-processing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextRole {
    Query,
    Document,
}

/// The token vectors of a batch of texts: text `i` owns tokens `offsets[i]..offsets[i + 1]`, token `t`
/// being `data[t * dimension..(t + 1) * dimension]`.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenEmbeddings {
    pub dimension: usize,
    pub offsets: Vec<usize>,
    pub data: Vec<f32>,
}

impl TokenEmbeddings {
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The vectors of text `i`, `tokens * dimension` floats.
    pub fn text(&self, i: usize) -> &[f32] {
        &self.data[self.offsets[i] * self.dimension..self.offsets[i + 1] * self.dimension]
    }

    /// The number of vectors of text `i`.
    pub fn tokens(&self, i: usize) -> usize {
        self.offsets[i + 1] - self.offsets[i]
    }
}

pub struct LateInteractionEmbedder {
    text: TextSession,
    tokenizer: Tokenizer,
    /// Queries' own tokenizer when they are truncated shorter than documents (`query_max_length`).
    query_tokenizer: Option<Tokenizer>,
    query_expansion: bool,
    query_mask_attention: u32,
    dimension: usize,
    /// The query and document marker ids, or none (`markers: false`, token embeddings).
    markers: Option<(u32, u32)>,
    mask_id: u32,
    query_length: usize,
    skip_list: HashSet<u32>,
    normalize: bool,
}

impl LateInteractionEmbedder {
    pub fn new(options: &ModelOptions) -> Result<LateInteractionEmbedder, EngineError> {
        let with_markers = options.markers.unwrap_or(true);
        let tokenizer = load_tokenizer(options)?;
        let tokenizer = if with_markers {
            marker_room(tokenizer)?
        } else {
            tokenizer
        };
        let token = |configured: &Option<String>, default: &str, what: &str| -> Result<u32, EngineError> {
            let name = configured.as_deref().unwrap_or(default);
            tokenizer.token_to_id(name).ok_or_else(|| {
                EngineError::invalid_model(format!("the tokenizer has no {what} token '{name}' in its vocabulary"))
            })
        };
        let marker = |id: Option<u32>, name: &Option<String>, default: &str, what: &str| match (id, name) {
            (Some(_), Some(_)) => Err(EngineError::invalid_argument(format!(
                "set the {what} by id or by token, not both"
            ))),
            // By id as fastembed does; an id beyond the model's embeddings fails when the model runs.
            (Some(id), None) => Ok(id),
            (None, _) => token(name, default, what),
        };
        let markers = if with_markers {
            let query_marker = marker(
                options.query_marker_id,
                &options.query_marker_token,
                DEFAULT_QUERY_MARKER,
                "query marker",
            )?;
            let document_marker = marker(
                options.document_marker_id,
                &options.document_marker_token,
                DEFAULT_DOCUMENT_MARKER,
                "document marker",
            )?;
            Some((query_marker, document_marker))
        } else {
            refuse_marker_settings(options)?;
            None
        };
        let marker_length = usize::from(with_markers);
        let query_tokenizer = match options.query_max_length {
            None => None,
            Some(length) if length < 2 + marker_length => {
                return Err(EngineError::invalid_argument(if with_markers {
                    "query_max_length must be at least 3 ([CLS], the marker and [SEP])"
                } else {
                    "query_max_length must be at least 2 ([CLS] and [SEP])"
                }))
            }
            Some(length) => {
                let truncation = TruncationParams {
                    max_length: length - marker_length,
                    ..tokenizer.truncation().cloned().unwrap_or_default()
                };
                Some(load_tokenizer(options)?.with_truncation(Some(truncation)))
            }
        };
        let query_expansion = options.query_expansion.unwrap_or(true);
        // Without query expansion the mask token is never used, so a vocabulary without one is fine.
        let mask_id = match query_expansion {
            true => token(&options.mask_token, DEFAULT_MASK_TOKEN, "mask")?,
            false => 0,
        };
        let query_length = options.query_length.unwrap_or(DEFAULT_QUERY_LENGTH);
        if query_length < 2 {
            return Err(EngineError::invalid_argument(
                "query_length must be at least 2 ([CLS] and the marker)",
            ));
        }
        let skip_list = match options.skip_punctuation.unwrap_or(true) {
            true => punctuation_ids(&tokenizer)?,
            false => HashSet::new(),
        };

        let session = open_session(options.require_model_file()?, options)?;
        let output = select_output(&session, options.output_name.as_deref())?;
        let shape = session.output_shape(&output).expect("selected output exists").to_vec();
        let mut embedder = LateInteractionEmbedder {
            text: TextSession::new(session, output, &tokenizer, options)?,
            tokenizer,
            query_tokenizer,
            query_expansion,
            query_mask_attention: u32::from(options.query_mask_attention.unwrap_or(false)),
            dimension: 0,
            markers,
            mask_id,
            query_length,
            skip_list,
            normalize: options.normalize.unwrap_or(true),
        };
        let declared = declared_size(&shape[2..]);
        embedder.dimension = embedding_dimension(embedder.text.output(), declared, || embedder.probe_dimension())?;
        Ok(embedder)
    }

    pub fn dimension(&self) -> usize {
        self.dimension
    }

    /// How this model's calls run (its execution plan).
    pub fn plan(&self) -> &crate::plan::ExecutionPlan {
        self.text.plan()
    }

    /// Stops the ONNX Runtime runs under way on this model; their calls fail with `Cancelled`.
    pub fn cancel_runs(&self) {
        self.text.cancel_runs();
    }

    /// How the model's ONNX Runtime session was set up (execution provider, optimized graph); None before a
    /// lazily loaded model is loaded, or without a model.
    pub fn session_info(&self) -> Option<crate::session::SessionInfo> {
        Some(self.text.info().clone())
    }

    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// Token ids whose vectors documents drop (besides padding).
    pub fn skip_list(&self) -> &HashSet<u32> {
        &self.skip_list
    }

    /// The model input for one text: marker after `[CLS]` (unless `markers` is off); queries padded with
    /// `[MASK]` (attention 0, or 1 with `query_mask_attention`) unless `query_expansion` is off.
    pub fn encode(&self, text: &str, role: TextRole) -> Result<Encoding, EngineError> {
        let tokenizer = match (role, &self.query_tokenizer) {
            (TextRole::Query, Some(query_tokenizer)) => query_tokenizer,
            _ => &self.tokenizer,
        };
        let mut encoding = tokenizer.encode(text, true)?;
        if let Some((query_marker, document_marker)) = self.markers {
            let marker = match role {
                TextRole::Query => query_marker,
                TextRole::Document => document_marker,
            };
            insert_marker(
                &mut encoding,
                marker,
                self.tokenizer.id_to_token(marker).unwrap_or_default(),
            );
        }
        if role == TextRole::Query && self.query_expansion {
            let mask_token = self.tokenizer.id_to_token(self.mask_id).unwrap_or_default();
            pad_with_masks(
                &mut encoding,
                self.query_length,
                self.mask_id,
                mask_token,
                self.query_mask_attention,
            );
        }
        Ok(encoding)
    }

    /// Embeds texts as queries or documents: per text, its kept token vectors in order.
    pub fn embed(&self, texts: &[&str], role: TextRole) -> Result<TokenEmbeddings, EngineError> {
        let encode = |i: usize| self.encode(texts[i], role);
        let mut per_text: Vec<Vec<f32>> = vec![Vec::new(); texts.len()];
        self.text
            .for_each_run(texts.len(), encode, None, |batch, rows, tokens, output| {
                let states = float_data(output)?;
                let expected = [tokens.rows as i64, tokens.seq as i64, self.dimension as i64];
                if output.shape() != expected {
                    return Err(EngineError::invalid_model(format!(
                        "output '{}' has shape {:?}, expected {expected:?}",
                        self.text.output(),
                        output.shape()
                    )));
                }
                for (row, (&index, encoding)) in batch.indices.iter().zip(rows).enumerate() {
                    per_text[index] = self.keep_tokens(role, encoding, &states[row * tokens.seq * self.dimension..]);
                }
                Ok(())
            })?;
        let mut offsets = Vec::with_capacity(texts.len() + 1);
        offsets.push(0);
        for vectors in &per_text {
            offsets.push(offsets.last().unwrap() + vectors.len() / self.dimension.max(1));
        }
        let data = per_text.concat();
        Ok(TokenEmbeddings {
            dimension: self.dimension,
            offsets,
            data,
        })
    }

    /// The vectors of one text (its row of the batch output): all its tokens for a query (`[MASK]`
    /// included, batch padding not), for a document the attended tokens that are not punctuation or padding.
    fn keep_tokens(&self, role: TextRole, encoding: &Encoding, states: &[f32]) -> Vec<f32> {
        let mut kept = Vec::with_capacity(encoding.ids.len() * self.dimension);
        for t in kept_positions(role, encoding, self.text.pad_id(), &self.skip_list) {
            let start = kept.len();
            kept.extend_from_slice(&states[t * self.dimension..(t + 1) * self.dimension]);
            if self.normalize {
                l2_normalize(&mut kept[start..]);
            }
        }
        kept
    }

    fn probe_dimension(&self) -> Result<usize, EngineError> {
        let encoding = self.encode("a", TextRole::Document)?;
        let (_, output) = self.text.run(&[&encoding], encoding.ids.len(), None)?;
        match output.shape() {
            [_, _, d] => Ok((*d).max(0) as usize),
            shape => Err(EngineError::invalid_model(format!(
                "output '{}' has no token dimension ({shape:?})",
                self.text.output()
            ))),
        }
    }
}

/// Refuses marker settings on a model whose markers are off: they would silently do nothing.
fn refuse_marker_settings(options: &ModelOptions) -> Result<(), EngineError> {
    let set = [
        ("query_marker_id", options.query_marker_id.is_some()),
        ("document_marker_id", options.document_marker_id.is_some()),
        ("query_marker_token", options.query_marker_token.is_some()),
        ("document_marker_token", options.document_marker_token.is_some()),
    ];
    match set.iter().find(|(_, is_set)| *is_set) {
        Some((name, _)) => Err(EngineError::invalid_argument(format!(
            "{name} is set but markers are off (\"markers\": false)"
        ))),
        None => Ok(()),
    }
}

/// Puts `marker` right after the first token ([CLS]), attended, as fastembed inserts it into `input_ids`.
fn insert_marker(encoding: &mut Encoding, marker: u32, token: String) {
    let at = encoding.ids.len().min(1);
    encoding.ids.insert(at, marker);
    encoding.attention_mask.insert(at, 1);
    encoding.type_ids.insert(at, 0);
    encoding.special_tokens_mask.insert(at, 1);
    encoding.offsets.insert(at, (0, 0));
    encoding.tokens.insert(at, token);
}

/// Pads a query up to `length` tokens with the mask token, with the given attention (0 like the tokenizer's
/// padding for ColBERT v2; 1 for jina-colbert-v2, whose queries fastembed attends in full).
fn pad_with_masks(encoding: &mut Encoding, length: usize, mask_id: u32, token: String, attention: u32) {
    if encoding.ids.len() >= length {
        return;
    }
    encoding.ids.resize(length, mask_id);
    encoding.attention_mask.resize(length, attention);
    encoding.type_ids.resize(length, 0);
    encoding.special_tokens_mask.resize(length, 1);
    encoding.offsets.resize(length, (0, 0));
    encoding.tokens.resize(length, token);
}

/// The positions whose vectors a text keeps: every one of a query, the attended non-punctuation,
/// non-padding ones of a document.
fn kept_positions<'a>(
    role: TextRole,
    encoding: &'a Encoding,
    pad_id: u32,
    skip_list: &'a HashSet<u32>,
) -> impl Iterator<Item = usize> + 'a {
    encoding
        .ids
        .iter()
        .zip(&encoding.attention_mask)
        .enumerate()
        .filter_map(move |(t, (&id, &mask))| {
            let keep = match role {
                TextRole::Query => true,
                TextRole::Document => mask != 0 && id != pad_id && !skip_list.contains(&id),
            };
            keep.then_some(t)
        })
}

/// Truncates one token earlier than the model's maximum, leaving room for the marker.
fn marker_room(tokenizer: Tokenizer) -> Result<Tokenizer, EngineError> {
    let Some(truncation) = tokenizer.truncation().cloned() else {
        return Ok(tokenizer);
    };
    if truncation.max_length < 3 {
        return Err(EngineError::invalid_argument(format!(
            "max_length {} leaves no room for [CLS], the marker and [SEP]",
            truncation.max_length
        )));
    }
    Ok(tokenizer.with_truncation(Some(TruncationParams {
        max_length: truncation.max_length - 1,
        ..truncation
    })))
}

/// The first token of each punctuation character encoded alone, as fastembed builds its skip list.
fn punctuation_ids(tokenizer: &Tokenizer) -> Result<HashSet<u32>, EngineError> {
    let mut ids = HashSet::new();
    for symbol in PUNCTUATION.chars() {
        let encoding = tokenizer.encode(symbol.encode_utf8(&mut [0; 4]), false)?;
        if let Some(&id) = encoding.ids.first() {
            ids.insert(id);
        }
    }
    Ok(ids)
}

/// The configured output, else the model's first (fastembed reads `outputs[0]`); it must be float32 or float16
/// `[batch, tokens, dim]` (ColPali's fp16 export). Shared by the text and the image late-interaction models.
pub(crate) fn select_output(session: &Session, configured: Option<&str>) -> Result<String, EngineError> {
    let outputs = session.outputs();
    let names: Vec<&str> = outputs.iter().map(|o| o.name.as_str()).collect();
    let output = match configured {
        Some(name) => outputs.iter().find(|o| o.name == name).ok_or_else(|| {
            EngineError::invalid_model(format!("the model has no output '{name}' (it declares {names:?})"))
        })?,
        None => outputs
            .first()
            .ok_or_else(|| EngineError::invalid_model("the model declares no outputs"))?,
    };
    let float = matches!(output.element_type, ElementType::Float32 | ElementType::Float16);
    if !float || output.shape.len() != 3 {
        return Err(EngineError::invalid_model(format!(
            "output '{}' is {:?} of shape {:?}; token embeddings are float [batch, tokens, dim]",
            output.name, output.element_type, output.shape
        )));
    }
    Ok(output.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_is_pythons_string_punctuation() {
        assert_eq!(PUNCTUATION.len(), 32);
        assert!(PUNCTUATION.chars().all(|c| c.is_ascii_punctuation()));
        assert_eq!((b'!'..=b'~').filter(|b| b.is_ascii_punctuation()).count(), 32);
    }

    fn encoding(ids: &[u32]) -> Encoding {
        Encoding {
            ids: ids.to_vec(),
            type_ids: vec![0; ids.len()],
            attention_mask: vec![1; ids.len()],
            special_tokens_mask: vec![0; ids.len()],
            offsets: vec![(0, 0); ids.len()],
            tokens: ids.iter().map(|id| format!("t{id}")).collect(),
        }
    }

    #[test]
    fn the_marker_goes_right_after_cls_and_is_attended() {
        // [CLS]=101 hello=7592 [SEP]=102, document marker 2
        let mut e = encoding(&[101, 7592, 102]);
        insert_marker(&mut e, 2, "[unused1]".into());
        assert_eq!(e.ids, [101, 2, 7592, 102]);
        assert_eq!(e.attention_mask, [1, 1, 1, 1]);
        assert_eq!(e.type_ids, [0, 0, 0, 0]);
        assert_eq!(e.tokens[1], "[unused1]");
    }

    #[test]
    fn queries_are_padded_with_unattended_masks_up_to_the_length() {
        let mut e = encoding(&[101, 1, 2054, 102]);
        pad_with_masks(&mut e, 8, 103, "[MASK]".into(), 0);
        assert_eq!(e.ids, [101, 1, 2054, 102, 103, 103, 103, 103]);
        assert_eq!(e.attention_mask, [1, 1, 1, 1, 0, 0, 0, 0]);
        assert_eq!(e.tokens.len(), 8);

        let mut long = encoding(&[101, 1, 5, 6, 7, 102]);
        pad_with_masks(&mut long, 4, 103, "[MASK]".into(), 0);

        let mut attended = encoding(&[101, 1, 2054, 102]);
        pad_with_masks(&mut attended, 6, 250001, "<mask>".into(), 1);
        assert_eq!(attended.ids, [101, 1, 2054, 102, 250001, 250001]);
        assert_eq!(
            attended.attention_mask, [1; 6],
            "jina-colbert-v2 attends its mask padding"
        );
        assert_eq!(long.ids, [101, 1, 5, 6, 7, 102], "longer queries are left alone");
    }

    #[test]
    fn documents_keep_attended_tokens_that_are_not_punctuation_or_padding() {
        // [CLS] marker hello , world ! [SEP] [PAD] [PAD]  (',' = 1010, '!' = 999)
        let mut e = encoding(&[101, 2, 7592, 1010, 2088, 999, 102, 0, 0]);
        e.attention_mask[7] = 0;
        e.attention_mask[8] = 0;
        let skip: HashSet<u32> = [1010, 999].into_iter().collect();
        let kept: Vec<usize> = kept_positions(TextRole::Document, &e, 0, &skip).collect();
        assert_eq!(kept, [0, 1, 2, 4, 6]);
        let all: Vec<usize> = kept_positions(TextRole::Query, &e, 0, &skip).collect();
        assert_eq!(
            all,
            (0..9).collect::<Vec<_>>(),
            "queries keep every token, [MASK] padding included"
        );
    }

    #[test]
    fn without_skip_list_queries_and_documents_keep_the_same_attended_tokens() {
        // token embeddings: no marker, no expansion, no skip list; per-text encodings carry no batch padding
        let e = encoding(&[101, 7592, 1010, 2088, 999, 102]);
        let none = HashSet::new();
        let documents: Vec<usize> = kept_positions(TextRole::Document, &e, 0, &none).collect();
        let queries: Vec<usize> = kept_positions(TextRole::Query, &e, 0, &none).collect();
        assert_eq!(documents, (0..6).collect::<Vec<_>>(), "punctuation kept");
        assert_eq!(queries, documents);
    }

    #[test]
    fn marker_settings_are_refused_when_markers_are_off() {
        let mut options = ModelOptions {
            markers: Some(false),
            ..ModelOptions::default()
        };
        assert!(refuse_marker_settings(&options).is_ok());
        options.document_marker_id = Some(2);
        let error = refuse_marker_settings(&options).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::InvalidArgument);
        assert!(error.to_string().contains("document_marker_id"), "{error}");
        assert!(error.to_string().contains("markers are off"), "{error}");
    }

    #[test]
    fn token_embeddings_slice_per_text() {
        let embeddings = TokenEmbeddings {
            dimension: 2,
            offsets: vec![0, 2, 2, 3],
            data: vec![1., 2., 3., 4., 5., 6.],
        };
        assert_eq!(embeddings.len(), 3);
        assert_eq!(embeddings.text(0), &[1., 2., 3., 4.]);
        assert_eq!(embeddings.tokens(1), 0);
        assert_eq!(embeddings.text(2), &[5., 6.]);
    }
}
