//! How a model's batches run: one ONNX Runtime run at a time over every core ("single-run"), or several runs
//! side by side with the cores split among them ("parallel-runs"). Which is faster depends on the CPU (caches,
//! vector width), the model and the text lengths, so "auto" times both at load on synthetic inputs and keeps the
//! winner, remembered in a small cache file so the next load of the same model on the same machine reads it.

use crate::error::EngineError;
use crate::fingerprint::{cpu_identity, fnv1a, ModelFile};
use crate::options::ModelOptions;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Parallel runs must beat single-run by this fraction to be chosen: single-run serves one text with every
/// core, the better latency for single-text calls, so a tie goes to it.
pub const PARALLEL_MARGIN: f64 = 0.05;

/// What the user asked for (option `plan`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanRequest {
    SingleRun,
    ParallelRuns,
    Auto,
}

impl PlanRequest {
    pub fn parse(value: Option<&str>) -> Result<PlanRequest, EngineError> {
        match value {
            None | Some("single-run") => Ok(PlanRequest::SingleRun),
            Some("parallel-runs") => Ok(PlanRequest::ParallelRuns),
            Some("auto") => Ok(PlanRequest::Auto),
            Some(other) => Err(EngineError::invalid_argument(format!(
                "plan = \"{other}\" is unknown: use \"single-run\", \"parallel-runs\" or \"auto\""
            ))),
        }
    }
}

/// The two ways of running a call's batches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlanKind {
    SingleRun,
    ParallelRuns,
}

/// Where the plan came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlanSource {
    /// The `plan` option named it.
    Configured,
    /// `auto`: measured at this load.
    Calibrated,
    /// `auto`: read from the plan cache, measured at an earlier load.
    Cached,
}

/// Milliseconds one pass over the calibration inputs took with each plan (the fastest of the passes).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    pub single_run_ms: f64,
    pub parallel_runs_ms: f64,
}

impl Calibration {
    /// Parallel runs only when they beat single-run by more than `margin` (a fraction).
    pub fn winner(&self, margin: f64) -> PlanKind {
        if self.parallel_runs_ms * (1.0 + margin) < self.single_run_ms {
            PlanKind::ParallelRuns
        } else {
            PlanKind::SingleRun
        }
    }
}

/// The plan a model runs with, as the C ABI and the bindings report it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExecutionPlan {
    pub kind: PlanKind,
    /// Runs of one call at once (1 for single-run).
    pub runs: usize,
    pub threads_per_run: usize,
    pub token_budget: usize,
    pub source: PlanSource,
    /// Both plans' timings when they were measured (now or, for a cached plan, at the load that measured them).
    pub calibration: Option<Calibration>,
    /// Why `auto` chose without measuring, when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl ExecutionPlan {
    /// `kind` sized for `cores` with the user's pins: single-run uses `threads` (else every core); parallel
    /// runs default to one per core, each with the cores left to it, and `threads` or `parallel_runs` pinned
    /// decide the other.
    pub fn sized(kind: PlanKind, options: &ModelOptions, cores: usize, source: PlanSource) -> ExecutionPlan {
        let cores = cores.max(1);
        let (runs, threads_per_run) = match kind {
            PlanKind::SingleRun => (1, options.threads.unwrap_or(cores)),
            PlanKind::ParallelRuns => match (options.parallel_runs, options.threads) {
                (Some(runs), Some(threads)) => (runs, threads),
                (Some(runs), None) => (runs, (cores / runs).max(1)),
                (None, Some(threads)) => ((cores / threads).max(1), threads),
                (None, None) => (cores, 1),
            },
        };
        ExecutionPlan {
            kind,
            runs,
            threads_per_run,
            token_budget: options.token_budget(),
            source,
            calibration: None,
            note: None,
        }
    }

    /// Runs of the session at once across all callers: parallel runs admit `runs`; single-run admits as many
    /// runs as the cores can serve with its threads (one, unless `threads` was pinned below the cores), so the
    /// model's working memory is bounded by the cores, not by the number of callers.
    pub fn concurrent_runs(&self, cores: usize) -> usize {
        match self.kind {
            PlanKind::SingleRun => (cores / self.threads_per_run.max(1)).max(1),
            PlanKind::ParallelRuns => self.runs.max(1),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a plan always serializes")
    }
}

