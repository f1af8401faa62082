mod common;

use common::*;
use fastembed_image::image::{Rgb, RgbImage};
use fastembed_image::{ImageError, ImageLimits, Preprocessor};

fn run(config: &str, image: &RgbImage) -> (Vec<f32>, (usize, usize, usize)) {
    let pre = Preprocessor::from_config_str(config).expect("valid config");
    let shape = pre.output_shape();
    let mut out = vec![f32::NAN; shape.0 * shape.1 * shape.2];
    pre.process_rgb8(image, &mut out).expect("processes");
    (out, shape)
}

fn at(out: &[f32], shape: (usize, usize, usize), c: usize, y: usize, x: usize) -> f32 {
    out[(c * shape.1 + y) * shape.2 + x]
}

/// fastembed's arithmetic for one pixel value: numpy rescales the uint8 array in float64,
/// stores float32, then normalises in float32.
fn clip_normalized(value: u8, channel: usize) -> f32 {
    let rescaled = (f64::from(value) * 0.003_921_568_627_450_98) as f32;
    (rescaled - CLIP_MEAN[channel] as f32) / CLIP_STD[channel] as f32
}

#[test]
fn clip_config_gives_a_224_square() {
    let pre = Preprocessor::from_config_str(CLIP_VIT_B_32).unwrap();
    assert_eq!(pre.output_shape(), (3, 224, 224));
}

#[test]
fn a_solid_colour_becomes_its_normalized_value_everywhere() {
    let colour = [200u8, 100, 50];
    let (out, shape) = run(CLIP_VIT_B_32, &RgbImage::from_pixel(300, 200, Rgb(colour)));
    for c in 0..3 {
        let expected = clip_normalized(colour[c], c);
        assert!((expected - ((f64::from(colour[c]) / 255.0 - CLIP_MEAN[c]) / CLIP_STD[c]) as f32).abs() < 1e-6);
        for y in 0..shape.1 {
            for x in 0..shape.2 {
                assert_eq!(at(&out, shape, c, y, x), expected, "channel {c} at ({x},{y})");
            }
        }
    }
}

#[test]
fn an_extreme_aspect_ratio_is_handled_without_building_the_whole_resized_image() {
    // 1x16384 resized to a shortest edge of 224 is 224 x 3,670,016 pixels (about 2.4 GB of RGB);
    // only the 224x224 crop is ever computed.
    let (out, shape) = run(CLIP_VIT_B_32, &RgbImage::from_pixel(1, 16_384, Rgb([9, 99, 199])));
    for c in 0..3 {
        let expected = clip_normalized([9, 99, 199][c], c);
        assert!(out[c * shape.1 * shape.2..(c + 1) * shape.1 * shape.2]
            .iter()
            .all(|v| *v == expected));
    }
}

const RAW_CROP: &str = r#"{"do_center_crop": true, "crop_size": {"height": 3, "width": 4}, "do_rescale": false}"#;

#[test]
fn center_crop_uses_floor_rounded_offsets() {
    let image = coordinate_image(10, 7);
    let (out, shape) = run(RAW_CROP, &image);
    assert_eq!(shape, (3, 3, 4));
    // (10 - 4) / 2 = 3 and (7 - 3) // 2 = 2
    for c in 0..3 {
        for y in 0..3 {
            for x in 0..4 {
                let source = image.get_pixel(x as u32 + 3, y as u32 + 2).0[c];
                assert_eq!(at(&out, shape, c, y, x), f32::from(source));
            }
        }
    }
}

#[test]
fn a_crop_larger_than_the_image_pads_with_zeros_rounding_the_padding_up() {
    let image = RgbImage::from_fn(10, 7, |x, y| Rgb([1 + x as u8, 1 + y as u8, 50]));
    let config = r#"{"do_center_crop": true, "crop_size": {"height": 10, "width": 13}, "do_rescale": false}"#;
    let (out, shape) = run(config, &image);
    assert_eq!(shape, (3, 10, 13));
    // 3 extra columns and 3 extra rows: ceil(3 / 2) = 2 go before the picture, 1 after.
    for y in 0..10 {
        for x in 0..13 {
            let inside = (2..12).contains(&x) && (2..9).contains(&y);
            for c in 0..3 {
                let expected = if inside {
                    f32::from(image.get_pixel(x as u32 - 2, y as u32 - 2).0[c])
                } else {
                    0.0
                };
                assert_eq!(at(&out, shape, c, y, x), expected, "({x},{y}) channel {c}");
            }
        }
    }
}

