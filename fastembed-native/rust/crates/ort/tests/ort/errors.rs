//! Bad models and bad inputs give errors with useful messages, never a crash.

use fastembed_ort::{ErrorCode, ExecutionProvider, InputTensor, OrtError, RunOptions, Session, SessionOptions};

use crate::support;

/// Deterministic pseudo-random bytes (xorshift), standing in for a corrupt download.
fn noise(len: usize) -> Vec<u8> {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

#[test]
fn missing_model_file_reports_onnx_runtimes_message() {
    let runtime = support::runtime();
    let path = support::work_dir().join("no-such-model.onnx");
    let error = Session::from_file(runtime, &path, &support::lean_options()).unwrap_err();
    assert_eq!(error.code(), Some(ErrorCode::NoSuchFile), "{error}");
    assert!(error.to_string().contains("no-such-model.onnx"), "{error}");
}

#[test]
fn corrupt_model_file_is_an_error() {
    let runtime = support::runtime();
    let path = support::work_dir().join("corrupt.onnx");
    std::fs::write(&path, noise(4096)).unwrap();
    let error = Session::from_file(runtime, &path, &support::lean_options()).unwrap_err();
    assert!(
        matches!(
            error,
            OrtError::Ort {
                operation: "CreateSession",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(!error.to_string().is_empty());
}

#[test]
fn corrupt_model_bytes_are_an_error() {
    let runtime = support::runtime();
    let error = Session::from_memory(runtime, &noise(4096), &support::lean_options()).unwrap_err();
    assert!(
        matches!(
            error,
            OrtError::Ort {
                operation: "CreateSessionFromArray",
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn empty_model_bytes_are_rejected() {
    let runtime = support::runtime();
    let error = Session::from_memory(runtime, &[], &support::lean_options()).unwrap_err();
    assert!(matches!(error, OrtError::InvalidInput(_)), "{error:?}");
}

const IDS: [i64; 4] = [101, 7592, 2088, 102];
const ONES: [i64; 4] = [1; 4];
const ZEROS: [i64; 4] = [0; 4];
const SHAPE: [i64; 2] = [1, 4];

fn valid_inputs() -> Vec<(&'static str, InputTensor<'static>)> {
    vec![
        (
            "input_ids",
            InputTensor::I64 {
                data: &IDS,
                shape: &SHAPE,
            },
        ),
        (
            "attention_mask",
            InputTensor::I64 {
                data: &ONES,
                shape: &SHAPE,
            },
        ),
        (
            "token_type_ids",
            InputTensor::I64 {
                data: &ZEROS,
                shape: &SHAPE,
            },
        ),
    ]
}

#[test]
fn the_valid_inputs_used_below_do_run() {
    let session = support::bge_session();
    assert!(session.run(&valid_inputs(), &["last_hidden_state"]).is_ok());
}

#[test]
fn wrong_input_name_lists_the_models_inputs() {
    let session = support::bge_session();
    let mut inputs = valid_inputs();
    inputs[0].0 = "input_idz";
    let error = session.run(&inputs, &["last_hidden_state"]).unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, OrtError::InvalidInput(_)), "{error:?}");
    assert!(
        message.contains("input_idz") && message.contains("input_ids"),
        "{message}"
    );
}

#[test]
fn wrong_output_name_is_rejected() {
    let session = support::bge_session();
    let error = session.run(&valid_inputs(), &["pooled"]).unwrap_err();
    assert!(error.to_string().contains("'pooled'"), "{error}");
}

#[test]
fn shape_not_matching_data_is_rejected_before_onnx_runtime() {
    let session = support::bge_session();
    let mut inputs = valid_inputs();
    inputs[1].1 = InputTensor::I64 {
        data: &ONES,
        shape: &[2, 4],
    };
    let error = session.run(&inputs, &["last_hidden_state"]).unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, OrtError::InvalidInput(_)), "{error:?}");
    assert!(
        message.contains("attention_mask") && message.contains("[2, 4]"),
        "{message}"
    );
}

#[test]
fn wrong_rank_is_reported_by_onnx_runtime() {
    let session = support::bge_session();
    let mut inputs = valid_inputs();
    inputs[0].1 = InputTensor::I64 {
        data: &IDS,
        shape: &[4],
    };
    let error = session.run(&inputs, &["last_hidden_state"]).unwrap_err();
    assert_eq!(error.code(), Some(ErrorCode::InvalidArgument), "{error}");
    assert!(error.to_string().contains("input_ids"), "{error}");
}

#[test]
fn wrong_element_type_is_rejected_with_the_declared_one() {
    let session = support::bge_session();
    let floats = [101f32, 7592.0, 2088.0, 102.0];
    let mut inputs = valid_inputs();
    inputs[0].1 = InputTensor::F32 {
        data: &floats,
        shape: &SHAPE,
    };
    let error = session.run(&inputs, &["last_hidden_state"]).unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, OrtError::InvalidInput(_)), "{error:?}");
    assert!(
        message.contains("input_ids") && message.contains("Int64") && message.contains("Float32"),
        "{message}"
    );
}

#[test]
fn missing_input_is_named() {
    let session = support::bge_session();
    let mut inputs = valid_inputs();
    inputs.pop();
    let error = session.run(&inputs, &["last_hidden_state"]).unwrap_err();
    assert!(matches!(error, OrtError::InvalidInput(_)), "{error:?}");
    assert!(error.to_string().contains("token_type_ids"), "{error}");
}

#[test]
fn a_terminated_run_fails_with_onnx_runtimes_message_and_the_session_runs_on() {
    let session = support::bge_session();
    let options = RunOptions::new(support::runtime()).unwrap();
    options.terminate().unwrap();
    let error = session
        .run_with(Some(&options), &valid_inputs(), &["last_hidden_state"])
        .unwrap_err()
        .to_string();
    assert!(error.contains("terminate"), "{error}");
    let fresh = RunOptions::new(support::runtime()).unwrap();
    assert!(session
        .run_with(Some(&fresh), &valid_inputs(), &["last_hidden_state"])
        .is_ok());
}

#[test]
fn terminate_stops_a_run_from_another_thread() {
    // 32 rows of 512 tokens: seconds of work on any CPU, so the flag is set while the run is under way (or
    // before it starts; either way the run must end in the terminate error, not in hidden states).
    const ROWS: usize = 32;
    const SEQ: usize = 512;
    let ids: Vec<i64> = (0..ROWS * SEQ).map(|i| 1000 + (i % 5000) as i64).collect();
    let ones = vec![1i64; ROWS * SEQ];
    let zeros = vec![0i64; ROWS * SEQ];
    let shape = [ROWS as i64, SEQ as i64];
    let inputs = [
        (
            "input_ids",
            InputTensor::I64 {
                data: &ids,
                shape: &shape,
            },
        ),
        (
            "attention_mask",
            InputTensor::I64 {
                data: &ones,
                shape: &shape,
            },
        ),
        (
            "token_type_ids",
            InputTensor::I64 {
                data: &zeros,
                shape: &shape,
            },
        ),
    ];
    let options = RunOptions::new(support::runtime()).unwrap();
    let result = std::thread::scope(|scope| {
        let run = scope.spawn(|| support::bge_session().run_with(Some(&options), &inputs, &["last_hidden_state"]));
        std::thread::sleep(std::time::Duration::from_millis(50));
        options.terminate().unwrap();
        run.join().unwrap()
    });
    let Err(error) = result else {
        panic!("the run was not stopped")
    };
    let error = error.to_string();
    assert!(error.contains("terminate"), "{error}");
}

/// The tests run the CPU build of ONNX Runtime (the onnxruntime jar), which has no CUDA provider.
#[test]
fn the_cuda_provider_on_a_cpu_build_is_onnx_runtimes_error() {
    let options = SessionOptions {
        execution_provider: ExecutionProvider::Cuda,
        ..support::lean_options()
    };
    let error = Session::from_file(support::runtime(), &support::bge_model(), &options).unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, OrtError::Ort { .. }), "{error:?}");
    assert!(message.to_ascii_lowercase().contains("cuda"), "{message}");
}

#[test]
fn provider_names_are_read_ignoring_case_and_unknown_ones_are_none() {
    assert_eq!(ExecutionProvider::from_name("CUDA"), Some(ExecutionProvider::Cuda));
    assert_eq!(ExecutionProvider::from_name("cpu"), Some(ExecutionProvider::Cpu));
    assert_eq!(ExecutionProvider::from_name("tensorrt"), None);
    assert_eq!(ExecutionProvider::Cuda.name(), "cuda");
}
