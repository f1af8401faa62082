//! Idefics3 (ColModernVBERT) frames against Pillow and numpy, which fastembed runs on: the reference
//! (tests/parity/idefics3_reference.py) restates fastembed's steps on the real libraries, and the frames,
//! the grid and every float must match bit for bit.
//!
//! Needs Debian's python3-pil and python3-numpy (installed by scripts/setup.sh).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use fastembed_image::image::{Rgb, RgbImage};
use fastembed_image::{FrameGrid, Idefics3Preprocessor};

/// Small frames keep the test fast; the arithmetic is the same as with ColModernVBERT's 2048/512.
const SMALL: &str = r#"{"image_processor_type": "Idefics3ImageProcessor", "do_resize": true,
    "size": {"longest_edge": 96}, "do_image_splitting": true, "max_image_size": {"longest_edge": 32},
    "resample": 1, "do_rescale": true, "rescale_factor": 0.00392156862745098, "do_normalize": true,
    "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5]}"#;
/// The longest edge within one frame: every image becomes one frame, unsplit.
const ONE_FRAME: &str = r#"{"image_processor_type": "Idefics3ImageProcessor", "do_resize": true,
    "size": {"longest_edge": 30}, "do_image_splitting": true, "max_image_size": {"longest_edge": 32},
    "do_normalize": true, "image_mean": [0.48145466, 0.4578275, 0.40821073],
    "image_std": [0.26862954, 0.26130258, 0.27577711]}"#;
const SQUARE_BICUBIC: &str = r#"{"image_processor_type": "Idefics3ImageProcessor", "do_image_splitting": false,
    "max_image_size": {"longest_edge": 24}, "resample": 3}"#;
const NO_RESIZE: &str = r#"{"image_processor_type": "Idefics3ImageProcessor", "do_resize": false,
    "do_image_splitting": true, "max_image_size": {"longest_edge": 16}, "rescale_factor": 0.00392156862745098}"#;
/// Sizes as ColModernVBERT's processor has them (longest edge 2048, frames of 512).
const COLMODERNVBERT_SIZES: &str = r#"{"image_processor_type": "Idefics3ImageProcessor", "do_resize": true,
    "size": {"longest_edge": 2048}, "do_image_splitting": true, "max_image_size": {"longest_edge": 512},
    "resample": 1, "rescale_factor": 0.00392156862745098, "do_normalize": true,
    "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5]}"#;

fn python() -> PathBuf {
    if let Some(python) = std::env::var_os("FASTEMBED_TEST_PYTHON") {
        return PathBuf::from(python);
    }
    fastembed_testkit::python3(&[("PIL", "python3-pil"), ("numpy", "python3-numpy")])
}

struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn smooth_image(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        let wave = 127.0 + 120.0 * (f64::from(x) / 5.0).sin() * (f64::from(y) / 9.0).cos();
        Rgb([
            wave as u8,
            (x * 255 / width.max(2)) as u8,
            (y * 255 / height.max(2)) as u8,
        ])
    })
}

struct Expected {
    frames: usize,
    grid: FrameGrid,
    side: usize,
    values: Vec<f32>,
}

fn read_expected(path: &Path) -> Expected {
    let raw = std::fs::read(path).unwrap();
    let word = |i: usize| u32::from_le_bytes(raw[4 * i..4 * i + 4].try_into().unwrap());
    Expected {
        frames: word(0) as usize,
        grid: FrameGrid {
            rows: word(1),
            cols: word(2),
        },
        side: word(3) as usize,
        values: raw[16..]
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
            .collect(),
    }
}

#[test]
fn frames_match_pillow() {
    let dir = TempDir(std::env::temp_dir().join(format!("fastembed-idefics3-parity-{}", std::process::id())));
    std::fs::create_dir_all(&dir.0).unwrap();
    let configs = [
        ("small", SMALL),
        ("one_frame", ONE_FRAME),
        ("square_bicubic", SQUARE_BICUBIC),
        ("no_resize", NO_RESIZE),
    ];
    let mut images = Vec::new();
    for (width, height) in [(70, 50), (40, 110), (20, 20), (97, 13), (33, 65), (1, 3)] {
        images.push((
            format!("noise_{width}x{height}.png"),
            noise_image(width, height, width * 7 + height),
        ));
        images.push((format!("smooth_{width}x{height}.png"), smooth_image(width, height)));
    }
    // One image at ColModernVBERT's own sizes: 640x480 (fastembed's test image's size) into 3 x 4 frames of 512.
    let photo = noise_image(640, 480, 11);
    let mut cases: Vec<(String, String, String, &RgbImage)> = Vec::new();
    for (image_name, image) in &images {
        for (config_name, json) in configs {
            cases.push((
                image_name.clone(),
                format!("{config_name}.json"),
                json.to_string(),
                image,
            ));
        }
    }
    std::fs::write(dir.0.join("photo_640x480.png"), png(&photo)).unwrap();
    cases.push((
        "photo_640x480.png".into(),
        "colmodernvbert.json".into(),
        COLMODERNVBERT_SIZES.into(),
        &photo,
    ));

    for (name, image) in &images {
        std::fs::write(dir.0.join(name), png(image)).unwrap();
    }
    for (_, config_name, json, _) in &cases {
        std::fs::write(dir.0.join(config_name), json).unwrap();
    }
    let listed: Vec<String> = cases
        .iter()
        .map(|(image, config, _, _)| format!(r#"["{image}", "{config}"]"#))
        .collect();
    std::fs::write(dir.0.join("cases.json"), format!("[{}]", listed.join(", "))).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/parity/idefics3_reference.py");
    let output = Command::new(python()).arg(&script).arg(&dir.0).output().unwrap();
    assert!(
        output.status.success(),
        "the Pillow reference failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );

    for (index, (image_name, config_name, json, image)) in cases.iter().enumerate() {
        let expected = read_expected(&dir.0.join(format!("out_{index}.f32")));
        let pre = Idefics3Preprocessor::from_config_str(json).unwrap();
        let frames = pre.process_rgb8(image).unwrap();
        let case = format!("{image_name} with {config_name}");
        assert_eq!(frames.grid, expected.grid, "{case}");
        assert_eq!(frames.grid.frames(), expected.frames, "{case}");
        assert_eq!(pre.frame_size() as usize, expected.side, "{case}");
        assert_eq!(
            pre.grid(image.width(), image.height()).unwrap(),
            expected.grid,
            "{case}"
        );
        assert_eq!(frames.data.len(), expected.values.len(), "{case}");
        let mismatches = frames
            .data
            .iter()
            .zip(&expected.values)
            .filter(|(a, e)| a.to_bits() != e.to_bits())
            .count();
        assert_eq!(
            mismatches,
            0,
            "{case}: {mismatches} of {} floats differ",
            expected.values.len()
        );
    }
}
