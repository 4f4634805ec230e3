//! Citations: the numbered references of a page (`page.sources`, and the numbers
//! each stance or event cites), and the values of `/sources/`, every source of the
//! site once with what cites it (DESIGN.md section 9). Two citations are one
//! source when [`Source::identity`] is the same.

use std::collections::HashMap;

use tera::Value;

use crate::load::content::{Date, DateLang};
use crate::render::values::{self, SiteValues};
use crate::resolve::{Site, Source};

type Identity<'a> = (Option<&'a str>, &'a str, Option<&'a str>, Option<Date>);

/// The references of one page, numbered from 1 in the order they are first cited.
#[derive(Default)]
pub(super) struct Citations<'a> {
    numbers: HashMap<Identity<'a>, usize>,
    list: Vec<Value>,
    /// The same sources as schema.org `CreativeWork`s, for JSON-LD's `citation`.
    works: Vec<Value>,
    /// The language the sources' dates are written in.
    lang: DateLang,
}

impl<'a> Citations<'a> {
    pub(super) fn in_language(lang: DateLang) -> Citations<'a> {
        Citations {
            lang,
            ..Citations::default()
        }
    }

    /// The numbers of `sources` on this page, each once, new ones numbered next.
    pub(super) fn cite(&mut self, sources: &'a [Source]) -> Vec<usize> {
        self.cite_built(sources, &[])
    }

    /// As [`Citations::cite`], taking each source's value from `built` (the same
    /// sources' values, made once for the site) where it is there.
    fn cite_built(&mut self, sources: &'a [Source], built: &[Value]) -> Vec<usize> {
        let mut cited = Vec::with_capacity(sources.len());
        for (i, src) in sources.iter().enumerate() {
            let next = self.numbers.len() + 1;
            let n = *self.numbers.entry(src.identity()).or_insert(next);
            if n == next {
                let value = match built.get(i) {
                    Some(value) => with_key(value, "number", n),
                    None => values::source_obj(src, self.lang).set("number", n).build(),
                };
                self.list.push(value);
                self.works.push(creative_work(src));
            }
            if !cited.contains(&n) {
                cited.push(n);
            }
        }
        cited
    }

    /// The stance `s`'s shared value with the numbers of its sources on this page.
    pub(super) fn stance(&mut self, site: &'a Site, v: &SiteValues, s: usize) -> Value {
        let stance = &v.stances[s];
        let built = stance.get_from_path("sources").and_then(Value::as_array);
        let numbers = self.cite_built(&site.stances[s].sources, built.unwrap_or_default());
        with_key(stance, "source_numbers", numbers)
    }

    /// `page.sources`, every reference of the page in number order, and
    /// `page.citations`, the same as JSON-LD `CreativeWork`s.
    pub(super) fn into_values(self) -> (Vec<Value>, Vec<Value>) {
        (self.list, self.works)
    }
}

/// Sets a page's `sources` and `citations` from its [`Citations`].
pub(super) trait SetCitations {
    fn set_citations(self, cites: Citations) -> Self;
}

impl SetCitations for values::Obj {
    fn set_citations(self, cites: Citations) -> values::Obj {
        let (sources, works) = cites.into_values();
        self.set("sources", sources).set("citations", works)
    }
}

/// A source as a schema.org `CreativeWork`: its plain title, and its URL,
/// publisher and date when it has them.
fn creative_work(src: &Source) -> Value {
    let mut work = values::Obj::with_capacity(5)
        .set("@type", "CreativeWork")
        .set("name", src.title.plain.as_str());
    if let Some(url) = &src.url {
        work.insert("url", url.as_str());
    }
    if let Some(publisher) = &src.publisher {
        let org = values::Obj::with_capacity(2)
            .set("@type", "Organization")
            .set("name", publisher.as_str());
        work.insert("publisher", org.build());
    }
    if let Some(date) = &src.date {
        work.insert("datePublished", date.to_string());
    }
    work.build()
}

/// `value` (a map) with `key` set to `x`; the other entries are shared, not copied.
pub(super) fn with_key(value: &Value, key: &'static str, x: impl Into<Value>) -> Value {
    let mut map = value.as_map().cloned().unwrap_or_default();
    map.insert(key.into(), x.into());
    Value::from(map)
}

/// What cites one source: a stance (by index) or an event.
#[derive(Clone, Copy)]
enum Citer {
    Stance(usize),
    Event(usize),
}

