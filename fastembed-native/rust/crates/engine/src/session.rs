//! ONNX Runtime session setup and the padded token tensors every text model feeds.

use crate::batching::{self, Batch};
use crate::error::{EngineError, ErrorKind};
use crate::optimized_graph;
use crate::options::ModelOptions;
use crate::plan::{self, CacheKey, CachedPlan, Calibration, ExecutionPlan, PlanKind, PlanRequest, PlanSource};
use crate::runs::ModelSession;
use fastembed_ort::{
    ElementType, ExecutionProvider, GraphOptimization, InputTensor, OutputTensor, Session, SessionOptions,
};
use fastembed_tokenizer::{Encoding, Tokenizer};
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A token model's session, opened for its execution plan, and whether "auto" still has to measure it.
pub struct PlannedSession {
    session: ModelSession,
    plan: ExecutionPlan,
    /// "auto" without a cached decision: the session is single-run until [`TextSession`] has timed both plans.
    pending: Option<PendingCalibration>,
}

/// What calibration needs besides the session: where to remember the decision.
struct PendingCalibration {
    cache: Option<(PathBuf, CacheKey)>,
}

impl Deref for PlannedSession {
    type Target = ModelSession;

    fn deref(&self) -> &ModelSession {
        &self.session
    }
}

/// Opens a model over token ids for its plan: the configured one, the one "auto" cached at an earlier load, or,
/// for "auto" without one, single-run until [`TextSession::new`] has timed both plans.
pub fn open_session(model_file: &Path, options: &ModelOptions) -> Result<PlannedSession, EngineError> {
    let cores = default_threads();
    let sized = |kind, source| ExecutionPlan::sized(kind, options, cores, source);
    let mut pending = None;
    let plan = match options.plan_request()? {
        PlanRequest::SingleRun => sized(PlanKind::SingleRun, PlanSource::Configured),
        PlanRequest::ParallelRuns => sized(PlanKind::ParallelRuns, PlanSource::Configured),
        PlanRequest::Auto if sized(PlanKind::ParallelRuns, PlanSource::Configured).runs <= 1 => ExecutionPlan {
            note: Some("one run fills the cores: there is nothing to run side by side".into()),
            ..sized(PlanKind::SingleRun, PlanSource::Calibrated)
        },
        PlanRequest::Auto => {
            let cache = options.plan_cache_dir.as_deref().and_then(|dir| {
                let key = CacheKey::new(model_file, options, cores, &runtime()?.version())?;
                Some((key.file_in(dir), key))
            });
            match cache.as_ref().and_then(|(file, key)| plan::read_cached(file, key)) {
                Some(cached) => ExecutionPlan {
                    calibration: Some(cached.calibration),
                    ..sized(cached.kind, PlanSource::Cached)
                },
                None => {
                    pending = Some(PendingCalibration { cache });
                    sized(PlanKind::SingleRun, PlanSource::Calibrated)
                }
            }
        }
    };
    Ok(PlannedSession {
        session: open_for(model_file, options, &plan, cores)?,
        plan,
        pending,
    })
}

/// Opens a model that runs one batch at a time with the configured threads (image models, whose calls are few
/// and large).
pub fn open_single_run_session(model_file: &Path, options: &ModelOptions) -> Result<ModelSession, EngineError> {
    let cores = default_threads();
    let plan = ExecutionPlan::sized(PlanKind::SingleRun, options, cores, PlanSource::Configured);
    open_for(model_file, options, &plan, cores)
}

fn runtime() -> Option<&'static fastembed_ort::Runtime> {
    fastembed_ort::Runtime::get()
}

