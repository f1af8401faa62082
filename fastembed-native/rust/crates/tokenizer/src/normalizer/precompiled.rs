//! `Precompiled`: SentencePiece's compiled normalization rules (XLM-R, T5, ...). The blob is
//! `[u32 LE trie size][trie units: u32 LE...][replacement strings, each ending in \0]`, the
//! trie being a Darts double array from input bytes to offsets into the strings.
//!
//! Matching mirrors HF exactly, including its quirks: a grapheme shorter than 6 bytes is
//! replaced as a whole by the rule of its *shortest* matching prefix; otherwise (or when
//! nothing matches) each char is looked up on its own.

use crate::error::Result;
use crate::json::Node;
use crate::normalized::NormalizedString;
use unicode_segmentation::UnicodeSegmentation;

#[derive(Debug)]
pub(crate) struct Precompiled {
    units: Vec<u32>,
    replacements: String,
}

impl Precompiled {
    pub fn from_json(node: &Node) -> Result<Self> {
        let field = node.require("precompiled_charsmap")?;
        let blob = decode_base64(field.as_str()?).ok_or_else(|| field.error("not valid base64"))?;
        Self::from_blob(&blob).map_err(|message| field.error(message))
    }

    fn from_blob(blob: &[u8]) -> std::result::Result<Self, String> {
        let read_u32 = |at: usize| -> Option<u32> {
            blob.get(at..at + 4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        };
        let trie_size = read_u32(0).ok_or("charsmap too short")? as usize;
        if !trie_size.is_multiple_of(4) || 4 + trie_size > blob.len() {
            return Err(format!(
                "charsmap declares a trie of {trie_size} bytes in a blob of {}",
                blob.len()
            ));
        }
        let units = (0..trie_size / 4).map(|i| read_u32(4 + 4 * i).unwrap_or(0)).collect();
        let replacements = String::from_utf8(blob[4 + trie_size..].to_vec())
            .map_err(|_| "charsmap replacement strings are not UTF-8".to_string())?;
        Ok(Precompiled { units, replacements })
    }

    /// The replacement for the shortest rule matching a prefix of `chunk`.
    fn transform(&self, chunk: &str) -> Option<&str> {
        let offset = self.shortest_prefix_value(chunk.as_bytes())?;
        let rest = self.replacements.get(offset..)?;
        Some(rest.split('\0').next().unwrap_or(""))
    }

    fn shortest_prefix_value(&self, key: &[u8]) -> Option<usize> {
        // Darts unit layout: bit 8 = has leaf, bits 0-7 (+ bit 31) = label,
        // offset = (unit >> 10) << ((unit & 512) >> 6), leaf value = low 31 bits.
        let offset = |u: u32| ((u >> 10) << ((u & (1 << 9)) >> 6)) as usize;
        let mut pos = offset(*self.units.first()?);
        for &byte in key {
            if byte == 0 {
                return None;
            }
            pos ^= byte as usize;
            let unit = *self.units.get(pos)?;
            if (unit & ((1 << 31) | 0xFF)) != byte as u32 {
                return None;
            }
            pos ^= offset(unit);
            if (unit >> 8) & 1 == 1 {
                let leaf = *self.units.get(pos)?;
                return Some((leaf & ((1 << 31) - 1)) as usize);
            }
        }
        None
    }

    pub fn normalize(&self, n: &mut NormalizedString) -> Result<()> {
        let text = n.as_str();
        let mut pieces: Vec<(String, (usize, usize))> = Vec::new();
        let mut modified = false;
        // The charsmap comes from the file: check growth as pieces are made, before they use the memory.
        let mut produced = 0usize;
        for (start, grapheme) in text.grapheme_indices(true) {
            n.check_growth(produced)?;
            if grapheme.len() < 6 {
                if let Some(norm) = self.transform(grapheme) {
                    modified = true;
                    produced += norm.len();
                    pieces.push((norm.to_string(), (start, start + grapheme.len())));
                    continue;
                }
            }
            for (i, c) in grapheme.char_indices() {
                let at = start + i;
                let part = &grapheme[i..i + c.len_utf8()];
                match self.transform(part) {
                    Some(norm) => {
                        modified = true;
                        produced += norm.len();
                        pieces.push((norm.to_string(), (at, at + part.len())));
                    }
                    None => {
                        produced += part.len();
                        pieces.push((part.to_string(), (at, at + part.len())))
                    }
                }
            }
        }
        if modified {
            n.rebuild(pieces)?;
        }
        Ok(())
    }
}

/// Standard base64 (with or without padding); `None` on any invalid character.
pub(crate) fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let bytes = s.trim_end_matches('=').as_bytes();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for &c in bytes {
        acc = (acc << 6) | value(c)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trip_values() {
        assert_eq!(decode_base64("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(decode_base64("aGVsbG8").unwrap(), b"hello");
        assert!(decode_base64("a$b").is_none());
    }

    #[test]
    fn malformed_blobs_are_rejected_not_panicking() {
        assert!(Precompiled::from_blob(&[]).is_err());
        assert!(Precompiled::from_blob(&[8, 0, 0, 0, 1]).is_err());
        // A trie whose offsets point outside the array matches nothing.
        let p = Precompiled::from_blob(&[4, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, b'x', 0]).unwrap();
        let mut n = NormalizedString::new("abc", 0);
        p.normalize(&mut n).unwrap();
        assert_eq!(n.as_str(), "abc");
    }
}
