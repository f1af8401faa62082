//! BM25 parameters, with fastembed's defaults.

use crate::Bm25Error;

/// The parameters of fastembed's `Bm25` (Python keyword names in brackets).
#[derive(Debug, Clone, PartialEq)]
pub struct Bm25Config {
    /// Term-frequency saturation [`k`]; finite and >= 0.
    pub k1: f32,
    /// Weight of the document length [`b`]; in 0..=1.
    pub b: f32,
    /// Average document length in tokens [`avg_len`]; finite and > 0.
    pub avg_len: f32,
    /// Stemmer and stopword language, a fastembed name such as `"english"` (case ignored).
    pub language: String,
    /// Longer tokens (in characters) are dropped.
    pub token_max_length: usize,
    /// No stemming and no stopwords; any `language` is accepted then, as in fastembed.
    pub disable_stemmer: bool,
    /// The user's stopwords, replacing the language's list (also with `disable_stemmer`, as when a
    /// fastembed user sets `model.stopwords`). Compared with the lowercased word before stemming,
    /// so entries are lowercased here; `None` keeps the language's list.
    pub stopwords: Option<Vec<String>>,
}

impl Default for Bm25Config {
    fn default() -> Self {
        Bm25Config {
            k1: 1.2,
            b: 0.75,
            avg_len: 256.0,
            language: "english".to_owned(),
            token_max_length: 40,
            disable_stemmer: false,
            stopwords: None,
        }
    }
}

impl Bm25Config {
    /// Rejects parameters for which a weight could be zero, negative or not finite.
    pub(crate) fn validate(&self) -> Result<(), Bm25Error> {
        if !(self.k1.is_finite() && self.k1 >= 0.0) {
            return Err(invalid(format!("k1 must be finite and >= 0, got {}", self.k1)));
        }
        if !(0.0..=1.0).contains(&self.b) {
            return Err(invalid(format!("b must be within 0..=1, got {}", self.b)));
        }
        if !(self.avg_len.is_finite() && self.avg_len > 0.0) {
            return Err(invalid(format!("avg_len must be finite and > 0, got {}", self.avg_len)));
        }
        Ok(())
    }
}

fn invalid(message: String) -> Bm25Error {
    Bm25Error::InvalidConfig(message)
}

/// Widens an `f32` parameter through its shortest decimal form, so that `1.2f32` means the same
/// `1.2` as fastembed's Python float rather than `1.2000000476837158`.
pub(crate) fn widen(x: f32) -> f64 {
    x.to_string().parse().unwrap_or(f64::from(x))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widening_keeps_the_decimal_value() {
        assert_eq!(widen(1.2), 1.2f64);
        assert_eq!(widen(0.75), 0.75f64);
        assert_eq!(widen(256.0), 256.0f64);
    }

    #[test]
    fn rejects_out_of_range_parameters() {
        let bad = [
            Bm25Config {
                k1: -0.1,
                ..Default::default()
            },
            Bm25Config {
                k1: f32::NAN,
                ..Default::default()
            },
            Bm25Config {
                b: 1.5,
                ..Default::default()
            },
            Bm25Config {
                b: f32::NAN,
                ..Default::default()
            },
            Bm25Config {
                avg_len: 0.0,
                ..Default::default()
            },
            Bm25Config {
                avg_len: f32::INFINITY,
                ..Default::default()
            },
        ];
        for config in bad {
            assert!(
                matches!(config.validate(), Err(Bm25Error::InvalidConfig(_))),
                "{config:?}"
            );
        }
        assert!(Bm25Config::default().validate().is_ok());
    }
}
