//! A loaded model: its declared inputs and outputs, and running it.

use std::ffi::{c_char, CStr, CString};
use std::fmt;
use std::path::Path;
use std::ptr;

use crate::api::{OrtAllocator, OrtApi, OrtChar, OrtSession, OrtTypeInfo, OrtValue, Status};
use crate::error::{check, OrtError};
use crate::gate::RunGate;
use crate::options::SessionOptions;
use crate::owned::{call, create, no_object, Owned};
use crate::run_options::RunOptions;
use crate::runtime::Runtime;
use crate::tensor::{type_and_shape, ElementType, InputTensor, OutputTensor, TensorInfo};

/// An ONNX model ready to run. `run` may be called from many threads at once (`OrtSession::Run` is
/// thread-safe); the session is released when dropped.
pub struct Session {
    runtime: &'static Runtime,
    raw: Owned<OrtSession>,
    inputs: Vec<TensorInfo>,
    outputs: Vec<TensorInfo>,
    gate: RunGate,
}

// SAFETY: ONNX Runtime allows concurrent Run calls on one session; the metadata is immutable.
unsafe impl Send for Session {}
// SAFETY: as for Send.
unsafe impl Sync for Session {}

impl Session {
    /// Loads a model file. A missing or unreadable model is an error carrying ONNX Runtime's message.
    pub fn from_file(
        runtime: &'static Runtime,
        model_path: &Path,
        options: &SessionOptions,
    ) -> Result<Session, OrtError> {
        let path = native_path(model_path)?;
        let api = runtime.api();
        let built = options.build(api)?;
        // SAFETY: the path is NUL-terminated; env and options are live.
        let raw = unsafe {
            create!(
                api,
                CreateSession(runtime.env(), path.as_ptr(), built.as_ptr()),
                ReleaseSession
            )?
        };
        Self::describe(runtime, raw, options)
    }

    /// Loads a model from its bytes, which ONNX Runtime copies.
    pub fn from_memory(runtime: &'static Runtime, bytes: &[u8], options: &SessionOptions) -> Result<Session, OrtError> {
        if bytes.is_empty() {
            return Err(OrtError::InvalidInput("model bytes are empty".to_owned()));
        }
        let api = runtime.api();
        let built = options.build(api)?;
        // SAFETY: the slice is valid for its length; env and options are live.
        let raw = unsafe {
            create!(
                api,
                CreateSessionFromArray(runtime.env(), bytes.as_ptr().cast(), bytes.len(), built.as_ptr()),
                ReleaseSession
            )?
        };
        Self::describe(runtime, raw, options)
    }

    pub fn inputs(&self) -> &[TensorInfo] {
        &self.inputs
    }

    pub fn outputs(&self) -> &[TensorInfo] {
        &self.outputs
    }

    /// The declared shape of output `name` (a symbolic axis is -1), if the model has that output.
    pub fn output_shape(&self, name: &str) -> Option<&[i64]> {
        declared_info(&self.outputs, name, "output")
            .ok()
            .map(|info| info.shape.as_slice())
    }

