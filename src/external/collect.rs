//! The external URLs of a resolved site and every place each is written: front
//! matter (source `url` and `archive_url`, actor `links`, links inside short texts)
//! and Markdown bodies. Only `http:` and `https:` URLs count; site paths, relative
//! links and `mailto:` are checked (or not) by the build.
//!
//! The resolved site keeps values, not spans, so front-matter URLs are found again
//! in their file's text, as `load::content::locate` finds ids; body links come with
//! their span from a pass of pulldown-cmark over the body.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};

use crate::diagnostics::Sources;
use crate::load::content::frontmatter;
use crate::resolve::markdown::{options, InlineText};
use crate::resolve::{Site, Source};

/// The data files, where a front-matter URL of a CSV row is written.
const DATA_FILES: [&str; 3] = ["data/actors.csv", "data/stances.csv", "data/events.csv"];

/// One place a URL is written: a file of the site and, when found, the URL's span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub span: Option<Range<usize>>,
}

impl Place {
    fn key(&self) -> (&str, Option<(usize, usize)>) {
        (&self.file, self.span.as_ref().map(|s| (s.start, s.end)))
    }
}

/// By file, then place in the file: the first place is the first one written.
impl Ord for Place {
    fn cmp(&self, other: &Place) -> std::cmp::Ordering {
        self.key().cmp(&other.key())
    }
}

impl PartialOrd for Place {
    fn partial_cmp(&self, other: &Place) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// One external URL of the site and every place that cites it, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub url: String,
    pub places: Vec<Place>,
}

/// Whether `url` is one `check --external` requests.
pub fn is_external(url: &str) -> bool {
    let lower = url
        .trim_start()
        .get(..8)
        .unwrap_or(url)
        .to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// Every external URL of `site`, sorted, each with its places; `sources` holds the
/// text of every file.
pub fn targets(site: &Site, sources: &Sources) -> Vec<Target> {
    let mut places: BTreeMap<String, BTreeSet<Place>> = BTreeMap::new();
    for (file, urls) in front_matter_urls(site) {
        for url in urls {
            let found = locate(sources, &file, &url);
            places.entry(url).or_default().extend(found);
        }
    }
    for file in files(site) {
        let Some(text) = sources.get(&file) else {
            continue;
        };
        let Ok(parts) = frontmatter::split(text, &file) else {
            continue;
        };
        let smart = site.config.markdown.smart_punctuation;
        for (url, span) in body_links(text, parts.body, smart) {
            let place = Place {
                file: file.clone(),
                span: Some(span),
            };
            places.entry(url).or_default().insert(place);
        }
    }
    places
        .into_iter()
        .map(|(url, places)| Target {
            url,
            places: places.into_iter().collect(),
        })
        .collect()
}

/// The file of every entity and page that has a body.
fn files(site: &Site) -> BTreeSet<String> {
    let mut files = BTreeSet::new();
    files.extend(site.actors.iter().map(|a| a.path.clone()));
    files.extend(site.questions.iter().map(|q| q.path.clone()));
    files.extend(site.events.iter().map(|e| e.path.clone()));
    files.extend(site.pages.iter().map(|p| p.path.clone()));
    files.extend(site.lists.iter().map(|l| l.page.path.clone()));
    files.extend(site.intros.values().map(|p| p.path.clone()));
    files.insert(site.home.path.clone());
    files.retain(|f| !f.is_empty());
    files
}

/// The external URLs of each file's front matter (by the file of the entity that
/// holds them).
fn front_matter_urls(site: &Site) -> BTreeMap<String, BTreeSet<String>> {
    let mut by_file: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut add = |file: &str, url: &str| {
        if is_external(url) {
            by_file
                .entry(file.to_string())
                .or_default()
                .insert(url.to_string());
        }
    };
    let source_urls = |s: &Source| {
        let mut urls: Vec<String> = s.url.iter().chain(&s.archive_url).cloned().collect();
        urls.extend(inline_links(&s.title));
        urls
    };
    for actor in &site.actors {
        for link in &actor.links {
            add(&actor.path, &link.url);
        }
    }
    for stance in &site.stances {
        let file = &site.actors[stance.actor].path;
        for url in stance.sources.iter().flat_map(source_urls) {
            add(file, &url);
        }
        for url in stance.summary.iter().flat_map(inline_links) {
            add(file, &url);
        }
    }
    for question in &site.questions {
        let texts = question
            .positions
            .iter()
            .filter_map(|p| p.description.as_ref());
        for url in texts.flat_map(inline_links) {
            add(&question.path, &url);
        }
    }
    for event in &site.events {
        for url in event.sources.iter().flat_map(source_urls) {
            add(&event.path, &url);
        }
        for url in event.summary.iter().flat_map(inline_links) {
            add(&event.path, &url);
        }
    }
    by_file
}

/// The external link destinations of a short text's Markdown.
fn inline_links(text: &InlineText) -> Vec<String> {
    Parser::new_ext(&text.source, options(false))
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some(dest_url.to_string())
            }
            _ => None,
        })
        .filter(|url| is_external(url))
        .collect()
}

