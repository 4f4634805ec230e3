//! Atom feeds: the site feed (`atom.xml`, the newest `feed_limit` stances, events
//! and dated plain pages) and one feed per question and per actor
//! (`questions/<id>/atom.xml`, `actors/<id>/atom.xml`: that entity's stances and
//! events). Every entry carries its content as HTML and, for a stance, its actor
//! as author. Entries are made from front matter and data files only, never from
//! bodies: `serve` patches bodies without making the feeds again.

use rayon::prelude::*;

use crate::load::content::Date;
use crate::render::feeds::escape_xml;
use crate::render::links::rewrite_served_paths;
use crate::resolve::markdown::InlineText;
use crate::resolve::{Site, TimelineItem};

/// One feed entry, before it is written.
struct Entry {
    title: String,
    /// Site path of the page it links to, with a fragment for a stance.
    url: String,
    date: Date,
    /// Plain text, for readers that show no HTML.
    summary: String,
    /// HTML, with site paths still to be made absolute.
    content: String,
    /// Name and site path of the author.
    author: Option<(String, String)>,
}

/// What a feed says of itself.
struct Head<'a> {
    title: &'a str,
    subtitle: Option<&'a str>,
    /// Site path of the feed itself and of the page it is the feed of.
    own: &'a str,
    page: &'a str,
}

/// The site feed: events, stances and dated plain pages, the newest `feed_limit`.
pub fn site_feed(site: &Site) -> String {
    let mut entries: Vec<Entry> = site.timeline().iter().map(|i| item(site, i)).collect();
    entries.reverse();
    entries.extend(site.pages.iter().filter_map(|p| {
        let date = p.date?;
        let content = p
            .summary
            .as_deref()
            .map(|s| format!("<p>{}</p>", escape_html(s)))
            .unwrap_or_default();
        Some(Entry {
            title: p.title.clone(),
            url: p.url.clone(),
            date,
            summary: p.summary.clone().unwrap_or_else(|| p.title.clone()),
            content,
            author: None,
        })
    }));
    // Stable: entries of one date keep the timeline's order, pages after.
    entries.sort_by_key(|e| std::cmp::Reverse(e.date));
    entries.truncate(site.config.feed_limit);
    let head = Head {
        title: &site.config.title,
        subtitle: site.config.description.as_deref(),
        own: "/atom.xml",
        page: "/",
    };
    write(site, &head, &entries)
}

/// The feed of every question and actor: (output path, Atom XML).
pub fn files(site: &Site) -> Vec<(String, String)> {
    let name = |n: &str| format!("{n} · {}", site.config.title);
    let questions = site.questions.iter().map(|q| {
        let items = items_of(site, &q.stances, &q.events);
        (q.url.as_str(), name(&q.title), items)
    });
    let actors = site.actors.iter().map(|a| {
        let items = items_of(site, &a.stances, &a.events);
        (a.url.as_str(), name(&a.name), items)
    });
    let specs: Vec<(&str, String, Vec<TimelineItem>)> = questions.chain(actors).collect();
    specs
        .into_par_iter()
        .map(|(url, title, items)| {
            let own = feed_path(url);
            let head = Head {
                title: &title,
                subtitle: None,
                own: &own,
                page: url,
            };
            let xml = write(site, &head, &newest_first(site, items));
            (own.trim_start_matches('/').to_string(), xml)
        })
        .collect()
}

/// The timeline items of `stances` and `events`, in no order.
fn items_of(site: &Site, stances: &[usize], events: &[usize]) -> Vec<TimelineItem> {
    let stances = stances
        .iter()
        .map(|&s| TimelineItem::Stance(s, site.stances[s].date));
    let events = events
        .iter()
        .map(|&e| TimelineItem::Event(e, site.events[e].date));
    stances.chain(events).collect()
}

/// Site path of the feed of the entity page at `url`: `/questions/x/atom.xml`.
pub fn feed_path(url: &str) -> String {
    format!("{url}atom.xml")
}

