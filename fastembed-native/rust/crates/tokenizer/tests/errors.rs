//! Malformed or unsupported tokenizer files are rejected with errors that say what and
//! where; encoding-time failures are errors too, never panics.

use fastembed_tokenizer::*;
use serde_json::{json, Value};

fn word_level() -> Value {
    json!({"version": "1.0", "model": {"type": "WordLevel", "vocab": {"a": 0, "b": 1, "<unk>": 2}, "unk_token": "<unk>"},
           "pre_tokenizer": {"type": "WhitespaceSplit"}})
}

fn error_of(json: &Value) -> String {
    match Tokenizer::from_json_str(&json.to_string()) {
        Ok(_) => panic!("{json} was accepted"),
        Err(e) => e.to_string(),
    }
}

fn with(path: &[&str], value: Value) -> Value {
    let mut json = word_level();
    let mut node = &mut json;
    for key in &path[..path.len() - 1] {
        node = &mut node[*key];
    }
    node[path[path.len() - 1]] = value;
    json
}

#[test]
fn invalid_json_names_the_problem() {
    let err = Tokenizer::from_json_str("{\"model\": ").unwrap_err().to_string();
    assert!(err.contains("not valid JSON"), "{err}");
    let err = Tokenizer::from_json_str("[]").unwrap_err().to_string();
    assert!(err.contains("expected an object"), "{err}");
}

#[test]
fn unknown_component_types_name_component_type_and_path() {
    let cases = [
        (
            with(
                &["normalizer"],
                json!({"type": "Sequence", "normalizers": [{"type": "Mystery"}]}),
            ),
            "normalizer",
            "normalizer.normalizers[0]",
        ),
        (
            with(&["pre_tokenizer"], json!({"type": "Mystery"})),
            "pre_tokenizer",
            "pre_tokenizer",
        ),
        (
            with(&["post_processor"], json!({"type": "Mystery"})),
            "post_processor",
            "post_processor",
        ),
        (with(&["model", "type"], json!("Mystery")), "model", "model"),
    ];
    for (json, component, path) in cases {
        let err = error_of(&json);
        assert!(
            err.contains(&format!("unsupported {component} type \"Mystery\" at {path}")),
            "{err}"
        );
    }
}

#[test]
fn wrong_types_and_missing_fields_name_the_json_path() {
    let err = error_of(&with(&["model", "vocab", "a"], json!("zero")));
    assert!(
        err.contains("model.vocab.a") && err.contains("expected an integer"),
        "{err}"
    );
    let err = error_of(&with(&["model", "vocab"], json!([1, 2])));
    assert!(
        err.contains("model.vocab") && err.contains("expected an object"),
        "{err}"
    );
    let err = error_of(&with(&["normalizer"], json!({"type": "Replace", "content": "x"})));
    assert!(err.contains("missing field \"pattern\""), "{err}");
    let err = error_of(&with(
        &["pre_tokenizer"],
        json!({"type": "Split", "pattern": {"Regex": "(unclosed"}, "behavior": "Isolated"}),
    ));
    assert!(
        err.contains("invalid regular expression at pre_tokenizer.pattern.Regex"),
        "{err}"
    );
    let err = error_of(&with(
        &["pre_tokenizer"],
        json!({"type": "Split", "pattern": {"String": "x"}, "behavior": "Sideways"}),
    ));
    assert!(err.contains("Sideways"), "{err}");
    let err = error_of(&with(&["added_tokens"], json!([{"id": -1, "content": "x"}])));
    assert!(err.contains("added_tokens[0].id"), "{err}");
    let err = error_of(&with(&["truncation"], json!({"max_length": 10, "strategy": "Middle"})));
    assert!(err.contains("Middle"), "{err}");
    let err = error_of(&with(&["padding"], json!({"strategy": {"Fixed": "ten"}})));
    assert!(err.contains("padding.strategy.Fixed"), "{err}");
    let err = error_of(&with(&["version"], json!("2.0")));
    assert!(err.contains("version"), "{err}");
}

