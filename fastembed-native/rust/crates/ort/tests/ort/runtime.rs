use std::path::Path;

use fastembed_ort::{OrtError, Runtime};

use crate::support;

#[test]
fn loaded_runtime_reports_the_version_of_its_jar() {
    let Some(runtime) = support::runtime() else {
        return;
    };
    assert_eq!(runtime.version(), support::ORT_VERSION);
    assert_eq!(Some(runtime.library_path()), support::ort_library().as_deref());
}

#[test]
fn later_calls_return_the_loaded_runtime() {
    let Some(runtime) = support::runtime() else {
        return;
    };
    let library = support::ort_library().unwrap();
    assert!(std::ptr::eq(Runtime::init(Some(&library)).unwrap(), runtime));
    assert!(std::ptr::eq(Runtime::init(None).unwrap(), runtime));
    assert!(std::ptr::eq(Runtime::get().unwrap(), runtime));
}

#[test]
fn a_second_different_library_is_refused() {
    let Some(runtime) = support::runtime() else {
        return;
    };
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
