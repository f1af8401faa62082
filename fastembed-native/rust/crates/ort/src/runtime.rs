//! Loading libonnxruntime once per process and the objects every session shares.

use std::ffi::{c_void, CStr};
use std::fmt;
use std::path::{Path, PathBuf};
use std::ptr::{self, NonNull};

use libloading::Library;
use once_cell::sync::OnceCell;

use crate::api::{
    OrtAllocator, OrtApi, OrtApiBase, OrtEnv, OrtGetApiBaseFn, OrtMemoryInfo, MIN_API_VERSION, ORT_ARENA_ALLOCATOR,
    ORT_GET_API_BASE_SYMBOL, ORT_LOGGING_LEVEL_WARNING, ORT_MEM_TYPE_DEFAULT, USED_SLOTS,
};
use crate::error::OrtError;
use crate::owned::{call, create, no_object, Owned};

/// Environment variable naming the library when `Runtime::init` gets no path.
pub const ORT_DYLIB_PATH: &str = "ORT_DYLIB_PATH";

static RUNTIME: OnceCell<Runtime> = OnceCell::new();

/// The loaded ONNX Runtime: its API table, one `OrtEnv` (warnings and worse are logged, telemetry
/// off), the CPU memory info that input tensors are described with, and the default allocator.
///
/// It lives in a process-wide static and is never dropped; the library is never unloaded, so
/// sessions and tensors can never outlive the code they point into.
pub struct Runtime {
    api: &'static OrtApi,
    env: Owned<OrtEnv>,
    cpu_memory: Owned<OrtMemoryInfo>,
    /// Owned by ONNX Runtime; never freed.
    allocator: NonNull<OrtAllocator>,
    version: String,
    path: PathBuf,
}

// SAFETY: ONNX Runtime documents OrtEnv and the default allocator as thread-safe; the memory info is
// never modified after creation; the API table is immutable.
unsafe impl Send for Runtime {}
// SAFETY: as for Send.
unsafe impl Sync for Runtime {}

