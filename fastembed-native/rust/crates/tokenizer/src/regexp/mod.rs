//! Regular expressions of tokenizer.json files. Patterns are Oniguruma syntax (HF compiles them
//! with Oniguruma); they are translated (see [`onig`]) and run with the fastest engine that
//! gives the same matches: the `regex` crate for plain patterns, a branch-wise matcher for the
//! usual `…|\s+(?!\S)|\s+` word patterns, `fancy-regex` for anything else.

mod branches;
mod onig;

use crate::error::{Result, TokenizerError};
use crate::json::Node;
use branches::Branch;

#[derive(Debug)]
pub(crate) struct Regex {
    /// The pattern as written in the file, for error messages.
    source: String,
    engine: Engine,
}

#[derive(Debug)]
enum Engine {
    Plain(regex::Regex),
    Branches(Vec<Branch>),
    Backtracking(fancy_regex::Regex),
}

/// Backtracking budget per search: finite, so a pathological pattern fails instead of hanging.
const BACKTRACK_LIMIT: usize = 50_000_000;

impl Regex {
    pub fn new(onig_pattern: &str, path: &str) -> Result<Self> {
        let translated = onig::translate_onig(onig_pattern);
        let error = |message: String| TokenizerError::Regex {
            path: path.to_string(),
            pattern: onig_pattern.to_string(),
            message,
        };
        let engine = match regex::Regex::new(&translated) {
            Ok(re) => Engine::Plain(re),
            Err(plain_error) => match branches::split_top_level(&translated) {
                Some(parts) if parts.contains(&branches::SPACES_NOT_BEFORE_WORD) => {
                    Engine::Branches(branches::compile(&parts).map_err(|e| error(e.to_string()))?)
                }
                _ => match fancy_regex::RegexBuilder::new(&translated)
                    .backtrack_limit(BACKTRACK_LIMIT)
                    .build()
                {
                    Ok(re) => Engine::Backtracking(re),
                    // Report the plain engine's message when the pattern is not even fancy.
                    Err(fancy_regex::Error::ParseError) => return Err(error(plain_error.to_string())),
                    Err(e) => return Err(error(e.to_string())),
                },
            },
        };
        Ok(Regex {
            source: onig_pattern.to_string(),
            engine,
        })
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

    /// A pattern in Rust `regex` syntax; only for patterns built by this crate.
    pub fn rust(pattern: &str) -> Self {
        Regex {
            source: pattern.to_string(),
            engine: Engine::Plain(regex::Regex::new(pattern).expect("built-in pattern is valid")),
        }
    }

    pub fn literal(text: &str, path: &str) -> Result<Self> {
        Regex::new(&regex::escape(text), path)
    }

    /// All non-overlapping matches, left to right.
    pub fn find_all(&self, text: &str) -> Result<Vec<(usize, usize)>> {
        match &self.engine {
            Engine::Plain(re) => Ok(re.find_iter(text).map(|m| (m.start(), m.end())).collect()),
            Engine::Branches(branches) => Ok(branches::find_all(branches, text)),
            Engine::Backtracking(re) => re
                .find_iter(text)
                .map(|m| {
                    m.map(|m| (m.start(), m.end())).map_err(|e| {
                        TokenizerError::Encode(format!("regular expression {:?} failed on the input: {e}", self.source))
                    })
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn onig_word_class_depends_on_context() {
        let re = Regex::new(r"\w+", "t").unwrap();
        assert_eq!(re.find_all("x² y").unwrap(), vec![(0, 3), (4, 5)]);
        assert_eq!(re.find_all("xⓐ⒅").unwrap(), vec![(0, 4)]);
        // In a class, `\w` is the Unicode set, without the Latin-1 superscripts and fractions.
        let re = Regex::new(r"[^\w\s]+", "t").unwrap();
        assert_eq!(re.find_all("a,;b|¼").unwrap(), vec![(1, 3), (4, 7)]);
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

    const GPT2: &str = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";
    const LLAMA3: &str = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    #[test]
    fn branch_matcher_agrees_with_backtracking_engine() {
        let texts = [
            "Hello   world's  42!\n\n  x",
            "  a",
            "a  ",
            " \t\n b",
            "I'LL  do\r\n\r\nit  ",
            "",
            " ",
            "x\u{3000}\u{3000}y",
            "12345 6789",
            "don't\n  \n",
            "é\u{301}  ß",
            "'s's 's",
        ];
        for pattern in [GPT2, LLAMA3] {
            let ours = Regex::new(pattern, "t").unwrap();
            assert!(matches!(ours.engine, Engine::Branches(_)));
            let reference = fancy_regex::Regex::new(&onig::translate_onig(pattern)).unwrap();
            for text in texts {
                let want: Vec<(usize, usize)> = reference
                    .find_iter(text)
                    .map(|m| m.map(|m| (m.start(), m.end())).unwrap())
                    .collect();
                assert_eq!(ours.find_all(text).unwrap(), want, "{pattern:?} on {text:?}");
            }
        }
    }

    #[test]
    fn megabyte_runs_do_not_exhaust_any_stack() {
        let re = Regex::new(LLAMA3, "t").unwrap();
        let letters = "a".repeat(1 << 20);
        assert_eq!(re.find_all(&letters).unwrap(), vec![(0, 1 << 20)]);
        let spaces = format!("{}x", " ".repeat(1 << 20));
        assert_eq!(
            re.find_all(&spaces).unwrap(),
            vec![(0, (1 << 20) - 1), ((1 << 20) - 1, (1 << 20) + 1)]
        );
    }

    #[test]
    fn invalid_patterns_report_the_original_text() {
        let err = Regex::new(r"\p{L}(", "pre_tokenizer.pattern.Regex")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(r#"("\\p{L}(")"#) && err.contains("pre_tokenizer.pattern.Regex"),
            "{err}"
        );
        assert!(
            err.len() < 2000,
            "message should not embed the translated class: {}",
            err.len()
        );
    }
}
