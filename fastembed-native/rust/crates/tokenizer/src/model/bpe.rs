//! BPE: split a word into chars (with optional `##`-style prefix / `</w>`-style suffix),
//! then apply merges in rank order. Covers GPT-2/RoBERTa/CLIP/Qwen (byte-level) and
//! SentencePiece-converted models (Llama, Gemma) with `byte_fallback`.

use crate::error::{Result, TokenizerError};
use crate::fast_hash::FastMap;
use crate::json::Node;
use crate::model::vocab::Vocab;
use crate::pretokenized::Token;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

#[derive(Debug)]
pub(crate) struct Bpe {
    pub vocab: Vocab,
    /// (left id, right id) → (rank, merged id).
    merges: FastMap<(u32, u32), (u32, u32)>,
    unk_token: Option<String>,
    prefix: Option<String>,
    suffix: Option<String>,
    fuse_unk: bool,
    byte_fallback: bool,
    ignore_merges: bool,
}

impl Bpe {
    pub fn from_json(node: &Node) -> Result<Self> {
        if let Some(dropout) = node.get("dropout")? {
            let p = dropout.as_f64()?;
            if p != 0.0 {
                return Err(dropout.error(format!(
                    "BPE dropout {p} makes tokenization random; only null or 0 is supported"
                )));
            }
        }
        let vocab = Vocab::from_json_object(&node.require("vocab")?)?;
        let prefix = node.opt_str("continuing_subword_prefix")?.map(str::to_string);
        let merges_node = node.require("merges")?;
        let mut merges = FastMap::default();
        for (rank, item) in merges_node.items()?.iter().enumerate() {
            let (a, b) = parse_merge(item)?;
            let id = |token: &str| {
                vocab
                    .id(token)
                    .ok_or_else(|| item.error(format!("merge refers to \"{token}\", which is not in the vocabulary")))
            };
            let (a_id, b_id) = (id(&a)?, id(&b)?);
            let strip = prefix.as_ref().map_or(0, |p| p.len());
            let b_rest = b.get(strip..).ok_or_else(|| {
                item.error(format!(
                    "merge part \"{b}\" is shorter than the continuing subword prefix"
                ))
            })?;
            let merged = id(&format!("{a}{b_rest}"))?;
            merges.insert((a_id, b_id), (rank as u32, merged));
        }
        Ok(Bpe {
            vocab,
            merges,
            unk_token: node.opt_str("unk_token")?.map(str::to_string),
            prefix,
            suffix: node.opt_str("end_of_word_suffix")?.map(str::to_string),
            fuse_unk: node.bool_or("fuse_unk", false)?,
            byte_fallback: node.bool_or("byte_fallback", false)?,
            ignore_merges: node.bool_or("ignore_merges", false)?,
        })
    }

    fn unk_id(&self, unk: &str) -> Result<u32> {
        self.vocab
            .id(unk)
            .ok_or_else(|| TokenizerError::Encode(format!("BPE unknown token {unk:?} is not in the vocabulary")))
    }

    pub fn tokenize(&self, word: &str) -> Result<Vec<Token>> {
        if word.is_empty() {
            return Ok(Vec::new());
        }
        if self.ignore_merges {
            if let Some(id) = self.vocab.id(word) {
                return Ok(vec![Token {
                    id,
                    value: word.to_string(),
                    offsets: (0, word.len()),
                }]);
            }
        }
        let mut symbols = self.initial_symbols(word)?;
        self.merge_all(&mut symbols);
        let mut tokens = Vec::with_capacity(symbols.len());
        let mut pos = 0;
        for s in symbols.iter().filter(|s| s.len > 0) {
            let value = self.vocab.token(s.id).unwrap_or_default().to_string();
            tokens.push(Token {
                id: s.id,
                value,
                offsets: (pos, pos + s.len),
            });
            pos += s.len;
        }
        Ok(tokens)
    }

