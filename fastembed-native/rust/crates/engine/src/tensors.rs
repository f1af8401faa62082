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

/// The largest embedding size the engine takes from a model: real ones have at most a few thousand values
/// (flattened image features a few hundred thousand); a declared 3 000 000 000 would make every call ask
/// for gigabytes, or overflow the caller's size arithmetic.
pub const MAX_DIMENSION: usize = 1 << 18;

/// The embedding size of `output`: the size the model declares (`usize::MAX` for one that overflows), refused
/// beyond [`MAX_DIMENSION`] before anything is sized from it; a symbolic size is learnt from one small run
/// (`probe`) and bounded the same way. Every call checks the produced shape against it before reading.
pub fn embedding_dimension<F>(output: &str, declared: Option<usize>, probe: F) -> Result<usize, EngineError>
where
    F: FnOnce() -> Result<usize, EngineError>,
{
    let (size, source) = match declared {
        Some(size) => (size, "declares"),
        None => (probe()?, "produced"),
    };
    if size == 0 {
        return Err(EngineError::invalid_model(format!(
            "output '{output}' {source} empty vectors"
        )));
    }
    if size > MAX_DIMENSION {
        return Err(EngineError::invalid_model(format!(
            "output '{output}' {source} vectors of {size} values, more than the {MAX_DIMENSION} an embedding can have"
        )));
    }
    Ok(size)
}

/// The product of the declared sizes `shape`, `None` if one is symbolic, `usize::MAX` if it overflows.
pub fn declared_size(shape: &[i64]) -> Option<usize> {
    shape.iter().try_fold(1usize, |n, &d| {
        (d > 0).then(|| usize::try_from(d).map_or(usize::MAX, |d| n.saturating_mul(d)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedding_dimension_bounds_declared_and_probed_sizes() {
        let never = || -> Result<usize, EngineError> { panic!("a declared size needs no probe") };
        let err = |r: Result<usize, EngineError>| r.unwrap_err().to_string();
        assert!(err(embedding_dimension("o", Some(3_000_000_000), never)).contains("declares vectors of 3000000000"));
        assert!(err(embedding_dimension("o", Some(usize::MAX), never)).contains("more than the 262144"));
        assert!(err(embedding_dimension("o", None, || Ok(MAX_DIMENSION + 1))).contains("produced vectors of 262145"));
        assert!(err(embedding_dimension("o", None, || Ok(0))).contains("produced empty vectors"));
        assert_eq!(embedding_dimension("o", Some(384), never).unwrap(), 384);
        assert_eq!(embedding_dimension("o", None, || Ok(768)).unwrap(), 768);
    }

    #[test]
    fn declared_size_saturates_and_knows_symbolic_axes() {
        assert_eq!(declared_size(&[3, 4]), Some(12));
        assert_eq!(declared_size(&[3, -1]), None);
        assert_eq!(declared_size(&[i64::MAX, i64::MAX]), Some(usize::MAX));
        assert_eq!(declared_size(&[]), Some(1));
    }

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
