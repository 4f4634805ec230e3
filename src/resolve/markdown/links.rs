//! The links of a body: `[[id]]` wiki-links, relative links to source files, and
//! every other URL of a link, an image or a raw-HTML attribute. Ids and source
//! files resolve here; site paths and `#fragments` are recorded as [`LinkRef`]s and
//! checked once the whole site is known (`resolve::outputs`). Relative URLs are
//! taken from the source file's folder and written as site paths, so that they
//! work at any page depth.

use std::collections::BTreeSet;
use std::ops::Range;

use percent_encoding::percent_decode_str;
use pulldown_cmark::LinkType;

use crate::diagnostics::{closest, did_you_mean, Diagnostic};
use crate::load::content::{code_scheme, is_valid_id};

use crate::resolve::markdown::{Linker, Rendered, Target};

/// A site path or fragment a body links to, checked when every page and id is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    /// The target's site path without query or fragment, percent-decoded
    /// (`/actors/x/`, `/img/a.png`); empty for the page itself.
    pub path: String,
    /// The fragment without `#`, percent-decoded.
    pub fragment: Option<String>,
    /// The link's place in the file.
    pub span: Range<usize>,
    /// The URL as written, for messages.
    pub written: String,
    /// Whether it is an image's (`![alt](src)`, a figure's `src`), which the
    /// page shows rather than links to.
    pub image: bool,
}

/// Where a URL is written, which decides the schemes it may not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum UrlIn {
    /// A Markdown link: no scheme that runs code or smuggles content when clicked.
    Link,
    /// A Markdown image: `data:` images are fine, scripts are not.
    Image,
    /// Raw HTML, the documented escape hatch: anything goes.
    RawHtml,
}

impl UrlIn {
    fn forbids(self, scheme: &str) -> bool {
        let scheme = scheme.to_ascii_lowercase();
        match self {
            UrlIn::Link => matches!(scheme.as_str(), "javascript" | "vbscript" | "data"),
            UrlIn::Image => matches!(scheme.as_str(), "javascript" | "vbscript"),
            UrlIn::RawHtml => false,
        }
    }
}

/// How the start of a link is written.
pub(super) enum LinkStart {
    /// A `[[id]]` link without text of its own: its text is the entity's title.
    Titled { url: String, text: String },
    /// A link to this URL, keeping its text.
    Url(String),
    /// A broken link, reported in `out`.
    Broken,
}

/// Resolves the destination of a link at `at` in the file at `path`, recording
/// what it links to in `linked_here` and `out`, or its error in `out`.
pub(super) fn resolve_link(
    path: &str,
    link_type: LinkType,
    dest_url: &str,
    at: Range<usize>,
    linker: &Linker,
    linked_here: &mut BTreeSet<String>,
    out: &mut Rendered,
) -> LinkStart {
    match link_type {
        LinkType::WikiLink { has_pothole } => match resolve_id(dest_url, linker) {
            Ok((target, fragment)) => {
                out.links.insert(target.id.clone());
                linked_here.insert(target.id.clone());
                record_fragment(&target.url, &fragment, dest_url, at, out);
                let url = format!("{}{fragment}", target.url);
                if has_pothole {
                    LinkStart::Url(url)
                } else {
                    LinkStart::Titled {
                        url,
                        text: target.title.clone(),
                    }
                }
            }
            Err(d) => {
                out.diagnostics.extend(d.map(|d| d.in_file(path).at(at)));
                LinkStart::Broken
            }
        },
        LinkType::Email => LinkStart::Url(format!("mailto:{dest_url}")),
        _ if is_relative_file_link(dest_url) => match resolve_file(path, dest_url, linker) {
            Ok((target, fragment, file)) => {
                out.files.insert(file);
                // `_index.md` targets have no id: nothing to backlink.
                if !target.id.is_empty() {
                    out.links.insert(target.id.clone());
                    linked_here.insert(target.id.clone());
                }
                record_fragment(&target.url, &fragment, dest_url, at, out);
                LinkStart::Url(format!("{}{fragment}", target.url))
            }
            Err(d) => {
                out.diagnostics.extend(d.map(|d| d.in_file(path).at(at)));
                LinkStart::Broken
            }
        },
        _ => match plain_url(path, dest_url, at, out, UrlIn::Link) {
            Url::Keep => LinkStart::Url(dest_url.to_string()),
            Url::Rewritten(url) => LinkStart::Url(url),
            Url::Broken => LinkStart::Broken,
        },
    }
}