#[test]
fn models_reject_inconsistent_definitions() {
    let bpe = |merges: Value| json!({"model": {"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": merges}});
    assert!(error_of(&bpe(json!(["a b"]))).contains("\"ab\""));
    assert!(error_of(&bpe(json!(["a  b"]))).contains("model.merges[0]"));
    assert!(error_of(&bpe(json!([["a"]]))).contains("exactly two"));
    let dropout = json!({"model": {"type": "BPE", "dropout": 0.5, "vocab": {}, "merges": []}});
    assert!(error_of(&dropout).contains("dropout"));
    let unigram = json!({"model": {"type": "Unigram", "unk_id": 9, "vocab": [["a", 0.0]]}});
    assert!(error_of(&unigram).contains("unk_id 9"));
    let unigram = json!({"model": {"type": "Unigram", "vocab": [["a"]]}});
    assert!(error_of(&unigram).contains("[piece, score]"));
    let template = json!({"model": word_level()["model"], "post_processor": {"type": "TemplateProcessing",
        "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}], "special_tokens": {}}});
    assert!(error_of(&template).contains("[CLS]"));
    let charsmap =
        json!({"model": word_level()["model"], "normalizer": {"type": "Precompiled", "precompiled_charsmap": "!!"}});
    assert!(error_of(&charsmap).contains("base64"));
}

#[test]
fn encoding_failures_are_errors() {
    // WordPiece without its unknown token in the vocabulary.
    let json = json!({"model": {"type": "WordPiece", "unk_token": "[UNK]", "vocab": {"a": 0}}});
    let t = Tokenizer::from_json_str(&json.to_string()).unwrap();
    assert_eq!(t.encode("a", false).unwrap().ids, [0]);
    let err = t.encode("b", false).unwrap_err().to_string();
    assert!(err.contains("[UNK]"), "{err}");
    // Unigram without unk_id meeting an unknown char.
    let json = json!({"model": {"type": "Unigram", "vocab": [["a", -1.0]]}});
    let t = Tokenizer::from_json_str(&json.to_string()).unwrap();
    assert!(t.encode("ab", false).unwrap_err().to_string().contains("unk_id"));
}

#[test]
fn truncation_errors_are_reported() {
    let bert = json!({"model": {"type": "WordLevel", "vocab": {"a": 0, "[CLS]": 1, "[SEP]": 2, "<unk>": 3}, "unk_token": "<unk>"},
        "pre_tokenizer": {"type": "WhitespaceSplit"},
        "post_processor": {"type": "BertProcessing", "cls": ["[CLS]", 1], "sep": ["[SEP]", 2]}});
    let t = Tokenizer::from_json_str(&bert.to_string()).unwrap();
    let too_small = t.with_truncation(Some(TruncationParams {
        max_length: 1,
        ..TruncationParams::default()
    }));
    assert!(too_small
        .encode("a a", true)
        .unwrap_err()
        .to_string()
        .contains("special tokens"));
    assert_eq!(too_small.encode("a a", false).unwrap().ids, [0]);
    let only_second = too_small.with_truncation(Some(TruncationParams {
        max_length: 5,
        strategy: TruncationStrategy::OnlySecond,
        ..TruncationParams::default()
    }));
    assert!(only_second
        .encode("a a a a a", true)
        .unwrap_err()
        .to_string()
        .contains("pair"));
    assert_eq!(only_second.encode("a a a", true).unwrap().ids, [1, 0, 0, 0, 2]);
    let e = only_second.encode_pair("a", "a a a", true).unwrap();
    assert_eq!(e.ids, [1, 0, 2, 0, 2]);
    assert_eq!(e.type_ids, [0, 0, 0, 1, 1]);
    let err = only_second.encode_pair("a a a", "a", true).unwrap_err().to_string();
    assert!(err.contains("must be removed"), "{err}");
}

#[test]
fn missing_file_is_an_io_error() {
    let err = Tokenizer::from_file(std::path::Path::new("/nonexistent/tokenizer.json")).unwrap_err();
    assert!(matches!(err, TokenizerError::Io { .. }));
    assert!(err.to_string().contains("/nonexistent/tokenizer.json"));
}

#[test]
fn unsupported_decoder_fails_only_when_decoding() {
    let json = with(&["decoder"], json!({"type": "CTC", "pad_token": "<pad>"}));
    let t = Tokenizer::from_json_str(&json.to_string()).unwrap();
    let ids = t.encode("a b", false).unwrap().ids;
    let err = t.decode(&ids, false).unwrap_err().to_string();
    assert!(err.contains("CTC") && err.contains("decoder"), "{err}");
}

#[test]
fn token_ids_beyond_i32_are_refused_naming_the_token_and_its_path() {
    let huge = 4_294_967_295u64;
    let cases = [
        (
            with(&["model", "vocab"], json!({"a": 0, "b": huge, "<unk>": 2})),
            "\"b\" has id 4294967295",
            "model.vocab.b",
        ),
        (
            with(
                &["added_tokens"],
                json!([{"id": 2_147_483_648u64, "content": "[NEW]", "special": true}]),
            ),
            "\"[NEW]\" has id 2147483648",
            "added_tokens[0].id",
        ),
        (
            with(
                &["post_processor"],
                json!({"type": "BertProcessing", "sep": ["[SEP]", huge], "cls": ["[CLS]", 1]}),
            ),
            "\"[SEP]\" has id 4294967295",
            "post_processor.sep[1]",
        ),
    ];
    for (json, token, path) in cases {
        let err = error_of(&json);
        assert!(err.contains(token), "{err}");
        assert!(err.contains(path), "{err}");
        assert!(err.contains("largest token id 2147483647"), "{err}");
    }
    // The largest allowed id loads and encodes to itself.
    let json = with(&["model", "vocab"], json!({"a": 0, "b": 2_147_483_647u64, "<unk>": 2}));
    let tokenizer = Tokenizer::from_json_str(&json.to_string()).unwrap();
    assert_eq!(tokenizer.encode("b", false).unwrap().ids, [2_147_483_647]);
}
