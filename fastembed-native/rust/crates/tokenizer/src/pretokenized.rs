//! The text of one input sequence as a list of pieces ("splits"). Pre-tokenizers cut pieces
//! further; the model turns each remaining piece into tokens. Pieces already recognised as
//! added tokens carry their token and are left alone by later stages.

use crate::error::Result;
use crate::normalized::NormalizedString;

#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub id: u32,
    pub value: String,
    /// Byte range inside the piece's normalized text.
    pub offsets: (usize, usize),
}

#[derive(Clone, Debug)]
pub(crate) struct Split {
    pub normalized: NormalizedString,
    pub tokens: Option<Vec<Token>>,
}

impl Split {
    pub fn plain(normalized: NormalizedString) -> Self {
        Split {
            normalized,
            tokens: None,
        }
    }
}

pub(crate) struct PreTokenized {
    pub splits: Vec<Split>,
}

impl PreTokenized {
    #[cfg(test)]
    pub fn new(text: &str) -> Self {
        Self::at(text, 0)
    }

    /// A text that starts at byte `base` of the caller's input.
    pub fn at(text: &str, base: usize) -> Self {
        PreTokenized {
            splits: vec![Split::plain(NormalizedString::new(text, base))],
        }
    }

    /// Replaces every piece without tokens by the pieces `f` makes of it; empty pieces vanish.
    pub fn split<F>(&mut self, mut f: F) -> Result<()>
    where
        F: FnMut(NormalizedString) -> Result<Vec<Split>>,
    {
        let mut out = Vec::with_capacity(self.splits.len());
        for split in self.splits.drain(..) {
            if split.tokens.is_some() {
                out.push(split);
                continue;
            }
            out.extend(f(split.normalized)?.into_iter().filter(|s| !s.normalized.is_empty()));
        }
        self.splits = out;
        Ok(())
    }

    /// Splits every piece without tokens into the given normalized byte ranges.
    pub fn split_ranges<F>(&mut self, mut f: F) -> Result<()>
    where
        F: FnMut(&NormalizedString) -> Result<Vec<(usize, usize)>>,
    {
        self.split(|n| Ok(f(&n)?.into_iter().map(|(s, e)| Split::plain(n.slice(s, e))).collect()))
    }

    /// Rewrites every piece without tokens in place.
    pub fn normalize<F>(&mut self, mut f: F) -> Result<()>
    where
        F: FnMut(&mut NormalizedString) -> Result<()>,
    {
        for split in self.splits.iter_mut().filter(|s| s.tokens.is_none()) {
            f(&mut split.normalized)?;
        }
        Ok(())
    }
}
