//! Metaspace (SentencePiece style): spaces become `▁`, a `▁` is prepended to words as the
//! prepend scheme says, and the text is split before each `▁`.

use crate::error::Result;
use crate::json::Node;
use crate::normalized::NormalizedString;
use crate::pattern::{apply_behavior, char_matches, SplitBehavior};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PrependScheme {
    Always,
    /// Only for the piece that starts the original text.
    First,
    Never,
}

#[derive(Debug)]
pub(crate) struct Metaspace {
    replacement: char,
    prepend: PrependScheme,
    split: bool,
}

impl Metaspace {
    pub fn from_json(node: &Node) -> Result<Self> {
        let replacement = match node.opt_str("replacement")? {
            None => '▁',
            Some(s) => {
                let mut chars = s.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => c,
                    _ => return Err(node.error("\"replacement\" must be a single character")),
                }
            }
        };
        let scheme = node.opt_str("prepend_scheme")?;
        // Older files say `add_prefix_space`; `false` there wins over any scheme, like in HF.
        let prepend = match (node.opt_bool("add_prefix_space")?, scheme) {
            (Some(false), _) => PrependScheme::Never,
            (_, Some("always")) => PrependScheme::Always,
            (_, Some("first")) => PrependScheme::First,
            (_, Some("never")) => PrependScheme::Never,
            (_, Some(other)) => {
                return Err(node.error(format!(
                    "unknown prepend_scheme \"{other}\" (expected always, first or never)"
                )))
            }
            (_, None) => PrependScheme::Always,
        };
        Ok(Metaspace {
            replacement,
            prepend,
            split: node.bool_or("split", true)?,
        })
    }

    /// Rewrites one piece and returns the byte ranges it splits into.
    pub fn apply(&self, n: &mut NormalizedString) -> Vec<(usize, usize)> {
        let replacement = self.replacement;
        if n.as_str().contains(' ') {
            n.map_chars(|c, out| out.push(if c == ' ' { replacement } else { c }));
        }
        let starts_with_replacement = n.as_str().starts_with(replacement);
        let prepend = match self.prepend {
            PrependScheme::Always => !starts_with_replacement,
            PrependScheme::First => !starts_with_replacement && n.original_start() == 0,
            PrependScheme::Never => false,
        };
        if prepend {
            n.prepend(replacement.encode_utf8(&mut [0; 4]));
        }
        if self.split {
            apply_behavior(
                char_matches(n.as_str(), |c| c == replacement),
                SplitBehavior::MergedWithNext,
            )
        } else {
            vec![(0, n.len())]
        }
    }
}
