//! Turns a Hugging Face `preprocessor_config.json` into the list of steps fastembed's
//! `Compose.from_config` would run, with the same defaults and the same order:
//! convert to RGB → resize → pad to square (Jina CLIP) → center crop → to array → rescale →
//! normalize.

use serde_json::{Map, Value};

use crate::error::ImageError;
use crate::resample::Filter;

/// The largest output side or resize target we accept from a config.
const MAX_CONFIG_SIDE: u64 = 16_384;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ResizeRule {
    /// Scale so the shorter side becomes `n`, keeping the aspect ratio (fastembed's int size).
    ShortestEdge(u32),
    /// Scale to exactly this size, ignoring the aspect ratio.
    Exact { height: u32, width: u32 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Resize {
    pub rule: ResizeRule,
    pub filter: Filter,
}

/// What happens after resizing to bring the picture to its final size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Placement {
    None,
    /// fastembed's `center_crop`: floor-rounded offsets, zero padding when the image is smaller.
    CenterCrop {
        height: u32,
        width: u32,
    },
    /// fastembed's `pad2square` (Jina CLIP): crop larger sides around the centre, paste at the
    /// top-left corner of a `size` square filled with `fill`.
    PadToSquare {
        size: u32,
        fill: [u8; 3],
    },
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Normalize {
    pub mean: [f32; 3],
    pub std: [f32; 3],
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Plan {
    pub resize: Option<Resize>,
    pub placement: Placement,
    pub rescale: Option<f64>,
    pub normalize: Option<Normalize>,
    /// (height, width) of every output.
    pub output: (u32, u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Processor {
    /// CLIPImageProcessor and SiglipImageProcessor, which fastembed treats alike.
    Clip,
    ConvNext,
    JinaClip,
}

pub(crate) fn parse(json: &str) -> Result<Plan, ImageError> {
    let value: Value = serde_json::from_str(json).map_err(|e| ImageError::config(format!("not valid JSON: {e}")))?;
    let config = value
        .as_object()
        .ok_or_else(|| ImageError::config("the top level must be a JSON object"))?;

    let processor = processor(config)?;
    let resize = resize_step(processor, config)?;
    let placement = placement_step(processor, config, resize)?;
    let rescale = rescale_step(config)?;
    let normalize = normalize_step(config)?;
    let output = output_size(resize, placement)?;
    Ok(Plan {
        resize,
        placement,
        rescale,
        normalize,
        output,
    })
}

fn processor(config: &Map<String, Value>) -> Result<Processor, ImageError> {
    let name = match config.get("image_processor_type") {
        None => "CLIPImageProcessor",
        Some(Value::String(name)) => name.as_str(),
        Some(other) => {
            return Err(ImageError::config(format!(
                "image_processor_type must be a string, got {other}"
            )))
        }
    };
    match name {
        "CLIPImageProcessor" | "SiglipImageProcessor" => Ok(Processor::Clip),
        "ConvNextFeatureExtractor" => Ok(Processor::ConvNext),
        "JinaCLIPImageProcessor" => Ok(Processor::JinaClip),
        other => Err(ImageError::config(format!(
            "image_processor_type {other:?} is not supported (supported: CLIPImageProcessor, \
             SiglipImageProcessor, ConvNextFeatureExtractor, JinaCLIPImageProcessor)"
        ))),
    }
}

fn resize_step(processor: Processor, config: &Map<String, Value>) -> Result<Option<Resize>, ImageError> {
    match processor {
        Processor::Clip => {
            if !flag(config, "do_resize", false)? {
                return Ok(None);
            }
            let size = required(config, "size")?;
            let rule = match size {
                Value::Object(dims) if dims.contains_key("shortest_edge") => {
                    ResizeRule::ShortestEdge(side(dims, "shortest_edge", "size")?)
                }
                Value::Object(dims) if dims.contains_key("height") && dims.contains_key("width") => ResizeRule::Exact {
                    height: side(dims, "height", "size")?,
                    width: side(dims, "width", "size")?,
                },
                Value::Object(_) => {
                    return Err(ImageError::config(
                        "size must contain either 'shortest_edge' or 'height' and 'width'",
                    ))
                }
                // Hugging Face reads a bare number as the shortest edge for CLIP-style processors.
                number => ResizeRule::ShortestEdge(positive_side(number, "size")?),
            };
            Ok(Some(Resize {
                rule,
                filter: pil_resample(config.get("resample"))?,
            }))
        }
        Processor::ConvNext => {
            if !flag(config, "do_resize", true)? {
                return Ok(None);
            }
            let shortest_edge = convnext_shortest_edge(config)?;
            let filter = pil_resample(config.get("resample"))?;
            if shortest_edge < 384 {
                let crop_pct = crop_pct(config)?;
                // fastembed: int(shortest_edge / crop_pct), a truncating float division.
                let scaled = f64::from(shortest_edge) / crop_pct;
                if !(1.0..=MAX_CONFIG_SIDE as f64).contains(&scaled.trunc()) {
                    return Err(ImageError::config(format!(
                        "shortest_edge {shortest_edge} / crop_pct {crop_pct} gives an unusable resize target"
                    )));
                }
                Ok(Some(Resize {
                    rule: ResizeRule::ShortestEdge(scaled as u32),
                    filter,
                }))
            } else {
                let rule = ResizeRule::Exact {
                    height: shortest_edge,
                    width: shortest_edge,
                };
                Ok(Some(Resize { rule, filter }))
            }
        }
        Processor::JinaClip => {
            let filter = match config.get("interpolation") {
                Some(Value::String(name)) => filter_by_name(name)?,
                // fastembed: `interpolation or BICUBIC`, so a falsy 0 (nearest) also means bicubic.
                None | Some(Value::Null) => Filter::Bicubic,
                Some(value) if value.as_u64() == Some(0) => Filter::Bicubic,
                Some(value) => pil_resample(Some(value))?,
            };
            let Some(size) = config.get("size") else {
                return Ok(None);
            };
            let mode = match config.get("resize_mode") {
                None => "shortest",
                Some(Value::String(mode)) => mode.as_str(),
                Some(other) => return Err(ImageError::config(format!("resize_mode must be a string, got {other}"))),
            };
            if mode != "shortest" {
                return Ok(None);
            }
            Ok(Some(Resize {
                rule: ResizeRule::ShortestEdge(positive_side(size, "size")?),
                filter,
            }))
        }
    }
}

fn convnext_shortest_edge(config: &Map<String, Value>) -> Result<u32, ImageError> {
    match required(config, "size")? {
        Value::Object(dims) => {
            if !dims.contains_key("shortest_edge") {
                let keys: Vec<&str> = dims.keys().map(String::as_str).collect();
                return Err(ImageError::config(format!(
                    "size must contain 'shortest_edge' for ConvNextFeatureExtractor, got keys {keys:?}"
                )));
            }
            side(dims, "shortest_edge", "size")
        }
        number => positive_side(number, "size"),
    }
}

fn crop_pct(config: &Map<String, Value>) -> Result<f64, ImageError> {
    match config.get("crop_pct") {
        None => Ok(0.875),
        Some(value) => match value.as_f64() {
            Some(pct) if pct > 0.0 && pct.is_finite() => Ok(pct),
            _ => Err(ImageError::config(format!(
                "crop_pct must be a positive number, got {value}"
            ))),
        },
    }
}

fn placement_step(
    processor: Processor,
    config: &Map<String, Value>,
    resize: Option<Resize>,
) -> Result<Placement, ImageError> {
    match processor {
        Processor::Clip => {
            if !flag(config, "do_center_crop", false)? {
                return Ok(Placement::None);
            }
            let (height, width) = match required(config, "crop_size")? {
                Value::Object(dims) => (side(dims, "height", "crop_size")?, side(dims, "width", "crop_size")?),
                Value::Number(_) => {
                    let n = positive_side(&config["crop_size"], "crop_size")?;
                    (n, n)
                }
                other => return Err(ImageError::config(format!("invalid crop_size {other}"))),
            };
            Ok(Placement::CenterCrop { height, width })
        }
        // fastembed crops ConvNext inside its resize step, and only when it resizes.
        Processor::ConvNext => match resize {
            Some(Resize {
                rule: ResizeRule::ShortestEdge(_),
                ..
            }) => {
                let edge = convnext_shortest_edge(config)?;
                Ok(Placement::CenterCrop {
                    height: edge,
                    width: edge,
                })
            }
            _ => Ok(Placement::None),
        },
        Processor::JinaClip => {
            let size = positive_side(required(config, "size")?, "size")?;
            let fill = fill_color(config.get("fill_color"))?;
            Ok(Placement::PadToSquare { size, fill })
        }
    }
}

/// Pillow colour for an RGB image: an int is a packed 0xBBGGRR value, a list is (r, g, b).
fn fill_color(value: Option<&Value>) -> Result<[u8; 3], ImageError> {
    let bad = |v: &Value| ImageError::config(format!("fill_color {v} is not supported (use an integer or [r, g, b])"));
    match value {
        None | Some(Value::Null) => Ok([0, 0, 0]),
        Some(v @ Value::Number(_)) => {
            let packed = v.as_u64().filter(|n| *n <= 0xFF_FFFF).ok_or_else(|| bad(v))?;
            Ok([packed as u8, (packed >> 8) as u8, (packed >> 16) as u8])
        }
        Some(v @ Value::Array(items)) if items.len() == 3 => {
            let mut rgb = [0u8; 3];
            for (slot, item) in rgb.iter_mut().zip(items) {
                *slot = item.as_u64().filter(|n| *n <= 255).ok_or_else(|| bad(v))? as u8;
            }
            Ok(rgb)
        }
        Some(v) => Err(bad(v)),
    }
}

pub(crate) fn rescale_step(config: &Map<String, Value>) -> Result<Option<f64>, ImageError> {
    if !flag(config, "do_rescale", true)? {
        return Ok(None);
    }
    match config.get("rescale_factor") {
        None => Ok(Some(1.0 / 255.0)),
        Some(value) => match value.as_f64() {
            Some(factor) if factor.is_finite() => Ok(Some(factor)),
            _ => Err(ImageError::config(format!(
                "rescale_factor must be a number, got {value}"
            ))),
        },
    }
}

/// One channel value as fastembed's numpy steps make it: rescaled — the uint8 array times a Python float, in
/// float64 then cast to float32, or in float32 when the array is float32 already (`float32_array`) — then
/// normalized.
#[inline]
pub(crate) fn pixel_value(
    raw: u8,
    channel: usize,
    rescale: Option<f64>,
    normalize: Option<Normalize>,
    float32_array: bool,
) -> f32 {
    let mut value = match rescale {
        Some(factor) if float32_array => f32::from(raw) * factor as f32,
        Some(factor) => (f64::from(raw) * factor) as f32,
        None => f32::from(raw),
    };
    if let Some(n) = normalize {
        value = (value - n.mean[channel]) / n.std[channel];
    }
    value
}

pub(crate) fn normalize_step(config: &Map<String, Value>) -> Result<Option<Normalize>, ImageError> {
    let (mean, std) = if flag(config, "do_normalize", false)? {
        (required(config, "image_mean")?, required(config, "image_std")?)
    } else if let (Some(mean), Some(std)) = (config.get("mean"), config.get("std")) {
        (mean, std)
    } else {
        return Ok(None);
    };
    let mean = per_channel(mean, "mean")?;
    let std = per_channel(std, "std")?;
    if let Some(zero) = std.iter().find(|s| **s == 0.0) {
        return Err(ImageError::config(format!(
            "std must not contain {zero} (division by zero)"
        )));
    }
    Ok(Some(Normalize { mean, std }))
}

/// A number for all three channels or a list of three; numpy holds them as float32.
fn per_channel(value: &Value, name: &str) -> Result<[f32; 3], ImageError> {
    let number = |v: &Value| {
        v.as_f64()
            .filter(|f| f.is_finite())
            .map(|f| f as f32)
            .ok_or_else(|| ImageError::config(format!("{name} must be numbers, got {v}")))
    };
    match value {
        Value::Array(items) if items.len() == 3 => Ok([number(&items[0])?, number(&items[1])?, number(&items[2])?]),
        Value::Array(items) => Err(ImageError::config(format!(
            "{name} must have 3 values (one per RGB channel), got {}",
            items.len()
        ))),
        single => Ok([number(single)?; 3]),
    }
}

fn output_size(resize: Option<Resize>, placement: Placement) -> Result<(u32, u32), ImageError> {
    match (placement, resize) {
        (Placement::CenterCrop { height, width }, _) => Ok((height, width)),
        (Placement::PadToSquare { size, .. }, _) => Ok((size, size)),
        (
            Placement::None,
            Some(Resize {
                rule: ResizeRule::Exact { height, width },
                ..
            }),
        ) => Ok((height, width)),
        _ => Err(ImageError::config(
            "this configuration keeps each image's own aspect ratio (no center crop, padding or \
             fixed height/width resize), so outputs would differ in size; a model input needs one fixed size",
        )),
    }
}

/// PIL's resampling codes; a missing or null value means Pillow's default for RGB, bicubic.
pub(crate) fn pil_resample(value: Option<&Value>) -> Result<Filter, ImageError> {
    match value {
        None | Some(Value::Null) => Ok(Filter::Bicubic),
        Some(value) => match value.as_u64() {
            Some(0) => Ok(Filter::Nearest),
            Some(1) => Ok(Filter::Lanczos),
            Some(2) => Ok(Filter::Bilinear),
            Some(3) => Ok(Filter::Bicubic),
            Some(4) => Ok(Filter::Box),
            Some(5) => Ok(Filter::Hamming),
            _ => Err(ImageError::config(format!(
                "resample {value} is not a PIL filter (0 nearest, 1 lanczos, 2 bilinear, 3 bicubic, 4 box, 5 hamming)"
            ))),
        },
    }
}

fn filter_by_name(name: &str) -> Result<Filter, ImageError> {
    match name.to_ascii_lowercase().as_str() {
        "nearest" => Ok(Filter::Nearest),
        "lanczos" => Ok(Filter::Lanczos),
        "bilinear" => Ok(Filter::Bilinear),
        "bicubic" => Ok(Filter::Bicubic),
        "box" => Ok(Filter::Box),
        "hamming" => Ok(Filter::Hamming),
        _ => Err(ImageError::config(format!("unknown interpolation method {name:?}"))),
    }
}

/// Python truthiness of an optional setting: missing → default, null → false.
pub(crate) fn flag(config: &Map<String, Value>, key: &str, default: bool) -> Result<bool, ImageError> {
    match config.get(key) {
        None => Ok(default),
        Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::Number(n)) => Ok(n.as_f64() != Some(0.0)),
        Some(other) => Err(ImageError::config(format!("{key} must be true or false, got {other}"))),
    }
}

pub(crate) fn required<'a>(config: &'a Map<String, Value>, key: &str) -> Result<&'a Value, ImageError> {
    config
        .get(key)
        .ok_or_else(|| ImageError::config(format!("{key} is required by this configuration")))
}

pub(crate) fn side(dims: &Map<String, Value>, key: &str, parent: &str) -> Result<u32, ImageError> {
    let value = dims
        .get(key)
        .ok_or_else(|| ImageError::config(format!("{parent} must contain '{key}'")))?;
    positive_side(value, &format!("{parent}.{key}"))
}

fn positive_side(value: &Value, name: &str) -> Result<u32, ImageError> {
    match value.as_u64() {
        Some(n) if (1..=MAX_CONFIG_SIDE).contains(&n) => Ok(n as u32),
        _ => Err(ImageError::config(format!(
            "{name} must be a whole number of pixels from 1 to {MAX_CONFIG_SIDE}, got {value}"
        ))),
    }
}
