//! Runs can be stopped (issue 16): `cancel_runs` from another thread, and a model's run timeout. A stopped
//! call is a `Cancelled` / `TimedOut` error, never vectors; the model then serves calls as before.

use fastembed_engine::{ErrorKind, ModelOptions, TextEmbedder};
use fastembed_reliability::files;
use std::time::Duration;

/// bge-small with runs of up to 16 rows of 512 tokens: one such run is seconds of work on two cores.
fn bge(run_timeout_ms: Option<u64>) -> TextEmbedder {
    files::init_runtime();
    let (model, tokenizer) = files::bge_small();
    TextEmbedder::new(&ModelOptions {
        model_file: Some(model),
        tokenizer_file: Some(tokenizer),
        token_budget: Some(16 * 512),
        run_timeout_ms,
        ..ModelOptions::default()
    })
    .expect("load bge-small")
}

fn long_texts() -> Vec<String> {
    (0..16)
        .map(|i| format!("text {i} ") + &"many words in a long text ".repeat(120))
        .collect()
}

#[test]
fn cancel_runs_stops_a_call_from_another_thread_and_the_model_serves_on() {
    let model = bge(None);
    let texts = long_texts();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let expected = model.embed(&["hello world"]).unwrap();
    let result = std::thread::scope(|scope| {
        let call = scope.spawn(|| model.embed(&refs));
        // Cancel until the call has ended: a cancel that comes before the run starts stops nothing.
        while !call.is_finished() {
            model.cancel_runs();
            std::thread::sleep(Duration::from_millis(20));
        }
        call.join().unwrap()
    });
    let error = result.expect_err("the call was cancelled");
    assert_eq!(error.kind(), ErrorKind::Cancelled, "{error}");
    assert_eq!(model.embed(&["hello world"]).unwrap(), expected);
}

#[test]
fn a_run_longer_than_the_run_timeout_is_stopped_and_shorter_ones_are_not() {
    let model = bge(Some(250));
    let texts = long_texts();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let error = model
        .embed(&refs)
        .expect_err("16 rows of 512 tokens take longer than 250 ms");
    assert_eq!(error.kind(), ErrorKind::TimedOut, "{error}");
    assert!(error.to_string().contains("run timeout of 250 ms"), "{error}");
    // A short text is one run of a few milliseconds.
    let vectors = model.embed(&["hello world"]).unwrap();
    assert_eq!(vectors[0].len(), 384);
}
