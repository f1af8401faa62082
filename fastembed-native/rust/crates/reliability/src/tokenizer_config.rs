//! Random tokenizer.json documents assembled from the components Hugging Face tokenizers define: a model
//! (WordPiece, WordLevel, BPE, Unigram), normalizers, pre-tokenizers, post-processors, decoders,
//! truncation, padding and added tokens. Most choices are well-formed; some are deliberately odd (an unk
//! token missing from the vocabulary, an empty pattern, a merge of unknown pieces, ids beyond the
//! vocabulary, `max_length` 0), because loading must then fail with an error or encode sensibly — never
//! panic or hang.

use crate::rng::Rng;
use serde_json::{json, Map, Value};

const SPECIALS: [&str; 5] = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
const PIECES: &[&str] = &[
    "a", "b", "c", "d", "e", "h", "l", "o", "r", "w", " ", "▁", "Ġ", "é", "你", "好", "😀", "\u{301}", "'", ".", ",",
    "0", "1", "ab", "he", "ll", "lo", "wo", "hello", "world", "▁he", "Ġw", "##b", "##o", "##lo", "</w>", "ing", "un",
    "<0x41>",
];
const PATTERNS: &[&str] = &[
    "",
    " ",
    "a",
    "\\s+",
    "\\w+|[^\\w\\s]+",
    "(a*)*b",
    "\\p{L}+",
    "[",
    "(?i)HELLO",
    "$",
    ".",
];

/// A random tokenizer.json from `seed`.
pub fn random_tokenizer_json(seed: u64) -> Value {
    let rng = &mut Rng::new(seed);
    let (model, vocab) = model(rng);
    let mut root = Map::new();
    root.insert("version".into(), json!("1.0"));
    root.insert("model".into(), model);
    root.insert("added_tokens".into(), added_tokens(rng, vocab));
    root.insert("normalizer".into(), optional(rng, |r| normalizer(r, 2)));
    root.insert("pre_tokenizer".into(), optional(rng, |r| pre_tokenizer(r, 2)));
    root.insert("post_processor".into(), optional(rng, |r| post_processor(r, 2)));
    root.insert("decoder".into(), optional(rng, |r| decoder(r, 2)));
    root.insert("truncation".into(), optional(rng, truncation));
    root.insert("padding".into(), optional(rng, padding));
    Value::Object(root)
}

fn optional(rng: &mut Rng, make: impl FnOnce(&mut Rng) -> Value) -> Value {
    if rng.chance(25) {
        Value::Null
    } else {
        make(rng)
    }
}

/// Specials first (ids 0..5), then a random subset of pieces.
fn vocabulary(rng: &mut Rng) -> Vec<String> {
    let mut vocab: Vec<String> = SPECIALS.iter().map(|s| s.to_string()).collect();
    for piece in PIECES {
        if rng.chance(70) {
            vocab.push(piece.to_string());
        }
    }
    vocab
}

fn vocab_object(vocab: &[String]) -> Value {
    Value::Object(vocab.iter().enumerate().map(|(i, t)| (t.clone(), json!(i))).collect())
}

fn model(rng: &mut Rng) -> (Value, usize) {
    let mut vocab = vocabulary(rng);
    let unk = if rng.chance(85) { "[UNK]" } else { "<missing-unk>" };
    let model = match rng.below(4) {
        0 => json!({
            "type": "WordPiece",
            "unk_token": unk,
            "continuing_subword_prefix": rng.pick(&["##", "", "▁"]),
            "max_input_chars_per_word": rng.pick(&[0, 1, 5, 100]),
            "vocab": vocab_object(&vocab),
        }),
        1 => json!({"type": "WordLevel", "unk_token": unk, "vocab": vocab_object(&vocab)}),
        2 => {
            let byte_fallback = rng.chance(30);
            if byte_fallback {
                vocab.extend((0..=255u8).map(|b| format!("<0x{b:02X}>")));
            }
            let merges = merges(rng, &mut vocab);
            json!({
                "type": "BPE",
                "dropout": rng.pick(&[Value::Null, Value::Null, json!(0.0), json!(1.0)]),
                "unk_token": if rng.chance(80) { json!(unk) } else { Value::Null },
                "continuing_subword_prefix": rng.pick(&[Value::Null, json!("##"), json!("")]),
                "end_of_word_suffix": rng.pick(&[Value::Null, json!("</w>")]),
                "fuse_unk": rng.bool(),
                "byte_fallback": byte_fallback,
                "ignore_merges": rng.bool(),
                "vocab": vocab_object(&vocab),
                "merges": merges,
            })
        }
        _ => {
            let byte_fallback = rng.chance(30);
            if byte_fallback {
                vocab.extend((0..=255u8).map(|b| format!("<0x{b:02X}>")));
            }
            let pieces: Vec<Value> = vocab
                .iter()
                .map(|t| json!([t, -((rng.below(2000) as f64) / 100.0)]))
                .collect();
            let unk_id = match rng.below(10) {
                0 => Value::Null,
                1 => json!(vocab.len() + 3),
                _ => json!(1),
            };
            json!({"type": "Unigram", "unk_id": unk_id, "byte_fallback": byte_fallback, "vocab": pieces})
        }
    };
    let size = vocab.len();
    (model, size)
}