    /// Runs the model with named inputs and returns the requested outputs in the order asked.
    ///
    /// Before anything reaches ONNX Runtime, the inputs are checked against the model: every
    /// declared input given once, each with the declared element type and a shape that matches its
    /// data length; and every output name must be declared. ONNX Runtime reports the rest (e.g. a
    /// wrong rank or a dimension the model fixes).
    pub fn run(
        &self,
        inputs: &[(&str, InputTensor<'_>)],
        output_names: &[&str],
    ) -> Result<Vec<OutputTensor>, OrtError> {
        self.run_with(None, inputs, output_names)
    }

    /// [`Session::run`] with run options, whose terminate flag can stop the run from another thread.
    pub fn run_with(
        &self,
        options: Option<&RunOptions>,
        inputs: &[(&str, InputTensor<'_>)],
        output_names: &[&str],
    ) -> Result<Vec<OutputTensor>, OrtError> {
        check_inputs(&self.inputs, inputs)?;
        let input_names = inputs
            .iter()
            .map(|(name, _)| c_name(name))
            .collect::<Result<Vec<_>, _>>()?;
        let output_cnames = output_names
            .iter()
            .map(|name| declared_info(&self.outputs, name, "output").and_then(|_| c_name(name)))
            .collect::<Result<Vec<_>, _>>()?;
        // The values borrow the callers' slices; they are released before this function returns.
        let values = inputs
            .iter()
            .map(|(name, tensor)| tensor.create_value(self.runtime, name))
            .collect::<Result<Vec<_>, _>>()?;

        let input_name_ptrs: Vec<*const c_char> = input_names.iter().map(|n| n.as_ptr()).collect();
        let value_ptrs: Vec<*const OrtValue> = values.iter().map(|v| v.as_ptr().cast_const()).collect();
        let output_name_ptrs: Vec<*const c_char> = output_cnames.iter().map(|n| n.as_ptr()).collect();
        let mut produced: Vec<*mut OrtValue> = vec![ptr::null_mut(); output_name_ptrs.len()];

        let api = self.runtime.api();
        let turn = self.gate.enter();
        // SAFETY: every array has the length passed with it and outlives the call; so do the run options.
        let status = unsafe {
            (api.Run)(
                self.raw.as_ptr(),
                options.map_or(ptr::null(), RunOptions::as_ptr),
                input_name_ptrs.as_ptr(),
                value_ptrs.as_ptr(),
                value_ptrs.len(),
                output_name_ptrs.as_ptr(),
                output_name_ptrs.len(),
                produced.as_mut_ptr(),
            )
        };
        drop(turn);
        // Own whatever was produced before looking at the status, so nothing leaks on any path.
        // SAFETY: non-null entries are new values handed to the caller.
        let produced: Vec<Option<Owned<OrtValue>>> = produced
            .into_iter()
            .map(|value| unsafe { Owned::from_raw(value, api.ReleaseValue) })
            .collect();
        // SAFETY: `status` was just returned by Run.
        unsafe { check(api, status, "Run")? };
        produced
            .into_iter()
            .map(|value| OutputTensor::new(self.runtime, value.ok_or_else(|| no_object("Run"))?))
            .collect()
    }

    /// Reads the declared inputs and outputs of a new session.
    fn describe(
        runtime: &'static Runtime,
        raw: Owned<OrtSession>,
        options: &SessionOptions,
    ) -> Result<Session, OrtError> {
        let inputs = declared(runtime, raw.as_ptr(), Side::Input)?;
        let outputs = declared(runtime, raw.as_ptr(), Side::Output)?;
        Ok(Session {
            runtime,
            raw,
            inputs,
            outputs,
            gate: RunGate::new(options.max_concurrent_runs),
        })
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("inputs", &self.inputs)
            .field("outputs", &self.outputs)
            .finish()
    }
}

/// The declared input or output named `name`.
fn declared_info<'a>(declared: &'a [TensorInfo], name: &str, side: &str) -> Result<&'a TensorInfo, OrtError> {
    declared.iter().find(|info| info.name == name).ok_or_else(|| {
        let names: Vec<&str> = declared.iter().map(|info| info.name.as_str()).collect();
        OrtError::InvalidInput(format!(
            "the model has no {side} named '{name}'; its {side}s are {names:?}"
        ))
    })
}

/// Every declared input given exactly once, with its declared element type.
fn check_inputs(declared: &[TensorInfo], inputs: &[(&str, InputTensor<'_>)]) -> Result<(), OrtError> {
    for (position, (name, tensor)) in inputs.iter().enumerate() {
        let info = declared_info(declared, name, "input")?;
        if inputs[..position].iter().any(|(earlier, _)| earlier == name) {
            return Err(OrtError::InvalidInput(format!(
                "input '{name}' is given more than once"
            )));
        }
        let expected = info.element_type;
        if expected != ElementType::Other(0) && expected != tensor.element_type() {
            return Err(OrtError::InvalidInput(format!(
                "input '{name}' must be {expected:?} but {:?} was given",
                tensor.element_type()
            )));
        }
    }
    let missing: Vec<&str> = declared
        .iter()
        .map(|info| info.name.as_str())
        .filter(|name| !inputs.iter().any(|(given, _)| given == name))
        .collect();
    if !missing.is_empty() {
        return Err(OrtError::InvalidInput(format!("inputs {missing:?} are missing")));
    }
    Ok(())
}

fn c_name(name: &str) -> Result<CString, OrtError> {
    CString::new(name).map_err(|_| OrtError::InvalidInput(format!("name {name:?} contains a NUL byte")))
}

#[derive(Clone, Copy)]
enum Side {
    Input,
    Output,
}

/// The functions describing one side of a session, each with its name for error messages.
struct Describers {
    count: (
        unsafe extern "system" fn(*const OrtSession, *mut usize) -> Status,
        &'static str,
    ),
    name: (
        unsafe extern "system" fn(*const OrtSession, usize, *mut OrtAllocator, *mut *mut c_char) -> Status,
        &'static str,
    ),
    type_info: (
        unsafe extern "system" fn(*const OrtSession, usize, *mut *mut OrtTypeInfo) -> Status,
        &'static str,
    ),
}

impl Side {
    fn describers(self, api: &OrtApi) -> Describers {
        match self {
            Side::Input => Describers {
                count: (api.SessionGetInputCount, "SessionGetInputCount"),
                name: (api.SessionGetInputName, "SessionGetInputName"),
                type_info: (api.SessionGetInputTypeInfo, "SessionGetInputTypeInfo"),
            },
            Side::Output => Describers {
                count: (api.SessionGetOutputCount, "SessionGetOutputCount"),
                name: (api.SessionGetOutputName, "SessionGetOutputName"),
                type_info: (api.SessionGetOutputTypeInfo, "SessionGetOutputTypeInfo"),
            },
        }
    }
}

fn declared(runtime: &Runtime, session: *const OrtSession, side: Side) -> Result<Vec<TensorInfo>, OrtError> {
    let api = runtime.api();
    let Describers {
        count: (count_fn, count_op),
        name: (name_fn, name_op),
        type_info: (type_fn, type_op),
    } = side.describers(api);
    // SAFETY: the session is live; every object obtained is released by a guard.
    unsafe {
        let mut count = 0usize;
        check(api, count_fn(session, &mut count), count_op)?;
        (0..count)
            .map(|index| {
                let mut name = ptr::null_mut();
                let status = name_fn(session, index, runtime.allocator(), &mut name);
                let name = AllocatedName { runtime, ptr: name };
                check(api, status, name_op)?;
                let name = name.to_string().ok_or_else(|| no_object(name_op))?;

                let mut type_info = ptr::null_mut();
                let status = type_fn(session, index, &mut type_info);
                let type_info = Owned::from_raw(type_info, api.ReleaseTypeInfo);
                check(api, status, type_op)?;
                let type_info = type_info.ok_or_else(|| no_object(type_op))?;

                let mut tensor_info = ptr::null();
                call!(api, CastTypeInfoToTensorInfo(type_info.as_ptr(), &mut tensor_info))?;
                let (element_type, shape) = if tensor_info.is_null() {
                    (ElementType::Other(0), Vec::new()) // a sequence or map, not a tensor
                } else {
                    type_and_shape(runtime, tensor_info)?
                };
                Ok(TensorInfo {
                    name,
                    element_type,
                    shape,
                })
            })
            .collect()
    }
}

/// A string ONNX Runtime allocated with the default allocator; freed with it on drop.
struct AllocatedName<'a> {
    runtime: &'a Runtime,
    ptr: *mut c_char,
}

impl AllocatedName<'_> {
    fn to_string(&self) -> Option<String> {
        // SAFETY: a non-null pointer is a NUL-terminated string from ONNX Runtime.
        (!self.ptr.is_null()).then(|| unsafe { CStr::from_ptr(self.ptr) }.to_string_lossy().into_owned())
    }
}

impl Drop for AllocatedName<'_> {
    fn drop(&mut self) {
        if self.ptr.is_null() {
            return;
        }
        let api = self.runtime.api();
        // SAFETY: the string came from this allocator and is freed once. A failed free cannot be
        // reported from drop; its status is still released.
        unsafe {
            let status = (api.AllocatorFree)(self.runtime.allocator(), self.ptr.cast());
            let _ = check(api, status, "AllocatorFree");
        }
    }
}

/// The model path as ONNX Runtime's `ORTCHAR_T` string, NUL-terminated: UTF-16 on Windows, the
/// path's bytes elsewhere.
pub(crate) fn native_path(path: &Path) -> Result<Vec<OrtChar>, OrtError> {
    #[cfg(windows)]
    let mut units: Vec<OrtChar> = {
        use std::os::windows::ffi::OsStrExt;
        path.as_os_str().encode_wide().collect()
    };
    #[cfg(unix)]
    let mut units: Vec<OrtChar> = {
        use std::os::unix::ffi::OsStrExt;
        path.as_os_str()
            .as_bytes()
            .iter()
            .map(|&byte| byte as OrtChar)
            .collect()
    };
    #[cfg(not(any(unix, windows)))]
    let mut units: Vec<OrtChar> = {
        let text = path
            .to_str()
            .ok_or_else(|| OrtError::InvalidInput(format!("model path {path:?} is not UTF-8")))?;
        text.bytes().map(|byte| byte as OrtChar).collect()
    };
    if units.contains(&0) {
        return Err(OrtError::InvalidInput(format!(
            "model path {path:?} contains a NUL character"
        )));
    }
    units.push(0);
    Ok(units)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn native_path_is_nul_terminated_and_rejects_inner_nul() {
        let path = native_path(Path::new("/models/bge.onnx")).unwrap();
        assert_eq!(path.len(), "/models/bge.onnx".len() + 1);
        assert_eq!(path.last(), Some(&0));
        assert!(matches!(
            native_path(Path::new("/models/a\0b.onnx")),
            Err(OrtError::InvalidInput(_))
        ));
    }

    fn bert_inputs() -> Vec<TensorInfo> {
        ["input_ids", "attention_mask"]
            .map(|name| TensorInfo {
                name: name.into(),
                element_type: ElementType::Int64,
                shape: vec![-1, -1],
            })
            .to_vec()
    }

    fn ids(data: &[i64]) -> InputTensor<'_> {
        InputTensor::I64 { data, shape: &[1, 2] }
    }

