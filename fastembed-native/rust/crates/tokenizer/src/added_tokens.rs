//! Added tokens (`[CLS]`, `<mask>`, user tokens): found in the text before the model runs,
//! following HF's AddedVocabulary: tokens with `normalized: false` are matched on the raw
//! text first, then the remaining pieces are normalized and searched for the others.

use crate::error::Result;
use crate::json::Node;
use crate::model::Model;
use crate::normalized::NormalizedString;
use crate::normalizer::Normalizer;
use crate::pretokenized::{PreTokenized, Split, Token};
use crate::trie::Trie;
use crate::unicode_props::is_regex_word_char;
use std::collections::{HashMap, HashSet};

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct AddedToken {
    pub content: String,
    /// Match only when not inside a word.
    pub single_word: bool,
    /// Also swallow the whitespace on the left / right.
    pub lstrip: bool,
    pub rstrip: bool,
    /// Match against the normalized text (and normalize the content) instead of the raw text.
    pub normalized: bool,
    pub special: bool,
}

impl AddedToken {
    /// HF's defaults: a special token is not normalized unless said otherwise.
    pub fn new(content: &str, special: bool) -> Self {
        AddedToken {
            content: content.to_string(),
            single_word: false,
            lstrip: false,
            rstrip: false,
            normalized: !special,
            special,
        }
    }

    /// One entry of `added_tokens`: `{"id", "content", "single_word", ...}` → (id, token).
    pub fn from_json(node: &Node) -> Result<(u32, AddedToken)> {
        let special = node.bool_or("special", false)?;
        let content = node.str_field("content")?;
        Ok((
            node.require("id")?.as_token_id(content)?,
            AddedToken {
                content: content.to_string(),
                single_word: node.bool_or("single_word", false)?,
                lstrip: node.bool_or("lstrip", false)?,
                rstrip: node.bool_or("rstrip", false)?,
                normalized: node.bool_or("normalized", !special)?,
                special,
            },
        ))
    }
}

/// `single_word` uses the `regex` crate's `\w` and lstrip/rstrip its `\s`, as HF does.
fn ends_with_word(text: &str) -> bool {
    text.chars().next_back().is_some_and(is_regex_word_char)
}

fn starts_with_word(text: &str) -> bool {
    text.chars().next().is_some_and(is_regex_word_char)
}

/// Start of the whitespace run that ends `text`.
fn trailing_space_start(text: &str) -> usize {
    text.trim_end_matches(char::is_whitespace).len()
}

/// Length of the whitespace run that starts `text`.
fn leading_space_len(text: &str) -> usize {
    text.len() - text.trim_start_matches(char::is_whitespace).len()
}

#[derive(Debug)]
pub(crate) struct AddedVocabulary {
    ids: HashMap<String, u32>,
    tokens: HashMap<u32, AddedToken>,
    /// Non-special added tokens, in insertion order.
    classic: Vec<AddedToken>,
    /// Special added tokens, in insertion order (their first registration is kept).
    special: Vec<AddedToken>,
    special_set: HashSet<String>,
    max_id: Option<u32>,
    raw_matcher: Trie,
    normalized_matcher: Trie,
}

impl AddedVocabulary {
    pub fn new() -> Self {
        AddedVocabulary {
            ids: HashMap::new(),
            tokens: HashMap::new(),
            classic: Vec::new(),
            special: Vec::new(),
            special_set: HashSet::new(),
            max_id: None,
            raw_matcher: Trie::new(Vec::<(String, u32)>::new()),
            normalized_matcher: Trie::new(Vec::<(String, u32)>::new()),
        }
    }

    pub fn id(&self, content: &str) -> Option<u32> {
        self.ids.get(content).copied()
    }

    pub fn token(&self, id: u32) -> Option<&AddedToken> {
        self.tokens.get(&id)
    }

    pub fn is_special(&self, content: &str) -> bool {
        self.special_set.contains(content)
    }

    /// Contents of all added tokens.
    pub fn contents(&self) -> impl Iterator<Item = &str> {
        self.ids.keys().map(String::as_str)
    }