#[test]
fn padding_is_zero_before_normalization() {
    let config = r#"{"do_center_crop": true, "crop_size": 6, "do_normalize": true,
                     "image_mean": [0.5, 0.25, 0.125], "image_std": [0.5, 0.5, 0.25]}"#;
    let (out, shape) = run(config, &RgbImage::from_pixel(2, 6, Rgb([255, 255, 255])));
    // columns 0-1 and 4-5 are padding
    assert_eq!(at(&out, shape, 0, 0, 0), -1.0);
    assert_eq!(at(&out, shape, 1, 3, 5), -0.5);
    assert_eq!(at(&out, shape, 2, 5, 1), -0.5);
    // 255 * float32(1/255) in float32 arithmetic (the padded array is float32 in fastembed)
    let one = 255.0f32 * (1.0f64 / 255.0) as f32;
    assert_eq!(at(&out, shape, 0, 2, 2), (one - 0.5) / 0.5);
}

#[test]
fn a_crop_larger_in_one_direction_only_pads_that_direction() {
    let image = coordinate_image(10, 7);
    let config = r#"{"do_center_crop": true, "crop_size": {"height": 5, "width": 12}, "do_rescale": false}"#;
    let (out, shape) = run(config, &image);
    for y in 0..5 {
        for x in 0..12 {
            let expected = if (1..11).contains(&x) {
                f32::from(image.get_pixel(x as u32 - 1, y as u32 + 1).0[0])
            } else {
                0.0
            };
            assert_eq!(at(&out, shape, 0, y, x), expected, "({x},{y})");
        }
    }
}

#[test]
fn shortest_edge_resize_truncates_the_long_side() {
    // 7x3 with shortest edge 5: the long side is int(5 * 7 / 3) = int(11.67) = 11, not 12.
    // A crop larger than that pads around the resized picture, which makes its size visible.
    let config = r#"{"do_resize": true, "size": {"shortest_edge": 5}, "resample": 2,
                     "do_center_crop": true, "crop_size": 20, "do_rescale": false}"#;
    let (out, shape) = run(config, &RgbImage::from_pixel(7, 3, Rgb([10, 20, 30])));
    let filled: Vec<(usize, usize)> = (0..20)
        .flat_map(|y| (0..20).map(move |x| (x, y)))
        .filter(|&(x, y)| at(&out, shape, 0, y, x) != 0.0)
        .collect();
    let width = filled.iter().map(|p| p.0).max().unwrap() - filled.iter().map(|p| p.0).min().unwrap() + 1;
    let height = filled.iter().map(|p| p.1).max().unwrap() - filled.iter().map(|p| p.1).min().unwrap() + 1;
    assert_eq!((width, height, filled.len()), (11, 5, 55));
    assert_eq!(filled[0], (5, 8)); // ceil((20 - 11) / 2), ceil((20 - 5) / 2)
}

fn exact_resize(width: u32, height: u32, resample: u8) -> String {
    format!(
        r#"{{"do_resize": true, "size": {{"height": {height}, "width": {width}}}, "resample": {resample}, "do_rescale": false}}"#
    )
}

fn row(values: &[u8]) -> RgbImage {
    RgbImage::from_fn(values.len() as u32, 1, |x, _| Rgb([values[x as usize]; 3]))
}

fn first_channel(out: &[f32], shape: (usize, usize, usize)) -> Vec<f32> {
    out[..shape.1 * shape.2].to_vec()
}

/// Rounds a hand-computed sample, refusing values too close to .5 to decide.
fn rounded(value: f64) -> f32 {
    assert!((value.fract() - 0.5).abs() > 0.01, "ambiguous test value {value}");
    value.round() as f32
}

#[test]
fn bilinear_downscale_stretches_the_triangle_filter() {
    // 4 -> 2: the filter support doubles to 2, so each output sees three inputs with
    // triangle weights 0.75, 0.75, 0.25 (normalised by 1.75).
    let p = [10.0, 200.0, 60.0, 120.0];
    let (out, shape) = run(&exact_resize(2, 1, 2), &row(&[10, 200, 60, 120]));
    let expected = [
        rounded((0.75 * p[0] + 0.75 * p[1] + 0.25 * p[2]) / 1.75),
        rounded((0.25 * p[1] + 0.75 * p[2] + 0.75 * p[3]) / 1.75),
    ];
    assert_eq!(first_channel(&out, shape), expected);
}

