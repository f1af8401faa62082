//! ONNX Runtime session setup and the padded token tensors every text model feeds.

use crate::error::{EngineError, ErrorKind};
use crate::options::ModelOptions;
use crate::runs::ModelSession;
use fastembed_ort::{InputTensor, OutputTensor, Session, SessionOptions};
use fastembed_tokenizer::Encoding;
use std::path::Path;

/// Opens the model with the configured threads, all graph optimizations, and as many runs at once as the
/// cores can serve with those threads.
pub fn open_session(model_file: &Path, options: &ModelOptions) -> Result<ModelSession, EngineError> {
    let runtime = fastembed_ort::Runtime::get().ok_or_else(|| {
        EngineError::new(
            ErrorKind::RuntimeNotLoaded,
            "ONNX Runtime is not loaded: call fe_runtime_init first",
        )
    })?;
    crate::options::check_threads(options.threads)?;
    let cores = default_threads();
    let intra_op_threads = options.threads.unwrap_or(cores);
    let session_options = SessionOptions {
        intra_op_threads,
        // Shapes change with every batch, so memory patterns would be planned and thrown away.
        enable_mem_pattern: false,
        // One run already keeps `intra_op_threads` cores busy: more at once only contend for the cores and
        // each holds its own working set, so concurrent callers take turns (same throughput, one arena).
        max_concurrent_runs: (cores / intra_op_threads.max(1)).max(1),
        ..SessionOptions::default()
    };
    let session = Session::from_file(runtime, model_file, &session_options).map_err(|e| {
        EngineError::new(
            ErrorKind::InvalidModel,
            format!("cannot load model {}: {e}", model_file.display()),
        )
    })?;
    Ok(ModelSession::new(
        session,
        options.run_timeout_ms.map(std::time::Duration::from_millis),
    ))
}

fn default_threads() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}

/// Which of the standard text inputs a model declares.
#[derive(Debug, Clone)]
pub struct TextInputNames {
    pub input_ids: String,
    pub attention_mask: Option<String>,
    pub token_type_ids: Option<String>,
}

impl TextInputNames {
    pub fn of(session: &Session) -> Result<TextInputNames, EngineError> {
        let has = |name: &str| session.inputs().iter().any(|i| i.name == name);
        if !has("input_ids") {
            let declared: Vec<&str> = session.inputs().iter().map(|i| i.name.as_str()).collect();
            return Err(EngineError::invalid_model(format!(
                "the model has no 'input_ids' input (it declares {declared:?})"
            )));
        }
        Ok(TextInputNames {
            input_ids: "input_ids".into(),
            attention_mask: has("attention_mask").then(|| "attention_mask".into()),
            token_type_ids: has("token_type_ids").then(|| "token_type_ids".into()),
        })
    }
}

/// Token ids, mask and type ids of a batch, padded to one length, row-major `[rows, seq]`.
pub struct TokenBatch {
    pub rows: usize,
    pub seq: usize,
    pub input_ids: Vec<i64>,
    pub attention_mask: Vec<i64>,
    pub token_type_ids: Vec<i64>,
}

impl TokenBatch {
    pub fn new(encodings: &[&Encoding], seq: usize, pad_id: u32) -> TokenBatch {
        let rows = encodings.len();
        let mut batch = TokenBatch {
            rows,
            seq,
            input_ids: vec![pad_id as i64; rows * seq],
            attention_mask: vec![0; rows * seq],
            token_type_ids: vec![0; rows * seq],
        };
        for (r, encoding) in encodings.iter().enumerate() {
            let n = encoding.ids.len().min(seq);
            let row = r * seq;
            for t in 0..n {
                batch.input_ids[row + t] = encoding.ids[t] as i64;
                batch.attention_mask[row + t] = encoding.attention_mask[t] as i64;
                batch.token_type_ids[row + t] = encoding.type_ids[t] as i64;
            }
        }
        batch
    }

    /// Runs the session on this batch, returning the requested outputs.
    pub fn run(
        &self,
        session: &ModelSession,
        names: &TextInputNames,
        outputs: &[&str],
    ) -> Result<Vec<OutputTensor>, EngineError> {
        let shape = [self.rows as i64, self.seq as i64];
        let mut inputs: Vec<(&str, InputTensor<'_>)> = vec![(
            names.input_ids.as_str(),
            InputTensor::I64 {
                data: &self.input_ids,
                shape: &shape,
            },
        )];
        if let Some(name) = &names.attention_mask {
            inputs.push((
                name.as_str(),
                InputTensor::I64 {
                    data: &self.attention_mask,
                    shape: &shape,
                },
            ));
        }
        if let Some(name) = &names.token_type_ids {
            inputs.push((
                name.as_str(),
                InputTensor::I64 {
                    data: &self.token_type_ids,
                    shape: &shape,
                },
            ));
        }
        session.run(&inputs, outputs)
    }
}
