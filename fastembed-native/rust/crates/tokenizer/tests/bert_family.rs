//! The BERT family (bge, MiniLM, e5, bge-zh) on their real tokenizer.json files: parity with
//! Hugging Face tokenizers on a fixed and a seeded random corpus, plus fastembed loading.

mod common;

use common::{assert_parity, langchain4j_tokenizer, Input};
use fastembed_tokenizer::*;

const SPECIALS: &[&str] = &["[CLS]", "[SEP]", "[MASK]", "[PAD]", "[UNK]", "[mask]"];

fn corpus(seed: u64, random: usize) -> Vec<Input> {
    common::corpus(seed, random, SPECIALS)
}

fn parity_without_limits(artifact: &str, file: &str, seed: u64) {
    let path = langchain4j_tokenizer(artifact, file);
    // No truncation or padding on either side: compare the raw pipelines.
    let tokenizer = Tokenizer::from_file(&path)
        .unwrap()
        .with_truncation(None)
        .with_padding(None);
    assert_parity(
        &path,
        &tokenizer,
        &corpus(seed, 800),
        &["truncation=false", "padding=false"],
        true,
    );
}

#[test]
fn bge_small_en_matches_hf() {
    parity_without_limits("bge-small-en-v15", "bge-small-en-v1.5-tokenizer.json", 11);
}

#[test]
fn all_minilm_matches_hf() {
    parity_without_limits("all-minilm-l6-v2", "all-minilm-l6-v2-tokenizer.json", 12);
}

#[test]
fn e5_small_matches_hf() {
    parity_without_limits("e5-small-v2", "e5-small-v2-tokenizer.json", 13);
}

#[test]
fn bge_small_zh_matches_hf() {
    parity_without_limits("bge-small-zh-v15", "bge-small-zh-v1.5-tokenizer.json", 14);
}

#[test]
fn truncated_pairs_and_singles_match_hf() {
    let path = langchain4j_tokenizer("bge-small-en-v15", "bge-small-en-v1.5-tokenizer.json");
    let tokenizer = Tokenizer::from_file(&path)
        .unwrap()
        .with_truncation(Some(TruncationParams {
            max_length: 16,
            ..TruncationParams::default()
        }));
    let options = ["truncation=true", "maxLength=16", "padding=false"];
    assert_parity(&path, &tokenizer, &corpus(21, 500), &options, true);
}

#[test]
fn truncation_without_special_tokens_matches_hf() {
    let path = langchain4j_tokenizer("bge-small-en-v15", "bge-small-en-v1.5-tokenizer.json");
    let tokenizer = Tokenizer::from_file(&path)
        .unwrap()
        .with_truncation(Some(TruncationParams {
            max_length: 7,
            ..TruncationParams::default()
        }));
    let options = [
        "truncation=true",
        "maxLength=7",
        "padding=false",
        "addSpecialTokens=false",
    ];
    assert_parity(&path, &tokenizer, &corpus(22, 300), &options, false);
}

#[test]
fn bge_wraps_word_pieces_in_cls_and_sep() {
    let path = langchain4j_tokenizer("bge-small-en-v15", "bge-small-en-v1.5-tokenizer.json");
    let t = Tokenizer::from_file(&path).unwrap();
    let id = |s: &str| t.token_to_id(s).unwrap();
    let e = t.encode("Hello, world!", true).unwrap();
    assert_eq!(
        e.ids,
        [id("[CLS]"), id("hello"), id(","), id("world"), id("!"), id("[SEP]")]
    );
    assert_eq!(e.special_tokens_mask, [1, 0, 0, 0, 0, 1]);
    assert_eq!(e.offsets[1], (0, 5));
    assert_eq!(e.offsets[3], (7, 12));
    let pair = t.encode_pair("a", "b", true).unwrap();
    assert_eq!(pair.type_ids, [0, 0, 0, 1, 1]);
    assert_eq!(t.id_to_token(id("[SEP]")).as_deref(), Some("[SEP]"));
    assert_eq!(t.vocab_size(), 30522);
}