#[test]
fn bicubic_upscale_uses_keys_kernel_with_a_minus_half() {
    fn keys(x: f64) -> f64 {
        let x = x.abs();
        if x < 1.0 {
            1.5 * x.powi(3) - 2.5 * x.powi(2) + 1.0
        } else if x < 2.0 {
            -0.5 * x.powi(3) + 2.5 * x.powi(2) - 4.0 * x + 2.0
        } else {
            0.0
        }
    }
    let p = [40.0, 200.0];
    let (out, shape) = run(&exact_resize(4, 1, 3), &row(&[40, 200]));
    let expected: Vec<f32> = (0..4)
        .map(|i| {
            let centre = (f64::from(i) + 0.5) / 2.0; // output pixel centre in input coordinates
            let w0 = keys(0.5 - centre);
            let w1 = keys(1.5 - centre);
            rounded((w0 * p[0] + w1 * p[1]) / (w0 + w1)).clamp(0.0, 255.0)
        })
        .collect();
    assert_eq!(first_channel(&out, shape), expected);
}

#[test]
fn box_downscale_averages_blocks_pass_by_pass() {
    let values = [
        [10u8, 30, 100, 200],
        [50, 70, 0, 40],
        [2, 4, 254, 250],
        [2, 4, 100, 104],
    ];
    let image = RgbImage::from_fn(4, 4, |x, y| Rgb([values[y as usize][x as usize]; 3]));
    let (out, shape) = run(&exact_resize(2, 2, 4), &image);
    // Every pair here, and every pair of pair-averages, sums to an even number: no rounding.
    let mean = |a: u8, b: u8| (u32::from(a) + u32::from(b)) / 2;
    let block = |bx: usize, by: usize| {
        let top = mean(values[2 * by][2 * bx], values[2 * by][2 * bx + 1]);
        let bottom = mean(values[2 * by + 1][2 * bx], values[2 * by + 1][2 * bx + 1]);
        (top + bottom) as f32 / 2.0
    };
    assert_eq!(
        first_channel(&out, shape),
        [block(0, 0), block(1, 0), block(0, 1), block(1, 1)]
    );
}

#[test]
fn nearest_picks_the_pixel_under_each_output_centre() {
    // centres at 5/3 * (0.5, 1.5, 2.5) = 0.83, 2.5, 4.17
    let (out, shape) = run(&exact_resize(3, 1, 0), &row(&[11, 22, 33, 44, 55]));
    assert_eq!(first_channel(&out, shape), [11.0, 33.0, 55.0]);
}

#[test]
fn a_solid_colour_survives_every_filter_unchanged() {
    for resample in 0..=5 {
        for (w, h) in [(3, 2), (40, 31)] {
            let (out, _) = run(
                &exact_resize(w, h, resample),
                &RgbImage::from_pixel(17, 9, Rgb([3, 128, 254])),
            );
            let plane = (w * h) as usize;
            assert!(out[..plane].iter().all(|v| *v == 3.0), "filter {resample} to {w}x{h}");
            assert!(
                out[2 * plane..].iter().all(|v| *v == 254.0),
                "filter {resample} to {w}x{h}"
            );
        }
    }
}

#[test]
fn exact_size_is_height_by_width() {
    let pre = Preprocessor::from_config_str(&exact_resize(48, 32, 2)).unwrap();
    assert_eq!(pre.output_shape(), (3, 32, 48));
}

const CONVNEXT: &str = r#"{"image_processor_type": "ConvNextFeatureExtractor", "crop_pct": 0.875,
    "size": {"shortest_edge": 224}, "resample": 3, "do_rescale": false}"#;

#[test]
fn convnext_resizes_to_shortest_edge_over_crop_pct_then_crops() {
    // 224 / 0.875 = 256: a 256x256 picture keeps its size and loses 16 pixels on each side.
    let image = RgbImage::from_fn(256, 256, |x, y| Rgb([x as u8, y as u8, (x ^ y) as u8]));
    let (out, shape) = run(CONVNEXT, &image);
    assert_eq!(shape, (3, 224, 224));
    for (c, y, x) in [(0, 0, 0), (1, 100, 7), (2, 223, 223), (0, 50, 199)] {
        assert_eq!(
            at(&out, shape, c, y, x),
            f32::from(image.get_pixel(x as u32 + 16, y as u32 + 16).0[c])
        );
    }
}

