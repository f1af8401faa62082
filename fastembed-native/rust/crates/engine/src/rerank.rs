//! Cross-encoder reranking (bge-reranker, jina-reranker, ms-marco MiniLM): each (query, document) pair is
//! tokenized with the tokenizer's pair template (`[CLS] q [SEP] d [SEP]`, `<s> q </s></s> d </s>`, ...),
//! truncated longest-first to the model's length, and the model's first logit per pair is its score, as
//! fastembed returns it (raw, or squashed through a sigmoid on request).

use crate::error::EngineError;
use crate::options::ModelOptions;
use crate::session::{open_session, TextSession};
use crate::tensors::{dimensions, float_data};
use crate::text::load_tokenizer;
use fastembed_ort::Session;
use fastembed_tokenizer::Tokenizer;

/// Read when no output is configured and the model has it; otherwise the first output, as fastembed does.
pub const PREFERRED_OUTPUT: &str = "logits";

pub struct CrossEncoder {
    text: TextSession,
    tokenizer: Tokenizer,
}

impl CrossEncoder {
    pub fn new(options: &ModelOptions) -> Result<CrossEncoder, EngineError> {
        let tokenizer = load_tokenizer(options)?;
        let session = open_session(options.require_model_file()?, options)?;
        let output = select_output(&session, options.output_name.as_deref())?;
        let rank = session.output_shape(&output).map_or(0, <[i64]>::len);
        if !(1..=2).contains(&rank) {
            return Err(EngineError::invalid_model(format!(
                "output '{output}' has rank {rank}; a cross-encoder outputs logits [batch, 1] or [batch]"
            )));
        }
        Ok(CrossEncoder {
            text: TextSession::new(session, output, &tokenizer, options)?,
            tokenizer,
        })
    }

    /// The score of each document for `query`, in input order: the model's logit, or its sigmoid.
    pub fn score(&self, query: &str, documents: &[&str], sigmoid: bool) -> Result<Vec<f32>, EngineError> {
        let mut scores = vec![0.0f32; documents.len()];
        // The query is tokenized once per call, not once per document.
        let query = self.tokenizer.encode_first(query, true)?;
        let encode = |i: usize| {
            self.tokenizer
                .encode_pair_with(&query, documents[i], true)
                .map_err(EngineError::from)
        };
        self.text
            .for_each_run(documents.len(), encode, None, |batch, _, tokens, output| {
                let shape = output.shape();
                let columns = if shape.len() == 1 {
                    dimensions(self.text.output(), shape, &[Some(tokens.rows)])?;
                    1
                } else {
                    dimensions(self.text.output(), shape, &[Some(tokens.rows), None])?[1]
                };
                if columns == 0 {
                    return Err(EngineError::invalid_model(format!(
                        "output '{}' has no logits: shape {shape:?}",
                        self.text.output()
                    )));
                }
                let logits = float_data(output)?;
                for (row, &index) in batch.indices.iter().enumerate() {
                    // A model with several classes per pair is read at its first, as fastembed reads every model.
                    let logit = logits[row * columns];
                    scores[index] = if sigmoid { logistic(logit) } else { logit };
                }
                Ok(())
            })?;
        Ok(scores)
    }

    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
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
}

/// `1 / (1 + e^-x)`, written so neither large positive nor large negative logits overflow.
pub fn logistic(x: f32) -> f32 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

fn select_output(session: &Session, configured: Option<&str>) -> Result<String, EngineError> {
    let names: Vec<&str> = session.outputs().iter().map(|o| o.name.as_str()).collect();
    match configured {
        Some(name) if names.contains(&name) => Ok(name.to_string()),
        Some(name) => Err(EngineError::invalid_model(format!(
            "the model has no output '{name}' (it declares {names:?})"
        ))),
        None if names.contains(&PREFERRED_OUTPUT) => Ok(PREFERRED_OUTPUT.to_string()),
        None => names
            .first()
            .map(|n| n.to_string())
            .ok_or_else(|| EngineError::invalid_model("the model declares no outputs")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logistic_matches_its_definition_and_saturates_without_overflow() {
        for x in [-3.0f32, -0.5, 0.0, 0.5, 3.0] {
            let definition = 1.0 / (1.0 + (-x as f64).exp());
            assert!((logistic(x) as f64 - definition).abs() < 1e-7, "{x}");
        }
        assert_eq!(logistic(0.0), 0.5);
        assert_eq!(logistic(1000.0), 1.0);
        assert_eq!(logistic(-1000.0), 0.0);
        assert!(logistic(-1000.0).is_finite());
    }

    #[test]
    fn logistic_keeps_the_order_of_logits() {
        let logits = [-7.5f32, -1.0, 0.25, 0.3, 12.0];
        let squashed: Vec<f32> = logits.iter().map(|&x| logistic(x)).collect();
        assert!(squashed.windows(2).all(|w| w[0] < w[1]), "{squashed:?}");
    }
}
