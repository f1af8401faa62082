//! Inference-free SPLADE (fastembed's `IfSplade`, e.g. opensearch-neural-sparse-encoding-doc-v3-gte):
//! documents go through the model, queries do not.
//!
//! A document's weight for vocabulary entry `v` is `ln(1 + ln(1 + relu(max_t logits[t, v])))` over its
//! unmasked tokens (the v3 models' double-log activation), special tokens left out. A query is tokenized
//! only: each distinct non-special token id gets the weight the model's `idf.json` gives its token. The
//! ONNX session is opened on the first document call, so a model used for queries never loads it.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex};

use super::splade::SpladeModel;
use super::SparseVector;
use crate::error::EngineError;
use crate::options::ModelOptions;
use crate::session::open_session;
use crate::text::load_tokenizer;
use fastembed_tokenizer::Tokenizer;

pub struct IfSpladeModel {
    tokenizer: Tokenizer,
    special_ids: HashSet<u32>,
    idf: HashMap<u32, f32>,
    options: ModelOptions,
    documents: Mutex<Option<Arc<SpladeModel>>>,
}

impl IfSpladeModel {
    /// Loads the tokenizer and the IDF table; the model file is only checked to exist.
    pub fn new(options: &ModelOptions) -> Result<IfSpladeModel, EngineError> {
        options.require_model_file()?;
        let idf_file = options
            .optional_file(&options.idf_file, "idf_file")?
            .ok_or_else(|| EngineError::invalid_argument("idf_file is required for an inference-free SPLADE model"))?;
        let tokenizer = load_tokenizer(options)?;
        let special_ids = special_token_ids(&tokenizer);
        let idf = read_idf(&idf_file, &tokenizer)?;
        Ok(IfSpladeModel {
            tokenizer,
            special_ids,
            idf,
            options: options.clone(),
            documents: Mutex::new(None),
        })
    }

    /// Whether the ONNX model has been loaded (by a document call).
    pub fn is_model_loaded(&self) -> bool {
        self.documents.lock().unwrap_or_else(|e| e.into_inner()).is_some()
    }

    /// Query vectors: the IDF of each distinct non-special token, no inference.
    pub fn embed_queries(&self, texts: &[&str]) -> Result<Vec<SparseVector>, EngineError> {
        texts
            .iter()
            .map(|text| {
                let encoding = self.tokenizer.encode(text, true)?;
                let weights: BTreeMap<u32, f32> = encoding
                    .ids
                    .iter()
                    .filter(|id| !self.special_ids.contains(id))
                    .filter_map(|id| self.idf.get(id).map(|&w| (*id, w)))
                    .collect();
                Ok(SparseVector {
                    indices: weights.keys().copied().collect(),
                    values: weights.values().copied().collect(),
                })
            })
            .collect()
    }

    /// Stops the runs under way on the document model, if it is loaded.
    pub fn cancel_runs(&self) {
        if let Some(model) = self.documents.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
            model.cancel_runs();
        }
    }

    /// How the model's ONNX Runtime session was set up (execution provider, optimized graph); None before a
    /// lazily loaded model is loaded, or without a model.
    pub fn session_info(&self) -> Option<crate::session::SessionInfo> {
        self.documents
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .and_then(|model| model.session_info())
    }

    /// Document vectors through the model (loaded now if not yet).
    pub fn embed_documents(&self, texts: &[&str]) -> Result<Vec<SparseVector>, EngineError> {
        let model = self.document_model()?;
        let pooled = model.embed(texts)?;
        Ok(pooled.into_iter().map(|v| double_log(v, &self.special_ids)).collect())
    }

    fn document_model(&self) -> Result<Arc<SpladeModel>, EngineError> {
        let mut slot = self.documents.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(model) = slot.as_ref() {
            return Ok(model.clone());
        }
        let session = open_session(self.options.require_model_file()?, &self.options)?;
        let output = super::output_for(
            &session,
            super::SparseAlgorithm::Splade,
            self.options.output_name.as_deref(),
        )?;
        let model = Arc::new(SpladeModel::new(
            session,
            load_tokenizer(&self.options)?,
            output,
            &self.options,
        )?);
        *slot = Some(model.clone());
        Ok(model)
    }
}

/// From SPLADE's `ln(1 + relu(max))` to the v3 weight `ln(1 + ln(1 + relu(max)))`, without special tokens.
pub fn double_log(vector: SparseVector, special_ids: &HashSet<u32>) -> SparseVector {
    let mut out = SparseVector::default();
    for (&index, &w) in vector.indices.iter().zip(&vector.values) {
        let weight = (1.0f32 + w).ln();
        if !special_ids.contains(&index) && weight > 0.0 && weight.is_finite() {
            out.indices.push(index);
            out.values.push(weight);
        }
    }
    out
}

/// The ids of the tokenizer's special tokens ([CLS], [SEP], [PAD], ...).
fn special_token_ids(tokenizer: &Tokenizer) -> HashSet<u32> {
    (0..tokenizer.vocab_size() as u32)
        .filter(|&id| {
            tokenizer
                .id_to_token(id)
                .is_some_and(|t| tokenizer.is_special_token(&t))
        })
        .collect()
}

/// `idf.json`: `{"token": idf, ...}`, keyed here by token id; tokens the vocabulary lacks are ignored,
/// as fastembed does, and so are weights that are not positive (they add nothing to a dot product, and
/// sparse vectors hold positive values only).
fn read_idf(path: &Path, tokenizer: &Tokenizer) -> Result<HashMap<u32, f32>, EngineError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| EngineError::new(crate::ErrorKind::Io, format!("cannot read {}: {e}", path.display())))?;
    let table: HashMap<String, f64> = serde_json::from_str(&text).map_err(|e| {
        EngineError::invalid_model(format!(
            "{} is not an IDF table {{\"token\": number}}: {e}",
            path.display()
        ))
    })?;
    Ok(table
        .into_iter()
        .filter(|(_, idf)| *idf > 0.0 && idf.is_finite())
        .filter_map(|(token, idf)| tokenizer.token_to_id(&token).map(|id| (id, idf as f32)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_log_applies_log_one_plus_once_more_and_drops_special_tokens() {
        let logits = [3.0f32, 0.5, 7.0];
        let splade = SparseVector {
            indices: vec![1, 5, 101],
            values: logits.iter().map(|x| (1.0f32 + x).ln()).collect(),
        };
        let v = double_log(splade, &[101].into_iter().collect());
        assert_eq!(v.indices, [1, 5]);
        for (w, x) in v.values.iter().zip(logits) {
            let expected = f64::from(x).ln_1p().ln_1p();
            assert!((f64::from(*w) - expected).abs() < 1e-6, "{w} vs {expected}");
        }
    }
}
