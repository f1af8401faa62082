//! Image embeddings: decode and preprocess a batch in parallel → NCHW f32 tensor → ONNX Runtime →
//! pool → L2-normalize, as fastembed runs CLIP ViT-B/32 vision, ResNet-50, Unicom and nomic-embed-vision.

use crate::alloc::zeroed;
use crate::error::{EngineError, ErrorKind};
use crate::options::ModelOptions;
use crate::pooling::{l2_normalize, pool_tokens, Pooling};
use crate::runs::ModelSession;
use crate::session::open_single_run_session;
use crate::tensors::{declared_size, embedding_dimension};
use fastembed_image::{ImageError, ImageLimits, Preprocessor};
use fastembed_ort::{ElementType, InputTensor, Session};
use rayon::prelude::*;
use std::io::Read;
use std::path::Path;

/// Images per ONNX Runtime run unless configured (fastembed's default for images).
pub const DEFAULT_IMAGE_BATCH_SIZE: usize = 16;
/// The input fed when the model declares it; otherwise the model's only input (as fastembed takes the first).
const PIXEL_INPUT: &str = "pixel_values";
/// Outputs preferred when a model has several, as fastembed-rs picks them.
const PREFERRED_OUTPUTS: [&str; 2] = ["image_embeds", "last_hidden_state"];

/// One image to embed: encoded bytes, or a file holding them.
#[derive(Debug, Clone, Copy)]
pub enum ImageSource<'a> {
    Bytes(&'a [u8]),
    File(&'a Path),
}

pub struct ImageEmbedder {
    session: ModelSession,
    pixels: ImagePixels,
    input: String,
    output: String,
    /// How a row of the output becomes one vector.
    reduction: Reduction,
    normalize: bool,
    batch_size: usize,
    dimension: usize,
}

/// How the selected output is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reduction {
    /// `[batch, dim]`: one vector per image already.
    Rows,
    /// `[batch, tokens, dim]` (ViT hidden states): pooled, CLS by default as fastembed-rs does.
    Tokens(Pooling),
    /// `[batch, d1, d2, ...]`: flattened per image, as fastembed's `reshape(len(images), -1)`.
    Flatten,
}

impl ImageEmbedder {
    pub fn new(options: &ModelOptions) -> Result<ImageEmbedder, EngineError> {
        let pixels = ImagePixels::new(options)?;
        let session = open_single_run_session(options.require_model_file()?, options)?;
        let input = select_input(&session, &pixels.preprocessor)?;
        let output = select_output(&session, options.output_name.as_deref())?;
        let shape = session.output_shape(&output).expect("selected output exists").to_vec();
        let pooling = options
            .pooling
            .as_deref()
            .map(Pooling::parse)
            .transpose()?
            .unwrap_or(Pooling::Cls);
        let reduction = match shape.len() {
            2 => Reduction::Rows,
            3 => Reduction::Tokens(pooling),
            n if n > 3 => Reduction::Flatten,
            n => {
                return Err(EngineError::invalid_model(format!(
                    "output '{output}' has rank {n}; an image embedding output is [batch, dim], \
                     [batch, tokens, dim] or [batch, ...] to flatten"
                )))
            }
        };
        let declared = match reduction {
            Reduction::Rows | Reduction::Tokens(_) => declared_size(&shape[shape.len().saturating_sub(1)..]),
            Reduction::Flatten => declared_size(&shape[1..]),
        };
        let mut embedder = ImageEmbedder {
            session,
            pixels,
            input,
            output,
            reduction,
            normalize: options.normalize.unwrap_or(true),
            batch_size: options.batch_size.unwrap_or(DEFAULT_IMAGE_BATCH_SIZE),
            dimension: 0,
        };
        embedder.dimension = embedding_dimension(&embedder.output, declared, || embedder.probe_dimension())?;
        Ok(embedder)
    }

    pub fn dimension(&self) -> usize {
        self.dimension
    }

    /// Stops the ONNX Runtime runs under way on this model; their calls fail with `Cancelled`.
    pub fn cancel_runs(&self) {
        self.session.cancel_runs();
    }

    /// How the model's ONNX Runtime session was set up (execution provider, optimized graph); None before a
    /// lazily loaded model is loaded, or without a model.
    pub fn session_info(&self) -> Option<crate::session::SessionInfo> {
        Some(self.session.info().clone())
    }

    pub fn limits(&self) -> &ImageLimits {
        &self.pixels.limits
    }

