//! Inputs at the edges: empty, nothing but stopwords or punctuation, a megabyte, any Unicode.

use fastembed_bm25::{token_index, Bm25, Bm25Config, SparseVector};
use proptest::prelude::*;

fn bm25() -> Bm25 {
    Bm25::new(Bm25Config::default()).unwrap()
}

fn assert_well_formed(v: &SparseVector) {
    assert_eq!(v.indices.len(), v.values.len());
    assert!(
        v.indices.windows(2).all(|w| w[0] < w[1]),
        "indices ascending and distinct"
    );
    assert!(
        v.values.iter().all(|x| x.is_finite() && *x > 0.0),
        "values finite and > 0"
    );
}

#[test]
fn empty_text_gives_empty_vectors() {
    let bm25 = bm25();
    assert!(bm25.tokens("").is_empty());
    assert!(bm25.embed_document("").is_empty());
    assert!(bm25.embed_query("").is_empty());
}

#[test]
fn only_stopwords_and_punctuation_give_empty_vectors() {
    let bm25 = bm25();
    for text in [
        "the and of a an",
        "!!! ... ,,, ;;; ???",
        "   \t\n  ",
        "It is what it was.",
        "« — » _ ¿¡",
    ] {
        assert!(bm25.embed_document(text).is_empty(), "{text:?}");
        assert!(bm25.embed_query(text).is_empty(), "{text:?}");
    }
}

#[test]
fn a_megabyte_of_text_is_weighted_by_its_token_count() {
    let bm25 = bm25();
    let unit = "alpha beta, beta! ";
    let text = unit.repeat((1 << 20) / unit.len() + 1);
    assert!(text.len() >= (1 << 20));
    let repeats = (text.len() / unit.len()) as f64;
    let v = bm25.embed_document(&text);
    assert_eq!(v.len(), 2);
    let doc_len = 3.0 * repeats;
    let weight = |tf: f64| (tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * doc_len / 256.0))) as f32;
    let close = |a: f32, b: f32| (a - b).abs() <= 1e-6 * b;
    assert!(close(v.get(token_index("alpha")).unwrap(), weight(repeats)));
    assert!(close(v.get(token_index("beta")).unwrap(), weight(2.0 * repeats)));
}

#[test]
fn unicode_words_of_any_script_become_tokens() {
    let bm25 = bm25();
    let tokens = bm25.tokens("Ünïcödé naïve café — 東京 Москва தமிழ் 🙂 x²");
    // Precomposed letters stay whole; the Tamil word is cut at its vowel sign and virama, as Python's re does.
    assert_eq!(tokens, ["ünïcödé", "naïv", "café", "東京", "москва", "தம", "ழ", "x²"]);
    assert_well_formed(&bm25.embed_document("Ünïcödé naïve café — 東京 Москва தமிழ் 🙂 x²"));
}

#[test]
fn tokens_longer_than_the_limit_in_characters_not_bytes_are_dropped() {
    let bm25 = bm25();
    let forty_cyrillic = "ж".repeat(40); // 80 bytes, 40 characters: kept
    let forty_one = "ж".repeat(41);
    assert_eq!(bm25.tokens(&format!("{forty_cyrillic} {forty_one}")), [forty_cyrillic]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn never_panics_and_vectors_are_well_formed(text in any::<String>()) {
        let bm25 = bm25();
        let doc = bm25.embed_document(&text);
        let query = bm25.embed_query(&text);
        assert_well_formed(&doc);
        assert_well_formed(&query);
        prop_assert!(query.values.iter().all(|&v| v == 1.0));
        prop_assert_eq!(&query.indices, &doc.indices);
    }

    #[test]
    fn wordlike_text_never_panics(text in "[a-zA-Z'éyY_ .,!-]{0,80}") {
        let bm25 = bm25();
        for token in bm25.tokens(&text) {
            prop_assert!(!token.is_empty());
        }
        assert_well_formed(&bm25.embed_document(&text));
    }
}
