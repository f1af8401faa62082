//! The less common normalizers, pre-tokenizers, models and post-processors, each swapped into
//! a real tokenizer and compared with Hugging Face tokenizers.

mod common;

use common::{assert_parity, corpus, fixture, langchain4j_tokenizer, temp_tokenizer_file};
use fastembed_tokenizer::*;
use serde_json::{json, Value};

const SPECIALS: &[&str] = &["[CLS]", "[SEP]", "[MASK]", "<s>", "</s>", "<mask>"];
const NO_LIMITS: &[&str] = &["truncation=false", "padding=false"];

fn parity(name: &str, json: &Value, seed: u64) {
    let path = temp_tokenizer_file(name, json);
    let tokenizer = Tokenizer::from_json_str(&json.to_string()).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_parity(&path, &tokenizer, &corpus(seed, 200, SPECIALS), NO_LIMITS, true);
}

fn bge() -> Value {
    let path = langchain4j_tokenizer("bge-small-en-v15", "bge-small-en-v1.5-tokenizer.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn xlmr() -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture("unigram-xlmr-style.tokenizer.json")).unwrap()).unwrap()
}

#[test]
fn normalizers_match_hf() {
    let base = xlmr();
    let variants = [
        ("nfc", json!({"type": "NFC"})),
        ("nfd", json!({"type": "NFD"})),
        ("nfkc", json!({"type": "NFKC"})),
        (
            "nfkd-strip-lower",
            json!({"type": "Sequence", "normalizers": [{"type": "NFKD"}, {"type": "StripAccents"}, {"type": "Lowercase"}]}),
        ),
        (
            "strip-left",
            json!({"type": "Strip", "strip_left": true, "strip_right": false}),
        ),
        (
            "strip-both",
            json!({"type": "Strip", "strip_left": true, "strip_right": true}),
        ),
        ("nmt", json!({"type": "Nmt"})),
        (
            "replace-string",
            json!({"type": "Replace", "pattern": {"String": "a"}, "content": "bb"}),
        ),
        (
            "replace-regex",
            json!({"type": "Replace", "pattern": {"Regex": "[\\p{P}\\d]+"}, "content": "#"}),
        ),
        ("prepend", json!({"type": "Prepend", "prepend": "▁x"})),
        (
            "bert-no-clean",
            json!({"type": "BertNormalizer", "clean_text": false, "handle_chinese_chars": false, "strip_accents": true, "lowercase": false}),
        ),
        ("byte-level", json!({"type": "ByteLevel"})),
    ];
    for (i, (name, normalizer)) in variants.into_iter().enumerate() {
        let mut json = base.clone();
        json["normalizer"] = normalizer;
        parity(&format!("norm-{name}.json"), &json, 100 + i as u64);
    }
}

#[test]
fn pre_tokenizers_match_hf() {
    let base = bge();
    let variants = [
        ("whitespace", json!({"type": "Whitespace"})),
        ("whitespace-split", json!({"type": "WhitespaceSplit"})),
        (
            "punct-removed",
            json!({"type": "Sequence", "pretokenizers": [{"type": "WhitespaceSplit"}, {"type": "Punctuation", "behavior": "Removed"}]}),
        ),
        (
            "punct-prev",
            json!({"type": "Sequence", "pretokenizers": [{"type": "WhitespaceSplit"}, {"type": "Punctuation", "behavior": "MergedWithPrevious"}]}),
        ),
        (
            "punct-next",
            json!({"type": "Sequence", "pretokenizers": [{"type": "WhitespaceSplit"}, {"type": "Punctuation", "behavior": "MergedWithNext"}]}),
        ),
        (
            "punct-contiguous",
            json!({"type": "Sequence", "pretokenizers": [{"type": "WhitespaceSplit"}, {"type": "Punctuation", "behavior": "Contiguous"}]}),
        ),
        (
            "digits",
            json!({"type": "Sequence", "pretokenizers": [{"type": "BertPreTokenizer"}, {"type": "Digits", "individual_digits": true}]}),
        ),
        (
            "digits-grouped",
            json!({"type": "Sequence", "pretokenizers": [{"type": "WhitespaceSplit"}, {"type": "Digits", "individual_digits": false}]}),
        ),
        (
            "char-delimiter",
            json!({"type": "CharDelimiterSplit", "delimiter": "e"}),
        ),
        (
            "split-invert",
            json!({"type": "Split", "pattern": {"Regex": "\\w+|[^\\w\\s]+"}, "behavior": "Removed", "invert": true}),
        ),
        (
            "split-string-next",
            json!({"type": "Split", "pattern": {"String": " "}, "behavior": "MergedWithNext", "invert": false}),
        ),
        (
            "split-contiguous",
            json!({"type": "Split", "pattern": {"Regex": "[aeiou]"}, "behavior": "Contiguous", "invert": false}),
        ),
    ];
    for (i, (name, pre)) in variants.into_iter().enumerate() {
        let mut json = base.clone();
        json["pre_tokenizer"] = pre;
        parity(&format!("pre-{name}.json"), &json, 200 + i as u64);
    }
}

#[test]
fn word_level_and_bert_processing_match_hf() {
    let base = bge();
    // A WordLevel model over the whole-word entries of the BERT vocabulary.
    let words: serde_json::Map<String, Value> = base["model"]["vocab"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(token, _)| !token.starts_with("##"))
        .map(|(t, id)| (t.clone(), id.clone()))
        .collect();
    let mut json = base.clone();
    json["model"] = json!({"type": "WordLevel", "vocab": words, "unk_token": "[UNK]"});
    json["post_processor"] = json!({"type": "BertProcessing", "sep": ["[SEP]", 102], "cls": ["[CLS]", 101]});
    parity("wordlevel.json", &json, 300);
}

#[test]
fn roberta_processing_on_unigram_matches_hf() {
    let mut json = xlmr();
    json["post_processor"] = json!({"type": "RobertaProcessing", "sep": ["</s>", 2], "cls": ["<s>", 0],
        "trim_offsets": true, "add_prefix_space": true});
    parity("roberta-unigram.json", &json, 301);
}

#[test]
fn added_token_options_match_hf() {
    let base = bge();
    let mut json = base.clone();
    let added = json["added_tokens"].as_array_mut().unwrap();
    let token =
        |id: u32, content: &str, single_word: bool, lstrip: bool, rstrip: bool, normalized: bool, special: bool| {
            json!({"id": id, "content": content, "single_word": single_word, "lstrip": lstrip, "rstrip": rstrip,
               "normalized": normalized, "special": special})
        };
    added.push(token(30522, "<mask>", false, true, false, false, true));
    added.push(token(30523, "New", false, false, true, true, false));
    added.push(token(30524, "ony", true, false, false, true, false));
    added.push(token(30525, "[SEP]", false, false, false, true, true));
    parity("added.json", &json, 302);
}
