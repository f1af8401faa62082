mod common;

use common::*;
use fastembed_image::image::{DynamicImage, ImageOutputFormat};
use fastembed_image::{decode, Format, ImageError, ImageLimits};

fn error_of(bytes: &[u8]) -> ImageError {
    decode(bytes, &ImageLimits::default()).expect_err("must be refused")
}

fn samples() -> Vec<(Format, Vec<u8>)> {
    let picture = DynamicImage::ImageRgb8(noise_image(23, 17, 9));
    vec![
        (Format::Png, encode(&picture, ImageOutputFormat::Png)),
        (Format::Jpeg, encode(&picture, ImageOutputFormat::Jpeg(90))),
        (Format::Gif, encode(&picture, ImageOutputFormat::Gif)),
        (Format::Bmp, encode(&picture, ImageOutputFormat::Bmp)),
        (Format::Tiff, encode(&picture, ImageOutputFormat::Tiff)),
        (
            Format::WebP,
            webp_lossless_two_level(&coordinate_image(6, 4).map_levels(), LEVELS),
        ),
    ]
}

const LEVELS: [[u8; 2]; 3] = [[0, 100], [0, 90], [0, 7]];

trait TwoLevels {
    fn map_levels(self) -> Self;
}

impl TwoLevels for fastembed_image::image::RgbImage {
    /// Reduces each channel to 0 or its level so the hand-written WebP encoder can take it.
    fn map_levels(mut self) -> Self {
        for pixel in self.pixels_mut() {
            for (value, levels) in pixel.0.iter_mut().zip(LEVELS) {
                *value = if *value >= 100 { levels[1] } else { levels[0] };
            }
        }
        self
    }
}

#[test]
fn empty_input_is_refused() {
    assert!(matches!(error_of(&[]), ImageError::Empty));
    assert_eq!(error_of(&[]).to_string(), "image data is empty (0 bytes)");
}

#[test]
fn unknown_bytes_are_refused_naming_what_they_start_with() {
    let error = error_of(b"hello, world");
    assert!(matches!(error, ImageError::UnknownFormat { .. }), "{error:?}");
    assert!(error.to_string().contains("68 65 6C 6C"), "{error}");
}

#[test]
fn recognised_but_unsupported_formats_say_so() {
    let avif = b"\0\0\0\x1cftypavif\0\0\0\0avifmif1";
    assert!(matches!(error_of(avif), ImageError::UnsupportedFormat { name: "AVIF" }));
    let ico = [0u8, 0, 1, 0, 1, 0, 16, 16, 0, 0];
    assert!(matches!(error_of(&ico), ImageError::UnsupportedFormat { name: "ICO" }));
    assert!(error_of(b"%PDF-1.7").to_string().contains("PDF"));
}

#[test]
fn zero_size_images_are_refused() {
    let error = error_of(&png_claiming(0, 5));
    assert!(
        matches!(
            error,
            ImageError::ZeroSize {
                format: Format::Png,
                width: 0,
                height: 5
            }
        ),
        "{error:?}"
    );
    assert_eq!(error.to_string(), "PNG image has zero size (0x5)");
}

#[test]
fn a_header_cut_short_is_reported_as_truncated() {
    for (format, bytes) in samples() {
        let cut = &bytes[..14.min(bytes.len())];
        match error_of(cut) {
            ImageError::Truncated { format: f, .. } => assert_eq!(f, format),
            other => panic!("{format}: expected truncation, got {other:?}"),
        }
    }
}

#[test]
fn an_image_cut_in_the_middle_is_refused() {
    for (format, bytes) in samples() {
        if format == Format::Jpeg {
            continue; // baseline JPEG decoders fill in missing scan data rather than fail
        }
        let half = &bytes[..bytes.len() / 2];
        let error = error_of(half);
        assert!(
            matches!(error, ImageError::Truncated { .. } | ImageError::Corrupt { .. }),
            "{format}: {error:?}"
        );
    }
}

#[test]
fn every_prefix_of_every_format_is_handled_without_panicking() {
    for (format, bytes) in samples() {
        for len in 0..bytes.len() {
            // An Err is expected for most prefixes; what matters is that none escapes as a panic.
            let outcome = std::panic::catch_unwind(|| decode(&bytes[..len], &ImageLimits::default()));
            assert!(
                outcome.is_ok(),
                "{format} prefix of {len} bytes panicked outside the guard"
            );
        }
    }
}

#[test]
fn flipped_bytes_never_escape_as_a_panic() {
    for (format, bytes) in samples() {
        let mut state = 0x2545_F491u32;
        for _ in 0..300 {
            let mut damaged = bytes.clone();
            for _ in 0..3 {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                let at = state as usize % damaged.len();
                damaged[at] ^= (state >> 24) as u8 | 1;
            }
            let outcome = std::panic::catch_unwind(|| decode(&damaged, &ImageLimits::default()));
            assert!(outcome.is_ok(), "{format}: a damaged file panicked outside the guard");
            if let Ok(Ok(image)) = outcome {
                assert!(image.width() > 0 && image.height() > 0);
            }
        }
    }
}

#[test]
fn a_corrupt_png_checksum_is_reported_as_corrupt() {
    let mut bytes = png(&noise_image(8, 8, 5));
    let idat = bytes.windows(4).position(|w| w == b"IDAT").unwrap();
    bytes[idat + 6] ^= 0xFF; // inside the compressed data, so the chunk CRC no longer matches
    let error = error_of(&bytes);
    assert!(
        matches!(
            error,
            ImageError::Corrupt {
                format: Format::Png,
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn a_gif_without_any_image_is_corrupt() {
    let mut gif = b"GIF89a".to_vec();
    gif.extend_from_slice(&[4, 0, 4, 0, 0, 0, 0]); // 4x4 screen, no colour table
    gif.push(0x3B); // trailer straight away
    let error = error_of(&gif);
    assert!(error.to_string().contains("contains no image"), "{error}");
}

#[test]
fn a_jpeg_whose_scan_comes_before_its_frame_header_is_corrupt() {
    let jpeg = [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02, 0xFF, 0xD9];
    let error = error_of(&jpeg);
    assert!(
        matches!(
            error,
            ImageError::Corrupt {
                format: Format::Jpeg,
                ..
            }
        ),
        "{error:?}"
    );
}