/// A session with the plan's threads per run, all graph optimizations, and as many runs at once as the plan
/// allows across all callers, on the configured execution provider (falling back to the CPU when the options
/// allow it), through the saved optimized graph when a cache folder is configured.
fn open_for(
    model_file: &Path,
    options: &ModelOptions,
    plan: &ExecutionPlan,
    cores: usize,
) -> Result<ModelSession, EngineError> {
    let runtime = runtime().ok_or_else(|| {
        EngineError::new(
            ErrorKind::RuntimeNotLoaded,
            "ONNX Runtime is not loaded: call fe_runtime_init first",
        )
    })?;
    crate::options::check_threads(options.threads)?;
    let cpu_options = SessionOptions {
        intra_op_threads: plan.threads_per_run,
        // Shapes change with every batch, so memory patterns would be planned and thrown away.
        enable_mem_pattern: false,
        // More runs than the plan's only contend for the cores and each holds its own working set, so callers
        // beyond take turns: the model's memory is bounded by the cores, not by the number of callers.
        max_concurrent_runs: plan.concurrent_runs(cores),
        ..SessionOptions::default()
    };
    let requested = options.provider()?;
    let cache_dir = options.optimized_model_cache_dir.as_deref();
    let (session, info) = match requested {
        ExecutionProvider::Cpu => {
            let (session, graph) = open_on_cpu(runtime, model_file, &cpu_options, cache_dir)?;
            (session, SessionInfo::new(requested, requested, None, graph))
        }
        accelerator => {
            let accelerated = SessionOptions {
                execution_provider: accelerator,
                ..cpu_options.clone()
            };
            match Session::from_file(runtime, model_file, &accelerated) {
                Ok(session) => (
                    session,
                    SessionInfo::new(requested, accelerator, None, OptimizedGraph::Off),
                ),
                Err(e) if options.falls_back_to_cpu() => {
                    let (session, graph) = open_on_cpu(runtime, model_file, &cpu_options, cache_dir)?;
                    let reason = e.to_string();
                    (
                        session,
                        SessionInfo::new(requested, ExecutionProvider::Cpu, Some(reason), graph),
                    )
                }
                Err(e) => return Err(provider_error(accelerator, model_file, &e)),
            }
        }
    };
    Ok(ModelSession::new(
        session,
        options.run_timeout_ms.map(std::time::Duration::from_millis),
        info,
    ))
}

/// What happened with the saved optimized graph on this load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptimizedGraph {
    /// No cache folder configured, or not the CPU provider.
    Off,
    /// Loaded from this file, with optimizations off.
    Loaded(PathBuf),
    /// Optimized from the model and saved to this file.
    Saved(PathBuf),
    /// Optimized from the model; nothing could be saved (why).
    NotSaved(String),
}

/// How a model's session was set up: the provider asked for and the one running it (different after a fallback,
/// with ONNX Runtime's reason), and the optimized graph. `fe_*_session_info` hands it out as JSON.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub requested_provider: ExecutionProvider,
    pub execution_provider: ExecutionProvider,
    pub fallback_reason: Option<String>,
    pub optimized_graph: OptimizedGraph,
    json: std::ffi::CString,
}

impl SessionInfo {
    pub fn new(
        requested_provider: ExecutionProvider,
        execution_provider: ExecutionProvider,
        fallback_reason: Option<String>,
        optimized_graph: OptimizedGraph,
    ) -> SessionInfo {
        let (graph, file) = match &optimized_graph {
            OptimizedGraph::Off => ("off".to_owned(), None),
            OptimizedGraph::Loaded(path) => ("loaded".to_owned(), Some(path)),
            OptimizedGraph::Saved(path) => ("saved".to_owned(), Some(path)),
            OptimizedGraph::NotSaved(why) => (format!("not saved: {why}"), None),
        };
        let mut json = serde_json::json!({
            "execution_provider": execution_provider.name(),
            "requested_execution_provider": requested_provider.name(),
            "optimized_graph": graph,
        });
        if let Some(reason) = &fallback_reason {
            json["fallback_reason"] = reason.as_str().into();
        }
        if let Some(file) = file {
            json["optimized_graph_file"] = file.display().to_string().into();
        }
        // serde_json escapes control characters, so the text holds no NUL.
        let json = std::ffi::CString::new(json.to_string()).unwrap_or_default();
        SessionInfo {
            requested_provider,
            execution_provider,
            fallback_reason,
            optimized_graph,
            json,
        }
    }

    /// The info as a JSON object, e.g. `{"execution_provider":"cpu","optimized_graph":"loaded",...}`.
    pub fn json(&self) -> &std::ffi::CStr {
        &self.json
    }
}

