//! Pre-tokenizers: cut the normalized text into words that the model tokenizes one by one.

pub(crate) mod byte_level;
mod metaspace;

use crate::chars::is_punctuation;
use crate::error::{Result, TokenizerError};
use crate::json::Node;
use crate::pattern::{apply_behavior, char_matches, regex_matches, Regex, SplitBehavior};
use crate::pretokenized::{PreTokenized, Split};
use byte_level::ByteLevel;
use metaspace::Metaspace;

#[derive(Debug)]
pub(crate) enum PreTokenizer {
    /// Split on whitespace (removed), then isolate each punctuation char.
    Bert,
    /// Words `\w+` and runs of other non-space chars `[^\w\s]+` (Rust regex classes).
    Whitespace(Regex),
    WhitespaceSplit,
    Punctuation(SplitBehavior),
    Digits {
        individual: bool,
    },
    CharDelimiter(char),
    Split {
        pattern: Regex,
        behavior: SplitBehavior,
        invert: bool,
    },
    Metaspace(Metaspace),
    ByteLevel(ByteLevel),
    Sequence(Vec<PreTokenizer>),
}

impl PreTokenizer {
    pub fn from_json(node: &Node) -> Result<Self> {
        let kind = node.type_tag()?;
        Ok(match kind {
            "BertPreTokenizer" => PreTokenizer::Bert,
            "Whitespace" => {
                // HF uses the `regex` crate's `\w`, at Unicode 16.0.
                let w = crate::unicode_props::regex_word_items();
                PreTokenizer::Whitespace(Regex::rust(&format!(r"[{w}]+|[^{w}\s]+")))
            }
            "WhitespaceSplit" => PreTokenizer::WhitespaceSplit,
            "Punctuation" => PreTokenizer::Punctuation(match node.get("behavior")? {
                Some(b) => SplitBehavior::from_json(&b)?,
                None => SplitBehavior::Isolated,
            }),
            "Digits" => PreTokenizer::Digits {
                individual: node.bool_or("individual_digits", false)?,
            },
            "CharDelimiterSplit" => {
                let d = node.require("delimiter")?;
                let mut chars = d.as_str()?.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => PreTokenizer::CharDelimiter(c),
                    _ => return Err(d.error("expected a single character")),
                }
            }
            "Split" => PreTokenizer::Split {
                pattern: Regex::from_pattern_json(&node.require("pattern")?)?,
                behavior: SplitBehavior::from_json(&node.require("behavior")?)?,
                invert: node.bool_or("invert", false)?,
            },
            "Metaspace" => PreTokenizer::Metaspace(Metaspace::from_json(node)?),
            "ByteLevel" => PreTokenizer::ByteLevel(ByteLevel::from_json(node)?),
            "Sequence" => PreTokenizer::Sequence(
                node.require("pretokenizers")?
                    .items()?
                    .iter()
                    .map(PreTokenizer::from_json)
                    .collect::<Result<_>>()?,
            ),
            other => {
                return Err(TokenizerError::UnknownComponent {
                    component: "pre_tokenizer",
                    type_name: other.to_string(),
                    path: node.path().to_string(),
                })
            }
        })
    }

    pub fn pre_tokenize(&self, pre: &mut PreTokenized) -> Result<()> {
        match self {
            PreTokenizer::Bert => {
                pre.split_ranges(|n| {
                    Ok(apply_behavior(
                        char_matches(n.as_str(), char::is_whitespace),
                        SplitBehavior::Removed,
                    ))
                })?;
                pre.split_ranges(|n| {
                    Ok(apply_behavior(
                        char_matches(n.as_str(), is_punctuation),
                        SplitBehavior::Isolated,
                    ))
                })
            }
            PreTokenizer::Whitespace(re) => pre.split_ranges(|n| {
                Ok(apply_behavior(
                    regex_matches(n.as_str(), re, true)?,
                    SplitBehavior::Removed,
                ))
            }),
            PreTokenizer::WhitespaceSplit => pre.split_ranges(|n| {
                Ok(apply_behavior(
                    char_matches(n.as_str(), char::is_whitespace),
                    SplitBehavior::Removed,
                ))
            }),
            PreTokenizer::Punctuation(behavior) => {
                pre.split_ranges(|n| Ok(apply_behavior(char_matches(n.as_str(), is_punctuation), *behavior)))
            }
            PreTokenizer::Digits { individual } => {
                let behavior = if *individual {
                    SplitBehavior::Isolated
                } else {
                    SplitBehavior::Contiguous
                };
                pre.split_ranges(|n| Ok(apply_behavior(char_matches(n.as_str(), char::is_numeric), behavior)))
            }
            PreTokenizer::CharDelimiter(d) => pre.split_ranges(|n| {
                Ok(apply_behavior(
                    char_matches(n.as_str(), |c| c == *d),
                    SplitBehavior::Removed,
                ))
            }),
            PreTokenizer::Split {
                pattern,
                behavior,
                invert,
            } => pre.split_ranges(|n| Ok(apply_behavior(regex_matches(n.as_str(), pattern, *invert)?, *behavior))),
            PreTokenizer::Metaspace(m) => pre.split(|mut n| {
                Ok(m.apply(&mut n)
                    .into_iter()
                    .map(|(s, e)| Split::plain(n.slice(s, e)))
                    .collect())
            }),
            PreTokenizer::ByteLevel(b) => b.pre_tokenize(pre),
            PreTokenizer::Sequence(all) => {
                for p in all {
                    p.pre_tokenize(pre)?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn words(spec: serde_json::Value, text: &str) -> Vec<String> {
        let p = PreTokenizer::from_json(&Node::root(&spec)).unwrap();
        let mut pre = PreTokenized::new(text);
        p.pre_tokenize(&mut pre).unwrap();
        pre.splits.iter().map(|s| s.normalized.as_str().to_string()).collect()
    }

    #[test]
    fn bert_splits_whitespace_and_isolates_punctuation() {
        assert_eq!(
            words(json!({"type": "BertPreTokenizer"}), "Hey, you!!  x$y"),
            ["Hey", ",", "you", "!", "!", "x", "$", "y"]
        );
    }

    #[test]
    fn whitespace_keeps_words_and_symbol_runs() {
        assert_eq!(
            words(json!({"type": "Whitespace"}), "Hey man!? ok"),
            ["Hey", "man", "!?", "ok"]
        );
    }

    #[test]
    fn digits_contiguous_and_individual() {
        assert_eq!(
            words(json!({"type": "Digits", "individual_digits": false}), "a123b"),
            ["a", "123", "b"]
        );
        assert_eq!(
            words(json!({"type": "Digits", "individual_digits": true}), "a12"),
            ["a", "1", "2"]
        );
    }

    #[test]
    fn split_regex_isolated_and_inverted() {
        let spec = json!({"type": "Split", "pattern": {"Regex": "\\d+"}, "behavior": "Isolated", "invert": false});
        assert_eq!(words(spec, "ab12cd"), ["ab", "12", "cd"]);
        let spec = json!({"type": "Split", "pattern": {"Regex": "\\d+"}, "behavior": "Removed", "invert": true});
        assert_eq!(words(spec, "ab12cd3"), ["12", "3"]);
    }

    #[test]
    fn sequence_whitespace_split_then_punctuation() {
        let spec = json!({"type": "Sequence", "pretokenizers": [
            {"type": "WhitespaceSplit"}, {"type": "Punctuation", "behavior": "MergedWithPrevious"}]});
        assert_eq!(words(spec, "hi, there."), ["hi,", "there."]);
    }

    #[test]
    fn metaspace_replaces_prepends_and_splits() {
        let spec = json!({"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true});
        assert_eq!(words(spec, "Hey  you"), ["▁Hey", "▁", "▁you"]);
        let spec = json!({"type": "Metaspace", "replacement": "▁", "add_prefix_space": false});
        assert_eq!(words(spec, "Hey you"), ["Hey", "▁you"]);
        let spec = json!({"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": false});
        assert_eq!(words(spec, "a b"), ["▁a▁b"]);
    }

    #[test]
    fn byte_level_splits_like_gpt2_and_maps_bytes() {
        let spec = json!({"type": "ByteLevel", "add_prefix_space": true, "use_regex": true});
        assert_eq!(
            words(spec, "Hello world's  é!"),
            ["ĠHello", "Ġworld", "'s", "Ġ", "ĠÃ©", "!"]
        );
        let spec = json!({"type": "ByteLevel", "add_prefix_space": false, "use_regex": false});
        assert_eq!(words(spec, "a b"), ["aĠb"]);
    }

    #[test]
    fn unknown_type_is_an_error() {
        let err = PreTokenizer::from_json(&Node::root(&json!({"type": "Nope"}))).unwrap_err();
        assert!(err.to_string().contains("pre_tokenizer type \"Nope\""), "{err}");
    }
}
