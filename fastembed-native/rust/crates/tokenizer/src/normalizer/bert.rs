//! BertNormalizer: clean control chars and whitespace, isolate CJK ideographs, strip accents,
//! lowercase — in that order.

use crate::chars::{is_bert_control, is_bert_whitespace, is_chinese_char};
use crate::error::Result;
use crate::json::Node;
use crate::normalized::NormalizedString;
use crate::normalizer::unicode::{apply_form, Form};
use unicode_categories::UnicodeCategories;

#[derive(Debug)]
pub(crate) struct BertNormalizer {
    clean_text: bool,
    handle_chinese_chars: bool,
    strip_accents: bool,
    lowercase: bool,
}

impl BertNormalizer {
    pub fn from_json(node: &Node) -> Result<Self> {
        let lowercase = node.bool_or("lowercase", true)?;
        Ok(BertNormalizer {
            clean_text: node.bool_or("clean_text", true)?,
            handle_chinese_chars: node.bool_or("handle_chinese_chars", true)?,
            // `null` means "strip accents when lowercasing", as in the original BERT.
            strip_accents: node.opt_bool("strip_accents")?.unwrap_or(lowercase),
            lowercase,
        })
    }

    pub fn normalize(&self, n: &mut NormalizedString) -> Result<()> {
        if self.clean_text {
            n.map_chars(|c, out| {
                if c == '\0' || c == '\u{fffd}' || is_bert_control(c) {
                    return;
                }
                out.push(if is_bert_whitespace(c) { ' ' } else { c });
            });
        }
        if self.handle_chinese_chars && n.as_str().chars().any(is_chinese_char) {
            n.map_chars(|c, out| {
                if is_chinese_char(c) {
                    out.push(' ');
                    out.push(c);
                    out.push(' ');
                } else {
                    out.push(c);
                }
            });
        }
        if self.strip_accents {
            strip_accents(n)?;
        }
        if self.lowercase {
            n.lowercase();
        }
        Ok(())
    }
}

/// NFD, then drop nonspacing marks (category Mn).
pub(crate) fn strip_accents(n: &mut NormalizedString) -> Result<()> {
    apply_form(n, Form::Nfd)?;
    n.filter(|c| !c.is_mark_nonspacing());
    Ok(())
}
