//! Model options as the C ABI receives them: one JSON object (documented in include/fastembed.h).

use crate::error::EngineError;
use fastembed_ort::ExecutionProvider;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Texts per ONNX Runtime run unless configured (fastembed's default).
pub const DEFAULT_BATCH_SIZE: usize = 256;
/// Padded tokens per run. It bounds ONNX Runtime's arena, which keeps the largest batch it has seen, and small
/// runs are also faster on CPU: a run's activations stay in cache (bench/: 1024 embeds about twice as many texts
/// per second as 16384 with bge-small).
pub const DEFAULT_TOKEN_BUDGET: usize = 1_024;
pub const DEFAULT_MAX_LENGTH: usize = 512;
/// ONNX Runtime threads per run are at most this many per available core ...
pub const MAX_THREADS_PER_CORE: usize = 4;
/// ... and never more than this, however many cores there are.
pub const MAX_THREADS: usize = 256;

/// The largest `threads` accepted: [`MAX_THREADS_PER_CORE`] × the cores this process may use (cgroup quota and
/// affinity included), capped at [`MAX_THREADS`]. ONNX Runtime creates its threads in C++ and terminates the
/// process when the system refuses one (`std::system_error` escaping); refusing absurd counts before a session
/// exists is the defence, since nothing on this side of the C API can catch that failure.
pub fn max_threads() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores.saturating_mul(MAX_THREADS_PER_CORE).min(MAX_THREADS)
}

