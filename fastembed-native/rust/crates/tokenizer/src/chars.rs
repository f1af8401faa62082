//! Character classes shared by several stages, defined exactly as HF tokenizers defines them.

use unicode_categories::UnicodeCategories;

/// Whitespace for BERT cleaning: Rust's White_Space plus the usual control whitespace.
pub(crate) fn is_bert_whitespace(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || c.is_whitespace()
}

/// Control for BERT cleaning: categories Cc, Cf, Co except tab and newlines.
pub(crate) fn is_bert_control(c: char) -> bool {
    !matches!(c, '\t' | '\n' | '\r') && c.is_other()
}

/// CJK ideographs that BERT isolates as single-char words.
pub(crate) fn is_chinese_char(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF
        | 0x3400..=0x4DBF
        | 0x20000..=0x2A6DF
        | 0x2A700..=0x2B73F
        | 0x2B740..=0x2B81F
        | 0x2B920..=0x2CEAF
        | 0xF900..=0xFAFF
        | 0x2F800..=0x2FA1F)
}

/// Punctuation as BERT and the Punctuation pre-tokenizer see it: ASCII punctuation
/// (which includes symbols like `$` and `+`) or Unicode category P*.
pub(crate) fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation() || c.is_punctuation()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert!(is_bert_whitespace('\u{3000}'));
        assert!(!is_bert_control('\n'));
        assert!(is_bert_control('\u{200b}'));
        assert!(is_chinese_char('你'));
        assert!(!is_chinese_char('あ'));
        assert!(is_punctuation('$'));
        assert!(is_punctuation('「'));
        assert!(!is_punctuation('€'));
    }
}
