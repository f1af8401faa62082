//! Unigram (SentencePiece): the segmentation with the highest total log-probability, found
//! by Viterbi over all vocabulary pieces starting at each char (O(n · longest piece)).
//! Runs of unknown chars fuse into one unknown token; with `byte_fallback` an unknown piece
//! becomes `<0xNN>` byte tokens when the vocabulary has them all.

use crate::error::{Result, TokenizerError};
use crate::fast_hash::FastMap;
use crate::json::Node;
use crate::pretokenized::Token;
use crate::trie::Trie;

/// Score given to an unknown char: below every real piece.
const UNK_PENALTY: f64 = 10.0;

#[derive(Debug)]
pub(crate) struct Unigram {
    pieces: Vec<(String, f64)>,
    ids: FastMap<String, u32>,
    trie: Trie,
    unk_id: Option<u32>,
    byte_fallback: bool,
    min_score: f64,
}

impl Unigram {
    pub fn from_json(node: &Node) -> Result<Self> {
        let mut pieces = Vec::new();
        for item in node.require("vocab")?.items()? {
            let pair = item.items()?;
            match pair.as_slice() {
                [piece, score] => pieces.push((piece.as_str()?.to_string(), score.as_f64()?)),
                _ => return Err(item.error("expected [piece, score]")),
            }
        }
        let unk_id = node.get("unk_id")?.map(|n| n.as_u32()).transpose()?;
        if let Some(unk) = unk_id {
            if pieces.is_empty() {
                return Err(node.error("the vocabulary is empty but at least the unknown piece is needed"));
            }
            if unk as usize >= pieces.len() {
                return Err(node.error(format!(
                    "unk_id {unk} is outside the vocabulary of {} pieces",
                    pieces.len()
                )));
            }
        }
        if pieces.len() > u32::MAX as usize {
            return Err(node.error("vocabulary too large"));
        }
        // A repeated piece maps to its last id, as in HF.
        let ids: FastMap<String, u32> = pieces
            .iter()
            .enumerate()
            .map(|(i, (p, _))| (p.clone(), i as u32))
            .collect();
        let trie = Trie::new(ids.iter().map(|(p, &id)| (p.as_bytes(), id)));
        let min_score = pieces.iter().map(|(_, s)| *s).fold(f64::INFINITY, f64::min);
        Ok(Unigram {
            pieces,
            ids,
            trie,
            unk_id,
            byte_fallback: node.bool_or("byte_fallback", false)?,
            min_score,
        })
    }

    pub fn token_to_id(&self, token: &str) -> Option<u32> {
        self.ids.get(token).copied()
    }

    pub fn id_to_token(&self, id: u32) -> Option<String> {
        self.pieces.get(id as usize).map(|(p, _)| p.clone())
    }

    pub fn vocab_size(&self) -> usize {
        self.pieces.len()
    }

    fn missing_unk() -> TokenizerError {
        TokenizerError::Encode("Unigram met an unknown character but the model has no unk_id".into())
    }

