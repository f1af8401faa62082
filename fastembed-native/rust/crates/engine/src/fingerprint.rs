//! What the engine's caches (the execution plan, the optimized graph) key a model file and their file names by.

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
