//! BPE tokenizers: byte-level (GPT-2, RoBERTa, CLIP, Qwen / Llama 3 split regexes) and
//! SentencePiece-converted with byte fallback (Llama 2, Gemma). Parity with Hugging Face
//! tokenizers on real vocabularies (see tests/fixtures/README.md) and layouts derived from them.

mod common;

use common::{assert_parity, corpus, fixture, temp_tokenizer_file};
use fastembed_tokenizer::*;
use serde_json::{json, Value};

const SPECIALS: &[&str] = &[
    "<|endoftext|>",
    "<|startoftext|>",
    "<s>",
    "</s>",
    "<mask>",
    "<unk>",
    "<0x41>",
    "▁",
    "Ġ",
];
const NO_LIMITS: &[&str] = &["truncation=false", "padding=false"];
const QWEN_SPLIT: &str =
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
const LLAMA3_SPLIT: &str = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

fn load_json(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture(name)).unwrap()).unwrap()
}

fn parity(name: &str, json: &Value, seed: u64, random: usize) {
    let path = temp_tokenizer_file(name, json);
    let tokenizer = Tokenizer::from_json_str(&json.to_string()).unwrap();
    assert_parity(&path, &tokenizer, &corpus(seed, random, SPECIALS), NO_LIMITS, true);
}

fn added(id: u32, content: &str, lstrip: bool) -> Value {
    json!({"id": id, "content": content, "single_word": false, "lstrip": lstrip, "rstrip": false,
           "normalized": false, "special": true})
}

#[test]
fn gpt2_matches_hf() {
    parity("gpt2.json", &load_json("bpe-gpt2.tokenizer.json"), 61, 600);
}

