//! What Pillow shows outside a GIF's first frame.
//!
//! A GIF's first frame may cover only part of the logical screen. The `image` crate leaves
//! the rest black; Pillow opens the frame in palette mode on a screen filled with palette
//! index 0 (or with the frame's transparent index), so after `convert("RGB")` the uncovered
//! area has that palette entry's colour.

use image::RgbImage;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FirstFrame {
    pub left: u32,
    pub top: u32,
    pub width: u32,
    pub height: u32,
    /// The colour Pillow gives the screen outside the frame.
    pub fill: [u8; 3],
}

/// Reads the first frame's placement and fill colour; `None` when the stream is too short or
/// odd to tell (the decoder reports such files anyway).
pub(crate) fn first_frame(bytes: &[u8]) -> Option<FirstFrame> {
    let flags = *bytes.get(10)?;
    let mut pos = 13;
    let global = if flags & 0x80 != 0 {
        let len = 3usize << ((flags & 0x07) + 1);
        let table = bytes.get(pos..pos + len)?;
        pos += len;
        Some(table)
    } else {
        None
    };
    let mut transparent = None;
    loop {
        match *bytes.get(pos)? {
            0x21 => {
                let label = *bytes.get(pos + 1)?;
                pos += 2;
                // Graphic control extension: packed flags, delay, transparent index.
                if label == 0xF9 && *bytes.get(pos)? >= 4 && bytes.get(pos + 1)? & 1 != 0 {
                    transparent = Some(*bytes.get(pos + 4)?);
                }
                loop {
                    let block = usize::from(*bytes.get(pos)?);
                    pos += 1 + block;
                    if block == 0 {
                        break;
                    }
                }
            }
            0x2C => {
                let word = |at: usize| -> Option<u32> {
                    Some(u32::from(u16::from_le_bytes([*bytes.get(at)?, *bytes.get(at + 1)?])))
                };
                let packed = *bytes.get(pos + 9)?;
                let local = if packed & 0x80 != 0 {
                    let len = 3usize << ((packed & 0x07) + 1);
                    Some(bytes.get(pos + 10..pos + 10 + len)?)
                } else {
                    None
                };
                let index = usize::from(transparent.unwrap_or(0));
                let fill = local
                    .or(global)
                    .and_then(|palette| palette.get(3 * index..3 * index + 3))
                    .map_or([0, 0, 0], |rgb| [rgb[0], rgb[1], rgb[2]]);
                return Some(FirstFrame {
                    left: word(pos + 1)?,
                    top: word(pos + 3)?,
                    width: word(pos + 5)?,
                    height: word(pos + 7)?,
                    fill,
                });
            }
            _ => return None,
        }
    }
}

/// Paints everything outside the first frame with Pillow's fill colour.
pub(crate) fn fill_outside(image: &mut RgbImage, frame: FirstFrame) {
    let right = frame.left.saturating_add(frame.width);
    let bottom = frame.top.saturating_add(frame.height);
    if frame.left == 0 && frame.top == 0 && right >= image.width() && bottom >= image.height() {
        return;
    }
    for (x, y, pixel) in image.enumerate_pixels_mut() {
        let inside = x >= frame.left && x < right && y >= frame.top && y < bottom;
        if !inside {
            pixel.0 = frame.fill;
        }
    }
}
