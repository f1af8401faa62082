//! ONNX Runtime's optimized graph of a model, saved in a cache folder on the model's first load and loaded with
//! optimizations off on later loads (bench/results/load-time.md: session creation about 30-50 % shorter).
//!
//! ONNX Runtime warns that a graph saved with all optimizations "may contain hardware specific optimizations",
//! so a saved graph is only ever found again by the same runtime version, optimization level, model file and
//! CPU: all of them are in its file name. Threads are not: the graph ONNX Runtime saves does not depend on them
//! (bge-small saved with 1 and 2 intra-op threads gives the same bytes).

use crate::fingerprint::{cpu_identity, fnv1a, ModelFile};
use fastembed_ort::{GraphOptimization, Runtime};
use std::path::{Path, PathBuf};

/// Where the optimized graph of `model_file` loaded with `optimization` by `runtime` is saved in `cache_dir`:
/// `<model file stem>-<key>.optimized.onnx`. None when the model file cannot be described (no metadata), in
/// which case nothing is cached.
pub fn cached_graph_path(
    cache_dir: &Path,
    model_file: &Path,
    optimization: GraphOptimization,
    runtime: &Runtime,
) -> Option<PathBuf> {
    let model = model_fingerprint(model_file)?;
    let stem = model_file.file_stem().and_then(|s| s.to_str()).unwrap_or("model");
    let name = graph_file_name(
        stem,
        &[
            &runtime.version(),
            &format!("{optimization:?}"),
            &model,
            &cpu_identity(),
        ],
    );
    Some(cache_dir.join(name))
}

/// `<stem>-<hash of the key parts>.optimized.onnx`.
fn graph_file_name(stem: &str, key_parts: &[&str]) -> String {
    let mut key = Vec::new();
    for part in key_parts {
        key.extend_from_slice(part.as_bytes());
        key.push(0);
    }
    format!("{stem}-{:016x}.optimized.onnx", fnv1a(&key))
}

/// A private name beside `graph` for ONNX Runtime to write to before the finished file is renamed into place:
/// another process loading the same model at once writes its own, and no reader ever sees half a graph. It ends
/// in `.onnx`: ONNX Runtime picks the format it saves in from the extension.
pub fn partial_path(graph: &Path) -> PathBuf {
    let name = graph.file_name().and_then(|n| n.to_str()).unwrap_or("graph");
    let thread = format!("{:?}", std::thread::current().id()).replace(|c: char| !c.is_ascii_digit(), "");
    graph.with_file_name(format!(".{name}.{}-{thread}.partial.onnx", std::process::id()))
}

/// The model file's canonical path, size and modification time (see [`ModelFile`]).
fn model_fingerprint(model_file: &Path) -> Option<String> {
    let file = ModelFile::of(model_file)?;
    Some(format!("{}|{}|{}", file.path, file.size, file.modified_ns))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fingerprint_changes_when_the_model_file_is_replaced() {
        let dir = std::env::temp_dir().join(format!("fastembed-fingerprint-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("model.onnx");
        std::fs::write(&file, b"first").unwrap();
        let first = model_fingerprint(&file).unwrap();
        std::fs::write(&file, b"second, longer").unwrap();
        let second = model_fingerprint(&file).unwrap();
        assert_ne!(first, second);
        assert!(model_fingerprint(&dir.join("absent.onnx")).is_none());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn every_part_of_the_key_changes_the_file_name() {
        let parts = ["1.29.0", "All", "/m/model.onnx|133093490|1", "x86_64|AMD EPYC avx2"];
        let name = graph_file_name("model", &parts);
        assert!(
            name.starts_with("model-") && name.ends_with(".optimized.onnx"),
            "{name}"
        );
        assert_eq!(name, graph_file_name("model", &parts), "stable");
        for changed in 0..parts.len() {
            let mut other = parts;
            other[changed] = "something else";
            assert_ne!(graph_file_name("model", &other), name, "part {changed}");
        }
        // Parts are separated, so moving a character from one part to the next is another key.
        assert_ne!(graph_file_name("m", &["ab", "c"]), graph_file_name("m", &["a", "bc"]));
    }

    #[test]
    fn partial_files_are_hidden_onnx_files_beside_the_graph() {
        let partial = partial_path(Path::new("/cache/model-00ff.optimized.onnx"));
        assert_eq!(partial.parent(), Some(Path::new("/cache")));
        let name = partial.file_name().unwrap().to_str().unwrap();
        assert!(name.starts_with(".model-00ff.optimized"), "{name}");
        assert!(name.ends_with(".partial.onnx"), "{name}");
    }
}
