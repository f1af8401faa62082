//! Idefics3's image processing (ModernVBERT, SmolVLM) as fastembed runs it for `Qdrant/colmodernvbert`:
//! one picture becomes a variable number of square frames, not one tensor of fixed size.
//!
//! fastembed's `Compose.from_config` for `Idefics3ImageProcessor` runs, in order:
//! 1. `ResizeLongestEdge` (when `do_resize`): the longest side to `size.longest_edge`, the other
//!    `int(longest / aspect)` (or `int(longest * aspect)`), each then rounded up to an even number;
//! 2. with `do_image_splitting`, `ResizeForVisionEncoder`: both sides up to multiples of the frame size
//!    (`max_image_size.longest_edge`, 512), the second one derived from the aspect ratio first; then
//!    `ImageSplitter`: an image larger than one frame becomes its grid of frame-sized crops, row by row,
//!    followed by the whole image resized to one frame (the global view); an image of one frame stays one;
//!    without splitting, `SquareResize`: one frame, the whole image squeezed to the frame size;
//! 3. rescale and normalize, as for every other processor.
//!
//! Every resize is Pillow's on 8-bit RGB (`resample`, Lanczos unless configured), reproduced by [`crate::resample`].

use image::RgbImage;
use serde_json::{Map, Value};

use crate::config::{self, Normalize};
use crate::decode::decode;
use crate::error::ImageError;
use crate::limits::ImageLimits;
use crate::resample::{resize_window, Filter, Window};

const CHANNELS: usize = 3;
/// fastembed's default frame size when `max_image_size` says none.
const DEFAULT_FRAME: u32 = 512;

/// The recipe of an Idefics3 `preprocessor_config.json`.
#[derive(Debug, Clone)]
pub struct Idefics3Preprocessor {
    longest_edge: Option<u32>,
    split: bool,
    frame: u32,
    filter: Filter,
    rescale: Option<f64>,
    normalize: Option<Normalize>,
}

/// How an image was cut: `rows × cols` crops plus the global view, or (`0 × 0`) one frame for the whole image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameGrid {
    pub rows: u32,
    pub cols: u32,
}

impl FrameGrid {
    /// The number of frames the grid makes: its crops and the global view, or the single frame.
    pub fn frames(&self) -> usize {
        if self.rows == 0 {
            1
        } else {
            self.rows as usize * self.cols as usize + 1
        }
    }
}

/// One image's frames, channel-first floats, `grid.frames()` × 3 × frame × frame.
#[derive(Debug, Clone)]
pub struct Frames {
    pub grid: FrameGrid,
    pub data: Vec<f32>,
}

impl Idefics3Preprocessor {
    /// Whether a `preprocessor_config.json` names Idefics3's processor (which [`crate::Preprocessor`] rejects).
    pub fn is_idefics3_config(json: &str) -> bool {
        serde_json::from_str::<Value>(json).is_ok_and(|v| v["image_processor_type"] == "Idefics3ImageProcessor")
    }

    pub fn from_config_str(json: &str) -> Result<Idefics3Preprocessor, ImageError> {
        let value: Value =
            serde_json::from_str(json).map_err(|e| ImageError::config(format!("not valid JSON: {e}")))?;
        let config = value
            .as_object()
            .ok_or_else(|| ImageError::config("the top level must be a JSON object"))?;
        if config.get("image_processor_type").and_then(Value::as_str) != Some("Idefics3ImageProcessor") {
            return Err(ImageError::config(
                "image_processor_type must be Idefics3ImageProcessor",
            ));
        }
        let longest_edge = if config::flag(config, "do_resize", false)? {
            let size = config::required(config, "size")?
                .as_object()
                .ok_or_else(|| ImageError::config("size must be an object with 'longest_edge'"))?;
            Some(config::side(size, "longest_edge", "size")?)
        } else {
            None
        };
        Ok(Idefics3Preprocessor {
            longest_edge,
            split: config::flag(config, "do_image_splitting", false)?,
            frame: frame_size(config)?,
            // fastembed's default for Idefics3 is Lanczos, not Pillow's bicubic.
            filter: match config.get("resample") {
                None => Filter::Lanczos,
                value => config::pil_resample(value)?,
            },
            rescale: config::rescale_step(config)?,
            normalize: config::normalize_step(config)?,
        })
    }