/// What a cached decision is valid for: the same model file, CPU, cores, ONNX Runtime and pinned options.
///
/// The model is identified by its path, size and modification time rather than a hash of its bytes: hashing a
/// model of a gigabyte costs about as long as reading it, at every load, which is what the cache saves; a file
/// replaced in place changes its size or time (the model cache writes new files, never rewrites one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheKey {
    pub model: String,
    pub model_size: u64,
    pub model_modified_ns: u128,
    /// The CPU model and the instruction set extensions that decide which kernels run.
    pub cpu: String,
    pub cores: usize,
    pub onnxruntime: String,
    /// The options that change what is timed: threads, parallel runs, token budget, batch size.
    pub pins: String,
}

impl CacheKey {
    pub fn new(model_file: &Path, options: &ModelOptions, cores: usize, onnxruntime: &str) -> Option<CacheKey> {
        let model = ModelFile::of(model_file)?;
        Some(CacheKey {
            model: model.path,
            model_size: model.size,
            model_modified_ns: model.modified_ns,
            cpu: cpu_identity(),
            cores,
            onnxruntime: onnxruntime.to_string(),
            pins: format!(
                "threads={:?} parallel_runs={:?} token_budget={:?} batch_size={:?}",
                options.threads, options.parallel_runs, options.token_budget, options.batch_size
            ),
        })
    }

    /// The cache file of this key in `dir`: one file per key, named by a hash of it (the file repeats the key,
    /// so a hash collision reads as a miss).
    pub fn file_in(&self, dir: &Path) -> PathBuf {
        let json = serde_json::to_string(self).expect("a key always serializes");
        dir.join(format!("plan-{:016x}.json", fnv1a(json.as_bytes())))
    }
}

/// A remembered calibration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedPlan {
    pub key: CacheKey,
    pub kind: PlanKind,
    pub calibration: Calibration,
}

/// The decision cached for `key` in `file`; anything missing, unreadable, corrupt or for another key is `None`
/// (the caller calibrates again, never fails).
pub fn read_cached(file: &Path, key: &CacheKey) -> Option<CachedPlan> {
    let text = std::fs::read_to_string(file).ok()?;
    let cached: CachedPlan = serde_json::from_str(&text).ok()?;
    (cached.key == *key).then_some(cached)
}

