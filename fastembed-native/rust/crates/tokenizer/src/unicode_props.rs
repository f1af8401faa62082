//! Unicode properties at the versions Hugging Face tokenizers 0.21 uses (see
//! `unicode_tables.rs`), where this crate's dependencies ship other versions: regex classes
//! (Unicode 16.0, while the `regex` crate here has 14.0) and the set of characters its
//! normalization tables know (Unicode 9.0, while `unicode-normalization` here has 15.0).

use crate::unicode_tables::{ASSIGNED_IN_UNICODE_9, CATEGORY_NAMES, GENERAL_CATEGORY, ONIG_WORD, REGEX_WORD};

fn in_ranges(ranges: &[(u32, u32)], c: char) -> bool {
    let c = c as u32;
    ranges
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// The `regex` crate's `\w` (HF uses it for `Whitespace` and `single_word` added tokens).
pub(crate) fn is_regex_word_char(c: char) -> bool {
    in_ranges(REGEX_WORD, c)
}

/// Whether HF's normalization tables know `c` (others pass NFC/NFD/NFKC/NFKD unchanged).
pub(crate) fn known_to_hf_normalization(c: char) -> bool {
    in_ranges(ASSIGNED_IN_UNICODE_9, c)
}

/// The general categories named by an Oniguruma property name (`L`, `Letter`, `Lu`,
/// `Uppercase_Letter`, ...), as a set of category indices; `None` if it is not a category.
pub(crate) fn category_set(name: &str) -> Option<Vec<u8>> {
    let key: String = name
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect();
    let short = match key.as_str() {
        "letter" => "l",
        "casedletter" | "l&" => "lc",
        "uppercaseletter" => "lu",
        "lowercaseletter" => "ll",
        "titlecaseletter" => "lt",
        "modifierletter" => "lm",
        "otherletter" => "lo",
        "mark" | "combiningmark" => "m",
        "nonspacingmark" => "mn",
        "spacingmark" => "mc",
        "enclosingmark" => "me",
        "number" => "n",
        "decimalnumber" | "digit" => "nd",
        "letternumber" => "nl",
        "othernumber" => "no",
        "punctuation" | "punct" => "p",
        "connectorpunctuation" => "pc",
        "dashpunctuation" => "pd",
        "openpunctuation" => "ps",
        "closepunctuation" => "pe",
        "initialpunctuation" => "pi",
        "finalpunctuation" => "pf",
        "otherpunctuation" => "po",
        "symbol" => "s",
        "mathsymbol" => "sm",
        "currencysymbol" => "sc",
        "modifiersymbol" => "sk",
        "othersymbol" => "so",
        "separator" => "z",
        "spaceseparator" => "zs",
        "lineseparator" => "zl",
        "paragraphseparator" => "zp",
        "other" => "c",
        "control" | "cntrl" => "cc",
        "format" => "cf",
        "surrogate" => "cs",
        "privateuse" => "co",
        "unassigned" => "cn",
        other => other,
    };
    let matches = |name: &str| -> bool {
        let name = name.to_ascii_lowercase();
        match short {
            "lc" => matches!(name.as_str(), "lu" | "ll" | "lt"),
            s if s.len() == 1 => name.starts_with(s),
            s => name == s,
        }
    };
    let set: Vec<u8> = CATEGORY_NAMES
        .iter()
        .enumerate()
        .filter(|(_, n)| !n.is_empty() && matches(n))
        .map(|(i, _)| i as u8)
        .collect();
    (!set.is_empty()).then_some(set)
}

/// Code point ranges of the given categories, adjacent runs merged, surrogates excluded.
pub(crate) fn category_ranges(set: &[u8]) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    for &(lo, hi, cat) in GENERAL_CATEGORY {
        if !set.contains(&cat) || (0xD800..=0xDFFF).contains(&lo) {
            continue;
        }
        match out.last_mut() {
            Some(last) if last.1 + 1 == lo => last.1 = hi,
            _ => out.push((lo, hi)),
        }
    }
    out
}

/// `ranges` written as regex class items (`\x{41}-\x{5A}...`), without brackets.
pub(crate) fn class_items(ranges: &[(u32, u32)]) -> String {
    let mut s = String::with_capacity(ranges.len() * 20);
    for &(lo, hi) in ranges {
        // Surrogates are not chars; split a range that spans them.
        let parts: &[(u32, u32)] = &[(lo, hi.min(0xD7FF)), (lo.max(0xE000), hi)];
        for &(a, b) in parts {
            if a > b {
                continue;
            }
            if a == b {
                s.push_str(&format!("\\x{{{a:X}}}"));
            } else {
                s.push_str(&format!("\\x{{{a:X}}}-\\x{{{b:X}}}"));
            }
        }
    }
    s
}

/// The `regex` crate's `\w` as class items.
pub(crate) fn regex_word_items() -> String {
    class_items(REGEX_WORD)
}

/// Oniguruma's `\w` as class items.
pub(crate) fn onig_word_items() -> String {
    class_items(ONIG_WORD)
}

/// HF's `StripAccents`: a combining mark (category M) of its Unicode 9.0 tables.
pub(crate) fn is_hf_combining_mark(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c) && known_to_hf_normalization(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_by_short_and_long_names() {
        assert_eq!(category_set("L"), category_set("Letter"));
        assert_eq!(category_set("Lu"), category_set("uppercase_letter"));
        assert_eq!(category_set("LC").map(|s| s.len()), Some(3));
        assert!(category_set("Han").is_none());
        let letters = category_ranges(&category_set("L").unwrap());
        assert!(
            letters.iter().any(|&(lo, hi)| lo <= 0x13D69 && 0x13D69 <= hi),
            "Unicode 16 letter"
        );
        assert!(
            !letters.iter().any(|&(lo, hi)| lo <= 0x323B0 && 0x323B0 <= hi),
            "Unicode 17 letter"
        );
    }

    #[test]
    fn word_chars_and_unicode_9_assignment() {
        assert!(is_regex_word_char('é') && is_regex_word_char('\u{200d}') && !is_regex_word_char('-'));
        assert!(known_to_hf_normalization('é'));
        assert!(!known_to_hf_normalization('\u{1E030}'));
    }
}
