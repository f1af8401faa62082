//! A word under stemming: the character buffer Snowball's backward rules edit at its end.

pub(crate) struct Word {
    pub chars: Vec<char>,
}

impl Word {
    pub fn new(word: &str) -> Word {
        Word {
            chars: word.chars().collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    /// The character at `i`, or `None` past either end (`i` may be computed as negative).
    pub fn at(&self, i: isize) -> Option<char> {
        usize::try_from(i).ok().and_then(|i| self.chars.get(i).copied())
    }

    pub fn ends_with(&self, suffix: &str) -> bool {
        self.ends_with_before(self.len(), suffix)
    }

    /// Whether `suffix` ends exactly at character position `end`.
    pub fn ends_with_before(&self, end: usize, suffix: &str) -> bool {
        let n = suffix.chars().count();
        end >= n && self.chars[end - n..end].iter().copied().eq(suffix.chars())
    }

    /// The longest of `suffixes` the word ends with, as Snowball's `among` picks it.
    pub fn longest_suffix<'s>(&self, suffixes: &[&'s str]) -> Option<&'s str> {
        self.longest_suffix_before(self.len(), suffixes)
    }

    /// The longest of `suffixes` ending exactly at position `end`.
    pub fn longest_suffix_before<'s>(&self, end: usize, suffixes: &[&'s str]) -> Option<&'s str> {
        suffixes
            .iter()
            .copied()
            .filter(|s| self.ends_with_before(end, s))
            .max_by_key(|s| s.chars().count())
    }

    /// Replaces the last `n` characters with `with`.
    pub fn replace_end(&mut self, n: usize, with: &str) {
        let start = self.len() - n;
        self.chars.truncate(start);
        self.chars.extend(with.chars());
    }

    /// Position where a suffix of `suffix`'s length starts.
    pub fn start_of(&self, suffix: &str) -> usize {
        self.len() - suffix.chars().count()
    }

    /// Cuts the word to its first `len` characters.
    pub fn truncate(&mut self, len: usize) {
        self.chars.truncate(len);
    }

    pub fn push_str(&mut self, s: &str) {
        self.chars.extend(s.chars());
    }

    pub fn into_string(self) -> String {
        self.chars.into_iter().collect()
    }
}
