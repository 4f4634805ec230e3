//! SVG to PNG with resvg, with the fonts the default theme ships (DejaVu Sans,
//! regular and bold) and no system fonts: the same SVG gives the same bytes on
//! every machine.

use std::sync::{Arc, OnceLock};

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{fontdb, Options, Tree};

use crate::load::theme;

/// Card size, in pixels.
pub(crate) const WIDTH: u32 = 1200;
pub(crate) const HEIGHT: u32 = 630;

/// What else decides a card's bytes besides its SVG: part of its cache key.
pub(crate) const SETTINGS: &str = "resvg-0.45 png 1200x630 dejavu-2.37 v1";

/// The font database, made once per process.
fn fonts() -> Arc<fontdb::Database> {
    static FONTS: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = fontdb::Database::new();
            for bytes in theme::embedded_fonts() {
                db.load_font_data(bytes.to_vec());
            }
            db.set_sans_serif_family("DejaVu Sans");
            Arc::new(db)
        })
        .clone()
}

/// The PNG of `svg`. An SVG this crate wrote always parses; should it not, the
/// card is a plain white one rather than a failed build.
pub(crate) fn png(svg: &str) -> Vec<u8> {
    let options = Options {
        fontdb: fonts(),
        ..Options::default()
    };
    let mut pixmap = Pixmap::new(WIDTH, HEIGHT).expect("a card has a size");
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    if let Ok(tree) = Tree::from_str(svg, &options) {
        resvg::render(&tree, Transform::default(), &mut pixmap.as_mut());
    }
    pixmap.encode_png().unwrap_or_default()
}
