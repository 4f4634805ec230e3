//! The raster images the pages show, planned: which files are actors' portraits
//! or images of bodies, their size as shown (EXIF orientation applied) and the
//! widths they are made in. Only the images' headers are read here; the pixels
//! are decoded and resized after render (`crate::images`), into the outputs this
//! plan names, so the pages can carry `srcset`, `width` and `height` before any
//! image is made.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::ops::Range;
use std::sync::Arc;

use image::{ImageDecoder, ImageFormat, ImageReader};

use crate::diagnostics::Diagnostic;

/// Widths of a portrait (the default theme shows it 8rem wide, and 2x).
pub const PORTRAIT_WIDTHS: [u32; 2] = [128, 256];
/// Widths of an image of a body (the prose column on a phone, on a laptop, and 2x).
pub const PROSE_WIDTHS: [u32; 4] = [360, 720, 1080, 1440];
/// The largest side decoded: past it an image is refused rather than decoded
/// into gigabytes.
pub const MAX_SIDE: u32 = 12_000;

/// How the pages show an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// An actor's `image:`, in the page head.
    Portrait,
    /// A Markdown image or a `figure`, in the prose.
    Prose,
}

/// The formats made smaller at build time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Png,
    Jpeg,
    Webp,
}

impl Format {
    /// The format of a file named `path`, when it is one resized.
    pub fn of_path(path: &str) -> Option<Format> {
        let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "png" => Some(Format::Png),
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "webp" => Some(Format::Webp),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Jpeg => "jpg",
            Format::Webp => "webp",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Png => "image/png",
            Format::Jpeg => "image/jpeg",
            Format::Webp => "image/webp",
        }
    }

    pub fn image_format(self) -> ImageFormat {
        match self {
            Format::Png => ImageFormat::Png,
            Format::Jpeg => ImageFormat::Jpeg,
            Format::Webp => ImageFormat::WebP,
        }
    }
}

/// One image of the site that pages show, and what is made of it.
#[derive(Debug, Clone)]
pub struct Picture {
    /// The original's output path: `images/map.jpg`.
    pub output: String,
    pub bytes: Arc<[u8]>,
    pub format: Format,
    /// Its size as shown, EXIF orientation applied.
    pub width: u32,
    pub height: u32,
    /// Its EXIF orientation (1 to 8; 1 is upright).
    pub orientation: u8,
    pub roles: Vec<Role>,
    /// The first file and place that shows it, for the errors of its decoding.
    pub file: String,
    pub span: Option<Range<usize>>,
}

/// One file made of a picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub output: String,
    pub width: u32,
    pub height: u32,
    pub format: Format,
}

impl Picture {
    /// The widths it is made in, smallest first: those of its roles narrower than
    /// it, then its own width when a role wants as wide or wider.
    pub fn widths(&self) -> Vec<u32> {
        let mut widths: Vec<u32> = self
            .roles
            .iter()
            .flat_map(|&r| self.widths_for(r))
            .collect();
        widths.sort_unstable();
        widths.dedup();
        widths
    }

    /// The widths of one role, a subset of [`Picture::widths`].
    pub fn widths_for(&self, role: Role) -> Vec<u32> {
        let wanted: &[u32] = match role {
            Role::Portrait => &PORTRAIT_WIDTHS,
            Role::Prose => &PROSE_WIDTHS,
        };
        let mut widths: Vec<u32> = wanted.iter().map(|&w| w.min(self.width)).collect();
        widths.dedup();
        widths
    }

    /// Records that a page shows it as `role` too.
    fn add_role(&mut self, role: Role) {
        if !self.roles.contains(&role) {
            self.roles.push(role);
            self.roles.sort();
        }
    }

    /// The height at `width`, keeping the aspect ratio (at least one pixel).
    pub fn height_at(&self, width: u32) -> u32 {
        let h = (u64::from(self.height) * u64::from(width) + u64::from(self.width) / 2)
            / u64::from(self.width.max(1));
        (h as u32).max(1)
    }

    /// The file of width `width` in `format`: beside the original, named by its
    /// width (`images/map.720w.webp`); the original's own path for its full width
    /// in its format, which is written stripped of metadata.
    pub fn variant(&self, width: u32, format: Format) -> Variant {
        let output = if width == self.width && format == self.format {
            self.output.clone()
        } else {
            let stem = self
                .output
                .rsplit_once('.')
                .map_or(self.output.as_str(), |(s, _)| s);
            format!("{stem}.{width}w.{}", format.extension())
        };
        Variant {
            output,
            width,
            height: self.height_at(width),
            format,
        }
    }

    /// Every file made of it: each width in WebP and in its own format (a WebP
    /// original once).
    pub fn variants(&self) -> Vec<Variant> {
        let mut formats = vec![Format::Webp];
        if self.format != Format::Webp {
            formats.push(self.format);
        }
        let mut all: Vec<Variant> = Vec::new();
        for w in self.widths() {
            for &f in &formats {
                all.push(self.variant(w, f));
            }
        }
        if !all.iter().any(|v| v.output == self.output) {
            all.push(self.variant(self.width, self.format));
        }
        all
    }
}

/// The pictures of a site, by the original's output path.
#[derive(Debug, Clone, Default)]
pub struct Pictures {
    pub by_output: BTreeMap<String, Picture>,
}

