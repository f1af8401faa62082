//! Support for the reliability tests and tools of fastembed: real model files, process memory readings,
//! a seeded random generator, random tokenizer.json configurations built from components, and structural
//! mutations of JSON documents.
//!
//! The tests live in `tests/` (panic boundary coverage of the C ABI, fuzzing of the tokenizer and of the
//! C ABI's arguments); `src/bin/memory_bounds.rs` measures resident memory against the token budget.
//! `scripts/fuzz.sh` and `scripts/memory-bounds.sh` run them for longer.

pub mod files;
pub mod json_mutation;
pub mod rng;
pub mod rss;
pub mod tokenizer_config;

/// How many cases a property test runs: `PROPTEST_CASES` when set (longer runs), else `default` (CI).
pub fn proptest_cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The seeds a seeded test runs: `FUZZ_SEED` (one seed, to replay a failure) or `FUZZ_SEEDS` (how many,
/// starting from `FUZZ_SEED_BASE`, default 1), else `default_count` seeds from 1.
pub fn fuzz_seeds(default_count: u64) -> std::ops::Range<u64> {
    let env = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    if let Some(seed) = env("FUZZ_SEED") {
        return seed..seed + 1;
    }
    let base = env("FUZZ_SEED_BASE").unwrap_or(1);
    base..base + env("FUZZ_SEEDS").unwrap_or(default_count)
}
