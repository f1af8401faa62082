//! The Snowball English ("Porter2") stemmer, as in Snowball 2.x (the algorithm `rust-stemmers`
//! 1.2 and `snowballstemmer` 2.2 generate code from).
//!
//! Positions are character indices. `p1`/`p2` are the starts of the regions R1/R2, fixed after
//! the prelude and never moved when suffixes are replaced, as in Snowball.

use std::borrow::Cow;

use super::word::Word;
use super::{unchanged_or, Stemmer};

/// Snowball's English stemmer.
#[derive(Debug, Clone, Copy, Default)]
pub struct English;

impl Stemmer for English {
    fn stem<'a>(&self, word: &'a str) -> Cow<'a, str> {
        if let Some(stem) = exceptional_form(word) {
            return unchanged_or(word, stem.to_owned());
        }
        if word.chars().nth(2).is_none() {
            return Cow::Borrowed(word);
        }
        unchanged_or(word, stem_regular(word))
    }
}

/// Whole words with a fixed stem (Snowball's `exception1`).
fn exceptional_form(word: &str) -> Option<&str> {
    Some(match word {
        "skis" => "ski",
        "skies" => "sky",
        "dying" => "die",
        "lying" => "lie",
        "tying" => "tie",
        "idly" => "idl",
        "gently" => "gentl",
        "ugly" => "ugli",
        "early" => "earli",
        "only" => "onli",
        "singly" => "singl",
        "sky" | "news" | "howe" | "atlas" | "cosmos" | "bias" | "andes" => word,
        _ => return None,
    })
}

/// Words left as they are once Step 1a has run (Snowball's `exception2`).
const INVARIANT_AFTER_STEP_1A: &[&str] = &[
    "inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed",
];

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// Snowball's `v_WXY`: the vowels plus `w`, `x` and the consonant marker `Y`.
fn is_vowel_wxy(c: char) -> bool {
    is_vowel(c) || matches!(c, 'w' | 'x' | 'Y')
}

fn is_valid_li(c: char) -> bool {
    matches!(c, 'c' | 'd' | 'e' | 'g' | 'h' | 'k' | 'm' | 'n' | 'r' | 't')
}

struct Regions {
    p1: usize,
    p2: usize,
}

impl Regions {
    fn r1(&self, at: usize) -> bool {
        self.p1 <= at
    }

    fn r2(&self, at: usize) -> bool {
        self.p2 <= at
    }
}

fn stem_regular(word: &str) -> String {
    let mut w = Word::new(word);
    let y_found = prelude(&mut w);
    let regions = mark_regions(&w);

    step_1a(&mut w);
    if !INVARIANT_AFTER_STEP_1A
        .iter()
        .any(|s| w.chars.iter().copied().eq(s.chars()))
    {
        step_1b(&mut w, &regions);
        step_1c(&mut w);
        step_2(&mut w, &regions);
        step_3(&mut w, &regions);
        step_4(&mut w, &regions);
        step_5(&mut w, &regions);
    }

    if y_found {
        for c in &mut w.chars {
            if *c == 'Y' {
                *c = 'y';
            }
        }
    }
    w.into_string()
}

/// Drops a leading apostrophe and marks consonant `y`s (initial, or after a vowel) as `Y`.
/// Returns whether any `Y` was set, which decides whether the postlude turns them back.
fn prelude(w: &mut Word) -> bool {
    if w.chars.first() == Some(&'\'') {
        w.chars.remove(0);
    }
    let mut y_found = false;
    if w.chars.first() == Some(&'y') {
        w.chars[0] = 'Y';
        y_found = true;
    }
    // Left to right, so a `y` turned into `Y` no longer counts as the vowel before the next one.
    for i in 1..w.len() {
        if w.chars[i] == 'y' && is_vowel(w.chars[i - 1]) {
            w.chars[i] = 'Y';
            y_found = true;
        }
    }
    y_found
}

