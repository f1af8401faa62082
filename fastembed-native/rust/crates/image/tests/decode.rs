mod common;

use common::*;
use fastembed_image::image::codecs::gif::GifEncoder;
use fastembed_image::image::{
    DynamicImage, Frame, ImageBuffer, ImageOutputFormat, Luma, LumaA, Rgb, RgbImage, Rgba, RgbaImage,
};
use fastembed_image::{decode, ImageLimits};

fn decoded(bytes: &[u8]) -> RgbImage {
    decode(bytes, &ImageLimits::default()).expect("decodes")
}

#[test]
fn png_rgb_decodes_to_the_same_pixels() {
    let original = noise_image(37, 23, 1);
    assert_eq!(decoded(&png(&original)), original);
}

#[test]
fn bmp_decodes_to_the_same_pixels() {
    let original = noise_image(19, 11, 2);
    let bytes = encode(&DynamicImage::ImageRgb8(original.clone()), ImageOutputFormat::Bmp);
    assert_eq!(decoded(&bytes), original);
}

#[test]
fn tiff_decodes_to_the_same_pixels() {
    let original = noise_image(21, 9, 3);
    let bytes = encode(&DynamicImage::ImageRgb8(original.clone()), ImageOutputFormat::Tiff);
    assert_eq!(decoded(&bytes), original);
}

#[test]
fn gif_with_few_colours_decodes_to_the_same_pixels() {
    // Four colours fit a palette exactly, so GIF's quantisation changes nothing.
    let colours = [[255, 0, 0], [0, 128, 0], [10, 20, 250], [240, 240, 240]];
    let original = RgbImage::from_fn(17, 13, |x, y| Rgb(colours[((x / 3 + y / 2) % 4) as usize]));
    let bytes = encode(&DynamicImage::ImageRgb8(original.clone()), ImageOutputFormat::Gif);
    assert_eq!(decoded(&bytes), original);
}

#[test]
fn animated_gif_gives_its_first_frame() {
    let first = RgbaImage::from_pixel(8, 6, Rgba([200, 30, 40, 255]));
    let second = RgbaImage::from_pixel(8, 6, Rgba([10, 220, 90, 255]));
    let mut bytes = Vec::new();
    {
        let mut encoder = GifEncoder::new(&mut bytes);
        encoder
            .encode_frames(vec![Frame::new(first), Frame::new(second)])
            .unwrap();
    }
    assert_eq!(decoded(&bytes), RgbImage::from_pixel(8, 6, Rgb([200, 30, 40])));
}

#[test]
fn jpeg_decodes_close_to_the_encoded_picture() {
    let original = RgbImage::from_fn(48, 32, |x, y| Rgb([(5 * x) as u8, (7 * y) as u8, 128]));
    let bytes = encode(&DynamicImage::ImageRgb8(original.clone()), ImageOutputFormat::Jpeg(95));
    let result = decoded(&bytes);
    assert_eq!(result.dimensions(), (48, 32));
    let total: u64 = result
        .as_raw()
        .iter()
        .zip(original.as_raw())
        .map(|(a, b)| u64::from(a.abs_diff(*b)))
        .sum();
    let mean = total as f64 / original.as_raw().len() as f64;
    assert!(
        mean < 2.0,
        "mean error {mean} too large for a quality-95 JPEG of a smooth gradient"
    );
}

#[test]
fn webp_lossless_decodes_to_the_same_pixels() {
    let levels = [[30, 220], [5, 140], [60, 61]];
    let original = RgbImage::from_fn(9, 5, |x, y| {
        Rgb([
            levels[0][(x % 2) as usize],
            levels[1][(y % 2) as usize],
            levels[2][((x + y) % 3 == 0) as usize],
        ])
    });
    assert_eq!(decoded(&webp_lossless_two_level(&original, levels)), original);
}

