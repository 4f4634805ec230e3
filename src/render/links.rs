//! Site paths and output paths: the file a site path is written to, and rewriting
//! site paths in rendered HTML (`href="/actors/x/"`) into links relative to the
//! page, so the output works under any sub-path on any host.

/// Attributes whose values are URLs.
const URL_ATTRIBUTES: [&str; 4] = ["href", "src", "action", "poster"];

pub use crate::resolve::output_path;

use crate::load::served::Served;

/// `actors/joe-biden/index.html` -> `../../`; `index.html` -> `./`.
pub fn prefix_for(output_path: &str) -> String {
    let depth = output_path.matches('/').count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

/// Replaces the leading `/` of every site path in a URL attribute by `prefix`
/// (`../../` for a page two folders deep, or the base path for `404.html`), every
/// candidate of a `srcset` included. Protocol-relative URLs (`//host/`) are left alone.
pub fn rewrite_site_paths(html: &str, prefix: &str) -> String {
    rewrite_served_paths(html, prefix, &Served::default())
}

/// [`rewrite_site_paths`] for the pages of one language: each site path becomes
/// the path `served` serves it at (`/fr/actors/x/`), and a link to a page of
/// another language says so (`hreflang`).
pub fn rewrite_served_paths(html: &str, prefix: &str, served: &Served) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    while let Some(i) = rest.find("=\"") {
        let (before, after) = rest.split_at(i + 2);
        out.push_str(before);
        rest = after;
        let name = &before[..i];
        let attr = URL_ATTRIBUTES.iter().chain(["srcset"].iter()).find(|attr| {
            name.ends_with(*attr)
                && name[..name.len() - attr.len()]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_ascii_whitespace())
        });
        match attr {
            Some(&"srcset") => {
                let end = rest.find('"').unwrap_or(rest.len());
                rewrite_srcset(&rest[..end], prefix, served, &mut out);
                rest = &rest[end..];
            }
            Some(attr) if is_site_path(rest) => {
                let end = rest.find('"').unwrap_or(rest.len());
                let value = &rest[..end];
                out.push_str(prefix);
                // A link that names its language before its URL (the language
                // switcher's) gives the path in that language already.
                let named = served.is_multilingual() && names_language(&out);
                out.push_str(
                    &if named {
                        value.into()
                    } else {
                        served.path(value)
                    }[1..],
                );
                rest = &rest[end..];
                let other = (!named).then(|| served.other_language_of(value)).flatten();
                if let (&"href", Some(lang)) = (attr, other) {
                    if let Some(after) = rest.strip_prefix('"') {
                        out.push_str("\" hreflang=\"");
                        out.push_str(lang);
                        out.push('"');
                        rest = after;
                    }
                }
            }
            _ => {}
        }
    }
    out.push_str(rest);
    out
}

/// Whether the tag being written (the end of `out`) has an `hreflang` attribute.
fn names_language(out: &str) -> bool {
    let tag = out.rfind('<').map_or("", |i| &out[i..]);
    tag.contains(" hreflang=")
}

/// Whether an attribute value (up to its end) starts with a site path: `/x`, not `//x`.
fn is_site_path(value: &str) -> bool {
    value.starts_with('/') && !value.starts_with("//")
}

/// Writes a `srcset` value with the site paths among its candidates prefixed.
fn rewrite_srcset(value: &str, prefix: &str, served: &Served, out: &mut String) {
    let mut at_url = true;
    let mut rest = value;
    while let Some(c) = rest.chars().next() {
        if at_url && !c.is_ascii_whitespace() && c != ',' {
            let end = rest
                .find(|c: char| c.is_ascii_whitespace())
                .unwrap_or(rest.len());
            if is_site_path(rest) {
                out.push_str(prefix);
                out.push_str(&served.path(&rest[..end])[1..]);
            } else {
                out.push_str(&rest[..end]);
            }
            // A URL ending in a comma ends its candidate.
            at_url = rest[..end].ends_with(',');
            rest = &rest[end..];
            continue;
        }
        if c == ',' {
            at_url = true;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_url_attributes_only() {
        let html = r#"<a href="/actors/x/">x</a><img src="/i.png" alt="/no"><a href="//cdn/x"><a data-x="/y"><p>href="/z"</p>"#;
        let out = rewrite_site_paths(html, "../../");
        assert_eq!(
            out,
            r#"<a href="../../actors/x/">x</a><img src="../../i.png" alt="/no"><a href="//cdn/x"><a data-x="/y"><p>href="/z"</p>"#
        );
    }

    #[test]
    fn rewrites_every_srcset_candidate() {
        let html =
            r#"<img srcset="/a.png 1x, /b.png 2x,/c.png, //cdn/d.png 3x, e.png" src="/a.png">"#;
        assert_eq!(
            rewrite_site_paths(html, "../"),
            r#"<img srcset="../a.png 1x, ../b.png 2x,../c.png, //cdn/d.png 3x, e.png" src="../a.png">"#
        );
    }

    #[test]
    fn prefixes_by_depth() {
        assert_eq!(prefix_for("index.html"), "./");
        assert_eq!(prefix_for("actors/index.html"), "../");
        assert_eq!(prefix_for("actors/joe-biden/index.html"), "../../");
        assert_eq!(
            rewrite_site_paths(r#"<a href="/">home</a>"#, "./"),
            r#"<a href="./">home</a>"#
        );
    }
}
