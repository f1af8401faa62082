//! BM42's text side: WordPiece pieces → words → filtered, stemmed, attention-weighted indices.

use fastembed_bm25::{
    bm42_document_weights, bm42_pool_attention, bm42_query, token_index, Bm25, Bm25Config, Bm25Error, Bm42Config,
    SparseVector,
};
use proptest::prelude::*;

fn bm25() -> Bm25 {
    Bm25::new(Bm25Config::default()).unwrap()
}

/// BERT-style pieces of "The quick foxes were running, running!" (padded) and made-up [CLS]
/// attention per piece.
const TOKENS: &[&str] = &[
    "[CLS]", "the", "quick", "fox", "##es", "were", "running", ",", "run", "##ning", "!", "[SEP]", "[PAD]",
];
const ATTENTION: &[f32] = &[0.3, 0.05, 0.1, 0.04, 0.02, 0.01, 0.2, 0.01, 0.03, 0.02, 0.005, 0.2, 0.0];

/// fastembed's rescoring `ln(1 + w)^alpha` of a word weight summed from f32 attentions.
fn rescored(pieces: &[f32], alpha: f64) -> f32 {
    let w: f64 = pieces.iter().map(|&a| f64::from(a)).sum();
    (1.0 + w).ln().powf(alpha) as f32
}

fn assert_vector(actual: &SparseVector, expected: &[(&str, f32)]) {
    let mut expected: Vec<(u32, f32)> = expected.iter().map(|&(t, w)| (token_index(t), w)).collect();
    expected.sort_by_key(|&(i, _)| i);
    assert_eq!(actual.indices, expected.iter().map(|&(i, _)| i).collect::<Vec<_>>());
    for ((_, want), got) in expected.iter().zip(&actual.values) {
        assert!((want - got).abs() <= 1e-7 * want, "want {want}, got {got}");
    }
}

#[test]
fn document_weights_sum_pieces_keep_the_largest_occurrence_and_rescore() {
    let v = bm42_document_weights(TOKENS, ATTENTION, &bm25(), &Bm42Config::default()).unwrap();
    // "the"/"were" are stopwords, "," and "!" punctuation; "foxes" = fox + ##es; the two
    // "running" stem to "run" and keep the larger weight (0.2 over 0.03 + 0.02).
    assert_vector(
        &v,
        &[
            ("quick", rescored(&[0.1], 0.5)),
            ("fox", rescored(&[0.04, 0.02], 0.5)),
            ("run", rescored(&[0.2], 0.5)),
        ],
    );
}

#[test]
fn alpha_is_the_rescoring_exponent() {
    let config = Bm42Config {
        alpha: 1.0,
        ..Bm42Config::default()
    };
    let v = bm42_document_weights(TOKENS, ATTENTION, &bm25(), &config).unwrap();
    assert_eq!(v.get(token_index("run")), Some(rescored(&[0.2], 1.0)));
}

#[test]
fn query_gives_each_kept_word_weight_one() {
    let v = bm42_query(TOKENS, &bm25(), &Bm42Config::default());
    assert_vector(&v, &[("quick", 1.0), ("fox", 1.0), ("run", 1.0)]);
}

#[test]
fn special_tokens_do_not_split_a_word() {
    let v = bm42_query(
        &["[CLS]", "hel", "[SEP]", "##lo", "[SEP]"],
        &bm25(),
        &Bm42Config::default(),
    );
    assert_eq!(v.indices, [token_index("hello")]);
}

#[test]
fn a_leading_continuation_starts_a_word() {
    let v = bm42_query(&["##zig", "##zag"], &bm25(), &Bm42Config::default());
    assert_eq!(v.indices, [token_index("zigzag")]);
}

#[test]
fn words_with_no_positive_attention_are_left_out() {
    // fastembed clamps at 0 and keeps ln(1 + 0)^alpha = 0 entries; a SparseVector holds only
    // values > 0, so they are dropped.
    let v = bm42_document_weights(&["cat", "dog"], &[-0.5, 0.25], &bm25(), &Bm42Config::default()).unwrap();
    assert_eq!(v.indices, [token_index("dog")]);
}

#[test]
fn mismatched_lengths_and_bad_alpha_are_errors() {
    let err = bm42_document_weights(&["cat"], &[0.1, 0.2], &bm25(), &Bm42Config::default()).unwrap_err();
    assert!(matches!(err, Bm25Error::InvalidBm42Input(_)), "{err}");
    let config = Bm42Config {
        alpha: f32::NAN,
        ..Bm42Config::default()
    };
    assert!(bm42_document_weights(&["cat"], &[0.1], &bm25(), &config).is_err());
}

#[test]
fn pooling_averages_the_cls_row_over_heads_and_masks_padding() {
    // 2 heads x 3 tokens x 3 tokens; row 0 of head 0 is [0.5, 0.25, 0.25], of head 1 [0.1, 0.6, 0.3].
    let attention = [
        0.5, 0.25, 0.25, /* rows 1, 2: */ 9.0, 9.0, 9.0, 9.0, 9.0, 9.0, //
        0.1, 0.6, 0.3, 9.0, 9.0, 9.0, 9.0, 9.0, 9.0,
    ];
    let pooled = bm42_pool_attention(&attention, 2, 3, &[1, 1, 0]).unwrap();
    assert_eq!(pooled, [(0.5f32 + 0.1) / 2.0, (0.25f32 + 0.6) / 2.0, 0.0]);
}

#[test]
fn pooling_rejects_inconsistent_shapes() {
    assert!(bm42_pool_attention(&[0.0; 17], 2, 3, &[1, 1, 1]).is_err());
    assert!(bm42_pool_attention(&[0.0; 18], 2, 3, &[1, 1]).is_err());
    assert!(bm42_pool_attention(&[], 0, 0, &[]).is_err());
    assert!(bm42_pool_attention(&[0.0; 4], usize::MAX, 2, &[1, 1]).is_err());
}

proptest! {
    #[test]
    fn never_panics_on_any_tokens(
        pieces in proptest::collection::vec(("(##)?[a-z,.!]{0,6}|\\[CLS\\]|\\[SEP\\]|.{0,4}", -1.0f32..2.0), 0..40)
    ) {
        let tokens: Vec<&str> = pieces.iter().map(|(t, _)| t.as_str()).collect();
        let attention: Vec<f32> = pieces.iter().map(|(_, a)| *a).collect();
        let bm25 = bm25();
        let doc = bm42_document_weights(&tokens, &attention, &bm25, &Bm42Config::default()).unwrap();
        prop_assert!(doc.indices.windows(2).all(|w| w[0] < w[1]));
        prop_assert!(doc.values.iter().all(|v| v.is_finite() && *v > 0.0));
        let query = bm42_query(&tokens, &bm25, &Bm42Config::default());
        prop_assert!(doc.indices.iter().all(|i| query.indices.binary_search(i).is_ok()));
    }
}
