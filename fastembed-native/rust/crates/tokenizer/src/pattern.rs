//! Finding split points: by char predicate or by (Oniguruma-flavoured) regular expression,
//! and turning matches into pieces according to a split behaviour, the way HF does.

use crate::error::{Result, TokenizerError};
use crate::json::Node;
use crate::unicode_props::{category_ranges, category_set, class_items};

/// What happens to the matched delimiters when splitting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SplitBehavior {
    Removed,
    Isolated,
    MergedWithPrevious,
    MergedWithNext,
    Contiguous,
}

impl SplitBehavior {
    pub fn from_json(node: &Node) -> Result<Self> {
        Ok(match node.as_str()? {
            "Removed" => SplitBehavior::Removed,
            "Isolated" => SplitBehavior::Isolated,
            "MergedWithPrevious" => SplitBehavior::MergedWithPrevious,
            "MergedWithNext" => SplitBehavior::MergedWithNext,
            "Contiguous" => SplitBehavior::Contiguous,
            other => {
                return Err(node.error(format!(
                    "unknown split behavior \"{other}\" (expected Removed, Isolated, \
                     MergedWithPrevious, MergedWithNext or Contiguous)"
                )))
            }
        })
    }
}

/// A compiled regular expression: Oniguruma syntax (what HF's configurable patterns use),
/// or Rust `regex` syntax for the few patterns HF itself compiles with the `regex` crate.
#[derive(Debug)]
pub(crate) enum Regex {
    Onig(fancy_regex::Regex),
    Rust(regex::Regex),
}

/// Backtracking budget per search; generous because inputs can be megabytes long, but finite
/// so a pathological pattern gives an error instead of hanging.
const BACKTRACK_LIMIT: usize = 50_000_000;

impl Regex {
    pub fn new(onig_pattern: &str, path: &str) -> Result<Self> {
        let translated = translate_onig(onig_pattern);
        let inner = fancy_regex::RegexBuilder::new(&translated)
            .backtrack_limit(BACKTRACK_LIMIT)
            .build()
            .map_err(|e| TokenizerError::Regex {
                path: path.to_string(),
                pattern: onig_pattern.to_string(),
                message: e.to_string(),
            })?;
        Ok(Regex::Onig(inner))
    }

    /// Reads `{"String": "..."}` (a literal) or `{"Regex": "..."}`, as in Split and Replace.
    /// HF compiles both into a regex, so an empty literal matches at every position.
    pub fn from_pattern_json(node: &Node) -> Result<Self> {
        if let Some(s) = node.get("String")? {
            return Regex::literal(s.as_str()?, s.path());
        }
        if let Some(r) = node.get("Regex")? {
            return Regex::new(r.as_str()?, r.path());
        }
        Err(node.error("expected {\"String\": ...} or {\"Regex\": ...}"))
    }

    /// A pattern in Rust `regex` syntax; only for patterns fixed in this crate.
    pub fn rust(pattern: &str) -> Self {
        Regex::Rust(regex::Regex::new(pattern).expect("built-in pattern is valid"))
    }

    pub fn literal(text: &str, path: &str) -> Result<Self> {
        Regex::new(&fancy_regex::escape(text), path)
    }

    /// All non-overlapping matches, left to right.
    pub fn find_all(&self, text: &str) -> Result<Vec<(usize, usize)>> {
        let re = match self {
            Regex::Rust(re) => return Ok(re.find_iter(text).map(|m| (m.start(), m.end())).collect()),
            Regex::Onig(re) => re,
        };
        let mut out = Vec::new();
        for m in re.find_iter(text) {
            let m = m.map_err(|e| {
                TokenizerError::Encode(format!(
                    "regular expression {:?} failed on the input: {e}",
                    re.as_str()
                ))
            })?;
            out.push((m.start(), m.end()));
        }
        Ok(out)
    }
}

