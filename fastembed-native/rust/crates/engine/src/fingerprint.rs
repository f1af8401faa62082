//! What the engine's caches (the execution plan, the optimized graph) are keyed by: the model file, the CPU; and
//! their file names.

use std::path::Path;
use std::time::UNIX_EPOCH;

/// A model file as the file system describes it: canonical path, size and modification time. Hashing the content
/// (133 MB for bge-small) would cost at every load what the caches save; a replaced file has a new time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelFile {
    pub path: String,
    pub size: u64,
    pub modified_ns: u128,
}

impl ModelFile {
    /// None when the file cannot be described (absent, no metadata): then nothing is cached.
    pub fn of(model_file: &Path) -> Option<ModelFile> {
        let path = model_file.canonicalize().ok()?;
        let metadata = std::fs::metadata(&path).ok()?;
        let modified = metadata.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
        Some(ModelFile {
            path: path.display().to_string(),
            size: metadata.len(),
            modified_ns: modified.as_nanos(),
        })
    }
}

/// FNV-1a, 64 bits: cache file names stable across Rust versions (std's hasher promises no such thing).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The CPU's model name and the instruction set extensions ONNX Runtime's kernels and graph rewrites choose
/// between (vector width, VNNI, BF16, AMX on x86; dot product, i8mm, BF16, SVE on Arm).
pub fn cpu_identity() -> String {
    const RELEVANT_FLAGS: &[&str] = &[
        "avx",
        "avx2",
        "fma",
        "f16c",
        "avx512f",
        "avx512bw",
        "avx512vl",
        "avx512_vnni",
        "avx_vnni",
        "avx512_bf16",
        "amx_tile",
        "amx_int8",
        "amx_bf16",
        "asimd",
        "asimddp",
        "i8mm",
        "bf16",
        "sve",
        "sve2",
    ];
    let mut identity = std::env::consts::ARCH.to_owned();
    if let Ok(cpuinfo) = std::fs::read_to_string("/proc/cpuinfo") {
        let field = |name: &str| {
            cpuinfo
                .lines()
                .find(|line| line.split(':').next().is_some_and(|key| key.trim() == name))
                .and_then(|line| line.split_once(':'))
                .map(|(_, value)| value.trim().to_owned())
                .unwrap_or_default()
        };
        identity.push('|');
        identity.push_str(&field("model name"));
        let flags = field("flags") + " " + &field("Features");
        for flag in RELEVANT_FLAGS {
            if flags.split_whitespace().any(|f| f == *flag) {
                identity.push(' ');
                identity.push_str(flag);
            }
        }
    }
    identity
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cpu_identity_names_the_architecture_and_is_stable() {
        let identity = cpu_identity();
        assert!(identity.starts_with(std::env::consts::ARCH), "{identity}");
        assert_eq!(identity, cpu_identity());
    }
}
