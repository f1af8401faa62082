//! Tensors going into and coming out of a session, and their element types.

use std::ffi::{c_int, c_void};
use std::fmt;
use std::ptr;

use crate::api::{
    OrtTensorTypeAndShapeInfo, OrtValue, ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL, ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16, ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32, ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8, ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8,
};
use crate::error::OrtError;
use crate::owned::{call, create, Owned};
use crate::runtime::Runtime;

/// Element type of a tensor (`ONNXTensorElementDataType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ElementType {
    Float32,
    Float16,
    Int64,
    Int32,
    Uint8,
    Int8,
    Bool,
    /// Any other ONNX element type, by its number; `Other(0)` for a value that is not a tensor.
    Other(i32),
}

impl ElementType {
    pub(crate) fn from_raw(raw: c_int) -> Self {
        match raw {
            ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT => Self::Float32,
            ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 => Self::Float16,
            ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 => Self::Int64,
            ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 => Self::Int32,
            ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 => Self::Uint8,
            ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 => Self::Int8,
            ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL => Self::Bool,
            other => Self::Other(other),
        }
    }
}

/// Name, element type and shape of a model input or output. Symbolic dimensions are -1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TensorInfo {
    pub name: String,
    pub element_type: ElementType,
    pub shape: Vec<i64>,
}

/// Reads element type and dimensions.
///
/// # Safety
/// `info` must be a live tensor type-and-shape info of `runtime`'s library.
pub(crate) unsafe fn type_and_shape(
    runtime: &Runtime,
    info: *const OrtTensorTypeAndShapeInfo,
) -> Result<(ElementType, Vec<i64>), OrtError> {
    let api = runtime.api();
    let mut raw_type: c_int = 0;
    call!(api, GetTensorElementType(info, &mut raw_type))?;
    let mut rank = 0usize;
    call!(api, GetDimensionsCount(info, &mut rank))?;
    let mut shape = vec![0i64; rank];
    call!(api, GetDimensions(info, shape.as_mut_ptr(), rank))?;
    Ok((ElementType::from_raw(raw_type), shape))
}

/// A borrowed input tensor. ONNX Runtime reads the slice in place; nothing is copied.
#[derive(Debug, Clone, Copy)]
pub enum InputTensor<'a> {
    I64 { data: &'a [i64], shape: &'a [i64] },
    F32 { data: &'a [f32], shape: &'a [i64] },
}

impl InputTensor<'_> {
    pub fn shape(&self) -> &[i64] {
        match self {
            Self::I64 { shape, .. } | Self::F32 { shape, .. } => shape,
        }
    }

    pub fn element_type(&self) -> ElementType {
        match self {
            Self::I64 { .. } => ElementType::Int64,
            Self::F32 { .. } => ElementType::Float32,
        }
    }

    fn len(&self) -> usize {
        match self {
            Self::I64 { data, .. } => data.len(),
            Self::F32 { data, .. } => data.len(),
        }
    }

    /// The shape must be non-negative and hold exactly as many elements as the data.
    fn check_shape(&self, name: &str) -> Result<(), OrtError> {
        let shape = self.shape();
        let elements = element_count(shape).ok_or_else(|| {
            OrtError::InvalidInput(format!("input '{name}': shape {shape:?} is not a valid tensor shape"))
        })?;
        if elements != self.len() {
            return Err(OrtError::InvalidInput(format!(
                "input '{name}': shape {shape:?} holds {elements} elements but {} values were given",
                self.len()
            )));
        }
        Ok(())
    }

    /// Wraps the borrowed data in an `OrtValue`, which must be released before the borrow ends.
    pub(crate) fn create_value(&self, runtime: &Runtime, name: &str) -> Result<Owned<OrtValue>, OrtError> {
        self.check_shape(name)?;
        let (data, bytes, element_type) = match self {
            Self::I64 { data, .. } => (
                data.as_ptr().cast::<c_void>(),
                std::mem::size_of_val(*data),
                ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64,
            ),
            Self::F32 { data, .. } => (
                data.as_ptr().cast::<c_void>(),
                std::mem::size_of_val(*data),
                ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT,
            ),
        };
        let shape = self.shape();
        // SAFETY: data and shape are valid for the lengths given. ONNX Runtime takes `void*` but
        // never writes to input tensors, so handing it a shared borrow is sound.
        unsafe {
            create!(
                runtime.api(),
                CreateTensorWithDataAsOrtValue(
                    runtime.cpu_memory(),
                    data.cast_mut(),
                    bytes,
                    shape.as_ptr(),
                    shape.len(),
                    element_type,
                ),
                ReleaseValue
            )
        }
    }
}

