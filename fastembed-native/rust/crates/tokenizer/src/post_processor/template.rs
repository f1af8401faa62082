//! TemplateProcessing: `[CLS] $A [SEP]` / `[CLS] $A [SEP] $B:1 [SEP]:1` style templates.

use crate::encoding::Encoding;
use crate::error::{Result, TokenizerError};
use crate::json::Node;
use std::collections::HashMap;

#[derive(Debug, Clone)]
enum Piece {
    /// The first (`A`) or second (`B`) input sequence, with the type id it gets.
    Sequence { second: bool, type_id: u32 },
    /// A key of the special-token table.
    Special { name: String, type_id: u32 },
}

#[derive(Debug)]
struct SpecialToken {
    ids: Vec<u32>,
    tokens: Vec<String>,
}

#[derive(Debug)]
pub(crate) struct Template {
    single: Vec<Piece>,
    pair: Option<Vec<Piece>>,
    specials: HashMap<String, SpecialToken>,
}

impl Template {
    pub fn from_json(node: &Node) -> Result<Self> {
        let mut specials = HashMap::new();
        if let Some(table) = node.get("special_tokens")? {
            for (name, entry) in table.entries()? {
                let ids = entry
                    .require("ids")?
                    .items()?
                    .iter()
                    .map(|n| n.as_token_id(name))
                    .collect::<Result<Vec<_>>>()?;
                let tokens = entry
                    .require("tokens")?
                    .items()?
                    .iter()
                    .map(|n| n.as_str().map(str::to_string))
                    .collect::<Result<Vec<_>>>()?;
                if ids.len() != tokens.len() {
                    return Err(entry.error("\"ids\" and \"tokens\" must have the same length"));
                }
                specials.insert(name.to_string(), SpecialToken { ids, tokens });
            }
        }
        let single = parse_template(&node.require("single")?, &specials)?;
        let pair = node.get("pair")?.map(|p| parse_template(&p, &specials)).transpose()?;
        Ok(Template { single, pair, specials })
    }

    pub fn added_tokens(&self, is_pair: bool) -> usize {
        let template = if is_pair {
            self.pair.as_deref().unwrap_or(&[])
        } else {
            &self.single
        };
        template
            .iter()
            .map(|p| match p {
                Piece::Special { name, .. } => self.specials.get(name).map_or(0, |s| s.ids.len()),
                Piece::Sequence { .. } => 0,
            })
            .sum()
    }

    pub fn process(&self, encodings: Vec<Encoding>, add_special_tokens: bool) -> Result<Vec<Encoding>> {
        let template = if encodings.len() == 2 {
            self.pair.as_ref().ok_or_else(|| {
                TokenizerError::Encode("the TemplateProcessing post-processor has no \"pair\" template".into())
            })?
        } else {
            &self.single
        };
        let mut out = Vec::with_capacity(template.len());
        for piece in template {
            match piece {
                Piece::Sequence { second, type_id } => {
                    let index = usize::from(*second);
                    let Some(encoding) = encodings.get(index) else {
                        return Err(TokenizerError::Encode(
                            "the post-processor template uses $B but only one sequence was given".into(),
                        ));
                    };
                    let mut encoding = encoding.clone();
                    encoding.set_type_ids(*type_id);
                    out.push(encoding);
                }
                Piece::Special { name, type_id } if add_special_tokens => {
                    let special = &self.specials[name];
                    let mut e = Encoding::default();
                    for (id, token) in special.ids.iter().zip(&special.tokens) {
                        e.push(*id, token.clone(), (0, 0), *type_id, true);
                    }
                    out.push(e);
                }
                Piece::Special { .. } => {}
            }
        }
        Ok(out)
    }
}

fn parse_template(node: &Node, specials: &HashMap<String, SpecialToken>) -> Result<Vec<Piece>> {
    let mut pieces = Vec::new();
    for item in node.items()? {
        if let Some(seq) = item.get("Sequence")? {
            let second = match seq.str_field("id")? {
                "A" => false,
                "B" => true,
                other => return Err(seq.error(format!("unknown sequence id \"{other}\" (expected A or B)"))),
            };
            let type_id = seq.get("type_id")?.map(|n| n.as_u32()).transpose()?.unwrap_or(0);
            pieces.push(Piece::Sequence { second, type_id });
        } else if let Some(special) = item.get("SpecialToken")? {
            let name = special.str_field("id")?.to_string();
            if !specials.contains_key(&name) {
                return Err(special.error(format!("special token \"{name}\" is missing from special_tokens")));
            }
            let type_id = special.get("type_id")?.map(|n| n.as_u32()).transpose()?.unwrap_or(0);
            pieces.push(Piece::Special { name, type_id });
        } else {
            return Err(item.error("expected {\"Sequence\": ...} or {\"SpecialToken\": ...}"));
        }
    }
    Ok(pieces)
}
