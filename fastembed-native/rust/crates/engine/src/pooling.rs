//! Turning per-token hidden states into one vector per text.

use crate::error::EngineError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pooling {
    /// First token's state ([CLS]).
    Cls,
    /// Mean over tokens, weighted by the attention mask.
    Mean,
    /// The state of the last real token (decoder embedders such as Qwen3-Embedding, whose causal attention
    /// leaves the whole text in that one position).
    LastToken,
    /// The output is already one vector per text.
    None,
}

impl Pooling {
    pub fn parse(name: &str) -> Result<Pooling, EngineError> {
        match name.to_ascii_lowercase().as_str() {
            "cls" => Ok(Pooling::Cls),
            "mean" => Ok(Pooling::Mean),
            "last_token" => Ok(Pooling::LastToken),
            "none" => Ok(Pooling::None),
            other => Err(EngineError::invalid_argument(format!(
                "unknown pooling '{other}' (expected cls, mean, last_token or none)"
            ))),
        }
    }
}

/// Pools row `row` of a `[batch, seq, hidden]` tensor into `out` (length `hidden`).
pub fn pool_tokens(
    pooling: Pooling,
    states: &[f32],
    seq: usize,
    hidden: usize,
    row: usize,
    mask: &[i64],
    out: &mut [f32],
) {
    let base = row * seq * hidden;
    match pooling {
        Pooling::Cls | Pooling::None => out.copy_from_slice(&states[base..base + hidden]),
        Pooling::LastToken => match (0..seq).rev().find(|&t| mask[row * seq + t] != 0) {
            Some(t) => out.copy_from_slice(&states[base + t * hidden..base + (t + 1) * hidden]),
            None => out.fill(0.0),
        },
        Pooling::Mean => {
            out.fill(0.0);
            let mut count = 0.0f32;
            for t in 0..seq {
                if mask[row * seq + t] == 0 {
                    continue;
                }
                count += 1.0;
                let token = &states[base + t * hidden..base + (t + 1) * hidden];
                for (o, v) in out.iter_mut().zip(token) {
                    *o += v;
                }
            }
            // A text with no unmasked token keeps a zero vector rather than dividing by zero.
            let scale = 1.0 / count.max(1e-9);
            out.iter_mut().for_each(|o| *o *= scale);
        }
    }
}

/// Scales `v` to unit length; a zero vector stays zero.
pub fn l2_normalize(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    let scale = 1.0 / norm.max(1e-12);
    v.iter_mut().for_each(|x| *x *= scale);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_pooling_ignores_masked_tokens() {
        // one row, three tokens, hidden 2; the third token is padding
        let states = [1.0, 2.0, 3.0, 4.0, 100.0, 100.0];
        let mut out = [0.0; 2];
        pool_tokens(Pooling::Mean, &states, 3, 2, 0, &[1, 1, 0], &mut out);
        assert_eq!(out, [2.0, 3.0]);
    }

    #[test]
    fn cls_pooling_takes_the_first_token_of_the_row() {
        let states = [9.0, 9.0, 9.0, 9.0, 1.0, 2.0, 3.0, 4.0];
        let mut out = [0.0; 2];
        pool_tokens(Pooling::Cls, &states, 2, 2, 1, &[1, 1, 1, 1], &mut out);
        assert_eq!(out, [1.0, 2.0]);
    }

    #[test]
    fn last_token_pooling_takes_the_last_unmasked_token_on_either_padding_side() {
        // two rows, three tokens, hidden 1: row 0 padded on the right, row 1 on the left
        let states = [1.0, 2.0, 9.0, 9.0, 5.0, 6.0];
        let mask = [1, 1, 0, 0, 1, 1];
        let mut out = [0.0; 1];
        pool_tokens(Pooling::LastToken, &states, 3, 1, 0, &mask, &mut out);
        assert_eq!(out, [2.0]);
        pool_tokens(Pooling::LastToken, &states, 3, 1, 1, &mask, &mut out);
        assert_eq!(out, [6.0]);
        pool_tokens(Pooling::LastToken, &states, 3, 1, 0, &[0, 0, 0], &mut out);
        assert_eq!(out, [0.0], "a row without tokens stays zero");
    }

    #[test]
    fn normalized_vectors_have_unit_length() {
        let mut v = [3.0, 4.0];
        l2_normalize(&mut v);
        assert_eq!(v, [0.6, 0.8]);
        let mut zero = [0.0, 0.0];
        l2_normalize(&mut zero);
        assert_eq!(zero, [0.0, 0.0]);
    }

    #[test]
    fn unknown_pooling_names_the_choices() {
        let err = Pooling::parse("max").unwrap_err();
        assert!(err.message().contains("cls, mean, last_token or none"));
    }
}