/// Number of elements of a concrete shape; `None` for negative dimensions or overflow.
fn element_count(shape: &[i64]) -> Option<usize> {
    shape
        .iter()
        .try_fold(1usize, |count, &dim| count.checked_mul(usize::try_from(dim).ok()?))
}

/// A tensor produced by [`Session::run`](crate::Session::run). Owns its `OrtValue`.
pub struct OutputTensor {
    value: Owned<OrtValue>,
    element_type: ElementType,
    shape: Vec<i64>,
    data: *const c_void,
    len: usize,
}

// SAFETY: the value is owned exclusively by this struct and only read after construction.
unsafe impl Send for OutputTensor {}
// SAFETY: as for Send.
unsafe impl Sync for OutputTensor {}

impl OutputTensor {
    pub(crate) fn new(runtime: &Runtime, value: Owned<OrtValue>) -> Result<Self, OrtError> {
        let api = runtime.api();
        // SAFETY: `value` is a live value; the info object is released by its guard.
        let (element_type, shape, data) = unsafe {
            let info = create!(
                api,
                GetTensorTypeAndShape(value.as_ptr()),
                ReleaseTensorTypeAndShapeInfo
            )?;
            let (element_type, shape) = type_and_shape(runtime, info.as_ptr())?;
            let mut data = ptr::null_mut();
            call!(api, GetTensorMutableData(value.as_ptr(), &mut data))?;
            (element_type, shape, data.cast_const())
        };
        let len = element_count(&shape).ok_or_else(|| OrtError::Ort {
            operation: "GetDimensions",
            code: crate::error::ErrorCode::Fail,
            message: format!("output tensor has no concrete shape: {shape:?}"),
        })?;
        Ok(Self {
            value,
            element_type,
            shape,
            data,
            len,
        })
    }

    pub fn shape(&self) -> &[i64] {
        &self.shape
    }

    pub fn element_type(&self) -> ElementType {
        self.element_type
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The data of a float32 tensor, in row-major order, without copying.
    pub fn as_f32(&self) -> Result<&[f32], OrtError> {
        self.typed(ElementType::Float32, "float32")
    }

    /// The data of an int64 tensor, in row-major order, without copying.
    pub fn as_i64(&self) -> Result<&[i64], OrtError> {
        self.typed(ElementType::Int64, "int64")
    }

    /// The data as float32: copied from float32, converted from float16, int64 and int32.
    pub fn to_f32_vec(&self) -> Result<Vec<f32>, OrtError> {
        Ok(match self.element_type {
            ElementType::Float32 => self.typed::<f32>(ElementType::Float32, "float32")?.to_vec(),
            ElementType::Float16 => self
                .typed::<u16>(ElementType::Float16, "float16")?
                .iter()
                .map(|&h| f16_to_f32(h))
                .collect(),
            ElementType::Int64 => self
                .typed::<i64>(ElementType::Int64, "int64")?
                .iter()
                .map(|&v| v as f32)
                .collect(),
            ElementType::Int32 => self
                .typed::<i32>(ElementType::Int32, "int32")?
                .iter()
                .map(|&v| v as f32)
                .collect(),
            actual => {
                return Err(OrtError::WrongElementType {
                    actual,
                    requested: "float32, float16, int64 or int32",
                })
            }
        })
    }

    /// The data as `T`, which the caller pairs with `expected`.
    fn typed<T>(&self, expected: ElementType, requested: &'static str) -> Result<&[T], OrtError> {
        if self.element_type != expected {
            return Err(OrtError::WrongElementType {
                actual: self.element_type,
                requested,
            });
        }
        if self.len == 0 {
            return Ok(&[]);
        }
        if self.data.is_null() || !(self.data as usize).is_multiple_of(std::mem::align_of::<T>()) {
            return Err(OrtError::Ort {
                operation: "GetTensorMutableData",
                code: crate::error::ErrorCode::Fail,
                message: format!("tensor data at {:p} is not usable as {requested}", self.data),
            });
        }
        // SAFETY: the value holds `len` elements of `expected`'s type (T) at `data`, aligned and
        // alive as long as `self.value`, which this borrow cannot outlive.
        Ok(unsafe { std::slice::from_raw_parts(self.data.cast::<T>(), self.len) })
    }
}

impl fmt::Debug for OutputTensor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutputTensor")
            .field("element_type", &self.element_type)
            .field("shape", &self.shape)
            .field("value", &self.value.as_ptr())
            .finish()
    }
}

