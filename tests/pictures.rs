//! Responsive images (DESIGN.md section 12): actor portraits, Markdown images and
//! figures are resized at build time into WebP and their own format, named in
//! `srcset` with `sizes`, `width` and `height`; outputs are upright and carry no
//! metadata; a second build decodes nothing, and `serve` rebuilds them as a fresh
//! build would.

#[path = "common/error_cases.rs"]
mod common;
#[path = "common/links.rs"]
mod links;
#[path = "common/outcome.rs"]
mod outcome;

use std::io::Cursor;
use std::path::PathBuf;

use image::{DynamicImage, ImageDecoder, ImageReader, RgbImage, RgbaImage};
use scraper::{ElementRef, Html, Selector};
use standpoint::incremental::{Changes, Session};
use standpoint::{BuildOptions, Outcome};

use common::{copy_dir, fixtures};
use outcome::{build, file, options};

/// A JPEG of `w` x `h` pixels: red on its left half, blue on its right.
fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let pixels = RgbImage::from_fn(w, h, |x, _| {
        if x < w / 2 {
            image::Rgb([220, 20, 20])
        } else {
            image::Rgb([20, 20, 220])
        }
    });
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(pixels)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Jpeg)
        .unwrap();
    out
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let pixels = RgbaImage::from_fn(w, h, |x, y| image::Rgba([x as u8, y as u8, 120, 255]));
    let mut out = Vec::new();
    DynamicImage::ImageRgba8(pixels)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// `jpeg` with an EXIF block after its start: `orientation`, and a GPS latitude
/// whose reference is the text `GPSMARK` (easy to look for in the outputs).
fn with_exif(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let mut tiff: Vec<u8> = b"MM\0\x2a\0\0\0\x08".to_vec();
    // IFD0: two entries (orientation, GPS IFD pointer), then no next IFD.
    tiff.extend_from_slice(&2u16.to_be_bytes());
    tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1]);
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0]);
    let gps_at = 8 + 2 + 12 * 2 + 4;
    tiff.extend_from_slice(&[0x88, 0x25, 0, 4, 0, 0, 0, 1]);
    tiff.extend_from_slice(&(gps_at as u32).to_be_bytes());
    tiff.extend_from_slice(&0u32.to_be_bytes());
    // GPS IFD: GPSLatitudeRef, an 8-byte text stored after the IFD.
    tiff.extend_from_slice(&1u16.to_be_bytes());
    tiff.extend_from_slice(&[0x00, 0x01, 0, 2, 0, 0, 0, 8]);
    tiff.extend_from_slice(&((gps_at + 2 + 12 + 4) as u32).to_be_bytes());
    tiff.extend_from_slice(&0u32.to_be_bytes());
    tiff.extend_from_slice(b"GPSMARK\0");
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xff, 0xe1]);
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// The diagnostics base site with a portrait for NATO (`portrait`, a JPEG), and
/// an about page showing a Markdown image (`map.png`) and a figure (`photo.jpg`).
fn site(portrait: &[u8], map: &[u8], photo: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&fixtures().join("base"), &root);
    std::fs::create_dir_all(root.join("static/images")).unwrap();
    std::fs::write(root.join("static/images/nato.jpg"), portrait).unwrap();
    std::fs::write(root.join("static/images/map.png"), map).unwrap();
    std::fs::write(root.join("content/photo.jpg"), photo).unwrap();
    let nato = root.join("content/actors/nato.md");
    let text = std::fs::read_to_string(&nato).unwrap();
    let text = text.replacen("---\n", "---\nimage: /images/nato.jpg\n", 1);
    std::fs::write(&nato, text).unwrap();
    std::fs::write(
        root.join("content/about.md"),
        "---\ntitle: About\n---\nThe map: ![Where the talks were](/images/map.png \"The map\")\n\n\
         {% figure(src=\"photo.jpg\", alt=\"The hall\") %}The hall.{% end %}\n",
    )
    .unwrap();
    (dir, root)
}

fn default_site() -> (tempfile::TempDir, PathBuf) {
    site(&jpeg(600, 400), &png(2000, 1000), &jpeg(900, 600))
}

fn page(outcome: &Outcome, path: &str) -> Html {
    Html::parse_document(&String::from_utf8_lossy(file(outcome, path)))
}

fn one<'a>(html: &'a Html, css: &str) -> ElementRef<'a> {
    let found = html.select(&Selector::parse(css).unwrap()).next();
    found.unwrap_or_else(|| panic!("no {css}"))
}

/// The width and height of an image's bytes, and its format.
fn size(bytes: &[u8]) -> (u32, u32, image::ImageFormat) {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .unwrap();
    let format = reader.format().unwrap();
    let decoder = reader.into_decoder().unwrap();
    let (w, h) = decoder.dimensions();
    (w, h, format)
}