    /// The side of every (square) frame, `max_image_size.longest_edge`.
    pub fn frame_size(&self) -> u32 {
        self.frame
    }

    /// Floats per frame: 3 × frame × frame.
    pub fn frame_len(&self) -> usize {
        CHANNELS * self.frame as usize * self.frame as usize
    }

    /// The grid an image of `width × height` is cut into, from the sizes alone.
    pub fn grid(&self, width: u32, height: u32) -> Result<FrameGrid, ImageError> {
        let (width, height) = self.resized_size(width, height)?;
        Ok(self.grid_of(self.vision_size(width, height)?))
    }

    pub fn process_bytes(&self, bytes: &[u8], limits: &ImageLimits) -> Result<Frames, ImageError> {
        self.process_rgb8(&decode(bytes, limits)?)
    }

    pub fn process_rgb8(&self, rgb: &RgbImage) -> Result<Frames, ImageError> {
        let (width, height) = self.resized_size(rgb.width(), rgb.height())?;
        let resized = resize(rgb, width, height, self.filter);
        let (width, height) = self.vision_size(width, height)?;
        let image = resize(&resized, width, height, self.filter);
        let grid = self.grid_of((width, height));
        let mut data = Vec::new();
        data.try_reserve_exact(grid.frames() * self.frame_len())
            .map_err(|_| ImageError::Internal(format!("no memory for {} frames", grid.frames())))?;
        if grid.rows == 0 {
            self.write_frame(&resize(&image, self.frame, self.frame, self.filter), &mut data);
        } else {
            // Crops of exactly one frame each: the vision-encoder resize made both sides multiples of it.
            for row in 0..grid.rows {
                for col in 0..grid.cols {
                    let crop =
                        image::imageops::crop_imm(&image, col * self.frame, row * self.frame, self.frame, self.frame);
                    self.write_frame(&crop.to_image(), &mut data);
                }
            }
            self.write_frame(&resize(&image, self.frame, self.frame, self.filter), &mut data);
        }
        Ok(Frames { grid, data })
    }

    /// fastembed's `resize_longest_edge`: truncating float arithmetic, then odd sides made even.
    fn resized_size(&self, width: u32, height: u32) -> Result<(u32, u32), ImageError> {
        if width == 0 || height == 0 {
            return Err(ImageError::EmptyImage { width, height });
        }
        let Some(longest) = self.longest_edge else {
            return Ok((width, height));
        };
        let aspect = f64::from(width) / f64::from(height);
        let (new_width, new_height) = if width >= height {
            (longest, (f64::from(longest) / aspect) as u32)
        } else {
            ((f64::from(longest) * aspect) as u32, longest)
        };
        let even = |side: u32| side + side % 2;
        nonzero(width, height, (even(new_width), even(new_height)))
    }

    /// fastembed's `ResizeForVisionEncoder` (with splitting) or the single frame of `SquareResize`.
    fn vision_size(&self, width: u32, height: u32) -> Result<(u32, u32), ImageError> {
        if !self.split {
            return Ok((self.frame, self.frame));
        }
        let frame = u64::from(self.frame);
        let up = |side: u64| side.div_ceil(frame) * frame;
        let aspect = f64::from(width) / f64::from(height);
        let (new_width, new_height) = if width >= height {
            let new_width = up(width.into());
            (new_width, up((new_width as f64 / aspect) as u64))
        } else {
            let new_height = up(height.into());
            (up((new_height as f64 * aspect) as u64), new_height)
        };
        let fits = |side: u64| u32::try_from(side).map_err(|_| ImageError::Internal(format!("side {side} too large")));
        nonzero(width, height, (fits(new_width)?, fits(new_height)?))
    }