#[test]
fn all_minilm_honours_truncation_and_padding_of_its_file() {
    let path = langchain4j_tokenizer("all-minilm-l6-v2", "all-minilm-l6-v2-tokenizer.json");
    let t = Tokenizer::from_file(&path).unwrap();
    assert_eq!(t.truncation().map(|p| p.max_length), Some(128));
    assert_eq!(t.padding().map(|p| p.strategy), Some(PaddingStrategy::Fixed(128)));
    let long = "word ".repeat(500);
    let batch = t.encode_batch(&["short text", &long], true).unwrap();
    assert!(batch.iter().all(|e| e.ids.len() == 128));
    assert_eq!(batch[0].attention_mask.iter().sum::<u32>(), 4);
    assert_eq!(batch[1].attention_mask.iter().sum::<u32>(), 128);
    assert_eq!(*batch[1].ids.last().unwrap(), t.token_to_id("[SEP]").unwrap());
}

#[test]
fn load_for_model_uses_model_limits_and_pad_token() {
    let path = langchain4j_tokenizer("bge-small-en-v15", "bge-small-en-v1.5-tokenizer.json");
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("load-for-model");
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, body: &str| {
        let p = dir.join(name);
        std::fs::write(&p, body).unwrap();
        p
    };
    let config = write("config.json", r#"{"pad_token_id": 0}"#);
    let special = write(
        "special_tokens_map.json",
        r#"{"cls_token": "[CLS]", "pad_token": "[PAD]", "sep_token": "[SEP]"}"#,
    );
    let tok_config = write(
        "tokenizer_config.json",
        r#"{"model_max_length": 8, "pad_token": "[PAD]"}"#,
    );
    let files = TokenizerFiles {
        tokenizer_json: &path,
        config_json: Some(&config),
        special_tokens_map_json: Some(&special),
        tokenizer_config_json: Some(&tok_config),
    };
    let t = load_for_model(&files, 512).unwrap();
    assert_eq!(t.truncation().unwrap().max_length, 8);
    let padding = t.padding().unwrap();
    assert_eq!(
        (padding.strategy, padding.pad_id, padding.pad_token.as_str()),
        (PaddingStrategy::BatchLongest, 0, "[PAD]")
    );
    let batch = t
        .encode_batch(&["one two three four five six seven eight nine", "hi"], true)
        .unwrap();
    assert_eq!(batch[0].ids.len(), 8);
    assert_eq!(batch[1].ids.len(), 8);
    assert_eq!(batch[1].attention_mask, [1, 1, 1, 0, 0, 0, 0, 0]);
    // A larger model limit leaves the caller's max_length in force.
    let t = load_for_model(
        &TokenizerFiles {
            tokenizer_config_json: None,
            ..files
        },
        5,
    )
    .unwrap();
    assert_eq!(t.encode(&"word ".repeat(20), true).unwrap().ids.len(), 5);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn long_inputs_are_fast_and_bounded() {
    let path = langchain4j_tokenizer("bge-small-en-v15", "bge-small-en-v1.5-tokenizer.json");
    let t = Tokenizer::from_file(&path).unwrap();
    let start = std::time::Instant::now();
    let one_word = "a".repeat(1 << 20);
    let e = t.encode(&one_word, true).unwrap();
    assert_eq!(e.ids[1], t.token_to_id("[UNK]").unwrap());
    // Large enough that quadratic work would take minutes even in an optimized build.
    let text = "The quick brown fox jumps over the lazy dog. ".repeat(5_000);
    let e = t.encode(&text, true).unwrap();
    assert_eq!(e.ids.len(), 5_000 * 10 + 2);
    assert!(start.elapsed().as_secs() < 30, "took {:?}", start.elapsed());
}