/// Checks a configured thread count against [`max_threads`].
pub fn check_threads(threads: Option<usize>) -> Result<(), EngineError> {
    match threads {
        None => Ok(()),
        Some(0) => Err(EngineError::invalid_argument(
            "threads must be positive (leave it out for one per core)",
        )),
        Some(n) if n > max_threads() => Err(EngineError::invalid_argument(format!(
            "threads = {n} is beyond the limit of {} ({MAX_THREADS_PER_CORE} per available core, at most \
             {MAX_THREADS}); ONNX Runtime gains nothing from more threads than cores",
            max_threads()
        ))),
        Some(_) => Ok(()),
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelOptions {
    pub model_file: Option<PathBuf>,
    pub tokenizer_file: Option<PathBuf>,
    pub config_file: Option<PathBuf>,
    pub special_tokens_map_file: Option<PathBuf>,
    pub tokenizer_config_file: Option<PathBuf>,
    pub preprocessor_config_file: Option<PathBuf>,
    pub max_length: Option<usize>,
    pub batch_size: Option<usize>,
    pub token_budget: Option<usize>,
    pub threads: Option<usize>,
    pub pooling: Option<String>,
    /// When true, a per-token output with no `pooling` is refused instead of CLS-pooled.
    pub pooling_required: Option<bool>,
    pub normalize: Option<bool>,
    pub output_name: Option<String>,
    /// Milliseconds one ONNX Runtime run (one batch) may take before it is stopped (TIMED_OUT).
    pub run_timeout_ms: Option<u64>,
    /// "cpu" (default) or "cuda" (ONNX Runtime's CUDA provider; GPU builds of ONNX Runtime only).
    pub execution_provider: Option<String>,
    /// "cpu": when the execution provider cannot be set up, load the model on the CPU instead of failing.
    pub fallback: Option<String>,
    /// A folder where the graph ONNX Runtime optimizes on a model's first load is saved, and loaded from on later
    /// loads without optimizing again (CPU provider only).
    pub optimized_model_cache_dir: Option<PathBuf>,
    /// Dense text: keep the first this many values of each vector (Matryoshka truncation), then normalize.
    pub dimensions: Option<usize>,
    /// Dense text with task adapters (jina-embeddings-v3): the task names in the order of their ids, fed to
    /// the model's `task_id` input, and the task of calls that name none.
    pub tasks: Option<Vec<String>>,
    pub default_task: Option<String>,
    /// Dense text: pad every text to the maximum length, for models that read a fixed position whatever the
    /// text's length (SigLIP's text tower pools its last position).
    pub pad_to_max_length: Option<bool>,

    // Image models: decoding limits, checked before any pixel buffer is allocated.
    pub image_max_pixels: Option<u64>,
    pub image_max_side: Option<u32>,
    pub image_max_bytes: Option<usize>,

    // Late interaction (ColBERT): marker tokens inserted after [CLS], the token queries are padded
    // with, and the padded query length (marker included).
    pub query_marker_token: Option<String>,
    pub document_marker_token: Option<String>,
    pub mask_token: Option<String>,
    pub query_length: Option<usize>,
    // Marker tokens given by id (as fastembed hard-codes them for jina-colbert-v2 and LateOn) instead of name;
    // whether queries are padded with the mask token at all (ColBERT's query expansion, default true); whether
    // that padding is attended (jina-colbert-v2: true); the longest query, marker included (LateOn: 32).
    pub query_marker_id: Option<u32>,
    pub document_marker_id: Option<u32>,
    pub query_expansion: Option<bool>,
    pub query_mask_attention: Option<bool>,
    pub query_max_length: Option<usize>,
    // Whether marker tokens are inserted at all and documents drop punctuation vectors (both default true;
    // false for fastembed's token embeddings model, which returns every attended token's raw vector).
    pub markers: Option<bool>,
    pub skip_punctuation: Option<bool>,

    // Sparse models: "splade", "bm25" or "bm42" (default: "bm25" without a model file, else decided by
    // the model's output), BM25/BM42 text processing (fastembed's defaults when absent, see
    // fastembed_bm25::Bm25Config) and BM42's rescoring exponent.
    pub sparse_model: Option<String>,
    /// Inference-free SPLADE: the model's `idf.json` (token → query weight).
    pub idf_file: Option<PathBuf>,
    /// miniCOIL: its vocabulary (`minicoil.triplet.model.vocab`), per-word matrices (`.npy`) and stopwords.txt.
    pub minicoil_vocab_file: Option<PathBuf>,
    pub minicoil_weights_file: Option<PathBuf>,
    pub stopwords_file: Option<PathBuf>,
    pub language: Option<String>,
    pub k1: Option<f32>,
    pub b: Option<f32>,
    pub avg_len: Option<f32>,
    pub token_max_length: Option<usize>,
    pub disable_stemmer: Option<bool>,
    /// The user's stopwords, replacing the language's list (BM25/BM42).
    pub stopwords: Option<Vec<String>>,
    pub alpha: Option<f32>,
}

impl ModelOptions {
    pub fn from_json(json: &str) -> Result<ModelOptions, EngineError> {
        let options: ModelOptions = serde_json::from_str(json)
            .map_err(|e| EngineError::invalid_argument(format!("invalid model options JSON: {e}")))?;
        if options.batch_size == Some(0) {
            return Err(EngineError::invalid_argument("batch_size must be positive"));
        }
        if options.max_length == Some(0) {
            return Err(EngineError::invalid_argument("max_length must be positive"));
        }
        if options.dimensions == Some(0) {
            return Err(EngineError::invalid_argument("dimensions must be positive"));
        }
        if options.token_budget == Some(0) {
            return Err(EngineError::invalid_argument("token_budget must be positive"));
        }
        if options.run_timeout_ms == Some(0) {
            return Err(EngineError::invalid_argument("run_timeout_ms must be positive"));
        }
        check_threads(options.threads)?;
        options.provider()?;
        if let Some(fallback) = &options.fallback {
            if fallback != "cpu" {
                return Err(EngineError::invalid_argument(format!(
                    "fallback = \"{fallback}\" is not supported: the only fallback is \"cpu\""
                )));
            }
        }
        Ok(options)
    }

    /// The configured execution provider (default: the CPU).
    pub fn provider(&self) -> Result<ExecutionProvider, EngineError> {
        match &self.execution_provider {
            None => Ok(ExecutionProvider::Cpu),
            Some(name) => ExecutionProvider::from_name(name).ok_or_else(|| {
                EngineError::invalid_argument(format!(
                    "execution_provider = \"{name}\" is not supported: use \"cpu\" or \"cuda\""
                ))
            }),
        }
    }

    /// Whether a provider that cannot be set up falls back to the CPU.
    pub fn falls_back_to_cpu(&self) -> bool {
        self.fallback.as_deref() == Some("cpu")
    }

    /// The ONNX file, which must exist.
    pub fn require_model_file(&self) -> Result<&Path, EngineError> {
        require_file(self.model_file.as_deref(), "model_file")
    }

    pub fn require_tokenizer_file(&self) -> Result<&Path, EngineError> {
        require_file(self.tokenizer_file.as_deref(), "tokenizer_file")
    }

    pub fn batch_size(&self) -> usize {
        self.batch_size.unwrap_or(DEFAULT_BATCH_SIZE)
    }

    pub fn token_budget(&self) -> usize {
        self.token_budget.unwrap_or(DEFAULT_TOKEN_BUDGET)
    }

    pub fn max_length(&self) -> usize {
        self.max_length.unwrap_or(DEFAULT_MAX_LENGTH)
    }

    /// The optional configuration files, each checked to exist when given.
    pub fn optional_file(&self, file: &Option<PathBuf>, name: &str) -> Result<Option<PathBuf>, EngineError> {
        match file {
            None => Ok(None),
            Some(path) => require_file(Some(path), name).map(|p| Some(p.to_path_buf())),
        }
    }
}

fn require_file<'a>(path: Option<&'a Path>, name: &str) -> Result<&'a Path, EngineError> {
    let path = path.ok_or_else(|| EngineError::invalid_argument(format!("{name} is required")))?;
    if !path.is_file() {
        return Err(EngineError::new(
            crate::ErrorKind::Io,
            format!("{name} {} does not exist or is not a file", path.display()),
        ));
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thread_counts_beyond_the_bound_are_refused_with_the_bound_named() {
        let limit = max_threads();
        assert!((MAX_THREADS_PER_CORE..=MAX_THREADS).contains(&limit), "{limit}");
        assert!(ModelOptions::from_json(&format!(r#"{{"threads": {limit}}}"#)).is_ok());
        for threads in [limit + 1, 1500, 3000, usize::MAX] {
            let error = ModelOptions::from_json(&format!(r#"{{"threads": {threads}}}"#)).unwrap_err();
            assert_eq!(error.kind(), crate::ErrorKind::InvalidArgument, "{error}");
            let message = error.to_string();
            assert!(message.contains(&format!("threads = {threads}")), "{message}");
            assert!(message.contains(&format!("limit of {limit}")), "{message}");
        }
        let error = ModelOptions::from_json(r#"{"threads": 0}"#).unwrap_err();
        assert!(error.to_string().contains("threads must be positive"), "{error}");
    }

    #[test]
    fn execution_providers_are_read_by_name_and_unknown_ones_are_refused_with_the_choices() {
        assert_eq!(
            ModelOptions::from_json("{}").unwrap().provider().unwrap(),
            ExecutionProvider::Cpu
        );
        let cuda = ModelOptions::from_json(r#"{"execution_provider": "CUDA", "fallback": "cpu"}"#).unwrap();
        assert_eq!(cuda.provider().unwrap(), ExecutionProvider::Cuda);
        assert!(cuda.falls_back_to_cpu());
        let error = ModelOptions::from_json(r#"{"execution_provider": "tpu"}"#).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::InvalidArgument);
        assert!(error
            .to_string()
            .contains(r#"execution_provider = "tpu" is not supported: use "cpu" or "cuda""#));
        let error = ModelOptions::from_json(r#"{"execution_provider": "cuda", "fallback": "rocm"}"#).unwrap_err();
        assert!(
            error.to_string().contains(r#"fallback = "rocm" is not supported"#),
            "{error}"
        );
    }
}
