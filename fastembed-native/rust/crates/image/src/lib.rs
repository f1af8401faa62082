//! Image input for fastembed's image embedding models (CLIP ViT-B-32 vision, ResNet-50,
//! Unicom, nomic-embed-vision, Jina CLIP, SigLIP): decoding with size limits, then the
//! preprocessing their `preprocessor_config.json` describes, reproducing fastembed's
//! Pillow-based pipeline down to the rounding of intermediate pixels.
//!
//! ```no_run
//! use fastembed_image::{ImageLimits, Preprocessor};
//! # fn main() -> Result<(), fastembed_image::ImageError> {
//! let pre = Preprocessor::from_config_file("preprocessor_config.json".as_ref())?;
//! let (c, h, w) = pre.output_shape();
//! let mut tensor = vec![0.0f32; c * h * w];
//! pre.process_bytes(&std::fs::read("cat.jpg").unwrap(), &ImageLimits::default(), &mut tensor)?;
//! # Ok(()) }
//! ```
//!
//! # How close to fastembed
//!
//! Measured against Pillow 9.4 and numpy (tests/pil_parity.rs):
//! - preprocessing (resize with every PIL filter, shortest-edge rule, center crop with padding,
//!   pad-to-square, rescale, normalize) gives bit-identical float tensors;
//! - PNG, GIF, BMP, TIFF and lossless WebP decode to identical pixels, including palette,
//!   1-bit, grey, alpha and 16-bit variants;
//! - JPEG differs by a few levels (jpeg-decoder is not libjpeg-turbo: IDCT and chroma
//!   upsampling round differently);
//! - lossy WebP uses libwebp's own Y'CbCr to RGB conversion, but the `image` crate's VP8
//!   decoder is not bit-exact at some block edges, so a few pixels differ.
//!
//! EXIF orientation is not applied (fastembed does not apply it either).
#![forbid(unsafe_code)]

mod config;
mod decode;
mod error;
mod format;
mod gif_canvas;
mod header;
mod idefics3;
mod limits;
mod preprocessor;
mod resample;
mod webp_lossy;

pub use decode::decode;
pub use error::ImageError;
pub use format::Format;
pub use idefics3::{FrameGrid, Frames, Idefics3Preprocessor};
pub use image;
pub use limits::ImageLimits;
pub use preprocessor::Preprocessor;
