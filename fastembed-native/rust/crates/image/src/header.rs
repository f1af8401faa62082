//! Reads image dimensions straight from the encoded header bytes, before any decoder runs.
//!
//! Decoders allocate from the numbers in the header (some, like the WebP one, decode the whole
//! frame inside their constructor), so the size check has to happen on our own reading of those
//! numbers. Besides the canvas, every other buffer size a decoder takes from the file is
//! reported too: a GIF frame may claim to be larger than its logical screen, and a WebP file
//! carries frame sizes of its own next to the canvas size.

use crate::error::ImageError;
use crate::format::Format;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Size {
    pub width: u64,
    pub height: u64,
}

impl Size {
    fn new(width: impl Into<u64>, height: impl Into<u64>) -> Self {
        Size {
            width: width.into(),
            height: height.into(),
        }
    }

    pub fn pixels(&self) -> u64 {
        self.width.saturating_mul(self.height)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Header {
    /// The size of the decoded image.
    pub canvas: Size,
    /// Sizes of further pixel buffers the decoder allocates while decoding (frames).
    pub frames: Vec<Size>,
}

pub(crate) fn read(format: Format, bytes: &[u8]) -> Result<Header, ImageError> {
    let reader = Bytes { format, bytes };
    match format {
        Format::Png => png(reader),
        Format::Jpeg => jpeg(reader),
        Format::Gif => gif(reader),
        Format::Bmp => bmp(reader),
        Format::Tiff => tiff(reader),
        Format::WebP => webp(reader),
    }
}

/// Bounds-checked little helpers; running off the end is reported as truncation.
#[derive(Clone, Copy)]
struct Bytes<'a> {
    format: Format,
    bytes: &'a [u8],
}

impl<'a> Bytes<'a> {
    fn slice(&self, at: usize, len: usize, what: &'static str) -> Result<&'a [u8], ImageError> {
        at.checked_add(len)
            .and_then(|end| self.bytes.get(at..end))
            .ok_or(ImageError::Truncated {
                format: self.format,
                what,
            })
    }

    fn u8(&self, at: usize, what: &'static str) -> Result<u8, ImageError> {
        Ok(self.slice(at, 1, what)?[0])
    }

    fn u16(&self, at: usize, big_endian: bool, what: &'static str) -> Result<u16, ImageError> {
        let b: [u8; 2] = self.slice(at, 2, what)?.try_into().expect("slice of length 2");
        Ok(if big_endian {
            u16::from_be_bytes(b)
        } else {
            u16::from_le_bytes(b)
        })
    }

    fn u24_le(&self, at: usize, what: &'static str) -> Result<u32, ImageError> {
        let b = self.slice(at, 3, what)?;
        Ok(u32::from(b[0]) | u32::from(b[1]) << 8 | u32::from(b[2]) << 16)
    }

    fn u32(&self, at: usize, big_endian: bool, what: &'static str) -> Result<u32, ImageError> {
        let b: [u8; 4] = self.slice(at, 4, what)?.try_into().expect("slice of length 4");
        Ok(if big_endian {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    }

    fn u64(&self, at: usize, big_endian: bool, what: &'static str) -> Result<u64, ImageError> {
        let b: [u8; 8] = self.slice(at, 8, what)?.try_into().expect("slice of length 8");
        Ok(if big_endian {
            u64::from_be_bytes(b)
        } else {
            u64::from_le_bytes(b)
        })
    }

    fn corrupt(&self, reason: impl Into<String>) -> ImageError {
        ImageError::corrupt(self.format, reason)
    }
}

fn single(canvas: Size) -> Header {
    Header {
        canvas,
        frames: Vec::new(),
    }
}

fn png(b: Bytes) -> Result<Header, ImageError> {
    const WHAT: &str = "the IHDR chunk is incomplete";
    let chunk_type = b.slice(12, 4, WHAT)?;
    if chunk_type != b"IHDR" {
        return Err(b.corrupt("the first chunk is not IHDR"));
    }
    Ok(single(Size::new(b.u32(16, true, WHAT)?, b.u32(20, true, WHAT)?)))
}

fn jpeg(b: Bytes) -> Result<Header, ImageError> {
    const WHAT: &str = "the data ends before the frame header (SOF)";
    let mut pos = 2;
    loop {
        // Markers are 0xFF followed by a code; extra 0xFF fill bytes are allowed, and like
        // libjpeg we step over stray bytes between segments instead of giving up.
        while b.u8(pos, WHAT)? != 0xFF {
            pos += 1;
        }
        while b.u8(pos, WHAT)? == 0xFF {
            pos += 1;
        }
        let marker = b.u8(pos, WHAT)?;
        pos += 1;
        match marker {
            0x01 | 0xD0..=0xD8 => {}
            0xD9 => return Err(b.corrupt("the image ends (EOI) before any frame header")),
            0xDA => return Err(b.corrupt("scan data comes before the frame header")),
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                let height = b.u16(pos + 3, true, WHAT)?;
                let width = b.u16(pos + 5, true, WHAT)?;
                if height == 0 && width != 0 {
                    return Err(ImageError::UnsupportedFeature {
                        format: b.format,
                        detail: "the image height is only given later, by a DNL marker".into(),
                    });
                }
                return Ok(single(Size::new(width, height)));
            }
            _ => {
                let length = usize::from(b.u16(pos, true, WHAT)?);
                if length < 2 {
                    return Err(b.corrupt(format!("segment 0xFF{marker:02X} has length {length}")));
                }
                pos += length;
            }
        }
    }
}

fn gif(b: Bytes) -> Result<Header, ImageError> {
    const SCREEN: &str = "the logical screen descriptor is incomplete";
    const FRAME: &str = "the data ends before the first image";
    let screen = Size::new(b.u16(6, false, SCREEN)?, b.u16(8, false, SCREEN)?);
    let flags = b.u8(10, SCREEN)?;
    let mut pos = 13;
    if flags & 0x80 != 0 {
        pos += 3usize << ((flags & 0x07) + 1);
    }
    loop {
        match b.u8(pos, FRAME)? {
            0x21 => {
                pos += 2;
                loop {
                    let block = usize::from(b.u8(pos, FRAME)?);
                    pos += 1;
                    if block == 0 {
                        break;
                    }
                    pos += block;
                }
            }
            0x2C => {
                let frame = Size::new(b.u16(pos + 5, false, FRAME)?, b.u16(pos + 7, false, FRAME)?);
                return Ok(Header {
                    canvas: screen,
                    frames: vec![frame],
                });
            }
            0x3B => return Err(b.corrupt("the file contains no image")),
            other => return Err(b.corrupt(format!("unexpected block type 0x{other:02X}"))),
        }
    }
}

fn bmp(b: Bytes) -> Result<Header, ImageError> {
    const WHAT: &str = "the bitmap header is incomplete";
    let header_size = b.u32(14, false, WHAT)?;
    match header_size {
        12 => Ok(single(Size::new(b.u16(18, false, WHAT)?, b.u16(20, false, WHAT)?))),
        16 | 40 | 52 | 56 | 64 | 108 | 124 => {
            let width = b.u32(18, false, WHAT)? as i32;
            let height = b.u32(22, false, WHAT)? as i32;
            if width < 0 {
                return Err(b.corrupt(format!("negative width {width}")));
            }
            if height == i32::MIN {
                return Err(b.corrupt("invalid height"));
            }
            // A negative height only means the rows are stored top-down.
            Ok(single(Size::new(width.unsigned_abs(), height.unsigned_abs())))
        }
        other => Err(b.corrupt(format!("unknown bitmap header size {other}"))),
    }
}

fn tiff(b: Bytes) -> Result<Header, ImageError> {
    const WHAT: &str = "the first image directory (IFD) is incomplete";
    let big_endian = b.bytes.starts_with(b"MM");
    let big_tiff = b.u16(2, big_endian, WHAT)? == 43;
    let (mut pos, count, entry_size) = if big_tiff {
        let offset = b.u64(8, big_endian, WHAT)?;
        let pos = usize::try_from(offset).map_err(|_| b.corrupt("IFD offset out of range"))?;
        (pos, b.u64(pos, big_endian, WHAT)?, 20usize)
    } else {
        let pos = b.u32(4, big_endian, WHAT)? as usize;
        (pos, u64::from(b.u16(pos, big_endian, WHAT)?), 12usize)
    };
    pos += if big_tiff { 8 } else { 2 };
    let (mut width, mut height) = (None, None);
    for _ in 0..count {
        let tag = b.u16(pos, big_endian, WHAT)?;
        if tag == 256 || tag == 257 {
            let field_type = b.u16(pos + 2, big_endian, WHAT)?;
            let value_at = pos + if big_tiff { 12 } else { 8 };
            let value = match field_type {
                3 => u64::from(b.u16(value_at, big_endian, WHAT)?),
                4 => u64::from(b.u32(value_at, big_endian, WHAT)?),
                16 if big_tiff => b.u64(value_at, big_endian, WHAT)?,
                other => return Err(b.corrupt(format!("image size tag {tag} has field type {other}"))),
            };
            if tag == 256 {
                width = Some(value);
            } else {
                height = Some(value);
            }
        }
        if width.is_some() && height.is_some() {
            break;
        }
        pos = pos
            .checked_add(entry_size)
            .ok_or_else(|| b.corrupt("IFD out of range"))?;
    }
    match (width, height) {
        (Some(width), Some(height)) => Ok(single(Size::new(width, height))),
        _ => Err(b.corrupt("the first image directory has no ImageWidth/ImageLength")),
    }
}

fn webp(b: Bytes) -> Result<Header, ImageError> {
    const WHAT: &str = "the data ends inside a chunk header";
    let fourcc = b.slice(12, 4, WHAT)?;
    let size = b.u32(16, false, WHAT)? as usize;
    match fourcc {
        b"VP8 " | b"VP8L" => {
            let frame = webp_frame(b, fourcc, 20)?;
            Ok(Header {
                canvas: frame,
                frames: vec![frame],
            })
        }
        b"VP8X" => {
            let canvas = Size::new(b.u24_le(24, WHAT)? + 1, b.u24_le(27, WHAT)? + 1);
            let mut frames = Vec::new();
            webp_frames_in(b, 20 + padded(size), b.bytes.len(), &mut frames)?;
            Ok(Header { canvas, frames })
        }
        other => Err(b.corrupt(format!("unknown first chunk {}", String::from_utf8_lossy(other)))),
    }
}

fn padded(size: usize) -> usize {
    size.saturating_add(size & 1)
}

/// Collects the size of every VP8/VP8L bitstream between `start` and `end`, descending into
/// animation frames (ANMF), because the decoder decodes all of them up front.
fn webp_frames_in(b: Bytes, start: usize, end: usize, frames: &mut Vec<Size>) -> Result<(), ImageError> {
    const WHAT: &str = "the data ends inside a chunk header";
    let mut pos = start;
    while pos.saturating_add(8) <= end {
        let fourcc = b.slice(pos, 4, WHAT)?;
        let size = b.u32(pos + 4, false, WHAT)? as usize;
        let data = pos + 8;
        match fourcc {
            b"VP8 " | b"VP8L" => frames.push(webp_frame(b, fourcc, data)?),
            // 16 bytes of frame placement precede the frame's own chunks.
            b"ANMF" => webp_frames_in(b, data + 16, data.saturating_add(size).min(end), frames)?,
            _ => {}
        }
        pos = data.saturating_add(padded(size));
    }
    Ok(())
}

fn webp_frame(b: Bytes, fourcc: &[u8], data: usize) -> Result<Size, ImageError> {
    const WHAT: &str = "the bitstream header is incomplete";
    if fourcc == b"VP8 " {
        if b.slice(data + 3, 3, WHAT)? != [0x9D, 0x01, 0x2A] {
            return Err(b.corrupt("VP8 start code missing"));
        }
        let width = b.u16(data + 6, false, WHAT)? & 0x3FFF;
        let height = b.u16(data + 8, false, WHAT)? & 0x3FFF;
        Ok(Size::new(width, height))
    } else {
        if b.u8(data, WHAT)? != 0x2F {
            return Err(b.corrupt("VP8L signature missing"));
        }
        let bits = b.u32(data + 1, false, WHAT)?;
        Ok(Size::new((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry_be(tag: u16, kind: u16, value: u32) -> Vec<u8> {
        let mut e = tag.to_be_bytes().to_vec();
        e.extend_from_slice(&kind.to_be_bytes());
        e.extend_from_slice(&1u32.to_be_bytes());
        match kind {
            3 => e.extend_from_slice(&[(value >> 8) as u8, value as u8, 0, 0]),
            _ => e.extend_from_slice(&value.to_be_bytes()),
        }
        e
    }

    #[test]
    fn big_endian_tiff_sizes_read_from_short_and_long_fields() {
        let mut tiff = b"MM\0*".to_vec();
        tiff.extend_from_slice(&8u32.to_be_bytes());
        tiff.extend_from_slice(&3u16.to_be_bytes());
        tiff.extend(entry_be(254, 4, 0));
        tiff.extend(entry_be(256, 3, 640));
        tiff.extend(entry_be(257, 4, 70_000));
        let header = read(Format::Tiff, &tiff).unwrap();
        assert_eq!(
            header.canvas,
            Size {
                width: 640,
                height: 70_000
            }
        );
    }

    #[test]
    fn big_tiff_sizes_read_from_eight_byte_fields() {
        let mut tiff = b"II+\0".to_vec();
        tiff.extend_from_slice(&8u16.to_le_bytes());
        tiff.extend_from_slice(&0u16.to_le_bytes());
        tiff.extend_from_slice(&16u64.to_le_bytes());
        tiff.extend_from_slice(&2u64.to_le_bytes());
        for (tag, value) in [(256u16, 5u64), (257, 1u64 << 33)] {
            tiff.extend_from_slice(&tag.to_le_bytes());
            tiff.extend_from_slice(&16u16.to_le_bytes());
            tiff.extend_from_slice(&1u64.to_le_bytes());
            tiff.extend_from_slice(&value.to_le_bytes());
        }
        let header = read(Format::Tiff, &tiff).unwrap();
        assert_eq!(
            header.canvas,
            Size {
                width: 5,
                height: 1 << 33
            }
        );
    }

    #[test]
    fn animated_webp_reports_every_frame() {
        let vp8l = |w: u32, h: u32| {
            let bits = (w - 1) | (h - 1) << 14;
            let mut data = vec![0x2F];
            data.extend_from_slice(&bits.to_le_bytes());
            data
        };
        let chunk = |fourcc: &[u8; 4], data: &[u8]| {
            let mut c = fourcc.to_vec();
            c.extend_from_slice(&(data.len() as u32).to_le_bytes());
            c.extend_from_slice(data);
            if data.len() % 2 == 1 {
                c.push(0);
            }
            c
        };
        let anmf = |w: u32, h: u32| {
            let mut data = vec![0u8; 16];
            data.extend(chunk(b"VP8L", &vp8l(w, h)));
            chunk(b"ANMF", &data)
        };
        let mut file = b"RIFF\0\0\0\0WEBP".to_vec();
        file.extend(chunk(b"VP8X", &[0x02, 0, 0, 0, 99, 0, 0, 49, 0, 0]));
        file.extend(chunk(b"ANIM", &[0; 6]));
        file.extend(anmf(100, 50));
        file.extend(anmf(30, 20));
        let header = read(Format::WebP, &file).unwrap();
        assert_eq!(header.canvas, Size { width: 100, height: 50 });
        assert_eq!(
            header.frames,
            vec![Size { width: 100, height: 50 }, Size { width: 30, height: 20 }]
        );
    }
}