#[test]
fn convnext_at_384_or_more_warps_without_cropping() {
    let config =
        r#"{"image_processor_type": "ConvNextFeatureExtractor", "size": {"shortest_edge": 384}, "do_rescale": false}"#;
    let image = RgbImage::from_fn(384, 384, |x, y| Rgb([x as u8, y as u8, 3]));
    let (out, shape) = run(config, &image);
    assert_eq!(shape, (3, 384, 384));
    assert_eq!(at(&out, shape, 0, 10, 300), f32::from(image.get_pixel(300, 10).0[0]));
    assert_eq!(at(&out, shape, 1, 383, 0), f32::from(image.get_pixel(0, 383).0[1]));
}

fn jina(size: u32, extra: &str) -> String {
    format!(r#"{{"image_processor_type": "JinaCLIPImageProcessor", "size": {size}, "do_rescale": false {extra}}}"#)
}

#[test]
fn jina_pads_to_a_square_at_the_top_left_with_the_fill_colour() {
    // resize_mode other than "shortest" means no resize: only pad2square runs.
    let image = coordinate_image(11, 5);
    let (out, shape) = run(
        &jina(8, r#", "resize_mode": "squash", "fill_color": [1, 2, 3]"#),
        &image,
    );
    assert_eq!(shape, (3, 8, 8));
    // width 11 > 8: left = round(3 / 2) = round(1.5) = 2 (half to even); height 5 <= 8: pasted at the top
    for y in 0..8 {
        for x in 0..8 {
            for c in 0..3 {
                let expected = if y < 5 {
                    image.get_pixel(x as u32 + 2, y as u32).0[c]
                } else {
                    [1, 2, 3][c]
                };
                assert_eq!(at(&out, shape, c, y, x), f32::from(expected), "({x},{y}) channel {c}");
            }
        }
    }
}

#[test]
fn jina_crop_offsets_round_halves_to_even() {
    // width 13: (13 - 8) / 2 = 2.5 rounds to 2 (while 1.5 rounded to 2 above)
    let image = coordinate_image(13, 8);
    let (out, shape) = run(&jina(8, r#", "resize_mode": "none""#), &image);
    assert_eq!(at(&out, shape, 0, 0, 0), f32::from(image.get_pixel(2, 0).0[0]));
}

#[test]
fn jina_integer_fill_colour_is_a_packed_pillow_colour() {
    let (out, shape) = run(
        &jina(4, r#", "resize_mode": "none", "fill_color": 197121"#),
        &RgbImage::from_pixel(1, 1, Rgb([9, 9, 9])),
    );
    // 197121 = 0x030201 -> (1, 2, 3)
    assert_eq!(
        [
            at(&out, shape, 0, 3, 3),
            at(&out, shape, 1, 3, 3),
            at(&out, shape, 2, 3, 3)
        ],
        [1.0, 2.0, 3.0]
    );
}

#[test]
fn normalize_also_reads_mean_and_std_without_do_normalize() {
    let config = jina(2, r#", "resize_mode": "none", "mean": 0.5, "std": [0.25, 0.5, 1.0]"#);
    let (out, shape) = run(&config, &RgbImage::from_pixel(2, 2, Rgb([1, 2, 3])));
    assert_eq!(
        [out[0], out[4], out[8]],
        [(1.0 - 0.5) / 0.25, (2.0 - 0.5) / 0.5, 3.0 - 0.5]
    );
    assert_eq!(shape, (3, 2, 2));
}

#[test]
fn process_bytes_decodes_then_processes() {
    let image = noise_image(50, 40, 7);
    let pre = Preprocessor::from_config_str(CLIP_VIT_B_32).unwrap();
    let mut from_bytes = vec![0.0; 3 * 224 * 224];
    let mut from_pixels = vec![0.0; 3 * 224 * 224];
    pre.process_bytes(&png(&image), &ImageLimits::default(), &mut from_bytes)
        .unwrap();
    pre.process_rgb8(&image, &mut from_pixels).unwrap();
    assert_eq!(from_bytes, from_pixels);
}

#[test]
fn a_wrong_output_length_is_refused() {
    let pre = Preprocessor::from_config_str(CLIP_VIT_B_32).unwrap();
    let error = pre.process_rgb8(&noise_image(5, 5, 1), &mut [0.0; 10]).unwrap_err();
    assert!(
        matches!(
            error,
            ImageError::OutputLength {
                expected: 150_528,
                actual: 10
            }
        ),
        "{error:?}"
    );
}

#[test]
fn an_empty_picture_is_refused() {
    let pre = Preprocessor::from_config_str(CLIP_VIT_B_32).unwrap();
    let error = pre
        .process_rgb8(&RgbImage::new(0, 4), &mut vec![0.0; 150_528])
        .unwrap_err();
    assert!(
        matches!(error, ImageError::EmptyImage { width: 0, height: 4 }),
        "{error:?}"
    );
}

#[test]
fn bad_image_bytes_surface_through_process_bytes() {
    let pre = Preprocessor::from_config_str(CLIP_VIT_B_32).unwrap();
    let error = pre
        .process_bytes(b"not an image", &ImageLimits::default(), &mut vec![0.0; 150_528])
        .unwrap_err();
    assert!(matches!(error, ImageError::UnknownFormat { .. }), "{error:?}");
}

#[test]
fn bad_configs_are_refused_with_the_reason() {
    let cases = [
        ("[1, 2]", "top level must be a JSON object"),
        ("{", "not valid JSON"),
        (r#"{"image_processor_type": "ViTImageProcessor"}"#, "is not supported"),
        (
            r#"{"do_resize": true, "do_center_crop": true, "crop_size": 4}"#,
            "size is required",
        ),
        (
            r#"{"do_resize": true, "size": {"longest_edge": 4}}"#,
            "either 'shortest_edge' or 'height' and 'width'",
        ),
        (
            r#"{"do_resize": true, "size": {"shortest_edge": 4}, "resample": 7, "do_center_crop": true, "crop_size": 4}"#,
            "not a PIL filter",
        ),
        (
            r#"{"do_resize": true, "size": {"shortest_edge": 0}}"#,
            "from 1 to 16384",
        ),
        (r#"{"do_center_crop": true, "crop_size": "big"}"#, "invalid crop_size"),
        (
            r#"{"do_center_crop": true, "crop_size": 4, "do_normalize": true, "image_mean": [0.5, 0.5], "image_std": [1, 1, 1]}"#,
            "3 values",
        ),
        (
            r#"{"do_center_crop": true, "crop_size": 4, "do_normalize": true, "image_mean": [0, 0, 0], "image_std": [1, 0, 1]}"#,
            "division by zero",
        ),
        (
            r#"{"do_center_crop": true, "crop_size": 4, "do_normalize": true, "image_mean": [0, 0, 0]}"#,
            "image_std is required",
        ),
        (
            r#"{"do_resize": true, "size": {"shortest_edge": 224}}"#,
            "outputs would differ in size",
        ),
        (
            r#"{"image_processor_type": "ConvNextFeatureExtractor", "size": {"height": 224, "width": 224}}"#,
            "'shortest_edge'",
        ),
        (
            r#"{"image_processor_type": "ConvNextFeatureExtractor"}"#,
            "size is required",
        ),
        (
            r#"{"image_processor_type": "ConvNextFeatureExtractor", "size": {"shortest_edge": 224}, "crop_pct": 0}"#,
            "crop_pct",
        ),
        (
            r#"{"image_processor_type": "JinaCLIPImageProcessor", "size": 224, "interpolation": "cubic"}"#,
            "unknown interpolation",
        ),
        (
            r#"{"image_processor_type": "JinaCLIPImageProcessor", "size": 224, "fill_color": "white"}"#,
            "fill_color",
        ),
        (
            r#"{"do_center_crop": true, "crop_size": 4, "do_rescale": "yes"}"#,
            "do_rescale must be true or false",
        ),
    ];
    for (json, reason) in cases {
        match Preprocessor::from_config_str(json) {
            Err(ImageError::Config(message)) => {
                assert!(message.contains(reason), "{json}: {message}")
            }
            other => panic!("{json}: expected a config error, got {other:?}"),
        }
    }
}

#[test]
fn unknown_config_fields_are_ignored() {
    let with_extras = CLIP_VIT_B_32.replacen('{', r#"{"auto_map": {"x": 1}, "patch_size": 14, "#, 1);
    let image = noise_image(30, 20, 3);
    assert_eq!(run(&with_extras, &image), run(CLIP_VIT_B_32, &image));
}

#[test]
fn a_missing_config_file_names_the_path() {
    let error = Preprocessor::from_config_file("/nonexistent/preprocessor_config.json".as_ref()).unwrap_err();
    assert!(
        error.to_string().contains("/nonexistent/preprocessor_config.json"),
        "{error}"
    );
}

#[test]
fn preprocessor_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Preprocessor>();
}