    /// Embeds `images` into `out` (`images.len() * dimension` floats, row per image in input order).
    ///
    /// A failing image fails the call with a message naming its index (and path); the model stays usable.
    pub fn embed_into(&self, images: &[ImageSource<'_>], out: &mut [f32]) -> Result<(), EngineError> {
        let expected = images.len().saturating_mul(self.dimension);
        if out.len() != expected {
            return Err(EngineError::invalid_argument(format!(
                "output buffer holds {} floats, {} images of dimension {} need {expected}",
                out.len(),
                images.len(),
                self.dimension
            )));
        }
        self.pixels.check_files(images)?;
        let (channels, height, width) = self.pixels.preprocessor.output_shape();
        for (batch_number, batch) in images.chunks(self.batch_size.max(1)).enumerate() {
            let first = batch_number * self.batch_size.max(1);
            let pixels = self.pixels.batch(batch, first)?;
            let shape = [batch.len() as i64, channels as i64, height as i64, width as i64];
            let outputs = self.session.run(
                &[(
                    self.input.as_str(),
                    InputTensor::F32 {
                        data: &pixels,
                        shape: &shape,
                    },
                )],
                &[self.output.as_str()],
            )?;
            let values = outputs[0].as_f32()?;
            let rows = &mut out[first * self.dimension..(first + batch.len()) * self.dimension];
            self.read_rows(outputs[0].shape(), values, batch.len(), rows)?;
        }
        Ok(())
    }

    /// Convenience for Rust callers and tests.
    pub fn embed(&self, images: &[ImageSource<'_>]) -> Result<Vec<Vec<f32>>, EngineError> {
        let mut flat = vec![0.0; images.len() * self.dimension];
        self.embed_into(images, &mut flat)?;
        Ok(flat.chunks(self.dimension.max(1)).map(|c| c.to_vec()).collect())
    }

    /// Checks the output of a batch of `rows` images and writes one (normalized) vector per image.
    fn read_rows(&self, shape: &[i64], values: &[f32], rows: usize, out: &mut [f32]) -> Result<(), EngineError> {
        let dims: Vec<usize> = shape.iter().map(|&d| d.max(0) as usize).collect();
        let per_row = dims.iter().skip(1).product::<usize>();
        let consistent = dims.first() == Some(&rows)
            && values.len() == rows * per_row
            && match self.reduction {
                Reduction::Rows | Reduction::Tokens(_) => dims.last() == Some(&self.dimension),
                Reduction::Flatten => per_row == self.dimension,
            };
        if !consistent {
            return Err(EngineError::invalid_model(format!(
                "output '{}' has shape {shape:?}, which does not give {rows} vectors of dimension {}",
                self.output, self.dimension
            )));
        }
        for (row, target) in out.chunks_mut(self.dimension).enumerate() {
            match self.reduction {
                Reduction::Rows | Reduction::Flatten => {
                    target.copy_from_slice(&values[row * per_row..(row + 1) * per_row])
                }
                Reduction::Tokens(pooling) => {
                    let tokens = dims[1];
                    // Every patch token is real: images have no padding.
                    let mask = vec![1i64; rows * tokens];
                    pool_tokens(pooling, values, tokens, self.dimension, row, &mask, target);
                }
            }
            if self.normalize {
                l2_normalize(target);
            }
        }
        Ok(())
    }

    fn probe_dimension(&self) -> Result<usize, EngineError> {
        let (channels, height, width) = self.pixels.preprocessor.output_shape();
        let pixels = zeroed::<f32>(channels * height * width, "preprocessed image")?;
        let shape = [1, channels as i64, height as i64, width as i64];
        let outputs = self.session.run(
            &[(
                self.input.as_str(),
                InputTensor::F32 {
                    data: &pixels,
                    shape: &shape,
                },
            )],
            &[self.output.as_str()],
        )?;
        let dims = outputs[0].shape();
        Ok(match self.reduction {
            Reduction::Rows | Reduction::Tokens(_) => declared_size(&dims[dims.len().saturating_sub(1)..]),
            Reduction::Flatten => declared_size(dims.get(1..).unwrap_or_default()),
        }
        .unwrap_or(0))
    }
}

/// Decoding and preprocessing of images into the NCHW float tensor a model takes: what image embeddings and late
/// interaction over images share.
pub(crate) struct ImagePixels {
    pub(crate) preprocessor: Preprocessor,
    pub(crate) limits: ImageLimits,
}

impl ImagePixels {
    /// The preprocessing of `preprocessor_config_file` (required) and the configured decoding limits.
    pub(crate) fn new(options: &ModelOptions) -> Result<ImagePixels, EngineError> {
        let config = options
            .optional_file(&options.preprocessor_config_file, "preprocessor_config_file")?
            .ok_or_else(|| EngineError::invalid_argument("preprocessor_config_file is required for an image model"))?;
        let preprocessor = Preprocessor::from_config_file(&config)
            .map_err(|e| EngineError::invalid_model(format!("{}: {e}", config.display())))?;
        Ok(ImagePixels {
            preprocessor,
            limits: limits(options)?,
        })
    }

    /// Missing or oversized files fail before any image is decoded or any batch runs.
    pub(crate) fn check_files(&self, images: &[ImageSource<'_>]) -> Result<(), EngineError> {
        check_image_files(images, &self.limits)
    }

    /// The pixels of `batch` (`first` being the index of its first image in the call), decoded in parallel:
    /// `batch.len()` images of [`Preprocessor::output_shape`] each.
    pub(crate) fn batch(&self, batch: &[ImageSource<'_>], first: usize) -> Result<Vec<f32>, EngineError> {
        let (channels, height, width) = self.preprocessor.output_shape();
        let per_image = channels * height * width;
        let mut pixels = zeroed::<f32>(batch.len().saturating_mul(per_image), "batch of preprocessed images")?;
        let results: Vec<Result<(), EngineError>> = pixels
            .par_chunks_mut(per_image)
            .zip(batch.par_iter())
            .enumerate()
            .map(|(k, (target, image))| {
                with_image_bytes(first + k, image, &self.limits, |bytes| {
                    self.preprocessor.process_bytes(bytes, &self.limits, target)
                })
            })
            .collect();
        // The lowest failing index, so the message does not depend on thread timing.
        results.into_iter().collect::<Result<Vec<()>, _>>()?;
        Ok(pixels)
    }
}

/// Missing or oversized files fail before any image is decoded: every image model's first step.
pub(crate) fn check_image_files(images: &[ImageSource<'_>], limits: &ImageLimits) -> Result<(), EngineError> {
    for (index, image) in images.iter().enumerate() {
        if let ImageSource::File(path) = image {
            check_file(path, limits).map_err(|e| describe(index, image, e))?;
        }
    }
    Ok(())
}

/// Hands one image's bytes (read within the limits) to `process`; a failure names the image's index (and path).
pub(crate) fn with_image_bytes<T>(
    index: usize,
    image: &ImageSource<'_>,
    limits: &ImageLimits,
    process: impl FnOnce(&[u8]) -> Result<T, ImageError>,
) -> Result<T, EngineError> {
    let result = match image {
        ImageSource::Bytes(bytes) => process(bytes),
        ImageSource::File(path) => read_limited(path, limits.max_bytes).and_then(|bytes| process(&bytes)),
    };
    result.map_err(|e| describe(index, image, e))
}

fn check_file(path: &Path, limits: &ImageLimits) -> Result<(), ImageError> {
    let metadata = std::fs::metadata(path).map_err(|source| ImageError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if !metadata.is_file() {
        let source = std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a regular file");
        return Err(ImageError::Io {
            path: path.to_path_buf(),
            source,
        });
    }
    if metadata.len() > limits.max_bytes as u64 {
        return Err(ImageError::TooManyBytes {
            len: metadata.len() as usize,
            max: limits.max_bytes,
        });
    }
    Ok(())
}

/// The default limits with the configured ones applied.
pub(crate) fn limits(options: &ModelOptions) -> Result<ImageLimits, EngineError> {
    let mut limits = ImageLimits::default();
    if let Some(n) = options.image_max_pixels {
        limits.max_pixels = positive(n, "image_max_pixels")?;
    }
    if let Some(n) = options.image_max_side {
        limits.max_side = positive(n, "image_max_side")?;
    }
    if let Some(n) = options.image_max_bytes {
        limits.max_bytes = positive(n, "image_max_bytes")?;
    }
    Ok(limits)
}

fn positive<T: PartialEq + Default>(value: T, name: &str) -> Result<T, EngineError> {
    if value == T::default() {
        return Err(EngineError::invalid_argument(format!("{name} must be positive")));
    }
    Ok(value)
}

/// `pixel_values` when declared, else the model's only input; it must take float NCHW images of the
/// size the preprocessor produces.
fn select_input(session: &Session, preprocessor: &Preprocessor) -> Result<String, EngineError> {
    let inputs = session.inputs();
    let names: Vec<&str> = inputs.iter().map(|i| i.name.as_str()).collect();
    let input = match inputs.iter().find(|i| i.name == PIXEL_INPUT) {
        Some(input) => input,
        None if inputs.len() == 1 => &inputs[0],
        None => {
            return Err(EngineError::invalid_model(format!(
                "cannot tell which input takes the images: no '{PIXEL_INPUT}' among {names:?}"
            )))
        }
    };
    if inputs.len() > 1 {
        return Err(EngineError::invalid_model(format!(
            "the model declares inputs {names:?}; an image model must take only '{}'",
            input.name
        )));
    }
    if input.element_type != ElementType::Float32 || input.shape.len() != 4 {
        return Err(EngineError::invalid_model(format!(
            "input '{}' is {:?} of shape {:?}; expected float32 [batch, 3, height, width]",
            input.name, input.element_type, input.shape
        )));
    }
    let (channels, height, width) = preprocessor.output_shape();
    let wanted = [channels as i64, height as i64, width as i64];
    let fits = input.shape[1..]
        .iter()
        .zip(wanted)
        .all(|(&declared, produced)| declared <= 0 || declared == produced);
    if !fits {
        return Err(EngineError::invalid_model(format!(
            "input '{}' takes images of shape {:?} but preprocessor_config.json produces [batch, {channels}, {height}, {width}]",
            input.name, input.shape
        )));
    }
    Ok(input.name.clone())
}

/// The configured output, else the only one, else `image_embeds` or `last_hidden_state`, else the first.
fn select_output(session: &Session, configured: Option<&str>) -> Result<String, EngineError> {
    let names: Vec<&str> = session.outputs().iter().map(|o| o.name.as_str()).collect();
    if let Some(name) = configured {
        return if names.contains(&name) {
            Ok(name.to_string())
        } else {
            Err(EngineError::invalid_model(format!(
                "the model has no output '{name}' (it declares {names:?})"
            )))
        };
    }
    PREFERRED_OUTPUTS
        .iter()
        .copied()
        .find(|p| names.len() > 1 && names.contains(p))
        .or_else(|| names.first().copied())
        .map(str::to_string)
        .ok_or_else(|| EngineError::invalid_model("the model declares no outputs"))
}

/// Reads a file, refusing to read more than `max_bytes` even if it grew since it was checked.
fn read_limited(path: &Path, max_bytes: usize) -> Result<Vec<u8>, ImageError> {
    let io = |source| ImageError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(max_bytes as u64 + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() > max_bytes {
        return Err(ImageError::TooManyBytes {
            len: bytes.len(),
            max: max_bytes,
        });
    }
    Ok(bytes)
}

/// An image error as the caller sees it: which input failed, and why.
fn describe(index: usize, image: &ImageSource<'_>, error: ImageError) -> EngineError {
    let kind = match error {
        ImageError::Io { .. } => ErrorKind::Io,
        _ => ErrorKind::Image,
    };
    let message = match (image, &error) {
        // The I/O message already names the path.
        (ImageSource::File(_), ImageError::Io { .. }) | (ImageSource::Bytes(_), _) => format!("image {index}: {error}"),
        (ImageSource::File(path), _) => format!("image {index} ({}): {error}", path.display()),
    };
    EngineError::new(kind, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_index_and_the_path() {
        let path = Path::new("/photos/cat.png");
        let error = describe(3, &ImageSource::File(path), ImageError::Empty);
        assert_eq!(error.kind(), ErrorKind::Image);
        assert_eq!(
            error.message(),
            "image 3 (/photos/cat.png): image data is empty (0 bytes)"
        );

        let error = describe(0, &ImageSource::Bytes(&[]), ImageError::Empty);
        assert_eq!(error.message(), "image 0: image data is empty (0 bytes)");
    }

    #[test]
    fn unreadable_files_are_io_errors() {
        let missing = Path::new("/definitely/not/here.png");
        let error = read_limited(missing, 10).unwrap_err();
        let error = describe(1, &ImageSource::File(missing), error);
        assert_eq!(error.kind(), ErrorKind::Io);
        assert!(
            error
                .message()
                .starts_with("image 1: cannot read /definitely/not/here.png"),
            "{}",
            error.message()
        );
    }

    #[test]
    fn reading_stops_past_the_byte_limit() {
        let dir = std::env::temp_dir().join(format!("fastembed-image-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("big.bin");
        std::fs::write(&file, vec![0u8; 100]).unwrap();
        assert!(matches!(
            read_limited(&file, 99),
            Err(ImageError::TooManyBytes { len: 100, max: 99 })
        ));
        assert_eq!(read_limited(&file, 100).unwrap().len(), 100);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn zero_limits_are_rejected() {
        let options = ModelOptions {
            image_max_side: Some(0),
            ..ModelOptions::default()
        };
        assert!(limits(&options)
            .unwrap_err()
            .message()
            .contains("image_max_side must be positive"));
        let options = ModelOptions {
            image_max_pixels: Some(1000),
            ..ModelOptions::default()
        };
        assert_eq!(limits(&options).unwrap().max_pixels, 1000);
    }
}