/// The entries of a `srcset`: (URL, width).
fn srcset(value: &str) -> Vec<(String, u32)> {
    value
        .split(", ")
        .map(|entry| {
            let (url, w) = entry.rsplit_once(' ').unwrap();
            let w = w.strip_suffix('w').unwrap().parse().unwrap();
            (url.to_string(), w)
        })
        .collect()
}

/// The output path of `url`, written on the page at output folder `dir`
/// (`actors/nato/`): the fixture's links are relative.
fn resolved(dir: &str, url: &str) -> String {
    links::joined(dir, url)
}

/// Checks that every entry of `srcset` (on the page in folder `dir`) is a file of
/// the build with the width it claims (and the height of `ratio`), in `format`;
/// returns the widths.
fn check_srcset(
    outcome: &Outcome,
    (dir, value): (&str, &str),
    format: image::ImageFormat,
    ratio: f64,
) -> Vec<u32> {
    srcset(value)
        .into_iter()
        .map(|(url, width)| {
            let (w, h, f) = size(file(outcome, &resolved(dir, &url)));
            assert_eq!((w, f), (width, format), "{url}");
            let expected = (f64::from(width) * ratio).round() as u32;
            assert!(h.abs_diff(expected) <= 1, "{url}: {h} high, not {expected}");
            width
        })
        .collect()
}

#[test]
fn a_portrait_has_webp_and_jpeg_sources_at_1x_and_2x_and_its_size() {
    let (_dir, root) = default_site();
    let outcome = build(&root);
    let html = page(&outcome, "actors/nato/index.html");
    let source = one(&html, ".actor-head picture source").value();
    let img = one(&html, ".actor-head picture img.portrait").value();
    assert_eq!(source.attr("type"), Some("image/webp"));
    let ratio = 400.0 / 600.0;
    let webp = source.attr("srcset").unwrap();
    let webp_widths = check_srcset(
        &outcome,
        ("actors/nato/", webp),
        image::ImageFormat::WebP,
        ratio,
    );
    assert_eq!(webp_widths, [128, 256]);
    let jpeg = img.attr("srcset").unwrap();
    let jpeg_widths = check_srcset(
        &outcome,
        ("actors/nato/", jpeg),
        image::ImageFormat::Jpeg,
        ratio,
    );
    assert_eq!(jpeg_widths, [128, 256]);
    assert_eq!(source.attr("sizes"), img.attr("sizes"));
    assert_eq!(img.attr("sizes"), Some("(max-width: 30em) 5.5rem, 8rem"));
    assert_eq!(
        (img.attr("width"), img.attr("height")),
        (Some("256"), Some("171"))
    );
    assert_eq!(img.attr("src"), Some("../../images/nato.256w.jpg"));
    assert_eq!(img.attr("loading"), None, "the page head is not lazy");
    // The original keeps its path, at its size.
    assert_eq!(
        size(file(&outcome, "images/nato.jpg")),
        (600, 400, image::ImageFormat::Jpeg)
    );
}

#[test]
fn markdown_images_and_figures_become_lazy_pictures_at_the_prose_widths() {
    let (_dir, root) = default_site();
    let outcome = build(&root);
    let html = page(&outcome, "about/index.html");
    let prose = Selector::parse("picture").unwrap();
    let pictures: Vec<ElementRef> = html.select(&prose).collect();
    assert_eq!(pictures.len(), 2, "the Markdown image and the figure");

    let (source, img) = (
        one(&html, "p picture source").value(),
        one(&html, "p picture img").value(),
    );
    let png = image::ImageFormat::Png;
    let webp = image::ImageFormat::WebP;
    let widths = check_srcset(
        &outcome,
        ("about/", source.attr("srcset").unwrap()),
        webp,
        0.5,
    );
    assert_eq!(widths, [360, 720, 1080, 1440], "no wider than 1440");
    check_srcset(&outcome, ("about/", img.attr("srcset").unwrap()), png, 0.5);
    assert_eq!(img.attr("alt"), Some("Where the talks were"));
    assert_eq!(img.attr("title"), Some("The map"));
    assert_eq!(
        (img.attr("width"), img.attr("height")),
        (Some("1440"), Some("720"))
    );
    assert_eq!(img.attr("loading"), Some("lazy"));
    assert!(img.attr("sizes").unwrap().contains("100vw"));

    let figure = one(&html, "figure picture img").value();
    let ratio = 600.0 / 900.0;
    let jpeg = image::ImageFormat::Jpeg;
    let widths = check_srcset(
        &outcome,
        ("about/", figure.attr("srcset").unwrap()),
        jpeg,
        ratio,
    );
    assert_eq!(widths, [360, 720, 900], "up to its own width");
    assert_eq!(
        (figure.attr("width"), figure.attr("height")),
        (Some("900"), Some("600"))
    );
    assert_eq!(figure.attr("alt"), Some("The hall"));
    assert_eq!(figure.attr("loading"), Some("lazy"));
    let figure_webp = one(&html, "figure picture source").value();
    check_srcset(
        &outcome,
        ("about/", figure_webp.attr("srcset").unwrap()),
        webp,
        ratio,
    );
}

