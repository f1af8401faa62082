//! Unicode normalization forms on a `NormalizedString`, keeping offsets per small segment.

use crate::error::Result;
use crate::normalized::NormalizedString;
use crate::unicode_props::known_to_hf_normalization;
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{is_nfc, is_nfd, is_nfkc, is_nfkd, UnicodeNormalization};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Form {
    Nfc,
    Nfd,
    Nfkc,
    Nfkd,
}

fn normalize_str(s: &str, form: Form) -> String {
    match form {
        Form::Nfc => s.nfc().collect(),
        Form::Nfd => s.nfd().collect(),
        Form::Nfkc => s.nfkc().collect(),
        Form::Nfkd => s.nfkd().collect(),
    }
}

fn is_normalized(s: &str, form: Form) -> bool {
    match form {
        Form::Nfc => is_nfc(s),
        Form::Nfd => is_nfd(s),
        Form::Nfkc => is_nfkc(s),
        Form::Nfkd => is_nfkd(s),
    }
}

/// Whether normalization never looks across a boundary placed before `c`: a starter that
/// is not a Hangul vowel/trailing jamo (those compose with the preceding syllable).
fn starts_segment(c: char) -> bool {
    canonical_combining_class(c) == 0 && !matches!(c as u32, 0x1161..=0x1175 | 0x11A8..=0x11C2)
}

/// Normalizes like HF, whose tables are Unicode 9.0: characters assigned later are left
/// as they are and, being unknown starters there, nothing composes or reorders across them.
pub(crate) fn apply_form(n: &mut NormalizedString, form: Form) -> Result<()> {
    let text = n.as_str();
    if text.is_ascii() {
        return Ok(());
    }
    if text.chars().all(known_to_hf_normalization) {
        return apply_known(n, form);
    }
    let mut pieces = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if known_to_hf_normalization(c) {
            continue;
        }
        if start < i {
            pieces.extend(normalized_pieces(&text[start..i], start, form)?);
        }
        let end = i + c.len_utf8();
        pieces.push((c.to_string(), (i, end)));
        start = end;
    }
    if start < text.len() {
        pieces.extend(normalized_pieces(&text[start..], start, form)?);
    }
    n.rebuild(pieces)
}

/// `text` (all known to Unicode 9.0) normalized, as pieces with their source ranges
/// offset by `base`.
fn normalized_pieces(text: &str, base: usize, form: Form) -> Result<Vec<(String, (usize, usize))>> {
    let mut sub = NormalizedString::new(text, 0);
    apply_known(&mut sub, form)?;
    let out = sub.as_str();
    let mut pieces: Vec<(String, (usize, usize))> = Vec::new();
    let mut i = 0;
    for c in out.chars() {
        let (s, e) = sub.original_span(i, i + c.len_utf8());
        i += c.len_utf8();
        match pieces.last_mut() {
            Some(last) if last.1 == (base + s, base + e) => last.0.push(c),
            _ => pieces.push((c.to_string(), (base + s, base + e))),
        }
    }
    Ok(pieces)
}

fn apply_known(n: &mut NormalizedString, form: Form) -> Result<()> {
    let text = n.as_str();
    if is_normalized(text, form) {
        return Ok(());
    }
    let whole = normalize_str(text, form);
    // Normalize segment by segment so each output char keeps a narrow original span.
    let mut pieces = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices().skip(1) {
        if starts_segment(c) {
            pieces.push((normalize_str(&text[start..i], form), (start, i)));
            start = i;
        }
    }
    pieces.push((normalize_str(&text[start..], form), (start, text.len())));
    let joined_len: usize = pieces.iter().map(|(p, _)| p.len()).sum();
    let agrees = joined_len == whole.len() && {
        let mut pos = 0;
        pieces.iter().all(|(p, _)| {
            let same = whole.as_bytes()[pos..pos + p.len()] == *p.as_bytes();
            pos += p.len();
            same
        })
    };
    if agrees {
        n.rebuild(pieces)
    } else {
        // Rare composition across our segment guess: keep the exact text, coarse offsets.
        let len = text.len();
        n.rebuild(vec![(whole, (0, len))])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfd_splits_accents_and_keeps_offsets() {
        let mut n = NormalizedString::new("xé", 0);
        apply_form(&mut n, Form::Nfd).unwrap();
        assert_eq!(n.as_str(), "xe\u{301}");
        assert_eq!(n.original_span(1, 4), (1, 3));
    }

    #[test]
    fn nfc_composes_and_reorders_marks() {
        let mut n = NormalizedString::new("e\u{301}a\u{323}\u{302}", 0);
        apply_form(&mut n, Form::Nfc).unwrap();
        assert_eq!(n.as_str(), "é\u{1ea1}\u{302}".nfc().collect::<String>());
        assert_eq!(n.as_str(), "e\u{301}a\u{323}\u{302}".nfc().collect::<String>());
    }

    #[test]
    fn characters_newer_than_unicode_9_stay_as_they_are() {
        // U+1E030 (Unicode 15) has a compatibility decomposition HF's tables do not know.
        let mut n = NormalizedString::new("ﬁ\u{1E030}e\u{301}", 0);
        apply_form(&mut n, Form::Nfkc).unwrap();
        assert_eq!(n.as_str(), "fi\u{1E030}é");
        assert_eq!(n.original_span(2, 6), (3, 7));
    }

    #[test]
    fn nfkc_of_hangul_jamo_composes_syllables() {
        let mut n = NormalizedString::new("\u{1100}\u{1161}\u{11a8}", 0);
        apply_form(&mut n, Form::Nfkc).unwrap();
        assert_eq!(n.as_str(), "\u{ac01}");
    }
}
