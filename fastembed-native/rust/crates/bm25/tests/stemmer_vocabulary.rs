//! The stemmers against Snowball's official vocabularies and expected stems, every language.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

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
    ("arabic", include_str!("data/snowball_arabic_sample.txt")),
    ("danish", include_str!("data/snowball_danish_sample.txt")),
    ("dutch", include_str!("data/snowball_dutch_sample.txt")),
    ("english", include_str!("data/snowball_english_sample.txt")),
    ("finnish", include_str!("data/snowball_finnish_sample.txt")),
    ("french", include_str!("data/snowball_french_sample.txt")),
    ("german", include_str!("data/snowball_german_sample.txt")),
    ("greek", include_str!("data/snowball_greek_sample.txt")),
    ("hungarian", include_str!("data/snowball_hungarian_sample.txt")),
    ("italian", include_str!("data/snowball_italian_sample.txt")),
    ("norwegian", include_str!("data/snowball_norwegian_sample.txt")),
    ("portuguese", include_str!("data/snowball_portuguese_sample.txt")),
    ("romanian", include_str!("data/snowball_romanian_sample.txt")),
    ("russian", include_str!("data/snowball_russian_sample.txt")),
    ("spanish", include_str!("data/snowball_spanish_sample.txt")),
    ("swedish", include_str!("data/snowball_swedish_sample.txt")),
    ("tamil", include_str!("data/snowball_tamil_sample.txt")),
    ("turkish", include_str!("data/snowball_turkish_sample.txt")),
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

/// A vocabulary file of Debian's `snowball-data`, plain or (Arabic's) gzip-compressed, as lines;
/// with the gzip process to wait for once the lines are read.
fn vocabulary_lines(dir: &Path, name: &str) -> (Box<dyn Iterator<Item = String>>, Option<Child>) {
    let plain = dir.join(name);
    let (reader, child): (Box<dyn BufRead>, _) = if plain.is_file() {
        let file = File::open(&plain).unwrap_or_else(|e| panic!("{plain:?}: {e}"));
        (Box::new(BufReader::new(file)), None)
    } else {
        let gzip = fastembed_testkit::command("gzip", "gzip");
        let mut child = Command::new(gzip)
            .arg("-dc")
            .arg(dir.join(format!("{name}.gz")))
            .stdout(Stdio::piped())
            .spawn()
            .expect("gzip starts");
        let stdout = child.stdout.take().expect("gzip's output");
        (Box::new(BufReader::new(stdout)), Some(child))
    };
    (Box::new(reader.lines().map(|l| l.expect("a UTF-8 line"))), child)
}

/// The whole official vocabularies, from Debian's `snowball-data` package (Arabic's has 9 million
/// words).
#[test]
fn stems_the_full_official_vocabularies() {
    for language in SUPPORTED_LANGUAGES {
        let dir = fastembed_testkit::debian_path(&format!("{SNOWBALL_DATA}/{language}"), "snowball-data");
        let stemmer = for_language(language).expect(language);
        let (mut checked, mut wrong) = (0, Vec::new());
        // Streamed: Arabic's pairs would take most of a gigabyte held at once.
        let (words, voc_gzip) = vocabulary_lines(&dir, "voc.txt");
        let (stems, out_gzip) = vocabulary_lines(&dir, "output.txt");
        for (word, expected) in words.zip(stems) {
            let (n, mut w) = mismatches(stemmer.as_ref(), std::iter::once((word.as_str(), expected.as_str())));
            checked += n;
            wrong.append(&mut w);
        }
        for mut gzip in [voc_gzip, out_gzip].into_iter().flatten() {
            assert!(gzip.wait().expect("gzip ends").success(), "{language}: gzip failed");
        }
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