/// What becomes of a URL that is neither a wiki-link nor a source-file link.
pub(super) enum Url {
    /// Written as it is.
    Keep,
    /// A relative URL, written as this site path.
    Rewritten(String),
    /// Refused, with its error in `out`.
    Broken,
}

/// Sorts out the URL `dest` at `at` in the file `from`: a fragment or a site path
/// is recorded to be checked, a relative URL becomes a site path, a URL with a
/// scheme is kept unless `context` forbids it.
pub(super) fn plain_url(
    from: &str,
    dest: &str,
    at: Range<usize>,
    out: &mut Rendered,
    context: UrlIn,
) -> Url {
    let trimmed = dest.trim();
    if trimmed.is_empty() || trimmed.starts_with('?') || trimmed.starts_with("//") {
        return Url::Keep;
    }
    // Read as a browser reads it: ` java\tscript:` is `javascript:`.
    if let Some(scheme) = code_scheme(dest).filter(|s| context.forbids(s)) {
        out.diagnostics.push(forbidden_scheme(from, &scheme, at));
        return Url::Broken;
    }
    if scheme_of(trimmed).is_some() {
        return Url::Keep;
    }
    let (path, suffix) = trimmed.split_at(trimmed.find(['?', '#']).unwrap_or(trimmed.len()));
    let fragment = suffix.split_once('#').map(|(_, f)| f);
    let record = |path: String, out: &mut Rendered| {
        out.refs.push(LinkRef {
            path,
            fragment: fragment.map(decode),
            span: at.clone(),
            written: trimmed.to_string(),
            image: context == UrlIn::Image,
        })
    };
    if path.is_empty() {
        record(String::new(), out);
        return Url::Keep;
    }
    if path.starts_with('/') {
        record(decode(path), out);
        return Url::Keep;
    }
    let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
    let Some(joined) = normalize_within(&format!("{dir}/{path}")) else {
        out.diagnostics.push(outside_content(from, trimmed, at));
        return Url::Broken;
    };
    let Some(below) = joined
        .strip_prefix("content")
        .filter(|r| r.is_empty() || r.starts_with('/'))
    else {
        out.diagnostics.push(outside_content(from, trimmed, at));
        return Url::Broken;
    };
    let slash = if path.ends_with('/') && !below.is_empty() {
        "/"
    } else {
        ""
    };
    let site_path = format!("{}{slash}", if below.is_empty() { "/" } else { below });
    record(decode(&site_path), out);
    Url::Rewritten(format!("{site_path}{suffix}"))
}

/// `https://x` -> `https`; `a/b:c` and `c:d/` count: a scheme is letters, digits,
/// `+`, `-`, `.` before the first `:`, starting with a letter.
fn scheme_of(url: &str) -> Option<&str> {
    let colon = url.find(':')?;
    let scheme = &url[..colon];
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(scheme)
}

fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

fn forbidden_scheme(from: &str, scheme: &str, at: Range<usize>) -> Diagnostic {
    Diagnostic::error(format!("a `{scheme}:` URL is never written as a link"))
        .in_file(from)
        .at(at)
        .label("this link would run code or carry hidden content when clicked")
        .help("link to a page or a file instead; raw HTML (`<a href=\"...\">`) is written as it is, if you really mean it (docs/content.md)")
}

fn outside_content(from: &str, url: &str, at: Range<usize>) -> Diagnostic {
    Diagnostic::error(format!("the link `{url}` leads outside `content/`"))
        .in_file(from)
        .at(at)
        .label("relative links start from the folder of this file")
        .help("link to a site path instead (`/images/map.png` for `static/images/map.png`)")
}

/// Records `#fragment` of a link to `url` for checking, when there is one.
fn record_fragment(url: &str, fragment: &str, written: &str, at: Range<usize>, out: &mut Rendered) {
    if let Some(f) = fragment.strip_prefix('#') {
        out.refs.push(LinkRef {
            path: url.to_string(),
            fragment: Some(decode(f)),
            span: at,
            written: written.to_string(),
            image: false,
        });
    }
}

/// What a link that does not resolve gives: its error, or none when it leads to a
/// file that failed to load (that file's own error is reported).
type Unresolved = Option<Diagnostic>;

