//! Builders shared by the integration tests: images encoded with the `image` crate's own
//! encoders, hand-assembled headers for malformed files, and a tiny WebP lossless writer
//! (the `image` crate of this Debian release cannot encode WebP).
#![allow(dead_code)]

use std::io::Cursor;

use fastembed_image::image::{DynamicImage, ImageOutputFormat, Rgb, RgbImage};

/// CLIP's normalisation constants as written in its config (numpy casts them to float32).
pub const CLIP_MEAN: [f64; 3] = [0.48145466, 0.4578275, 0.40821073];
pub const CLIP_STD: [f64; 3] = [0.26862954, 0.26130258, 0.27577711];

/// The preprocessor_config.json of Qdrant/clip-ViT-B-32-vision (as published with the model).
pub const CLIP_VIT_B_32: &str = r#"{
  "crop_size": {"height": 224, "width": 224},
  "do_center_crop": true,
  "do_convert_rgb": true,
  "do_normalize": true,
  "do_rescale": true,
  "do_resize": true,
  "feature_extractor_type": "CLIPFeatureExtractor",
  "image_mean": [0.48145466, 0.4578275, 0.40821073],
  "image_processor_type": "CLIPImageProcessor",
  "image_std": [0.26862954, 0.26130258, 0.27577711],
  "processor_class": "CLIPProcessor",
  "resample": 3,
  "rescale_factor": 0.00392156862745098,
  "size": {"shortest_edge": 224}
}"#;

/// A picture whose pixels tell where they came from: R = 20x, G = 30y, B = 7(x + y).
pub fn coordinate_image(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        Rgb([(20 * x) as u8, (30 * y) as u8, (7 * (x + y)) as u8])
    })
}

/// Deterministic varied content (a simple LCG; no external randomness needed).
pub fn noise_image(width: u32, height: u32, seed: u32) -> RgbImage {
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    RgbImage::from_fn(width, height, |_, _| {
        let mut next = || {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (state >> 16) as u8
        };
        Rgb([next(), next(), next()])
    })
}

pub fn encode(image: &DynamicImage, format: ImageOutputFormat) -> Vec<u8> {
    let mut bytes = Cursor::new(Vec::new());
    image.write_to(&mut bytes, format).expect("encoding a test image");
    bytes.into_inner()
}

pub fn png(image: &RgbImage) -> Vec<u8> {
    encode(&DynamicImage::ImageRgb8(image.clone()), ImageOutputFormat::Png)
}

/// CRC-32 as PNG uses it (polynomial 0xEDB88320), so hand-made chunks are well formed.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

pub fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    chunk.extend_from_slice(kind);
    chunk.extend_from_slice(data);
    let mut crc_input = kind.to_vec();
    crc_input.extend_from_slice(data);
    chunk.extend_from_slice(&crc32(&crc_input).to_be_bytes());
    chunk
}

/// A PNG written byte by byte: `rows` hold the raw samples of each scanline (16-bit samples
/// big-endian, as PNG stores them), compressed with zlib "stored" blocks.
pub fn png_from_rows(width: u32, height: u32, bit_depth: u8, color_type: u8, rows: &[Vec<u8>]) -> Vec<u8> {
    let mut raw = Vec::new();
    for row in rows {
        raw.push(0); // filter type None
        raw.extend_from_slice(row);
    }
    let mut zlib = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        zlib.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        zlib.extend_from_slice(&len.to_le_bytes());
        zlib.extend_from_slice(&(!len).to_le_bytes());
        zlib.extend_from_slice(block);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in &raw {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    zlib.extend_from_slice(&((b << 16) | a).to_be_bytes());

    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[bit_depth, color_type, 0, 0, 0]);
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend(png_chunk(b"IHDR", &ihdr));
    bytes.extend(png_chunk(b"IDAT", &zlib));
    bytes.extend(png_chunk(b"IEND", &[]));
    bytes
}