/// A 32x16 picture, left half (200, 100, 50), right half (30, 60, 220), encoded by libwebp's
/// `cwebp -q 90` (lossy VP8, 96 bytes).
const LOSSY_WEBP_SPLIT: [u8; 96] = [
    0x52, 0x49, 0x46, 0x46, 0x58, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x20, 0x4c, 0x00, 0x00,
    0x00, 0x90, 0x04, 0x00, 0x9d, 0x01, 0x2a, 0x20, 0x00, 0x10, 0x00, 0x3e, 0x31, 0x14, 0x88, 0x42, 0xa2, 0x21, 0x21,
    0x18, 0x04, 0x00, 0x20, 0x03, 0x04, 0xb4, 0x00, 0x4e, 0x99, 0x42, 0x38, 0x1b, 0xc0, 0x3f, 0x00, 0x3f, 0x50, 0x38,
    0xc0, 0xbb, 0x01, 0xfa, 0xaa, 0x06, 0xaf, 0x10, 0x00, 0xfe, 0xdc, 0x51, 0xff, 0xf9, 0xa7, 0x1b, 0x57, 0xf2, 0x3f,
    0xff, 0x67, 0x3e, 0x5b, 0x03, 0xe4, 0xff, 0xf2, 0xe1, 0x93, 0xd7, 0x0f, 0x57, 0xdc, 0x51, 0x0b, 0x0e, 0x1e, 0x00,
    0x00,
];

#[test]
fn webp_lossy_decodes_close_to_the_encoded_colours() {
    let result = decoded(&LOSSY_WEBP_SPLIT);
    assert_eq!(result.dimensions(), (32, 16));
    let near = |pixel: &Rgb<u8>, colour: [u8; 3]| pixel.0.iter().zip(colour).all(|(a, b)| a.abs_diff(b) <= 4);
    for y in 0..16 {
        for x in 0..10 {
            assert!(
                near(result.get_pixel(x, y), [200, 100, 50]),
                "({x},{y}) = {:?}",
                result.get_pixel(x, y)
            );
            let right = x + 22;
            assert!(
                near(result.get_pixel(right, y), [30, 60, 220]),
                "({right},{y}) = {:?}",
                result.get_pixel(right, y)
            );
        }
    }
}

#[test]
fn greyscale_is_replicated_into_all_three_channels() {
    let grey = ImageBuffer::from_fn(5, 4, |x, y| Luma([(x * 40 + y) as u8]));
    let bytes = encode(&DynamicImage::ImageLuma8(grey.clone()), ImageOutputFormat::Png);
    let result = decoded(&bytes);
    for (x, y, pixel) in result.enumerate_pixels() {
        let v = grey.get_pixel(x, y).0[0];
        assert_eq!(pixel.0, [v, v, v]);
    }
}

#[test]
fn alpha_is_dropped_not_composited() {
    // Pillow's convert("RGB") keeps the colour of fully transparent pixels.
    let rgba = RgbaImage::from_fn(4, 3, |x, y| Rgba([10 * x as u8, 50 + y as u8, 90, (x * 80) as u8]));
    let result = decoded(&encode(&DynamicImage::ImageRgba8(rgba.clone()), ImageOutputFormat::Png));
    for (x, y, pixel) in result.enumerate_pixels() {
        let p = rgba.get_pixel(x, y).0;
        assert_eq!(pixel.0, [p[0], p[1], p[2]]);
    }
    let grey_alpha = ImageBuffer::from_fn(3, 2, |x, _| LumaA([77 + x as u8, 0]));
    let result = decoded(&encode(&DynamicImage::ImageLumaA8(grey_alpha), ImageOutputFormat::Png));
    assert!(result.enumerate_pixels().all(|(x, _, p)| p.0 == [77 + x as u8; 3]));
}

fn be16(samples: &[u16]) -> Vec<u8> {
    samples.iter().flat_map(|s| s.to_be_bytes()).collect()
}

#[test]
fn sixteen_bit_colour_keeps_the_high_byte() {
    let pixels: Vec<[u16; 3]> = (0..6u16)
        .map(|x| [x * 10_000 + 255, 65_535 - x * 7_000, 0x12FF])
        .collect();
    let row = be16(&pixels.concat());
    let result = decoded(&png_from_rows(6, 1, 16, 2, &[row]));
    for (x, pixel) in result.pixels().enumerate() {
        let p = pixels[x];
        assert_eq!(pixel.0, [(p[0] / 256) as u8, (p[1] / 256) as u8, 0x12]);
    }
}

