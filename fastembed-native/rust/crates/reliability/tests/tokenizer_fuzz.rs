//! Fuzzing of the tokenizer: random tokenizer.json configurations assembled from components, and seeded
//! structural mutations of real tokenizer.json files (fields deleted, retyped, renamed, emptied). Loading
//! must give a tokenizer or an error, and a loaded tokenizer must encode any text to a consistent encoding
//! or an error — never panic, never hang (each case has a time limit).
//!
//! CI runs a few dozen cases; `scripts/fuzz.sh <seconds>` runs many more (PROPTEST_CASES, FUZZ_SEEDS).
//! Replay a mutation failure with `FUZZ_SEED=<seed>`.

use fastembed_reliability::json_mutation::mutate;
use fastembed_reliability::rng::Rng;
use fastembed_reliability::tokenizer_config::random_tokenizer_json;
use fastembed_reliability::{files, fuzz_seeds, proptest_cases};
use fastembed_tokenizer::{Encoding, Tokenizer};
use proptest::prelude::*;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

/// The longest one case may take; a loop shows up as a timeout. Generous for a loaded shared machine.
const CASE_LIMIT: Duration = Duration::from_secs(20);

/// Checks that an encoding is internally consistent and, for self-consistent configurations, that every id
/// names a token of the tokenizer. (A mutated file may be inconsistent: with its vocabulary emptied, the
/// added tokens get new ids while the template keeps the old ones, as in Hugging Face tokenizers.)
fn check_encoding(t: &Tokenizer, e: &Encoding, ids_name_tokens: bool) -> Result<(), String> {
    let n = e.ids.len();
    let lengths = [
        e.type_ids.len(),
        e.attention_mask.len(),
        e.special_tokens_mask.len(),
        e.offsets.len(),
        e.tokens.len(),
    ];
    if lengths.iter().any(|&l| l != n) {
        return Err(format!("parallel arrays differ in length: {n} ids, others {lengths:?}"));
    }
    if let Some(id) = e.ids.iter().find(|&&id| ids_name_tokens && t.id_to_token(id).is_none()) {
        return Err(format!("id {id} names no token (vocabulary size {})", t.vocab_size()));
    }
    Ok(())
}

/// Loads `json` and encodes `texts` (single, without specials, paired, decoded); errors are fine.
fn exercise(json: &str, texts: &[String], ids_name_tokens: bool) -> Result<(), String> {
    let Ok(t) = Tokenizer::from_json_str(json) else {
        return Ok(());
    };
    for (i, text) in texts.iter().enumerate() {
        let other = &texts[(i + 1) % texts.len()];
        for encoding in [
            t.encode(text, true),
            t.encode(text, false),
            t.encode_pair(text, other, true),
        ]
        .into_iter()
        .flatten()
        {
            check_encoding(&t, &encoding, ids_name_tokens).map_err(|e| format!("text {text:?}: {e}"))?;
            let _ = t.decode(&encoding.ids, true);
        }
    }
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    if let Ok(mut batch) = t.encode_batch(&refs, true) {
        t.pad_batch(&mut batch);
        for encoding in &batch {
            check_encoding(&t, encoding, ids_name_tokens).map_err(|e| format!("padded batch: {e}"))?;
        }
    }
    Ok(())
}

/// Runs `work` on a thread; a panic or an overrun of [`CASE_LIMIT`] is an error naming `what`.
fn bounded(what: String, work: impl FnOnce() -> Result<(), String> + Send + 'static) -> Result<(), String> {
    let (done, wait) = mpsc::channel();
    std::thread::spawn(move || {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
            .unwrap_or_else(|p| Err(format!("panicked: {}", panic_text(&p))));
        let _ = done.send(outcome);
    });
    match wait.recv_timeout(CASE_LIMIT) {
        Ok(outcome) => outcome.map_err(|e| format!("{what}: {e}")),
        Err(_) => Err(format!("{what}: still running after {CASE_LIMIT:?} (a loop?)")),
    }
}

fn panic_text(payload: &Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

fn texts() -> impl Strategy<Value = Vec<String>> {
    let text = prop_oneof![
        "\\PC{0,40}",
        "[ a-e.,'hlowr0-9▁Ġé你好😀\\u{301}\\u{200d}\\u{feff}\\t\\n]{0,60}",
        prop::collection::vec(
            prop::sample::select(vec![
                "[CLS]", "[SEP]", "[MASK]", "<extra>", "hello", " ", "<0x41>", "##", "é", "\0"
            ]),
            0..8
        )
        .prop_map(|v| v.concat()),
        any::<String>(),
    ];
    prop::collection::vec(text, 1..4)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: proptest_cases(64), ..ProptestConfig::default() })]

    #[test]
    fn random_tokenizer_configs_load_or_fail_and_encode_any_text(seed in any::<u64>(), texts in texts()) {
        let json = random_tokenizer_json(seed).to_string();
        let shown = json.clone();
        let outcome = bounded(format!("config seed {seed}"), move || exercise(&json, &texts, true));
        prop_assert!(outcome.is_ok(), "{}\nconfig: {}", outcome.unwrap_err(), shown);
    }
}

