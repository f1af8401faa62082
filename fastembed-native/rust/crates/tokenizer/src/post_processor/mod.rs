//! Post-processors: add the model's special tokens around the encoded sequence(s) and set
//! the type ids.

mod template;

use crate::encoding::Encoding;
use crate::error::{Result, TokenizerError};
use crate::json::Node;
use template::Template;

#[derive(Debug)]
pub(crate) enum PostProcessor {
    Template(Template),
    /// `[CLS] A [SEP]` / `[CLS] A [SEP] B [SEP]` (second part type id 1).
    Bert {
        cls: (String, u32),
        sep: (String, u32),
    },
    /// `<s> A </s>` / `<s> A </s> </s> B </s>`, all type ids 0.
    Roberta {
        cls: (String, u32),
        sep: (String, u32),
    },
    /// Only adjusts offsets in HF; ids are unchanged.
    ByteLevel,
    Sequence(Vec<PostProcessor>),
}

impl PostProcessor {
    pub fn from_json(node: &Node) -> Result<Self> {
        Ok(match node.type_tag()? {
            "TemplateProcessing" => PostProcessor::Template(Template::from_json(node)?),
            "BertProcessing" => PostProcessor::Bert {
                cls: token_pair(node, "cls")?,
                sep: token_pair(node, "sep")?,
            },
            "RobertaProcessing" => PostProcessor::Roberta {
                cls: token_pair(node, "cls")?,
                sep: token_pair(node, "sep")?,
            },
            "ByteLevel" => PostProcessor::ByteLevel,
            "Sequence" => PostProcessor::Sequence(
                node.require("processors")?
                    .items()?
                    .iter()
                    .map(PostProcessor::from_json)
                    .collect::<Result<_>>()?,
            ),
            other => {
                return Err(TokenizerError::UnknownComponent {
                    component: "post_processor",
                    type_name: other.to_string(),
                    path: node.path().to_string(),
                })
            }
        })
    }

    /// How many special tokens this adds to a single input or a pair.
    pub fn added_tokens(&self, is_pair: bool) -> usize {
        match self {
            PostProcessor::Template(t) => t.added_tokens(is_pair),
            PostProcessor::Bert { .. } => 2 + usize::from(is_pair),
            PostProcessor::Roberta { .. } => 2 + 2 * usize::from(is_pair),
            PostProcessor::ByteLevel => 0,
            PostProcessor::Sequence(all) => all.iter().map(|p| p.added_tokens(is_pair)).sum(),
        }
    }

    /// Turns the encodings of the input sequence(s) into the parts of the final encoding.
    pub fn process(&self, mut encodings: Vec<Encoding>, add_special_tokens: bool) -> Result<Vec<Encoding>> {
        match self {
            PostProcessor::Template(t) => t.process(encodings, add_special_tokens),
            PostProcessor::Bert { cls, sep } => {
                if !add_special_tokens {
                    return Ok(encodings);
                }
                for (i, e) in encodings.iter_mut().enumerate() {
                    let mut out = Encoding::default();
                    if i == 0 {
                        out.push(cls.1, cls.0.clone(), (0, 0), 0, true);
                    }
                    out.append(std::mem::take(e));
                    out.push(sep.1, sep.0.clone(), (0, 0), u32::from(i > 0), true);
                    *e = out;
                }
                Ok(encodings)
            }
            PostProcessor::Roberta { cls, sep } => {
                for e in encodings.iter_mut() {
                    e.set_type_ids(0);
                }
                if !add_special_tokens {
                    return Ok(encodings);
                }
                for (i, e) in encodings.iter_mut().enumerate() {
                    let mut out = Encoding::default();
                    let first = if i == 0 { cls } else { sep };
                    out.push(first.1, first.0.clone(), (0, 0), 0, true);
                    out.append(std::mem::take(e));
                    out.push(sep.1, sep.0.clone(), (0, 0), 0, true);
                    *e = out;
                }
                Ok(encodings)
            }
            PostProcessor::ByteLevel => Ok(encodings),
            PostProcessor::Sequence(all) => {
                for p in all {
                    encodings = p.process(encodings, add_special_tokens)?;
                }
                Ok(encodings)
            }
        }
    }
}

/// Reads `["[CLS]", 101]`.
fn token_pair(node: &Node, key: &str) -> Result<(String, u32)> {
    let pair = node.require(key)?;
    let items = pair.items()?;
    match items.as_slice() {
        [token, id] => {
            let token = token.as_str()?;
            Ok((token.to_string(), id.as_token_id(token)?))
        }
        _ => Err(pair.error("expected [token, id]")),
    }
}
