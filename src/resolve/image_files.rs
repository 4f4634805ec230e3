//! The check of the image files the site names: an actor's `image:` must name a
//! file in a format the browsers (and the share cards) read, whose bytes are what
//! its name says; a Markdown link or image must not name a TIFF, HEIC, ... file.

use std::collections::HashMap;
use std::sync::Arc;

use crate::diagnostics::Diagnostic;
use crate::load::content::Asset;
use crate::load::theme::Theme;

/// Whether some bytes are of a format.
type Sniff = fn(&[u8]) -> bool;

/// The formats read, by file extension: name, and whether `bytes` are one.
const FORMATS: [(&str, &str, Sniff); 6] = [
    ("png", "PNG", |b| b.starts_with(b"\x89PNG\r\n\x1a\n")),
    ("jpg", "JPEG", |b| b.starts_with(&[0xff, 0xd8, 0xff])),
    ("jpeg", "JPEG", |b| b.starts_with(&[0xff, 0xd8, 0xff])),
    ("gif", "GIF", |b| {
        b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a")
    }),
    ("webp", "WebP", |b| {
        b.len() >= 12 && &b[..4] == b"RIFF" && &b[8..12] == b"WEBP"
    }),
    ("svg", "SVG", |b| {
        let text = String::from_utf8_lossy(&b[..b.len().min(4096)]);
        text.contains("<svg")
    }),
];

/// Extensions of image formats that are not read.
const UNSUPPORTED: [&str; 8] = ["bmp", "tif", "tiff", "heic", "heif", "avif", "psd", "ico"];

/// The bytes of every file the site copies as is, by output path (a site's
/// static file over the theme's).
pub(super) fn copied<'a>(theme: &'a Theme, assets: &'a [Asset]) -> HashMap<&'a str, &'a Arc<[u8]>> {
    let statics = theme.statics.iter().map(|s| (s.output.as_str(), &s.bytes));
    let assets = assets.iter().map(|a| (a.output.as_str(), &a.bytes));
    statics.chain(assets).collect()
}

fn extension(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.rsplit_once('.') {
        Some((_, ext)) => ext.to_ascii_lowercase(),
        None => String::new(),
    }
}

/// The error of an image at `path` (an output path) written as `written`, whose
/// bytes are `bytes`. `strict` (an actor's `image:`): its bytes must be the format
/// its name says, and any extension but a read format's is an error; else (a
/// Markdown link or image) only the extensions of formats browsers do not show are.
pub(super) fn check(written: &str, path: &str, bytes: &[u8], strict: bool) -> Option<Diagnostic> {
    let ext = extension(path);
    match FORMATS.iter().find(|(e, _, _)| *e == ext) {
        Some((_, _, is)) if is(bytes) => None,
        Some((_, name, _)) if strict => Some(
            Diagnostic::error(format!("the image `{written}` cannot be read"))
                .label(format!("its file is not a {name} image, as its name says"))
                .help("save it again from an image editor, or give it the extension of its format"),
        ),
        Some(_) => None,
        None if strict || UNSUPPORTED.contains(&ext.as_str()) => Some(
            Diagnostic::error(format!(
                "the image `{written}` is in a format that is not supported"
            ))
            .label(format!("`.{ext}` is not an image format browsers show"))
            .help("convert it to PNG, JPEG, WebP, GIF or SVG"),
        ),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_names_say() {
        assert!(check("/a.png", "a.png", b"\x89PNG\r\n\x1a\n....", true).is_none());
        assert!(check("/a.png", "a.png", b"<html>", true).is_some());
        assert!(check("/a.png", "a.png", b"<html>", false).is_none());
        assert!(check("/a.tiff", "a.tiff", b"II*\0", false).is_some());
        assert!(check("/a.pdf", "a.pdf", b"%PDF", false).is_none());
        assert!(check("/a.pdf", "a.pdf", b"%PDF", true).is_some());
    }
}
