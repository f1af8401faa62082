//! Parity with the real thing: Pillow and numpy, which fastembed runs on, decode and
//! preprocess the same files (tests/parity/pillow_reference.py) and the results must match.
//!
//! Needs Debian's python3-pil and python3-numpy (installed by scripts/setup.sh). Set
//! FASTEMBED_TEST_PYTHON to use another interpreter.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use fastembed_image::image::{Rgb, RgbImage};
use fastembed_image::{decode, ImageLimits, Preprocessor};

fn python() -> PathBuf {
    if let Some(python) = std::env::var_os("FASTEMBED_TEST_PYTHON") {
        return PathBuf::from(python);
    }
    fastembed_testkit::python3(&[("PIL", "python3-pil"), ("numpy", "python3-numpy")])
}

struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        let dir = std::env::temp_dir().join(format!("fastembed-image-parity-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn smooth_image(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        let wave = 127.0 + 120.0 * (f64::from(x) / 7.0).sin() * (f64::from(y) / 11.0).cos();
        Rgb([
            wave as u8,
            (x * 255 / width.max(2)) as u8,
            (y * 255 / height.max(2)) as u8,
        ])
    })
}

fn configs() -> Vec<(String, String)> {
    let mut configs = vec![
        ("clip".to_string(), CLIP_VIT_B_32.to_string()),
        (
            "convnext".to_string(),
            r#"{"image_processor_type": "ConvNextFeatureExtractor", "crop_pct": 0.875, "do_normalize": true,
            "do_resize": true, "image_mean": [0.485, 0.456, 0.406], "image_std": [0.229, 0.224, 0.225],
            "resample": 3, "size": {"shortest_edge": 224}}"#
                .to_string(),
        ),
        (
            "convnext384".to_string(),
            r#"{"image_processor_type": "ConvNextFeatureExtractor", "do_normalize": true,
            "image_mean": [0.485, 0.456, 0.406], "image_std": [0.229, 0.224, 0.225], "resample": 2,
            "size": {"shortest_edge": 384}}"#
                .to_string(),
        ),
        (
            "siglip_non_square".to_string(),
            r#"{"image_processor_type": "SiglipImageProcessor", "do_resize": true,
            "size": {"height": 32, "width": 48}, "resample": 2, "do_normalize": true,
            "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5]}"#
                .to_string(),
        ),
        (
            // ColPali (vidore/colpali-v1.3, PaliGemma's processor): 448x448 bicubic, to [-1, 1].
            "colpali".to_string(),
            r#"{"do_convert_rgb": null, "do_normalize": true, "do_rescale": true, "do_resize": true,
            "image_mean": [0.5, 0.5, 0.5], "image_processor_type": "SiglipImageProcessor", "image_seq_length": 1024,
            "image_std": [0.5, 0.5, 0.5], "processor_class": "PaliGemmaProcessor", "resample": 3,
            "rescale_factor": 0.00392156862745098, "size": {"height": 448, "width": 448}}"#
                .to_string(),
        ),
        (
            "jina".to_string(),
            r#"{"image_processor_type": "JinaCLIPImageProcessor", "interpolation": "bicubic", "size": 224,
            "fill_color": 0, "resize_mode": "shortest", "mean": [0.48145466, 0.4578275, 0.40821073],
            "std": [0.26862954, 0.26130258, 0.27577711]}"#
                .to_string(),
        ),
        (
            "padded_crop".to_string(),
            r#"{"do_resize": true, "size": {"shortest_edge": 100}, "resample": 3, "do_center_crop": true,
            "crop_size": {"height": 121, "width": 130}, "do_normalize": true,
            "image_mean": [0.48145466, 0.4578275, 0.40821073], "image_std": [0.26862954, 0.26130258, 0.27577711]}"#
                .to_string(),
        ),
    ];
    for (code, name) in ["nearest", "lanczos", "bilinear", "bicubic", "box", "hamming"]
        .iter()
        .enumerate()
    {
        let down = format!(
            r#"{{"do_resize": true, "size": {{"shortest_edge": 40}}, "resample": {code},
            "do_center_crop": true, "crop_size": 40, "do_rescale": false}}"#
        );
        let up = format!(
            r#"{{"do_resize": true, "size": {{"height": 151, "width": 127}}, "resample": {code},
            "do_rescale": false}}"#
        );
        configs.push((format!("down_{name}"), down));
        configs.push((format!("up_{name}"), up));
    }
    configs
}

fn read_f32_tensor(path: &Path) -> ((usize, usize, usize), Vec<f32>) {
    let raw = std::fs::read(path).unwrap();
    let word = |i: usize| u32::from_le_bytes(raw[4 * i..4 * i + 4].try_into().unwrap()) as usize;
    let values = raw[12..]
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
        .collect();
    ((word(0), word(1), word(2)), values)
}

