//! BM25 document and query vectors against the formula, computed here independently.

use fastembed_bm25::{token_index, Bm25, Bm25Config, Bm25Error, SparseVector};

fn default_bm25() -> Bm25 {
    Bm25::new(Bm25Config::default()).expect("default config")
}

/// fastembed's term-frequency weight, written out from its documentation.
fn expected_weight(tf: f64, doc_len: f64, k: f64, b: f64, avg_len: f64) -> f32 {
    (tf * (k + 1.0) / (tf + k * (1.0 - b + b * doc_len / avg_len))) as f32
}

fn assert_vector(actual: &SparseVector, expected: &[(&str, f32)]) {
    let mut expected: Vec<(u32, f32)> = expected.iter().map(|&(t, w)| (token_index(t), w)).collect();
    expected.sort_by_key(|&(i, _)| i);
    let indices: Vec<u32> = expected.iter().map(|&(i, _)| i).collect();
    assert_eq!(actual.indices, indices);
    for ((_, want), got) in expected.iter().zip(&actual.values) {
        assert!((want - got).abs() <= 1e-7 * want.abs(), "want {want}, got {got}");
    }
}

#[test]
fn defaults_are_fastembeds() {
    let c = Bm25Config::default();
    assert_eq!((c.k1, c.b, c.avg_len), (1.2, 0.75, 256.0));
    assert_eq!(
        (c.language.as_str(), c.token_max_length, c.disable_stemmer),
        ("english", 40, false)
    );
}

#[test]
fn tokens_are_lowercased_filtered_and_stemmed() {
    let bm25 = default_bm25();
    assert_eq!(
        bm25.tokens("The cats CHASED the cat; cats run, and the cat's running!"),
        // "the", "and" and the "s" of "cat's" are NLTK stopwords.
        ["cat", "chase", "cat", "cat", "run", "cat", "run"]
    );
}

#[test]
fn document_weights_follow_the_bm25_term_frequency_formula() {
    let bm25 = default_bm25();
    // Tokens: cat, chase, cat, cat, run, cat, run  → doc_len 7.
    let v = bm25.embed_document("The cats CHASED the cat; cats run, and the cat's running!");
    let w = |tf| expected_weight(tf, 7.0, 1.2, 0.75, 256.0);
    assert_vector(&v, &[("cat", w(4.0)), ("chase", w(1.0)), ("run", w(2.0))]);
}

#[test]
fn custom_parameters_change_the_weights_as_the_formula_says() {
    let config = Bm25Config {
        k1: 2.0,
        b: 0.3,
        avg_len: 3.0,
        ..Bm25Config::default()
    };
    let bm25 = Bm25::new(config).unwrap();
    let v = bm25.embed_document("apple apple banana apple cherry");
    let w = |tf| expected_weight(tf, 5.0, 2.0, 0.3, 3.0);
    assert_vector(&v, &[("appl", w(3.0)), ("banana", w(1.0)), ("cherri", w(1.0))]);
}

#[test]
fn longer_documents_weigh_a_term_less() {
    let bm25 = default_bm25();
    let short = bm25.embed_document("rust compiler");
    let long = bm25.embed_document(&format!("rust compiler {}", "memory ".repeat(500)));
    let rust = token_index("rust");
    assert!(long.get(rust).unwrap() < short.get(rust).unwrap());
}

#[test]
fn index_is_abs_of_the_signed_mmh3_hash() {
    // mmh3.hash("foo") == -156908512 (mmh3's documentation).
    let v = default_bm25().embed_query("foo");
    assert_eq!(v.indices, [156_908_512]);
}

#[test]
fn query_gives_each_distinct_token_weight_one() {
    let v = default_bm25().embed_query("Running runners run; the runner runs.");
    // run, runner, run, runner, run → two distinct stems.
    assert_vector(&v, &[("run", 1.0), ("runner", 1.0)]);
}

