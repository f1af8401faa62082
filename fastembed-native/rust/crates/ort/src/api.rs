//! Raw declarations of the ONNX Runtime C API (`onnxruntime_c_api.h`).
//!
//! `OrtApi` is an append-only table of function pointers. Only the members this crate calls are
//! declared; every other slot is pointer-sized padding. Each declared member's position is checked
//! at compile time against its index in the public header, so a miscounted padding run fails the
//! build instead of calling the wrong function.

#![allow(non_snake_case)]

use std::ffi::{c_char, c_int, c_void};

macro_rules! opaque_types {
    ($($name:ident),* $(,)?) => {
        $(
            /// Opaque ONNX Runtime object, only ever handled through pointers.
            #[repr(C)]
            pub struct $name {
                _private: [u8; 0],
            }
        )*
    };
}

opaque_types!(
    OrtEnv,
    OrtStatus,
    OrtMemoryInfo,
    OrtSession,
    OrtValue,
    OrtRunOptions,
    OrtTypeInfo,
    OrtTensorTypeAndShapeInfo,
    OrtSessionOptions,
    OrtAllocator,
    OrtCUDAProviderOptionsV2,
);

/// `ORTCHAR_T`: model paths are UTF-16 on Windows and bytes elsewhere.
#[cfg(windows)]
pub type OrtChar = u16;
#[cfg(not(windows))]
pub type OrtChar = c_char;

/// A null status means success.
pub type Status = *mut OrtStatus;

// C enums are passed as `int`.
pub const ORT_LOGGING_LEVEL_WARNING: c_int = 2;
pub const ORT_ARENA_ALLOCATOR: c_int = 1;
pub const ORT_MEM_TYPE_DEFAULT: c_int = 0;
pub const ORT_SEQUENTIAL: c_int = 0;
pub const ORT_PARALLEL: c_int = 1;

pub const ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT: c_int = 1;
pub const ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8: c_int = 2;
pub const ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8: c_int = 3;
pub const ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32: c_int = 6;
pub const ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64: c_int = 7;
pub const ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL: c_int = 9;
pub const ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16: c_int = 10;

/// Entry point returned by the exported `OrtGetApiBase` symbol.
#[repr(C)]
pub struct OrtApiBase {
    /// Null when the library does not serve the requested API version.
    pub GetApi: unsafe extern "system" fn(version: u32) -> *const OrtApi,
    pub GetVersionString: unsafe extern "system" fn() -> *const c_char,
}

pub type OrtGetApiBaseFn = unsafe extern "system" fn() -> *const OrtApiBase;
pub const ORT_GET_API_BASE_SYMBOL: &[u8] = b"OrtGetApiBase\0";

/// One unused table entry.
type Slot = *const c_void;

type Release<T> = unsafe extern "system" fn(*mut T);