/// Runs the Pillow side once for everything; its results land in `dir`.
fn run_reference(dir: &Path, cases: &[(String, String)]) {
    std::fs::write(dir.join("cases.json"), serde_json_array(cases)).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/parity/pillow_reference.py");
    let python = python();
    let output = Command::new(&python)
        .arg(&script)
        .arg(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", python.display()));
    assert!(
        output.status.success(),
        "the Pillow reference failed (python3-pil and python3-numpy are needed: run scripts/setup.sh):\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn serde_json_array(cases: &[(String, String)]) -> String {
    let items: Vec<String> = cases
        .iter()
        .map(|(image, config)| format!(r#"["{image}", "{config}"]"#))
        .collect();
    format!("[{}]", items.join(", "))
}

#[test]
fn decoding_and_preprocessing_match_pillow() {
    let dir = TempDir::new();
    let mut images = Vec::new();
    for (width, height) in [
        (400, 300),
        (37, 23),
        (300, 1),
        (1, 200),
        (224, 224),
        (300, 200),
        (123, 457),
        (7, 5),
        (225, 227),
    ] {
        images.push((
            format!("noise_{width}x{height}.png"),
            noise_image(width, height, width * 31 + height),
        ));
        images.push((format!("smooth_{width}x{height}.png"), smooth_image(width, height)));
    }
    for (name, image) in &images {
        std::fs::write(dir.0.join(name), png(image)).unwrap();
    }
    let configs = configs();
    for (name, json) in &configs {
        std::fs::write(dir.0.join(format!("{name}.json")), json).unwrap();
    }
    let mut cases = Vec::new();
    for (image_name, _) in &images {
        for (config_name, _) in &configs {
            cases.push((image_name.clone(), format!("{config_name}.json")));
        }
    }
    run_reference(&dir.0, &cases);

    // Preprocessing: bit-identical tensors.
    let mut index = 0;
    for (image_name, image) in &images {
        for (config_name, _) in &configs {
            let (shape, expected) = read_f32_tensor(&dir.0.join(format!("out_{index}.f32")));
            index += 1;
            let pre = Preprocessor::from_config_file(&dir.0.join(format!("{config_name}.json"))).unwrap();
            assert_eq!(pre.output_shape(), shape, "{image_name} with {config_name}");
            let mut actual = vec![0.0f32; expected.len()];
            pre.process_rgb8(image, &mut actual).unwrap();
            let mismatches = actual
                .iter()
                .zip(&expected)
                .filter(|(a, e)| a.to_bits() != e.to_bits())
                .count();
            assert_eq!(
                mismatches, 0,
                "{image_name} with {config_name}: {mismatches} values differ from Pillow/numpy"
            );
        }
    }

    // Decoding: Pillow's pixels for every file it wrote.
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir.0).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if !name.starts_with("dec_") || name.ends_with(".rgb") {
            continue;
        }
        let reference = std::fs::read(dir.0.join(format!("{name}.rgb"))).unwrap();
        let width = u32::from_le_bytes(reference[0..4].try_into().unwrap());
        let height = u32::from_le_bytes(reference[4..8].try_into().unwrap());
        let ours =
            decode(&std::fs::read(&path).unwrap(), &ImageLimits::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(ours.dimensions(), (width, height), "{name}");
        let differences: Vec<u32> = ours
            .as_raw()
            .iter()
            .zip(&reference[8..])
            .map(|(a, b)| u32::from(a.abs_diff(*b)))
            .collect();
        let max = differences.iter().copied().max().unwrap_or(0);
        let mean = differences.iter().map(|d| f64::from(*d)).sum::<f64>() / differences.len() as f64;
        if name.ends_with(".jpg") {
            // jpeg-decoder's IDCT and upsampling are not libjpeg-turbo's: a few levels apart.
            assert!(max <= 4 && mean <= 0.5, "{name}: max {max}, mean {mean}");
        } else if name == "dec_photo.webp" {
            // The image crate's VP8 decoder is not bit-exact with libwebp: its Y'CbCr planes
            // differ by a few levels here and there, which the colour conversion (libwebp's own,
            // reproduced exactly) can amplify near edges. Measured: max 35, mean 0.76.
            assert!(max <= 48 && mean <= 1.5, "{name}: max {max}, mean {mean}");
        } else {
            assert_eq!(max, 0, "{name}: lossless formats must decode exactly as Pillow does");
        }
        checked += 1;
    }
    assert_eq!(checked, 29, "every file the reference wrote was compared");
}
