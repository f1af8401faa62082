//! Oniguruma pattern syntax (what tokenizer.json patterns are written in) rewritten for the
//! `regex` engines, with character classes at HF's Unicode version.

use crate::unicode_props::{category_ranges, category_set, class_items, onig_word_items};

/// Rewrites an Oniguruma pattern for the `regex` engine with HF's character classes:
/// general-category properties (`\p{L}`, `\P{N}`, `\p{^Lu}`), `\w`/`\W` (Oniguruma: alphabetic,
/// marks, decimal numbers, connector punctuation), `\d`/`\D` and `\h`/`\H` become explicit Unicode 16.0
/// ranges. Other properties (scripts, binary properties) are left to the `regex` crate.
pub(crate) fn translate_onig(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.char_indices().peekable();
    let mut class_depth = 0usize;
    while let Some((_, c)) = chars.next() {
        match c {
            '\\' => {
                let Some((at, e)) = chars.next() else {
                    out.push('\\');
                    break;
                };
                let items = match e {
                    'w' | 'W' => Some((word_items(class_depth == 0), e == 'W')),
                    'd' | 'D' => Some((category_items("Nd"), e == 'D')),
                    'h' | 'H' => Some(("0-9a-fA-F".to_string(), e == 'H')),
                    'p' | 'P' => property_items(&pattern[at + 1..]).map(|(items, negated, len)| {
                        for _ in 0..len {
                            chars.next();
                        }
                        (items, negated != (e == 'P'))
                    }),
                    _ => None,
                };
                match items {
                    Some((items, false)) if class_depth > 0 => out.push_str(&items),
                    Some((items, false)) => {
                        out.push('[');
                        out.push_str(&items);
                        out.push(']');
                    }
                    Some((items, true)) => {
                        out.push_str("[^");
                        out.push_str(&items);
                        out.push(']');
                    }
                    None => {
                        out.push('\\');
                        out.push(e);
                    }
                }
            }
            '[' => {
                class_depth += 1;
                out.push('[');
                if chars.peek().map(|&(_, c)| c) == Some('^') {
                    chars.next();
                    out.push('^');
                }
                // A `]` right after `[` or `[^` is a literal in both syntaxes.
                if chars.peek().map(|&(_, c)| c) == Some(']') {
                    chars.next();
                    out.push_str(r"\]");
                }
            }
            ']' if class_depth > 0 => {
                class_depth -= 1;
                out.push(']');
            }
            _ => out.push(c),
        }
    }
    out
}

/// Oniguruma's `\w`. In a class it is Unicode's word set; alone, code points below 256 come
/// from its Latin-1 ctype table, which also counts `¹²³¼½¾` as word chars.
fn word_items(standalone: bool) -> String {
    static UNICODE: once_cell::sync::Lazy<String> = once_cell::sync::Lazy::new(onig_word_items);
    if standalone {
        format!(r"{}\x{{B2}}\x{{B3}}\x{{B9}}\x{{BC}}-\x{{BE}}", *UNICODE)
    } else {
        UNICODE.clone()
    }
}

fn category_items(name: &str) -> String {
    category_set(name).map_or_else(String::new, |set| class_items(&category_ranges(&set)))
}

/// Parses `{Name}` / `{^Name}` after `\p`: the class items, whether negated, and the
/// number of chars consumed; `None` when it is not a general category.
fn property_items(rest: &str) -> Option<(String, bool, usize)> {
    let body = rest.strip_prefix('{')?;
    let close = body.find('}')?;
    let name = &body[..close];
    let (negated, name) = match name.strip_prefix('^') {
        Some(n) => (true, n),
        None => (false, name),
    };
    let set = category_set(name)?;
    Some((
        class_items(&category_ranges(&set)),
        negated,
        rest[..close + 2].chars().count(),
    ))
}
