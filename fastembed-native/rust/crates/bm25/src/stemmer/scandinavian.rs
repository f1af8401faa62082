//! The Snowball stemmers for Danish, Norwegian and Swedish (Snowball 2.x), which share their
//! region rule: R1 starts after the first non-vowel following a vowel, but not before the 4th
//! letter, and every ending they remove must lie wholly inside R1.

use std::borrow::Cow;

use super::word::Word;
use super::{unchanged_or, Stemmer};

/// Snowball's Danish stemmer.
#[derive(Debug, Clone, Copy, Default)]
pub struct Danish;

/// Snowball's Norwegian (Bokmål) stemmer.
#[derive(Debug, Clone, Copy, Default)]
pub struct Norwegian;

/// Snowball's Swedish stemmer.
#[derive(Debug, Clone, Copy, Default)]
pub struct Swedish;

/// Start of R1: after the first non-vowel that follows a vowel, at least 3; the word's length
/// when there is none or the word is shorter than 3 letters.
fn r1(w: &Word, is_vowel: fn(char) -> bool) -> usize {
    let limit = w.len();
    if limit < 3 {
        return limit;
    }
    (0..limit)
        .find(|&i| is_vowel(w.chars[i]))
        .and_then(|v| (v + 1..limit).find(|&i| !is_vowel(w.chars[i])))
        .map_or(limit, |c| (c + 1).max(3))
}

/// Snowball's `setlimit tomark p1 for ([substring])`: the longest ending inside R1.
fn ending_in_r1<'s>(w: &Word, endings: &[&'s str], p1: usize) -> Option<&'s str> {
    endings
        .iter()
        .copied()
        .filter(|e| w.ends_with(e) && w.start_of(e) >= p1)
        .max_by_key(|e| e.chars().count())
}

impl Stemmer for Swedish {
    fn stem<'a>(&self, word: &'a str) -> Cow<'a, str> {
        fn is_vowel(c: char) -> bool {
            matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'ä' | 'å' | 'ö')
        }
        fn is_s_ending(c: char) -> bool {
            matches!(
                c,
                'b' | 'c' | 'd' | 'f' | 'g' | 'h' | 'j' | 'k' | 'l' | 'm' | 'n' | 'o' | 'p' | 'r' | 't' | 'v' | 'y'
            )
        }
        const MAIN: &[&str] = &[
            "a", "arna", "erna", "heterna", "orna", "ad", "e", "ade", "ande", "arne", "are", "aste", "en", "anden",
            "aren", "heten", "ern", "ar", "er", "heter", "or", "as", "arnas", "ernas", "ornas", "es", "ades", "andes",
            "ens", "arens", "hetens", "erns", "at", "andet", "het", "ast", "s",
        ];
        let mut w = Word::new(word);
        let p1 = r1(&w, is_vowel);
        if let Some(ending) = ending_in_r1(&w, MAIN, p1) {
            let start = w.start_of(ending);
            if ending != "s" || (start > 0 && is_s_ending(w.chars[start - 1])) {
                w.truncate(start);
            }
        }
        if ending_in_r1(&w, &["dd", "gd", "nn", "dt", "gt", "kt", "tt"], p1).is_some() {
            w.truncate(w.len() - 1);
        }
        if let Some(ending) = ending_in_r1(&w, &["lig", "ig", "els", "löst", "fullt"], p1) {
            let start = w.start_of(ending);
            match ending {
                "löst" | "fullt" => w.truncate(w.len() - 1),
                _ => w.truncate(start),
            }
        }
        unchanged_or(word, w.into_string())
    }
}

