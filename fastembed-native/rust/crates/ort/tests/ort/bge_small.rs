//! bge-small-en-v1.5: a BERT encoder with int64 inputs and a [batch, sequence, 384] output.

use fastembed_ort::{ElementType, GraphOptimization, InputTensor, OutputTensor, Session, SessionOptions};

use crate::support;

const HIDDEN: usize = 384;

/// Token ids, attention mask and token types of a batch, row-major.
struct Batch {
    ids: Vec<i64>,
    mask: Vec<i64>,
    types: Vec<i64>,
    shape: [i64; 2],
}

impl Batch {
    /// Pads every sequence with id 0 (mask 0) to the longest one.
    fn new(sequences: &[&[i64]]) -> Batch {
        let width = sequences.iter().map(|s| s.len()).max().unwrap_or(0);
        let mut batch = Batch {
            ids: vec![],
            mask: vec![],
            types: vec![],
            shape: [sequences.len() as i64, width as i64],
        };
        for sequence in sequences {
            for position in 0..width {
                batch.ids.push(sequence.get(position).copied().unwrap_or(0));
                batch.mask.push(i64::from(position < sequence.len()));
                batch.types.push(0);
            }
        }
        batch
    }

    fn run(&self, session: &Session) -> OutputTensor {
        let mut outputs = session
            .run(
                &[
                    (
                        "input_ids",
                        InputTensor::I64 {
                            data: &self.ids,
                            shape: &self.shape,
                        },
                    ),
                    (
                        "attention_mask",
                        InputTensor::I64 {
                            data: &self.mask,
                            shape: &self.shape,
                        },
                    ),
                    (
                        "token_type_ids",
                        InputTensor::I64 {
                            data: &self.types,
                            shape: &self.shape,
                        },
                    ),
                ],
                &["last_hidden_state"],
            )
            .expect("run bge-small");
        assert_eq!(outputs.len(), 1);
        outputs.pop().unwrap()
    }
}

// [CLS] hello world [SEP] and [CLS] hello [SEP] in the BERT uncased vocabulary.
const HELLO_WORLD: &[i64] = &[101, 7592, 2088, 102];
const HELLO: &[i64] = &[101, 7592, 102];

#[test]
fn declares_bert_inputs_and_hidden_state_output() {
    let session = support::bge_session();
    let mut names: Vec<&str> = session.inputs().iter().map(|input| input.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["attention_mask", "input_ids", "token_type_ids"]);
    for input in session.inputs() {
        assert_eq!(input.element_type, ElementType::Int64, "{input:?}");
        assert_eq!(input.shape, [-1, -1], "batch and sequence are symbolic: {input:?}");
    }
    let hidden = session
        .outputs()
        .iter()
        .find(|output| output.name == "last_hidden_state")
        .expect("last_hidden_state");
    assert_eq!(hidden.element_type, ElementType::Float32);
    assert_eq!(hidden.shape, [-1, -1, HIDDEN as i64]);
}

#[test]
fn small_batch_gives_finite_hidden_states_per_token() {
    let session = support::bge_session();
    let hidden = Batch::new(&[HELLO_WORLD, HELLO]).run(session);
    assert_eq!(hidden.element_type(), ElementType::Float32);
    assert_eq!(hidden.shape(), [2, 4, HIDDEN as i64]);
    let values = hidden.as_f32().unwrap();
    assert_eq!(values.len(), 2 * 4 * HIDDEN);
    assert!(values.iter().all(|v| v.is_finite()));
    // Different sentences give different [CLS] states.
    assert_ne!(&values[..HIDDEN], &values[4 * HIDDEN..5 * HIDDEN]);
}

#[test]
fn padding_does_not_change_the_real_tokens() {
    let session = support::bge_session();
    let batched = Batch::new(&[HELLO_WORLD, HELLO]).run(session);
    let alone = Batch::new(&[HELLO]).run(session);
    assert_eq!(alone.shape(), [1, 3, HIDDEN as i64]);
    let second_row = &batched.as_f32().unwrap()[4 * HIDDEN..4 * HIDDEN + 3 * HIDDEN];
    let largest_difference = second_row
        .iter()
        .zip(alone.as_f32().unwrap())
        .map(|(a, b)| (a - b).abs())
        .fold(0f32, f32::max);
    assert!(
        largest_difference < 1e-4,
        "masked padding changed real tokens by {largest_difference}"
    );
}

#[test]
fn same_input_twice_gives_identical_output() {
    let session = support::bge_session();
    let batch = Batch::new(&[HELLO_WORLD, HELLO]);
    let first = batch.run(session).to_f32_vec().unwrap();
    let second = batch.run(session).to_f32_vec().unwrap();
    assert_eq!(first, second);
}

#[test]
fn concurrent_runs_on_one_session_agree() {
    let session = support::bge_session();
    let batch = Batch::new(&[HELLO_WORLD, HELLO]);
    let reference = batch.run(session).to_f32_vec().unwrap();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| {
                    (0..3)
                        .map(|_| batch.run(session).to_f32_vec().unwrap())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for worker in workers {
            for result in worker.join().expect("worker thread") {
                assert_eq!(result, reference);
            }
        }
    });
}

#[test]
fn the_saved_optimized_graph_loads_unoptimized_and_computes_the_same_states() {
    let saved = support::work_dir().join(format!("bge-optimized-{}.onnx", std::process::id()));
    let _ = std::fs::remove_file(&saved);
    let optimizing = SessionOptions {
        optimized_model_path: Some(saved.clone()),
        ..support::lean_options()
    };
    let original = Session::from_file(support::runtime(), &support::bge_model(), &optimizing).expect("load and save");
    let written = std::fs::metadata(&saved)
        .expect("ONNX Runtime wrote the optimized graph")
        .len();
    assert!(written > 1_000_000, "{written} bytes");

    let unoptimized = SessionOptions {
        graph_optimization: GraphOptimization::Disabled,
        ..support::lean_options()
    };
    let reloaded = Session::from_file(support::runtime(), &saved, &unoptimized).expect("load the saved graph");
    let batch = Batch::new(&[HELLO_WORLD, HELLO]);
    let (expected, actual) = (batch.run(&original), batch.run(&reloaded));
    assert_eq!(actual.shape(), expected.shape());
    let largest_difference = expected
        .as_f32()
        .unwrap()
        .iter()
        .zip(actual.as_f32().unwrap())
        .map(|(a, b)| (a - b).abs())
        .fold(0f32, f32::max);
    assert!(largest_difference < 1e-4, "largest difference {largest_difference}");
    std::fs::remove_file(&saved).unwrap();
}
