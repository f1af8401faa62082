//! Work per text is bounded by what truncation keeps (issue 16): a long text gives exactly the tokens the
//! whole text would give, while only its first (or, truncating left, last) `input_byte_limit` bytes are read;
//! a normalizer that would blow a text up fails cleanly instead of asking the allocator for gigabytes.

mod common;

use common::{assert_parity, fixed_corpus, fixture, langchain4j_tokenizer, random_text, Rng};
use fastembed_tokenizer::*;
use serde_json::json;
use std::path::{Path, PathBuf};

const MAX_LENGTH: usize = 128;

fn families() -> Vec<(String, PathBuf)> {
    let mut all: Vec<(String, PathBuf)> = [
        "unigram-xlmr-style.tokenizer.json",
        "unigram-byte-fallback.tokenizer.json",
        "bpe-byte-fallback.tokenizer.json",
        "bpe-gpt2.tokenizer.json",
        "bpe-clip-style.tokenizer.json",
    ]
    .iter()
    .map(|n| (n.to_string(), fixture(n)))
    .collect();
    all.push((
        "bge-small-en".into(),
        langchain4j_tokenizer("bge-small-en-v15", "bge-small-en-v1.5-tokenizer.json"),
    ));
    all.push((
        "bge-small-zh".into(),
        langchain4j_tokenizer("bge-small-zh-v15", "bge-small-zh-v1.5-tokenizer.json"),
    ));
    all
}

/// About `bytes` of text made of the fixed corpus and random snippets, so every script and the cut at the
/// byte limit (mid-word, mid-character) come up.
fn long_text(rng: &mut Rng, bytes: usize) -> String {
    let corpus = fixed_corpus();
    let mut text = String::new();
    while text.len() < bytes {
        if rng.below(3) == 0 {
            text.push_str(&random_text(rng, &["[MASK]", "<s>", "</s>"]));
        } else {
            let piece: &String = rng.pick(&corpus);
            text.push_str(piece);
        }
        text.push(' ');
    }
    text
}

fn truncating(path: &Path, direction: TruncationDirection) -> Tokenizer {
    Tokenizer::from_file(path)
        .unwrap()
        .with_truncation(Some(TruncationParams {
            max_length: MAX_LENGTH,
            direction,
            ..TruncationParams::default()
        }))
}

#[test]
fn long_texts_give_the_tokens_truncation_keeps_of_the_whole_text() {
    let mut rng = Rng::new(16);
    let texts = [
        long_text(&mut rng, 300_000),
        "The quick brown fox jumps over the lazy dog. ".repeat(10_000),
        "你好，世界！这是一个测试。".repeat(20_000),
        format!("{}{}", "word ".repeat(30_000), "末尾 ".repeat(30_000)),
    ];
    for (name, path) in families() {
        let whole = Tokenizer::from_file(&path).unwrap().with_truncation(None);
        for direction in [TruncationDirection::Right, TruncationDirection::Left] {
            let bounded = truncating(&path, direction);
            for text in &texts {
                assert!(text.len() > Tokenizer::input_byte_limit(MAX_LENGTH));
                let all = whole.encode(text, false).unwrap();
                let kept = bounded.encode(text, false).unwrap();
                let range = match direction {
                    TruncationDirection::Right => 0..MAX_LENGTH,
                    TruncationDirection::Left => all.len() - MAX_LENGTH..all.len(),
                };
                assert_eq!(
                    kept.ids,
                    all.ids[range.clone()],
                    "{name} {direction:?} ids, text starts {:?}",
                    &text[..40]
                );
                assert_eq!(kept.offsets, all.offsets[range], "{name} {direction:?} offsets");
            }
        }
    }
}