/// The prefix of `struct OrtApi` up to the last member this crate calls.
/// Padding fields are named after the header indices they cover.
#[repr(C)]
pub struct OrtApi {
    _slot_0: [Slot; 1],
    pub GetErrorCode: unsafe extern "system" fn(status: *const OrtStatus) -> c_int,
    pub GetErrorMessage: unsafe extern "system" fn(status: *const OrtStatus) -> *const c_char,
    pub CreateEnv: unsafe extern "system" fn(level: c_int, log_id: *const c_char, out: *mut *mut OrtEnv) -> Status,
    _slots_4_to_5: [Slot; 2],
    pub DisableTelemetryEvents: unsafe extern "system" fn(env: *const OrtEnv) -> Status,
    pub CreateSession: unsafe extern "system" fn(
        env: *const OrtEnv,
        model_path: *const OrtChar,
        options: *const OrtSessionOptions,
        out: *mut *mut OrtSession,
    ) -> Status,
    pub CreateSessionFromArray: unsafe extern "system" fn(
        env: *const OrtEnv,
        model_data: *const c_void,
        model_data_length: usize,
        options: *const OrtSessionOptions,
        out: *mut *mut OrtSession,
    ) -> Status,
    pub Run: unsafe extern "system" fn(
        session: *mut OrtSession,
        run_options: *const OrtRunOptions,
        input_names: *const *const c_char,
        inputs: *const *const OrtValue,
        input_len: usize,
        output_names: *const *const c_char,
        output_names_len: usize,
        outputs: *mut *mut OrtValue,
    ) -> Status,
    pub CreateSessionOptions: unsafe extern "system" fn(out: *mut *mut OrtSessionOptions) -> Status,
    pub SetOptimizedModelFilePath:
        unsafe extern "system" fn(options: *mut OrtSessionOptions, optimized_model_path: *const OrtChar) -> Status,
    _slot_12: [Slot; 1],
    pub SetSessionExecutionMode: unsafe extern "system" fn(options: *mut OrtSessionOptions, mode: c_int) -> Status,
    _slots_14_to_15: [Slot; 2],
    pub EnableMemPattern: unsafe extern "system" fn(options: *mut OrtSessionOptions) -> Status,
    pub DisableMemPattern: unsafe extern "system" fn(options: *mut OrtSessionOptions) -> Status,
    pub EnableCpuMemArena: unsafe extern "system" fn(options: *mut OrtSessionOptions) -> Status,
    pub DisableCpuMemArena: unsafe extern "system" fn(options: *mut OrtSessionOptions) -> Status,
    _slots_20_to_22: [Slot; 3],
    pub SetSessionGraphOptimizationLevel:
        unsafe extern "system" fn(options: *mut OrtSessionOptions, level: c_int) -> Status,
    pub SetIntraOpNumThreads: unsafe extern "system" fn(options: *mut OrtSessionOptions, threads: c_int) -> Status,
    pub SetInterOpNumThreads: unsafe extern "system" fn(options: *mut OrtSessionOptions, threads: c_int) -> Status,
    _slots_26_to_29: [Slot; 4],
    pub SessionGetInputCount: unsafe extern "system" fn(session: *const OrtSession, out: *mut usize) -> Status,
    pub SessionGetOutputCount: unsafe extern "system" fn(session: *const OrtSession, out: *mut usize) -> Status,
    _slot_32: [Slot; 1],
    pub SessionGetInputTypeInfo:
        unsafe extern "system" fn(session: *const OrtSession, index: usize, out: *mut *mut OrtTypeInfo) -> Status,
    pub SessionGetOutputTypeInfo:
        unsafe extern "system" fn(session: *const OrtSession, index: usize, out: *mut *mut OrtTypeInfo) -> Status,
    _slot_35: [Slot; 1],
    pub SessionGetInputName: unsafe extern "system" fn(
        session: *const OrtSession,
        index: usize,
        allocator: *mut OrtAllocator,
        out: *mut *mut c_char,
    ) -> Status,
    pub SessionGetOutputName: unsafe extern "system" fn(
        session: *const OrtSession,
        index: usize,
        allocator: *mut OrtAllocator,
        out: *mut *mut c_char,
    ) -> Status,
    _slot_38: [Slot; 1],
    pub CreateRunOptions: unsafe extern "system" fn(out: *mut *mut OrtRunOptions) -> Status,
    _slots_40_to_45: [Slot; 6],
    pub RunOptionsSetTerminate: unsafe extern "system" fn(options: *mut OrtRunOptions) -> Status,
    _slots_47_to_48: [Slot; 2],
    pub CreateTensorWithDataAsOrtValue: unsafe extern "system" fn(
        info: *const OrtMemoryInfo,
        data: *mut c_void,
        data_len_bytes: usize,
        shape: *const i64,
        shape_len: usize,
        element_type: c_int,
        out: *mut *mut OrtValue,
    ) -> Status,
    _slot_50: [Slot; 1],
    pub GetTensorMutableData: unsafe extern "system" fn(value: *mut OrtValue, out: *mut *mut c_void) -> Status,
    _slots_52_to_54: [Slot; 3],
    pub CastTypeInfoToTensorInfo:
        unsafe extern "system" fn(type_info: *const OrtTypeInfo, out: *mut *const OrtTensorTypeAndShapeInfo) -> Status,
    _slots_56_to_59: [Slot; 4],
    pub GetTensorElementType:
        unsafe extern "system" fn(info: *const OrtTensorTypeAndShapeInfo, out: *mut c_int) -> Status,
    pub GetDimensionsCount:
        unsafe extern "system" fn(info: *const OrtTensorTypeAndShapeInfo, out: *mut usize) -> Status,
    pub GetDimensions:
        unsafe extern "system" fn(info: *const OrtTensorTypeAndShapeInfo, dims: *mut i64, dims_len: usize) -> Status,
    _slots_63_to_64: [Slot; 2],
    pub GetTensorTypeAndShape:
        unsafe extern "system" fn(value: *const OrtValue, out: *mut *mut OrtTensorTypeAndShapeInfo) -> Status,
    _slots_66_to_68: [Slot; 3],
    pub CreateCpuMemoryInfo:
        unsafe extern "system" fn(allocator_type: c_int, mem_type: c_int, out: *mut *mut OrtMemoryInfo) -> Status,
    _slots_70_to_75: [Slot; 6],
    pub AllocatorFree: unsafe extern "system" fn(allocator: *mut OrtAllocator, p: *mut c_void) -> Status,
    _slot_77: [Slot; 1],
    pub GetAllocatorWithDefaultOptions: unsafe extern "system" fn(out: *mut *mut OrtAllocator) -> Status,
    _slots_79_to_91: [Slot; 13],
    pub ReleaseEnv: Release<OrtEnv>,
    pub ReleaseStatus: Release<OrtStatus>,
    pub ReleaseMemoryInfo: Release<OrtMemoryInfo>,
    pub ReleaseSession: Release<OrtSession>,
    pub ReleaseValue: Release<OrtValue>,
    pub ReleaseRunOptions: Release<OrtRunOptions>,
    pub ReleaseTypeInfo: Release<OrtTypeInfo>,
    pub ReleaseTensorTypeAndShapeInfo: Release<OrtTensorTypeAndShapeInfo>,
    pub ReleaseSessionOptions: Release<OrtSessionOptions>,
    _slots_101_to_129: [Slot; 29],
    pub AddSessionConfigEntry:
        unsafe extern "system" fn(options: *mut OrtSessionOptions, key: *const c_char, value: *const c_char) -> Status,
    _slots_131_to_203: [Slot; 73],
    pub SessionOptionsAppendExecutionProvider_CUDA_V2: unsafe extern "system" fn(
        options: *mut OrtSessionOptions,
        cuda_options: *const OrtCUDAProviderOptionsV2,
    ) -> Status,
    pub CreateCUDAProviderOptions: unsafe extern "system" fn(out: *mut *mut OrtCUDAProviderOptionsV2) -> Status,
    _slots_206_to_207: [Slot; 2],
    pub ReleaseCUDAProviderOptions: Release<OrtCUDAProviderOptionsV2>,
}

