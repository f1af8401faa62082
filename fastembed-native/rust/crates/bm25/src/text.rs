//! fastembed's BM25 text splitting, reproduced with Python's character classes.
//!
//! fastembed first replaces every character that is not `\w` or `\s` with a space
//! (`remove_non_alphanumeric`), then lowercases and splits on everything that is not a word character
//! (`SimpleTokenizer`), both with Python's `re`. Python's `\w` and `\s` differ from Rust's `char`
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

/// A character fastembed keeps inside a word: Python's `\w`, letters, numbers and `_`. Combining marks are
/// not among them, so fastembed cuts Arabic words at their diacritics and Tamil words at their vowel signs
/// (Python's `re` has no Unicode word boundaries); the same cuts here keep the token hashes equal to those of
/// an index built with fastembed.
fn is_word(c: char) -> bool {
    is_python_alnum(c) || c == '_'
}

/// Python's `str.isalnum()`: general categories L* and N*. Rust's `is_alphanumeric` also accepts
/// `Other_Alphabetic` characters: vowel signs and other combining marks (category M), and the enclosed
/// letters (category So), which Python treats as symbols.
fn is_python_alnum(c: char) -> bool {
    c.is_alphanumeric() && !is_combining_mark(c) && !is_enclosed_letter(c)
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
    fn keeps_underscore_and_digits() {
        assert_eq!(words("snake_case x²"), ["snake_case", "x²"]);
    }

    #[test]
    fn cuts_words_at_combining_marks_as_pythons_re_does() {
        // Python 3.11: re.sub(r"[^\w]", " ", "தமிழ் மொழி").split() == ['தம', 'ழ', 'ம', 'ழ'] (the vowel signs
        // U+0BBF, U+0BCA and the virama U+0BCD are not \w); the Arabic fatha U+064E likewise.
        assert_eq!(words("தமிழ் மொழி"), ["தம", "ழ", "ம", "ழ"]);
        assert_eq!(words("هَذا"), ["ه", "ذا"]);
    }

    #[test]
    fn enclosed_letters_and_symbols_separate_words() {
        assert_eq!(words("aⒶb c€d"), ["a", "b", "c", "d"]);
    }

    #[test]
    fn lowercases_with_full_unicode_mapping() {
        // "İ" lowercases to "i" + U+0307, a combining mark, which then separates words as in Python.
        assert_eq!(words("ΟΔΟΣ İstanbul"), ["οδο\u{3C2}", "i", "stanbul"]);
    }
}
