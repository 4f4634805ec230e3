//! What the browser is told: the served state ([`Snapshot`]) as one JSON message,
//! the live-reload client script, and the error overlay, whose every diagnostic is
//! HTML-escaped here, once, for both the pages and the event stream.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::body::Bytes;
use serde::Serialize;

use crate::diagnostics::{self, Diagnostic, Sources};
use crate::render::SiteFiles;

/// The client script, served at [`PREFIX`] + [`SCRIPT_NAME`].
pub const SCRIPT: &str = include_str!("live.js");
/// Where `serve` answers for itself, below the site root; no site file is served
/// under it.
pub const PREFIX: &str = "__standpoint/";
/// The client script and the event stream, under [`PREFIX`].
pub const SCRIPT_NAME: &str = "live.js";
pub const EVENTS: &str = "events";

/// Everything a request or a browser needs to know, swapped as a whole after each build.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The last site that built without errors; `None` until one did.
    pub site: Option<Arc<SiteFiles>>,
    /// Names `site`: pages carry it and reload when the server's differs.
    pub build: String,
    /// The overlay of the latest build, when it failed.
    pub overlay: Option<Arc<str>>,
    /// Set when `site` differs from the build before it only in these stylesheets.
    pub css: Option<CssChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CssChange {
    /// The build this one replaces.
    pub from: String,
    /// Output paths of the stylesheets that changed: `style.css`.
    pub paths: Vec<String>,
}

#[derive(Serialize)]
struct Message<'a> {
    build: &'a str,
    overlay: Option<&'a str>,
    css: Option<&'a CssChange>,
}

impl Snapshot {
    /// Before the first build.
    pub fn empty() -> Snapshot {
        Snapshot {
            site: None,
            build: "none".to_string(),
            overlay: None,
            css: None,
        }
    }

    /// The `state` event the client script receives.
    pub fn message(&self) -> String {
        let message = Message {
            build: &self.build,
            overlay: self.overlay.as_deref(),
            css: self.css.as_ref(),
        };
        // Serialising strings and options into a String cannot fail.
        serde_json::to_string(&message).unwrap_or_default()
    }

    /// What `serve` adds to an HTML page: the overlay, if any, and the client script.
    /// `prefix` leads from the requested page back to the site root (`../../`).
    pub fn injection(&self, prefix: &str) -> String {
        let mut out = String::new();
        if let Some(overlay) = &self.overlay {
            out.push_str(overlay);
        }
        let _ = write!(
            out,
            "<script src=\"{}{PREFIX}{SCRIPT_NAME}\" data-build=\"{}\"></script>",
            escape(prefix),
            escape(&self.build)
        );
        out
    }
}

/// `html` with `addition` put just before its closing `</body>` (or at the end), as
/// three pieces: the page's own bytes are shared, not copied, however many readers
/// a large page has.
pub fn inject(html: Bytes, addition: &str) -> [Bytes; 3] {
    let at = find_last_ci(&html, b"</body").unwrap_or(html.len());
    [
        html.slice(..at),
        Bytes::from(addition.to_string()),
        html.slice(at..),
    ]
}

fn find_last_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .rev()
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// The overlay for a failed build: each error's place and message, then the
/// rustc-style report with its source line. Warnings are left to the terminal.
pub fn overlay(diags: &[Diagnostic], sources: &Sources) -> String {
    let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.is_error()).collect();
    let mut out = String::new();
    out.push_str(
        "<div id=\"standpoint-errors\" role=\"alert\" style=\"all:initial;display:block;position:fixed;inset:0;\
         z-index:2147483647;overflow:auto;background:rgba(20,20,24,.94);color:#f4f4f5;\
         font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:2rem\">",
    );
    let _ = write!(
        out,
        "<div style=\"max-width:60rem;margin:0 auto\">\
         <button type=\"button\" data-standpoint-close style=\"float:right;font:inherit;\
         background:none;color:inherit;border:1px solid #71717a;border-radius:4px;\
         padding:0 .5rem;cursor:pointer\" aria-label=\"Hide\">&#215;</button>\
         <p style=\"margin:0 0 1rem;font-weight:bold;color:#fca5a5\">The site did not build: {}. \
         This page is the last good version; it updates by itself once the error is fixed.</p>\
         <ol style=\"margin:0;padding:0 0 0 1.5rem\">",
        escape(&diagnostics::tally(errors.len(), 0))
    );
    for d in errors {
        let place = match (&d.file, &d.span) {
            (Some(f), Some(s)) => match sources.line_col(f, s.start) {
                Some((line, col)) => format!("{f}:{line}:{col}"),
                None => f.clone(),
            },
            (Some(f), None) => f.clone(),
            _ => String::new(),
        };
        let report = diagnostics::render(std::slice::from_ref(d), sources, false);
        let _ = write!(
            out,
            "<li style=\"margin:0 0 1.25rem\"><p style=\"margin:0\">\
             <span data-standpoint-place style=\"color:#93c5fd\">{}</span>{}\
             <span data-standpoint-message>{}</span></p>\
             <pre style=\"margin:.5rem 0 0;white-space:pre-wrap;color:#d4d4d8\">{}</pre></li>",
            escape(&place),
            if place.is_empty() { "" } else { ": " },
            escape(&d.message),
            escape(report.trim_end())
        );
    }
    out.push_str("</ol></div></div>");
    out
}

pub use crate::escape::html as escape;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_the_last_closing_body() {
        let html = b"<html><body><p>\"</body>\" in text</p></BODY></html>";
        let out = inject(Bytes::from_static(html), "<x>").concat();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<html><body><p>\"</body>\" in text</p><x></BODY></html>"
        );
        assert_eq!(
            inject(Bytes::from_static(b"<p>no body"), "<x>").concat(),
            b"<p>no body<x>"
        );
        // The page's bytes are shared with the site, not copied.
        let page = Bytes::from_static(b"<body></body>");
        let [before, _, after] = inject(page.clone(), "<x>");
        assert_eq!(before.as_ptr(), page.as_ptr());
        assert_eq!(after.as_ptr(), page[6..].as_ptr());
    }

    #[test]
    fn overlay_escapes_and_places_errors() {
        let mut sources = Sources::default();
        sources.insert(
            "content/actors/x.md",
            Arc::from("---\nname: <script>alert(1)</script>\n---\n"),
        );
        let diags = [
            Diagnostic::error("unknown key `<b>`")
                .in_file("content/actors/x.md")
                .at(10..18),
            Diagnostic::warning("not shown"),
        ];
        let html = overlay(&diags, &sources);
        assert!(html.contains("content/actors/x.md:2:7"));
        assert!(html.contains("unknown key `&lt;b&gt;`"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!html.contains("<script>"));
        assert!(!html.contains("<b>"));
        assert!(!html.contains("not shown"));
        assert!(html.contains("1 error"));
    }

    #[test]
    fn message_is_json() {
        let mut s = Snapshot::empty();
        s.overlay = Some(Arc::from("<div>\"x\"</div>"));
        s.css = Some(CssChange {
            from: "a".into(),
            paths: vec!["style.css".into()],
        });
        let v: serde_json::Value = serde_json::from_str(&s.message()).unwrap();
        assert_eq!(v["build"], "none");
        assert_eq!(v["overlay"], "<div>\"x\"</div>");
        assert_eq!(v["css"]["paths"][0], "style.css");
        let tag = s.injection("../");
        assert!(
            tag.ends_with("<script src=\"../__standpoint/live.js\" data-build=\"none\"></script>")
        );
    }
}
