//! ByteLevel (GPT-2): optionally prefix a space, optionally split with GPT-2's regex, then
//! spell every UTF-8 byte as one printable char so the BPE vocabulary covers any input.

use crate::byte_level::BYTE_TO_CHAR;
use crate::error::Result;
use crate::json::Node;
use crate::normalized::NormalizedString;
use crate::pattern::{apply_behavior, regex_matches, Regex, SplitBehavior};
use crate::pretokenized::{PreTokenized, Split};

const GPT2_PATTERN: &str = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

#[derive(Debug)]
pub(crate) struct ByteLevel {
    add_prefix_space: bool,
    /// GPT-2's word regex, when `use_regex` is on.
    regex: Option<Regex>,
}

impl ByteLevel {
    pub fn from_json(node: &Node) -> Result<Self> {
        Ok(ByteLevel {
            add_prefix_space: node.bool_or("add_prefix_space", true)?,
            regex: if node.bool_or("use_regex", true)? {
                Some(Regex::new(GPT2_PATTERN, node.path())?)
            } else {
                None
            },
        })
    }

    pub fn pre_tokenize(&self, pre: &mut PreTokenized) -> Result<()> {
        pre.split(|mut n| {
            if self.add_prefix_space && !n.as_str().starts_with(' ') {
                n.prepend(" ");
            }
            let ranges = match &self.regex {
                Some(re) => apply_behavior(regex_matches(n.as_str(), re, false)?, SplitBehavior::Isolated),
                None => vec![(0, n.len())],
            };
            Ok(ranges.into_iter().map(|(s, e)| Split::plain(n.slice(s, e))).collect())
        })?;
        pre.normalize(|n| {
            bytes_to_chars(n);
            Ok(())
        })
    }
}

/// Replaces each byte of the text by its GPT-2 char (also the `ByteLevel` normalizer).
pub(crate) fn bytes_to_chars(n: &mut NormalizedString) {
    n.map_chars(|c, out| {
        let mut buf = [0u8; 4];
        for &b in c.encode_utf8(&mut buf).as_bytes() {
            out.push(BYTE_TO_CHAR[b as usize]);
        }
    });
}
