//! Still lossy WebP pictures, converted to RGB the way libwebp (and so Pillow) does it.
//!
//! The `image` crate decodes the VP8 bitstream to Y'CbCr planes correctly but turns them into
//! RGB with nearest-neighbour chroma and other coefficients, which puts colours up to ~60 levels
//! away from Pillow's near sharp colour edges. libwebp's default output uses "fancy"
//! upsampling (each chroma sample spread with 9-3-3-1 weights) and a 14-bit fixed-point
//! BT.601 conversion; both are reproduced here on the crate's planes.

use std::io::Cursor;

use image::codecs::webp::vp8::{Frame, Vp8Decoder};
use image::RgbImage;

/// The VP8 bitstream of a still lossy WebP, or `None` for lossless, animated or unusual files
/// (those go through the `image` crate's own WebP decoder).
pub(crate) fn still_vp8_bitstream(bytes: &[u8]) -> Option<&[u8]> {
    let chunk = |at: usize| -> Option<(&[u8], &[u8], usize)> {
        let fourcc = bytes.get(at..at.checked_add(4)?)?;
        let size = u32::from_le_bytes(bytes.get(at + 4..at + 8)?.try_into().ok()?) as usize;
        let start = at + 8;
        let end = start.checked_add(size)?.min(bytes.len());
        Some((
            fourcc,
            bytes.get(start..end)?,
            start.checked_add(size)?.checked_add(size & 1)?,
        ))
    };
    let (fourcc, data, mut next) = chunk(12)?;
    match fourcc {
        b"VP8 " => Some(data),
        b"VP8X" => {
            const ANIMATION: u8 = 0x02;
            if data.first()? & ANIMATION != 0 {
                return None;
            }
            loop {
                let (fourcc, data, after) = chunk(next)?;
                match fourcc {
                    b"VP8 " => return Some(data),
                    b"VP8L" | b"ANMF" => return None,
                    _ => next = after,
                }
            }
        }
        _ => None,
    }
}

pub(crate) fn decode_vp8(bitstream: &[u8]) -> image::ImageResult<RgbImage> {
    let mut decoder = Vp8Decoder::new(Cursor::new(bitstream));
    let frame = decoder.decode_frame()?;
    Ok(to_rgb(frame))
}

fn to_rgb(frame: &Frame) -> RgbImage {
    let width = usize::from(frame.width);
    let height = usize::from(frame.height);
    let chroma_width = width.div_ceil(2);
    let chroma_height = height.div_ceil(2);

    let mut out = RgbImage::new(u32::from(frame.width), u32::from(frame.height));
    if width == 0 || height == 0 {
        return out;
    }
    for row in 0..height {
        // libwebp pairs rows (1,2), (3,4), ... between chroma rows k-1 and k; the first row
        // and, for even heights, the last row mirror their single chroma row.
        let (near, far) = if row == 0 {
            (0, 0)
        } else if row % 2 == 1 {
            ((row - 1) / 2, row.div_ceil(2).min(chroma_height - 1))
        } else {
            (row / 2, row / 2 - 1)
        };
        let luma = &frame.ybuf[row * width..(row + 1) * width];
        let u = upsample_row(
            chroma_row(&frame.ubuf, chroma_width, near),
            chroma_row(&frame.ubuf, chroma_width, far),
            width,
        );
        let v = upsample_row(
            chroma_row(&frame.vbuf, chroma_width, near),
            chroma_row(&frame.vbuf, chroma_width, far),
            width,
        );
        for x in 0..width {
            out.put_pixel(x as u32, row as u32, image::Rgb(yuv_to_rgb(luma[x], u[x], v[x])));
        }
    }
    out
}

fn chroma_row(plane: &[u8], chroma_width: usize, row: usize) -> &[u8] {
    &plane[row * chroma_width..(row + 1) * chroma_width]
}

