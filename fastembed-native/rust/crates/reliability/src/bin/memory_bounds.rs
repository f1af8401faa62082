//! Measures resident memory (RSS) of bge-small-en-v1.5 under bursts of 512-token texts, for one token
//! budget and arena setting per process (ONNX Runtime's arena never shrinks, so settings cannot share a
//! process). Prints one tab-separated line; scripts/memory-bounds.sh runs the grid and makes the table.
//!
//! usage: memory_bounds --budget <padded tokens> --arena engine|on|off [--texts 256] [--bursts 3]
//!                      [--concurrency 1] [--threads <cores>]
//!
//! `engine` runs the engine's own TextEmbedder (its defaults: memory pattern off, arena on). `on` and `off`
//! run the same steps (tokenize, length-sorted batches within the budget, one ONNX run per batch) on a
//! session opened here with the CPU arena switched on or off, which the engine does not expose.

use fastembed_engine::batching::for_each_batch;
use fastembed_engine::runs::ModelSession;
use fastembed_engine::session::{TextInputNames, TokenBatch};
use fastembed_engine::{EngineError, ModelOptions, TextEmbedder};
use fastembed_ort::{Session, SessionOptions};
use fastembed_reliability::{files, rss};
use fastembed_tokenizer::Tokenizer;
use std::path::Path;
use std::time::Instant;

struct Args {
    budget: usize,
    arena: String,
    texts: usize,
    bursts: usize,
    concurrency: usize,
    threads: usize,
}

fn parse_args() -> Args {
    let mut args = Args {
        budget: fastembed_engine::options::DEFAULT_TOKEN_BUDGET,
        arena: "engine".into(),
        texts: 256,
        bursts: 3,
        concurrency: 1,
        threads: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
    };
    let raw: Vec<String> = std::env::args().skip(1).collect();
    for pair in raw.chunks(2) {
        let value = pair
            .get(1)
            .unwrap_or_else(|| usage(&format!("{} needs a value", pair[0])));
        let number = || {
            value
                .parse::<usize>()
                .unwrap_or_else(|_| usage(&format!("{} is not a number", value)))
        };
        match pair[0].as_str() {
            "--budget" => args.budget = number(),
            "--arena" => args.arena = value.clone(),
            "--texts" => args.texts = number(),
            "--bursts" => args.bursts = number(),
            "--concurrency" => args.concurrency = number(),
            "--threads" => args.threads = number(),
            other => usage(&format!("unknown option {other}")),
        }
    }
    if !["engine", "on", "off"].contains(&args.arena.as_str()) {
        usage("--arena is engine, on or off");
    }
    args
}

fn usage(problem: &str) -> ! {
    eprintln!("memory_bounds: {problem}\nusage: memory_bounds --budget N --arena engine|on|off [--texts N] [--bursts N] [--concurrency N] [--threads N]");
    std::process::exit(2)
}

/// Texts of at least 512 tokens each: consecutive stretches of a licence text, each a different slice.
fn long_texts(count: usize) -> Vec<String> {
    let source =
        std::fs::read_to_string("/usr/share/common-licenses/GPL-3").expect("read /usr/share/common-licenses/GPL-3");
    let words: Vec<&str> = source.split_whitespace().collect();
    (0..count)
        .map(|i| {
            let start = (i * 37) % (words.len() - 700);
            words[start..start + 700].join(" ")
        })
        .collect()
}

/// One way of embedding a burst.
trait Embed: Sync {
    fn embed(&self, texts: &[&str]) -> Result<(), EngineError>;
}

impl Embed for TextEmbedder {
    fn embed(&self, texts: &[&str]) -> Result<(), EngineError> {
        TextEmbedder::embed(self, texts).map(drop)
    }
}

/// The engine's steps on a session with a chosen arena setting (no pooling: its memory is negligible).
struct Steps {
    session: ModelSession,
    tokenizer: Tokenizer,
    inputs: TextInputNames,
    budget: usize,
}

impl Embed for Steps {
    fn embed(&self, texts: &[&str]) -> Result<(), EngineError> {
        let encode = |i: usize| self.tokenizer.encode(texts[i], true).map_err(EngineError::from);
        for_each_batch(
            texts.len(),
            fastembed_engine::options::DEFAULT_BATCH_SIZE,
            self.budget,
            encode,
            |batch, rows| {
                let tokens = TokenBatch::new(rows, batch.padded_length, 0);
                tokens
                    .run(&self.session, &self.inputs, &["last_hidden_state"])
                    .map(drop)
            },
        )
        .map(drop)
    }
}

fn load(args: &Args, model: &Path, tokenizer: &Path) -> Box<dyn Embed> {
    let options = ModelOptions {
        model_file: Some(model.to_path_buf()),
        tokenizer_file: Some(tokenizer.to_path_buf()),
        token_budget: Some(args.budget),
        threads: Some(args.threads),
        ..ModelOptions::default()
    };
    if args.arena == "engine" {
        return Box::new(TextEmbedder::new(&options).expect("load the model"));
    }
    let runtime = fastembed_ort::Runtime::get().expect("runtime loaded");
    let session_options = SessionOptions {
        intra_op_threads: args.threads,
        enable_mem_pattern: false,
        enable_cpu_mem_arena: args.arena == "on",
        ..SessionOptions::default()
    };
    let session = Session::from_file(runtime, model, &session_options).expect("load the model");
    let cpu = fastembed_ort::ExecutionProvider::Cpu;
    let info =
        fastembed_engine::session::SessionInfo::new(cpu, cpu, None, fastembed_engine::session::OptimizedGraph::Off);
    let session = ModelSession::new(session, None, info);
    let inputs = TextInputNames::of(&session).expect("text inputs");
    let tokenizer = fastembed_engine::text::load_tokenizer(&options).expect("load the tokenizer");
    Box::new(Steps {
        session,
        tokenizer,
        inputs,
        budget: args.budget,
    })
}

fn main() {
    let args = parse_args();
    files::init_runtime();
    let (model, tokenizer) = files::bge_small();
    let texts = long_texts(args.texts);
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let start_rss = rss::current();
    let embedder = load(&args, &model, &tokenizer);
    embedder.embed(&refs[..1]).expect("warm-up");
    let loaded_rss = rss::current();
    rss::reset_peak();
    let started = Instant::now();
    for _ in 0..args.bursts {
        std::thread::scope(|scope| {
            for _ in 0..args.concurrency {
                scope.spawn(|| embedder.embed(&refs).expect("burst"));
            }
        });
    }
    let seconds = started.elapsed().as_secs_f64();
    let texts_per_second = (args.bursts * args.concurrency * args.texts) as f64 / seconds;
    println!(
        "budget={}\tarena={}\tconcurrency={}\tthreads={}\tbefore_load_mib={}\tloaded_mib={}\tpeak_mib={}\tafter_mib={}\ttexts_per_s={:.1}",
        args.budget,
        args.arena,
        args.concurrency,
        args.threads,
        rss::mib(start_rss),
        rss::mib(loaded_rss),
        rss::mib(rss::peak()),
        rss::mib(rss::current()),
        texts_per_second
    );
}