/// Real tokenizer.json files of every family: bge-small (WordPiece) and the tokenizer crate's fixtures
/// (Unigram, BPE with byte fallback, byte-level BPE, CLIP-style BPE).
fn real_tokenizers() -> Vec<(String, String)> {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tokenizer/tests/fixtures");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.to_string_lossy().ends_with(".tokenizer.json"))
                .collect()
        })
        .unwrap_or_default();
    paths.sort();
    paths.push(files::bge_small().1);
    paths
        .into_iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

#[test]
fn mutated_real_tokenizer_files_load_or_fail_cleanly() {
    let originals: Vec<(String, serde_json::Value)> = real_tokenizers()
        .into_iter()
        .map(|(name, text)| (name, serde_json::from_str(&text).expect("fixture is JSON")))
        .collect();
    assert!(!originals.is_empty(), "no tokenizer.json files found");
    let texts: Vec<String> = [
        "Hello, world!",
        "héllo wörld 你好 😀",
        "",
        "[CLS] a\u{301}\u{200d}b",
        "x".repeat(300).as_str(),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut failures = Vec::new();
    let mut loaded = 0;
    for seed in fuzz_seeds(40) {
        let rng = &mut Rng::new(seed);
        let (name, original) = rng.pick(&originals).clone();
        let mut doc = original;
        let count = 1 + rng.below(3);
        let done = mutate(&mut doc, rng, count);
        let json = doc.to_string();
        if Tokenizer::from_json_str(&json).is_ok() {
            loaded += 1;
        }
        let texts = texts.clone();
        if let Err(e) = bounded(format!("FUZZ_SEED={seed} {name} {done:?}"), move || {
            exercise(&json, &texts, false)
        }) {
            failures.push(e);
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("mutated tokenizers: {loaded} of the mutated files still loaded");
}

/// A named change to a tokenizer.json document.
type Edit = Box<dyn Fn(&mut serde_json::Value)>;

#[test]
fn load_errors_name_what_is_wrong() {
    let (_, bge) = real_tokenizers()
        .into_iter()
        .find(|(n, _)| n.starts_with("bge"))
        .unwrap_or_default();
    if bge.is_empty() {
        return;
    }
    let doc: serde_json::Value = serde_json::from_str(&bge).unwrap();
    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "model deleted",
            Box::new(|d| drop(d.as_object_mut().unwrap().remove("model"))),
            "model",
        ),
        (
            "vocab is a number",
            Box::new(|d| d["model"]["vocab"] = 42.into()),
            "vocab",
        ),
        (
            "unknown model type",
            Box::new(|d| d["model"]["type"] = "Telepathy".into()),
            "Telepathy",
        ),
        (
            "unknown normalizer",
            Box::new(|d| d["normalizer"]["type"] = "Shouting".into()),
            "Shouting",
        ),
        (
            "unknown pre-tokenizer",
            Box::new(|d| d["pre_tokenizer"]["type"] = "Mumble".into()),
            "Mumble",
        ),
        (
            "template is a string",
            Box::new(|d| d["post_processor"]["single"] = "oops".into()),
            "single",
        ),
        (
            "max_length negative",
            Box::new(|d| d["truncation"] = serde_json::json!({"max_length": -3})),
            "max_length",
        ),
    ];
    for (what, spoil, expected) in cases {
        let mut copy = doc.clone();
        spoil(&mut copy);
        match Tokenizer::from_json_str(&copy.to_string()) {
            Ok(_) => panic!("{what}: loaded"),
            Err(e) => assert!(
                e.to_string().contains(expected),
                "{what}: message {:?} does not mention {expected:?}",
                e.to_string()
            ),
        }
    }
}

/// Guards the generator: a fuzzer whose configurations all fail to load would test only the loader.
#[test]
fn most_random_configs_load_and_every_model_type_does() {
    let mut loaded_types = std::collections::BTreeSet::new();
    let mut loaded = 0;
    for seed in 0..200u64 {
        let doc = random_tokenizer_json(seed);
        if Tokenizer::from_json_str(&doc.to_string()).is_ok() {
            loaded += 1;
            loaded_types.insert(doc["model"]["type"].as_str().unwrap().to_string());
        }
    }
    assert!(loaded >= 120, "only {loaded} of 200 random configurations load");
    assert_eq!(loaded_types.len(), 4, "model types that loaded: {loaded_types:?}");
}