impl Runtime {
    /// Loads libonnxruntime, once per process.
    ///
    /// The library is `path`; without one, the path in the environment variable `ORT_DYLIB_PATH`;
    /// without that, the platform's library name (`libonnxruntime.so`, `libonnxruntime.dylib`,
    /// `onnxruntime.dll`) looked up by the system loader.
    ///
    /// The first successful load wins and is returned by every later call given no path or the
    /// same path (compared after resolving symbolic links). A later call naming a *different*
    /// library gets [`OrtError::AlreadyLoaded`]: two runtimes cannot share a process, and silently
    /// using the other one would hide a configuration mistake. A failed load is not remembered, so
    /// a later call may try again with a corrected path.
    ///
    /// C API version [`MIN_API_VERSION`](crate::MIN_API_VERSION) is requested, so any ONNX Runtime
    /// from 1.11 on works; an older library gives [`OrtError::UnsupportedApiVersion`].
    pub fn init(path: Option<&Path>) -> Result<&'static Runtime, OrtError> {
        let runtime = RUNTIME.get_or_try_init(|| {
            let path = path.map_or_else(default_library_path, Path::to_path_buf);
            Runtime::load_with_room(path)
        })?;
        match path {
            Some(requested) if !same_file(&runtime.path, requested) => Err(OrtError::AlreadyLoaded {
                loaded: runtime.path.clone(),
                requested: requested.to_path_buf(),
            }),
            _ => Ok(runtime),
        }
    }

    /// The runtime, if [`Runtime::init`] has succeeded.
    pub fn get() -> Option<&'static Runtime> {
        RUNTIME.get()
    }

    /// The library's version, e.g. "1.29.0".
    pub fn version(&self) -> String {
        self.version.clone()
    }

    /// The path (or bare library name) the library was loaded from.
    pub fn library_path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn api(&self) -> &'static OrtApi {
        self.api
    }

    pub(crate) fn env(&self) -> *const OrtEnv {
        self.env.as_ptr()
    }

    pub(crate) fn cpu_memory(&self) -> *const OrtMemoryInfo {
        self.cpu_memory.as_ptr()
    }

    pub(crate) fn allocator(&self) -> *mut OrtAllocator {
        self.allocator.as_ptr()
    }

    /// Loads the library on a thread of its own. ONNX Runtime's start-up needs stack in proportion to the
    /// process's command line (measured with 1.29: 20,000 characters overflow 512 KiB, 100,000 overflow 8 MiB),
    /// so a JVM with a long class path crashes loading it on one of its 1 MiB thread stacks. The stack reserved
    /// here is address space; only the pages used are ever backed by memory.
    fn load_with_room(path: PathBuf) -> Result<Runtime, OrtError> {
        let stack = LOAD_STACK_BASE + LOAD_STACK_PER_COMMAND_LINE_BYTE * command_line_length();
        let loader = std::thread::Builder::new()
            .name("onnxruntime-load".to_owned())
            .stack_size(stack)
            .spawn({
                let path = path.clone();
                move || Runtime::load(&path)
            })
            .map_err(|e| OrtError::LibraryLoad {
                path,
                message: format!("cannot start the loading thread: {e}"),
            })?;
        loader.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }

    fn load(path: &Path) -> Result<Runtime, OrtError> {
        // SAFETY: loading runs the library's initialisers, which for ONNX Runtime are benign.
        let library = unsafe { Library::new(path) }.map_err(|e| OrtError::LibraryLoad {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        // SAFETY: the symbol's type is the one declared in onnxruntime_c_api.h.
        let get_api_base: OrtGetApiBaseFn = unsafe {
            *library
                .get::<OrtGetApiBaseFn>(ORT_GET_API_BASE_SYMBOL)
                .map_err(|e| OrtError::NotOnnxRuntime {
                    path: path.to_path_buf(),
                    problem: format!("no OrtGetApiBase symbol ({e})"),
                })?
        };
        // SAFETY: OrtGetApiBase takes no arguments and returns a pointer to a static table.
        let base = unsafe { get_api_base().as_ref() }.ok_or_else(|| OrtError::NotOnnxRuntime {
            path: path.to_path_buf(),
            problem: "OrtGetApiBase returned null".to_owned(),
        })?;
        // SAFETY: `base` came from the library, which stays loaded from here on.
        let (api, version) = unsafe { resolve_api(base, path)? };
        // The API table points into the library: keep it loaded for the rest of the process.
        std::mem::forget(library);
        // SAFETY: `api` is a complete table of at least MIN_API_VERSION.
        unsafe { Self::start(api, version, path) }
    }

    /// Creates the shared ONNX Runtime objects.
    unsafe fn start(api: &'static OrtApi, version: String, path: &Path) -> Result<Runtime, OrtError> {
        let env = create!(
            api,
            CreateEnv(ORT_LOGGING_LEVEL_WARNING, c"fastembed".as_ptr()),
            ReleaseEnv
        )?;
        call!(api, DisableTelemetryEvents(env.as_ptr()))?;
        let cpu_memory = create!(
            api,
            CreateCpuMemoryInfo(ORT_ARENA_ALLOCATOR, ORT_MEM_TYPE_DEFAULT),
            ReleaseMemoryInfo
        )?;
        let mut allocator = ptr::null_mut();
        call!(api, GetAllocatorWithDefaultOptions(&mut allocator))?;
        let allocator = NonNull::new(allocator).ok_or_else(|| no_object("GetAllocatorWithDefaultOptions"))?;
        Ok(Runtime {
            api,
            env,
            cpu_memory,
            allocator,
            version,
            path: path.to_path_buf(),
        })
    }
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runtime")
            .field("version", &self.version)
            .field("path", &self.path)
            .finish()
    }
}

/// Stack for loading ONNX Runtime besides what the command line needs.
const LOAD_STACK_BASE: usize = 16 << 20;
/// Stack per byte of command line: twice the most measured (about 100 bytes).
const LOAD_STACK_PER_COMMAND_LINE_BYTE: usize = 256;

/// Bytes of the process's command line (arguments and their separators).
fn command_line_length() -> usize {
    if let Ok(bytes) = std::fs::read("/proc/self/cmdline") {
        return bytes.len();
    }
    std::env::args_os().map(|arg| arg.len() + 1).sum()
}

