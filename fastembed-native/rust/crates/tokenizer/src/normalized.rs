//! A string being normalized, with the original byte span behind every byte, so tokens found
//! in the normalized text can be reported with offsets into the caller's text.

use crate::error::{Result, TokenizerError};

/// How much longer than its original a normalized text may grow. Unicode's largest expansion (NFKD of
/// U+FDFA) is 11 times; more comes only from a hostile or broken tokenizer.json (a `Replace` of one char
/// by 100 000), which would otherwise ask the allocator for gigabytes and abort the process.
const MAX_GROWTH: usize = 32;
/// Growth allowed on top of `MAX_GROWTH` times the original, for short texts.
const GROWTH_SLACK: usize = 4096;

/// Text plus, for each of its bytes, the byte span of the original input it came from.
#[derive(Clone, Debug)]
pub(crate) struct NormalizedString {
    text: String,
    /// One entry per byte of `text`; all bytes of a char share the same span.
    align: Vec<(usize, usize)>,
    /// Original span covered by this piece; used when `text` becomes empty.
    span: (usize, usize),
}

impl NormalizedString {
    /// Wraps `original`, which starts at byte `base` of the caller's text.
    pub fn new(original: &str, base: usize) -> Self {
        let mut align = Vec::with_capacity(original.len());
        for (i, c) in original.char_indices() {
            let span = (base + i, base + i + c.len_utf8());
            align.extend(std::iter::repeat_n(span, c.len_utf8()));
        }
        NormalizedString {
            text: original.to_string(),
            align,
            span: (base, base + original.len()),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Original byte span of the normalized byte range `start..end`.
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        if start >= end || start >= self.align.len() {
            let at = self.align.get(start).map_or(self.span.1, |s| s.0);
            return (at, at);
        }
        let end = end.min(self.align.len());
        (self.align[start].0, self.align[end - 1].1)
    }

    /// The piece at normalized byte range `start..end` (must be on char boundaries).
    pub fn slice(&self, start: usize, end: usize) -> NormalizedString {
        NormalizedString {
            text: self.text[start..end].to_string(),
            align: self.align[start..end].to_vec(),
            span: self.original_span(start, end),
        }
    }

    /// Rewrites char by char: `f` appends the replacement of each char (nothing to delete it).
    /// Every produced char keeps the original span of the char it replaces.
    pub fn map_chars<F: FnMut(char, &mut String)>(&mut self, mut f: F) {
        let mut text = String::with_capacity(self.text.len());
        let mut align = Vec::with_capacity(self.align.len());
        for (i, c) in self.text.char_indices() {
            let span = self.align[i];
            let before = text.len();
            f(c, &mut text);
            align.extend(std::iter::repeat_n(span, text.len() - before));
        }
        self.text = text;
        self.align = align;
    }

    pub fn filter<F: Fn(char) -> bool>(&mut self, keep: F) {
        if self.text.chars().all(&keep) {
            return;
        }
        self.map_chars(|c, out| {
            if keep(c) {
                out.push(c)
            }
        });
    }

    pub fn lowercase(&mut self) {
        // Per char, like HF: no context-dependent rules (final sigma stays σ).
        self.map_chars(|c, out| out.extend(c.to_lowercase()));
    }

    /// Fails when a normalizer would make this text longer than `new_len` bytes allows (see `MAX_GROWTH`).
    pub(crate) fn check_growth(&self, new_len: usize) -> Result<()> {
        let original = self.span.1 - self.span.0;
        let cap = original.saturating_mul(MAX_GROWTH).saturating_add(GROWTH_SLACK);
        if new_len > cap {
            return Err(TokenizerError::Encode(format!(
                "the normalizer would grow {original} bytes of input to {new_len} bytes, more than {MAX_GROWTH} \
                 times; the tokenizer.json's normalizer is not one a model can use"
            )));
        }
        Ok(())
    }

    /// Replaces the normalized byte ranges (sorted, non-overlapping) by `replacement`; the new
    /// text takes the original span of the range it replaces.
    pub fn replace_ranges(&mut self, ranges: &[(usize, usize)], replacement: &str) -> Result<()> {
        if ranges.is_empty() {
            return Ok(());
        }
        let removed: usize = ranges.iter().map(|(start, end)| end - start).sum();
        let added = ranges.len().saturating_mul(replacement.len());
        self.check_growth((self.text.len() - removed).saturating_add(added))?;
        let mut text = String::with_capacity(self.text.len() - removed + added);
        let mut align = Vec::with_capacity(text.capacity());
        let mut pos = 0;
        for (start, end) in ranges {
            text.push_str(&self.text[pos..*start]);
            align.extend_from_slice(&self.align[pos..*start]);
            let span = self.original_span(*start, *end);
            text.push_str(replacement);
            align.extend(std::iter::repeat_n(span, replacement.len()));
            pos = *end;
        }
        text.push_str(&self.text[pos..]);
        align.extend_from_slice(&self.align[pos..]);
        self.text = text;
        self.align = align;
        Ok(())
    }

    /// Replaces the whole text by the concatenation of `pieces`, where each piece comes from
    /// the normalized byte range it names (used by transforms that merge chars, like NFC).
    pub fn rebuild(&mut self, pieces: Vec<(String, (usize, usize))>) -> Result<()> {
        self.check_growth(pieces.iter().map(|(piece, _)| piece.len()).sum())?;
        let mut text = String::with_capacity(self.text.len());
        let mut align = Vec::with_capacity(self.align.len());
        for (piece, (start, end)) in pieces {
            let span = self.original_span(start, end);
            text.push_str(&piece);
            align.extend(std::iter::repeat_n(span, piece.len()));
        }
        self.text = text;
        self.align = align;
        Ok(())
    }

    pub fn prepend(&mut self, s: &str) {
        let span = match self.align.first() {
            Some(first) => *first,
            None => (self.span.0, self.span.0),
        };
        let mut align = Vec::with_capacity(self.align.len() + s.len());
        align.extend(std::iter::repeat_n(span, s.len()));
        align.extend_from_slice(&self.align);
        self.text.insert_str(0, s);
        self.align = align;
    }

    /// Removes leading and/or trailing whitespace. Like HF, this is a transformation, not a
    /// slice: the piece still starts where it started in the original text.
    pub fn strip(&mut self, left: bool, right: bool) {
        let start = if left {
            self.text.len() - self.text.trim_start().len()
        } else {
            0
        };
        let end = if right {
            self.text.trim_end().len().max(start)
        } else {
            self.text.len()
        };
        if start == 0 && end == self.text.len() {
            return;
        }
        self.text = self.text[start..end].to_string();
        self.align = self.align[start..end].to_vec();
    }

    /// Where this piece starts in the original text (HF's `offsets_original().0`).
    pub fn original_start(&self) -> usize {
        self.span.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_keep_original_offsets() {
        let n = NormalizedString::new("héllo world", 10);
        let w = n.slice(7, 12);
        assert_eq!(w.as_str(), "world");
        assert_eq!(w.original_span(0, 5), (17, 22));
    }

    #[test]
    fn expanding_map_points_back_to_the_source_char() {
        let mut n = NormalizedString::new("aİb", 0);
        n.lowercase();
        assert_eq!(n.as_str(), "ai\u{307}b");
        assert_eq!(n.original_span(1, 4), (1, 3));
        assert_eq!(n.original_span(4, 5), (3, 4));
    }

    #[test]
    fn strip_removes_outer_whitespace_only() {
        let mut n = NormalizedString::new("  a b \t", 0);
        n.strip(true, true);
        assert_eq!(n.as_str(), "a b");
        assert_eq!(n.original_span(0, 3), (2, 5));
    }

    #[test]
    fn replace_ranges_maps_new_text_to_replaced_span() {
        let mut n = NormalizedString::new("a  b", 0);
        n.replace_ranges(&[(1, 3)], "_").unwrap();
        assert_eq!(n.as_str(), "a_b");
        assert_eq!(n.original_span(1, 2), (1, 3));
        assert_eq!(n.original_span(2, 3), (3, 4));
    }

    #[test]
    fn growth_beyond_the_cap_is_refused_before_allocating() {
        let mut n = NormalizedString::new("abc", 0);
        let huge = "x".repeat(GROWTH_SLACK + 3 * MAX_GROWTH + 1);
        let error = n.replace_ranges(&[(1, 2)], &huge).unwrap_err().to_string();
        assert!(error.contains("would grow 3 bytes of input"), "{error}");
        assert_eq!(n.as_str(), "abc");
        let fits = "x".repeat(GROWTH_SLACK);
        n.replace_ranges(&[(1, 2)], &fits).unwrap();
        assert_eq!(n.len(), 2 + GROWTH_SLACK);
    }
}
