//! The public API around the pipeline: fastembed-style loading, batch padding, pairs,
//! lookups and decoding, on a small hand-written tokenizer.

use fastembed_tokenizer::*;
use serde_json::json;
use std::path::{Path, PathBuf};

fn tokenizer_json() -> serde_json::Value {
    json!({
        "version": "1.0",
        "added_tokens": [
            {"id": 0, "content": "[PAD]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
            {"id": 1, "content": "[UNK]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
            {"id": 2, "content": "[CLS]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
            {"id": 3, "content": "[SEP]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}
        ],
        "normalizer": {"type": "BertNormalizer", "lowercase": true},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {"type": "BertProcessing", "cls": ["[CLS]", 2], "sep": ["[SEP]", 3]},
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": true},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "vocab": {
            "[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "hello": 4, "world": 5, "!": 6, "un": 7, "##able": 8,
            "a": 9, "b": 10, "c": 11, "<extra>": 12}}
    })
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("api");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn write(name: &str, body: &str) -> PathBuf {
    let path = scratch(name);
    std::fs::write(&path, body).unwrap();
    path
}

fn tokenizer() -> Tokenizer {
    Tokenizer::from_json_str(&tokenizer_json().to_string()).unwrap()
}

#[test]
fn encodes_pairs_with_type_ids_and_special_mask() {
    let e = tokenizer().encode_pair("Hello unable", "world!", true).unwrap();
    assert_eq!(e.ids, [2, 4, 7, 8, 3, 5, 6, 3]);
    assert_eq!(e.type_ids, [0, 0, 0, 0, 0, 1, 1, 1]);
    assert_eq!(e.special_tokens_mask, [1, 0, 0, 0, 1, 0, 0, 1]);
    assert_eq!(e.attention_mask, [1; 8]);
    assert_eq!(e.tokens[2..4], ["un", "##able"]);
    assert_eq!(e.offsets[2..4], [(6, 8), (8, 12)]);
}

#[test]
fn batch_padding_right_left_fixed_and_multiple() {
    let pad = |params: PaddingParams| tokenizer().with_padding(Some(params));
    let right = pad(PaddingParams::default())
        .encode_batch(&["hello world", "a"], true)
        .unwrap();
    assert_eq!(right[1].ids, [2, 9, 3, 0]);
    assert_eq!(right[1].attention_mask, [1, 1, 1, 0]);
    assert_eq!(right[1].special_tokens_mask, [1, 0, 1, 1]);
    assert_eq!(right[1].tokens[3], "[PAD]");

    let left = pad(PaddingParams {
        direction: PaddingDirection::Left,
        pad_id: 12,
        pad_type_id: 1,
        pad_token: "<extra>".into(),
        ..PaddingParams::default()
    })
    .encode_batch(&["hello world", "a"], true)
    .unwrap();
    assert_eq!(left[1].ids, [12, 2, 9, 3]);
    assert_eq!(left[1].type_ids, [1, 0, 0, 0]);
    assert_eq!(left[1].attention_mask, [0, 1, 1, 1]);

    let fixed = pad(PaddingParams {
        strategy: PaddingStrategy::Fixed(6),
        ..PaddingParams::default()
    })
    .encode_batch(&["a", "a b c a b c a"], true)
    .unwrap();
    assert_eq!(fixed[0].ids.len(), 6);
    assert_eq!(fixed[1].ids.len(), 9, "longer encodings are not cut by padding");

    let multiple = pad(PaddingParams {
        pad_to_multiple_of: Some(4),
        ..PaddingParams::default()
    })
    .encode_batch(&["a b c"], true)
    .unwrap();
    assert_eq!(multiple[0].ids.len(), 8);

    // Single encodings are never padded; pairs in a batch are.
    assert_eq!(pad(PaddingParams::default()).encode("a", true).unwrap().ids.len(), 3);
    let pairs = pad(PaddingParams::default())
        .encode_pair_batch(&[("a", "b"), ("a b c", "a b c")], true)
        .unwrap();
    assert_eq!(pairs[0].ids.len(), pairs[1].ids.len());
    let mut unpadded = vec![tokenizer().encode("a", true).unwrap()];
    tokenizer().pad_batch(&mut unpadded);
    assert_eq!(unpadded[0].ids.len(), 3, "no padding configured");
}

#[test]
fn truncation_longest_first_left_and_right() {
    let t = tokenizer().with_truncation(Some(TruncationParams {
        max_length: 7,
        ..TruncationParams::default()
    }));
    // Budget 4 content tokens: the longer side gives way first.
    let e = t.encode_pair("a b c a b c", "hello", true).unwrap();
    assert_eq!(e.ids, [2, 9, 10, 11, 3, 4, 3]);
    let e = t.encode_pair("a b c a b c", "a b c a b c", true).unwrap();
    assert_eq!(e.ids, [2, 9, 10, 3, 9, 10, 3]);
    let left = t.with_truncation(Some(TruncationParams {
        max_length: 4,
        direction: TruncationDirection::Left,
        ..TruncationParams::default()
    }));
    assert_eq!(left.encode("a b c", true).unwrap().ids, [2, 10, 11, 3]);
    assert_eq!(left.truncation().unwrap().max_length, 4);
}

#[test]
fn lookups_vocab_size_and_decode() {
    let t = tokenizer();
    assert_eq!(t.token_to_id("##able"), Some(8));
    assert_eq!(t.id_to_token(5).as_deref(), Some("world"));
    assert_eq!(t.id_to_token(999), None);
    assert_eq!(t.vocab_size(), 13);
    assert!(t.is_special_token("[CLS]"));
    let e = t.encode("Hello unable world!", true).unwrap();
    assert_eq!(t.decode(&e.ids, true).unwrap(), "hello unable world!");
    assert_eq!(t.decode(&e.ids, false).unwrap(), "[CLS] hello unable world! [SEP]");
}

#[test]
fn load_for_model_reads_config_files_like_fastembed() {
    let tokenizer_file = write("tokenizer.json", &tokenizer_json().to_string());
    let config = write("config.json", r#"{"pad_token_id": 12}"#);
    // Object-form pad token; the model limit is a float as in many configs.
    let tokenizer_config = write(
        "tokenizer_config.json",
        r#"{"model_max_length": 5.0, "pad_token": {"content": "<extra>"}}"#,
    );
    // A plain string becomes a (normalized) special token; an object needs all four flags.
    let special = write(
        "special_tokens_map.json",
        r#"{"mask_token": "<extra>", "additional": {"content": "zz", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false},
            "incomplete": {"content": "qq"}}"#,
    );
    let files = TokenizerFiles {
        tokenizer_json: &tokenizer_file,
        config_json: Some(&config),
        special_tokens_map_json: Some(&special),
        tokenizer_config_json: Some(&tokenizer_config),
    };
    let t = load_for_model(&files, 512).unwrap();
    assert_eq!(t.truncation().unwrap().max_length, 5);
    let padding = t.padding().unwrap();
    assert_eq!((padding.pad_id, padding.pad_token.as_str()), (12, "<extra>"));
    assert!(t.is_special_token("<extra>") && t.is_special_token("zz") && !t.is_special_token("qq"));
    // "zz" is new: it gets the next id after the vocabulary and matches as a whole.
    assert_eq!(t.token_to_id("zz"), Some(13));
    assert_eq!(t.encode("a zz", true).unwrap().ids, [2, 9, 13, 3]);
    let batch = t.encode_batch(&["a b c a b c", "a"], true).unwrap();
    assert_eq!(batch[0].ids, [2, 9, 10, 11, 3]);
    assert_eq!(batch[1].ids, [2, 9, 3, 12, 12]);

    // Only tokenizer.json: the caller's limit, pad id 0, pad token [PAD].
    let bare = TokenizerFiles {
        tokenizer_json: &tokenizer_file,
        config_json: None,
        special_tokens_map_json: None,
        tokenizer_config_json: None,
    };
    let t = load_for_model(&bare, 3).unwrap();
    assert_eq!(t.encode("a b c", true).unwrap().ids, [2, 9, 3]);
    assert_eq!(
        (t.padding().unwrap().pad_id, t.padding().unwrap().pad_token.as_str()),
        (0, "[PAD]")
    );
    // A 1e30 "no limit" keeps the caller's max_length.
    let huge = write("huge_config.json", r#"{"model_max_length": 1e30}"#);
    let t = load_for_model(
        &TokenizerFiles {
            tokenizer_config_json: Some(&huge),
            ..bare
        },
        4,
    )
    .unwrap();
    assert_eq!(t.truncation().unwrap().max_length, 4);
}

#[test]
fn load_for_model_keeps_the_padding_side_of_tokenizer_json() {
    let mut json = tokenizer_json();
    json["padding"] = json!({"strategy": "BatchLongest", "direction": "Left", "pad_to_multiple_of": null,
        "pad_id": 0, "pad_type_id": 0, "pad_token": "[PAD]"});
    let tokenizer_file = write("left_tokenizer.json", &json.to_string());
    let files = TokenizerFiles {
        tokenizer_json: &tokenizer_file,
        config_json: None,
        special_tokens_map_json: None,
        tokenizer_config_json: None,
    };
    let t = load_for_model(&files, 512).unwrap();
    assert_eq!(t.padding().unwrap().direction, PaddingDirection::Left);
    let batch = t.encode_batch(&["a b c a b c", "a"], true).unwrap();
    assert_eq!(batch[0].ids.len(), 8);
    assert_eq!(batch[1].ids, [0, 0, 0, 0, 0, 2, 9, 3]);
    // Without a padding in tokenizer.json: on the right, as before.
    let plain = write("plain_tokenizer.json", &tokenizer_json().to_string());
    let t = load_for_model(
        &TokenizerFiles {
            tokenizer_json: &plain,
            ..files
        },
        512,
    )
    .unwrap();
    assert_eq!(t.padding().unwrap().direction, PaddingDirection::Right);
}

#[test]
fn load_for_model_reports_bad_config_files() {
    let tokenizer_file = write("tokenizer2.json", &tokenizer_json().to_string());
    let broken = write("broken_config.json", "{not json");
    let files = TokenizerFiles {
        tokenizer_json: &tokenizer_file,
        config_json: Some(&broken),
        special_tokens_map_json: None,
        tokenizer_config_json: None,
    };
    let err = load_for_model(&files, 8).unwrap_err().to_string();
    assert!(
        err.contains("broken_config.json") && err.contains("not valid JSON"),
        "{err}"
    );
    let missing = scratch("missing.json");
    let files = TokenizerFiles {
        tokenizer_json: &tokenizer_file,
        config_json: Some(&missing),
        special_tokens_map_json: None,
        tokenizer_config_json: None,
    };
    assert!(matches!(load_for_model(&files, 8), Err(TokenizerError::Io { .. })));
}
