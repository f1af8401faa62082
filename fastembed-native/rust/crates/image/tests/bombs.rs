//! Decompression bombs and lying headers must be refused before anything large is allocated.
//! This test binary counts allocations: every test here asserts on the largest single
//! allocation made while the refusal happened.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use common::*;
use fastembed_image::{decode, Format, ImageError, ImageLimits};

struct Tracking;

static LARGEST: AtomicUsize = AtomicUsize::new(0);
/// Tests in this file run one at a time so the allocation record belongs to one decode.
static SERIAL: Mutex<()> = Mutex::new(());

// SAFETY: every call is passed on unchanged to the system allocator, which upholds GlobalAlloc's contract;
// the only addition is an atomic record of the largest size asked for.
unsafe impl GlobalAlloc for Tracking {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LARGEST.fetch_max(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's layout is passed on as GlobalAlloc::alloc requires.
        System.alloc(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by System with `layout` (every allocation goes through `alloc`).
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LARGEST.fetch_max(new_size, Ordering::Relaxed);
        // SAFETY: as for dealloc; `new_size` comes from the caller under realloc's contract.
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOCATOR: Tracking = Tracking;

/// Decodes and returns the error plus the largest allocation made meanwhile.
fn refuse(bytes: &[u8], limits: &ImageLimits) -> (ImageError, usize) {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    LARGEST.store(0, Ordering::Relaxed);
    let result = decode(bytes, limits);
    let largest = LARGEST.load(Ordering::Relaxed);
    (result.expect_err("must be refused"), largest)
}

const SMALL: usize = 64 * 1024;

#[test]
fn png_declaring_100000_squared_is_refused_before_allocating() {
    let (error, largest) = refuse(&png_claiming(100_000, 100_000), &ImageLimits::default());
    assert!(
        matches!(
            error,
            ImageError::SideTooLarge {
                format: Format::Png,
                width: 100_000,
                height: 100_000,
                max_side: 16_384
            }
        ),
        "{error:?}"
    );
    assert!(largest < SMALL, "allocated {largest} bytes while refusing");
}

#[test]
fn too_many_pixels_within_the_side_limit_is_refused() {
    let (error, largest) = refuse(&png_claiming(10_000, 10_000), &ImageLimits::default());
    assert!(
        matches!(
            error,
            ImageError::TooManyPixels {
                pixels: 100_000_000,
                max_pixels: 50_000_000,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("10000x10000"), "{error}");
    assert!(largest < SMALL, "allocated {largest} bytes while refusing");
}

#[test]
fn limits_are_configurable() {
    let tight = ImageLimits {
        max_pixels: 100,
        max_side: 16,
        max_bytes: 1 << 20,
    };
    let (error, _) = refuse(&png(&noise_image(11, 10, 1)), &tight);
    assert!(
        matches!(
            error,
            ImageError::TooManyPixels {
                pixels: 110,
                max_pixels: 100,
                ..
            }
        ),
        "{error:?}"
    );
    let (error, _) = refuse(&png(&noise_image(17, 2, 1)), &tight);
    assert!(
        matches!(
            error,
            ImageError::SideTooLarge {
                width: 17,
                max_side: 16,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(decode(&png(&noise_image(10, 10, 1)), &tight).is_ok());
}

#[test]
fn input_larger_than_max_bytes_is_refused() {
    let bytes = png(&noise_image(30, 30, 2));
    let limits = ImageLimits {
        max_bytes: bytes.len() - 1,
        ..ImageLimits::default()
    };
    let (error, _) = refuse(&bytes, &limits);
    assert!(matches!(error, ImageError::TooManyBytes { .. }), "{error:?}");
}

#[test]
fn gif_frame_larger_than_its_screen_is_refused() {
    let mut gif = b"GIF89a".to_vec();
    gif.extend_from_slice(&[10, 0, 10, 0, 0, 0, 0]); // 10x10 logical screen
    gif.push(0x2C);
    gif.extend_from_slice(&[0, 0, 0, 0, 0x60, 0xEA, 0x60, 0xEA, 0]); // frame 60000x60000
    gif.extend_from_slice(&[2, 2, 0x44, 0x01, 0, 0x3B]);
    let (error, largest) = refuse(&gif, &ImageLimits::default());
    assert!(
        matches!(
            error,
            ImageError::SideTooLarge {
                format: Format::Gif,
                width: 60_000,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(largest < SMALL, "allocated {largest} bytes while refusing");
}

#[test]
fn jpeg_frame_header_declaring_a_huge_picture_is_refused() {
    let mut jpeg = vec![0xFF, 0xD8];
    jpeg.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00]); // an APP0 segment to skip
    jpeg.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08, 0xEA, 0x60, 0xEA, 0x60, 0x03]);
    jpeg.extend_from_slice(&[1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0]);
    jpeg.extend_from_slice(&[0xFF, 0xD9]);
    let (error, largest) = refuse(&jpeg, &ImageLimits::default());
    assert!(
        matches!(
            error,
            ImageError::SideTooLarge {
                format: Format::Jpeg,
                width: 60_000,
                height: 60_000,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(largest < SMALL, "allocated {largest} bytes while refusing");
}

#[test]
fn bmp_declaring_a_huge_picture_is_refused() {
    let mut bmp = b"BM".to_vec();
    bmp.extend_from_slice(&[0; 12]);
    bmp.extend_from_slice(&40u32.to_le_bytes());
    bmp.extend_from_slice(&30_000i32.to_le_bytes());
    bmp.extend_from_slice(&(-30_000i32).to_le_bytes()); // top-down rows: negative height
    bmp.extend_from_slice(&[1, 0, 24, 0]);
    bmp.extend_from_slice(&[0; 24]);
    let (error, largest) = refuse(&bmp, &ImageLimits::default());
    assert!(
        matches!(
            error,
            ImageError::SideTooLarge {
                format: Format::Bmp,
                width: 30_000,
                height: 30_000,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(largest < SMALL, "allocated {largest} bytes while refusing");
}

#[test]
fn tiff_declaring_a_huge_picture_is_refused() {
    let mut tiff = b"II*\0".to_vec();
    tiff.extend_from_slice(&8u32.to_le_bytes());
    let entries: [(u16, u16, u32); 2] = [(256, 4, 20_000), (257, 4, 20_000)];
    tiff.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    for (tag, kind, value) in entries {
        tiff.extend_from_slice(&tag.to_le_bytes());
        tiff.extend_from_slice(&kind.to_le_bytes());
        tiff.extend_from_slice(&1u32.to_le_bytes());
        tiff.extend_from_slice(&value.to_le_bytes());
    }
    tiff.extend_from_slice(&0u32.to_le_bytes());
    let (error, largest) = refuse(&tiff, &ImageLimits::default());
    assert!(
        matches!(
            error,
            ImageError::SideTooLarge {
                format: Format::Tiff,
                width: 20_000,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(largest < SMALL, "allocated {largest} bytes while refusing");
}

#[test]
fn webp_frame_larger_than_its_canvas_is_refused() {
    // Extended WebP: a 1x1 canvas in VP8X, but the lossless bitstream inside claims 16384x16384.
    let mut vp8x = vec![0u8; 10];
    vp8x[4..7].copy_from_slice(&[0, 0, 0]); // canvas width - 1
    vp8x[7..10].copy_from_slice(&[0, 0, 0]); // canvas height - 1
    let mut bits = BitWriter::new();
    bits.put(0x2F, 8);
    bits.put(16_383, 14);
    bits.put(16_383, 14);
    bits.put(0, 4);
    let webp = riff_webp(&[(b"VP8X", vp8x), (b"VP8L", bits.finish())]);
    let (error, largest) = refuse(&webp, &ImageLimits::default());
    assert!(
        matches!(
            error,
            ImageError::TooManyPixels {
                format: Format::WebP,
                width: 16_384,
                height: 16_384,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(largest < SMALL, "allocated {largest} bytes while refusing");
}