/// A PNG whose header claims `width` x `height` (8-bit RGB) followed by a tiny IDAT and IEND.
pub fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend(png_chunk(b"IHDR", &ihdr));
    // A valid zlib stream of a few zero bytes: far too little data for the claimed size.
    bytes.extend(png_chunk(
        b"IDAT",
        &[0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01],
    ));
    bytes.extend(png_chunk(b"IEND", &[]));
    bytes
}

/// Writes bits least-significant first, as the WebP lossless bitstream stores them.
pub struct BitWriter {
    bytes: Vec<u8>,
    used: u32,
}

impl BitWriter {
    pub fn new() -> Self {
        BitWriter {
            bytes: Vec::new(),
            used: 0,
        }
    }

    pub fn put(&mut self, value: u32, bits: u32) {
        for i in 0..bits {
            if self.used & 7 == 0 {
                self.bytes.push(0);
            }
            let bit = ((value >> i) & 1) as u8;
            *self.bytes.last_mut().unwrap() |= bit << (self.used % 8);
            self.used += 1;
        }
    }

    pub fn finish(self) -> Vec<u8> {
        self.bytes
    }
}

/// A WebP lossless (VP8L) file for a picture in which every channel takes one of two values,
/// written by hand from the format specification: no transforms, no colour cache, one prefix
/// code group whose codes are "simple" codes of two one-bit symbols (one symbol for alpha and
/// distance), so each pixel costs exactly three bits: green, red, blue.
pub fn webp_lossless_two_level(image: &RgbImage, levels: [[u8; 2]; 3]) -> Vec<u8> {
    for channel in levels {
        assert!(
            channel[0] < channel[1],
            "simple codes give the smaller symbol the code 0"
        );
    }
    let mut bits = BitWriter::new();
    bits.put(0x2F, 8);
    bits.put(image.width() - 1, 14);
    bits.put(image.height() - 1, 14);
    bits.put(0, 1); // no alpha
    bits.put(0, 3); // version 0
    bits.put(0, 1); // no transform
    bits.put(0, 1); // no colour cache
    bits.put(0, 1); // a single prefix code group
    let two_symbols = |bits: &mut BitWriter, a: u8, b: u8| {
        bits.put(1, 1); // simple code
        bits.put(1, 1); // two symbols
        bits.put(1, 1); // first symbol uses 8 bits
        bits.put(u32::from(a), 8);
        bits.put(u32::from(b), 8);
    };
    let one_symbol = |bits: &mut BitWriter, a: u8| {
        bits.put(1, 1);
        bits.put(0, 1);
        bits.put(1, 1);
        bits.put(u32::from(a), 8);
    };
    let [red, green, blue] = levels;
    two_symbols(&mut bits, green[0], green[1]);
    two_symbols(&mut bits, red[0], red[1]);
    two_symbols(&mut bits, blue[0], blue[1]);
    one_symbol(&mut bits, 255); // alpha
    one_symbol(&mut bits, 0); // distance (unused)
    let index = |levels: [u8; 2], value: u8| -> u32 {
        levels
            .iter()
            .position(|&l| l == value)
            .expect("pixel uses only the two levels") as u32
    };
    for pixel in image.pixels() {
        let [r, g, b] = pixel.0;
        bits.put(index(green, g), 1);
        bits.put(index(red, r), 1);
        bits.put(index(blue, b), 1);
    }
    riff_webp(&[(b"VP8L", bits.finish())])
}

/// Wraps chunks in a RIFF/WEBP container.
pub fn riff_webp(chunks: &[(&[u8; 4], Vec<u8>)]) -> Vec<u8> {
    let mut body = b"WEBP".to_vec();
    for (fourcc, data) in chunks {
        body.extend_from_slice(*fourcc);
        body.extend_from_slice(&(data.len() as u32).to_le_bytes());
        body.extend_from_slice(data);
        if data.len() % 2 == 1 {
            body.push(0);
        }
    }
    let mut file = b"RIFF".to_vec();
    file.extend_from_slice(&(body.len() as u32).to_le_bytes());
    file.extend(body);
    file
}
