//! Reading model outputs as float32 whatever their element type, and checking their shapes.

use crate::error::EngineError;
use fastembed_ort::{ElementType, OutputTensor};
use std::borrow::Cow;

/// The output's data as float32: borrowed from a float32 tensor, converted from float16 and integer ones.
pub fn float_data(output: &OutputTensor) -> Result<Cow<'_, [f32]>, EngineError> {
    Ok(match output.element_type() {
        ElementType::Float32 => Cow::Borrowed(output.as_f32()?),
        _ => Cow::Owned(output.to_f32_vec()?),
    })
}

/// The output's dimensions, checked against what the pipeline expects (`None` = any size).
pub fn dimensions(name: &str, shape: &[i64], expected: &[Option<usize>]) -> Result<Vec<usize>, EngineError> {
    let dims: Vec<usize> = shape.iter().map(|&d| d.max(0) as usize).collect();
    let matches = dims.len() == expected.len() && dims.iter().zip(expected).all(|(d, e)| e.is_none() || *e == Some(*d));
    if !matches {
        let wanted: Vec<String> = expected
            .iter()
            .map(|e| e.map_or("any".to_string(), |e| e.to_string()))
            .collect();
        return Err(EngineError::invalid_model(format!(
            "output '{name}' has shape {shape:?}, expected [{}]",
            wanted.join(", ")
        )));
    }
    Ok(dims)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dimensions_accept_matching_shapes() {
        assert_eq!(
            dimensions("x", &[2, 5, 7], &[Some(2), None, Some(7)]).unwrap(),
            vec![2, 5, 7]
        );
    }

    #[test]
    fn dimensions_reject_other_ranks_and_sizes_naming_both() {
        let err = dimensions("logits", &[2, 5], &[Some(2), None, None]).unwrap_err();
        assert!(
            err.message().contains("'logits'") && err.message().contains("[2, any, any]"),
            "{}",
            err.message()
        );
        assert!(dimensions("x", &[3, 1], &[Some(2), None]).is_err());
    }
}
