use std::path::PathBuf;

use crate::format::Format;

/// Everything that can go wrong between image bytes (or a config file) and a model tensor.
///
/// Messages name the problem and, where it helps, the numbers involved, because they travel
/// up to Java users who cannot look at the bytes themselves.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("image data is empty (0 bytes)")]
    Empty,

    #[error("image data is {len} bytes, more than the limit of {max} bytes")]
    TooManyBytes { len: usize, max: usize },

    #[error("unrecognised image data: not PNG, JPEG, WebP, GIF, BMP or TIFF (starts with {magic})")]
    UnknownFormat { magic: String },

    #[error("unsupported image format {name}: only PNG, JPEG, WebP, GIF, BMP and TIFF are decoded")]
    UnsupportedFormat { name: &'static str },

    #[error("{format} data is truncated: {what}")]
    Truncated { format: Format, what: &'static str },

    #[error("{format} data is corrupt: {reason}")]
    Corrupt { format: Format, reason: String },

    #[error("{format} image has zero size ({width}x{height})")]
    ZeroSize { format: Format, width: u64, height: u64 },

    #[error("{format} image of {width}x{height} exceeds the limit of {max_side} pixels per side")]
    SideTooLarge {
        format: Format,
        width: u64,
        height: u64,
        max_side: u32,
    },

    #[error("{format} image of {width}x{height} ({pixels} pixels) exceeds the limit of {max_pixels} pixels")]
    TooManyPixels {
        format: Format,
        width: u64,
        height: u64,
        pixels: u64,
        max_pixels: u64,
    },

    #[error("{format} frames total {pixels} pixels, more than the limit of {max_pixels} pixels")]
    FramesTooLarge {
        format: Format,
        frames: usize,
        pixels: u64,
        max_pixels: u64,
    },

    #[error("the {format} decoder would need more memory than allowed: {detail}")]
    DecoderLimit { format: Format, detail: String },

    #[error("{format} image uses a feature this decoder does not support: {detail}")]
    UnsupportedFeature { format: Format, detail: String },

    #[error("the {format} decoder panicked on malformed input")]
    DecoderPanicked { format: Format },

    #[error("invalid preprocessor config: {0}")]
    Config(String),

    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },

    #[error("output buffer holds {actual} floats but the preprocessor writes {expected} (C*H*W)")]
    OutputLength { expected: usize, actual: usize },

    #[error("input image has zero size ({width}x{height})")]
    EmptyImage { width: u32, height: u32 },

    #[error("preprocessing failed: {0}")]
    Internal(String),
}

impl ImageError {
    pub(crate) fn config(message: impl Into<String>) -> Self {
        ImageError::Config(message.into())
    }

    pub(crate) fn corrupt(format: Format, reason: impl Into<String>) -> Self {
        ImageError::Corrupt {
            format,
            reason: reason.into(),
        }
    }
}
