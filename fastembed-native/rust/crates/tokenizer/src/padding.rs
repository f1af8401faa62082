//! Padding a batch of encodings to a common length.

use crate::encoding::Encoding;
use crate::error::Result;
use crate::json::Node;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaddingStrategy {
    /// Pad to the longest encoding of the batch.
    BatchLongest,
    /// Pad to this length (longer encodings are left as they are).
    Fixed(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaddingDirection {
    Left,
    Right,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaddingParams {
    pub strategy: PaddingStrategy,
    pub direction: PaddingDirection,
    pub pad_id: u32,
    pub pad_type_id: u32,
    pub pad_token: String,
    /// Round the padded length up to a multiple of this.
    pub pad_to_multiple_of: Option<usize>,
}

impl Default for PaddingParams {
    fn default() -> Self {
        PaddingParams {
            strategy: PaddingStrategy::BatchLongest,
            direction: PaddingDirection::Right,
            pad_id: 0,
            pad_type_id: 0,
            pad_token: "[PAD]".to_string(),
            pad_to_multiple_of: None,
        }
    }
}

impl PaddingParams {
    pub(crate) fn from_json(node: &Node) -> Result<Self> {
        let strategy = match node.get("strategy")? {
            None => PaddingStrategy::BatchLongest,
            Some(s) => match s.value.as_str() {
                Some("BatchLongest") => PaddingStrategy::BatchLongest,
                Some(other) => return Err(s.error(format!("unknown padding strategy \"{other}\""))),
                None => PaddingStrategy::Fixed(s.require("Fixed")?.as_usize()?),
            },
        };
        let direction = match node.opt_str("direction")?.unwrap_or("Right") {
            "Right" => PaddingDirection::Right,
            "Left" => PaddingDirection::Left,
            other => return Err(node.error(format!("unknown padding direction \"{other}\""))),
        };
        let defaults = PaddingParams::default();
        Ok(PaddingParams {
            strategy,
            direction,
            pad_id: node
                .get("pad_id")?
                .map(|n| n.as_u32())
                .transpose()?
                .unwrap_or(defaults.pad_id),
            pad_type_id: node
                .get("pad_type_id")?
                .map(|n| n.as_u32())
                .transpose()?
                .unwrap_or(defaults.pad_type_id),
            pad_token: node.opt_str("pad_token")?.map_or(defaults.pad_token, str::to_string),
            pad_to_multiple_of: node.opt_usize("pad_to_multiple_of")?,
        })
    }
}

pub(crate) fn pad(encodings: &mut [Encoding], params: &PaddingParams) {
    if encodings.is_empty() {
        return;
    }
    let mut target = match params.strategy {
        PaddingStrategy::Fixed(n) => n,
        PaddingStrategy::BatchLongest => encodings.iter().map(Encoding::len).max().unwrap_or(0),
    };
    if let Some(multiple) = params.pad_to_multiple_of {
        if multiple > 0 && target % multiple > 0 {
            target += multiple - target % multiple;
        }
    }
    for e in encodings {
        e.pad(target, params);
    }
}