#[test]
fn roberta_layout_matches_hf() {
    let mut json = load_json("bpe-gpt2.tokenizer.json");
    json["added_tokens"] = json!([
        added(50256, "<|endoftext|>", false),
        added(50257, "<s>", false),
        added(50258, "</s>", false),
        added(50259, "<pad>", false),
        added(50260, "<mask>", true)
    ]);
    json["pre_tokenizer"] =
        json!({"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true});
    json["post_processor"] = json!({"type": "RobertaProcessing", "sep": ["</s>", 50258], "cls": ["<s>", 50257],
        "trim_offsets": true, "add_prefix_space": true});
    parity("roberta.json", &json, 62, 600);
}

#[test]
fn qwen_layout_matches_hf() {
    let mut json = load_json("bpe-gpt2.tokenizer.json");
    json["normalizer"] = json!({"type": "NFC"});
    json["pre_tokenizer"] = json!({"type": "Sequence", "pretokenizers": [
        {"type": "Split", "pattern": {"Regex": QWEN_SPLIT}, "behavior": "Isolated", "invert": false},
        {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false}]});
    parity("qwen.json", &json, 63, 600);
}

#[test]
fn llama3_layout_with_ignore_merges_matches_hf() {
    let mut json = load_json("bpe-gpt2.tokenizer.json");
    json["model"]["ignore_merges"] = json!(true);
    json["pre_tokenizer"] = json!({"type": "Sequence", "pretokenizers": [
        {"type": "Split", "pattern": {"Regex": LLAMA3_SPLIT}, "behavior": "Isolated", "invert": false},
        {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false}]});
    json["post_processor"] = json!({"type": "Sequence", "processors": [
        {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": false, "use_regex": true},
        {"type": "TemplateProcessing",
         "single": [{"SpecialToken": {"id": "<|endoftext|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
         "pair": [{"SpecialToken": {"id": "<|endoftext|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                  {"SpecialToken": {"id": "<|endoftext|>", "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}}],
         "special_tokens": {"<|endoftext|>": {"id": "<|endoftext|>", "ids": [50256], "tokens": ["<|endoftext|>"]}}}]});
    parity("llama3.json", &json, 64, 600);
}

#[test]
fn clip_layout_matches_hf() {
    parity("clip.json", &load_json("bpe-clip-style.tokenizer.json"), 65, 600);
}

#[test]
fn llama2_layout_with_byte_fallback_matches_hf() {
    parity("llama2.json", &load_json("bpe-byte-fallback.tokenizer.json"), 66, 600);
}

#[test]
fn gemma_layout_matches_hf() {
    let mut json = load_json("bpe-byte-fallback.tokenizer.json");
    json["normalizer"] = json!({"type": "Replace", "pattern": {"String": " "}, "content": "▁"});
    json["pre_tokenizer"] =
        json!({"type": "Split", "pattern": {"String": " "}, "behavior": "MergedWithPrevious", "invert": false});
    parity("gemma.json", &json, 67, 600);
}

#[test]
fn word_piece_style_prefix_and_suffix_match_hf() {
    // BPE with a continuing-subword prefix: rebuild the CLIP vocabulary with `##` pieces.
    let base = load_json("bpe-clip-style.tokenizer.json");
    let mut vocab = serde_json::Map::new();
    let mut merges = Vec::new();
    let strip = |t: &str| t.trim_end_matches("</w>").to_string();
    for (token, id) in base["model"]["vocab"].as_object().unwrap() {
        vocab.insert(strip(token), id.clone());
        vocab.insert(format!("##{}", strip(token)), json!(100_000 + id.as_u64().unwrap()));
    }
    for m in base["model"]["merges"].as_array().unwrap() {
        let (a, b) = m.as_str().unwrap().split_once(' ').unwrap();
        let (a, b) = (strip(a), strip(b));
        merges.push(json!(format!("{a} ##{b}")));
        merges.push(json!(format!("##{a} ##{b}")));
        vocab.entry(format!("{a}{b}")).or_insert(json!(200_000 + merges.len()));
        vocab
            .entry(format!("##{a}{b}"))
            .or_insert(json!(300_000 + merges.len()));
    }
    let mut json = base.clone();
    json["model"]["vocab"] = Value::Object(vocab);
    json["model"]["merges"] = Value::Array(merges);
    json["model"]["continuing_subword_prefix"] = json!("##");
    json["model"]["end_of_word_suffix"] = Value::Null;
    json["model"]["unk_token"] = Value::Null;
    parity("prefix.json", &json, 68, 500);
}

#[test]
fn clip_batch_is_padded_to_a_multiple_of_the_longest() {
    let t = Tokenizer::from_file(&fixture("bpe-clip-style.tokenizer.json"))
        .unwrap()
        .with_padding(Some(PaddingParams {
            pad_id: 7,
            pad_to_multiple_of: Some(8),
            ..PaddingParams::default()
        }));
    let sot = t.token_to_id("<|startoftext|>").unwrap();
    let eot = t.token_to_id("<|endoftext|>").unwrap();
    let texts = ["a photo of a cat sitting on the grass", "dog"];
    let lengths: Vec<usize> = texts.iter().map(|s| t.encode(s, true).unwrap().ids.len()).collect();
    let target = lengths.iter().max().unwrap().div_ceil(8) * 8;
    let batch = t.encode_batch(&texts, true).unwrap();
    for (e, len) in batch.iter().zip(&lengths) {
        assert_eq!(e.ids.len(), target);
        assert_eq!(e.ids[0], sot);
        assert_eq!(e.ids[len - 1], eot);
        assert!(e.ids[*len..].iter().all(|&id| id == 7));
        assert_eq!(e.attention_mask.iter().sum::<u32>() as usize, *len);
        assert_eq!(e.special_tokens_mask[*len..].iter().sum::<u32>() as usize, target - len);
    }
}

#[test]
fn byte_level_decode_round_trips() {
    let t = Tokenizer::from_file(&fixture("bpe-gpt2.tokenizer.json")).unwrap();
    let text = "Hello, wörld! 你好 😀";
    let e = t.encode(text, false).unwrap();
    assert_eq!(t.decode(&e.ids, false).unwrap(), text);
}
