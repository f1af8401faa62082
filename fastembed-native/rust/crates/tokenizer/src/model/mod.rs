//! Models: turn one pre-tokenized word into vocabulary tokens.

mod bpe;
mod unigram;
mod vocab;
mod wordlevel;
mod wordpiece;

use crate::error::{Result, TokenizerError};
use crate::json::Node;
use crate::pretokenized::Token;
use bpe::Bpe;
use unigram::Unigram;
use wordlevel::WordLevel;
use wordpiece::WordPiece;

#[derive(Debug)]
pub(crate) enum Model {
    WordPiece(WordPiece),
    WordLevel(WordLevel),
    Unigram(Unigram),
    Bpe(Bpe),
}

impl Model {
    pub fn from_json(node: &Node) -> Result<Self> {
        let kind = match node.opt_str("type")? {
            Some(kind) => kind,
            None => infer_type(node)?,
        };
        Ok(match kind {
            "WordPiece" => Model::WordPiece(WordPiece::from_json(node)?),
            "WordLevel" => Model::WordLevel(WordLevel::from_json(node)?),
            "Unigram" => Model::Unigram(Unigram::from_json(node)?),
            "BPE" => Model::Bpe(Bpe::from_json(node)?),
            other => {
                return Err(TokenizerError::UnknownComponent {
                    component: "model",
                    type_name: other.to_string(),
                    path: node.path().to_string(),
                })
            }
        })
    }

    pub fn tokenize(&self, word: &str) -> Result<Vec<Token>> {
        match self {
            Model::WordPiece(m) => m.tokenize(word),
            Model::WordLevel(m) => m.tokenize(word),
            Model::Unigram(m) => m.tokenize(word),
            Model::Bpe(m) => m.tokenize(word),
        }
    }

    pub fn token_to_id(&self, token: &str) -> Option<u32> {
        match self {
            Model::WordPiece(m) => m.vocab.id(token),
            Model::WordLevel(m) => m.vocab.id(token),
            Model::Unigram(m) => m.token_to_id(token),
            Model::Bpe(m) => m.vocab.id(token),
        }
    }

    pub fn id_to_token(&self, id: u32) -> Option<String> {
        match self {
            Model::WordPiece(m) => m.vocab.token(id).map(str::to_string),
            Model::WordLevel(m) => m.vocab.token(id).map(str::to_string),
            Model::Unigram(m) => m.id_to_token(id),
            Model::Bpe(m) => m.vocab.token(id).map(str::to_string),
        }
    }

    pub fn vocab_size(&self) -> usize {
        match self {
            Model::WordPiece(m) => m.vocab.len(),
            Model::WordLevel(m) => m.vocab.len(),
            Model::Unigram(m) => m.vocab_size(),
            Model::Bpe(m) => m.vocab.len(),
        }
    }
}

/// Old tokenizer.json files omit the model's `type`; HF then recognises it by its fields.
fn infer_type<'a>(node: &Node<'a>) -> Result<&'a str> {
    let obj = node.object()?;
    if obj.contains_key("merges") {
        Ok("BPE")
    } else if obj.get("vocab").is_some_and(|v| v.is_array()) {
        Ok("Unigram")
    } else if obj.contains_key("continuing_subword_prefix") || obj.contains_key("max_input_chars_per_word") {
        Ok("WordPiece")
    } else if obj.contains_key("vocab") {
        Ok("WordLevel")
    } else {
        Err(node.error("model has no \"type\" and no recognisable fields"))
    }
}