#[test]
fn outputs_are_upright_and_carry_no_exif_or_gps() {
    // 300 x 200 stored, orientation 6: shown 200 wide and 300 high.
    let portrait = with_exif(&jpeg(300, 200), 6);
    assert!(portrait.windows(7).any(|w| w == b"GPSMARK"));
    let (_dir, root) = site(&portrait, &png(400, 300), &with_exif(&jpeg(500, 400), 1));
    let outcome = build(&root);
    let files = &outcome.files.as_ref().unwrap().files;
    let images: Vec<(&String, _)> = files
        .iter()
        .filter(|(path, _)| path.ends_with(".jpg") || path.ends_with(".webp"))
        .collect();
    assert!(images.len() >= 8, "{:?}", files.keys().collect::<Vec<_>>());
    for (path, bytes) in &images {
        assert!(
            !bytes.windows(7).any(|w| w == b"GPSMARK") && !bytes.windows(4).any(|w| w == b"Exif"),
            "{path} still has its EXIF"
        );
    }
    assert_eq!(size(file(&outcome, "images/nato.jpg")).0, 200);
    assert_eq!(size(file(&outcome, "images/nato.jpg")).1, 300);
    assert_eq!(size(file(&outcome, "images/nato.128w.webp")).1, 192);
    let html = page(&outcome, "actors/nato/index.html");
    let img = one(&html, "img.portrait").value();
    assert_eq!(
        (img.attr("width"), img.attr("height")),
        (Some("200"), Some("300"))
    );
    // Turned the right way: the red left half of the stored image is on top.
    let upright = image::load_from_memory(file(&outcome, "images/nato.jpg"))
        .unwrap()
        .to_rgb8();
    let top = upright.get_pixel(100, 20);
    let bottom = upright.get_pixel(100, 280);
    assert!(top[0] > 150 && top[2] < 100, "top {top:?}");
    assert!(bottom[2] > 150 && bottom[0] < 100, "bottom {bottom:?}");
    // An upright photo keeps its pixels: the original is its own bytes less EXIF.
    let photo = file(&outcome, "photo.jpg");
    assert_eq!(photo, &jpeg(500, 400)[..], "metadata out, nothing else");
}

#[test]
fn a_second_build_decodes_no_image_and_an_edit_decodes_only_that_one() {
    let (_dir, root) = default_site();
    let cold = build(&root);
    assert_eq!(
        (cold.stats.pictures_decoded, cold.stats.pictures_cached),
        (3, 0)
    );
    let warm = build(&root);
    assert_eq!(
        (warm.stats.pictures_decoded, warm.stats.pictures_cached),
        (0, 3),
        "a warm build decodes nothing"
    );
    assert!(warm.files == cold.files, "and writes the same files");
    std::fs::write(root.join("static/images/map.png"), png(800, 800)).unwrap();
    let edited = build(&root);
    assert_eq!(
        (edited.stats.pictures_decoded, edited.stats.pictures_cached),
        (1, 2)
    );
    let html = page(&edited, "about/index.html");
    assert_eq!(
        one(&html, "p picture img").value().attr("height"),
        Some("800")
    );
}

#[test]
fn serve_rebuilds_an_edited_image_as_a_fresh_build_would() {
    let (_dir, root) = default_site();
    let serving = BuildOptions {
        base_url: Some("http://127.0.0.1:1111/".into()),
        serve: true,
        ..options(&root)
    };
    let mut session = Session::new(serving.clone());
    assert_eq!(session.build(&Changes::everything()).errors(), 0);
    let edits: [(&str, Vec<u8>); 3] = [
        ("static/images/nato.jpg", jpeg(200, 400)),
        ("content/photo.jpg", jpeg(1200, 300)),
        ("static/images/map.png", png(300, 300)),
    ];
    for (path, bytes) in edits {
        std::fs::write(root.join(path), bytes).unwrap();
        let rebuilt = session.build(&Changes::of(&root, [root.join(path)]));
        assert_eq!(rebuilt.errors(), 0, "{path}: {:?}", rebuilt.diagnostics);
        assert!(
            !rebuilt.stats.patched,
            "{path}: an image edit is not patched"
        );
        assert_eq!(rebuilt.stats.pictures_decoded, 1, "{path}");
        let fresh = standpoint::build(&serving);
        let (a, b) = (
            &rebuilt.files.as_ref().unwrap().files,
            &fresh.files.as_ref().unwrap().files,
        );
        let differ: Vec<&String> = a
            .keys()
            .chain(b.keys())
            .filter(|k| a.get(*k) != b.get(*k))
            .collect();
        assert!(
            differ.is_empty(),
            "{path}: unlike a fresh build: {differ:?}"
        );
    }
}

#[test]
fn check_decodes_no_image() {
    let (_dir, root) = default_site();
    let checked = standpoint::check(&options(&root));
    assert_eq!(checked.errors(), 0);
    assert_eq!(checked.stats.pictures_decoded, 0);
    assert!(!root.join(".standpoint/images").exists());
}