    /// One symbol per char (or per byte with byte fallback, or per run of unknown chars).
    fn initial_symbols(&self, word: &str) -> Result<Vec<Symbol>> {
        let mut symbols: Vec<Symbol> = Vec::with_capacity(word.len());
        let push = |symbols: &mut Vec<Symbol>, id: u32, len: usize| {
            let i = symbols.len() as isize;
            if let Some(last) = symbols.last_mut() {
                last.next = i;
            }
            symbols.push(Symbol {
                id,
                prev: i - 1,
                next: -1,
                len,
            });
        };
        let mut pending_unk: Option<(u32, usize)> = None;
        let mut piece = String::new();
        let mut chars = word.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let char_len = c.len_utf8();
            piece.clear();
            if i > 0 {
                if let Some(prefix) = &self.prefix {
                    piece.push_str(prefix);
                }
            }
            piece.push(c);
            if chars.peek().is_none() {
                if let Some(suffix) = &self.suffix {
                    piece.push_str(suffix);
                }
            }
            if let Some(id) = self.vocab.id(&piece) {
                if let Some((unk, len)) = pending_unk.take() {
                    push(&mut symbols, unk, len);
                }
                push(&mut symbols, id, char_len);
                continue;
            }
            if self.byte_fallback {
                let bytes: Option<Vec<u32>> = piece.bytes().map(|b| self.vocab.id(&format!("<0x{b:02X}>"))).collect();
                if let Some(bytes) = bytes {
                    // As in HF, a pending unknown run is flushed only by the next known char.
                    for id in bytes {
                        push(&mut symbols, id, 1);
                    }
                    continue;
                }
            }
            if let Some(unk) = &self.unk_token {
                pending_unk = Some(match pending_unk {
                    Some((id, len)) if self.fuse_unk => (id, len + char_len),
                    Some((id, len)) => {
                        push(&mut symbols, id, len);
                        (self.unk_id(unk)?, char_len)
                    }
                    None => (self.unk_id(unk)?, char_len),
                });
            }
            // Without an unknown token the char is dropped, as in HF.
        }
        if let Some((unk, len)) = pending_unk {
            push(&mut symbols, unk, len);
        }
        Ok(symbols)
    }

    /// Applies merges lowest rank first (leftmost on ties) until none applies.
    fn merge_all(&self, symbols: &mut [Symbol]) {
        let mut queue: BinaryHeap<Merge> = symbols
            .windows(2)
            .enumerate()
            .filter_map(|(pos, w)| {
                self.merges
                    .get(&(w[0].id, w[1].id))
                    .map(|&(rank, new_id)| Merge { pos, rank, new_id })
            })
            .collect();
        while let Some(top) = queue.pop() {
            let current = symbols[top.pos];
            if current.len == 0 || current.next == -1 {
                continue;
            }
            let next_pos = current.next as usize;
            let right = symbols[next_pos];
            // Skip entries made stale by earlier merges.
            match self.merges.get(&(current.id, right.id)) {
                Some(&(_, new_id)) if new_id == top.new_id => {}
                _ => continue,
            }
            symbols[top.pos].id = top.new_id;
            symbols[top.pos].len += right.len;
            symbols[top.pos].next = right.next;
            symbols[next_pos].len = 0;
            if right.next > -1 && (right.next as usize) < symbols.len() {
                symbols[right.next as usize].prev = top.pos as isize;
            }
            let merged = symbols[top.pos];
            if merged.prev >= 0 {
                let prev = merged.prev as usize;
                if let Some(&(rank, new_id)) = self.merges.get(&(symbols[prev].id, merged.id)) {
                    queue.push(Merge {
                        pos: prev,
                        rank,
                        new_id,
                    });
                }
            }
            if merged.next >= 0 && (merged.next as usize) < symbols.len() {
                let next = merged.next as usize;
                if let Some(&(rank, new_id)) = self.merges.get(&(merged.id, symbols[next].id)) {
                    queue.push(Merge {
                        pos: top.pos,
                        rank,
                        new_id,
                    });
                }
            }
        }
    }
}