/// Opens the model on the CPU: through its saved optimized graph when `cache_dir` has one for this runtime, model
/// and CPU, else optimizing it and saving the result there. The cache never makes a load fail: a graph that does
/// not load is replaced, and a graph that cannot be saved is skipped.
fn open_on_cpu(
    runtime: &'static fastembed_ort::Runtime,
    model_file: &Path,
    options: &SessionOptions,
    cache_dir: Option<&Path>,
) -> Result<(Session, OptimizedGraph), EngineError> {
    let load_error = |e: fastembed_ort::OrtError| {
        EngineError::new(
            ErrorKind::InvalidModel,
            format!("cannot load model {}: {e}", model_file.display()),
        )
    };
    let Some(cache_dir) = cache_dir else {
        return Session::from_file(runtime, model_file, options)
            .map(|session| (session, OptimizedGraph::Off))
            .map_err(load_error);
    };
    let Some(graph) = optimized_graph::cached_graph_path(cache_dir, model_file, options.graph_optimization, runtime)
    else {
        return Session::from_file(runtime, model_file, options)
            .map(|session| {
                (
                    session,
                    OptimizedGraph::NotSaved("the model file has no metadata".into()),
                )
            })
            .map_err(load_error);
    };
    if graph.is_file() {
        let unoptimized = SessionOptions {
            graph_optimization: GraphOptimization::Disabled,
            ..options.clone()
        };
        if let Ok(session) = Session::from_file(runtime, &graph, &unoptimized) {
            return Ok((session, OptimizedGraph::Loaded(graph)));
        }
        // Corrupt or unreadable: optimize the model again below and write a new graph over it.
    }
    if let Err(e) = std::fs::create_dir_all(cache_dir) {
        let why = format!("cannot create {}: {e}", cache_dir.display());
        return Session::from_file(runtime, model_file, options)
            .map(|session| (session, OptimizedGraph::NotSaved(why)))
            .map_err(load_error);
    }
    let partial = optimized_graph::partial_path(&graph);
    let saving = SessionOptions {
        optimized_model_path: Some(partial.clone()),
        ..options.clone()
    };
    match Session::from_file(runtime, model_file, &saving) {
        Ok(session) => {
            let saved = std::fs::rename(&partial, &graph);
            let _ = std::fs::remove_file(&partial);
            let outcome = match saved {
                Ok(()) => OptimizedGraph::Saved(graph),
                Err(e) => OptimizedGraph::NotSaved(format!("cannot write {}: {e}", graph.display())),
            };
            Ok((session, outcome))
        }
        // Saving may be what failed (a full disk, a graph too large for one protobuf): load without it.
        Err(save_error) => {
            let _ = std::fs::remove_file(&partial);
            Session::from_file(runtime, model_file, options)
                .map(|session| (session, OptimizedGraph::NotSaved(save_error.to_string())))
                .map_err(load_error)
        }
    }
}

/// The load error of a provider that could not be set up, with what to do about it.
fn provider_error(provider: ExecutionProvider, model_file: &Path, e: &fastembed_ort::OrtError) -> EngineError {
    let fix = match provider {
        ExecutionProvider::Cuda => {
            "The CUDA provider needs ONNX Runtime's GPU build (the onnxruntime_gpu artifact in place of onnxruntime) \
             on a host with an NVIDIA GPU, CUDA and cuDNN"
        }
        ExecutionProvider::Cpu => "",
    };
    EngineError::new(
        ErrorKind::OnnxRuntime,
        format!(
            "cannot load model {} with the {} execution provider: ONNX Runtime said: {e}. {fix}; or set fallback \
             \"cpu\" to load it on the CPU instead",
            model_file.display(),
            provider.name()
        ),
    )
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
    /// Decoder exports (Qwen3) may take positions; they are counted over real tokens only.
    pub position_ids: Option<String>,
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
            position_ids: has("position_ids").then(|| "position_ids".into()),
        })
    }
}

/// Which end of a row the padding goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PadSide {
    /// Encoders: the text starts at position 0 (where CLS pooling reads).
    Right,
    /// Decoders: every text ends at the last position, so the last token is the same column in every row.
    Left,
}

/// Token ids, mask, type ids and positions of a batch, padded to one length, row-major `[rows, seq]`.
pub struct TokenBatch {
    pub rows: usize,
    pub seq: usize,
    pub input_ids: Vec<i64>,
    pub attention_mask: Vec<i64>,
    pub token_type_ids: Vec<i64>,
    /// 0, 1, ... over each row's real tokens; padding gets 1, as Hugging Face computes it from the mask.
    pub position_ids: Vec<i64>,
}

