//! Tuning experiment: throughput and single-text latency of bge-small-en-v1.5 under one ONNX Runtime session
//! setting and batching plan per process (the engine's steps, without pooling). Prints one tab-separated line.
//! Without options it runs the engine's defaults; the engine's default token budget and session settings were
//! chosen with it (see docs/reliability.md, "Memory bounds").
//!
//! usage: session_tuning [--threads <cores>|0] [--mem-pattern on|off] [--spinning on|off] [--batch 256]
//!                       [--budget 1024] [--texts 600] [--passes 2] [--calls 100] [--words N]
//! (`--threads 0` lets ONNX Runtime choose; `--words N` makes every text N words long instead of mixed lengths.)

use fastembed_engine::batching::for_each_batch;
use fastembed_engine::options::{DEFAULT_BATCH_SIZE, DEFAULT_TOKEN_BUDGET};
use fastembed_engine::runs::ModelSession;
use fastembed_engine::session::{TextInputNames, TokenBatch};
use fastembed_engine::{EngineError, ModelOptions};
use fastembed_ort::{Session, SessionOptions};
use fastembed_reliability::files;
use std::time::Instant;

fn main() {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    let get = |name: &str, default: &str| -> String {
        raw.iter()
            .position(|a| a == name)
            .and_then(|i| raw.get(i + 1))
            .cloned()
            .unwrap_or_else(|| default.to_string())
    };
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let threads: usize = get("--threads", &cores.to_string()).parse().unwrap();
    let mem_pattern = get("--mem-pattern", "off") == "on";
    let spinning = get("--spinning", "on") == "on";
    let batch: usize = get("--batch", &DEFAULT_BATCH_SIZE.to_string()).parse().unwrap();
    let budget: usize = get("--budget", &DEFAULT_TOKEN_BUDGET.to_string()).parse().unwrap();
    let count: usize = get("--texts", "600").parse().unwrap();
    let passes: usize = get("--passes", "2").parse().unwrap();
    let calls: usize = get("--calls", "100").parse().unwrap();
    let words: usize = get("--words", "0").parse().unwrap();

    files::init_runtime();
    let (model, tokenizer) = files::bge_small();
    let options = ModelOptions {
        model_file: Some(model.clone()),
        tokenizer_file: Some(tokenizer),
        ..Default::default()
    };
    let tokenizer = fastembed_engine::text::load_tokenizer(&options).unwrap();
    let session_options = SessionOptions {
        intra_op_threads: threads,
        enable_mem_pattern: mem_pattern,
        allow_spinning: spinning,
        ..SessionOptions::default()
    };
    let session = Session::from_file(fastembed_ort::Runtime::get().unwrap(), &model, &session_options).unwrap();
    let cpu = fastembed_ort::ExecutionProvider::Cpu;
    let info =
        fastembed_engine::session::SessionInfo::new(cpu, cpu, None, fastembed_engine::session::OptimizedGraph::Off);
    let session = ModelSession::new(session, None, info);
    let inputs = TextInputNames::of(&session).unwrap();
    let texts = corpus(count, words);
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let embed = |texts: &[&str]| -> Result<(), EngineError> {
        let encode = |i: usize| tokenizer.encode(texts[i], true).map_err(EngineError::from);
        for_each_batch(texts.len(), batch, budget, encode, |b, rows| {
            let tokens = TokenBatch::new(rows, b.padded_length, 0);
            tokens.run(&session, &inputs, &["last_hidden_state"]).map(drop)
        })
        .map(drop)
    };
    embed(&refs[..64]).unwrap();
    let mut rates = Vec::new();
    for _ in 0..passes {
        let start = Instant::now();
        embed(&refs).unwrap();
        rates.push(count as f64 / start.elapsed().as_secs_f64());
    }
    rates.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let mut short: Vec<&str> = refs.iter().copied().filter(|t| (40..100).contains(&t.len())).collect();
    if short.is_empty() {
        short = refs.clone();
    }
    let mut latencies = Vec::new();
    for i in 0..calls {
        let start = Instant::now();
        embed(&[short[i % short.len()]]).unwrap();
        latencies.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    latencies.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "threads={threads}\tmem_pattern={mem_pattern}\tspinning={spinning}\tbatch={batch}\tbudget={budget}\ttexts_per_s={:.1}\tp50_ms={:.1}\tp99_ms={:.1}",
        rates[rates.len() / 2],
        latencies[calls / 2],
        latencies[calls * 99 / 100]
    );
}

/// Mixed-length English texts cut from the licence texts Debian ships (deterministic).
/// (`words` > 0: every text that many words.)
fn corpus(count: usize, words_per_text: usize) -> Vec<String> {
    let mut words = Vec::new();
    for name in ["GPL-3", "Apache-2.0", "MPL-2.0", "LGPL-2.1", "Artistic"] {
        let text = std::fs::read_to_string(format!("/usr/share/common-licenses/{name}")).unwrap();
        words.extend(text.split_whitespace().map(str::to_string));
    }
    let lengths = [8, 12, 15, 20, 30, 45, 60, 90, 150, 220];
    (0..count)
        .map(|i| {
            let n = if words_per_text > 0 {
                words_per_text
            } else {
                lengths[(i * 7) % lengths.len()]
            };
            let start = (i * 131) % (words.len() - n);
            words[start..start + n].join(" ")
        })
        .collect()
}