    fn grid_of(&self, (width, height): (u32, u32)) -> FrameGrid {
        if self.split && (width > self.frame || height > self.frame) {
            FrameGrid {
                rows: height.div_ceil(self.frame),
                cols: width.div_ceil(self.frame),
            }
        } else {
            FrameGrid { rows: 0, cols: 0 }
        }
    }

    /// Appends one frame, channel-first, rescaled and normalized as fastembed's numpy steps do.
    fn write_frame(&self, frame: &RgbImage, out: &mut Vec<f32>) {
        for channel in 0..CHANNELS {
            out.extend(
                frame
                    .pixels()
                    .map(|pixel| config::pixel_value(pixel.0[channel], channel, self.rescale, self.normalize, false)),
            );
        }
    }
}

fn frame_size(config: &Map<String, Value>) -> Result<u32, ImageError> {
    match config.get("max_image_size") {
        None => Ok(DEFAULT_FRAME),
        Some(Value::Object(size)) if !size.contains_key("longest_edge") => Ok(DEFAULT_FRAME),
        Some(Value::Object(size)) => config::side(size, "longest_edge", "max_image_size"),
        Some(other) => Err(ImageError::config(format!(
            "max_image_size must be an object with 'longest_edge', got {other}"
        ))),
    }
}

/// Pillow refuses to resize to a side of 0, which a very thin picture reaches through the truncations.
fn nonzero(width: u32, height: u32, size: (u32, u32)) -> Result<(u32, u32), ImageError> {
    if size.0 == 0 || size.1 == 0 {
        return Err(ImageError::Internal(format!(
            "an image of {width}x{height} is too thin: resizing it would give {}x{}",
            size.0, size.1
        )));
    }
    Ok(size)
}

