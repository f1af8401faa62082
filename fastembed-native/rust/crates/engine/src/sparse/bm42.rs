//! BM42 (Qdrant/bm42-all-minilm-l6-v2-attentions) over ONNX Runtime: documents are weighted by the attention
//! `[CLS]` pays to each word in one attention layer of MiniLM (`attention_6`, `[batch, heads, tokens,
//! tokens]`); queries need no model run, each word weighing 1.0. The word rebuilding, stopwords, stemming
//! and rescoring are fastembed-bm25's BM42 helpers.

use super::SparseVector;
use crate::error::EngineError;
use crate::options::{ModelOptions, DEFAULT_TOKEN_BUDGET};
use crate::runs::ModelSession;
use crate::session::TextSession;
use crate::tensors::{dimensions, float_data};
use fastembed_bm25::{bm42_document_weights, bm42_pool_attention, bm42_query, Bm25, Bm42Config};
use fastembed_tokenizer::{Encoding, Tokenizer};

/// The layer fastembed reads (the last of MiniLM-L6's six).
pub const DEFAULT_OUTPUT: &str = "attention_6";
/// Floats one run may output unless a token budget is configured: the attention tensor grows with the square
/// of the length, `rows x heads x length^2`, so the budget of `rows x length` is divided by `heads x max_length`.
const OUTPUT_FLOAT_BUDGET: usize = 1 << 26;
/// Heads assumed when the model leaves the number symbolic (MiniLM has 12).
const ASSUMED_HEADS: usize = 12;

pub struct Bm42Model {
    text: TextSession,
    tokenizer: Tokenizer,
    heads: Option<usize>,
    // Boxed: keeps BM42 near SPLADE's size in the engine's model enum.
    bm25: Box<Bm25>,
    config: Bm42Config,
}

impl Bm42Model {
    pub fn cancel_runs(&self) {
        self.text.cancel_runs();
    }

    /// How the model's ONNX Runtime session was set up (execution provider, optimized graph); None before a
    /// lazily loaded model is loaded, or without a model.
    pub fn session_info(&self) -> Option<crate::session::SessionInfo> {
        Some(self.text.info().clone())
    }

    pub fn new(
        session: ModelSession,
        tokenizer: Tokenizer,
        output: String,
        bm25: Bm25,
        options: &ModelOptions,
    ) -> Result<Self, EngineError> {
        let shape = session.output_shape(&output).expect("selected output exists");
        if shape.len() != 4 {
            return Err(EngineError::invalid_model(format!(
                "BM42 output '{output}' has rank {}; expected attention [batch, heads, tokens, tokens]",
                shape.len()
            )));
        }
        let heads = usize::try_from(shape[1]).ok().filter(|&h| h > 0);
        let config = Bm42Config {
            alpha: options.alpha.unwrap_or(Bm42Config::default().alpha),
            ..Bm42Config::default()
        };
        if !(config.alpha.is_finite() && config.alpha >= 0.0) {
            return Err(EngineError::invalid_argument(format!(
                "alpha must be finite and >= 0, got {}",
                config.alpha
            )));
        }
        let token_budget = options.token_budget.unwrap_or_else(|| {
            let per_token = heads.unwrap_or(ASSUMED_HEADS) * options.max_length();
            (OUTPUT_FLOAT_BUDGET / per_token.max(1)).clamp(1, DEFAULT_TOKEN_BUDGET)
        });
        Ok(Bm42Model {
            text: TextSession::new(session, output, &tokenizer, options)?.with_token_budget(token_budget),
            tokenizer,
            heads,
            bm25: Box::new(bm25),
            config,
        })
    }

    pub fn embed_documents(&self, texts: &[&str]) -> Result<Vec<SparseVector>, EngineError> {
        let mut vectors = vec![SparseVector::default(); texts.len()];
        let encode = |i: usize| self.tokenizer.encode(texts[i], true).map_err(EngineError::from);
        self.text
            .for_each_run(texts.len(), encode, None, |batch, rows, tokens, output| {
                let expected = [Some(tokens.rows), self.heads, Some(tokens.seq), Some(tokens.seq)];
                let dims = dimensions(self.text.output(), output.shape(), &expected)?;
                let attention = float_data(output)?;
                let (heads, seq) = (dims[1], dims[2]);
                let per_row = heads * seq * seq;
                for (row, (&index, encoding)) in batch.indices.iter().zip(rows).enumerate() {
                    let mask = &tokens.attention_mask[row * seq..(row + 1) * seq];
                    let pooled = bm42_pool_attention(&attention[row * per_row..(row + 1) * per_row], heads, seq, mask)
                        .map_err(|e| EngineError::invalid_model(e.to_string()))?;
                    // Padding is not part of the text: only the encoding's own tokens are weighed.
                    let n = encoding.ids.len().min(seq);
                    vectors[index] =
                        bm42_document_weights(&token_strings(encoding)[..n], &pooled[..n], &self.bm25, &self.config)
                            .map_err(|e| EngineError::invalid_model(e.to_string()))?;
                }
                Ok(())
            })?;
        Ok(vectors)
    }

    /// As fastembed: the query's words (rebuilt, filtered, stemmed like documents) weigh 1.0 each.
    pub fn embed_queries(&self, texts: &[&str]) -> Result<Vec<SparseVector>, EngineError> {
        texts
            .iter()
            .map(|text| {
                let encoding = self.tokenizer.encode(text, true)?;
                Ok(bm42_query(&token_strings(&encoding), &self.bm25, &self.config))
            })
            .collect()
    }
}

fn token_strings(encoding: &Encoding) -> Vec<&str> {
    encoding.tokens.iter().map(String::as_str).collect()
}
