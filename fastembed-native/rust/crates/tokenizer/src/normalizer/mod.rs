//! Normalizers: rewrite the text before it is cut into words (lowercasing, accents, ...).

mod basic;
mod bert;
mod precompiled;
pub(crate) mod unicode;

use crate::error::{Result, TokenizerError};
use crate::json::Node;
use crate::normalized::NormalizedString;
use basic::Replace;
use bert::BertNormalizer;
use precompiled::Precompiled;
use unicode::{apply_form, Form};

#[derive(Debug)]
pub(crate) enum Normalizer {
    Bert(BertNormalizer),
    Unicode(Form),
    Lowercase,
    Strip { left: bool, right: bool },
    StripAccents,
    Replace(Replace),
    Prepend(String),
    Nmt,
    Precompiled(Precompiled),
    ByteLevel,
    Sequence(Vec<Normalizer>),
}

impl Normalizer {
    pub fn from_json(node: &Node) -> Result<Self> {
        let kind = node.type_tag()?;
        Ok(match kind {
            "BertNormalizer" => Normalizer::Bert(BertNormalizer::from_json(node)?),
            "NFC" => Normalizer::Unicode(Form::Nfc),
            "NFD" => Normalizer::Unicode(Form::Nfd),
            "NFKC" => Normalizer::Unicode(Form::Nfkc),
            "NFKD" => Normalizer::Unicode(Form::Nfkd),
            "Lowercase" => Normalizer::Lowercase,
            "Strip" => Normalizer::Strip {
                left: node.bool_or("strip_left", true)?,
                right: node.bool_or("strip_right", true)?,
            },
            "StripAccents" => Normalizer::StripAccents,
            "Replace" => Normalizer::Replace(Replace::from_json(node)?),
            "Prepend" => Normalizer::Prepend(node.str_field("prepend")?.to_string()),
            "Nmt" => Normalizer::Nmt,
            "Precompiled" => Normalizer::Precompiled(Precompiled::from_json(node)?),
            "ByteLevel" => Normalizer::ByteLevel,
            "Sequence" => Normalizer::Sequence(
                node.require("normalizers")?
                    .items()?
                    .iter()
                    .map(Normalizer::from_json)
                    .collect::<Result<_>>()?,
            ),
            other => {
                return Err(TokenizerError::UnknownComponent {
                    component: "normalizer",
                    type_name: other.to_string(),
                    path: node.path().to_string(),
                })
            }
        })
    }

    pub fn normalize(&self, n: &mut NormalizedString) -> Result<()> {
        match self {
            Normalizer::Bert(b) => b.normalize(n)?,
            Normalizer::Unicode(form) => apply_form(n, *form)?,
            Normalizer::Lowercase => n.lowercase(),
            Normalizer::Strip { left, right } => n.strip(*left, *right),
            Normalizer::StripAccents => basic::strip_combining_marks(n),
            Normalizer::Replace(r) => r.normalize(n)?,
            Normalizer::Prepend(p) => basic::prepend(n, p),
            Normalizer::Nmt => basic::nmt(n),
            Normalizer::Precompiled(p) => p.normalize(n)?,
            Normalizer::ByteLevel => crate::pre_tokenizer::byte_level::bytes_to_chars(n),
            Normalizer::Sequence(all) => {
                for normalizer in all {
                    normalizer.normalize(n)?;
                }
            }
        }
        Ok(())
    }

    /// Normalizes a plain string (used for added tokens marked `normalized`).
    pub fn normalize_str(&self, s: &str) -> Result<String> {
        let mut n = NormalizedString::new(s, 0);
        self.normalize(&mut n)?;
        Ok(n.as_str().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(spec: serde_json::Value, input: &str) -> String {
        let n = Normalizer::from_json(&Node::root(&spec)).unwrap();
        n.normalize_str(input).unwrap()
    }

    #[test]
    fn bert_cleans_isolates_cjk_strips_and_lowercases() {
        let spec = json!({"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true,
                          "strip_accents": null, "lowercase": true});
        assert_eq!(run(spec, "Héllo\tW\u{0}orld\u{200b}你好"), "hello world 你  好 ");
    }

    #[test]
    fn bert_without_lowercase_keeps_accents_when_strip_is_null() {
        let spec = json!({"type": "BertNormalizer", "strip_accents": null, "lowercase": false});
        assert_eq!(run(spec, "Héllo"), "Héllo");
        let spec = json!({"type": "BertNormalizer", "strip_accents": true, "lowercase": false});
        assert_eq!(run(spec, "Héllo"), "Hello");
    }

    #[test]
    fn sequence_replace_prepend_strip() {
        let spec = json!({"type": "Sequence", "normalizers": [
            {"type": "Strip", "strip_left": true, "strip_right": true},
            {"type": "Replace", "pattern": {"String": " "}, "content": "▁"},
            {"type": "Prepend", "prepend": "▁"},
        ]});
        assert_eq!(run(spec, "  a b  "), "▁a▁b");
    }

    #[test]
    fn replace_with_regex_collapses_spaces() {
        let spec = json!({"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "});
        assert_eq!(run(spec, "a    b  c"), "a b c");
    }

    #[test]
    fn nfkd_then_strip_accents() {
        let spec = json!({"type": "Sequence", "normalizers": [{"type": "NFKD"}, {"type": "StripAccents"}, {"type": "Lowercase"}]});
        assert_eq!(run(spec, "Ｃafé ﬁ"), "cafe fi");
    }

    #[test]
    fn unknown_type_names_component_and_path() {
        let spec = json!({"type": "Sequence", "normalizers": [{"type": "NFC"}, {"type": "Bogus"}]});
        let err = Normalizer::from_json(&Node::root(&spec)).unwrap_err().to_string();
        assert!(
            err.contains("normalizer") && err.contains("Bogus") && err.contains("normalizers[1]"),
            "{err}"
        );
    }
}
