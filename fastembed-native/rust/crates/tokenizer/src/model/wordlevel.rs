//! WordLevel: each word is one vocabulary entry, or the unknown token.

use crate::error::{Result, TokenizerError};
use crate::json::Node;
use crate::model::vocab::Vocab;
use crate::pretokenized::Token;

#[derive(Debug)]
pub(crate) struct WordLevel {
    pub vocab: Vocab,
    unk_token: String,
}

impl WordLevel {
    pub fn from_json(node: &Node) -> Result<Self> {
        Ok(WordLevel {
            vocab: Vocab::from_json_object(&node.require("vocab")?)?,
            unk_token: node.opt_str("unk_token")?.unwrap_or("<unk>").to_string(),
        })
    }

    pub fn tokenize(&self, word: &str) -> Result<Vec<Token>> {
        let (id, value) = match self.vocab.id(word) {
            Some(id) => (id, word.to_string()),
            None => match self.vocab.id(&self.unk_token) {
                Some(id) => (id, self.unk_token.clone()),
                None => {
                    return Err(TokenizerError::Encode(format!(
                        "WordLevel unknown token {:?} is not in the vocabulary",
                        self.unk_token
                    )))
                }
            },
        };
        Ok(vec![Token {
            id,
            value,
            offsets: (0, word.len()),
        }])
    }
}