#[test]
fn query_and_document_share_indices() {
    let bm25 = default_bm25();
    let text = "Licensed under the Apache License, Version 2.0";
    assert_eq!(bm25.embed_query(text).indices, bm25.embed_document(text).indices);
}

#[test]
fn disabling_the_stemmer_also_disables_stopwords() {
    let bm25 = Bm25::new(Bm25Config {
        disable_stemmer: true,
        ..Bm25Config::default()
    })
    .unwrap();
    assert_eq!(bm25.tokens("The cats were running"), ["the", "cats", "were", "running"]);
}

#[test]
fn disabled_stemmer_accepts_any_language_as_fastembed_does() {
    let config = Bm25Config {
        language: "klingon".into(),
        disable_stemmer: true,
        ..Bm25Config::default()
    };
    assert!(Bm25::new(config).is_ok());
}

#[test]
fn overlong_tokens_are_dropped_before_stemming() {
    let bm25 = Bm25::new(Bm25Config {
        token_max_length: 5,
        ..Bm25Config::default()
    })
    .unwrap();
    // "running" has 7 characters and is dropped although its stem "run" would be short.
    assert_eq!(bm25.tokens("cats running jumps"), ["cat", "jump"]);
}

#[test]
fn a_lone_underscore_is_punctuation_but_snake_case_is_a_word() {
    assert_eq!(default_bm25().tokens("_ snake_case __"), ["snake_cas", "__"]);
}

#[test]
fn unknown_language_is_a_clear_error_listing_supported_ones() {
    let err = Bm25::new(Bm25Config {
        language: "klingon".into(),
        ..Bm25Config::default()
    })
    .unwrap_err();
    assert!(matches!(err, Bm25Error::UnsupportedLanguage { .. }));
    let message = err.to_string();
    assert!(message.contains("klingon") && message.contains("english"), "{message}");
}

#[test]
fn language_names_ignore_case() {
    assert!(Bm25::new(Bm25Config {
        language: "English".into(),
        ..Bm25Config::default()
    })
    .is_ok());
}

#[test]
fn invalid_parameters_are_rejected() {
    for config in [
        Bm25Config {
            k1: -1.0,
            ..Bm25Config::default()
        },
        Bm25Config {
            b: 2.0,
            ..Bm25Config::default()
        },
        Bm25Config {
            avg_len: 0.0,
            ..Bm25Config::default()
        },
        Bm25Config {
            avg_len: f32::NAN,
            ..Bm25Config::default()
        },
    ] {
        let err = Bm25::new(config).unwrap_err();
        assert!(matches!(err, Bm25Error::InvalidConfig(_)), "{err}");
    }
}

#[test]
fn bm25_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Bm25>();
    let bm25 = std::sync::Arc::new(default_bm25());
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let bm25 = bm25.clone();
            std::thread::spawn(move || bm25.embed_document("threads share one model"))
        })
        .collect();
    let results: Vec<SparseVector> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(results[0], results[1]);
}

/// fastembed's `test_stem_with_stopwords_and_punctuation` / `test_stem_case_insensitive_stopwords` /
/// `test_disable_stemmer_behavior` (tests/test_sparse_embeddings.py): the user's stopwords
/// {the, is, a} replace the language's list, are matched after lowercasing, before stemming.
#[test]
fn user_stopwords_replace_the_language_list_as_in_fastembeds_tests() {
    let with = |disable_stemmer: bool| {
        Bm25::new(Bm25Config {
            stopwords: Some(vec!["the".into(), "is".into(), "a".into()]),
            disable_stemmer,
            ..Bm25Config::default()
        })
        .unwrap()
    };
    let stemmed = with(false);
    assert_eq!(
        stemmed.tokens("The quick brown fox is a test sentence . !"),
        ["quick", "brown", "fox", "test", "sentenc"]
    );
    assert_eq!(
        stemmed.tokens("THE Quick Brown Fox IS A Test Sentence . !"),
        ["quick", "brown", "fox", "test", "sentenc"]
    );
    // fastembed's test sets the stopwords after building the model, so they apply without stemmer too.
    assert_eq!(
        with(true).tokens("The quick brown fox is a test sentence . !"),
        ["quick", "brown", "fox", "test", "sentence"]
    );
    // English's own list would drop "very" and "our"; the user's list does not.
    assert_eq!(stemmed.tokens("very our"), ["veri", "our"]);
    assert!(default_bm25().tokens("very our").is_empty());
}

