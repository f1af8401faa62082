//! Leftmost-first matching of a top-level alternation, branch by branch. Used for patterns
//! whose only backtracking construct is `\s+(?!\S)` (GPT-2, Llama 3, Qwen, ...): backtracking
//! engines need stack proportional to the match length there, which megabyte-long runs of
//! letters or spaces exhaust, while each branch alone is a plain regex (or that one rule).

/// One run of consecutive branches, tried as a unit at a given start position.
#[derive(Debug)]
pub(crate) enum Branch {
    /// Plain branches joined with `|`, anchored at the start position.
    Plain(regex::Regex),
    /// `\s+(?!\S)`: a whitespace run, minus its last char when a non-space follows.
    SpacesNotBeforeWord,
}

pub(crate) const SPACES_NOT_BEFORE_WORD: &str = r"\s+(?!\S)";

/// Splits `pattern` at its top-level `|`s; `None` if it is not a plain top-level alternation
/// of branches this matcher can run (anchors and other look-arounds need the real engine).
pub(crate) fn split_top_level(pattern: &str) -> Option<Vec<&str>> {
    let bytes = pattern.as_bytes();
    let mut branches = Vec::new();
    let (mut depth, mut class, mut start, mut i) = (0usize, 0usize, 0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => {
                if class == 0
                    && matches!(
                        bytes.get(i + 1),
                        Some(b'b' | b'B' | b'A' | b'z' | b'Z' | b'G' | b'1'..=b'9' | b'k' | b'g')
                    )
                {
                    return None;
                }
                i += 1;
            }
            b'[' => class += 1,
            b']' if class > 0 => class -= 1,
            b'^' | b'$' if class == 0 => return None,
            b'(' if class == 0 => depth += 1,
            b')' if class == 0 => depth = depth.checked_sub(1)?,
            b'|' if class == 0 && depth == 0 => {
                branches.push(&pattern[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    branches.push(&pattern[start..]);
    let lookaround = |b: &str| b.contains("(?=") || b.contains("(?!") || b.contains("(?<") || b.contains("(?>");
    branches
        .iter()
        .all(|b| *b == SPACES_NOT_BEFORE_WORD || !lookaround(b))
        .then_some(branches)
}

/// Groups consecutive plain branches into one anchored regex each.
pub(crate) fn compile(branches: &[&str]) -> Result<Vec<Branch>, regex::Error> {
    let mut out = Vec::new();
    let mut plain: Vec<&str> = Vec::new();
    let flush = |plain: &mut Vec<&str>, out: &mut Vec<Branch>| -> Result<(), regex::Error> {
        if !plain.is_empty() {
            out.push(Branch::Plain(regex::Regex::new(&format!("^(?:{})", plain.join("|")))?));
            plain.clear();
        }
        Ok(())
    };
    for b in branches {
        if *b == SPACES_NOT_BEFORE_WORD {
            flush(&mut plain, &mut out)?;
            out.push(Branch::SpacesNotBeforeWord);
        } else {
            plain.push(b);
        }
    }
    flush(&mut plain, &mut out)?;
    Ok(out)
}

/// End of the match of `branches` starting exactly at `pos`, trying them in order.
fn match_at(branches: &[Branch], text: &str, pos: usize) -> Option<usize> {
    let rest = &text[pos..];
    branches.iter().find_map(|b| match b {
        Branch::Plain(re) => re.find(rest).map(|m| pos + m.end()),
        Branch::SpacesNotBeforeWord => {
            let run = rest.len() - rest.trim_start_matches(char::is_whitespace).len();
            if run == 0 {
                None
            } else if run == rest.len() {
                Some(text.len())
            } else {
                // Give back the last space so that it stays with the following word.
                let last = rest[..run].chars().next_back().map_or(1, char::len_utf8);
                (run > last).then(|| pos + run - last)
            }
        }
    })
}

/// All matches, non-overlapping, as a backtracking engine's find-iteration reports them.
pub(crate) fn find_all(branches: &[Branch], text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut pos = 0;
    let mut last_end: Option<usize> = None;
    while pos <= text.len() {
        match match_at(branches, text, pos) {
            Some(end) if end == pos => {
                // An empty match right after a match is skipped, as in the regex crates.
                if last_end != Some(pos) {
                    out.push((pos, pos));
                    last_end = Some(pos);
                }
                pos += text[pos..].chars().next().map_or(1, char::len_utf8);
            }
            Some(end) => {
                out.push((pos, end));
                last_end = Some(end);
                pos = end;
            }
            None => pos += text[pos..].chars().next().map_or(1, char::len_utf8),
        }
    }
    out
}