/// The entries of `/sources/`: every distinct source of the site, by title, with
/// `cited_by`, a link to each stance and event citing it (stances in the site's
/// order, then events by id).
pub(super) fn site_sources(site: &Site, v: &SiteValues) -> Vec<Value> {
    let mut index: HashMap<Identity, usize> = HashMap::new();
    let mut found: Vec<(&Source, Vec<Citer>)> = Vec::new();
    let stances = (site.stances.iter().enumerate()).map(|(i, s)| (Citer::Stance(i), &s.sources));
    let events = (site.events.iter().enumerate()).map(|(i, e)| (Citer::Event(i), &e.sources));
    for (citer, sources) in stances.chain(events) {
        for src in sources {
            let k = *index.entry(src.identity()).or_insert_with(|| {
                found.push((src, Vec::new()));
                found.len() - 1
            });
            let citers = &mut found[k].1;
            // A stance may cite one source twice.
            if !citers.last().is_some_and(|c| same_citer(*c, citer)) {
                citers.push(citer);
            }
        }
    }
    // By title as readers sort it; the sort is stable, so equal titles keep the
    // order of their first citation.
    found.sort_by_cached_key(|(s, _)| (s.title.plain.to_lowercase(), s.title.plain.clone()));
    found
        .into_iter()
        .map(|(src, citers)| {
            let cited_by: Vec<Value> = citers.iter().map(|&c| citer_value(site, v, c)).collect();
            values::source_obj(src, values::lang(site))
                .set("cited_by", cited_by)
                .build()
        })
        .collect()
}

fn same_citer(a: Citer, b: Citer) -> bool {
    match (a, b) {
        (Citer::Stance(x), Citer::Stance(y)) | (Citer::Event(x), Citer::Event(y)) => x == y,
        _ => false,
    }
}

/// A link to what cites a source: `kind`, `title`, `date`, `url`, and a stance's
/// `actor` and `question`.
fn citer_value(site: &Site, v: &SiteValues, c: Citer) -> Value {
    match c {
        Citer::Stance(i) => {
            let s = &site.stances[i];
            let actor = &site.actors[s.actor];
            let question = &site.questions[s.question];
            values::Obj::with_capacity(6)
                .set("kind", "stance")
                .set("title", format!("{}: {}", actor.name, question.title))
                .set("date", values::date(&s.date, values::lang(site)))
                .set("url", format!("{}#{}", actor.url, s.anchor))
                .set("actor", v.actor_cards[s.actor].clone())
                .set("question", v.question_cards[s.question].clone())
                .build()
        }
        Citer::Event(i) => {
            let e = &site.events[i];
            values::Obj::with_capacity(4)
                .set("kind", "event")
                .set("title", e.title.as_str())
                .set("date", values::date(&e.date, values::lang(site)))
                .set("url", e.url.as_str())
                .build()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::markdown::InlineText;

    fn source(title: &str, url: Option<&str>) -> Source {
        Source {
            title: InlineText {
                plain: title.into(),
                ..InlineText::default()
            },
            publisher: None,
            url: url.map(str::to_string),
            date: None,
            archive_url: None,
            accessed: None,
        }
    }

    #[test]
    fn a_source_cited_twice_keeps_its_first_number() {
        let a = [
            source("A", Some("https://e.org/a")),
            source("B", None),
            source("A again", Some("https://e.org/a")),
        ];
        let b = [source("B", None), source("C", None)];
        let mut c = Citations::default();
        assert_eq!(c.cite(&a), vec![1, 2]);
        assert_eq!(c.cite(&b), vec![2, 3]);
        let (list, works) = c.into_values();
        assert_eq!(list.len(), 3);
        // The JSON-LD works follow the numbers; a source without a URL has none.
        let names: Vec<_> = works
            .iter()
            .map(|w| w.get_from_path("name").cloned())
            .collect();
        assert_eq!(names, ["A", "B", "C"].map(|n| Some(tera::Value::from(n))));
        assert!(works[0].get_from_path("url").is_some());
        assert!(works[1].get_from_path("url").is_none());
    }

    #[test]
    fn sources_taken_from_the_shared_values_are_the_sources_made_here() {
        // A stance's shared value holds its sources as `source_values` makes them;
        // numbering those must give the very list numbering the sources gives.
        let sources = [
            source("A", Some("https://e.org/a")),
            source("B", None),
            source("A again", Some("https://e.org/a")),
        ];
        let lang = DateLang::default();
        let built = values::source_values(&sources, lang);
        let mut made = Citations::in_language(lang);
        let mut shared = Citations::in_language(lang);
        assert_eq!(made.cite(&sources), shared.cite_built(&sources, &built));
        let (made, _) = made.into_values();
        let (shared, _) = shared.into_values();
        assert_eq!(made.len(), 2);
        // `same` compares keys in order, and values.
        assert!(made.iter().zip(&shared).all(|(a, b)| values::same(a, b)));
    }
}