fn default_library_path() -> PathBuf {
    match std::env::var_os(ORT_DYLIB_PATH) {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => PathBuf::from(libloading::library_filename("onnxruntime")),
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    a == b || matches!((std::fs::canonicalize(a), std::fs::canonicalize(b)), (Ok(a), Ok(b)) if a == b)
}

/// Gets the API table of version [`MIN_API_VERSION`] and checks that every member this crate calls
/// is present; returns it with the library's version string.
///
/// # Safety
/// `base` must be a valid `OrtApiBase` whose tables live as long as the process.
unsafe fn resolve_api(base: &OrtApiBase, path: &Path) -> Result<(&'static OrtApi, String), OrtError> {
    let version_ptr = (base.GetVersionString)();
    let version = if version_ptr.is_null() {
        "(unknown version)".to_owned()
    } else {
        CStr::from_ptr(version_ptr).to_string_lossy().into_owned()
    };
    let api = (base.GetApi)(MIN_API_VERSION);
    if api.is_null() {
        return Err(OrtError::UnsupportedApiVersion {
            path: path.to_path_buf(),
            library_version: version,
            requested: MIN_API_VERSION,
        });
    }
    // A served version has all of its slots; a null one would crash on call, so refuse it here.
    let slots = api.cast::<*const c_void>();
    for &(function, index) in USED_SLOTS {
        if (*slots.add(index)).is_null() {
            return Err(OrtError::MissingFunction {
                path: path.to_path_buf(),
                library_version: version,
                function,
                index,
            });
        }
    }
    Ok((&*api, version))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::HIGHEST_USED_SLOT;
    use std::ffi::c_char;

    unsafe extern "system" fn old_version() -> *const c_char {
        c"1.4.0".as_ptr()
    }

    unsafe extern "system" fn no_api(_version: u32) -> *const OrtApi {
        ptr::null()
    }

    /// A table of the right size whose slots are all null.
    struct EmptyTable([usize; HIGHEST_USED_SLOT + 1]);
    static EMPTY_TABLE: EmptyTable = EmptyTable([0; HIGHEST_USED_SLOT + 1]);

    unsafe extern "system" fn empty_api(_version: u32) -> *const OrtApi {
        EMPTY_TABLE.0.as_ptr().cast()
    }

    #[test]
    fn library_without_the_requested_version_is_reported_with_both_versions() {
        let base = OrtApiBase {
            GetApi: no_api,
            GetVersionString: old_version,
        };
        // SAFETY: `base` is a valid table of test functions that lives for the whole call.
        let Err(error) = (unsafe { resolve_api(&base, Path::new("/opt/ort/libonnxruntime.so")) }) else {
            panic!("a library without the version was accepted");
        };
        assert!(matches!(
            error,
            OrtError::UnsupportedApiVersion {
                requested: MIN_API_VERSION,
                ..
            }
        ));
        let message = error.to_string();
        assert!(message.contains("1.4.0"), "{message}");
        assert!(
            message.contains(&format!("C API version {MIN_API_VERSION}")),
            "{message}"
        );
        assert!(message.contains("/opt/ort/libonnxruntime.so"), "{message}");
    }

    #[test]
    fn table_with_null_slots_is_refused() {
        let base = OrtApiBase {
            GetApi: empty_api,
            GetVersionString: old_version,
        };
        // SAFETY: as above.
        let Err(error) = (unsafe { resolve_api(&base, Path::new("fake.so")) }) else {
            panic!("a table with null slots was accepted");
        };
        match error {
            OrtError::MissingFunction { function, index, .. } => assert_eq!((function, index), USED_SLOTS[0]),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn missing_file_is_a_load_error_naming_the_path() {
        let error = Runtime::load(Path::new("/nonexistent/dir/libonnxruntime.so")).unwrap_err();
        assert!(matches!(error, OrtError::LibraryLoad { .. }), "{error:?}");
        assert!(
            error.to_string().contains("/nonexistent/dir/libonnxruntime.so"),
            "{error}"
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn library_without_ort_entry_point_is_refused() {
        let error = Runtime::load(Path::new("libm.so.6")).unwrap_err();
        assert!(matches!(error, OrtError::NotOnnxRuntime { .. }), "{error:?}");
        assert!(error.to_string().contains("OrtGetApiBase"), "{error}");
    }

    #[test]
    fn default_library_comes_from_the_environment_then_the_platform_name() {
        // Only this test touches the variable; `init`, the other reader, is not called by unit tests.
        std::env::set_var(ORT_DYLIB_PATH, "/opt/ort/lib/libonnxruntime.so.1.29.0");
        assert_eq!(
            default_library_path(),
            Path::new("/opt/ort/lib/libonnxruntime.so.1.29.0")
        );
        std::env::set_var(ORT_DYLIB_PATH, "");
        let platform_name = default_library_path();
        std::env::remove_var(ORT_DYLIB_PATH);
        assert_eq!(platform_name, default_library_path());
        let name = platform_name.to_string_lossy().into_owned();
        assert!(name.contains("onnxruntime") && !name.contains('/'), "{name}");
    }

    #[test]
    fn same_file_resolves_links_and_relative_paths() {
        let dir = std::env::temp_dir();
        assert!(same_file(&dir, &dir.join(".")));
        assert!(!same_file(
            Path::new("/nonexistent/a.so"),
            Path::new("/nonexistent/b.so")
        ));
    }
}