/// Declares every member this crate calls with its index in the header, asserts each offset at
/// compile time, and lists them in `USED_SLOTS` for the run-time null check on a loaded table.
macro_rules! used_slots {
    ($($name:ident = $index:literal),* $(,)?) => {
        $(
            const _: () = assert!(
                std::mem::offset_of!(OrtApi, $name) == $index * std::mem::size_of::<usize>()
            );
        )*

        /// `(member name, index in OrtApi)` for every member this crate calls.
        pub const USED_SLOTS: &[(&str, usize)] = &[$((stringify!($name), $index)),*];
    };
}

used_slots!(
    GetErrorCode = 1,
    GetErrorMessage = 2,
    CreateEnv = 3,
    DisableTelemetryEvents = 6,
    CreateSession = 7,
    CreateSessionFromArray = 8,
    Run = 9,
    CreateSessionOptions = 10,
    SetOptimizedModelFilePath = 11,
    SetSessionExecutionMode = 13,
    EnableMemPattern = 16,
    DisableMemPattern = 17,
    EnableCpuMemArena = 18,
    DisableCpuMemArena = 19,
    SetSessionGraphOptimizationLevel = 23,
    SetIntraOpNumThreads = 24,
    SetInterOpNumThreads = 25,
    SessionGetInputCount = 30,
    SessionGetOutputCount = 31,
    SessionGetInputTypeInfo = 33,
    SessionGetOutputTypeInfo = 34,
    SessionGetInputName = 36,
    SessionGetOutputName = 37,
    CreateRunOptions = 39,
    RunOptionsSetTerminate = 46,
    CreateTensorWithDataAsOrtValue = 49,
    GetTensorMutableData = 51,
    CastTypeInfoToTensorInfo = 55,
    GetTensorElementType = 60,
    GetDimensionsCount = 61,
    GetDimensions = 62,
    GetTensorTypeAndShape = 65,
    CreateCpuMemoryInfo = 69,
    AllocatorFree = 76,
    GetAllocatorWithDefaultOptions = 78,
    ReleaseEnv = 92,
    ReleaseStatus = 93,
    ReleaseMemoryInfo = 94,
    ReleaseSession = 95,
    ReleaseValue = 96,
    ReleaseRunOptions = 97,
    ReleaseTypeInfo = 98,
    ReleaseTensorTypeAndShapeInfo = 99,
    ReleaseSessionOptions = 100,
    AddSessionConfigEntry = 130,
    SessionOptionsAppendExecutionProvider_CUDA_V2 = 204,
    CreateCUDAProviderOptions = 205,
    ReleaseCUDAProviderOptions = 208,
);