#[test]
fn sixteen_bit_grey_with_alpha_keeps_the_high_byte() {
    let row = be16(&[0x8000, 0, 0x01FF, 0xFFFF, 0xFFFF, 0x1234]);
    let result = decoded(&png_from_rows(3, 1, 16, 4, &[row]));
    let channel: Vec<u8> = result.pixels().map(|p| p.0[0]).collect();
    assert_eq!(channel, [0x80, 0x01, 0xFF]);
}

#[test]
fn sixteen_bit_greyscale_is_clipped_at_255_like_pillow() {
    // Pillow opens 16-bit grey PNGs as mode "I" and clamps (not scales) to 8 bits.
    let values = [0u16, 100, 255, 256, 1000, 65535];
    let result = decoded(&png_from_rows(6, 1, 16, 0, &[be16(&values)]));
    let channel: Vec<u8> = result.pixels().map(|p| p.0[0]).collect();
    assert_eq!(channel, [0, 100, 255, 255, 255, 255]);
}

#[test]
fn format_comes_from_the_bytes_not_a_name() {
    let original = noise_image(3, 3, 4);
    // The same call decodes each format; nothing but the content tells them apart.
    for format in [ImageOutputFormat::Png, ImageOutputFormat::Bmp, ImageOutputFormat::Tiff] {
        assert_eq!(
            decoded(&encode(&DynamicImage::ImageRgb8(original.clone()), format)),
            original
        );
    }
}

/// A GIF written from the specification: an 8x7 screen with a four-colour global palette and
/// a 2x2 first frame at (2, 1). The LZW data sends a clear code before every pixel so all
/// codes stay 3 bits wide.
fn gif_with_small_first_frame(transparent_index: Option<u8>) -> Vec<u8> {
    let palette = [[250, 10, 10], [10, 250, 10], [10, 10, 250], [200, 200, 0]];
    let mut gif = b"GIF89a".to_vec();
    gif.extend_from_slice(&[8, 0, 7, 0, 0x81, 1, 0]); // global table of 4 entries, background 1
    gif.extend(palette.concat());
    if let Some(index) = transparent_index {
        gif.extend_from_slice(&[0x21, 0xF9, 4, 0x01, 0, 0, index, 0]);
    }
    gif.extend_from_slice(&[0x2C, 2, 0, 1, 0, 2, 0, 2, 0, 0]);
    let mut codes = BitWriter::new();
    for pixel in [1u32, 2, 3, 1] {
        codes.put(4, 3); // clear
        codes.put(pixel, 3);
    }
    codes.put(5, 3); // end of information
    let data = codes.finish();
    gif.push(2); // LZW minimum code size
    gif.push(data.len() as u8);
    gif.extend(data);
    gif.extend_from_slice(&[0, 0x3B]);
    gif
}

#[test]
fn gif_screen_outside_the_first_frame_shows_palette_entry_zero_like_pillow() {
    let result = decoded(&gif_with_small_first_frame(None));
    assert_eq!(result.dimensions(), (8, 7));
    assert_eq!(result.get_pixel(0, 0).0, [250, 10, 10]);
    assert_eq!(result.get_pixel(7, 6).0, [250, 10, 10]);
    assert_eq!(result.get_pixel(2, 1).0, [10, 250, 10]);
    assert_eq!(result.get_pixel(3, 1).0, [10, 10, 250]);
    assert_eq!(result.get_pixel(2, 2).0, [200, 200, 0]);
}

#[test]
fn gif_screen_outside_the_first_frame_uses_the_transparent_index_when_there_is_one() {
    let result = decoded(&gif_with_small_first_frame(Some(3)));
    assert_eq!(result.get_pixel(0, 0).0, [200, 200, 0]);
    assert_eq!(result.get_pixel(3, 2).0, [10, 250, 10]);
}
