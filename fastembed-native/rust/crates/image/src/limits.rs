/// Bounds checked before any decoder runs, so that a small file cannot make us allocate
/// gigabytes (decompression bombs, headers that lie about the size).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageLimits {
    /// Largest accepted width * height, in pixels.
    pub max_pixels: u64,
    /// Largest accepted width or height, in pixels.
    pub max_side: u32,
    /// Largest accepted encoded input, in bytes.
    pub max_bytes: usize,
}

impl Default for ImageLimits {
    /// 50 megapixels, 16384 pixels a side, 128 MiB of encoded data: larger than any photo an
    /// embedding model sensibly sees (they shrink everything to a few hundred pixels), small
    /// enough that one decoded image stays well under a gigabyte.
    fn default() -> Self {
        ImageLimits {
            max_pixels: 50_000_000,
            max_side: 16_384,
            max_bytes: 128 * 1024 * 1024,
        }
    }
}

impl ImageLimits {
    /// The allocation budget handed to the `image` crate as a second line of defence: room for
    /// the largest accepted image at 16 bytes a pixel (RGBA of 32-bit floats, the widest layout
    /// a decoder may produce) plus working space for compressed strips and tables.
    pub(crate) fn decoder_alloc_budget(&self) -> u64 {
        self.max_pixels.saturating_mul(16).saturating_add(64 * 1024 * 1024)
    }
}