/// Rewrites an Oniguruma pattern for the `regex` engine with HF's character classes:
/// general-category properties (`\p{L}`, `\P{N}`, `\p{^Lu}`), `\w`/`\W` (Oniguruma: letters,
/// marks, numbers, connector punctuation), `\d`/`\D` and `\h`/`\H` become explicit Unicode 16.0
/// ranges. Other properties (scripts, binary properties) are left to the `regex` crate.
fn translate_onig(pattern: &str) -> String {
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
                    'w' | 'W' => Some((word_items(), e == 'W')),
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

fn word_items() -> String {
    static ITEMS: once_cell::sync::Lazy<String> = once_cell::sync::Lazy::new(|| {
        let set: Vec<u8> = ["L", "M", "N", "Pc"]
            .iter()
            .flat_map(|n| category_set(n).unwrap_or_default())
            .collect();
        class_items(&category_ranges(&set))
    });
    ITEMS.clone()
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
    Some((class_items(&category_ranges(&set)), negated, rest[..close + 2].chars().count()))
}

/// Splits `text` into maximal runs, each char matching `pred` being its own match.
pub(crate) fn char_matches<F: Fn(char) -> bool>(text: &str, pred: F) -> Vec<((usize, usize), bool)> {
    if text.is_empty() {
        return vec![((0, 0), false)];
    }
    let mut out = Vec::new();
    let mut last = 0;
    for (i, c) in text.char_indices() {
        if pred(c) {
            if last < i {
                out.push(((last, i), false));
            }
            let end = i + c.len_utf8();
            out.push(((i, end), true));
            last = end;
        }
    }
    if last < text.len() {
        out.push(((last, text.len()), false));
    }
    out
}

/// Matches of `re` interleaved with the gaps between them; `invert` swaps the two roles.
pub(crate) fn regex_matches(text: &str, re: &Regex, invert: bool) -> Result<Vec<((usize, usize), bool)>> {
    if text.is_empty() {
        return Ok(vec![((0, 0), invert)]);
    }
    let mut out = Vec::new();
    let mut prev = 0;
    for (start, end) in re.find_all(text)? {
        if prev != start {
            out.push(((prev, start), invert));
        }
        out.push(((start, end), !invert));
        prev = end;
    }
    if prev != text.len() {
        out.push(((prev, text.len()), invert));
    }
    Ok(out)
}

/// Applies a split behaviour to `(range, is_match)` pieces; returns the ranges to keep.
pub(crate) fn apply_behavior(
    matches: Vec<((usize, usize), bool)>,
    behavior: SplitBehavior,
) -> Vec<(usize, usize)> {
    match behavior {
        SplitBehavior::Isolated => matches.into_iter().map(|(r, _)| r).collect(),
        SplitBehavior::Removed => matches
            .into_iter()
            .filter(|(_, is_match)| !is_match)
            .map(|(r, _)| r)
            .collect(),
        SplitBehavior::Contiguous => {
            let mut out: Vec<(usize, usize)> = Vec::new();
            let mut previous_match = false;
            for (r, is_match) in matches {
                match out.last_mut() {
                    Some(last) if is_match == previous_match => last.1 = r.1,
                    _ => out.push(r),
                }
                previous_match = is_match;
            }
            out
        }
        SplitBehavior::MergedWithPrevious => {
            let mut out: Vec<(usize, usize)> = Vec::new();
            let mut previous_match = false;
            for (r, is_match) in matches {
                match out.last_mut() {
                    Some(last) if is_match && !previous_match => last.1 = r.1,
                    _ => out.push(r),
                }
                previous_match = is_match;
            }
            out
        }
        SplitBehavior::MergedWithNext => {
            let mut out: Vec<(usize, usize)> = Vec::new();
            let mut previous_match = false;
            for (r, is_match) in matches.into_iter().rev() {
                match out.last_mut() {
                    Some(last) if is_match && !previous_match => last.0 = r.0,
                    _ => out.push(r),
                }
                previous_match = is_match;
            }
            out.reverse();
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces<'a>(text: &'a str, ranges: &[(usize, usize)]) -> Vec<&'a str> {
        ranges.iter().map(|&(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn behaviors_on_char_matches() {
        let text = "a--b-c";
        let m = || char_matches(text, |c| c == '-');
        assert_eq!(pieces(text, &apply_behavior(m(), SplitBehavior::Removed)), ["a", "b", "c"]);
        assert_eq!(
            pieces(text, &apply_behavior(m(), SplitBehavior::Isolated)),
            ["a", "-", "-", "b", "-", "c"]
        );
        assert_eq!(
            pieces(text, &apply_behavior(m(), SplitBehavior::Contiguous)),
            ["a", "--", "b", "-", "c"]
        );
        assert_eq!(
            pieces(text, &apply_behavior(m(), SplitBehavior::MergedWithPrevious)),
            ["a-", "-", "b-", "c"]
        );
        assert_eq!(
            pieces(text, &apply_behavior(m(), SplitBehavior::MergedWithNext)),
            ["a", "-", "-b", "-c"]
        );
    }

    #[test]
    fn onig_word_class_includes_all_numbers() {
        let re = Regex::new(r"\w+", "t").unwrap();
        assert_eq!(re.find_all("x² y").unwrap(), vec![(0, 3), (4, 5)]);
        let re = Regex::new(r"[^\w\s]+", "t").unwrap();
        assert_eq!(re.find_all("a,;b").unwrap(), vec![(1, 3)]);
    }

    #[test]
    fn properties_use_unicode_16() {
        let re = Regex::new(r"\p{L}+", "t").unwrap();
        assert_eq!(re.find_all("a\u{13D69}b").unwrap(), vec![(0, 6)]);
        let re = Regex::new(r"[^\s\p{L}\p{N}]+", "t").unwrap();
        assert_eq!(re.find_all("a\u{13D69}-").unwrap(), vec![(5, 6)]);
        let re = Regex::new(r"\P{L}", "t").unwrap();
        assert_eq!(re.find_all("ab1").unwrap(), vec![(2, 3)]);
        let re = Regex::new(r"[\p{^N}]+", "t").unwrap();
        assert_eq!(re.find_all("12ab3").unwrap(), vec![(2, 4)]);
        let re = Regex::new(r"\p{Han}+", "t").unwrap();
        assert_eq!(re.find_all("a你好").unwrap(), vec![(1, 7)]);
    }

    #[test]
    fn gpt2_pattern_compiles_and_splits() {
        let re = Regex::new(
            r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+",
            "t",
        )
        .unwrap();
        let text = "Hello   world's 42!";
        let found: Vec<&str> = re.find_all(text).unwrap().iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(found, ["Hello", "  ", " world", "'s", " 42", "!"]);
    }
}