/// Merges that build pieces of the vocabulary from two parts (added to the vocabulary when missing), in
/// vocabulary order, and now and then a merge of pieces that do not exist.
fn merges(rng: &mut Rng, vocab: &mut Vec<String>) -> Vec<Value> {
    let mut merges = Vec::new();
    let targets: Vec<String> = vocab
        .iter()
        .filter(|t| t.chars().count() >= 2 && !t.starts_with('[') && !t.starts_with("<0x"))
        .cloned()
        .collect();
    for target in targets {
        if !rng.chance(80) {
            continue;
        }
        let chars: Vec<char> = target.chars().collect();
        let cut = 1 + rng.below(chars.len() - 1);
        let (a, b): (String, String) = (chars[..cut].iter().collect(), chars[cut..].iter().collect());
        for part in [&a, &b] {
            if !vocab.contains(part) {
                vocab.push(part.clone());
            }
        }
        merges.push(if rng.bool() {
            json!(format!("{a} {b}"))
        } else {
            json!([a, b])
        });
    }
    if rng.chance(10) {
        merges.push(json!([rng.pick(PIECES), "never-a-piece"]));
    }
    merges
}

fn added_tokens(rng: &mut Rng, vocab_size: usize) -> Value {
    let mut tokens: Vec<Value> = SPECIALS
        .iter()
        .enumerate()
        .filter(|_| rng.chance(80))
        .map(|(id, s)| {
            json!({"id": id, "content": s, "single_word": false, "lstrip": false, "rstrip": false,
                              "normalized": false, "special": true})
        })
        .collect();
    for _ in 0..rng.below(3) {
        let content = *rng.pick(&["<extra>", "hello", " ", "", "é", "<s>", "##"]);
        let id = if rng.chance(80) {
            vocab_size + rng.below(4)
        } else {
            rng.below(vocab_size.max(1))
        };
        tokens.push(
            json!({"id": id, "content": content, "single_word": rng.bool(), "lstrip": rng.bool(),
                           "rstrip": rng.bool(), "normalized": rng.bool(), "special": rng.bool()}),
        );
    }
    Value::Array(tokens)
}

fn pattern(rng: &mut Rng) -> Value {
    let p = *rng.pick(PATTERNS);
    if rng.bool() {
        json!({"String": p})
    } else {
        json!({"Regex": p})
    }
}

const BEHAVIORS: [&str; 5] = [
    "Removed",
    "Isolated",
    "MergedWithPrevious",
    "MergedWithNext",
    "Contiguous",
];

fn behavior(rng: &mut Rng) -> &'static str {
    BEHAVIORS[rng.below(BEHAVIORS.len())]
}

fn normalizer(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth > 0 { 13 } else { 12 }) {
        0 => json!({"type": "BertNormalizer", "clean_text": rng.bool(), "handle_chinese_chars": rng.bool(),
                    "strip_accents": rng.pick(&[Value::Null, json!(true), json!(false)]), "lowercase": rng.bool()}),
        1 => json!({"type": "NFC"}),
        2 => json!({"type": "NFD"}),
        3 => json!({"type": "NFKC"}),
        4 => json!({"type": "NFKD"}),
        5 => json!({"type": "Lowercase"}),
        6 => json!({"type": "Strip", "strip_left": rng.bool(), "strip_right": rng.bool()}),
        7 => json!({"type": "StripAccents"}),
        8 => json!({"type": "Replace", "pattern": pattern(rng), "content": rng.pick(&["", " ", "▁", "xx"])}),
        9 => json!({"type": "Prepend", "prepend": rng.pick(&["▁", "", "ab"])}),
        10 => json!({"type": "Nmt"}),
        11 => json!({"type": "ByteLevel"}),
        _ => json!({"type": "Sequence",
                    "normalizers": (0..rng.below(4)).map(|_| normalizer(rng, depth - 1)).collect::<Vec<_>>()}),
    }
}

