//! Prints the execution plan "auto" chooses for each model given (`model.onnx tokenizer.json` pairs; default:
//! bge-small-en-v1.5 from the test jar), with the calibration timings: what the lead's bench and the issue's
//! report quote. Nothing is cached, so every run measures.
//!
//!     cargo run --release --offline -p fastembed-reliability --bin plan_calibration [-- model.onnx tokenizer.json ...]

use fastembed_engine::{ModelOptions, TextEmbedder};
use fastembed_reliability::files;
use std::path::PathBuf;

fn main() {
    files::init_runtime();
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let pairs: Vec<(PathBuf, PathBuf)> = if args.is_empty() {
        vec![files::bge_small()]
    } else {
        args.chunks(2)
            .map(|pair| match pair {
                [model, tokenizer] => (model.clone(), tokenizer.clone()),
                _ => panic!("give model.onnx tokenizer.json pairs"),
            })
            .collect()
    };
    println!("CPU: {}", fastembed_engine::fingerprint::cpu_identity());
    for (model, tokenizer) in pairs {
        let started = std::time::Instant::now();
        let embedder = TextEmbedder::new(&ModelOptions {
            model_file: Some(model.clone()),
            tokenizer_file: Some(tokenizer),
            plan: Some("auto".into()),
            ..ModelOptions::default()
        })
        .expect("load the model");
        println!(
            "{}: {} (load with calibration {} ms)",
            model.display(),
            embedder.plan().to_json(),
            started.elapsed().as_millis()
        );
    }
}
