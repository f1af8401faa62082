//! Time and resident memory (RSS) of embedding ONE text of a given size with bge-small-en-v1.5 (512 tokens
//! kept), one process per size, so the peak belongs to that size alone. Also tokenizes the text as the second
//! half of a (query, document) pair, as a reranker does. Prints one tab-separated line; scripts/input-size.sh
//! runs the grid and makes the table of docs/reliability.md.
//!
//! usage: input_size --bytes <size of the text> --script latin|cjk

use fastembed_engine::{ModelOptions, TextEmbedder};
use fastembed_reliability::{files, rss};
use std::time::Instant;

fn main() {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    let (mut bytes, mut script) = (1024usize, "latin".to_string());
    for pair in raw.chunks(2) {
        match (pair[0].as_str(), pair.get(1)) {
            ("--bytes", Some(v)) => bytes = v.parse().expect("--bytes is a number"),
            ("--script", Some(v)) => script = v.clone(),
            _ => {
                eprintln!("usage: input_size --bytes <size> --script latin|cjk");
                std::process::exit(2);
            }
        }
    }
    let unit = match script.as_str() {
        "latin" => "The quick brown fox jumps over the lazy dog, again and again. ",
        "cjk" => "你好世界这是一个很长的测试文本没有空格",
        other => panic!("unknown script {other}"),
    };
    let text: String = unit.repeat(bytes / unit.len() + 1).chars().take(bytes).collect();

    files::init_runtime();
    let (model, tokenizer) = files::bge_small();
    let options = ModelOptions {
        model_file: Some(model),
        tokenizer_file: Some(tokenizer),
        ..ModelOptions::default()
    };
    let embedder = TextEmbedder::new(&options).expect("load the model");
    // Warm the session on a short text so the first run's one-off allocations are not counted.
    embedder.embed(&["warm up"]).expect("embed");
    let before = rss::current();
    rss::reset_peak();

    let start = Instant::now();
    let vectors = embedder.embed(&[text.as_str()]).expect("embed");
    let embed_ms = start.elapsed().as_secs_f64() * 1000.0;
    assert_eq!(vectors[0].len(), 384);

    let start = Instant::now();
    let pair = embedder
        .tokenizer()
        .encode_pair("a short query", &text, true)
        .expect("encode pair");
    let pair_ms = start.elapsed().as_secs_f64() * 1000.0;
    assert!(pair.len() <= 512);

    let peak = rss::peak();
    println!(
        "bytes={}\tscript={script}\tbefore_mib={}\tpeak_growth_mib={}\tembed_ms={embed_ms:.1}\tpair_ms={pair_ms:.1}",
        text.len(),
        rss::mib(before),
        rss::mib(peak.saturating_sub(before)),
    );
}
