//! WordPiece: greedy longest-match-first from the left; continuation pieces carry a prefix
//! (`##`). A word that cannot be covered entirely, or is too long, becomes the unknown token.

use crate::error::{Result, TokenizerError};
use crate::json::Node;
use crate::model::vocab::Vocab;
use crate::pretokenized::Token;

#[derive(Debug)]
pub(crate) struct WordPiece {
    pub vocab: Vocab,
    unk_token: String,
    prefix: String,
    max_input_chars_per_word: usize,
}

impl WordPiece {
    pub fn from_json(node: &Node) -> Result<Self> {
        Ok(WordPiece {
            vocab: Vocab::from_json_object(&node.require("vocab")?)?,
            unk_token: node.opt_str("unk_token")?.unwrap_or("[UNK]").to_string(),
            prefix: node.opt_str("continuing_subword_prefix")?.unwrap_or("##").to_string(),
            max_input_chars_per_word: node.opt_usize("max_input_chars_per_word")?.unwrap_or(100),
        })
    }

    fn unk(&self, word: &str) -> Result<Vec<Token>> {
        let id = self.vocab.id(&self.unk_token).ok_or_else(|| {
            TokenizerError::Encode(format!(
                "WordPiece unknown token {:?} is not in the vocabulary",
                self.unk_token
            ))
        })?;
        Ok(vec![Token {
            id,
            value: self.unk_token.clone(),
            offsets: (0, word.len()),
        }])
    }

    pub fn tokenize(&self, word: &str) -> Result<Vec<Token>> {
        if word.chars().count() > self.max_input_chars_per_word {
            return self.unk(word);
        }
        let max_len = self.vocab.max_token_len();
        let mut pieces = Vec::new();
        let mut candidate = String::with_capacity(self.prefix.len() + word.len().min(max_len));
        let mut start = 0;
        while start < word.len() {
            // No vocabulary entry is longer than `max_len` bytes: skip hopeless lookups.
            let mut end = floor_char_boundary(word, (start + max_len).min(word.len()));
            let mut found = None;
            while start < end {
                candidate.clear();
                if start > 0 {
                    candidate.push_str(&self.prefix);
                }
                candidate.push_str(&word[start..end]);
                if let Some(id) = self.vocab.id(&candidate) {
                    found = Some(Token {
                        id,
                        value: candidate.clone(),
                        offsets: (start, end),
                    });
                    break;
                }
                end = floor_char_boundary(word, end - 1);
            }
            match found {
                Some(token) => {
                    pieces.push(token);
                    start = end;
                }
                None => return self.unk(word),
            }
        }
        Ok(pieces)
    }
}

/// The largest char boundary of `s` that is `<= index`.
pub(crate) fn floor_char_boundary(s: &str, mut index: usize) -> usize {
    while !s.is_char_boundary(index) {
        index -= 1;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn model() -> WordPiece {
        let spec = json!({"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
            "max_input_chars_per_word": 5,
            "vocab": {"[UNK]": 0, "un": 1, "##aff": 2, "##able": 3, "u": 4, "é": 5, "##é": 6}});
        WordPiece::from_json(&Node::root(&spec)).unwrap()
    }

    fn ids(m: &WordPiece, w: &str) -> Vec<u32> {
        m.tokenize(w).unwrap().iter().map(|t| t.id).collect()
    }

    #[test]
    fn greedy_longest_match_with_prefix() {
        let m = model();
        assert_eq!(ids(&m, "unaff"), [1, 2]);
        assert_eq!(ids(&m, "éé"), [5, 6]);
    }

    #[test]
    fn uncoverable_or_too_long_word_is_unknown() {
        let m = model();
        assert_eq!(ids(&m, "unx"), [0]);
        assert_eq!(ids(&m, "unaffable"), [0]);
        assert_eq!(m.tokenize("unx").unwrap()[0].offsets, (0, 3));
    }
}