/// Index of the last member of each C API version 1..=11, from the "End of Version N" marks of the
/// table in onnxruntime_c_api.cc (and its `static_assert`s on them). Versions only ever append.
const LAST_SLOT_OF_VERSION: [usize; 11] = [101, 118, 124, 126, 149, 157, 161, 169, 191, 203, 209];

/// Highest table index this crate reads.
pub const HIGHEST_USED_SLOT: usize = {
    let mut highest = 0;
    let mut i = 0;
    while i < USED_SLOTS.len() {
        if USED_SLOTS[i].1 > highest {
            highest = USED_SLOTS[i].1;
        }
        i += 1;
    }
    highest
};

/// The C API version requested from the library: the oldest one whose table holds every member this
/// crate calls. It is 11 (ONNX Runtime 1.11), set by the CUDA provider's options (`CreateCUDAProviderOptions`,
/// `ReleaseCUDAProviderOptions`); every newer 1.x runtime serves it too.
pub const MIN_API_VERSION: u32 = {
    let mut version = 0;
    while LAST_SLOT_OF_VERSION[version] < HIGHEST_USED_SLOT {
        version += 1; // runs past the table (a compile error) if a newer member gets used
    }
    version as u32 + 1
};

// The declared prefix ends exactly at the highest used member: no stray padding after it.
const _: () = assert!(std::mem::size_of::<OrtApi>() == (HIGHEST_USED_SLOT + 1) * std::mem::size_of::<usize>());

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Names of the function members declared in `OrtApi` (this file's own source).
    fn declared_members() -> BTreeSet<String> {
        let source = include_str!("api.rs");
        let start = source.find("pub struct OrtApi {").expect("OrtApi declaration");
        let body = &source[start..];
        let body = &body[..body.find("\n}\n").expect("end of OrtApi")];
        body.lines()
            .filter_map(|line| line.trim().strip_prefix("pub "))
            .filter_map(|rest| rest.split(':').next())
            .filter(|name| !name.contains(' '))
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn every_declared_member_has_an_offset_assertion() {
        let asserted: BTreeSet<String> = USED_SLOTS.iter().map(|(name, _)| name.to_string()).collect();
        let declared = declared_members();
        assert!(declared.len() >= 40, "parsed too few members: {declared:?}");
        assert_eq!(declared, asserted);
    }

    #[test]
    fn slot_list_has_no_duplicates() {
        let indices: BTreeSet<usize> = USED_SLOTS.iter().map(|(_, index)| *index).collect();
        assert_eq!(indices.len(), USED_SLOTS.len());
    }

    #[test]
    fn requested_version_is_the_first_that_has_the_cuda_provider_options() {
        // ReleaseCUDAProviderOptions (index 208) came after version 10 ended at 203.
        assert_eq!(HIGHEST_USED_SLOT, 208);
        assert_eq!(MIN_API_VERSION, 11);
        assert!(LAST_SLOT_OF_VERSION[MIN_API_VERSION as usize - 2] < HIGHEST_USED_SLOT);
    }
}
