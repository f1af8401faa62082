//! Truncation of a single encoding or a pair, with HF's rules for sharing the budget.

use crate::encoding::Encoding;
use crate::error::{Result, TokenizerError};
use crate::json::Node;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TruncationStrategy {
    /// Remove tokens from the longer sequence of a pair first.
    LongestFirst,
    OnlyFirst,
    OnlySecond,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TruncationDirection {
    /// Drop tokens at the end.
    Right,
    /// Drop tokens at the start.
    Left,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TruncationParams {
    /// Maximum length including the special tokens the post-processor adds.
    pub max_length: usize,
    pub strategy: TruncationStrategy,
    pub direction: TruncationDirection,
    /// Overlap of overflowing pieces in HF; overflowing pieces are not produced here, so it
    /// has no effect on the result.
    pub stride: usize,
}

impl Default for TruncationParams {
    fn default() -> Self {
        TruncationParams {
            max_length: 512,
            strategy: TruncationStrategy::LongestFirst,
            direction: TruncationDirection::Right,
            stride: 0,
        }
    }
}

impl TruncationParams {
    pub(crate) fn from_json(node: &Node) -> Result<Self> {
        let strategy = match node.opt_str("strategy")?.unwrap_or("LongestFirst") {
            "LongestFirst" => TruncationStrategy::LongestFirst,
            "OnlyFirst" => TruncationStrategy::OnlyFirst,
            "OnlySecond" => TruncationStrategy::OnlySecond,
            other => return Err(node.error(format!("unknown truncation strategy \"{other}\""))),
        };
        let direction = match node.opt_str("direction")?.unwrap_or("Right") {
            "Right" => TruncationDirection::Right,
            "Left" => TruncationDirection::Left,
            other => return Err(node.error(format!("unknown truncation direction \"{other}\""))),
        };
        Ok(TruncationParams {
            max_length: node.require("max_length")?.as_usize()?,
            strategy,
            direction,
            stride: node.opt_usize("stride")?.unwrap_or(0),
        })
    }
}

/// Truncates `first` (and `second`) so that together they have at most `max_length` tokens.
pub(crate) fn truncate(
    first: &mut Encoding,
    second: Option<&mut Encoding>,
    max_length: usize,
    params: &TruncationParams,
) -> Result<()> {
    let direction = params.direction;
    let total = first.len() + second.as_ref().map_or(0, |e| e.len());
    if max_length == 0 {
        first.truncate(0, direction);
        if let Some(s) = second {
            s.truncate(0, direction);
        }
        return Ok(());
    }
    if total <= max_length {
        return Ok(());
    }
    let to_remove = total - max_length;
    match params.strategy {
        TruncationStrategy::LongestFirst => match second {
            None => first.truncate(max_length, direction),
            Some(second) => {
                let (mut n1, mut n2) = (first.len(), second.len());
                let swapped = n1 > n2;
                if swapped {
                    std::mem::swap(&mut n1, &mut n2);
                }
                // n1 is the shorter one: keep it whole if the longer one can absorb the cut.
                n2 = if n1 > max_length { n1 } else { (max_length - n1).max(n1) };
                if n1 + n2 > max_length {
                    n1 = max_length / 2;
                    n2 = n1 + max_length % 2;
                }
                if swapped {
                    std::mem::swap(&mut n1, &mut n2);
                }
                first.truncate(n1, direction);
                second.truncate(n2, direction);
            }
        },
        TruncationStrategy::OnlyFirst | TruncationStrategy::OnlySecond => {
            let target = if params.strategy == TruncationStrategy::OnlyFirst {
                first
            } else {
                match second {
                    Some(second) => second,
                    None => return Err(TruncationError("strategy OnlySecond needs a pair of sequences".into()).into()),
                }
            };
            if target.len() > to_remove {
                let keep = target.len() - to_remove;
                target.truncate(keep, direction);
            } else {
                return Err(TruncationError(format!(
                    "the sequence to truncate has {} tokens but {} must be removed to reach max_length",
                    target.len(),
                    to_remove
                ))
                .into());
            }
        }
    }
    Ok(())
}

struct TruncationError(String);

impl From<TruncationError> for TokenizerError {
    fn from(e: TruncationError) -> Self {
        TokenizerError::Truncation(e.0)
    }
}
