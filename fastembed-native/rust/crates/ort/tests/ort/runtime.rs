use std::path::Path;

use fastembed_ort::{OrtError, Runtime};

use crate::support;

#[test]
fn loaded_runtime_reports_the_version_of_its_jar() {
    let runtime = support::runtime();
    assert_eq!(runtime.version(), fastembed_testkit::maven_version("onnxruntime"));
    assert_eq!(runtime.library_path(), support::ort_library());
}

#[test]
fn later_calls_return_the_loaded_runtime() {
    let runtime = support::runtime();
    let library = support::ort_library();
    assert!(std::ptr::eq(Runtime::init(Some(&library)).unwrap(), runtime));
    assert!(std::ptr::eq(Runtime::init(None).unwrap(), runtime));
    assert!(std::ptr::eq(Runtime::get().unwrap(), runtime));
}

#[test]
fn a_second_different_library_is_refused() {
    let runtime = support::runtime();
    let other = Path::new("/opt/elsewhere/libonnxruntime.so");
    match Runtime::init(Some(other)) {
        Err(error @ OrtError::AlreadyLoaded { .. }) => {
            let message = error.to_string();
            assert!(message.contains("/opt/elsewhere/libonnxruntime.so"), "{message}");
            assert!(
                message.contains(&runtime.library_path().display().to_string()),
                "{message}"
            );
        }
        other => panic!("expected AlreadyLoaded, got {other:?}"),
    }
}