/// R1 starts after the first non-vowel that follows a vowel (or after one of the prefixes
/// `gener`, `commun`, `arsen`); R2 likewise within R1.
fn mark_regions(w: &Word) -> Regions {
    let limit = w.len();
    let mut regions = Regions { p1: limit, p2: limit };
    let prefix = ["gener", "commun", "arsen"]
        .iter()
        .find(|p| w.chars.len() >= p.len() && w.chars.iter().copied().take(p.len()).eq(p.chars()));
    let p1 = match prefix {
        Some(p) => Some(p.len()),
        None => after_vowel_then_consonant(w, 0),
    };
    if let Some(p1) = p1 {
        regions.p1 = p1;
        if let Some(p2) = after_vowel_then_consonant(w, p1) {
            regions.p2 = p2;
        }
    }
    regions
}

/// Snowball's `gopast v gopast non-v` from `from`: the position just past the first non-vowel
/// that follows a vowel.
fn after_vowel_then_consonant(w: &Word, from: usize) -> Option<usize> {
    let vowel = (from..w.len()).find(|&i| is_vowel(w.chars[i]))?;
    let consonant = (vowel + 1..w.len()).find(|&i| !is_vowel(w.chars[i]))?;
    Some(consonant + 1)
}

/// Whether the word part ending at `end` ends in a short syllable: non-vowel (not w, x, Y),
/// vowel, non-vowel; or, at the very start, vowel then non-vowel.
fn ends_in_short_syllable(w: &Word, end: usize) -> bool {
    let end = end as isize;
    let (Some(last), Some(middle)) = (w.at(end - 1), w.at(end - 2)) else {
        return false;
    };
    if !is_vowel_wxy(last) && is_vowel(middle) {
        if let Some(first) = w.at(end - 3) {
            if !is_vowel(first) {
                return true;
            }
        }
    }
    !is_vowel(last) && is_vowel(middle) && end == 2
}

fn step_1a(w: &mut Word) {
    if let Some(apostrophe) = w.longest_suffix(&["'", "'s'", "'s"]) {
        w.replace_end(apostrophe.chars().count(), "");
    }
    let Some(suffix) = w.longest_suffix(&["sses", "ied", "ies", "s", "us", "ss"]) else {
        return;
    };
    let start = w.start_of(suffix);
    match suffix {
        "sses" => w.replace_end(4, "ss"),
        "ied" | "ies" => w.replace_end(3, if start >= 2 { "i" } else { "ie" }),
        // Delete unless the only vowel before the `s` is the letter right before it.
        "s" if start >= 1 && (0..start - 1).any(|i| is_vowel(w.chars[i])) => w.replace_end(1, ""),
        _ => {} // "us", "ss", or an "s" right after the only vowel: keep
    }
}

fn step_1b(w: &mut Word, regions: &Regions) {
    let Some(suffix) = w.longest_suffix(&["eed", "eedly", "ed", "edly", "ing", "ingly"]) else {
        return;
    };
    let start = w.start_of(suffix);
    match suffix {
        "eed" | "eedly" => {
            if regions.r1(start) {
                w.replace_end(suffix.len(), "ee");
            }
        }
        _ => {
            if !(0..start).any(|i| is_vowel(w.chars[i])) {
                return;
            }
            w.replace_end(suffix.len(), "");
            const DOUBLES: &[&str] = &["bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"];
            if w.longest_suffix(&["at", "bl", "iz"]).is_some() {
                w.push_str("e");
            } else if w.longest_suffix(DOUBLES).is_some() {
                w.replace_end(1, "");
            } else if w.len() == regions.p1 && ends_in_short_syllable(w, w.len()) {
                w.push_str("e");
            }
        }
    }
}

/// A final `y`/`Y` after a non-vowel that is not the first letter becomes `i`.
fn step_1c(w: &mut Word) {
    let n = w.len() as isize;
    let (Some(last), Some(before)) = (w.at(n - 1), w.at(n - 2)) else {
        return;
    };
    if matches!(last, 'y' | 'Y') && !is_vowel(before) && n - 2 > 0 {
        w.replace_end(1, "i");
    }
}

