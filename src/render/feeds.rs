//! The machine-readable files of a site: sitemap.xml, robots.txt, atom.xml (made
//! in `entity_feeds`),
//! search-index.json and data.json. All deterministic: no build timestamps. Short
//! texts (stance summaries, source titles, event summaries) go in as plain text.

use serde::Serialize;

use crate::load::content::Date;
use crate::resolve::markdown::InlineText;
use crate::resolve::{Site, Source};

/// The plain text of an optional short text.
fn plain(t: &Option<InlineText>) -> Option<&str> {
    t.as_ref().map(|t| t.plain.as_str())
}

/// Text for XML content and attribute values, the one way every XML file here is
/// written: markup characters escaped, and the characters XML 1.0 forbids dropped
/// (a YAML escape such as `"\x01"` puts them in a title; no XML escape, not even
/// `&#1;`, may stand for them, and a reader refuses the whole file).
pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().filter(|&c| is_xml_char(c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// XML 1.0's `Char`: tab, line feed, carriage return, and from U+0020 up, less
/// U+FFFE and U+FFFF (the surrogates it also leaves out cannot be in a `str`).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && !matches!(c, '\u{fffe}' | '\u{ffff}'))
}

/// Every HTML page with its newest content date.
fn dated_urls(site: &Site) -> Vec<(String, Option<Date>)> {
    let latest = |stances: &[usize]| stances.iter().map(|&s| site.stances[s].date).max();
    let mut urls: Vec<(String, Option<Date>)> = vec![
        (
            "/".into(),
            site.stances
                .iter()
                .map(|s| s.date)
                .chain(site.events.iter().map(|e| e.date))
                .max(),
        ),
        ("/actors/".into(), site.stances.iter().map(|s| s.date).max()),
        (
            "/questions/".into(),
            site.stances.iter().map(|s| s.date).max(),
        ),
        ("/events/".into(), site.events.iter().map(|e| e.date).max()),
        (
            "/timeline/".into(),
            site.stances
                .iter()
                .map(|s| s.date)
                .chain(site.events.iter().map(|e| e.date))
                .max(),
        ),
        ("/sources/".into(), None),
        ("/data/".into(), None),
        ("/matrix/".into(), site.stances.iter().map(|s| s.date).max()),
        ("/compare/".into(), None),
    ];
    urls.extend(
        site.config
            .snapshots
            .iter()
            .map(|d| (format!("/as-of/{d}/"), None)),
    );
    urls.extend(
        site.actors
            .iter()
            .map(|a| (a.url.clone(), latest(&a.stances))),
    );
    urls.extend(
        site.questions
            .iter()
            .map(|q| (q.url.clone(), latest(&q.stances))),
    );
    urls.extend(
        site.events
            .iter()
            .map(|e| (e.url.clone(), Some(e.end_date.unwrap_or(e.date)))),
    );
    urls.extend(site.pages.iter().map(|p| (p.url.clone(), p.date)));
    urls.extend(site.lists.iter().map(|l| (l.page.url.clone(), l.page.date)));
    urls.extend(
        crate::render::paginate::later_pages(site)
            .into_iter()
            .map(|url| (url, None)),
    );
    urls.sort();
    urls.dedup_by(|a, b| a.0 == b.0);
    urls
}

pub fn sitemap(site: &Site) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (url, date) in dated_urls(site) {
        out.push_str("  <url>\n    <loc>");
        out.push_str(&escape_xml(&site.config.permalink(&url)));
        out.push_str("</loc>\n");
        if let Some(d) = date {
            out.push_str(&format!("    <lastmod>{}</lastmod>\n", d.full()));
        }
        out.push_str("  </url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// The sitemap of a site in several languages (`sites`, the default first): each
/// page of each language, with its translations as `xhtml:link` alternates.
pub fn sitemap_languages(sites: &[&Site]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for site in sites {
        let c = &site.config;
        for (url, date) in dated_urls(site) {
            if !c.served.writes(&url) {
                continue;
            }
            out.push_str("  <url>\n    <loc>");
            out.push_str(&escape_xml(&c.permalink(&url)));
            out.push_str("</loc>\n");
            if let Some(d) = date {
                out.push_str(&format!("    <lastmod>{}</lastmod>\n", d.full()));
            }
            let alternates = c.served.alternates(&url);
            let default = alternates.first().map(|(_, _, path, _)| path.clone());
            let link = |lang: &str, path: &str| {
                format!(
                    "    <xhtml:link rel=\"alternate\" hreflang=\"{lang}\" href=\"{}\"/>\n",
                    escape_xml(&format!("{}{}", c.base_url, &path[1..]))
                )
            };
            for (lang, _, path, _) in &alternates {
                out.push_str(&link(lang, path));
            }
            if let Some(path) = default.filter(|_| alternates.len() > 1) {
                out.push_str(&link("x-default", &path));
            }
            out.push_str("  </url>\n");
        }
    }
    out.push_str("</urlset>\n");
    out
}

pub fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
        site.config.base_url
    )
}

/// The site's Atom feed (see `entity_feeds`).
pub fn atom(site: &Site) -> String {
    crate::render::entity_feeds::site_feed(site)
}

#[derive(Serialize)]
struct SearchStance<'a> {
    question: &'a str,
    position: &'a str,
    date: String,
}

