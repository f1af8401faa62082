//! Token ↔ id tables shared by the models.

use crate::error::Result;
use crate::fast_hash::FastMap;
use crate::json::Node;

#[derive(Debug, Default)]
pub(crate) struct Vocab {
    ids: FastMap<String, u32>,
    tokens: FastMap<u32, String>,
    /// Longest token in bytes; bounds the substrings worth looking up.
    max_token_len: usize,
}

impl Vocab {
    /// Reads a `{"token": id, ...}` object.
    pub fn from_json_object(node: &Node) -> Result<Self> {
        let mut vocab = Vocab::default();
        for (token, id) in node.entries()? {
            vocab.insert(token.to_string(), id.as_token_id(token)?);
        }
        Ok(vocab)
    }

    pub fn insert(&mut self, token: String, id: u32) {
        self.max_token_len = self.max_token_len.max(token.len());
        self.tokens.insert(id, token.clone());
        self.ids.insert(token, id);
    }

    pub fn id(&self, token: &str) -> Option<u32> {
        self.ids.get(token).copied()
    }

    pub fn token(&self, id: u32) -> Option<&str> {
        self.tokens.get(&id).map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn max_token_len(&self) -> usize {
        self.max_token_len
    }
}
