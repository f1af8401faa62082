use std::io::{self, Cursor};
use std::panic::{catch_unwind, AssertUnwindSafe};

use image::{DynamicImage, RgbImage};

use crate::error::ImageError;
use crate::format::{sniff, Format};
use crate::gif_canvas;
use crate::header::{self, Header};
use crate::limits::ImageLimits;
use crate::webp_lossy;

/// Decodes PNG, JPEG, WebP, GIF (first frame), BMP or TIFF bytes into 8-bit RGB, the way
/// `PIL.Image.open(..).convert("RGB")` does for fastembed.
///
/// The size is read from the header and checked against `limits` before a decoder allocates
/// anything; decoder panics on adversarial input are caught and reported as errors.
pub fn decode(bytes: &[u8], limits: &ImageLimits) -> Result<RgbImage, ImageError> {
    if bytes.is_empty() {
        return Err(ImageError::Empty);
    }
    if bytes.len() > limits.max_bytes {
        return Err(ImageError::TooManyBytes {
            len: bytes.len(),
            max: limits.max_bytes,
        });
    }
    let format = sniff(bytes)?;
    let header = header::read(format, bytes)?;
    check_size(format, &header, limits)?;
    let decoded = decode_guarded(format, bytes, limits)?;
    let mut rgb = to_rgb8_like_pil(decoded);
    if format == Format::Gif {
        if let Some(frame) = gif_canvas::first_frame(bytes) {
            gif_canvas::fill_outside(&mut rgb, frame);
        }
    }
    if rgb.width() == 0 || rgb.height() == 0 {
        return Err(ImageError::ZeroSize {
            format,
            width: rgb.width().into(),
            height: rgb.height().into(),
        });
    }
    Ok(rgb)
}

fn check_size(format: Format, header: &Header, limits: &ImageLimits) -> Result<(), ImageError> {
    let canvas = header.canvas;
    if canvas.pixels() == 0 {
        return Err(ImageError::ZeroSize {
            format,
            width: canvas.width,
            height: canvas.height,
        });
    }
    for size in std::iter::once(&canvas).chain(&header.frames) {
        let (width, height) = (size.width, size.height);
        if width > u64::from(limits.max_side) || height > u64::from(limits.max_side) {
            return Err(ImageError::SideTooLarge {
                format,
                width,
                height,
                max_side: limits.max_side,
            });
        }
        if size.pixels() > limits.max_pixels {
            return Err(ImageError::TooManyPixels {
                format,
                width,
                height,
                pixels: size.pixels(),
                max_pixels: limits.max_pixels,
            });
        }
    }
    // Animated WebP frames are all decoded up front, so together they must fit the budget too.
    let total = header.frames.iter().fold(0u64, |sum, f| sum.saturating_add(f.pixels()));
    if total > limits.max_pixels {
        return Err(ImageError::FramesTooLarge {
            format,
            frames: header.frames.len(),
            pixels: total,
            max_pixels: limits.max_pixels,
        });
    }
    Ok(())
}

fn decode_guarded(format: Format, bytes: &[u8], limits: &ImageLimits) -> Result<DynamicImage, ImageError> {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        if format == Format::WebP {
            if let Some(bitstream) = webp_lossy::still_vp8_bitstream(bytes) {
                return webp_lossy::decode_vp8(bitstream).map(DynamicImage::ImageRgb8);
            }
        }
        let mut reader = image::io::Reader::with_format(Cursor::new(bytes), format.to_image_format());
        // Second line of defence behind our own header check: the decoders enforce these too.
        let mut decoder_limits = image::io::Limits::default();
        decoder_limits.max_image_width = Some(limits.max_side);
        decoder_limits.max_image_height = Some(limits.max_side);
        decoder_limits.max_alloc = Some(limits.decoder_alloc_budget());
        reader.limits(decoder_limits);
        reader.decode()
    }));
    match outcome {
        Ok(Ok(image)) => Ok(image),
        Ok(Err(error)) => Err(describe_decoder_error(format, error)),
        Err(_) => Err(ImageError::DecoderPanicked { format }),
    }
}

fn describe_decoder_error(format: Format, error: image::ImageError) -> ImageError {
    if ends_early(&error) {
        return ImageError::Truncated {
            format,
            what: "the data ends before the image is complete",
        };
    }
    match error {
        image::ImageError::Limits(limit) => ImageError::DecoderLimit {
            format,
            detail: limit.to_string(),
        },
        image::ImageError::Unsupported(unsupported) => ImageError::UnsupportedFeature {
            format,
            detail: unsupported.to_string(),
        },
        other => ImageError::corrupt(format, other.to_string()),
    }
}

/// Decoders report running out of input as an `UnexpectedEof` somewhere in the error chain.
fn ends_early(error: &image::ImageError) -> bool {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = current {
        if let Some(io) = e.downcast_ref::<io::Error>() {
            if io.kind() == io::ErrorKind::UnexpectedEof {
                return true;
            }
        }
        current = e.source();
    }
    false
}

/// Pillow's `convert("RGB")` semantics, which differ from the `image` crate's own conversions:
/// alpha is dropped (not composited), 16-bit colour keeps the high byte (Pillow reads such
/// files with its ";16B" raw modes), and 16-bit greyscale is clipped to 255 (Pillow opens it
/// as mode "I"/"I;16", whose conversion to RGB clamps instead of scaling).
fn to_rgb8_like_pil(image: DynamicImage) -> RgbImage {
    let (width, height) = (image.width(), image.height());
    let from_fn =
        |pixel: &dyn Fn(u32, u32) -> [u8; 3]| RgbImage::from_fn(width, height, |x, y| image::Rgb(pixel(x, y)));
    match &image {
        DynamicImage::ImageRgb8(_) => image.into_rgb8(),
        DynamicImage::ImageRgba8(rgba) => from_fn(&|x, y| {
            let p = rgba.get_pixel(x, y).0;
            [p[0], p[1], p[2]]
        }),
        DynamicImage::ImageLuma8(grey) => from_fn(&|x, y| [grey.get_pixel(x, y).0[0]; 3]),
        DynamicImage::ImageLumaA8(grey) => from_fn(&|x, y| [grey.get_pixel(x, y).0[0]; 3]),
        DynamicImage::ImageLuma16(grey) => from_fn(&|x, y| [grey.get_pixel(x, y).0[0].min(255) as u8; 3]),
        DynamicImage::ImageLumaA16(grey) => from_fn(&|x, y| [high_byte(grey.get_pixel(x, y).0[0]); 3]),
        DynamicImage::ImageRgb16(rgb) => from_fn(&|x, y| rgb.get_pixel(x, y).0.map(high_byte)),
        DynamicImage::ImageRgba16(rgba) => from_fn(&|x, y| {
            let p = rgba.get_pixel(x, y).0;
            [high_byte(p[0]), high_byte(p[1]), high_byte(p[2])]
        }),
        _ => image.to_rgb8(),
    }
}

fn high_byte(value: u16) -> u8 {
    (value >> 8) as u8
}