#[test]
fn long_pairs_keep_what_longest_first_keeps_of_the_whole_texts() {
    let mut rng = Rng::new(17);
    for (name, path) in families() {
        let whole = Tokenizer::from_file(&path).unwrap().with_truncation(None);
        let bounded = truncating(&path, TruncationDirection::Right);
        for (a, b) in [
            (long_text(&mut rng, 200_000), "a short document".to_string()),
            ("a short query".to_string(), long_text(&mut rng, 200_000)),
            (long_text(&mut rng, 150_000), long_text(&mut rng, 150_000)),
        ] {
            // Longest-first by hand on the whole texts' tokens.
            let (first, second) = (whole.encode(&a, false).unwrap(), whole.encode(&b, false).unwrap());
            let (mut n1, mut n2) = (first.len(), second.len());
            while n1 + n2 > MAX_LENGTH {
                if n1 > n2 {
                    n1 -= 1;
                } else {
                    n2 -= 1;
                }
            }
            let expected: Vec<u32> = first.ids[..n1].iter().chain(&second.ids[..n2]).copied().collect();
            let query = bounded.encode_first(&a, false).unwrap();
            let kept = bounded.encode_pair_with(&query, &b, false).unwrap();
            assert_eq!(kept.ids, expected, "{name}");
            assert_eq!(
                kept,
                bounded.encode_pair(&a, &b, false).unwrap(),
                "{name}: query encoded once or per pair"
            );
        }
    }
}

#[test]
fn long_texts_match_hugging_face() {
    let path = langchain4j_tokenizer("bge-small-en-v15", "bge-small-en-v1.5-tokenizer.json");
    let tokenizer = Tokenizer::from_file(&path)
        .unwrap()
        .with_truncation(Some(TruncationParams::default()));
    let mut rng = Rng::new(18);
    let inputs = vec![
        (long_text(&mut rng, 400_000), None),
        ("你好，世界！".repeat(40_000), None),
        ("a short query".to_string(), Some(long_text(&mut rng, 300_000))),
    ];
    let options = ["truncation=true", "maxLength=512", "padding=false"];
    assert_parity(&path, &tokenizer, &inputs, &options, true);
}

fn replacing(normalizer: serde_json::Value) -> Tokenizer {
    let json = json!({"version": "1.0",
        "model": {"type": "WordLevel", "vocab": {"a": 0, "x": 1, "<unk>": 2}, "unk_token": "<unk>"},
        "normalizer": normalizer, "pre_tokenizer": {"type": "WhitespaceSplit"}});
    Tokenizer::from_json_str(&json.to_string()).unwrap()
}

fn replace(from: &str, to: &str) -> serde_json::Value {
    json!({"type": "Replace", "pattern": {"String": from}, "content": to})
}

#[test]
fn a_normalizer_that_blows_up_the_text_fails_cleanly() {
    // One char into 100 000: 1 KB of input would ask for 6.5 GB of alignment data.
    let one_into_many = replacing(replace("a", &"x".repeat(100_000)));
    let error = one_into_many.encode(&"a ".repeat(500), true).unwrap_err().to_string();
    assert!(
        error.contains("the normalizer would grow 1000 bytes of input"),
        "{error}"
    );
    // Ten replaces of ×10 each.
    let chained = replacing(json!({"type": "Sequence",
        "normalizers": (0..10).map(|_| replace("x", "xxxxxxxxxx")).collect::<Vec<_>>()}));
    let error = chained.encode(&"x".repeat(10_000), true).unwrap_err().to_string();
    assert!(error.contains("more than 32 times"), "{error}");
    // Growth a real normalizer has (NFKD of U+FDFA: 3 bytes to 33) still encodes.
    let nfkd = replacing(json!({"type": "NFKD"}));
    let grown = nfkd.encode(&"\u{FDFA} ".repeat(1000), true).unwrap();
    assert_eq!(grown.len(), 4000, "four words per U+FDFA");
    // And the tokenizer that failed keeps working.
    assert_eq!(one_into_many.encode("x x", true).unwrap().ids, [1, 1]);
}