/// The entries of `items`, newest first, ties in the site timeline's order
/// reversed (by kind, then title).
fn newest_first(site: &Site, mut items: Vec<TimelineItem>) -> Vec<Entry> {
    site.sort_timeline(&mut items);
    items.iter().rev().map(|i| item(site, i)).collect()
}

/// The entry of one event or stance.
fn item(site: &Site, item: &TimelineItem) -> Entry {
    match *item {
        TimelineItem::Event(i, date) => {
            let e = &site.events[i];
            let mut content = inline(&e.summary).unwrap_or_default();
            if let Some(place) = &e.place {
                content.push_str(&format!("<p>{}</p>", escape_html(place)));
            }
            let place = e
                .place
                .as_deref()
                .map(|p| format!(" ({p})"))
                .unwrap_or_default();
            let summary = e
                .summary
                .as_ref()
                .map_or_else(|| format!("{}{place}", e.title), |t| t.plain.clone());
            Entry {
                title: e.title.clone(),
                url: e.url.clone(),
                date,
                summary,
                content,
                author: None,
            }
        }
        TimelineItem::Stance(i, date) => {
            let s = &site.stances[i];
            let a = &site.actors[s.actor];
            let q = &site.questions[s.question];
            let label = &q.positions[s.position].label;
            let mut content = format!(
                "<p><strong>{}</strong></p>",
                escape_html(&format!("{}: {label}", q.title))
            );
            content.push_str(&inline(&s.summary).unwrap_or_default());
            if let Some(quote) = &s.quote {
                content.push_str(&format!(
                    "<blockquote><p>{}</p></blockquote>",
                    escape_html(quote)
                ));
            }
            let title = format!("{} on {}: {label}", a.name, q.title);
            Entry {
                summary: s
                    .summary
                    .as_ref()
                    .map_or_else(|| title.clone(), |t| t.plain.clone()),
                title,
                url: format!("{}#{}", a.url, s.anchor),
                date,
                content,
                author: Some((a.name.clone(), a.url.clone())),
            }
        }
    }
}

/// A short text as a paragraph of HTML.
fn inline(text: &Option<InlineText>) -> Option<String> {
    text.as_ref().map(|t| format!("<p>{}</p>", &*t.html))
}

/// Text for HTML that is then escaped again as XML text.
fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The Atom document of `entries`, in the order given.
fn write(site: &Site, head: &Head, entries: &[Entry]) -> String {
    let config = &site.config;
    let updated = entries
        .iter()
        .map(|e| e.date)
        .max()
        .map(|d| d.rfc3339())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n",
        escape_xml(&config.language),
        escape_xml(head.title)
    ));
    if let Some(d) = head.subtitle {
        out.push_str(&format!("  <subtitle>{}</subtitle>\n", escape_xml(d)));
    }
    let page = config.permalink(head.page);
    out.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{1}\"/>\n  <id>{1}</id>\n  <updated>{2}</updated>\n  <author><name>{3}</name></author>\n  <generator>standpoint</generator>\n",
        escape_xml(&config.permalink(head.own)),
        escape_xml(&page),
        updated,
        escape_xml(&config.title)
    ));
    for e in entries {
        let link = escape_xml(&config.permalink(&e.url));
        out.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>\n    <id>{link}</id>\n    <updated>{}</updated>\n",
            escape_xml(&e.title),
            e.date.rfc3339(),
        ));
        if let Some((name, url)) = &e.author {
            out.push_str(&format!(
                "    <author><name>{}</name><uri>{}</uri></author>\n",
                escape_xml(name),
                escape_xml(&config.permalink(url))
            ));
        }
        // Readers resolve links in content against nothing reliable: absolute ones.
        let content = rewrite_served_paths(&e.content, &config.base_url, &config.served);
        out.push_str(&format!(
            "    <summary>{}</summary>\n    <content type=\"html\">{}</content>\n  </entry>\n",
            escape_xml(&e.summary),
            escape_xml(&content)
        ));
    }
    out.push_str("</feed>\n");
    out
}
