//! SentencePiece Unigram tokenizers (XLM-R / T5 layout): Precompiled charsmap, Metaspace,
//! Unigram Viterbi, byte fallback. Parity with Hugging Face tokenizers on real trained
//! models (see tests/fixtures/README.md) and on variants of their configuration.

mod common;

use common::{assert_parity, corpus, fixture, temp_tokenizer_file};
use fastembed_tokenizer::*;
use serde_json::{json, Value};

const SPECIALS: &[&str] = &["<s>", "</s>", "<mask>", "<pad>", "<unk>", "<0x41>", "▁"];
const NO_LIMITS: &[&str] = &["truncation=false", "padding=false"];

fn load_json(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture(name)).unwrap()).unwrap()
}

/// Parity of a (possibly edited) fixture on the fixed corpus plus `random` random texts.
fn parity(name: &str, json: &Value, seed: u64, random: usize) {
    let path = temp_tokenizer_file(name, json);
    let tokenizer = Tokenizer::from_json_str(&json.to_string()).unwrap();
    assert_parity(&path, &tokenizer, &corpus(seed, random, SPECIALS), NO_LIMITS, true);
}

#[test]
fn xlmr_style_matches_hf() {
    parity("xlmr.json", &load_json("unigram-xlmr-style.tokenizer.json"), 31, 600);
}

#[test]
fn byte_fallback_unigram_matches_hf() {
    parity("bf.json", &load_json("unigram-byte-fallback.tokenizer.json"), 32, 600);
}

#[test]
fn metaspace_variants_match_hf() {
    let base = load_json("unigram-xlmr-style.tokenizer.json");
    let variants = [
        (
            "first",
            json!({"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": true}),
        ),
        (
            "never",
            json!({"type": "Metaspace", "replacement": "▁", "prepend_scheme": "never", "split": true}),
        ),
        (
            "nosplit",
            json!({"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": false}),
        ),
        (
            "legacy",
            json!({"type": "Metaspace", "replacement": "▁", "add_prefix_space": true, "str_rep": "▁"}),
        ),
        (
            "seq",
            json!({"type": "Sequence", "pretokenizers": [{"type": "WhitespaceSplit"},
            {"type": "Metaspace", "replacement": "▁", "add_prefix_space": true}]}),
        ),
    ];
    for (i, (name, pre)) in variants.into_iter().enumerate() {
        let mut json = base.clone();
        json["pre_tokenizer"] = pre;
        parity(&format!("metaspace-{name}.json"), &json, 40 + i as u64, 300);
    }
}

#[test]
fn t5_style_layout_matches_hf() {
    // T5 layout: no <s>, `</s>` appended, Precompiled alone as normalizer.
    let mut json = load_json("unigram-xlmr-style.tokenizer.json");
    let charsmap = json["normalizer"]["normalizers"][0].clone();
    json["normalizer"] = charsmap;
    json["post_processor"] = json!({"type": "TemplateProcessing",
        "single": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
        "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}},
                 {"Sequence": {"id": "B", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
        "special_tokens": {"</s>": {"id": "</s>", "ids": [2], "tokens": ["</s>"]}}});
    parity("t5.json", &json, 50, 500);
}

#[test]
fn mask_token_swallows_the_space_before_it() {
    let t = Tokenizer::from_file(&fixture("unigram-xlmr-style.tokenizer.json")).unwrap();
    let mask = t.token_to_id("<mask>").unwrap();
    let with_space = t.encode("Hello <mask>!", true).unwrap();
    let without = t.encode("Hello<mask>!", true).unwrap();
    assert_eq!(with_space.ids, without.ids);
    assert!(with_space.ids.contains(&mask));
    assert_eq!(with_space.ids[0], t.token_to_id("<s>").unwrap());
    assert_eq!(*with_space.ids.last().unwrap(), t.token_to_id("</s>").unwrap());
}

#[test]
fn decode_reverses_metaspace_and_byte_fallback() {
    let t = Tokenizer::from_file(&fixture("unigram-byte-fallback.tokenizer.json")).unwrap();
    let text = "Hello world, 東京 ✓";
    let e = t.encode(text, false).unwrap();
    assert_eq!(t.decode(&e.ids, true).unwrap(), text);
}
