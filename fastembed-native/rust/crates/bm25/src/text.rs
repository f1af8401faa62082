//! fastembed's BM25 text splitting, reproduced with Python's character classes.
//!
//! fastembed first replaces every character that is not `\w`, `\s` or a combining mark with a
//! space (`remove_non_alphanumeric`), then lowercases and splits on everything that is not a
//! word character (`SimpleTokenizer`). Python's `\w` and `\s` differ from Rust's `char`
//! predicates in a few places, so both are spelled out here.

use unicode_normalization::char::is_combining_mark;

/// Splits `text` into the lowercase words fastembed's BM25 sees, before stopwords and stemming.
pub(crate) fn words(text: &str) -> Vec<String> {
    let cleaned: String = text
        .chars()
        .map(|c| if is_word(c) || is_python_space(c) { c } else { ' ' })
        .collect();
    cleaned
        .to_lowercase()
        .split(|c: char| !is_word(c))
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A character fastembed keeps inside a word: Python's `\w` (letters, numbers, `_`) or a
/// combining mark, which fastembed keeps so that Indic and Arabic words are not cut at every
/// vowel sign.
fn is_word(c: char) -> bool {
    is_python_alnum(c) || c == '_' || is_combining_mark(c)
}

/// Python's `str.isalnum()`: general categories L* and N*. Rust's `is_alphanumeric` also
/// accepts `Other_Alphabetic` characters; the ones that are not marks are the enclosed letters
/// (category So), which Python treats as symbols.
fn is_python_alnum(c: char) -> bool {
    c.is_alphanumeric() && !is_enclosed_letter(c)
}

fn is_enclosed_letter(c: char) -> bool {
    matches!(
        c,
        '\u{24B6}'..='\u{24E9}'
            | '\u{1F130}'..='\u{1F149}'
            | '\u{1F150}'..='\u{1F169}'
            | '\u{1F170}'..='\u{1F189}'
    )
}

/// Python's `str.isspace()`: Unicode White_Space plus the ASCII information separators.
fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1C}'..='\u{1F}').contains(&c)
}

/// Whether fastembed's BM25 drops `word` as punctuation: it checks the whole word against the
/// set of single characters of category P. The only such character a word can consist of is
/// the connector `_` (the sole P character that Python's `\w` matches).
pub(crate) fn is_punctuation_word(word: &str) -> bool {
    word == "_"
}

/// Python's `string.punctuation`, which BM42 uses to drop WordPiece punctuation tokens.
pub(crate) fn is_ascii_punctuation_word(word: &str) -> bool {
    let mut chars = word.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_ascii_punctuation())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_punctuation_and_lowercases() {
        assert_eq!(
            words("Hello, World! it's 3.5-fold"),
            ["hello", "world", "it", "s", "3", "5", "fold"]
        );
    }

    #[test]
    fn keeps_underscore_digits_and_combining_marks() {
        assert_eq!(words("snake_case x²"), ["snake_case", "x²"]);
        // Tamil: the vowel sign U+0BBF is a combining mark and stays inside the word.
        assert_eq!(words("தமிழ் மொழி"), ["தமிழ்", "மொழி"]);
    }

    #[test]
    fn enclosed_letters_and_symbols_separate_words() {
        assert_eq!(words("aⒶb c€d"), ["a", "b", "c", "d"]);
    }

    #[test]
    fn lowercases_with_full_unicode_mapping() {
        assert_eq!(words("ΟΔΟΣ İstanbul"), ["οδο\u{3C2}", "i\u{307}stanbul"]);
    }
}