fn pre_tokenizer(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth > 0 { 11 } else { 10 }) {
        0 => json!({"type": "BertPreTokenizer"}),
        1 => json!({"type": "Whitespace"}),
        2 => json!({"type": "WhitespaceSplit"}),
        3 => json!({"type": "Punctuation", "behavior": behavior(rng)}),
        4 => json!({"type": "Digits", "individual_digits": rng.bool()}),
        5 => json!({"type": "CharDelimiterSplit", "delimiter": rng.pick(&[" ", "a", "▁"])}),
        6 => json!({"type": "Split", "pattern": pattern(rng), "behavior": behavior(rng), "invert": rng.bool()}),
        7 => json!({"type": "Metaspace", "replacement": rng.pick(&["▁", " ", "_"]),
                    "prepend_scheme": rng.pick(&["always", "never", "first"]), "split": rng.bool()}),
        8 => json!({"type": "ByteLevel", "add_prefix_space": rng.bool(), "trim_offsets": rng.bool(),
                    "use_regex": rng.bool()}),
        9 => json!({"type": "Metaspace", "replacement": "▁", "add_prefix_space": rng.bool()}),
        _ => json!({"type": "Sequence",
                    "pretokenizers": (0..rng.below(4)).map(|_| pre_tokenizer(rng, depth - 1)).collect::<Vec<_>>()}),
    }
}

fn special(id: &str, type_id: u32) -> Value {
    json!({"SpecialToken": {"id": id, "type_id": type_id}})
}

fn sequence(id: &str, type_id: u32) -> Value {
    json!({"Sequence": {"id": id, "type_id": type_id}})
}

fn post_processor(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth > 0 { 5 } else { 4 }) {
        0 => {
            let cls = if rng.chance(90) { "[CLS]" } else { "[NOT-IN-TABLE]" };
            let mut table = Map::new();
            for (name, id) in [("[CLS]", 2u32), ("[SEP]", 3)] {
                let ids = if rng.chance(90) { json!([id]) } else { json!([]) };
                table.insert(name.into(), json!({"id": name, "ids": ids, "tokens": [name]}));
            }
            json!({"type": "TemplateProcessing",
                   "single": [special(cls, 0), sequence("A", 0), special("[SEP]", 0)],
                   "pair": [special(cls, 0), sequence("A", 0), special("[SEP]", 0), sequence("B", 1),
                            special("[SEP]", 1)],
                   "special_tokens": table})
        }
        1 => json!({"type": "BertProcessing", "cls": ["[CLS]", 2], "sep": ["[SEP]", 3]}),
        2 => json!({"type": "RobertaProcessing", "cls": ["[CLS]", 2], "sep": ["[SEP]", 3],
                    "trim_offsets": rng.bool(), "add_prefix_space": rng.bool()}),
        3 => json!({"type": "ByteLevel", "add_prefix_space": rng.bool(), "trim_offsets": rng.bool()}),
        _ => json!({"type": "Sequence",
                    "processors": (0..rng.below(3)).map(|_| post_processor(rng, depth - 1)).collect::<Vec<_>>()}),
    }
}

fn decoder(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth > 0 { 9 } else { 8 }) {
        0 => json!({"type": "WordPiece", "prefix": "##", "cleanup": rng.bool()}),
        1 => json!({"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true}),
        2 => json!({"type": "ByteLevel"}),
        3 => json!({"type": "BPEDecoder", "suffix": "</w>"}),
        4 => json!({"type": "ByteFallback"}),
        5 => json!({"type": "Fuse"}),
        6 => json!({"type": "Strip", "content": " ", "start": rng.below(3), "stop": rng.below(3)}),
        7 => json!({"type": "Replace", "pattern": pattern(rng), "content": " "}),
        _ => json!({"type": "Sequence",
                    "decoders": (0..rng.below(3)).map(|_| decoder(rng, depth - 1)).collect::<Vec<_>>()}),
    }
}

fn truncation(rng: &mut Rng) -> Value {
    let max_length = *rng.pick(&[0usize, 1, 2, 3, 5, 16, 64]);
    json!({"max_length": max_length, "stride": rng.pick(&[0usize, 1, 4, 100]),
           "strategy": rng.pick(&["LongestFirst", "OnlyFirst", "OnlySecond"]),
           "direction": rng.pick(&["Right", "Left"])})
}

fn padding(rng: &mut Rng) -> Value {
    let strategy = if rng.bool() {
        json!("BatchLongest")
    } else {
        json!({"Fixed": rng.pick(&[0usize, 1, 8, 70])})
    };
    json!({"strategy": strategy, "direction": rng.pick(&["Right", "Left"]), "pad_to_multiple_of":
           rng.pick(&[Value::Null, json!(0), json!(8)]), "pad_id": 0, "pad_type_id": 0, "pad_token": "[PAD]"})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_document() {
        assert_eq!(random_tokenizer_json(7), random_tokenizer_json(7));
        assert_ne!(random_tokenizer_json(7), random_tokenizer_json(8));
    }

    #[test]
    fn every_model_type_is_generated() {
        let types: std::collections::BTreeSet<String> = (0..200)
            .map(|s| random_tokenizer_json(s)["model"]["type"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            types.into_iter().collect::<Vec<_>>(),
            ["BPE", "Unigram", "WordLevel", "WordPiece"]
        );
    }
}