    /// Registers one token the way HF's `add_tokens` does (ids of tokens already known are
    /// reused; new ones get the next id after the model vocabulary). Call `rebuild_matchers`
    /// once all tokens are in.
    pub fn add(&mut self, token: AddedToken, model: &Model) {
        if token.special && !token.content.is_empty() && !self.special_set.contains(&token.content) {
            self.special.push(token.clone());
            self.special_set.insert(token.content.clone());
        }
        if token.content.is_empty() {
            return;
        }
        // Ignore exact re-registrations (same content and flags).
        if let Some(existing) = self.id(&token.content).and_then(|id| self.tokens.get(&id)) {
            if *existing == token {
                return;
            }
        }
        let vocab_size = model.vocab_size() as u32;
        let id = match self.id(&token.content).or_else(|| model.token_to_id(&token.content)) {
            Some(id) => id,
            None => match self.max_id {
                None => vocab_size,
                Some(max) if max >= vocab_size || vocab_size == 0 => max + 1,
                Some(_) => vocab_size,
            },
        };
        self.ids.insert(token.content.clone(), id);
        self.max_id = Some(self.max_id.map_or(id, |m| m.max(id)));
        if !self.special_set.contains(&token.content) {
            self.classic.push(token.clone());
        }
        self.tokens.insert(id, token);
    }

    /// Rebuilds the two matchers; contents of `normalized` tokens are normalized first.
    pub fn rebuild_matchers(&mut self, model: &Model, normalizer: Option<&Normalizer>) -> Result<()> {
        let mut raw = Vec::new();
        let mut normalized = Vec::new();
        for token in self.special.iter().chain(self.classic.iter()) {
            let Some(id) = self.id(&token.content).or_else(|| model.token_to_id(&token.content)) else {
                continue;
            };
            if token.normalized {
                let content = match normalizer {
                    Some(n) => n.normalize_str(&token.content)?,
                    None => token.content.clone(),
                };
                normalized.push((content, id));
            } else {
                raw.push((token.content.clone(), id));
            }
        }
        self.raw_matcher = Trie::new(raw);
        self.normalized_matcher = Trie::new(normalized);
        Ok(())
    }

    /// Splits `text` into added tokens and normalized pieces left for the pre-tokenizer.
    /// `base` is the byte offset of `text` in the caller's input, so offsets point into that input.
    pub fn extract_and_normalize(
        &self,
        normalizer: Option<&Normalizer>,
        text: &str,
        base: usize,
    ) -> Result<PreTokenized> {
        let mut pre = PreTokenized::at(text, base);
        pre.split(|n| Ok(self.split_on_matches(n, &self.raw_matcher)))?;
        pre.split(|mut n| {
            if let Some(normalizer) = normalizer {
                normalizer.normalize(&mut n)?;
            }
            Ok(self.split_on_matches(n, &self.normalized_matcher))
        })?;
        Ok(pre)
    }

    fn split_on_matches(&self, n: NormalizedString, matcher: &Trie) -> Vec<Split> {
        let text = n.as_str();
        if matcher.is_empty() {
            return vec![Split::plain(n)];
        }
        let mut pieces = Vec::new();
        let mut last = 0;
        for (mut start, mut end, id) in matcher.find_leftmost_longest(text) {
            let Some(token) = self.tokens.get(&id) else { continue };
            if token.single_word {
                let word_before = ends_with_word(&text[..start]);
                let word_after = starts_with_word(&text[end..]);
                if word_before || word_after {
                    continue;
                }
            }
            if token.lstrip {
                start = trailing_space_start(&text[..start]).max(last);
            }
            if token.rstrip {
                end += leading_space_len(&text[end..]);
            }
            if last < start {
                pieces.push(Split::plain(n.slice(last, start)));
            }
            // HF can produce a token overlapping the previous one after rstrip; never go back.
            let from = start.max(last).min(end);
            let slice = n.slice(from, end);
            let value = slice.as_str().to_string();
            let len = value.len();
            pieces.push(Split {
                normalized: slice,
                tokens: Some(vec![Token {
                    id,
                    value,
                    offsets: (0, len),
                }]),
            });
            last = end;
        }
        if last < text.len() {
            pieces.push(Split::plain(n.slice(last, text.len())));
        }
        pieces
    }
}
