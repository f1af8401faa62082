//! Snowball stemmers, written from the published Snowball algorithm descriptions so that they
//! stem exactly as the `snowballstemmer` / `rust-stemmers` libraries fastembed uses.

use std::borrow::Cow;

mod english;
mod german;
mod italian;
mod portuguese;
mod romance;
mod scandinavian;
mod spanish;
mod word;

pub use english::English;
pub use german::German;
pub use italian::Italian;
pub use portuguese::Portuguese;
pub use scandinavian::{Danish, Norwegian, Swedish};
pub use spanish::Spanish;

/// Reduces a lowercase word to its stem.
pub trait Stemmer: Send + Sync {
    /// The stem of `word`; borrowed when the word is already a stem.
    fn stem<'a>(&self, word: &'a str) -> Cow<'a, str>;
}

/// The languages [`for_language`] has a stemmer for, by their fastembed names (a subset of
/// fastembed's: no Arabic, Dutch, Finnish, French, Greek, Hungarian, Romanian, Russian, Tamil
/// or Turkish yet).
pub const SUPPORTED_LANGUAGES: &[&str] = &[
    "danish",
    "english",
    "german",
    "italian",
    "norwegian",
    "portuguese",
    "spanish",
    "swedish",
];

/// The Snowball stemmer for a fastembed language name (`"english"`, ...), ignoring case.
pub fn for_language(lang: &str) -> Option<Box<dyn Stemmer>> {
    match lang.trim().to_lowercase().as_str() {
        "danish" => Some(Box::new(Danish)),
        "english" => Some(Box::new(English)),
        "italian" => Some(Box::new(Italian)),
        "norwegian" => Some(Box::new(Norwegian)),
        "swedish" => Some(Box::new(Swedish)),
        "german" => Some(Box::new(German)),
        "portuguese" => Some(Box::new(Portuguese)),
        "spanish" => Some(Box::new(Spanish)),
        _ => None,
    }
}

/// Returns `stemmed` borrowed from `word` when nothing changed, so callers pay no allocation
/// for words that are already stems.
pub(crate) fn unchanged_or<'a>(word: &'a str, stemmed: String) -> Cow<'a, str> {
    if stemmed == word {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(stemmed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The languages fastembed's Bm25 accepts.
    const FASTEMBED_LANGUAGES: &[&str] = &[
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
        "tamil",
        "turkish",
    ];

    #[test]
    fn supported_languages_are_exactly_those_with_a_stemmer() {
        for language in FASTEMBED_LANGUAGES {
            assert_eq!(
                for_language(language).is_some(),
                SUPPORTED_LANGUAGES.contains(language),
                "{language}"
            );
        }
        assert!(SUPPORTED_LANGUAGES.iter().all(|l| FASTEMBED_LANGUAGES.contains(l)));
    }
}
