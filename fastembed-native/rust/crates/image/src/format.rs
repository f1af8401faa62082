use std::fmt;

use crate::error::ImageError;

/// The encoded formats this crate decodes (the ones Pillow opens for fastembed in practice).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Png,
    Jpeg,
    WebP,
    Gif,
    Bmp,
    Tiff,
}

impl Format {
    pub(crate) fn to_image_format(self) -> image::ImageFormat {
        match self {
            Format::Png => image::ImageFormat::Png,
            Format::Jpeg => image::ImageFormat::Jpeg,
            Format::WebP => image::ImageFormat::WebP,
            Format::Gif => image::ImageFormat::Gif,
            Format::Bmp => image::ImageFormat::Bmp,
            Format::Tiff => image::ImageFormat::Tiff,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Png => "PNG",
            Format::Jpeg => "JPEG",
            Format::WebP => "WebP",
            Format::Gif => "GIF",
            Format::Bmp => "BMP",
            Format::Tiff => "TIFF",
        })
    }
}

/// Identifies the format from its magic bytes; the file name or a declared MIME type is never
/// trusted. Formats we recognise but do not decode get their own error so the user learns
/// that the file is fine and only the format is unsupported.
pub fn sniff(bytes: &[u8]) -> Result<Format, ImageError> {
    if bytes.is_empty() {
        return Err(ImageError::Empty);
    }
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(b"\x89PNG\r\n\x1a\n") {
        return Ok(Format::Png);
    }
    if starts(&[0xFF, 0xD8, 0xFF]) {
        return Ok(Format::Jpeg);
    }
    if starts(b"GIF87a") || starts(b"GIF89a") {
        return Ok(Format::Gif);
    }
    if starts(b"RIFF") && bytes.len() >= 12 && &bytes[8..12] == b"WEBP" {
        return Ok(Format::WebP);
    }
    if starts(b"II*\0") || starts(b"MM\0*") || starts(b"II+\0") || starts(b"MM\0+") {
        return Ok(Format::Tiff);
    }
    if starts(b"BM") {
        return Ok(Format::Bmp);
    }
    if let Some(name) = recognised_unsupported(bytes) {
        return Err(ImageError::UnsupportedFormat { name });
    }
    Err(ImageError::UnknownFormat {
        magic: describe_start(bytes),
    })
}

fn recognised_unsupported(bytes: &[u8]) -> Option<&'static str> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        let brand = &bytes[8..12];
        return Some(match brand {
            b"avif" | b"avis" => "AVIF",
            b"heic" | b"heix" | b"hevc" | b"heim" | b"heis" | b"mif1" | b"msf1" => "HEIF/HEIC",
            _ => "ISO media (MP4/MOV/HEIF family)",
        });
    }
    let known: &[(&[u8], &str)] = &[
        (&[0x00, 0x00, 0x01, 0x00], "ICO"),
        (&[0x00, 0x00, 0x02, 0x00], "CUR"),
        (b"8BPS", "PSD"),
        (b"qoif", "QOI"),
        (b"DDS ", "DDS"),
        (b"#?RADIANCE", "Radiance HDR"),
        (&[0x76, 0x2F, 0x31, 0x01], "OpenEXR"),
        (b"farbfeld", "farbfeld"),
        (&[0xFF, 0x0A], "JPEG XL"),
        (b"\0\0\0\x0cJXL ", "JPEG XL"),
        (b"\0\0\0\x0cjP  ", "JPEG 2000"),
        (&[0xFF, 0x4F, 0xFF, 0x51], "JPEG 2000"),
        (b"%PDF", "PDF"),
        (b"<svg", "SVG"),
        (b"<?xml", "XML/SVG"),
    ];
    if let Some((_, name)) = known.iter().find(|(magic, _)| starts(magic)) {
        return Some(name);
    }
    if bytes.len() >= 2 && bytes[0] == b'P' && (b'1'..=b'7').contains(&bytes[1]) {
        return Some("PNM");
    }
    None
}

fn describe_start(bytes: &[u8]) -> String {
    let shown: Vec<String> = bytes.iter().take(8).map(|b| format!("{b:02X}")).collect();
    let mut text = shown.join(" ");
    if bytes.len() > 8 {
        text.push_str(" ...");
    }
    text
}
