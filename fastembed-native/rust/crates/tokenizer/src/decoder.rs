//! Decoders: token strings back to text. Only used by `Tokenizer::decode`; a decoder type
//! this crate does not know loads fine but makes `decode` fail with its name.

use crate::byte_level::CHAR_TO_BYTE;
use crate::error::{Result, TokenizerError};
use crate::json::Node;
use crate::pattern::Regex;

#[derive(Debug)]
pub(crate) enum Decoder {
    WordPiece {
        prefix: String,
        cleanup: bool,
    },
    Metaspace {
        replacement: char,
        strip_leading_space: bool,
    },
    ByteLevel,
    Bpe {
        suffix: String,
    },
    ByteFallback,
    Fuse,
    Strip {
        content: char,
        start: usize,
        stop: usize,
    },
    Replace {
        pattern: Regex,
        content: String,
    },
    Sequence(Vec<Decoder>),
    Unsupported {
        type_name: String,
        path: String,
    },
}

impl Decoder {
    pub fn from_json(node: &Node) -> Result<Self> {
        Ok(match node.type_tag()? {
            "WordPiece" => Decoder::WordPiece {
                prefix: node.opt_str("prefix")?.unwrap_or("##").to_string(),
                cleanup: node.bool_or("cleanup", true)?,
            },
            "Metaspace" => Decoder::Metaspace {
                replacement: node
                    .opt_str("replacement")?
                    .and_then(|s| s.chars().next())
                    .unwrap_or('▁'),
                strip_leading_space: match node.opt_str("prepend_scheme")? {
                    Some(scheme) => scheme != "never",
                    None => node.bool_or("add_prefix_space", true)?,
                },
            },
            "ByteLevel" => Decoder::ByteLevel,
            "BPEDecoder" => Decoder::Bpe {
                suffix: node.opt_str("suffix")?.unwrap_or("</w>").to_string(),
            },
            "ByteFallback" => Decoder::ByteFallback,
            "Fuse" => Decoder::Fuse,
            "Strip" => Decoder::Strip {
                content: node.opt_str("content")?.and_then(|s| s.chars().next()).unwrap_or(' '),
                start: node.opt_usize("start")?.unwrap_or(0),
                stop: node.opt_usize("stop")?.unwrap_or(0),
            },
            "Replace" => Decoder::Replace {
                pattern: Regex::from_pattern_json(&node.require("pattern")?)?,
                content: node.str_field("content")?.to_string(),
            },
            "Sequence" => Decoder::Sequence(
                node.require("decoders")?
                    .items()?
                    .iter()
                    .map(Decoder::from_json)
                    .collect::<Result<_>>()?,
            ),
            other => Decoder::Unsupported {
                type_name: other.to_string(),
                path: node.path().to_string(),
            },
        })
    }

    pub fn decode(&self, tokens: Vec<String>) -> Result<String> {
        Ok(self.decode_chain(tokens)?.concat())
    }

    fn decode_chain(&self, tokens: Vec<String>) -> Result<Vec<String>> {
        Ok(match self {
            Decoder::WordPiece { prefix, cleanup } => tokens
                .into_iter()
                .enumerate()
                .map(|(i, t)| {
                    let t = if i == 0 {
                        t
                    } else if let Some(rest) = t.strip_prefix(prefix.as_str()) {
                        rest.to_string()
                    } else {
                        format!(" {t}")
                    };
                    if *cleanup {
                        cleanup_spaces(&t)
                    } else {
                        t
                    }
                })
                .collect(),
            Decoder::Metaspace {
                replacement,
                strip_leading_space,
            } => tokens
                .into_iter()
                .enumerate()
                .map(|(i, t)| {
                    let t = t.replace(*replacement, " ");
                    match t.strip_prefix(' ') {
                        Some(rest) if i == 0 && *strip_leading_space => rest.to_string(),
                        _ => t,
                    }
                })
                .collect(),
            Decoder::ByteLevel => {
                let bytes: Vec<u8> = tokens
                    .iter()
                    .flat_map(|t| t.chars())
                    .flat_map(|c| match CHAR_TO_BYTE.get(&c) {
                        Some(&b) => vec![b],
                        None => c.to_string().into_bytes(),
                    })
                    .collect();
                vec![String::from_utf8_lossy(&bytes).into_owned()]
            }
            Decoder::Bpe { suffix } => {
                let n = tokens.len();
                tokens
                    .into_iter()
                    .enumerate()
                    .map(|(i, t)| t.replace(suffix.as_str(), if i + 1 == n { "" } else { " " }))
                    .collect()
            }
            Decoder::ByteFallback => byte_fallback(tokens),
            Decoder::Fuse => vec![tokens.concat()],
            Decoder::Strip { content, start, stop } => tokens
                .into_iter()
                .map(|t| {
                    let chars: Vec<char> = t.chars().collect();
                    let lead = chars.iter().take(*start).take_while(|c| *c == content).count();
                    let trail = chars[lead..]
                        .iter()
                        .rev()
                        .take(*stop)
                        .take_while(|c| *c == content)
                        .count();
                    chars[lead..chars.len() - trail].iter().collect()
                })
                .collect(),
            Decoder::Replace { pattern, content } => tokens
                .into_iter()
                .map(|t| {
                    let edits = pattern.find_all(&t)?;
                    let mut out = String::with_capacity(t.len());
                    let mut last = 0;
                    for (s, e) in edits {
                        out.push_str(&t[last..s]);
                        out.push_str(content);
                        last = e;
                    }
                    out.push_str(&t[last..]);
                    Ok(out)
                })
                .collect::<Result<_>>()?,
            Decoder::Sequence(all) => {
                let mut tokens = tokens;
                for d in all {
                    tokens = d.decode_chain(tokens)?;
                }
                tokens
            }
            Decoder::Unsupported { type_name, path } => {
                return Err(TokenizerError::Decode(format!(
                    "decoder type \"{type_name}\" at {path} is not supported"
                )))
            }
        })
    }
}

/// BERT-style removal of the space before punctuation and in English contractions.
fn cleanup_spaces(s: &str) -> String {
    s.replace(" .", ".")
        .replace(" ?", "?")
        .replace(" !", "!")
        .replace(" ,", ",")
        .replace(" ' ", "'")
        .replace(" n't", "n't")
        .replace(" 'm", "'m")
        .replace(" do not", " don't")
        .replace(" 's", "'s")
        .replace(" 've", "'ve")
        .replace(" 're", "'re")
}

/// `<0x41>`-style byte tokens become the text of their bytes (invalid UTF-8 → U+FFFD per byte).
fn byte_fallback(tokens: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut pending: Vec<u8> = Vec::new();
    let flush = |pending: &mut Vec<u8>, out: &mut Vec<String>| {
        if pending.is_empty() {
            return;
        }
        match String::from_utf8(pending.clone()) {
            Ok(s) => out.push(s),
            Err(_) => out.extend(std::iter::repeat_n("\u{FFFD}".to_string(), pending.len())),
        }
        pending.clear();
    };
    for t in tokens {
        let byte = (t.len() == 6 && t.starts_with("<0x") && t.ends_with('>'))
            .then(|| u8::from_str_radix(&t[3..5], 16).ok())
            .flatten();
        match byte {
            Some(b) => pending.push(b),
            None => {
                flush(&mut pending, &mut out);
                out.push(t);
            }
        }
    }
    flush(&mut pending, &mut out);
    out
}
