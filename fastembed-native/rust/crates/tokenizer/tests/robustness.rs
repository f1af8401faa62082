//! Any input text encodes without panicking, in bounded time, with consistent encodings;
//! property-based over random Unicode strings for every tokenizer family.

mod common;

use common::{fixture, langchain4j_tokenizer};
use fastembed_tokenizer::*;
use once_cell::sync::Lazy;
use proptest::prelude::*;

fn load(name: &str) -> Tokenizer {
    Tokenizer::from_file(&fixture(name))
        .unwrap()
        .with_truncation(Some(TruncationParams {
            max_length: 64,
            ..TruncationParams::default()
        }))
}

/// Every family, truncated to 64 tokens: real BERT (when its jar is present) and the fixtures.
static TOKENIZERS: Lazy<Vec<(String, Tokenizer)>> = Lazy::new(|| {
    let mut all: Vec<(String, Tokenizer)> = [
        "unigram-xlmr-style.tokenizer.json",
        "unigram-byte-fallback.tokenizer.json",
        "bpe-byte-fallback.tokenizer.json",
        "bpe-gpt2.tokenizer.json",
        "bpe-clip-style.tokenizer.json",
    ]
    .iter()
    .map(|n| (n.to_string(), load(n)))
    .collect();
    let path = langchain4j_tokenizer("bge-small-en-v15", "bge-small-en-v1.5-tokenizer.json");
    let t = Tokenizer::from_file(&path)
        .unwrap()
        .with_truncation(Some(TruncationParams {
            max_length: 64,
            ..TruncationParams::default()
        }));
    all.push(("bge-small-en".into(), t));
    all
});

fn check(encoding: &Encoding, max: usize) {
    let n = encoding.ids.len();
    assert!(n <= max, "{n} tokens exceed max_length {max}");
    assert_eq!(encoding.type_ids.len(), n);
    assert_eq!(encoding.attention_mask.len(), n);
    assert_eq!(encoding.special_tokens_mask.len(), n);
    assert_eq!(encoding.offsets.len(), n);
    assert_eq!(encoding.tokens.len(), n);
}

/// Texts mixing arbitrary code points with the characters tokenizers treat specially.
fn texts() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,64}",
        "[ \\t\\n\\u{3000}\\u{200b}a-z0-9'.,!?<>|\\[\\]/▁Ġ#é\\u{301}你😀]{0,80}",
        prop::collection::vec(
            prop::sample::select(vec![
                "<s>",
                "</s>",
                "<mask>",
                "[CLS]",
                "[SEP]",
                "<|endoftext|>",
                "<0x41>",
                "  ",
                "\u{0}",
                "é",
                "\u{301}",
                "ﬁ",
                "a",
                "'s",
                "\r\n",
                "▁",
            ]),
            0..20
        )
        .prop_map(|v| v.concat()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn any_text_encodes_consistently(text in texts(), other in texts()) {
        for (name, t) in TOKENIZERS.iter() {
            let single = t.encode(&text, true).unwrap_or_else(|e| panic!("{name}: {e}"));
            check(&single, 64);
            let pair = t.encode_pair(&text, &other, true).unwrap_or_else(|e| panic!("{name}: {e}"));
            check(&pair, 64);
            let plain = t.encode(&text, false).unwrap_or_else(|e| panic!("{name}: {e}"));
            prop_assert!(plain.special_tokens_mask.iter().all(|&m| m == 0));
            let _ = t.decode(&single.ids, true);
        }
    }
}

#[test]
fn long_inputs_finish_quickly() {
    let start = std::time::Instant::now();
    // Long runs of one class are where backtracking regexes and greedy tokenizers blow up.
    let inputs = [
        "a".repeat(1 << 20),
        " ".repeat(1 << 18),
        "ab ".repeat(50_000),
        "你".repeat(50_000),
        "\u{301}".repeat(50_000),
        "'s".repeat(50_000),
    ];
    for (name, t) in TOKENIZERS.iter() {
        for input in &inputs {
            let e = t.encode(input, true).unwrap_or_else(|e| panic!("{name}: {e}"));
            check(&e, 64);
        }
    }
    // Generous for unoptimized builds on a shared machine; quadratic work would take hours.
    assert!(start.elapsed().as_secs() < 240, "took {:?}", start.elapsed());
}

#[test]
fn tokenizer_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Tokenizer>();
}
