//! Finding split points: by char predicate or by (Oniguruma-flavoured) regular expression,
//! and turning matches into pieces according to a split behaviour, the way HF does.

use crate::error::Result;
use crate::json::Node;
pub(crate) use crate::regexp::Regex;

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
pub(crate) fn apply_behavior(matches: Vec<((usize, usize), bool)>, behavior: SplitBehavior) -> Vec<(usize, usize)> {
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
        assert_eq!(
            pieces(text, &apply_behavior(m(), SplitBehavior::Removed)),
            ["a", "b", "c"]
        );
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
}