/// The external links and images of the body `text[body]`, each with the span of
/// its URL (or of the whole link, for a reference link whose URL is elsewhere).
fn body_links(text: &str, body: Range<usize>, smart: bool) -> Vec<(String, Range<usize>)> {
    let source = &text[body.clone()];
    let mut links = Vec::new();
    for (event, range) in Parser::new_ext(source, options(smart)).into_offset_iter() {
        let (Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. })) =
            event
        else {
            continue;
        };
        if !is_external(&dest_url) {
            continue;
        }
        let written = &source[range.clone()];
        let span = match written.rfind(dest_url.as_ref()) {
            Some(i) => range.start + i..range.start + i + dest_url.len(),
            None => range,
        };
        links.push((
            dest_url.to_string(),
            body.start + span.start..body.start + span.end,
        ));
    }
    links
}

/// Where `url`, a front-matter value of `file`, is written: every occurrence in the
/// file's front matter, else in the data files (a CSV row), else the file itself.
fn locate(sources: &Sources, file: &str, url: &str) -> Vec<Place> {
    let place = |file: &str, span| Place {
        file: file.to_string(),
        span,
    };
    if let Some(text) = sources.get(file) {
        let head = match frontmatter::split(text, file) {
            Ok(parts) => parts.front_matter,
            Err(_) => 0..text.len(),
        };
        let found: Vec<Place> = occurrences(&text[head.clone()], url)
            .map(|r| place(file, Some(head.start + r.start..head.start + r.end)))
            .collect();
        if !found.is_empty() {
            return found;
        }
    }
    let in_data: Vec<Place> = DATA_FILES
        .iter()
        .filter_map(|data| Some((*data, sources.get(data)?)))
        .flat_map(|(data, text)| occurrences(text, url).map(move |r| place(data, Some(r))))
        .collect();
    if in_data.is_empty() {
        vec![place(file, None)]
    } else {
        in_data
    }
}

/// Every place `url` is written whole in `text`: not the start of a longer URL.
fn occurrences<'a>(text: &'a str, url: &'a str) -> impl Iterator<Item = Range<usize>> + 'a {
    let opens = |c: char| c.is_whitespace() || "\"'(<[{,;:".contains(c);
    let closes = |c: char| c.is_whitespace() || "\"')>]},;|".contains(c);
    text.match_indices(url)
        .filter(move |(i, _)| {
            let before = text[..*i].chars().next_back();
            let after = text[i + url.len()..].chars().next();
            before.is_none_or(opens) && after.is_none_or(closes)
        })
        .map(|(i, _)| i..i + url.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_are_external() {
        assert!(is_external("https://example.org/"));
        assert!(is_external("HTTP://example.org/"));
        for url in [
            "mailto:a@b.org",
            "/actors/x/",
            "../x.md",
            "#top",
            "ftp://x",
            "http",
        ] {
            assert!(!is_external(url), "{url}");
        }
    }

    #[test]
    fn a_url_is_found_whole_not_as_the_start_of_a_longer_one() {
        let text = "url: https://a.org/x\nother: \"https://a.org/x/y\"\nx: {url: https://a.org/x}";
        let found: Vec<_> = occurrences(text, "https://a.org/x").collect();
        assert_eq!(found.len(), 2);
        assert_eq!(&text[found[0].clone()], "https://a.org/x");
        assert_eq!(found[1].start, text.rfind("https://a.org/x}").unwrap());
    }

    #[test]
    fn body_links_keep_the_span_of_their_url() {
        let text = "---\ntitle: x\n---\nSee [a](https://a.org/) and <https://b.org/>, \
                    [c][r], `[d](https://code.org/)`, [e](/site/) and [f](mailto:x@y.z).\n\n\
                    [r]: https://c.org/\n";
        let body = frontmatter::split(text, "x.md").unwrap().body;
        let links = body_links(text, body, true);
        let urls: Vec<&str> = links.iter().map(|(u, _)| u.as_str()).collect();
        assert_eq!(urls, ["https://a.org/", "https://b.org/", "https://c.org/"]);
        assert_eq!(&text[links[0].1.clone()], "https://a.org/");
        assert_eq!(&text[links[1].1.clone()], "https://b.org/");
        assert_eq!(&text[links[2].1.clone()], "[c][r]");
    }
}