#[test]
fn user_stopwords_are_lowercased_and_blank_entries_ignored() {
    let bm25 = Bm25::new(Bm25Config {
        stopwords: Some(vec!["Fox".into(), " ".into(), "".into()]),
        ..Bm25Config::default()
    })
    .unwrap();
    assert_eq!(bm25.tokens("fox FOX the"), ["the"]);
}

/// Arabic and Tamil through the whole path (split, stopwords, stem, hash). The Arabic stems are pairs of
/// Snowball's official vocabulary (tests/data); Tamil words are cut at their vowel signs and viramas before
/// stemming, as fastembed's `re` does (Python 3.11 with python3-snowballstemmer gives these fragments).
#[test]
fn arabic_and_tamil_documents_go_the_way_fastembed_takes_them() {
    let bm25 = |language: &str| {
        Bm25::new(Bm25Config {
            language: language.into(),
            ..Bm25Config::default()
        })
        .unwrap()
    };
    let arabic = bm25("arabic");
    assert_eq!(arabic.tokens("فالمحللان فبارحا"), ["فالمحلل", "بارح"]);
    let tamil = bm25("tamil");
    assert_eq!(
        tamil.tokens("கல்வெட்டிலோ, கழித்துக்!"),
        ["கல", "வ", "ட", "ட", "ல", "கழ", "த", "த", "க"]
    );
    assert_vector(
        &tamil.embed_query("கழித்துக் கழித்துக்"),
        &[("கழ", 1.0), ("த", 1.0), ("க", 1.0)],
    );
}

/// Arabic, Greek and Romanian drop their NLTK stopwords and keep the other words; the expected
/// tokens come from the same language with an empty stopword list given instead.
#[test]
fn arabic_greek_and_romanian_drop_their_nltk_stopwords() {
    let bm25 = |language: &str, stopwords: Option<Vec<String>>| {
        Bm25::new(Bm25Config {
            language: language.into(),
            stopwords,
            ..Bm25Config::default()
        })
        .unwrap()
    };
    for (language, text, stopwords, kept) in [
        ("arabic", "الكتاب الذي على الطاولة", "الذي على في", "الكتاب الطاولة"),
        ("greek", "Το βιβλίο ΣΤΟ τραπέζι", "το στο και", "βιβλίο τραπέζι"),
        ("romanian", "Cartea este pe masă", "este pe \u{15F}i", "cartea masă"),
    ] {
        let with_list = bm25(language, None);
        let without_list = bm25(language, Some(Vec::new()));
        assert_eq!(without_list.tokens(text).len(), 4, "{language}");
        assert_eq!(with_list.tokens(text), without_list.tokens(kept), "{language}");
        assert!(with_list.tokens(stopwords).is_empty(), "{language}");
    }
    // As in fastembed, words are not normalized: NLTK lists "şi" with a cedilla, so the
    // comma-below spelling stays a token.
    assert!(!bm25("romanian", None).tokens("\u{219}i").is_empty());
}

#[test]
fn every_fastembed_language_builds() {
    for language in fastembed_bm25::stemmer::SUPPORTED_LANGUAGES {
        let bm25 = Bm25::new(Bm25Config {
            language: language.to_uppercase(),
            ..Bm25Config::default()
        })
        .unwrap_or_else(|e| panic!("{language}: {e}"));
        assert!(!bm25.embed_document("hello world").is_empty(), "{language}");
    }
}