/// One output row of chroma at full resolution from the nearer and the farther chroma row.
fn upsample_row(near: &[u8], far: &[u8], width: usize) -> Vec<u8> {
    let n = |i: usize| u32::from(near[i]);
    let f = |i: usize| u32::from(far[i]);
    // 9/16 of the nearest sample, 3/16 of each neighbour, 1/16 of the diagonal one, with
    // libwebp's two-step rounding.
    let blend = |a: u32, b: u32, c: u32, d: u32| (((a + 3 * b + 3 * c + d + 8) >> 3) + a) >> 1;
    let edge = |i: usize| (3 * n(i) + f(i) + 2) >> 2;

    let mut out = vec![0u8; width];
    out[0] = edge(0) as u8;
    let last_pair = (width - 1) >> 1;
    for x in 1..=last_pair {
        out[2 * x - 1] = blend(n(x - 1), n(x), f(x - 1), f(x)) as u8;
        out[2 * x] = blend(n(x), n(x - 1), f(x), f(x - 1)) as u8;
    }
    if width & 1 == 0 {
        out[width - 1] = edge(last_pair) as u8;
    }
    out
}

/// libwebp's `VP8YuvToRgb`: coefficients scaled by 2^14, a 16-bit "multiply high" on the
/// 8-bit inputs, 6 fractional bits left before clamping.
fn yuv_to_rgb(y: u8, u: u8, v: u8) -> [u8; 3] {
    let mult_hi = |value: u8, coefficient: i32| (i32::from(value) * coefficient) >> 8;
    let clip = |value: i32| -> u8 {
        if value & !0x3FFF == 0 {
            (value >> 6) as u8
        } else if value < 0 {
            0
        } else {
            255
        }
    };
    let luma = mult_hi(y, 19077);
    [
        clip(luma + mult_hi(v, 26149) - 14234),
        clip(luma - mult_hi(u, 6419) - mult_hi(v, 13320) + 8708),
        clip(luma + mult_hi(u, 33050) - 17685),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// BT.601 studio-range conversion in floating point, the formula libwebp approximates.
    fn bt601(y: u8, u: u8, v: u8) -> [f64; 3] {
        let (y, u, v) = (f64::from(y) - 16.0, f64::from(u) - 128.0, f64::from(v) - 128.0);
        [
            1.164 * y + 1.596 * v,
            1.164 * y - 0.391 * u - 0.813 * v,
            1.164 * y + 2.018 * u,
        ]
    }

    #[test]
    fn fixed_point_conversion_stays_within_one_level_of_bt601() {
        for y in (0..=255).step_by(5) {
            for u in (0..=255).step_by(15) {
                for v in (0..=255).step_by(15) {
                    let fixed = yuv_to_rgb(y, u, v);
                    for (channel, exact) in fixed.iter().zip(bt601(y, u, v)) {
                        let expected = exact.clamp(0.0, 255.0);
                        assert!(
                            (f64::from(*channel) - expected).abs() <= 1.0,
                            "yuv ({y},{u},{v}): {fixed:?}"
                        );
                    }
                }
            }
        }
        assert_eq!(yuv_to_rgb(16, 128, 128), [0, 0, 0]);
        assert_eq!(yuv_to_rgb(235, 128, 128), [255, 255, 255]);
    }

    #[test]
    fn fancy_upsampling_weights_near_and_far_samples_9_3_3_1() {
        // Constant chroma stays constant.
        assert_eq!(upsample_row(&[77, 77, 77], &[77, 77, 77], 6), vec![77; 6]);
        // Output 1 sits between near[0] and near[1], nearer near[0]: (9a + 3b + 3c + d) / 16.
        let (near, far) = ([0u32, 160], [16u32, 0]);
        let row = upsample_row(&[near[0] as u8, near[1] as u8], &[far[0] as u8, far[1] as u8], 4);
        let weighted = |a: u32, b: u32, c: u32, d: u32| ((9 * a + 3 * b + 3 * c + d) / 16) as u8;
        assert_eq!(row[1], weighted(near[0], near[1], far[0], far[1]));
        assert_eq!(row[2], weighted(near[1], near[0], far[1], far[0]));
        // Edges use only their own column: (3 * near + far) / 4, rounded.
        assert_eq!(row[0], ((3 * near[0] + far[0] + 2) / 4) as u8);
        assert_eq!(row[3], ((3 * near[1] + far[1] + 2) / 4) as u8);
    }
}
