//! The English stemmer against Snowball's official vocabulary and expected stems.

use fastembed_bm25::stemmer::{for_language, Stemmer};

const SNOWBALL_DATA: &str = "/usr/share/snowball/data";

fn english() -> Box<dyn Stemmer> {
    for_language("english").expect("english stemmer")
}

/// Runs the stemmer over `(word, expected)` pairs and lists every disagreement.
fn mismatches<'a>(
    stemmer: &dyn Stemmer,
    pairs: impl Iterator<Item = (&'a str, &'a str)>,
) -> (usize, Vec<String>) {
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

#[test]
fn stems_the_checked_in_sample_of_official_pairs() {
    let sample = include_str!("data/snowball_english_sample.txt");
    let pairs = sample.lines().filter(|l| !l.starts_with('#')).map(|line| {
        let mut parts = line.split(' ');
        (parts.next().unwrap(), parts.next().expect("word and stem"))
    });
    let (checked, wrong) = mismatches(english().as_ref(), pairs);
    assert!(checked > 600, "sample has {checked} pairs");
    assert!(
        wrong.is_empty(),
        "{} of {checked} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// The whole official vocabulary, when Debian's `snowball-data` package is installed.
#[test]
fn stems_the_full_official_vocabulary_when_installed() {
    let dir = format!("{SNOWBALL_DATA}/english");
    let (Ok(voc), Ok(out)) = (
        std::fs::read_to_string(format!("{dir}/voc.txt")),
        std::fs::read_to_string(format!("{dir}/output.txt")),
    ) else {
        eprintln!("skipped: Debian package snowball-data is not installed ({dir})");
        return;
    };
    let (checked, wrong) = mismatches(english().as_ref(), voc.lines().zip(out.lines()));
    assert_eq!(checked, 29_417);
    assert!(
        wrong.is_empty(),
        "{} of {checked} wrong:\n{}",
        wrong.len(),
        wrong
            .iter()
            .take(50)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
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
