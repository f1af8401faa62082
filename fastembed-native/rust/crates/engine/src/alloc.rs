//! Buffers whose size comes from the input or a model file: Rust's allocator aborts the process when memory
//! runs out (the panic boundary cannot catch that), so these are reserved fallibly and a refusal becomes a
//! `Resource` error the caller sees.

use crate::error::{EngineError, ErrorKind};

/// `len` zeroed values; `what` names the buffer in the error.
pub fn zeroed<T: Copy + Default>(len: usize, what: &str) -> Result<Vec<T>, EngineError> {
    let mut buffer = Vec::new();
    buffer.try_reserve_exact(len).map_err(|_| {
        EngineError::new(
            ErrorKind::Resource,
            format!(
                "not enough memory for the {what}: {len} values of {} bytes",
                std::mem::size_of::<T>()
            ),
        )
    })?;
    buffer.resize(len, T::default());
    Ok(buffer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_no_memory_can_hold_are_resource_errors() {
        let overflow = zeroed::<f32>(usize::MAX / 2, "pixels").unwrap_err();
        assert_eq!(overflow.kind(), ErrorKind::Resource);
        // 64 TiB: more than any machine running this has, refused by the OS rather than aborting.
        let error = zeroed::<f32>(1 << 44, "pixels").unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Resource);
        assert!(error
            .to_string()
            .contains("not enough memory for the pixels: 17592186044416 values of 4 bytes"));
        assert_eq!(zeroed::<f32>(3, "pixels").unwrap(), [0.0; 3]);
    }
}
