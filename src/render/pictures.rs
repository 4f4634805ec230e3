//! How pages show the planned pictures: `srcset` and `sizes` in WebP and in the
//! original's format, `width` and `height` so nothing shifts as they load. The
//! files themselves are made after render (`crate::images`).

use std::borrow::Cow;

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};
use tera::Value;

use crate::escape;
use crate::render::values::Obj;
use crate::resolve::pictures::{Format, Picture, Pictures, Role};

/// `sizes` of a portrait: the default theme's 8rem, 5.5rem on a phone.
pub const PORTRAIT_SIZES: &str = "(max-width: 30em) 5.5rem, 8rem";
/// `sizes` of an image in the prose: the whole column, at most the measure.
pub const PROSE_SIZES: &str = "(max-width: 44rem) calc(100vw - 2rem), 42rem";

/// What a URL path may hold as it is; the rest is percent-encoded.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b',');

fn url(output: &str) -> String {
    format!("/{}", utf8_percent_encode(output, PATH))
}

fn srcset(p: &Picture, widths: &[u32], format: Format) -> String {
    let entries: Vec<String> = widths
        .iter()
        .map(|&w| format!("{} {w}w", url(&p.variant(w, format).output)))
        .collect();
    entries.join(", ")
}

/// The sources of `p` shown as `role`: WebP `srcset`, the original format's, the
/// fallback `src` (its largest width), and the width and height of that one.
pub struct Sources {
    pub webp: String,
    pub fallback: String,
    pub src: String,
    pub sizes: &'static str,
    pub width: u32,
    pub height: u32,
}

pub fn sources(p: &Picture, role: Role) -> Sources {
    let widths = p.widths_for(role);
    let largest = widths.last().copied().unwrap_or(p.width);
    let sizes = match role {
        Role::Portrait => PORTRAIT_SIZES,
        Role::Prose => PROSE_SIZES,
    };
    Sources {
        webp: srcset(p, &widths, Format::Webp),
        fallback: srcset(p, &widths, p.format),
        src: url(&p.variant(largest, p.format).output),
        sizes,
        width: largest,
        height: p.height_at(largest),
    }
}

/// The template value of the picture at `path` shown as `role` (`page.picture`,
/// a figure's `picture`): `src`, `srcset`, `webp_srcset`, `sizes`, `width`,
/// `height`; null when `path` is not a planned picture (an SVG, a URL).
pub fn value(pictures: &Pictures, path: Option<&str>, role: Role) -> Value {
    let Some(p) = path.and_then(|path| pictures.get(path)) else {
        return Value::none();
    };
    let s = sources(p, role);
    Obj::with_capacity(6)
        .set("src", s.src)
        .set("srcset", s.fallback)
        .set("webp_srcset", s.webp)
        .set("sizes", s.sizes)
        .set("width", s.width)
        .set("height", s.height)
        .build()
}

/// `html` (a rendered body) with each Markdown image of a planned picture as a
/// `<picture>`: WebP and original sources, its size, loaded lazily (the page
/// head comes before any body). Raw HTML `<img>` tags are left as written: the
/// Markdown renderer writes `<img src="..." alt="..."` and ` />` with only a
/// `title` between, which is what is matched.
pub fn in_html<'a>(html: &'a str, pictures: &Pictures) -> Cow<'a, str> {
    const OPEN: &str = "<img src=\"";
    if pictures.by_output.is_empty() || !html.contains(OPEN) {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() + 512);
    let mut rest = html;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        let tag = &rest[at..];
        match markdown_image(tag, pictures) {
            Some((len, picture)) => {
                out.push_str(&picture);
                rest = &tag[len..];
            }
            None => {
                out.push_str(OPEN);
                rest = &tag[OPEN.len()..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The `<picture>` of the Markdown image tag `tag` starts with, and the tag's
/// length; `None` when it is not one of a planned picture.
fn markdown_image(tag: &str, pictures: &Pictures) -> Option<(usize, String)> {
    let end = tag.find('>')? + 1;
    let inner = tag[..end].strip_prefix("<img src=\"")?;
    let (src, after) = inner.split_once('"')?;
    let attrs = after.strip_prefix(" alt=\"")?;
    let (alt, after) = attrs.split_once('"')?;
    let title = match after.strip_suffix(" />")? {
        "" => "",
        t if t.starts_with(" title=\"") && t.ends_with('"') => t,
        _ => return None,
    };
    let path = percent_decode_str(src).decode_utf8().ok()?;
    let p = pictures.get(&path)?;
    let s = sources(p, Role::Prose);
    let html = format!(
        concat!(
            "<picture><source type=\"image/webp\" srcset=\"{webp}\" sizes=\"{sizes}\">",
            "<img src=\"{src}\" srcset=\"{fallback}\" sizes=\"{sizes}\" width=\"{w}\" height=\"{h}\"",
            " alt=\"{alt}\"{title} loading=\"lazy\" decoding=\"async\" /></picture>"
        ),
        webp = escape::html(&s.webp),
        sizes = s.sizes,
        src = escape::html(&s.src),
        fallback = escape::html(&s.fallback),
        w = s.width,
        h = s.height,
        alt = alt,
        title = title,
    );
    Some((end, html))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn pictures() -> Pictures {
        let mut all = Pictures::default();
        all.by_output.insert(
            "img/a b.jpg".into(),
            Picture {
                output: "img/a b.jpg".into(),
                bytes: Arc::from(&b""[..]),
                format: Format::Jpeg,
                width: 800,
                height: 400,
                orientation: 1,
                roles: vec![Role::Prose],
                file: "content/x.md".into(),
                span: None,
            },
        );
        all
    }

    #[test]
    fn markdown_images_become_pictures_with_their_size() {
        let html = r#"<p><img src="/img/a%20b.jpg" alt="A map" title="T" /> and <img src="/other.png" alt="x" /></p>"#;
        let out = in_html(html, &pictures());
        assert!(out.contains(r#"<source type="image/webp" srcset="/img/a%20b.360w.webp 360w, /img/a%20b.720w.webp 720w, /img/a%20b.800w.webp 800w""#), "{out}");
        assert!(out.contains(r#"<img src="/img/a%20b.jpg" srcset="/img/a%20b.360w.jpg 360w, /img/a%20b.720w.jpg 720w, /img/a%20b.jpg 800w""#), "{out}");
        assert!(
            out.contains(r#"width="800" height="400" alt="A map" title="T" loading="lazy""#),
            "{out}"
        );
        assert!(out.contains(r#"<img src="/other.png" alt="x" />"#), "{out}");
    }

    #[test]
    fn raw_html_images_are_left_as_written() {
        let html = r#"<img src="/img/a%20b.jpg" alt="" class="wide">"#;
        assert_eq!(in_html(html, &pictures()), html);
    }
}
