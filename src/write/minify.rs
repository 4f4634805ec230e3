//! `build --minify`: smaller HTML through minify-html. The crate brings a CSS and a
//! JavaScript minifier with it (lightningcss, oxc), so it sits behind the `minify`
//! cargo feature: `cargo install standpoint --features minify`.

use crate::render::SiteFiles;

/// Whether this binary was built with minification.
pub const AVAILABLE: bool = cfg!(feature = "minify");

/// Minifies every HTML page of `site` in place; other files are left as written.
#[cfg(feature = "minify")]
pub fn minify_pages(site: &mut SiteFiles) {
    use rayon::prelude::*;
    let mut cfg = minify_html::Cfg::new();
    // Keep output valid HTML: quoted-attribute and tag omissions stay spec-compliant.
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    cfg.minify_css = true;
    cfg.minify_js = true;
    let pages: Vec<(String, std::sync::Arc<[u8]>)> = site
        .files
        .par_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| (path.clone(), minify_html::minify(bytes, &cfg).into()))
        .collect();
    for (path, bytes) in pages {
        site.files.insert(path, bytes);
    }
}

/// Without the feature there is nothing to do; the command line refuses `--minify`.
#[cfg(not(feature = "minify"))]
pub fn minify_pages(_site: &mut SiteFiles) {}
