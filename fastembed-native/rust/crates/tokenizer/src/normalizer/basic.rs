//! The small normalizers: Strip, StripAccents, Replace, Prepend, Nmt.

use crate::error::Result;
use crate::json::Node;
use crate::normalized::NormalizedString;
use crate::pattern::Regex;
use crate::unicode_props::is_hf_combining_mark;

/// `StripAccents`: drops combining marks (all of category M, unlike BertNormalizer's Mn);
/// an NFD/NFKD normalizer is expected to run before it.
pub(crate) fn strip_combining_marks(n: &mut NormalizedString) {
    n.filter(|c| !is_hf_combining_mark(c));
}

/// `Replace`: every match of a literal or regex pattern becomes `content`.
#[derive(Debug)]
pub(crate) struct Replace {
    pattern: Regex,
    content: String,
}

impl Replace {
    pub fn from_json(node: &Node) -> Result<Self> {
        let pattern = Regex::from_pattern_json(&node.require("pattern")?)?;
        Ok(Replace {
            pattern,
            content: node.str_field("content")?.to_string(),
        })
    }

    pub fn normalize(&self, n: &mut NormalizedString) -> Result<()> {
        let ranges = self.pattern.find_all(n.as_str())?;
        n.replace_ranges(&ranges, &self.content)
    }
}

/// `Nmt`: drops ASCII control chars and maps some invisible separators to a space.
pub(crate) fn nmt(n: &mut NormalizedString) {
    n.map_chars(|c, out| match c as u32 {
        0x0001..=0x0008 | 0x000B | 0x000E..=0x001F | 0x007F | 0x008F | 0x009F => {}
        0x0009 | 0x000A | 0x000C | 0x000D | 0x1680 | 0x200B..=0x200F | 0x2028 | 0x2029 | 0x2581 | 0xFEFF | 0xFFFD => {
            out.push(' ')
        }
        _ => out.push(c),
    });
}

pub(crate) fn prepend(n: &mut NormalizedString, prefix: &str) {
    if !n.is_empty() {
        n.prepend(prefix);
    }
}