#[derive(Serialize)]
struct SearchEntry<'a> {
    kind: &'static str,
    id: &'a str,
    title: &'a str,
    /// Relative to the site root, so the client resolves it under any sub-path.
    url: String,
    summary: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    aliases: Vec<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    stances: Vec<SearchStance<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
}

pub fn search_index(site: &Site) -> String {
    let mut entries: Vec<SearchEntry> = Vec::new();
    let served = |url: &str| {
        site.config
            .served
            .path(url)
            .trim_start_matches('/')
            .to_string()
    };
    for a in &site.actors {
        entries.push(SearchEntry {
            kind: "actor",
            id: &a.id,
            title: &a.name,
            url: served(&a.url),
            summary: a.summary.as_deref(),
            role: a.role.as_deref(),
            aliases: a.aliases.iter().map(String::as_str).collect(),
            stances: a
                .stances
                .iter()
                .map(|&s| &site.stances[s])
                .filter(|s| s.current)
                .map(|s| {
                    let q = &site.questions[s.question];
                    SearchStance {
                        question: &q.title,
                        position: &q.positions[s.position].label,
                        date: s.date.to_string(),
                    }
                })
                .collect(),
            date: None,
        });
    }
    for q in &site.questions {
        entries.push(SearchEntry {
            kind: "question",
            id: &q.id,
            title: &q.title,
            url: served(&q.url),
            summary: Some(q.summary.as_deref().unwrap_or(&q.question)),
            role: None,
            aliases: Vec::new(),
            stances: Vec::new(),
            date: None,
        });
    }
    for e in &site.events {
        entries.push(SearchEntry {
            kind: "event",
            id: &e.id,
            title: &e.title,
            url: served(&e.url),
            summary: plain(&e.summary),
            role: None,
            aliases: Vec::new(),
            stances: Vec::new(),
            date: Some(e.date.to_string()),
        });
    }
    for p in &site.pages {
        entries.push(SearchEntry {
            kind: "page",
            id: &p.id,
            title: &p.title,
            url: served(&p.url),
            summary: p.summary.as_deref(),
            role: None,
            aliases: Vec::new(),
            stances: Vec::new(),
            date: p.date.map(|d| d.to_string()),
        });
    }
    // Another language lists the pages it writes: those under its prefix.
    let home = served("/");
    if !site.config.served.is_default() {
        entries.retain(|e| e.url.starts_with(&home));
    }
    serde_json::to_string(&entries).unwrap_or_else(|_| "[]".into())
}

#[derive(Serialize)]
struct DataSite<'a> {
    title: &'a str,
    base_url: &'a str,
}

#[derive(Serialize)]
struct DataActor<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'a str,
    role: Option<&'a str>,
    summary: Option<&'a str>,
    /// Absolute, like `url`.
    image: Option<String>,
    links: Vec<DataLink<'a>>,
    url: String,
    affiliations: Vec<&'a str>,
    aliases: &'a [String],
}

#[derive(Serialize)]
struct DataLink<'a> {
    title: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct DataPosition<'a> {
    id: &'a str,
    label: &'a str,
    description: Option<&'a str>,
}

#[derive(Serialize)]
struct DataQuestion<'a> {
    id: &'a str,
    title: &'a str,
    question: &'a str,
    summary: Option<&'a str>,
    url: String,
    positions: Vec<DataPosition<'a>>,
}

#[derive(Serialize)]
struct DataStance<'a> {
    actor: &'a str,
    question: &'a str,
    position: &'a str,
    date: Date,
    summary: Option<&'a str>,
    quote: Option<&'a str>,
    /// The first of `sources`, for readers of the older schema.
    source: Option<DataSource<'a>>,
    sources: Vec<DataSource<'a>>,
    current: bool,
}

#[derive(Serialize)]
struct DataSource<'a> {
    title: &'a str,
    publisher: Option<&'a str>,
    url: Option<&'a str>,
    date: Option<Date>,
    archive_url: Option<&'a str>,
    accessed: Option<Date>,
}

