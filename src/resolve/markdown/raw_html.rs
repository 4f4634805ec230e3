//! Raw HTML in Markdown, read as far as standpoint needs: the tags with their
//! attributes, so that URLs in `href`, `src` and `srcset` are rewritten and checked
//! like Markdown links, the `id`s a page defines are known, and no actor name is
//! autolinked inside `<a>`, `<code>`, `<pre>`, `<script>` or `<style>`.

use std::ops::Range;

/// Elements inside which text is never autolinked.
pub const NO_AUTOLINK_INSIDE: [&str; 5] = ["a", "code", "pre", "script", "style"];

/// Attributes whose value is one URL.
pub const URL_ATTRIBUTES: [&str; 3] = ["href", "src", "poster"];

/// One tag of raw HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawTag {
    /// Lowercase element name.
    pub name: String,
    pub closing: bool,
    pub self_closing: bool,
    /// Lowercase attribute name and the byte range of its value in the HTML.
    pub attrs: Vec<(String, Range<usize>)>,
}

/// The tags of `html`, in order; comments are skipped. A tag cut off by the end of
/// `html` (raw HTML blocks come line by line) ends there.
pub fn tags(html: &str) -> Vec<RawTag> {
    let b = html.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off;
        if html[start..].starts_with("<!--") {
            i = html[start + 4..]
                .find("-->")
                .map_or(b.len(), |e| start + 4 + e + 3);
            continue;
        }
        let mut j = start + 1;
        let closing = b.get(j) == Some(&b'/');
        if closing {
            j += 1;
        }
        let name_start = j;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-') {
            j += 1;
        }
        if j == name_start || !b[name_start].is_ascii_alphabetic() {
            i = start + 1;
            continue;
        }
        let mut tag = RawTag {
            name: html[name_start..j].to_ascii_lowercase(),
            closing,
            self_closing: false,
            attrs: Vec::new(),
        };
        i = attributes(html, j, &mut tag);
        found.push(tag);
    }
    found
}

/// Reads the attributes of `tag` from `at` to the end of the tag; returns the index
/// after it.
fn attributes(html: &str, mut j: usize, tag: &mut RawTag) -> usize {
    let b = html.as_bytes();
    let skip_space = |mut j: usize| {
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        j
    };
    loop {
        j = skip_space(j);
        match b.get(j) {
            None => return j,
            Some(b'>') => return j + 1,
            Some(b'/') => {
                tag.self_closing = true;
                j += 1;
                continue;
            }
            _ => {}
        }
        let name_start = j;
        while j < b.len() && !b[j].is_ascii_whitespace() && !matches!(b[j], b'=' | b'>' | b'/') {
            j += 1;
        }
        if j == name_start {
            j += 1;
            continue;
        }
        let name = html[name_start..j].to_ascii_lowercase();
        let after_name = skip_space(j);
        if b.get(after_name) != Some(&b'=') {
            tag.attrs.push((name, j..j));
            continue;
        }
        j = skip_space(after_name + 1);
        let value = match b.get(j) {
            Some(&q) if q == b'"' || q == b'\'' => {
                let end = html[j + 1..].find(q as char).map_or(b.len(), |e| j + 1 + e);
                let v = j + 1..end;
                j = (end + 1).min(b.len());
                v
            }
            _ => {
                let start = j;
                while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                    j += 1;
                }
                start..j
            }
        };
        tag.self_closing = false;
        tag.attrs.push((name, value));
    }
}

/// The URLs of a `srcset` value (`a.png 1x, b.png 2x`), as ranges into it.
pub fn srcset_urls(value: &str) -> Vec<Range<usize>> {
    let b = value.as_bytes();
    let mut urls = Vec::new();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b',') {
            i += 1;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut end = i;
        // A comma right after the URL ends the candidate.
        while end > start && b[end - 1] == b',' {
            end -= 1;
        }
        if end > start {
            urls.push(start..end);
        }
        if end < i {
            continue;
        }
        // The descriptors run to the next comma.
        while i < b.len() && b[i] != b',' {
            i += 1;
        }
    }
    urls
}

/// How one tag changes the depth of elements that stop autolinks.
pub fn autolink_depth_change(tag: &RawTag) -> i32 {
    if tag.self_closing || !NO_AUTOLINK_INSIDE.contains(&tag.name.as_str()) {
        0
    } else if tag.closing {
        -1
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr<'a>(html: &'a str, tag: &RawTag, name: &str) -> Option<&'a str> {
        tag.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, r)| &html[r.clone()])
    }

    #[test]
    fn reads_tags_and_attributes_in_every_quoting() {
        let html =
            r#"<a HREF="/x/" title='it''s'>t</a><img src=pic.png alt><br/><!-- <a href="no"> -->"#;
        let tags = tags(html);
        let names: Vec<(&str, bool)> = tags.iter().map(|t| (t.name.as_str(), t.closing)).collect();
        assert_eq!(
            names,
            [("a", false), ("a", true), ("img", false), ("br", false)]
        );
        assert_eq!(attr(html, &tags[0], "href"), Some("/x/"));
        assert_eq!(attr(html, &tags[2], "src"), Some("pic.png"));
        assert_eq!(attr(html, &tags[2], "alt"), Some(""));
        assert!(tags[3].self_closing);
    }

    #[test]
    fn cut_off_tags_and_stray_brackets_do_not_panic() {
        for html in [
            "<a href=\"x",
            "<",
            "a < b",
            "<a href=",
            "</",
            "<é>",
            "<a\u{e9}=1>",
        ] {
            let _ = tags(html);
        }
        assert!(tags("1 < 2 and 3 > 2").is_empty());
    }

    #[test]
    fn srcset_candidates() {
        let v = "a.png 1x, /b.png 2x,c.png";
        let urls: Vec<&str> = srcset_urls(v).into_iter().map(|r| &v[r]).collect();
        assert_eq!(urls, ["a.png", "/b.png", "c.png"]);
        // A URL runs to white space: commas inside it are its own.
        let v = "x.png,y.png 2x, z.png,";
        let urls: Vec<&str> = srcset_urls(v).into_iter().map(|r| &v[r]).collect();
        assert_eq!(urls, ["x.png,y.png", "z.png"]);
    }
}