fn step_2(w: &mut Word, regions: &Regions) {
    const SUFFIXES: &[&str] = &[
        "tional", "enci", "anci", "abli", "entli", "izer", "ization", "ational", "ation", "ator", "alism", "aliti",
        "alli", "fulness", "ousli", "ousness", "iveness", "iviti", "biliti", "bli", "ogi", "fulli", "lessli", "li",
    ];
    let Some(suffix) = w.longest_suffix(SUFFIXES) else {
        return;
    };
    let start = w.start_of(suffix);
    if !regions.r1(start) {
        return;
    }
    let n = suffix.len();
    let before = w.at(start as isize - 1);
    match suffix {
        "tional" => w.replace_end(n, "tion"),
        "enci" => w.replace_end(n, "ence"),
        "anci" => w.replace_end(n, "ance"),
        "abli" => w.replace_end(n, "able"),
        "entli" => w.replace_end(n, "ent"),
        "izer" | "ization" => w.replace_end(n, "ize"),
        "ational" | "ation" | "ator" => w.replace_end(n, "ate"),
        "alism" | "aliti" | "alli" => w.replace_end(n, "al"),
        "fulness" | "fulli" => w.replace_end(n, "ful"),
        "ousli" | "ousness" => w.replace_end(n, "ous"),
        "iveness" | "iviti" => w.replace_end(n, "ive"),
        "biliti" | "bli" => w.replace_end(n, "ble"),
        "ogi" if before == Some('l') => w.replace_end(n, "og"),
        "lessli" => w.replace_end(n, "less"),
        "li" if before.is_some_and(is_valid_li) => w.replace_end(n, ""),
        _ => {}
    }
}

fn step_3(w: &mut Word, regions: &Regions) {
    const SUFFIXES: &[&str] = &[
        "tional", "ational", "alize", "icate", "iciti", "ical", "ful", "ness", "ative",
    ];
    let Some(suffix) = w.longest_suffix(SUFFIXES) else {
        return;
    };
    let start = w.start_of(suffix);
    if !regions.r1(start) {
        return;
    }
    let n = suffix.len();
    match suffix {
        "tional" => w.replace_end(n, "tion"),
        "ational" => w.replace_end(n, "ate"),
        "alize" => w.replace_end(n, "al"),
        "icate" | "iciti" | "ical" => w.replace_end(n, "ic"),
        "ful" | "ness" => w.replace_end(n, ""),
        "ative" if regions.r2(start) => w.replace_end(n, ""),
        _ => {}
    }
}

fn step_4(w: &mut Word, regions: &Regions) {
    const SUFFIXES: &[&str] = &[
        "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ism", "ate", "iti", "ous",
        "ive", "ize", "ion",
    ];
    let Some(suffix) = w.longest_suffix(SUFFIXES) else {
        return;
    };
    let start = w.start_of(suffix);
    if !regions.r2(start) {
        return;
    }
    if suffix == "ion" && !matches!(w.at(start as isize - 1), Some('s' | 't')) {
        return;
    }
    w.replace_end(suffix.len(), "");
}

fn step_5(w: &mut Word, regions: &Regions) {
    let start = w.len().saturating_sub(1);
    if w.ends_with("e") {
        if regions.r2(start) || (regions.r1(start) && !ends_in_short_syllable(w, start)) {
            w.replace_end(1, "");
        }
    } else if w.ends_with("l") && regions.r2(start) && w.at(start as isize - 1) == Some('l') {
        w.replace_end(1, "");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stem(word: &str) -> String {
        English.stem(word).into_owned()
    }

    #[test]
    fn exceptional_forms_and_short_words() {
        assert_eq!(stem("skies"), "sky");
        assert_eq!(stem("news"), "news");
        assert_eq!(stem("at"), "at");
        assert_eq!(stem("generously"), "generous");
    }

    #[test]
    fn unchanged_words_are_borrowed() {
        assert!(matches!(English.stem("sky"), Cow::Borrowed(_)));
        assert!(matches!(English.stem("run"), Cow::Borrowed(_)));
    }
}
