//! Pillow's `Image.resize` for 8-bit RGB, reproduced operation for operation so the pixels
//! match what fastembed feeds its models.
//!
//! Pillow resizes in two separable passes (horizontal first, then vertical). Each output
//! sample is a weighted sum of input samples; when shrinking, the filter is stretched by the
//! shrink factor so every input pixel contributes (antialiasing). Weights are computed in
//! double precision, normalised to sum to one, converted to 22-bit fixed point, and the
//! intermediate image between the passes is rounded and clamped back to 8 bits. Nearest
//! neighbour takes a different path (an affine scale with accumulated float coordinates).
//!
//! Only a window of the resized image is ever computed: each output pixel depends only on its
//! own coordinates, so cropping afterwards gives identical values while an extreme aspect ratio
//! cannot make us allocate the whole (possibly huge) resized picture.

use image::RgbImage;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    Nearest,
    Box,
    Bilinear,
    Hamming,
    Bicubic,
    Lanczos,
}

impl Filter {
    fn support(self) -> f64 {
        match self {
            Filter::Nearest => 0.0,
            Filter::Box => 0.5,
            Filter::Bilinear | Filter::Hamming => 1.0,
            Filter::Bicubic => 2.0,
            Filter::Lanczos => 3.0,
        }
    }

    fn weight(self, x: f64) -> f64 {
        match self {
            Filter::Nearest => 0.0,
            Filter::Box => {
                if x > -0.5 && x <= 0.5 {
                    1.0
                } else {
                    0.0
                }
            }
            Filter::Bilinear => {
                let x = x.abs();
                if x < 1.0 {
                    1.0 - x
                } else {
                    0.0
                }
            }
            Filter::Hamming => {
                let x = x.abs();
                if x == 0.0 {
                    1.0
                } else if x >= 1.0 {
                    0.0
                } else {
                    let x = x * std::f64::consts::PI;
                    // Pillow writes these constants as C floats, so they carry float rounding.
                    x.sin() / x * (f64::from(0.54f32) + f64::from(0.46f32) * x.cos())
                }
            }
            Filter::Bicubic => {
                const A: f64 = -0.5;
                let x = x.abs();
                if x < 1.0 {
                    ((A + 2.0) * x - (A + 3.0)) * x * x + 1.0
                } else if x < 2.0 {
                    (((x - 5.0) * x + 8.0) * x - 4.0) * A
                } else {
                    0.0
                }
            }
            Filter::Lanczos => {
                if (-3.0..3.0).contains(&x) {
                    sinc(x) * sinc(x / 3.0)
                } else {
                    0.0
                }
            }
        }
    }
}

fn sinc(x: f64) -> f64 {
    if x == 0.0 {
        1.0
    } else {
        let x = x * std::f64::consts::PI;
        x.sin() / x
    }
}

/// A rectangle of the resized image: columns `x..x + width`, rows `y..y + height`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    pub x: u64,
    pub y: u64,
    pub width: u32,
    pub height: u32,
}

/// Returns `window` of `src` resized to `out_width` x `out_height` with Pillow's algorithm.
/// The window must lie inside the resized image.
pub(crate) fn resize_window(
    src: &RgbImage,
    out_width: u64,
    out_height: u64,
    filter: Filter,
    window: Window,
) -> RgbImage {
    debug_assert!(window.x + u64::from(window.width) <= out_width);
    debug_assert!(window.y + u64::from(window.height) <= out_height);
    let (in_width, in_height) = (u64::from(src.width()), u64::from(src.height()));
    if (out_width, out_height) == (in_width, in_height) {
        // Pillow returns a plain copy when the size does not change.
        return copy_window(src, window);
    }
    if filter == Filter::Nearest {
        return nearest_window(src, out_width, out_height, window);
    }

    let columns = Taps::new(filter, src.width(), out_width, window.x, window.width);
    let rows = Taps::new(filter, src.height(), out_height, window.y, window.height);

    // Horizontal pass over only the source rows the vertical pass will read.
    let (first_row, last_row) = if out_height != in_height {
        (rows.first_input(), rows.end_input())
    } else {
        (window.y as u32, window.y as u32 + window.height)
    };
    let horizontal = if out_width != in_width {
        let mut temp = RgbImage::new(window.width, last_row - first_row);
        for (row, y) in (first_row..last_row).enumerate() {
            let line = row_samples(src, y);
            for (x, tap) in columns.taps.iter().enumerate() {
                let pixel = convolve(tap, |i| &line[i * 3..i * 3 + 3]);
                temp.put_pixel(x as u32, row as u32, image::Rgb(pixel));
            }
        }
        temp
    } else {
        let cols = Window {
            x: window.x,
            y: u64::from(first_row),
            width: window.width,
            height: last_row - first_row,
        };
        copy_window(src, cols)
    };

    if out_height == in_height {
        return horizontal;
    }
    let mut out = RgbImage::new(window.width, window.height);
    let stride = window.width as usize * 3;
    let samples = horizontal.as_raw();
    for (y, tap) in rows.taps.iter().enumerate() {
        for x in 0..window.width as usize {
            let pixel = convolve(tap, |i| {
                let start = (i - first_row as usize) * stride + x * 3;
                &samples[start..start + 3]
            });
            out.put_pixel(x as u32, y as u32, image::Rgb(pixel));
        }
    }
    out
}