    /// The best segmentation as byte ranges, unknown runs fused.
    fn segment(&self, text: &str) -> Result<Vec<(usize, usize)>> {
        #[derive(Clone, Copy)]
        struct Best {
            score: f64,
            start: Option<usize>,
            id: u32,
        }
        let n = text.len();
        let unk_score = self.min_score - UNK_PENALTY;
        let mut best = vec![
            Best {
                score: 0.0,
                start: None,
                id: 0
            };
            n + 1
        ];
        let bytes = text.as_bytes();
        let mut pos = 0;
        while pos < n {
            let here = best[pos].score;
            let char_len = text[pos..].chars().next().map_or(1, char::len_utf8);
            let mut has_single_char_piece = false;
            self.trie.for_each_prefix(&bytes[pos..], |len, id| {
                let end = pos + len;
                let candidate = self.pieces[id as usize].1 + here;
                let target = &mut best[end];
                if target.start.is_none() || candidate > target.score {
                    *target = Best {
                        score: candidate,
                        start: Some(pos),
                        id,
                    };
                }
                has_single_char_piece |= len == char_len;
            });
            if !has_single_char_piece {
                let unk = self.unk_id.ok_or_else(Self::missing_unk)?;
                let candidate = unk_score + here;
                let target = &mut best[pos + char_len];
                if target.start.is_none() || candidate > target.score {
                    *target = Best {
                        score: candidate,
                        start: Some(pos),
                        id: unk,
                    };
                }
            }
            pos += char_len;
        }
        let mut ranges = Vec::new();
        let mut end = n;
        let mut unk_run_end: Option<usize> = None;
        while end > 0 {
            let node = best[end];
            // Every reachable end has a predecessor, since each char gets at least one node.
            let start = node.start.unwrap_or(0);
            if Some(node.id) == self.unk_id {
                unk_run_end.get_or_insert(end);
            } else {
                if let Some(run_end) = unk_run_end.take() {
                    ranges.push((end, run_end));
                }
                ranges.push((start, end));
            }
            end = start;
        }
        if let Some(run_end) = unk_run_end {
            ranges.push((0, run_end));
        }
        ranges.reverse();
        Ok(ranges)
    }

    pub fn tokenize(&self, text: &str) -> Result<Vec<Token>> {
        if text.is_empty() {
            return Ok(Vec::new());
        }
        let mut tokens = Vec::new();
        for (start, end) in self.segment(text)? {
            let piece = &text[start..end];
            if let Some(&id) = self.ids.get(piece) {
                tokens.push(Token {
                    id,
                    value: piece.to_string(),
                    offsets: (start, end),
                });
                continue;
            }
            if self.byte_fallback {
                let byte_tokens: Option<Vec<Token>> = piece
                    .bytes()
                    .map(|b| {
                        let name = format!("<0x{b:02X}>");
                        self.ids.get(&name).map(|&id| Token {
                            id,
                            value: name,
                            offsets: (start, end),
                        })
                    })
                    .collect();
                if let Some(byte_tokens) = byte_tokens {
                    tokens.extend(byte_tokens);
                    continue;
                }
            }
            let unk = self.unk_id.ok_or_else(Self::missing_unk)?;
            tokens.push(Token {
                id: unk,
                value: piece.to_string(),
                offsets: (start, end),
            });
        }
        Ok(tokens)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn model(byte_fallback: bool) -> Unigram {
        let spec = json!({"type": "Unigram", "unk_id": 0, "byte_fallback": byte_fallback, "vocab": [
            ["<unk>", 0.0], ["a", 0.0], ["b", 0.0], ["c", 0.0], ["d", 0.0], ["cd", 1.0], ["ab", 2.0],
            ["abc", 5.0], ["abcd", 10.0], ["<0x78>", 0.0], ["<0x79>", 0.0]]});
        Unigram::from_json(&Node::root(&spec)).unwrap()
    }

    fn pieces(m: &Unigram, text: &str) -> Vec<(u32, String)> {
        m.tokenize(text).unwrap().into_iter().map(|t| (t.id, t.value)).collect()
    }

    #[test]
    fn best_path_and_fused_unknowns() {
        let m = model(false);
        assert_eq!(
            pieces(&m, "abcdacdxx"),
            [(8, "abcd".into()), (1, "a".into()), (5, "cd".into()), (0, "xx".into())]
        );
    }

    #[test]
    fn byte_fallback_spells_unknown_runs_in_bytes() {
        let m = model(true);
        assert_eq!(
            pieces(&m, "axy"),
            [(1, "a".into()), (9, "<0x78>".into()), (10, "<0x79>".into())]
        );
        // A byte without a piece falls back to the unknown token for the whole run.
        assert_eq!(pieces(&m, "xz"), [(0, "xz".into())]);
    }

    #[test]
    fn invalid_unk_id_is_rejected() {
        let spec = json!({"type": "Unigram", "unk_id": 5, "vocab": [["a", 0.0]]});
        assert!(Unigram::from_json(&Node::root(&spec)).is_err());
    }
}