impl Stemmer for Norwegian {
    fn stem<'a>(&self, word: &'a str) -> Cow<'a, str> {
        fn is_vowel(c: char) -> bool {
            matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'æ' | 'å' | 'ø')
        }
        fn is_s_ending(c: char) -> bool {
            matches!(
                c,
                'b' | 'c' | 'd' | 'f' | 'g' | 'h' | 'j' | 'l' | 'm' | 'n' | 'o' | 'p' | 'r' | 't' | 'v' | 'y' | 'z'
            )
        }
        const MAIN: &[&str] = &[
            "a", "e", "ede", "ande", "ende", "ane", "ene", "hetene", "en", "heten", "ar", "er", "heter", "as", "es",
            "edes", "endes", "enes", "hetenes", "ens", "hetens", "ers", "ets", "et", "het", "ast", "s", "erte", "ert",
        ];
        let mut w = Word::new(word);
        let p1 = r1(&w, is_vowel);
        if let Some(ending) = ending_in_r1(&w, MAIN, p1) {
            let start = w.start_of(ending);
            match ending {
                "s" => {
                    let before = w.at(start as isize - 1);
                    let k_after_consonant =
                        before == Some('k') && w.at(start as isize - 2).is_some_and(|c| !is_vowel(c));
                    if before.is_some_and(is_s_ending) || k_after_consonant {
                        w.truncate(start);
                    }
                }
                "erte" | "ert" => {
                    w.truncate(start);
                    w.push_str("er");
                }
                _ => w.truncate(start),
            }
        }
        if ending_in_r1(&w, &["dt", "vt"], p1).is_some() {
            w.truncate(w.len() - 1);
        }
        const OTHER: &[&str] = &[
            "leg", "eleg", "ig", "eig", "lig", "elig", "els", "lov", "elov", "slov", "hetslov",
        ];
        if let Some(ending) = ending_in_r1(&w, OTHER, p1) {
            w.truncate(w.start_of(ending));
        }
        unchanged_or(word, w.into_string())
    }
}

impl Stemmer for Danish {
    fn stem<'a>(&self, word: &'a str) -> Cow<'a, str> {
        fn is_vowel(c: char) -> bool {
            matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'æ' | 'å' | 'ø')
        }
        fn is_consonant(c: char) -> bool {
            matches!(
                c,
                'b' | 'c'
                    | 'd'
                    | 'f'
                    | 'g'
                    | 'h'
                    | 'j'
                    | 'k'
                    | 'l'
                    | 'm'
                    | 'n'
                    | 'p'
                    | 'q'
                    | 'r'
                    | 's'
                    | 't'
                    | 'v'
                    | 'w'
                    | 'x'
                    | 'z'
            )
        }
        fn is_s_ending(c: char) -> bool {
            matches!(
                c,
                'a' | 'b'
                    | 'c'
                    | 'd'
                    | 'f'
                    | 'g'
                    | 'h'
                    | 'j'
                    | 'k'
                    | 'l'
                    | 'm'
                    | 'n'
                    | 'o'
                    | 'p'
                    | 'r'
                    | 't'
                    | 'v'
                    | 'y'
                    | 'z'
                    | 'å'
            )
        }
        const MAIN: &[&str] = &[
            "hed", "ethed", "ered", "e", "erede", "ende", "erende", "ene", "erne", "ere", "en", "heden", "eren", "er",
            "heder", "erer", "heds", "es", "endes", "erendes", "enes", "ernes", "eres", "ens", "hedens", "erens",
            "ers", "ets", "erets", "et", "eret", "s",
        ];
        fn consonant_pair(w: &mut Word, p1: usize) {
            if ending_in_r1(w, &["gd", "dt", "gt", "kt"], p1).is_some() {
                w.truncate(w.len() - 1);
            }
        }
        let mut w = Word::new(word);
        let p1 = r1(&w, is_vowel);
        if let Some(ending) = ending_in_r1(&w, MAIN, p1) {
            let start = w.start_of(ending);
            if ending != "s" || (start > 0 && is_s_ending(w.chars[start - 1])) {
                w.truncate(start);
            }
        }
        consonant_pair(&mut w, p1);
        // "-igst" loses its "st" wherever it is.
        if w.ends_with("igst") {
            w.truncate(w.len() - 2);
        }
        if let Some(ending) = ending_in_r1(&w, &["ig", "lig", "elig", "els", "løst"], p1) {
            if ending == "løst" {
                w.truncate(w.len() - 1);
            } else {
                w.truncate(w.start_of(ending));
                consonant_pair(&mut w, p1);
            }
        }
        // A doubled final consonant in R1 is undoubled.
        let n = w.len();
        if n >= 2 && n > p1 && is_consonant(w.chars[n - 1]) && w.chars[n - 2] == w.chars[n - 1] {
            w.truncate(n - 1);
        }
        unchanged_or(word, w.into_string())
    }
}