/// A merge is `"a b"` or `["a", "b"]`.
fn parse_merge(item: &Node) -> Result<(String, String)> {
    if let Some(s) = item.value.as_str() {
        let mut parts = s.split(' ');
        return match (parts.next(), parts.next(), parts.next()) {
            (Some(a), Some(b), None) => Ok((a.to_string(), b.to_string())),
            _ => Err(item.error(format!("merge {s:?} is not two tokens separated by one space"))),
        };
    }
    let pair = item
        .items()
        .map_err(|_| item.expected("a merge as \"a b\" or [\"a\", \"b\"]"))?;
    match pair.as_slice() {
        [a, b] => Ok((a.as_str()?.to_string(), b.as_str()?.to_string())),
        _ => Err(item.error("a merge pair must have exactly two tokens")),
    }
}

#[derive(Debug, Clone, Copy)]
struct Symbol {
    id: u32,
    prev: isize,
    next: isize,
    /// Byte length in the word; 0 once merged into its left neighbour.
    len: usize,
}

#[derive(Debug, PartialEq, Eq)]
struct Merge {
    pos: usize,
    rank: u32,
    new_id: u32,
}

impl Ord for Merge {
    /// Max-heap order reversed: lowest rank first, then leftmost position.
    fn cmp(&self, other: &Self) -> Ordering {
        other.rank.cmp(&self.rank).then_with(|| other.pos.cmp(&self.pos))
    }
}

impl PartialOrd for Merge {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn model(extra: serde_json::Value) -> Bpe {
        let mut spec = json!({"type": "BPE", "vocab": {"<unk>": 0, "u": 1, "n": 2, "r": 3, "e": 4, "l": 5,
            "a": 6, "t": 7, "d": 8, "re": 9, "at": 10, "ed": 11, "un": 12, "ated": 13, "rel": 14,
            "related": 15, "unrelated": 16, "<0x78>": 17},
            "merges": ["r e", "a t", "e d", "u n", "at ed", "re l", "rel ated", ["un", "related"]]});
        for (k, v) in extra.as_object().unwrap() {
            spec[k] = v.clone();
        }
        Bpe::from_json(&Node::root(&spec)).unwrap()
    }

    fn ids(m: &Bpe, w: &str) -> Vec<u32> {
        m.tokenize(w).unwrap().iter().map(|t| t.id).collect()
    }

    #[test]
    fn merges_apply_by_rank() {
        let m = model(json!({}));
        assert_eq!(ids(&m, "unrelated"), [16]);
        assert_eq!(ids(&m, "related"), [15]);
        assert_eq!(ids(&m, "ulated"), [1, 5, 13]);
    }

    #[test]
    fn unknown_chars_fuse_or_drop() {
        assert_eq!(
            ids(&model(json!({"unk_token": "<unk>", "fuse_unk": true})), "uqqn"),
            [1, 0, 2]
        );
        assert_eq!(
            ids(&model(json!({"unk_token": "<unk>", "fuse_unk": false})), "uqqn"),
            [1, 0, 0, 2]
        );
        assert_eq!(ids(&model(json!({})), "uqqn"), [12]);
    }

    #[test]
    fn byte_fallback_uses_byte_pieces() {
        let m = model(json!({"unk_token": "<unk>", "byte_fallback": true}));
        assert_eq!(ids(&m, "uxn"), [1, 17, 2]);
        assert_eq!(ids(&m, "uqn"), [1, 0, 2]);
    }

    #[test]
    fn dropout_and_bad_merges_are_rejected() {
        let spec = json!({"type": "BPE", "dropout": 0.1, "vocab": {}, "merges": []});
        assert!(Bpe::from_json(&Node::root(&spec))
            .unwrap_err()
            .to_string()
            .contains("dropout"));
        let spec = json!({"type": "BPE", "vocab": {"a": 0}, "merges": ["a b"]});
        assert!(Bpe::from_json(&Node::root(&spec))
            .unwrap_err()
            .to_string()
            .contains("\"b\""));
        let spec = json!({"type": "BPE", "vocab": {"a": 0}, "merges": ["a"]});
        assert!(Bpe::from_json(&Node::root(&spec)).is_err());
    }
}
