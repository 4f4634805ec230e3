//! Site paths and output paths: the file a site path is written to, and rewriting
//! site paths in rendered HTML (`href="/actors/x/"`) into links relative to the
//! page, so the output works under any sub-path on any host.

/// Attributes whose values are URLs.
const URL_ATTRIBUTES: [&str; 4] = ["href", "src", "action", "poster"];

/// Output path of a site path: `/actors/x/` -> `actors/x/index.html`.
pub fn output_path(url: &str) -> String {
    let trimmed = url.trim_start_matches('/');
    if trimmed.is_empty() {
        "index.html".to_string()
    } else if trimmed.ends_with(".html") || trimmed.ends_with(".xml") || trimmed.ends_with(".json")
    {
        trimmed.to_string()
    } else {
        format!("{}/index.html", trimmed.trim_end_matches('/'))
    }
}

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
/// (`../../` for a page two folders deep, or the base path for `404.html`).
/// Protocol-relative URLs (`//host/`) are left alone.
pub fn rewrite_site_paths(html: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    while let Some(i) = rest.find("=\"/") {
        let (before, after) = rest.split_at(i);
        let is_url_attr = URL_ATTRIBUTES.iter().any(|attr| {
            before.ends_with(attr)
                && before[..before.len() - attr.len()]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_ascii_whitespace())
        });
        // `after` is `="/...`.
        let protocol_relative = after.as_bytes().get(3) == Some(&b'/');
        out.push_str(before);
        if is_url_attr && !protocol_relative {
            out.push_str("=\"");
            out.push_str(prefix);
            rest = &after[3..];
        } else {
            out.push_str("=\"/");
            rest = &after[3..];
        }
    }
    out.push_str(rest);
    out
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