/// IEEE 754 half precision to single precision; exact for every input.
fn f16_to_f32(half: u16) -> f32 {
    let sign = u32::from(half >> 15) << 31;
    let exponent = u32::from((half >> 10) & 0x1f);
    let mantissa = u32::from(half & 0x3ff);
    let bits = match (exponent, mantissa) {
        (0, 0) => sign,
        (0, _) => {
            // Subnormal: mantissa * 2^-24. Renormalise into a float32 exponent.
            let shift = mantissa.leading_zeros() - 21; // moves the top set bit to bit 10
            let mantissa = (mantissa << shift) & 0x3ff;
            let exponent = 127 - 15 + 1 - shift;
            sign | (exponent << 23) | (mantissa << 13)
        }
        (0x1f, _) => sign | 0x7f80_0000 | (mantissa << 13),
        _ => sign | ((exponent + 127 - 15) << 23) | (mantissa << 13),
    };
    f32::from_bits(bits)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value of a half-precision bit pattern by the IEEE 754 definition, in f64.
    fn half_by_definition(half: u16) -> f64 {
        let sign = if half >> 15 == 1 { -1.0 } else { 1.0 };
        let exponent = i32::from((half >> 10) & 0x1f);
        let fraction = f64::from(half & 0x3ff) / 1024.0;
        match exponent {
            0 => sign * fraction * 2f64.powi(-14),
            0x1f if fraction == 0.0 => sign * f64::INFINITY,
            0x1f => f64::NAN,
            _ => sign * (1.0 + fraction) * 2f64.powi(exponent - 15),
        }
    }

    #[test]
    fn every_half_converts_to_its_exact_value() {
        for half in 0..=u16::MAX {
            let converted = f16_to_f32(half);
            let expected = half_by_definition(half);
            if expected.is_nan() {
                assert!(converted.is_nan(), "{half:#06x}");
            } else {
                assert_eq!(f64::from(converted), expected, "{half:#06x}");
                assert_eq!(converted.is_sign_negative(), half >> 15 == 1, "{half:#06x}");
            }
        }
    }

    #[test]
    fn element_count_rejects_negative_and_overflowing_shapes() {
        assert_eq!(element_count(&[2, 3, 4]), Some(24));
        assert_eq!(element_count(&[]), Some(1));
        assert_eq!(element_count(&[2, 0]), Some(0));
        assert_eq!(element_count(&[2, -1]), None);
        assert_eq!(element_count(&[i64::MAX, i64::MAX]), None);
    }

    #[test]
    fn shape_must_match_data_length() {
        let data = [1i64, 2, 3, 4, 5, 6];
        let good = InputTensor::I64 {
            data: &data,
            shape: &[2, 3],
        };
        assert!(good.check_shape("ids").is_ok());

        let short = InputTensor::I64 {
            data: &data,
            shape: &[2, 4],
        };
        let message = short.check_shape("ids").unwrap_err().to_string();
        assert!(
            message.contains("ids") && message.contains("8") && message.contains("6"),
            "{message}"
        );

        let floats = [0f32; 3];
        let negative = InputTensor::F32 {
            data: &floats,
            shape: &[-1, 3],
        };
        assert!(matches!(negative.check_shape("x"), Err(OrtError::InvalidInput(_))));
    }

    #[test]
    fn element_type_numbers_follow_the_header() {
        assert_eq!(ElementType::from_raw(1), ElementType::Float32);
        assert_eq!(ElementType::from_raw(7), ElementType::Int64);
        assert_eq!(ElementType::from_raw(10), ElementType::Float16);
        assert_eq!(ElementType::from_raw(8), ElementType::Other(8)); // string
    }
}
