//! The files of one picture: decoded once (within limits), turned upright by its
//! EXIF orientation, resized to each width and encoded in WebP and its own
//! format. Encoding from pixels writes no metadata; the original's own path gets
//! the original with its metadata taken out ([`super::strip`]) when it is upright.
//!
//! Decoders and encoders: the `image` crate (PNG, JPEG and WebP decoding, PNG and
//! JPEG encoding: pure Rust, no system library) and the `webp` crate (libwebp,
//! for lossy WebP, which `image` does not encode).

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{DynamicImage, ImageEncoder, ImageReader, Limits};

use super::strip;
use crate::resolve::pictures::{Format, Picture, Variant, MAX_SIDE};

/// What else decides the bytes made besides the original's: part of the cache key.
pub(crate) const SETTINGS: &str = "image-0.25 catmull-rom jpeg-q82 webp-q78 png-lossless-webp v1";
const JPEG_QUALITY: u8 = 82;
const WEBP_QUALITY: f32 = 78.0;
/// The most memory one decoded image may take (12,000 x 12,000 RGBA is 576 MB).
const MAX_ALLOC: u64 = 1 << 30;

/// The bytes of each of `variants` of `p`, in their order; the decoder's message
/// when the original does not decode.
pub(crate) fn make(p: &Picture, variants: &[Variant]) -> Result<Vec<Vec<u8>>, String> {
    let image = decode(p)?;
    variants
        .iter()
        .map(|v| {
            if v.output == p.output && p.orientation == 1 {
                let stripped = match p.format {
                    Format::Jpeg => strip::jpeg(&p.bytes),
                    Format::Png => strip::png(&p.bytes),
                    Format::Webp => None,
                };
                if let Some(bytes) = stripped {
                    return Ok(bytes);
                }
            }
            let sized = if v.width == image.width() && v.height == image.height() {
                image.clone()
            } else {
                image.resize_exact(v.width, v.height, FilterType::CatmullRom)
            };
            encode(&sized, v.format, p.format).map_err(|e| e.to_string())
        })
        .collect()
}

/// The pixels of `p`, upright.
fn decode(p: &Picture) -> Result<DynamicImage, String> {
    let mut reader = ImageReader::with_format(Cursor::new(&p.bytes[..]), p.format.image_format());
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let fail = |e: image::ImageError| e.to_string();
    let decoder = reader.into_decoder().map_err(fail)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(fail)?;
    if let Some(o) = Orientation::from_exif(p.orientation) {
        image.apply_orientation(o);
    }
    Ok(image)
}

/// `image` in `format`; a PNG original's WebP is lossless (drawings, flags and
/// charts stay sharp), a photo's lossy.
fn encode(image: &DynamicImage, format: Format, original: Format) -> image::ImageResult<Vec<u8>> {
    let mut out = Vec::new();
    let (w, h) = (image.width(), image.height());
    match format {
        Format::Jpeg => {
            let rgb = image.to_rgb8();
            JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY).write_image(
                &rgb,
                w,
                h,
                image::ExtendedColorType::Rgb8,
            )?;
        }
        Format::Png => {
            let rgba = image.to_rgba8();
            PngEncoder::new_with_quality(&mut out, CompressionType::Default, PngFilter::Adaptive)
                .write_image(&rgba, w, h, image::ExtendedColorType::Rgba8)?;
        }
        Format::Webp => {
            let rgba = image.to_rgba8();
            let encoder = webp::Encoder::from_rgba(&rgba, w, h);
            let memory = if original == Format::Png {
                encoder.encode_lossless()
            } else {
                encoder.encode(WEBP_QUALITY)
            };
            out.extend_from_slice(&memory);
        }
    }
    Ok(out)
}

/// Whether `bytes` decode as an image of `width` x `height` (for tests).
#[cfg(test)]
pub(crate) fn size_of(bytes: &[u8]) -> Option<(u32, u32)> {
    use image::ImageDecoder;
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    let decoder = reader.into_decoder().ok()?;
    Some(decoder.dimensions())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::resolve::pictures::Role;

    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let image = DynamicImage::ImageRgb8(image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x * 7) as u8, (y * 5) as u8, 90])
        }));
        encode(&image, Format::Jpeg, Format::Jpeg).unwrap()
    }

    #[test]
    fn every_variant_has_its_size_and_format() {
        let bytes = jpeg(900, 300);
        let p = Picture {
            output: "a.jpg".into(),
            bytes: Arc::from(bytes),
            format: Format::Jpeg,
            width: 900,
            height: 300,
            orientation: 1,
            roles: vec![Role::Prose],
            file: "content/x.md".into(),
            span: None,
        };
        let variants = p.variants();
        let made = make(&p, &variants).unwrap();
        for (v, bytes) in variants.iter().zip(&made) {
            assert_eq!(size_of(bytes), Some((v.width, v.height)), "{}", v.output);
            let webp = bytes.get(8..12) == Some(b"WEBP");
            assert_eq!(webp, v.format == Format::Webp, "{}", v.output);
        }
    }
}
