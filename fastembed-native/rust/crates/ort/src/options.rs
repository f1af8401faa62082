//! Session settings and their translation into an `OrtSessionOptions`.

use std::ffi::c_int;
use std::path::PathBuf;

use crate::api::{OrtApi, OrtSessionOptions, ORT_PARALLEL, ORT_SEQUENTIAL};
use crate::error::OrtError;
use crate::owned::{call, create, Owned};
use crate::session::native_path;

/// How much ONNX Runtime rewrites the graph when it loads a model (`GraphOptimizationLevel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GraphOptimization {
    Disabled,
    Basic,
    Extended,
    /// Layout transformations; only runtimes from about 1.22 on accept it.
    Layout,
    #[default]
    All,
}

impl GraphOptimization {
    fn raw(self) -> c_int {
        match self {
            Self::Disabled => 0,
            Self::Basic => 1,
            Self::Extended => 2,
            Self::Layout => 3,
            Self::All => 99,
        }
    }
}

/// Where a session's operators run, besides ONNX Runtime's CPU provider (which takes whatever the chosen one
/// cannot run).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExecutionProvider {
    #[default]
    Cpu,
    /// NVIDIA GPUs through ONNX Runtime's CUDA provider, device 0. Only GPU builds of ONNX Runtime have it; any
    /// other build fails to create the session with ONNX Runtime's own message.
    Cuda,
}

impl ExecutionProvider {
    /// The name users configure: "cpu", "cuda".
    pub fn name(self) -> &'static str {
        match self {
            Self::Cpu => "cpu",
            Self::Cuda => "cuda",
        }
    }

    /// The provider of a configured name (ASCII case ignored).
    pub fn from_name(name: &str) -> Option<ExecutionProvider> {
        [Self::Cpu, Self::Cuda]
            .into_iter()
            .find(|provider| provider.name().eq_ignore_ascii_case(name))
    }
}

/// Settings for a new session. The defaults are ONNX Runtime's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionOptions {
    /// Threads used inside one operator; 0 lets ONNX Runtime choose (one per physical core).
    pub intra_op_threads: usize,
    /// Threads running independent operators at once in parallel mode; 0 lets ONNX Runtime choose.
    pub inter_op_threads: usize,
    pub graph_optimization: GraphOptimization,
    /// Keep freed CPU memory in an arena for reuse.
    pub enable_cpu_mem_arena: bool,
    /// Plan memory from the shapes of earlier runs.
    pub enable_mem_pattern: bool,
    /// Let idle intra-op threads spin instead of sleeping: lower latency, more CPU burnt.
    pub allow_spinning: bool,
    /// Run operators one at a time (true) or independent ones in parallel (false).
    pub execution_mode_sequential: bool,
    /// Runs of the session executing at once; callers beyond wait their turn in arrival order. 0: no limit.
    pub max_concurrent_runs: usize,
    pub execution_provider: ExecutionProvider,
    /// Where ONNX Runtime writes the graph it optimized while creating the session (`SetOptimizedModelFilePath`).
    /// Loading that file later with [`GraphOptimization::Disabled`] skips the optimization.
    pub optimized_model_path: Option<PathBuf>,
}

impl Default for SessionOptions {
    fn default() -> Self {
        Self {
            intra_op_threads: 0,
            inter_op_threads: 0,
            graph_optimization: GraphOptimization::All,
            enable_cpu_mem_arena: true,
            enable_mem_pattern: true,
            allow_spinning: true,
            execution_mode_sequential: true,
            max_concurrent_runs: 0,
            execution_provider: ExecutionProvider::Cpu,
            optimized_model_path: None,
        }
    }
}

impl SessionOptions {
    pub(crate) fn build(&self, api: &OrtApi) -> Result<Owned<OrtSessionOptions>, OrtError> {
        let intra_op_threads = thread_count(self.intra_op_threads, "intra_op_threads")?;
        let inter_op_threads = thread_count(self.inter_op_threads, "inter_op_threads")?;
        // SAFETY: every call gets the live options object created here.
        unsafe {
            let options = create!(api, CreateSessionOptions(), ReleaseSessionOptions)?;
            let raw = options.as_ptr();
            call!(
                api,
                SetSessionGraphOptimizationLevel(raw, self.graph_optimization.raw())
            )?;
            if intra_op_threads > 0 {
                call!(api, SetIntraOpNumThreads(raw, intra_op_threads))?;
            }
            if inter_op_threads > 0 {
                call!(api, SetInterOpNumThreads(raw, inter_op_threads))?;
            }
            if self.enable_cpu_mem_arena {
                call!(api, EnableCpuMemArena(raw))?;
            } else {
                call!(api, DisableCpuMemArena(raw))?;
            }
            if self.enable_mem_pattern {
                call!(api, EnableMemPattern(raw))?;
            } else {
                call!(api, DisableMemPattern(raw))?;
            }
            let spinning = if self.allow_spinning { c"1" } else { c"0" };
            call!(
                api,
                AddSessionConfigEntry(raw, c"session.intra_op.allow_spinning".as_ptr(), spinning.as_ptr())
            )?;
            let mode = if self.execution_mode_sequential {
                ORT_SEQUENTIAL
            } else {
                ORT_PARALLEL
            };
            call!(api, SetSessionExecutionMode(raw, mode))?;
            if let Some(path) = &self.optimized_model_path {
                let path = native_path(path)?;
                call!(api, SetOptimizedModelFilePath(raw, path.as_ptr()))?;
            }
            if self.execution_provider == ExecutionProvider::Cuda {
                // The provider copies what it needs from these options; they are released when this returns.
                let cuda = create!(api, CreateCUDAProviderOptions(), ReleaseCUDAProviderOptions)?;
                call!(api, SessionOptionsAppendExecutionProvider_CUDA_V2(raw, cuda.as_ptr()))?;
            }
            Ok(options)
        }
    }
}

fn thread_count(threads: usize, field: &str) -> Result<c_int, OrtError> {
    c_int::try_from(threads).map_err(|_| OrtError::InvalidInput(format!("{field} = {threads} is too large")))
}