    #[test]
    fn unknown_names_are_rejected_with_the_declared_ones() {
        let declared = bert_inputs();
        assert_eq!(
            declared_info(&declared, "input_ids", "input").unwrap().name,
            "input_ids"
        );
        let message = declared_info(&declared, "ids", "input").unwrap_err().to_string();
        assert!(
            message.contains("'ids'") && message.contains("attention_mask"),
            "{message}"
        );
    }

    #[test]
    fn inputs_must_cover_the_model_once_each_with_its_types() {
        let declared = bert_inputs();
        let data = [1i64, 2];
        let floats = [1f32, 2.0];
        assert!(check_inputs(&declared, &[("attention_mask", ids(&data)), ("input_ids", ids(&data))]).is_ok());

        let missing = check_inputs(&declared, &[("input_ids", ids(&data))])
            .unwrap_err()
            .to_string();
        assert!(missing.contains("attention_mask"), "{missing}");

        let twice = check_inputs(&declared, &[("input_ids", ids(&data)), ("input_ids", ids(&data))]);
        assert!(twice.unwrap_err().to_string().contains("more than once"));

        let float_ids = InputTensor::F32 {
            data: &floats,
            shape: &[1, 2],
        };
        let wrong_type = check_inputs(&declared, &[("input_ids", float_ids), ("attention_mask", ids(&data))]);
        let message = wrong_type.unwrap_err().to_string();
        assert!(
            message.contains("input_ids") && message.contains("Int64") && message.contains("Float32"),
            "{message}"
        );
    }
}