impl Pictures {
    /// The picture of a site path or output path (`/images/a.png`, `images/a.png`).
    pub fn get(&self, path: &str) -> Option<&Picture> {
        let path = path.split(['?', '#']).next().unwrap_or(path);
        self.by_output.get(path.trim_start_matches('/'))
    }

    /// Records that `file` shows the image at output path `output` (whose bytes
    /// are `bytes`) as `role`, at `span`: an error when its header cannot be read
    /// or it is too large. Files of other formats (GIF, SVG) are not planned.
    pub fn add(
        &mut self,
        output: &str,
        bytes: &Arc<[u8]>,
        role: Role,
        (file, span): (&str, Option<Range<usize>>),
        written: &str,
    ) -> Option<Diagnostic> {
        let format = Format::of_path(output)?;
        if let Some(p) = self.by_output.get_mut(output) {
            p.add_role(role);
            return None;
        }
        let (width, height, orientation) = match header(bytes, format) {
            Ok(size) => size,
            Err(e) => return Some(e.diagnostic(written)),
        };
        self.by_output.insert(
            output.to_string(),
            Picture {
                output: output.to_string(),
                bytes: bytes.clone(),
                format,
                width,
                height,
                orientation,
                roles: vec![role],
                file: file.to_string(),
                span,
            },
        );
        None
    }

    /// Adds the pictures of `other` (another language's site) not in these.
    pub fn merge(&mut self, other: &Pictures) {
        for (output, p) in &other.by_output {
            let mine = self
                .by_output
                .entry(output.clone())
                .or_insert_with(|| p.clone());
            for &role in &p.roles {
                mine.add_role(role);
            }
        }
    }
}

/// Why an image's header was refused.
pub enum HeaderError {
    Unreadable(String),
    TooLarge(u32, u32),
}

impl HeaderError {
    pub fn diagnostic(&self, written: &str) -> Diagnostic {
        match self {
            HeaderError::Unreadable(why) => {
                Diagnostic::error(format!("the image `{written}` cannot be read"))
                    .label(format!("its decoder says: {why}"))
                    .help("save it again from an image editor; a file cut short by a download is a common cause")
            }
            HeaderError::TooLarge(w, h) => Diagnostic::error(format!(
                "the image `{written}` is too large to resize ({w}x{h} pixels)"
            ))
            .label(format!("at most {MAX_SIDE} pixels on a side are decoded"))
            .help("make it smaller in an image editor: pages show it at most 1440 pixels wide"),
        }
    }
}

/// Width, height (as shown) and EXIF orientation of an image, from its header.
pub fn header(bytes: &[u8], format: Format) -> Result<(u32, u32, u8), HeaderError> {
    let unreadable = |e: image::ImageError| HeaderError::Unreadable(e.to_string());
    let reader = ImageReader::with_format(Cursor::new(bytes), format.image_format());
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let (w, h) = decoder.dimensions();
    if w == 0 || h == 0 {
        return Err(HeaderError::Unreadable("the image has no pixels".into()));
    }
    if w > MAX_SIDE || h > MAX_SIDE {
        return Err(HeaderError::TooLarge(w, h));
    }
    let orientation = decoder
        .orientation()
        .map(|o| o.to_exif())
        .unwrap_or(1)
        .clamp(1, 8);
    // Orientations 5 to 8 turn the image a quarter.
    Ok(if orientation >= 5 {
        (h, w, orientation)
    } else {
        (w, h, orientation)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picture(width: u32, height: u32, roles: Vec<Role>) -> Picture {
        Picture {
            output: "images/a.jpg".into(),
            bytes: Arc::from(&b""[..]),
            format: Format::Jpeg,
            width,
            height,
            orientation: 1,
            roles,
            file: "content/about.md".into(),
            span: None,
        }
    }

    #[test]
    fn widths_stop_at_the_image_and_keep_its_ratio() {
        let p = picture(1000, 500, vec![Role::Prose]);
        assert_eq!(p.widths(), vec![360, 720, 1000]);
        assert_eq!(p.height_at(360), 180);
        let both = picture(2000, 2000, vec![Role::Portrait, Role::Prose]);
        assert_eq!(both.widths(), vec![128, 256, 360, 720, 1080, 1440]);
        assert_eq!(both.widths_for(Role::Portrait), vec![128, 256]);
        let tiny = picture(100, 80, vec![Role::Portrait]);
        assert_eq!(tiny.widths(), vec![100]);
    }

    #[test]
    fn variants_sit_beside_the_original_which_keeps_its_path() {
        let p = picture(1000, 500, vec![Role::Prose]);
        let outputs: Vec<String> = p.variants().into_iter().map(|v| v.output).collect();
        assert_eq!(
            outputs,
            [
                "images/a.360w.webp",
                "images/a.360w.jpg",
                "images/a.720w.webp",
                "images/a.720w.jpg",
                "images/a.1000w.webp",
                "images/a.jpg",
            ]
        );
        // Wider than every role: the original is still written, at its size.
        let wide = picture(3000, 1000, vec![Role::Portrait]);
        assert_eq!(wide.variants().last().unwrap().output, "images/a.jpg");
        assert_eq!(wide.variants().last().unwrap().width, 3000);
    }

    #[test]
    fn headers_that_do_not_read_are_refused() {
        assert!(matches!(
            header(b"\x89PNG\r\n\x1a\nnot really", Format::Png),
            Err(HeaderError::Unreadable(_))
        ));
    }
}