/// Writes the decision through a temporary file and a rename, so a reader never sees half a file. A cache that
/// cannot be written only costs the next load a calibration.
pub fn write_cached(file: &Path, cached: &CachedPlan) -> std::io::Result<()> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let temporary = file.with_extension(format!("{}.tmp", std::process::id()));
    let json = serde_json::to_string_pretty(cached).map_err(std::io::Error::other)?;
    std::fs::write(&temporary, json)?;
    std::fs::rename(&temporary, file).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timings(single_run_ms: f64, parallel_runs_ms: f64) -> Calibration {
        Calibration {
            single_run_ms,
            parallel_runs_ms,
        }
    }

    #[test]
    fn parallel_runs_win_only_beyond_the_margin() {
        assert_eq!(timings(100.0, 80.0).winner(PARALLEL_MARGIN), PlanKind::ParallelRuns);
        assert_eq!(timings(100.0, 94.0).winner(PARALLEL_MARGIN), PlanKind::ParallelRuns);
        // 96 ms * 1.05 = 100.8 ms: within the margin, so single-run keeps its better latency.
        assert_eq!(timings(100.0, 96.0).winner(PARALLEL_MARGIN), PlanKind::SingleRun);
        assert_eq!(timings(100.0, 100.0).winner(PARALLEL_MARGIN), PlanKind::SingleRun);
        assert_eq!(timings(80.0, 100.0).winner(PARALLEL_MARGIN), PlanKind::SingleRun);
        assert_eq!(timings(100.0, 96.0).winner(0.0), PlanKind::ParallelRuns);
    }

    #[test]
    fn plan_names_parse_and_unknown_ones_are_refused_with_the_choices_named() {
        assert_eq!(PlanRequest::parse(None).unwrap(), PlanRequest::SingleRun);
        assert_eq!(PlanRequest::parse(Some("auto")).unwrap(), PlanRequest::Auto);
        assert_eq!(
            PlanRequest::parse(Some("parallel-runs")).unwrap(),
            PlanRequest::ParallelRuns
        );
        let error = PlanRequest::parse(Some("fastest")).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::InvalidArgument);
        assert!(error.message().contains("\"fastest\""), "{error}");
        assert!(error.message().contains("\"auto\""), "{error}");
    }

    #[test]
    fn sizes_split_the_cores_and_pins_override() {
        let free = ModelOptions::default();
        let single = ExecutionPlan::sized(PlanKind::SingleRun, &free, 8, PlanSource::Configured);
        assert_eq!((single.runs, single.threads_per_run, single.token_budget), (1, 8, 1024));
        assert_eq!(single.concurrent_runs(8), 1);
        let parallel = ExecutionPlan::sized(PlanKind::ParallelRuns, &free, 8, PlanSource::Configured);
        assert_eq!((parallel.runs, parallel.threads_per_run), (8, 1));
        assert_eq!(parallel.concurrent_runs(8), 8);

        let threads = ModelOptions {
            threads: Some(2),
            token_budget: Some(512),
            ..ModelOptions::default()
        };
        let single = ExecutionPlan::sized(PlanKind::SingleRun, &threads, 8, PlanSource::Configured);
        assert_eq!((single.runs, single.threads_per_run, single.token_budget), (1, 2, 512));
        assert_eq!(
            single.concurrent_runs(8),
            4,
            "pinned threads below the cores admit callers side by side"
        );
        let parallel = ExecutionPlan::sized(PlanKind::ParallelRuns, &threads, 8, PlanSource::Configured);
        assert_eq!((parallel.runs, parallel.threads_per_run), (4, 2));

        let runs = ModelOptions {
            parallel_runs: Some(3),
            ..ModelOptions::default()
        };
        let parallel = ExecutionPlan::sized(PlanKind::ParallelRuns, &runs, 8, PlanSource::Configured);
        assert_eq!((parallel.runs, parallel.threads_per_run), (3, 2));
        let parallel = ExecutionPlan::sized(PlanKind::ParallelRuns, &runs, 2, PlanSource::Configured);
        assert_eq!(
            (parallel.runs, parallel.threads_per_run),
            (3, 1),
            "at least one thread per run"
        );
    }

    fn key(dir: &Path) -> CacheKey {
        let model = dir.join("model.onnx");
        std::fs::write(&model, b"not really a model").unwrap();
        CacheKey::new(&model, &ModelOptions::default(), 2, "1.0.0").unwrap()
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("fastembed-plan-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_cached_plan_is_read_back_for_its_own_key_only() {
        let dir = scratch("roundtrip");
        let key = key(&dir);
        let file = key.file_in(&dir.join("plans"));
        let cached = CachedPlan {
            key: key.clone(),
            kind: PlanKind::ParallelRuns,
            calibration: timings(10.0, 7.5),
        };
        write_cached(&file, &cached).unwrap();
        assert_eq!(read_cached(&file, &key), Some(cached));
        let other_cpu = CacheKey {
            cpu: "another CPU".into(),
            ..key.clone()
        };
        assert_ne!(other_cpu.file_in(&dir), key.file_in(&dir));
        assert_eq!(read_cached(&file, &other_cpu), None, "a key mismatch is a miss");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn corrupt_or_missing_cache_files_are_misses() {
        let dir = scratch("corrupt");
        let key = key(&dir);
        let file = key.file_in(&dir);
        assert_eq!(read_cached(&file, &key), None);
        for junk in ["", "{", "{\"kind\": \"parallel-runs\"}", "\u{0}\u{1}binary"] {
            std::fs::write(&file, junk).unwrap();
            assert_eq!(read_cached(&file, &key), None, "{junk:?}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_changed_model_file_changes_the_key() {
        let dir = scratch("fingerprint");
        let before = key(&dir);
        std::fs::write(dir.join("model.onnx"), b"another model, longer than before").unwrap();
        let after = CacheKey::new(&dir.join("model.onnx"), &ModelOptions::default(), 2, "1.0.0").unwrap();
        assert_ne!(before, after);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_plan_serializes_with_kebab_case_names() {
        let mut plan = ExecutionPlan::sized(
            PlanKind::ParallelRuns,
            &ModelOptions::default(),
            2,
            PlanSource::Calibrated,
        );
        plan.calibration = Some(timings(3.0, 2.0));
        let json: serde_json::Value = serde_json::from_str(&plan.to_json()).unwrap();
        assert_eq!(json["kind"], "parallel-runs");
        assert_eq!(json["source"], "calibrated");
        assert_eq!(json["runs"], 2);
        assert_eq!(json["threads_per_run"], 1);
        assert_eq!(json["token_budget"], 1024);
        assert_eq!(json["calibration"]["parallel_runs_ms"], 2.0);
        assert!(json.get("note").is_none());
    }
}
