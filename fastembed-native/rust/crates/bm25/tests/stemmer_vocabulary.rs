//! The English stemmer against Snowball's official vocabulary and expected stems.

use fastembed_bm25::stemmer::{for_language, Stemmer, SUPPORTED_LANGUAGES};

const SNOWBALL_DATA: &str = "/usr/share/snowball/data";

fn english() -> Box<dyn Stemmer> {
    for_language("english").expect("english stemmer")
}

/// Runs the stemmer over `(word, expected)` pairs and lists every disagreement.
fn mismatches<'a>(stemmer: &dyn Stemmer, pairs: impl Iterator<Item = (&'a str, &'a str)>) -> (usize, Vec<String>) {
    let mut checked = 0;
    let mut wrong = Vec::new();
    for (word, expected) in pairs {
        checked += 1;
        let got = stemmer.stem(word);
        if got != expected {
            wrong.push(format!("{word} -> {got} (expected {expected})"));
        }
    }
    (checked, wrong)
}

/// Checked-in samples of Snowball's official pairs, one per supported language.
const SAMPLES: &[(&str, &str)] = &[
    ("danish", include_str!("data/snowball_danish_sample.txt")),
    ("english", include_str!("data/snowball_english_sample.txt")),
    ("german", include_str!("data/snowball_german_sample.txt")),
    ("italian", include_str!("data/snowball_italian_sample.txt")),
    ("norwegian", include_str!("data/snowball_norwegian_sample.txt")),
    ("portuguese", include_str!("data/snowball_portuguese_sample.txt")),
    ("spanish", include_str!("data/snowball_spanish_sample.txt")),
    ("swedish", include_str!("data/snowball_swedish_sample.txt")),
];

#[test]
fn every_supported_language_has_a_checked_in_sample() {
    for language in SUPPORTED_LANGUAGES {
        assert!(SAMPLES.iter().any(|(l, _)| l == language), "{language}");
    }
}

#[test]
fn stems_the_checked_in_samples_of_official_pairs() {
    for &(language, sample) in SAMPLES {
        let pairs = sample.lines().filter(|l| !l.starts_with('#')).map(|line| {
            let mut parts = line.split(' ');
            (parts.next().unwrap(), parts.next().expect("word and stem"))
        });
        let stemmer = for_language(language).expect(language);
        let (checked, wrong) = mismatches(stemmer.as_ref(), pairs);
        assert!(checked > 400, "{language} sample has {checked} pairs");
        assert!(
            wrong.is_empty(),
            "{language}: {} of {checked} wrong:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
    }
}

/// The whole official vocabularies, from Debian's `snowball-data` package.
#[test]
fn stems_the_full_official_vocabularies() {
    for language in SUPPORTED_LANGUAGES {
        let dir = fastembed_testkit::debian_path(&format!("{SNOWBALL_DATA}/{language}"), "snowball-data");
        let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let (voc, out) = (read("voc.txt"), read("output.txt"));
        let stemmer = for_language(language).expect(language);
        let (checked, wrong) = mismatches(stemmer.as_ref(), voc.lines().zip(out.lines()));
        assert!(checked > 20_000, "{language}: {checked} words");
        let shown: Vec<String> = wrong.iter().take(50).cloned().collect();
        assert!(
            wrong.is_empty(),
            "{language}: {} of {checked} wrong:\n{}",
            wrong.len(),
            shown.join("\n")
        );
    }
}

#[test]
fn handles_each_special_rule() {
    let s = english();
    let cases = [
        ("skies", "sky"), // exceptional form
        ("dying", "die"),
        ("howe", "howe"), // invariant form
        ("succeeding", "succeed"),
        ("proceed", "proceed"),     // left alone after step 1a
        ("generously", "generous"), // R1 after the `gener` prefix
        ("communism", "communism"),
        ("arsenal", "arsenal"),
        ("youth", "youth"), // initial y is a consonant
        ("saying", "say"),  // y after a vowel is a consonant
        ("cries", "cri"),
        ("ties", "tie"),
        ("hoping", "hope"), // short word gets its e back
        ("hopping", "hop"), // double consonant undoubled
        ("'s", "'s"),       // too short to stem
        ("dog's", "dog"),
        ("by", "by"),
    ];
    for (word, stem) in cases {
        assert_eq!(s.stem(word), stem, "{word}");
    }
}

#[test]
fn never_panics_on_odd_words() {
    let s = english();
    for word in [
        "",
        "'",
        "''",
        "'''s",
        "yyy",
        "YyY",
        "ééé",
        "a'b'c",
        "sses",
        "ied",
        "eedly",
        "語語語ing",
        "🙂🙂s",
    ] {
        let _ = s.stem(word);
    }
}

#[test]
fn unknown_languages_have_no_stemmer() {
    assert!(for_language("klingon").is_none());
    assert!(for_language(" English ").is_some());
}