fn row_samples(image: &RgbImage, y: u32) -> &[u8] {
    let stride = image.width() as usize * 3;
    &image.as_raw()[y as usize * stride..(y as usize + 1) * stride]
}

pub(crate) fn copy_window(src: &RgbImage, window: Window) -> RgbImage {
    RgbImage::from_fn(window.width, window.height, |x, y| {
        *src.get_pixel(window.x as u32 + x, window.y as u32 + y)
    })
}

/// One output sample's inputs: `weights[i]` applies to input index `first + i`.
struct Tap {
    first: usize,
    weights: Vec<i32>,
}

/// Pillow keeps 22 fractional bits: 8 bits of pixel plus headroom for negative lobes fit an int.
const PRECISION_BITS: u32 = 32 - 8 - 2;

fn convolve<'a>(tap: &Tap, sample: impl Fn(usize) -> &'a [u8]) -> [u8; 3] {
    let mut sums = [1i32 << (PRECISION_BITS - 1); 3];
    for (i, weight) in tap.weights.iter().enumerate() {
        let rgb = sample(tap.first + i);
        for (sum, value) in sums.iter_mut().zip(rgb) {
            *sum = sum.wrapping_add(i32::from(*value).wrapping_mul(*weight));
        }
    }
    sums.map(|sum| (sum >> PRECISION_BITS).clamp(0, 255) as u8)
}

/// Pillow's `precompute_coeffs` + `normalize_coeffs_8bpc` for the outputs `start..start+count`.
struct Taps {
    taps: Vec<Tap>,
}

impl Taps {
    fn new(filter: Filter, in_size: u32, out_size: u64, start: u64, count: u32) -> Taps {
        let scale = f64::from(in_size) / out_size as f64;
        let filter_scale = scale.max(1.0);
        let support = filter.support() * filter_scale;
        let inverse = 1.0 / filter_scale;
        let taps = (start..start + u64::from(count))
            .map(|xx| {
                let center = (xx as f64 + 0.5) * scale;
                // C's (int) cast truncates toward zero, as `as i64` does.
                let min = ((center - support + 0.5) as i64).max(0);
                let max = ((center + support + 0.5) as i64).min(i64::from(in_size));
                let mut weights: Vec<f64> = (min..max)
                    .map(|x| filter.weight((x as f64 - center + 0.5) * inverse))
                    .collect();
                let total: f64 = weights.iter().sum();
                if total != 0.0 {
                    weights.iter_mut().for_each(|w| *w /= total);
                }
                Tap {
                    first: min as usize,
                    weights: weights.into_iter().map(to_fixed).collect(),
                }
            })
            .collect();
        Taps { taps }
    }

    fn first_input(&self) -> u32 {
        self.taps.iter().map(|t| t.first).min().unwrap_or(0) as u32
    }

    fn end_input(&self) -> u32 {
        self.taps.iter().map(|t| t.first + t.weights.len()).max().unwrap_or(0) as u32
    }
}

fn to_fixed(weight: f64) -> i32 {
    let scaled = weight * f64::from(1u32 << PRECISION_BITS);
    if weight < 0.0 {
        (scaled - 0.5) as i32
    } else {
        (scaled + 0.5) as i32
    }
}

/// Pillow's nearest-neighbour resize (`ImagingScaleAffine`): source coordinates advance by
/// repeated addition of the step, so the rounding of the running sum is reproduced too.
fn nearest_window(src: &RgbImage, out_width: u64, out_height: u64, window: Window) -> RgbImage {
    let source_index = |in_size: u32, out_size: u64, start: u64, count: u32| -> Vec<Option<u32>> {
        let step = f64::from(in_size) / out_size as f64;
        let mut position = step * 0.5;
        let mut indices = Vec::with_capacity(count as usize);
        for i in 0..start + u64::from(count) {
            if i >= start {
                // Pillow's COORD(): negative → -1 (outside), else truncation.
                let index = if position < 0.0 { None } else { Some(position as u64) };
                indices.push(index.filter(|&v| v < u64::from(in_size)).map(|v| v as u32));
            }
            position += step;
        }
        indices
    };
    let xs = source_index(src.width(), out_width, window.x, window.width);
    let ys = source_index(src.height(), out_height, window.y, window.height);
    // Pillow leaves black any pixel whose coordinate falls outside the source.
    RgbImage::from_fn(window.width, window.height, |x, y| {
        match (xs[x as usize], ys[y as usize]) {
            (Some(sx), Some(sy)) => *src.get_pixel(sx, sy),
            _ => image::Rgb([0, 0, 0]),
        }
    })
}
