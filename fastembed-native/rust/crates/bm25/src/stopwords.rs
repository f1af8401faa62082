//! The stopword lists fastembed's "Qdrant/bm25" model ships (`<language>.txt`, taken from NLTK).

use std::collections::HashSet;

const ENGLISH: &str = include_str!("stopwords/english.txt");

/// The stopwords for a fastembed language name; empty for a language without a list (fastembed
/// filters nothing then, e.g. for Tamil).
pub(crate) fn for_language(language: &str) -> HashSet<String> {
    let list = match language {
        "english" => ENGLISH,
        _ => "",
    };
    list.lines()
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
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
}
