//! The Snowball German stemmer (Snowball 2.x).

use std::borrow::Cow;

use super::word::Word;
use super::{unchanged_or, Stemmer};

/// Snowball's German stemmer.
#[derive(Debug, Clone, Copy, Default)]
pub struct German;

impl Stemmer for German {
    fn stem<'a>(&self, word: &'a str) -> Cow<'a, str> {
        unchanged_or(word, stem(word))
    }
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'ä' | 'ö' | 'ü')
}

/// Letters before which a final `s` is an ending.
fn is_s_ending(c: char) -> bool {
    matches!(c, 'b' | 'd' | 'f' | 'g' | 'h' | 'k' | 'l' | 'm' | 'n' | 'r' | 't')
}

/// Letters before which a final `st` is an ending (the `s` endings but `r`).
fn is_st_ending(c: char) -> bool {
    c != 'r' && is_s_ending(c)
}

fn stem(word: &str) -> String {
    let mut w = Word::new(&word.replace('ß', "ss"));
    mark_consonant_u_and_y(&mut w);
    let (p1, p2) = mark_regions(&w);
    standard_suffix(&mut w, p1, p2);
    w.chars
        .iter()
        .map(|&c| match c {
            'Y' => 'y',
            'U' | 'ü' => 'u',
            'ä' => 'a',
            'ö' => 'o',
            c => c,
        })
        .collect()
}

/// `u` and `y` between vowels are consonants: marked `U`/`Y` until the postlude.
fn mark_consonant_u_and_y(w: &mut Word) {
    for i in 1..w.len().saturating_sub(1) {
        if is_vowel(w.chars[i - 1]) && is_vowel(w.chars[i + 1]) {
            match w.chars[i] {
                'u' => w.chars[i] = 'U',
                'y' => w.chars[i] = 'Y',
                _ => {}
            }
        }
    }
}

/// R1 after the first non-vowel following a vowel, but not before the 3rd letter; R2 likewise
/// within R1. Words under 3 letters have neither.
fn mark_regions(w: &Word) -> (usize, usize) {
    let limit = w.len();
    if limit < 3 {
        return (limit, limit);
    }
    let Some(p1) = after_vowel_then_consonant(w, 0) else {
        return (limit, limit);
    };
    let p2 = after_vowel_then_consonant(w, p1).unwrap_or(limit);
    (p1.max(3), p2)
}

fn after_vowel_then_consonant(w: &Word, from: usize) -> Option<usize> {
    let vowel = (from..w.len()).find(|&i| is_vowel(w.chars[i]))?;
    let consonant = (vowel + 1..w.len()).find(|&i| !is_vowel(w.chars[i]))?;
    Some(consonant + 1)
}

fn standard_suffix(w: &mut Word, p1: usize, p2: usize) {
    // Step 1: inflectional endings in R1.
    if let Some(suffix) = w.longest_suffix(&["e", "em", "en", "ern", "er", "s", "es"]) {
        let start = w.start_of(suffix);
        if start >= p1 {
            match suffix {
                "em" | "ern" | "er" => w.truncate(start),
                "e" | "en" | "es" => {
                    w.truncate(start);
                    if w.ends_with("niss") {
                        w.truncate(w.len() - 1);
                    }
                }
                _ => {
                    if start > 0 && is_s_ending(w.chars[start - 1]) {
                        w.truncate(start);
                    }
                }
            }
        }
    }

    // Step 2: more inflectional endings in R1.
    if let Some(suffix) = w.longest_suffix(&["en", "er", "st", "est"]) {
        let start = w.start_of(suffix);
        if start >= p1 {
            if suffix == "st" {
                // An st-ending letter before it, itself preceded by at least 3 letters.
                if start >= 4 && is_st_ending(w.chars[start - 1]) {
                    w.truncate(start);
                }
            } else {
                w.truncate(start);
            }
        }
    }

    // Step 3: derivational endings in R2.
    const STEP_3: &[&str] = &["end", "ig", "ung", "lich", "isch", "ik", "heit", "keit"];
    let Some(suffix) = w.longest_suffix(STEP_3) else {
        return;
    };
    let start = w.start_of(suffix);
    if start < p2 {
        return;
    }
    let preceded_by_e = start > 0 && w.chars[start - 1] == 'e';
    match suffix {
        "end" | "ung" => {
            w.truncate(start);
            if w.ends_with("ig") {
                let ig = w.len() - 2;
                if ig >= p2 && !(ig > 0 && w.chars[ig - 1] == 'e') {
                    w.truncate(ig);
                }
            }
        }
        "ig" | "ik" | "isch" => {
            if !preceded_by_e {
                w.truncate(start);
            }
        }
        "lich" | "heit" => {
            w.truncate(start);
            if let Some(s) = w.longest_suffix(&["er", "en"]) {
                let s_start = w.start_of(s);
                if s_start >= p1 {
                    w.truncate(s_start);
                }
            }
        }
        _ => {
            // "keit"
            w.truncate(start);
            if let Some(s) = w.longest_suffix(&["lich", "ig"]) {
                let s_start = w.start_of(s);
                if s_start >= p2 {
                    w.truncate(s_start);
                }
            }
        }
    }
}
