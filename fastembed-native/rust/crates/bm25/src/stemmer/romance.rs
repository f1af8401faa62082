//! Regions shared by the Snowball Spanish, Italian and Portuguese stemmers.

use super::word::Word;

/// Starts of RV, R1 and R2 (the word's length where a region is empty).
pub(crate) struct Regions {
    pub pv: usize,
    pub p1: usize,
    pub p2: usize,
}

impl Regions {
    /// RV: after the next vowel if the 2nd letter is a consonant, after the next consonant if
    /// the first two letters are vowels, else (consonant, vowel) after the 3rd letter.
    /// R1: after the first non-vowel following a vowel; R2: the same within R1.
    pub fn mark(w: &Word, is_vowel: fn(char) -> bool) -> Regions {
        let limit = w.len();
        let v = |i: usize| w.chars.get(i).is_some_and(|&c| is_vowel(c));
        let c = |i: usize| w.chars.get(i).is_some_and(|&c| !is_vowel(c));
        let vowel_from = |from: usize| (from..limit).find(|&i| is_vowel(w.chars[i]));
        let consonant_from = |from: usize| (from..limit).find(|&i| !is_vowel(w.chars[i]));
        let after_next_vowel = || {
            if c(1) {
                vowel_from(2).map(|i| i + 1)
            } else {
                None
            }
        };
        let pv = if v(0) {
            after_next_vowel().or_else(|| if v(1) { consonant_from(2).map(|i| i + 1) } else { None })
        } else if c(0) {
            after_next_vowel().or_else(|| if v(1) && limit > 2 { Some(3) } else { None })
        } else {
            None
        };
        let p1 = vowel_from(0).and_then(|i| consonant_from(i + 1)).map(|i| i + 1);
        let p2 = p1.and_then(|p1| vowel_from(p1).and_then(|i| consonant_from(i + 1)).map(|i| i + 1));
        Regions {
            pv: pv.unwrap_or(limit),
            p1: p1.unwrap_or(limit),
            p2: p2.unwrap_or(limit),
        }
    }
}

/// Snowball's `setlimit tomark pV for ([substring])`: the longest ending lying wholly at or
/// after `from` (a longer ending reaching before it does not hide a shorter one).
pub(crate) fn longest_suffix_from<'s>(w: &Word, suffixes: &[&'s str], from: usize) -> Option<&'s str> {
    suffixes
        .iter()
        .copied()
        .filter(|s| w.ends_with(s) && w.start_of(s) >= from)
        .max_by_key(|s| s.chars().count())
}

/// Deletes the longest of `suffixes` the word ends with when it starts at or after `from`
/// (Snowball's `try ([substring] R among (... delete))`: a longer match out of the region
/// stops the attempt).
pub(crate) fn delete_if_from(w: &mut Word, suffixes: &[&str], from: usize) -> bool {
    if let Some(s) = w.longest_suffix(suffixes) {
        let start = w.start_of(s);
        if start >= from {
            w.truncate(start);
            return true;
        }
    }
    false
}
