//! Tokens against fastembed's Python preprocessing, re-enacted with Python's own `re`, `str.lower`
//! and Debian's python3-snowballstemmer (Snowball's Python build, for every language fastembed lists):
//! `remove_non_alphanumeric` (`[^\w\s]` → space), lowercase, split on `[^\w]` (fastembed's own regexes),
//! drop punctuation, stopwords and tokens over 40 characters, stem, drop empty stems.
//! This checks that the Rust character classes behave as Python's on awkward Unicode.

use std::io::Write;
use std::process::{Command, Stdio};

use fastembed_bm25::stemmer::SUPPORTED_LANGUAGES;
use fastembed_bm25::{Bm25, Bm25Config};

const FASTEMBED_PIPELINE: &str = r#"
import re, sys, unicodedata
stem = None
if sys.argv[1] != "plain":
    import snowballstemmer
    stem = snowballstemmer.stemmer(sys.argv[1]).stemWord
stopwords = set(open(sys.argv[2], encoding="utf-8").read().splitlines()) if stem and sys.argv[2] else set()
punctuation = {chr(i) for i in range(sys.maxunicode) if unicodedata.category(chr(i)).startswith("P")}
for line in sys.stdin:
    text = bytes.fromhex(line.strip()).decode("utf-8")
    text = re.sub(r"[^\w\s]", " ", text, flags=re.UNICODE)
    words = re.sub(r"[^\w]", " ", text.lower())
    words = re.sub(r"\s+", " ", words).strip().split()
    out = []
    for w in words:
        if w in punctuation or w in stopwords or len(w) > 40:
            continue
        s = stem(w) if stem else w
        if s:
            out.append(s.encode("utf-8").hex())
    print(" ".join(out))
"#;

/// Characters where Python and Rust could disagree: marks, enclosed letters, numbers of every
/// kind, odd spaces and case mappings, symbols, scripts with vowel signs.
const POOL: &[&str] = &[
    "a",
    "E",
    "y",
    "Y",
    "s",
    "ing",
    "ed",
    "_",
    "'",
    "-",
    ".",
    ",",
    "!",
    "9",
    " ",
    "  ",
    "\t",
    "\n",
    "é",
    "Ü",
    "ß",
    "ẞ",
    "İ",
    "ı",
    "ǅ",
    "ﬁ",
    "Σ",
    "ΟΔΟΣ",
    "σ",
    "Ⓐ",
    "ⓩ",
    "🄰",
    "²",
    "½",
    "Ⅻ",
    "٣",
    "\u{301}",
    "\u{345}",
    "\u{20dd}",
    "\u{a0}",
    "\u{2003}",
    "\u{1c}",
    "\u{1f}",
    "\u{85}",
    "\u{200d}",
    "\u{ad}",
    "\u{2028}",
    "€",
    "©",
    "→",
    "«",
    "»",
    "—",
    "‿",
    "東京",
    "🙂",
    "தமிழ்",
    "हिन्दी",
    "مُحَمَّد",
    "Москва",
    "running",
    "RUNNING",
    "the",
    "The",
    "generously",
    "καλημέρες",
    "ΣΠΊΤΙΑ",
    "İyileştirmeler",
    "السيارات",
    "பள்ளிகளில்",
    "maisons",
    "Häuser",
    "kauneimmat",
    "hősökkel",
    "copiilor",
    "книгами",
    "huizen",
];

fn generated_texts() -> Vec<String> {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..400)
        .map(|_| {
            let len = (next() % 24) as usize;
            (0..len).map(|_| POOL[(next() % POOL.len() as u64) as usize]).collect()
        })
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> String {
    let bytes: Vec<u8> = (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect();
    String::from_utf8(bytes).unwrap()
}

/// Runs the Python pipeline over `texts`, returning each text's tokens; `language` None for no
/// stemming and no stopwords.
fn python_tokens(texts: &[String], language: Option<&str>) -> Vec<Vec<String>> {
    let stopwords = language
        .map(|l| format!("{}/src/stopwords/{l}.txt", env!("CARGO_MANIFEST_DIR")))
        .filter(|path| std::path::Path::new(path).is_file())
        .unwrap_or_default();
    let modules: &[(&str, &str)] = if language.is_some() {
        &[("snowballstemmer", "python3-snowballstemmer")]
    } else {
        &[]
    };
    let mut child = Command::new(fastembed_testkit::python3(modules))
        .args(["-c", FASTEMBED_PIPELINE, language.unwrap_or("plain"), &stopwords])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 starts");
    let input: String = texts.iter().map(|t| hex(t.as_bytes()) + "\n").collect();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| line.split_whitespace().map(unhex).collect())
        .collect()
}

fn compare(bm25: &Bm25, language: Option<&str>) {
    let mut texts = generated_texts();
    let gpl = fastembed_testkit::debian_path("/usr/share/common-licenses/GPL-3", "base-files");
    texts.push(std::fs::read_to_string(gpl).expect("read the GPL text"));
    let expected = python_tokens(&texts, language);
    assert_eq!(expected.len(), texts.len());
    for (text, want) in texts.iter().zip(expected) {
        assert_eq!(bm25.tokens(text), want, "{language:?}: text {text:?}");
    }
}

#[test]
fn unstemmed_tokens_match_pythons_regex_classes() {
    let bm25 = Bm25::new(Bm25Config {
        disable_stemmer: true,
        ..Bm25Config::default()
    })
    .unwrap();
    compare(&bm25, None);
}

#[test]
fn stemmed_tokens_match_python_with_snowballstemmer_in_every_language() {
    for language in SUPPORTED_LANGUAGES {
        let bm25 = Bm25::new(Bm25Config {
            language: (*language).to_owned(),
            ..Bm25Config::default()
        })
        .unwrap();
        compare(&bm25, Some(language));
    }
}
