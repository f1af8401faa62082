//! SPLADE (e.g. prithivida/Splade_PP_en_v1): a masked-language-model head gives logits over the vocabulary
//! for every token; a text's weight for vocabulary entry `v` is `max_t log(1 + relu(logits[t, v]))` over its
//! unmasked tokens, and the sparse vector keeps the entries with a weight above zero, indexed by token id.

use super::SparseVector;

use crate::error::EngineError;
use crate::options::{ModelOptions, DEFAULT_TOKEN_BUDGET};
use crate::runs::ModelSession;
use crate::session::TextSession;
use crate::tensors::{dimensions, float_data};
use fastembed_tokenizer::Tokenizer;

/// Output names tried in order when none is configured: the MLM head's logits, then fastembed-rs' choice.
pub const PREFERRED_OUTPUTS: [&str; 2] = ["logits", "last_hidden_state"];
/// Floats one run may output unless a token budget is configured: the logits tensor is `tokens x vocab`
/// (30522 for BERT), far larger than the inputs, so it decides the batch size (2^26 floats = 256 MiB).
const OUTPUT_FLOAT_BUDGET: usize = 1 << 26;

pub struct SpladeModel {
    text: TextSession,
    tokenizer: Tokenizer,
    vocab: Option<usize>,
}

impl SpladeModel {
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
        options: &ModelOptions,
    ) -> Result<Self, EngineError> {
        let shape = session.output_shape(&output).expect("selected output exists");
        if shape.len() != 3 {
            return Err(EngineError::invalid_model(format!(
                "SPLADE output '{output}' has rank {}; expected logits [batch, tokens, vocabulary]",
                shape.len()
            )));
        }
        let vocab = usize::try_from(shape[2]).ok().filter(|&v| v > 0);
        let token_budget = options.token_budget.unwrap_or_else(|| {
            let vocab = vocab.unwrap_or_else(|| tokenizer.vocab_size()).max(1);
            (OUTPUT_FLOAT_BUDGET / vocab).clamp(1, DEFAULT_TOKEN_BUDGET)
        });
        Ok(SpladeModel {
            text: TextSession::new(session, output, &tokenizer, options)?.with_token_budget(token_budget),
            tokenizer,
            vocab,
        })
    }

    pub fn embed(&self, texts: &[&str]) -> Result<Vec<SparseVector>, EngineError> {
        let mut vectors = vec![SparseVector::default(); texts.len()];
        let encode = |i: usize| self.tokenizer.encode(texts[i], true).map_err(EngineError::from);
        self.text
            .for_each_run(texts.len(), encode, None, |batch, _, tokens, output| {
                let expected = [Some(tokens.rows), Some(tokens.seq), self.vocab];
                let dims = dimensions(self.text.output(), output.shape(), &expected)?;
                let logits = float_data(output)?;
                let (seq, vocab) = (dims[1], dims[2]);
                for (row, &index) in batch.indices.iter().enumerate() {
                    let row_logits = &logits[row * seq * vocab..(row + 1) * seq * vocab];
                    vectors[index] = pool(row_logits, vocab, &tokens.attention_mask[row * seq..(row + 1) * seq]);
                }
                Ok(())
            })?;
        Ok(vectors)
    }
}

/// One text's sparse vector from its logits `[tokens, vocab]` (row-major) and attention mask.
///
/// `log(1 + relu(x))` rises with `x`, so the maximum is taken over the raw logits first and transformed once;
/// masked tokens count as weight 0, as fastembed multiplies by the mask before taking the maximum. The
/// transform is `ln(1 + x)` in f32, as fastembed computes it.
pub fn pool(logits: &[f32], vocab: usize, mask: &[i64]) -> SparseVector {
    let mut best = vec![0.0f32; vocab];
    for (t, &m) in mask.iter().enumerate() {
        if m == 0 {
            continue;
        }
        for (b, &x) in best.iter_mut().zip(&logits[t * vocab..(t + 1) * vocab]) {
            // `>` keeps the current value for NaN, which then never enters the vector.
            if x > *b {
                *b = x;
            }
        }
    }
    let mut vector = SparseVector::default();
    for (index, &x) in best.iter().enumerate() {
        let weight = (1.0f32 + x).ln();
        if weight > 0.0 && weight.is_finite() {
            vector.indices.push(index as u32);
            vector.values.push(weight);
        }
    }
    vector
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The formula as written: log(1 + relu(x)) * mask, then the maximum over tokens.
    fn by_definition(logits: &[f32], vocab: usize, mask: &[i64]) -> Vec<f32> {
        (0..vocab)
            .map(|v| {
                mask.iter()
                    .enumerate()
                    .map(|(t, &m)| (1.0f32 + logits[t * vocab + v].max(0.0)).ln() * m as f32)
                    .fold(0.0f32, f32::max)
            })
            .collect()
    }

    #[test]
    fn weights_are_the_masked_maximum_of_log_one_plus_relu() {
        let vocab = 4;
        let logits = [
            0.5, -2.0, 3.0, 0.0, //
            1.5, -1.0, 0.25, 0.0, //
            9.0, 9.0, 9.0, 9.0, // padding: must not count
        ];
        let mask = [1, 1, 0];
        let v = pool(&logits, vocab, &mask);
        assert_eq!(v.indices, [0, 2]);
        assert_eq!(v.values, [(1.0f32 + 1.5).ln(), (1.0f32 + 3.0).ln()]);
        let expected = by_definition(&logits, vocab, &mask);
        for (&i, &w) in v.indices.iter().zip(&v.values) {
            assert_eq!(w, expected[i as usize]);
        }
    }

    #[test]
    fn entries_never_positive_are_left_out_and_indices_ascend() {
        let vocab = 6;
        let logits = [-1.0, 2.0, 0.0, -0.0, 1e-3, f32::NAN];
        let v = pool(&logits, vocab, &[1]);
        assert_eq!(v.indices, [1, 4]);
        assert!(v.values.iter().all(|&w| w > 0.0));
    }

    #[test]
    fn a_fully_masked_text_gives_an_empty_vector() {
        assert!(pool(&[5.0, 6.0], 2, &[0]).is_empty());
    }
}
