use std::path::Path;

use image::RgbImage;

use crate::config::{self, Placement, Plan, ResizeRule};
use crate::decode::decode;
use crate::error::ImageError;
use crate::limits::ImageLimits;
use crate::resample::{copy_window, resize_window, Window};

/// The model-input recipe read from a `preprocessor_config.json`; turns pictures into
/// channel-first float tensors exactly as fastembed's `Compose.from_config` pipeline does.
#[derive(Debug, Clone)]
pub struct Preprocessor {
    plan: Plan,
}

const CHANNELS: usize = 3;

impl Preprocessor {
    /// Reads a Hugging Face `preprocessor_config.json`.
    pub fn from_config_file(path: &Path) -> Result<Preprocessor, ImageError> {
        let json = std::fs::read_to_string(path).map_err(|source| ImageError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_config_str(&json)
    }

    /// Parses the contents of a `preprocessor_config.json`; unknown fields are ignored, settings
    /// fastembed would reject (or that would not give one fixed output size) are errors.
    pub fn from_config_str(json: &str) -> Result<Preprocessor, ImageError> {
        Ok(Preprocessor {
            plan: config::parse(json)?,
        })
    }

    /// (channels, height, width) of every tensor this preprocessor writes.
    pub fn output_shape(&self) -> (usize, usize, usize) {
        let (height, width) = self.plan.output;
        (CHANNELS, height as usize, width as usize)
    }

    /// Decodes and preprocesses one image; writes C*H*W floats into `out` (len must equal C*H*W).
    pub fn process_bytes(&self, bytes: &[u8], limits: &ImageLimits, out: &mut [f32]) -> Result<(), ImageError> {
        self.check_output(out)?;
        let rgb = decode(bytes, limits)?;
        self.process_rgb8(&rgb, out)
    }

    /// Preprocesses an already decoded picture; writes C*H*W floats into `out`.
    pub fn process_rgb8(&self, rgb: &RgbImage, out: &mut [f32]) -> Result<(), ImageError> {
        self.check_output(out)?;
        let (width, height) = rgb.dimensions();
        if width == 0 || height == 0 {
            return Err(ImageError::EmptyImage { width, height });
        }
        let (resized_width, resized_height) = self.resized_size(width, height)?;
        let (out_height, out_width) = self.plan.output;
        let columns = place(self.plan.placement, resized_width, out_width);
        let rows = place(self.plan.placement, resized_height, out_height);

        let window = Window {
            x: columns.source_start,
            y: rows.source_start,
            width: columns.count,
            height: rows.count,
        };
        let pixels = match self.plan.resize {
            Some(resize) => resize_window(rgb, resized_width, resized_height, resize.filter, window),
            None => copy_window(rgb, window),
        };

        let canvas = Canvas {
            pixels: &pixels,
            columns,
            rows,
            fill: self.fill(),
        };
        self.write_tensor(&canvas, out);
        Ok(())
    }

    fn check_output(&self, out: &[f32]) -> Result<(), ImageError> {
        let (c, h, w) = self.output_shape();
        let expected = c * h * w;
        if out.len() != expected {
            return Err(ImageError::OutputLength {
                expected,
                actual: out.len(),
            });
        }
        Ok(())
    }

    /// fastembed's `resize`: exact sizes as given; for a shortest-edge size the long side is
    /// `int(size * long / short)`, a float division truncated toward zero.
    fn resized_size(&self, width: u32, height: u32) -> Result<(u64, u64), ImageError> {
        let Some(resize) = self.plan.resize else {
            return Ok((width.into(), height.into()));
        };
        let (new_width, new_height) = match resize.rule {
            ResizeRule::Exact { height, width } => (u64::from(width), u64::from(height)),
            ResizeRule::ShortestEdge(size) => {
                let (short, long) = if width <= height {
                    (width, height)
                } else {
                    (height, width)
                };
                let new_long = (u64::from(size) * u64::from(long)) as f64 / f64::from(short);
                let new_long = new_long as u64;
                if width <= height {
                    (u64::from(size), new_long)
                } else {
                    (new_long, u64::from(size))
                }
            }
        };
        // Pillow keeps sizes in C ints.
        if new_width > i32::MAX as u64 || new_height > i32::MAX as u64 {
            return Err(ImageError::Internal(format!(
                "resizing {width}x{height} would give {new_width}x{new_height}, beyond Pillow's size range"
            )));
        }
        Ok((new_width, new_height))
    }

    fn fill(&self) -> Fill {
        match self.plan.placement {
            Placement::PadToSquare { fill, .. } => Fill::Pixel(fill),
            _ => Fill::Zero,
        }
    }

    fn write_tensor(&self, canvas: &Canvas, out: &mut [f32]) {
        let (out_height, out_width) = self.plan.output;
        let plane = out_height as usize * out_width as usize;
        // fastembed's center crop switches to a float32 array when it pads, so rescaling then
        // happens in float32; otherwise numpy rescales the uint8 array in float64.
        let float_pipeline = canvas.padded() && canvas.fill == Fill::Zero;
        let rescale = self.plan.rescale;
        let normalize = self.plan.normalize;
        for channel in 0..CHANNELS {
            let target = &mut out[channel * plane..(channel + 1) * plane];
            for y in 0..out_height {
                for x in 0..out_width {
                    let pixel = canvas.sample(x, y, channel);
                    target[y as usize * out_width as usize + x as usize] =
                        config::pixel_value(pixel, channel, rescale, normalize, float_pipeline);
                }
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fill {
    /// Zero in pixel space (before rescale and normalize), as fastembed's crop pads.
    Zero,
    Pixel([u8; 3]),
}

/// How one axis of the output is filled: `count` resized pixels starting at `source_start`
/// land at `dest_start`; the rest of the axis is fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    source_start: u64,
    dest_start: u32,
    count: u32,
    output: u32,
}

fn place(placement: Placement, resized: u64, output: u32) -> Span {
    let out = u64::from(output);
    match placement {
        Placement::CenterCrop { .. } => {
            if resized >= out {
                // (orig - crop) // 2
                Span {
                    source_start: (resized - out) / 2,
                    dest_start: 0,
                    count: output,
                    output,
                }
            } else {
                // Padding is rounded up so that, with the floor-rounded crop origin, the crop
                // stays the requested size.
                let pad = (out - resized).div_ceil(2) as u32;
                Span {
                    source_start: 0,
                    dest_start: pad,
                    count: resized as u32,
                    output,
                }
            }
        }
        Placement::PadToSquare { .. } => {
            if resized > out {
                Span {
                    source_start: round_half_even_half(resized - out),
                    dest_start: 0,
                    count: output,
                    output,
                }
            } else {
                Span {
                    source_start: 0,
                    dest_start: 0,
                    count: resized as u32,
                    output,
                }
            }
        }
        // Only reached with an exact-size resize, so the resized axis already has the output size.
        Placement::None => Span {
            source_start: 0,
            dest_start: 0,
            count: output,
            output,
        },
    }
}

/// Python's `round(n / 2)`: halves go to the even neighbour.
fn round_half_even_half(n: u64) -> u64 {
    let half = n / 2;
    if n % 2 == 1 && half % 2 == 1 {
        half + 1
    } else {
        half
    }
}

struct Canvas<'a> {
    pixels: &'a RgbImage,
    columns: Span,
    rows: Span,
    fill: Fill,
}

impl Canvas<'_> {
    fn padded(&self) -> bool {
        self.columns.count < self.columns.output || self.rows.count < self.rows.output
    }

    fn sample(&self, x: u32, y: u32, channel: usize) -> u8 {
        let inside = |span: &Span, v: u32| v >= span.dest_start && v < span.dest_start + span.count;
        if inside(&self.columns, x) && inside(&self.rows, y) {
            let px = x - self.columns.dest_start;
            let py = y - self.rows.dest_start;
            self.pixels.get_pixel(px, py).0[channel]
        } else {
            match self.fill {
                Fill::Zero => 0,
                Fill::Pixel(rgb) => rgb[channel],
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_round_of_halves_goes_to_even() {
        // round(n / 2) for n = 0..8: 0, 0.5->0, 1, 1.5->2, 2, 2.5->2, 3, 3.5->4, 4
        let rounded: Vec<u64> = (0..9).map(round_half_even_half).collect();
        assert_eq!(rounded, [0, 0, 1, 2, 2, 2, 3, 4, 4]);
    }

    #[test]
    fn shortest_edge_keeps_the_short_side_and_truncates_the_long_one() {
        let pre = Preprocessor::from_config_str(
            r#"{"do_resize": true, "size": {"shortest_edge": 224}, "do_center_crop": true, "crop_size": 224}"#,
        )
        .unwrap();
        // int(224 * 300 / 200) = 336; int(224 * 333 / 223) = int(334.49) = 334
        assert_eq!(pre.resized_size(300, 200).unwrap(), (336, 224));
        assert_eq!(pre.resized_size(223, 333).unwrap(), (224, 334));
        assert_eq!(pre.resized_size(224, 224).unwrap(), (224, 224));
    }
}