/// `joe-biden#stance` -> (target, "#stance").
fn resolve_id<'l>(dest: &str, linker: &'l Linker) -> Result<(&'l Target, String), Unresolved> {
    let (id, fragment) = match dest.find('#') {
        Some(i) => (dest[..i].trim(), dest[i..].to_string()),
        None => (dest.trim(), String::new()),
    };
    if let Some(t) = linker.ids.get(id) {
        return Ok((t, fragment));
    }
    if linker.broken.contains_key(id) {
        return Err(None);
    }
    if let Some(file) = linker.drafts.get(id) {
        return Err(Some(
            Diagnostic::error(format!("`{id}` is a draft"))
                .label("links to a draft")
                .help(format!(
                    "publish `{file}` (remove `draft: true`) or build with `--drafts`"
                )),
        ));
    }
    Err(Some(
        Diagnostic::error(format!("unknown id `{id}` in wiki-link"))
            .label("no actor, question, event or page has this id")
            .help_opt(did_you_mean(
                id,
                linker
                    .ids
                    .keys()
                    .chain(linker.broken.keys().filter(|k| is_valid_id(k)))
                    .map(String::as_str),
            )),
    ))
}

/// A link to another source file: relative, no scheme, path ends in `.md`.
fn is_relative_file_link(dest: &str) -> bool {
    let path = dest.split(['#', '?']).next().unwrap_or("");
    path.ends_with(".md") && !dest.starts_with('/') && scheme_of(dest).is_none()
}

fn resolve_file<'l>(
    from: &str,
    dest: &str,
    linker: &'l Linker,
) -> Result<(&'l Target, String, String), Unresolved> {
    let (path, fragment) = match dest.find('#') {
        Some(i) => (&dest[..i], dest[i..].to_string()),
        None => (dest, String::new()),
    };
    let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
    let joined = normalize(&format!("{dir}/{}", decode(path)));
    if let Some(t) = linker.files.get(&joined) {
        return Ok((t, fragment, joined));
    }
    let stem = file_stem(&joined);
    if linker.broken.values().any(|f| *f == joined) {
        return Err(None);
    }
    if let Some(file) = linker.drafts.get(stem).filter(|f| **f == joined) {
        return Err(Some(
            Diagnostic::error(format!("`{file}` is a draft"))
                .label("links to a draft")
                .help("publish it (remove `draft: true`) or build with `--drafts`"),
        ));
    }
    let suggestion =
        closest_file(&joined, linker).map(|c| format!("did you mean `{}`?", relative_to(dir, c)));
    Err(Some(
        Diagnostic::error(format!("link to a file that does not exist: `{path}`"))
            .label(format!("`{joined}` not found"))
            .help_opt(suggestion),
    ))
}

/// `content/actors/joe-biden.md` -> `joe-biden`.
fn file_stem(path: &str) -> &str {
    path.rsplit('/')
        .next()
        .unwrap_or(path)
        .trim_end_matches(".md")
}

/// The source file a mistyped `joined` most likely means: one whose name is close
/// to its name (a typo in the name is likelier than one in the folders), the
/// closest path among those. Closeness is judged on the names alone: every path
/// shares `content/` and `.md`, which would make unrelated files look close.
fn closest_file<'l>(joined: &str, linker: &'l Linker) -> Option<&'l str> {
    let stem = file_stem(joined);
    let stems: BTreeSet<&str> = linker.files.keys().map(|f| file_stem(f)).collect();
    let best = closest(stem, stems.iter().copied())?;
    linker
        .files
        .keys()
        .filter(|f| file_stem(f) == best)
        .min_by_key(|f| (crate::diagnostics::levenshtein(joined, f), f.as_str()))
        .map(String::as_str)
}

/// Resolves `.` and `..` in a `/`-separated path; `..` above the start is dropped.
pub(super) fn normalize(path: &str) -> String {
    resolve_dots(path, false).unwrap_or_default()
}

/// Like [`normalize`], but `None` when `..` climbs above the start.
fn normalize_within(path: &str) -> Option<String> {
    resolve_dots(path, true)
}

fn resolve_dots(path: &str, strict: bool) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() && strict {
                    return None;
                }
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// `content/actors`, `content/questions/x.md` -> `../questions/x.md`.
pub(super) fn relative_to(dir: &str, target: &str) -> String {
    let from: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = target.split('/').collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out: Vec<&str> = vec![".."; from.len() - common];
    out.extend(&to[common..]);
    out.join("/")
}