impl<'a> DataSource<'a> {
    fn of(s: &'a Source) -> DataSource<'a> {
        DataSource {
            title: &s.title.plain,
            publisher: s.publisher.as_deref(),
            url: s.url.as_deref(),
            date: s.date,
            archive_url: s.archive_url.as_deref(),
            accessed: s.accessed,
        }
    }

    fn all(sources: &'a [Source]) -> Vec<DataSource<'a>> {
        sources.iter().map(DataSource::of).collect()
    }
}

#[derive(Serialize)]
struct DataEvent<'a> {
    id: &'a str,
    title: &'a str,
    date: Date,
    end_date: Option<Date>,
    place: Option<&'a str>,
    summary: Option<&'a str>,
    actors: Vec<&'a str>,
    questions: Vec<&'a str>,
    sources: Vec<DataSource<'a>>,
    url: String,
}

#[derive(Serialize)]
struct Data<'a> {
    site: DataSite<'a>,
    actors: Vec<DataActor<'a>>,
    questions: Vec<DataQuestion<'a>>,
    stances: Vec<DataStance<'a>>,
    events: Vec<DataEvent<'a>>,
}

/// The whole graph as open data (DESIGN.md section 3). Lists are sorted by id.
pub fn data_json(site: &Site) -> String {
    let c = &site.config;
    let data = Data {
        site: DataSite {
            title: &c.title,
            base_url: &c.base_url,
        },
        actors: data_actors(site),
        questions: data_questions(site),
        stances: data_stances(site),
        events: data_events(site),
    };
    let mut out = serde_json::to_string_pretty(&data).unwrap_or_else(|_| "{}".into());
    out.push('\n');
    out
}

fn data_actors(site: &Site) -> Vec<DataActor<'_>> {
    let c = &site.config;
    site.actors
        .iter()
        .map(|a| DataActor {
            id: &a.id,
            name: &a.name,
            kind: a.kind.as_str(),
            role: a.role.as_deref(),
            summary: a.summary.as_deref(),
            // A site path made absolute; a URL of another site as it is.
            image: a.image.as_deref().map(|i| {
                if i.starts_with('/') {
                    c.permalink(i)
                } else {
                    i.to_string()
                }
            }),
            links: a
                .links
                .iter()
                .map(|l| DataLink {
                    title: &l.title,
                    url: &l.url,
                })
                .collect(),
            url: c.permalink(&a.url),
            affiliations: a
                .affiliations
                .iter()
                .map(|&x| site.actors[x].id.as_str())
                .collect(),
            aliases: &a.aliases,
        })
        .collect()
}

fn data_questions(site: &Site) -> Vec<DataQuestion<'_>> {
    let c = &site.config;
    site.questions
        .iter()
        .map(|q| DataQuestion {
            id: &q.id,
            title: &q.title,
            question: &q.question,
            summary: q.summary.as_deref(),
            url: c.permalink(&q.url),
            positions: q
                .positions
                .iter()
                .map(|p| DataPosition {
                    id: &p.id,
                    label: &p.label,
                    description: plain(&p.description),
                })
                .collect(),
        })
        .collect()
}

fn data_stances(site: &Site) -> Vec<DataStance<'_>> {
    site.stances
        .iter()
        .map(|s| DataStance {
            actor: &site.actors[s.actor].id,
            question: &site.questions[s.question].id,
            position: &site.questions[s.question].positions[s.position].id,
            date: s.date,
            summary: plain(&s.summary),
            quote: s.quote.as_deref(),
            source: s.sources.first().map(DataSource::of),
            sources: DataSource::all(&s.sources),
            current: s.current,
        })
        .collect()
}

fn data_events(site: &Site) -> Vec<DataEvent<'_>> {
    let c = &site.config;
    site.events
        .iter()
        .map(|e| DataEvent {
            id: &e.id,
            title: &e.title,
            date: e.date,
            end_date: e.end_date,
            place: e.place.as_deref(),
            summary: plain(&e.summary),
            actors: e
                .actors
                .iter()
                .map(|&x| site.actors[x].id.as_str())
                .collect(),
            questions: e
                .questions
                .iter()
                .map(|&x| site.questions[x].id.as_str())
                .collect(),
            sources: DataSource::all(&e.sources),
            url: c.permalink(&e.url),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_is_escaped_and_loses_what_xml_forbids() {
        assert_eq!(
            escape_xml("a<b & \"c\" 'd'>"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;"
        );
        assert_eq!(escape_xml("a\u{1}b\u{0}c\u{1f}d\u{b}\u{c}"), "abcd");
        assert_eq!(escape_xml("x\u{fffe}\u{ffff}y"), "xy");
        // Kept: what XML allows, control-like or not.
        let allowed = "\t\n\r \u{7f}\u{85}\u{d7ff}\u{e000}\u{fffd}\u{10000}\u{10ffff}é";
        assert_eq!(escape_xml(allowed), allowed);
    }
}