impl TokenBatch {
    /// A batch padded on the right.
    pub fn new(encodings: &[&Encoding], seq: usize, pad_id: u32) -> TokenBatch {
        TokenBatch::padded(encodings, seq, pad_id, PadSide::Right)
    }

    pub fn padded(encodings: &[&Encoding], seq: usize, pad_id: u32, side: PadSide) -> TokenBatch {
        let rows = encodings.len();
        let mut batch = TokenBatch {
            rows,
            seq,
            input_ids: vec![pad_id as i64; rows * seq],
            attention_mask: vec![0; rows * seq],
            token_type_ids: vec![0; rows * seq],
            position_ids: vec![1; rows * seq],
        };
        for (r, encoding) in encodings.iter().enumerate() {
            let n = encoding.ids.len().min(seq);
            let start = r * seq + if side == PadSide::Left { seq - n } else { 0 };
            let mut position = 0;
            for t in 0..n {
                let at = start + t;
                batch.input_ids[at] = encoding.ids[t] as i64;
                batch.attention_mask[at] = encoding.attention_mask[t] as i64;
                batch.token_type_ids[at] = encoding.type_ids[t] as i64;
                if encoding.attention_mask[t] != 0 {
                    batch.position_ids[at] = position;
                    position += 1;
                }
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
        self.run_with(session, names, None, outputs)
    }

    /// [`run`](Self::run) with one more input (see [`ExtraInput`]).
    pub fn run_with(
        &self,
        session: &ModelSession,
        names: &TextInputNames,
        extra: ExtraInput<'_>,
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
        if let Some((name, tensor)) = extra {
            inputs.push((name, tensor));
        }
        if let Some(name) = &names.position_ids {
            inputs.push((
                name.as_str(),
                InputTensor::I64 {
                    data: &self.position_ids,
                    shape: &shape,
                },
            ));
        }
        session.run(&inputs, outputs)
    }
}

/// An input every run of a call gets besides the tokens: jina-embeddings-v3's `task_id` (an integer of shape `[]`
/// or `[1]`), ColPali's `pixel_values` (the images, or blank ones beside a query).
pub type ExtraInput<'a> = Option<(&'a str, InputTensor<'a>)>;

/// What every model over token ids shares: its session and the inputs it declares, the output it reads, how
/// its inputs are padded and cut into runs, and its execution plan. The one batch loop of the text, sparse,
/// rerank and late-interaction models.
pub struct TextSession {
    session: ModelSession,
    inputs: TextInputNames,
    output: String,
    pad_id: u32,
    pad_side: PadSide,
    batch_size: usize,
    plan: ExecutionPlan,
}

/// Calibration times each plan on this many synthetic texts (two runs' worth for parallel runs on two cores; a
/// pass of bge-small fp32 takes about 170 ms on two cores) ...
const CALIBRATION_TEXTS: usize = 8;
/// ... of these token counts in turn (64 on average, as short passages are) ...
const CALIBRATION_LENGTHS: [usize; 4] = [40, 56, 72, 88];
/// ... in up to this many timed passes after a warm-up, keeping the fastest ...
const CALIBRATION_PASSES: usize = 3;
/// ... while a plan's timed passes have taken less than this: both plans of a small model in about a second.
const CALIBRATION_TIME_PER_PLAN: Duration = Duration::from_millis(150);

impl TextSession {
    /// The session reading `output`, padded with the tokenizer's pad token (else id 0) on the right, in runs of
    /// the options' batch size and token budget. "auto" without a cached decision is calibrated here.
    pub fn new(
        session: PlannedSession,
        output: String,
        tokenizer: &Tokenizer,
        options: &ModelOptions,
    ) -> Result<TextSession, EngineError> {
        TextSession::with_token_budget(session, output, tokenizer, options, options.token_budget())
    }

    /// [`new`](Self::new) with runs of at most `token_budget` padded tokens, for models whose output grows faster
    /// than their input.
    pub fn with_token_budget(
        planned: PlannedSession,
        output: String,
        tokenizer: &Tokenizer,
        options: &ModelOptions,
        token_budget: usize,
    ) -> Result<TextSession, EngineError> {
        let mut text = TextSession {
            inputs: TextInputNames::of(&planned.session)?,
            session: planned.session,
            output,
            pad_id: tokenizer.padding().map(|p| p.pad_id).unwrap_or(0),
            pad_side: PadSide::Right,
            batch_size: options.batch_size(),
            plan: ExecutionPlan {
                token_budget,
                ..planned.plan
            },
        };
        if let Some(pending) = planned.pending {
            text.calibrate(tokenizer, options, pending);
        }
        Ok(text)
    }

    /// Pads on `side` (decoders: on the left, so every text ends at the last position).
    pub fn padded_on(mut self, side: PadSide) -> TextSession {
        self.pad_side = side;
        self
    }

    pub fn output(&self) -> &str {
        &self.output
    }

    /// How the model's calls run.
    pub fn plan(&self) -> &ExecutionPlan {
        &self.plan
    }

    /// The id rows are padded with.
    pub fn pad_id(&self) -> u32 {
        self.pad_id
    }

    /// Stops the runs under way on the model; their calls fail with `Cancelled`.
    pub fn cancel_runs(&self) {
        self.session.cancel_runs();
    }

    /// How the session was set up (execution provider, optimized graph).
    pub fn info(&self) -> &SessionInfo {
        self.session.info()
    }

    /// One run on `rows` padded to `seq` tokens: the padded batch and the output.
    pub fn run(
        &self,
        rows: &[&Encoding],
        seq: usize,
        extra: ExtraInput<'_>,
    ) -> Result<(TokenBatch, OutputTensor), EngineError> {
        let tokens = TokenBatch::padded(rows, seq, self.pad_id, self.pad_side);
        let mut outputs = tokens.run_with(&self.session, &self.inputs, extra, &[self.output.as_str()])?;
        let output = outputs
            .pop()
            .ok_or_else(|| EngineError::invalid_model("the run returned no output"))?;
        Ok((tokens, output))
    }

    /// Encodes `count` inputs with `encode`, runs them in length-sorted batches within the batch size and token
    /// budget, as the plan says (one run at a time, or its parallel runs side by side), and hands `read` each
    /// batch (indices into the inputs), its encodings, its padded tokens and the output, one batch at a time on
    /// the calling thread. Returns the number of real tokens.
    pub fn for_each_run<E, R>(
        &self,
        count: usize,
        encode: E,
        extra: ExtraInput<'_>,
        mut read: R,
    ) -> Result<usize, EngineError>
    where
        E: Fn(usize) -> Result<Encoding, EngineError> + Sync,
        R: FnMut(&Batch, &[&Encoding], &TokenBatch, &OutputTensor) -> Result<(), EngineError>,
    {
        batching::for_each_chunk(
            count,
            self.batch_size,
            self.plan.token_budget,
            self.plan.runs,
            encode,
            |start, encodings, batches| {
                self.run_batches(encodings, batches, extra, |batch, rows, tokens, output| {
                    let global = Batch {
                        indices: batch.indices.iter().map(|i| i + start).collect(),
                        padded_length: batch.padded_length,
                    };
                    read(&global, rows, tokens, output)
                })
            },
        )
    }

    /// Runs `batches` of `encodings` with the plan's parallelism, reading each result on this thread.
    fn run_batches<R>(
        &self,
        encodings: &[Encoding],
        batches: &[Batch],
        extra: ExtraInput<'_>,
        mut read: R,
    ) -> Result<(), EngineError>
    where
        R: FnMut(&Batch, &[&Encoding], &TokenBatch, &OutputTensor) -> Result<(), EngineError>,
    {
        let rows_of = |batch: &Batch| -> Vec<&Encoding> { batch.indices.iter().map(|&i| &encodings[i]).collect() };
        let workers = self.plan.runs.min(batches.len());
        if workers <= 1 {
            for batch in batches {
                let rows = rows_of(batch);
                let (tokens, output) = self.run(&rows, batch.padded_length, extra)?;
                read(batch, &rows, &tokens, &output)?;
            }
            return Ok(());
        }
        // Workers take the next batch until none is left or one failed; results come back through a channel
        // as long as the workers, so the outputs waiting to be read stay bounded by the runs.
        let next = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        std::thread::scope(|scope| {
            let (sender, receiver) = std::sync::mpsc::sync_channel(workers);
            for _ in 0..workers {
                let (sender, next, stop, rows_of) = (sender.clone(), &next, &stop, &rows_of);
                scope.spawn(move || loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= batches.len() || stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let batch = &batches[i];
                    let result = self.run(&rows_of(batch), batch.padded_length, extra);
                    let failed = result.is_err();
                    if sender.send(result.map(|r| (i, r))).is_err() || failed {
                        break;
                    }
                });
            }
            drop(sender);
            let mut first_error = None;
            for result in receiver {
                let outcome = result.and_then(|(i, (tokens, output))| match first_error {
                    None => read(&batches[i], &rows_of(&batches[i]), &tokens, &output),
                    Some(_) => Ok(()),
                });
                if let Err(e) = outcome {
                    stop.store(true, Ordering::Relaxed);
                    first_error.get_or_insert(e);
                }
            }
            first_error.map_or(Ok(()), Err)
        })
    }

    /// "auto": times single-run (this session) against parallel runs (a second session with the cores split)
    /// on synthetic texts of the model's own vocabulary, keeps the winner and drops the other session.
    /// A calibration that fails leaves single-run, saying why; a cache that cannot be written is left alone.
    fn calibrate(&mut self, tokenizer: &Tokenizer, options: &ModelOptions, pending: PendingCalibration) {
        match self.measure(tokenizer, options) {
            Ok((calibration, parallel)) => {
                let kind = calibration.winner(plan::PARALLEL_MARGIN);
                if kind == PlanKind::ParallelRuns {
                    self.session = parallel.session;
                    self.plan = ExecutionPlan {
                        token_budget: self.plan.token_budget,
                        ..parallel.plan
                    };
                }
                self.plan.calibration = Some(calibration);
                if let Some((file, key)) = pending.cache {
                    let _ = plan::write_cached(&file, &CachedPlan { key, kind, calibration });
                }
            }
            Err(e) => self.plan.note = Some(format!("calibration failed, single-run kept: {e}")),
        }
    }

    /// Both plans' times, and the parallel candidate.
    fn measure(&self, tokenizer: &Tokenizer, options: &ModelOptions) -> Result<(Calibration, Candidate), EngineError> {
        // Before a second session is opened: a model with inputs calibration cannot make up (an image's
        // pixel_values) would load its weights twice only to keep single-run.
        let (name, value, shape) = calibration_extra(&self.session)?;
        let cores = default_threads();
        let plan = ExecutionPlan::sized(PlanKind::ParallelRuns, options, cores, PlanSource::Calibrated);
        let session = open_for(options.require_model_file()?, options, &plan, cores)?;
        let parallel = TextSession {
            session,
            inputs: self.inputs.clone(),
            output: self.output.clone(),
            pad_id: self.pad_id,
            pad_side: self.pad_side,
            batch_size: self.batch_size,
            plan: ExecutionPlan {
                token_budget: self.plan.token_budget,
                ..plan
            },
        };
        let encodings = synthetic_encodings(tokenizer, options.max_length());
        let extra = name.as_deref().map(|n| {
            (
                n,
                InputTensor::I64 {
                    data: &value[..],
                    shape: &shape[..],
                },
            )
        });
        let calibration = Calibration {
            single_run_ms: self.fastest_pass(&encodings, extra)?,
            parallel_runs_ms: parallel.fastest_pass(&encodings, extra)?,
        };
        Ok((
            calibration,
            Candidate {
                session: parallel.session,
                plan: parallel.plan,
            },
        ))
    }

    /// Milliseconds of the fastest timed pass over `encodings`, batched as a call would be, after one untimed
    /// pass that warms the session.
    fn fastest_pass(&self, encodings: &[Encoding], extra: ExtraInput<'_>) -> Result<f64, EngineError> {
        let lengths: Vec<usize> = encodings.iter().map(|e| e.ids.len()).collect();
        let budget = batching::balanced_budget(&lengths, self.plan.token_budget, self.plan.runs);
        let batches = batching::plan(&lengths, self.batch_size, budget);
        let pass = || self.run_batches(encodings, &batches, extra, |_, _, _, _| Ok(()));
        pass()?;
        let started = Instant::now();
        let mut fastest = f64::INFINITY;
        for _ in 0..CALIBRATION_PASSES {
            let pass_started = Instant::now();
            pass()?;
            fastest = fastest.min(pass_started.elapsed().as_secs_f64() * 1e3);
            if started.elapsed() > CALIBRATION_TIME_PER_PLAN {
                break;
            }
        }
        Ok(fastest)
    }
}

/// The parallel session calibration opened, kept if it wins.
struct Candidate {
    session: ModelSession,
    plan: ExecutionPlan,
}

/// [`CALIBRATION_TEXTS`] texts of random non-special tokens of the tokenizer's vocabulary (the same every load),
/// at most `max_length` tokens each.
fn synthetic_encodings(tokenizer: &Tokenizer, max_length: usize) -> Vec<Encoding> {
    let vocabulary = tokenizer.vocab_size() as u64;
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut random_token = || {
        for _ in 0..64 {
            // xorshift64: no dependency for a handful of ids that only need to look like text.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let id = (state % vocabulary.max(1)) as u32;
            if tokenizer
                .id_to_token(id)
                .is_some_and(|t| !tokenizer.is_special_token(&t))
            {
                return id;
            }
        }
        0
    };
    (0..CALIBRATION_TEXTS)
        .map(|i| {
            let length = CALIBRATION_LENGTHS[i % CALIBRATION_LENGTHS.len()].min(max_length.max(1));
            Encoding {
                ids: (0..length).map(|_| random_token()).collect(),
                type_ids: vec![0; length],
                attention_mask: vec![1; length],
                ..Default::default()
            }
        })
        .collect()
}

/// A value for an input besides the token ones (a task adapter's `task_id`): 0 of its declared shape (a scalar
/// or one value). None when there is no such input.
type OwnedExtra = (Option<String>, Vec<i64>, Vec<i64>);

fn calibration_extra(session: &Session) -> Result<OwnedExtra, EngineError> {
    const TOKEN_INPUTS: [&str; 4] = ["input_ids", "attention_mask", "token_type_ids", "position_ids"];
    let others: Vec<_> = session
        .inputs()
        .iter()
        .filter(|i| !TOKEN_INPUTS.contains(&i.name.as_str()))
        .collect();
    match others.as_slice() {
        [] => Ok((None, Vec::new(), Vec::new())),
        [input] if input.element_type == ElementType::Int64 && input.shape.len() <= 1 => {
            Ok((Some(input.name.clone()), vec![0], vec![1; input.shape.len()]))
        }
        _ => Err(EngineError::invalid_model(format!(
            "no synthetic value for the inputs {:?}",
            others.iter().map(|i| i.name.as_str()).collect::<Vec<_>>()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoding(ids: &[u32]) -> Encoding {
        Encoding {
            ids: ids.to_vec(),
            type_ids: vec![0; ids.len()],
            attention_mask: vec![1; ids.len()],
            ..Default::default()
        }
    }

    #[test]
    fn left_padding_ends_every_row_at_the_last_position_with_positions_over_real_tokens() {
        let (short, long) = (encoding(&[7, 8]), encoding(&[3, 4, 5, 6]));
        let batch = TokenBatch::padded(&[&short, &long], 4, 0, PadSide::Left);
        assert_eq!(batch.input_ids, [0, 0, 7, 8, 3, 4, 5, 6]);
        assert_eq!(batch.attention_mask, [0, 0, 1, 1, 1, 1, 1, 1]);
        assert_eq!(batch.position_ids, [1, 1, 0, 1, 0, 1, 2, 3]);
    }

    #[test]
    fn right_padding_starts_every_row_at_position_zero() {
        let (short, long) = (encoding(&[7, 8]), encoding(&[3, 4, 5]));
        let batch = TokenBatch::new(&[&short, &long], 3, 9);
        assert_eq!(batch.input_ids, [7, 8, 9, 3, 4, 5]);
        assert_eq!(batch.attention_mask, [1, 1, 0, 1, 1, 1]);
        assert_eq!(batch.position_ids, [0, 1, 1, 0, 1, 2]);
    }
}