/// Pillow's `resize` of the whole picture (a plain copy when the size does not change).
fn resize(rgb: &RgbImage, width: u32, height: u32, filter: Filter) -> RgbImage {
    let window = Window {
        x: 0,
        y: 0,
        width,
        height,
    };
    resize_window(rgb, width.into(), height.into(), filter, window)
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLMODERNVBERT_LIKE: &str = r#"{"image_processor_type": "Idefics3ImageProcessor", "do_resize": true,
        "size": {"longest_edge": 2048}, "do_image_splitting": true, "max_image_size": {"longest_edge": 512},
        "resample": 1, "do_rescale": true, "rescale_factor": 0.00392156862745098, "do_normalize": true,
        "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5]}"#;

    fn pre() -> Idefics3Preprocessor {
        Idefics3Preprocessor::from_config_str(COLMODERNVBERT_LIKE).unwrap()
    }

    #[test]
    fn longest_edge_truncates_the_short_side_then_makes_it_even() {
        // 640x480: 2048 / (640/480) = 1536. 500x333: 2048 / 1.5015.. = 1363.96 -> 1363 -> 1364.
        // 333x500 (portrait): 2048 * 0.666 = 1363.96 -> 1364.
        assert_eq!(pre().resized_size(640, 480).unwrap(), (2048, 1536));
        assert_eq!(pre().resized_size(500, 333).unwrap(), (2048, 1364));
        assert_eq!(pre().resized_size(333, 500).unwrap(), (1364, 2048));
    }

    #[test]
    fn grids_follow_fastembeds_splitter() {
        // 640x480 -> 2048x1536 -> multiples of 512 already: 3 rows x 4 cols.
        assert_eq!(pre().grid(640, 480).unwrap(), FrameGrid { rows: 3, cols: 4 });
        // 500x333 -> 2048x1364 -> height 1364 up to 1536: 3 x 4.
        assert_eq!(pre().grid(500, 333).unwrap(), FrameGrid { rows: 3, cols: 4 });
        // 300x1000 (portrait) -> int(2048 * 0.3) = 614 x 2048 -> width 614 up to 1024: 4 rows x 2 cols.
        assert_eq!(pre().grid(300, 1000).unwrap(), FrameGrid { rows: 4, cols: 2 });
        // 2000x100 -> 2048x102 -> 2048x512: one row of 4.
        assert_eq!(pre().grid(2000, 100).unwrap(), FrameGrid { rows: 1, cols: 4 });
        assert_eq!(pre().grid(2000, 100).unwrap().frames(), 5);
    }

    #[test]
    fn an_image_of_one_frame_is_not_split() {
        let small = Idefics3Preprocessor::from_config_str(
            r#"{"image_processor_type": "Idefics3ImageProcessor", "do_resize": true, "size": {"longest_edge": 500},
            "do_image_splitting": true, "max_image_size": {"longest_edge": 512}}"#,
        )
        .unwrap();
        // 500x400 -> 512x512 after the vision-encoder resize: one frame, no global view.
        let grid = small.grid(1000, 800).unwrap();
        assert_eq!(grid, FrameGrid { rows: 0, cols: 0 });
        assert_eq!(grid.frames(), 1);
    }

    #[test]
    fn without_splitting_every_image_is_one_square_frame() {
        let square = Idefics3Preprocessor::from_config_str(
            r#"{"image_processor_type": "Idefics3ImageProcessor", "do_image_splitting": false,
            "max_image_size": {"longest_edge": 8}}"#,
        )
        .unwrap();
        let frames = square
            .process_rgb8(&RgbImage::from_pixel(30, 12, image::Rgb([255, 0, 51])))
            .unwrap();
        assert_eq!(frames.grid.frames(), 1);
        assert_eq!(frames.data.len(), 3 * 8 * 8);
        // A flat colour stays flat through Lanczos; rescaled by 1/255 (no normalization configured).
        assert!(frames.data[..64].iter().all(|&v| v == 1.0));
        assert!(frames.data[64..128].iter().all(|&v| v == 0.0));
        assert!(frames.data[128..].iter().all(|&v| v == (51.0f64 / 255.0) as f32));
    }

    #[test]
    fn split_frames_are_the_crops_in_row_order_then_the_global_view() {
        let tiny = Idefics3Preprocessor::from_config_str(
            r#"{"image_processor_type": "Idefics3ImageProcessor", "do_image_splitting": true,
            "max_image_size": {"longest_edge": 2}, "do_rescale": false}"#,
        )
        .unwrap();
        // 4x2 pixels, multiples of the frame: no resize, one row of two crops.
        let image = RgbImage::from_fn(4, 2, |x, y| image::Rgb([(10 * x + y) as u8, 0, 0]));
        let frames = tiny.process_rgb8(&image).unwrap();
        assert_eq!(frames.grid, FrameGrid { rows: 1, cols: 2 });
        let red = |frame: usize| frames.data[frame * 12..frame * 12 + 4].to_vec();
        assert_eq!(red(0), [0.0, 10.0, 1.0, 11.0]);
        assert_eq!(red(1), [20.0, 30.0, 21.0, 31.0]);
        assert_eq!(frames.data.len(), 3 * 12);
    }

    #[test]
    fn a_too_thin_image_is_an_error_not_a_panic() {
        // 3000x1 -> 2048 x int(0.68) = 0: Pillow would refuse the size.
        let error = pre().process_rgb8(&RgbImage::new(3000, 1)).unwrap_err();
        assert!(error.to_string().contains("too thin"), "{error}");
    }

    #[test]
    fn other_processors_are_not_idefics3() {
        assert!(Idefics3Preprocessor::is_idefics3_config(COLMODERNVBERT_LIKE));
        assert!(!Idefics3Preprocessor::is_idefics3_config(
            r#"{"image_processor_type": "SiglipImageProcessor"}"#
        ));
        assert!(Idefics3Preprocessor::from_config_str(r#"{"image_processor_type": "SiglipImageProcessor"}"#).is_err());
    }
}
