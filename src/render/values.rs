//! Template values built once per build and shared by every page: entity cards,
//! stances, the matrix and the timeline. Cloning a `tera::Value` is cheap (its
//! strings, lists and maps sit behind `Arc`), so pages embed these without copying.

use std::collections::HashMap;

use rayon::prelude::*;
use tera::{Map, Value};

use crate::load::content::{ActorKind, Date, DateLang};
use crate::resolve::as_of;
use crate::resolve::markdown::InlineText;
use crate::resolve::{EntityRef, Question, Site, Source, Stance, TimelineItem};

/// A small builder for template maps.
pub struct Obj(Map);

impl Obj {
    pub fn new() -> Obj {
        Obj(Map::new())
    }

    /// An object that will hold about `keys` keys: it is not grown, and rehashed,
    /// on the way (the values of every page are built on every build).
    pub fn with_capacity(keys: usize) -> Obj {
        Obj(Map::with_capacity(keys))
    }

    pub fn set(mut self, key: &'static str, value: impl Into<Value>) -> Obj {
        self.0.insert(key.into(), value.into());
        self
    }

    /// Sets a key made at run time (a site shortcode's argument).
    pub fn set_named(mut self, key: &str, value: impl Into<Value>) -> Obj {
        self.0.insert(key.to_string().into(), value.into());
        self
    }

    pub fn insert(&mut self, key: &'static str, value: impl Into<Value>) {
        self.0.insert(key.into(), value.into());
    }

    pub fn build(self) -> Value {
        Value::from(self.0)
    }

    /// This object with every key of `other` set (`other`'s values win).
    pub fn merge(mut self, other: Obj) -> Obj {
        self.0.extend(other.0);
        self
    }
}

impl Default for Obj {
    fn default() -> Self {
        Obj::new()
    }
}

pub fn opt_str(s: &Option<String>) -> Value {
    s.as_deref().map_or_else(Value::none, Value::from)
}

/// A short text's HTML, marked safe: the value of its key (`summary`).
pub fn inline_html(t: &Option<InlineText>) -> Value {
    t.as_ref()
        .map_or_else(Value::none, |t| t.html.value().clone())
}

/// A short text's plain text: the value of its `_text` key (`summary_text`), for
/// attributes, structured data and anything else that is not HTML.
pub fn inline_plain(t: &Option<InlineText>) -> Value {
    t.as_ref()
        .map_or_else(Value::none, |t| Value::from(t.plain.as_str()))
}

pub fn json(v: &serde_json::Value) -> Value {
    Value::from_serializable(v)
}

thread_local! {
    /// Date values already made on this thread. A site has far fewer distinct dates
    /// than dated things, and `serve` then compares the same value, not a copy.
    static DATES: std::cell::RefCell<HashMap<(Date, DateLang), Value>> =
        std::cell::RefCell::new(HashMap::new());
}

/// The language a site's dates are written in.
pub fn lang(site: &Site) -> DateLang {
    DateLang::of(&site.config.language)
}

pub fn date(d: &Date, lang: DateLang) -> Value {
    DATES.with(|dates| {
        if let Some(v) = dates.borrow().get(&(*d, lang)) {
            return v.clone();
        }
        let v = make_date(d, lang);
        dates.borrow_mut().insert((*d, lang), v.clone());
        v
    })
}

fn make_date(d: &Date, lang: DateLang) -> Value {
    Obj::with_capacity(5)
        .set("iso", d.to_string())
        .set("display", d.display_in(lang))
        .set("year", d.year)
        .set(
            "month",
            d.month.map(Value::from).unwrap_or_else(Value::none),
        )
        .set("day", d.day.map(Value::from).unwrap_or_else(Value::none))
        .build()
}

pub fn opt_date(d: &Option<Date>, lang: DateLang) -> Value {
    d.as_ref().map_or_else(Value::none, |d| date(d, lang))
}

/// Columns a stance table that is not the full matrix shows at most (the matrix
/// embed, a snapshot's table; the home page asks for as many): a wider table is
/// unreadable, and its size would grow with actors × questions.
pub const MATRIX_COLUMNS: usize = 12;

/// By question, whether a table of at most `limit` columns shows it: the questions
/// of `by_title` with the largest `held` counts (indexed by question; among equals,
/// the first by title win). Without a limit, or under it, every question.
pub fn most_held(by_title: &[usize], held: &[usize], limit: Option<usize>) -> Vec<bool> {
    let mut shown = vec![true; held.len()];
    if let Some(limit) = limit.filter(|&l| l < by_title.len()) {
        let mut by_held: Vec<usize> = by_title.to_vec();
        // Stable: among questions held equally often, the first by title win.
        by_held.sort_by(|&a, &b| held[b].cmp(&held[a]));
        shown = vec![false; held.len()];
        for &q in &by_held[..limit] {
            shown[q] = true;
        }
    }
    shown
}

/// The current stances of each actor, for `SiteValues::matrix`.
#[derive(Clone, PartialEq)]
pub struct MatrixData {
    /// Question indexes by title.
    by_title: Vec<usize>,
    /// By question: how many actors hold a current position on it.
    held: Vec<usize>,
    /// Actors with stances, by name: (actor, [(question, current stance)]).
    rows: Vec<(usize, Vec<(usize, usize)>)>,
}

impl MatrixData {
    /// The actors with stances, by name.
    pub fn actors(&self) -> Vec<usize> {
        self.rows.iter().map(|(a, _)| *a).collect()
    }

    /// Question indexes by title.
    pub fn questions_by_title(&self) -> &[usize] {
        &self.by_title
    }

    /// By question, whether a matrix of at most `limit` columns shows it: the
    /// questions the most actors hold a current position on.
    fn shown(&self, limit: Option<usize>) -> Vec<bool> {
        most_held(&self.by_title, &self.held, limit)
    }

    /// The columns of a matrix of at most `limit` questions, by title, and its rows:
    /// the actors (by name) with a current stance on one of them.
    pub fn limited(&self, limit: usize) -> (Vec<usize>, Vec<usize>) {
        let shown = self.shown(Some(limit));
        let columns = self
            .by_title
            .iter()
            .copied()
            .filter(|&q| shown[q])
            .collect();
        let rows = self
            .rows
            .iter()
            .filter(|(_, current)| current.iter().any(|&(q, _)| shown[q]))
            .map(|(a, _)| *a)
            .collect();
        (columns, rows)
    }
}

/// The timeline's entries by question and by actor, for the `timeline` embeds
/// that filter by one: each reads its few entries instead of all of them.
#[derive(Clone, PartialEq, Default)]
pub struct TimelineIndex {
    pub by_question: Vec<Vec<usize>>,
    pub by_actor: Vec<Vec<usize>>,
}

impl TimelineIndex {
    fn new(site: &Site, items: &[TimelineItem]) -> TimelineIndex {
        let mut index = TimelineIndex {
            by_question: vec![Vec::new(); site.questions.len()],
            by_actor: vec![Vec::new(); site.actors.len()],
        };
        for (k, item) in items.iter().enumerate() {
            match *item {
                TimelineItem::Event(i, _) => {
                    let e = &site.events[i];
                    for &q in &e.questions {
                        index.by_question[q].push(k);
                    }
                    for &a in &e.actors {
                        index.by_actor[a].push(k);
                    }
                }
                TimelineItem::Stance(i, _) => {
                    let s = &site.stances[i];
                    index.by_question[s.question].push(k);
                    index.by_actor[s.actor].push(k);
                }
            }
        }
        // An event may list an actor or a question twice.
        for list in index.by_question.iter_mut().chain(&mut index.by_actor) {
            list.dedup();
        }
        index
    }
}

/// Everything shared across the pages of one build.
#[derive(Clone)]
pub struct SiteValues {
    /// Every entity by id, for `card_by_id`.
    pub refs: HashMap<String, EntityRef>,
    pub urls: HashMap<String, String>,
    /// By index into `Site::stances`.
    pub stances: Vec<Value>,
    pub actor_cards: Vec<Value>,
    pub question_cards: Vec<Value>,
    pub event_cards: Vec<Value>,
    pub page_cards: Vec<Value>,
    /// What `matrix()` is built from, on call: a full matrix has a cell per actor and
    /// question, so it is only built for the templates that ask for it.
    pub matrix: MatrixData,
    /// Oldest first.
    pub timeline: Vec<Value>,
    /// What each entry of `timeline` is.
    pub timeline_items: Vec<TimelineItem>,
    /// The entries of `timeline` about each question and each actor, in order.
    pub timeline_index: TimelineIndex,
    /// Actors, questions (by title) and events (by date) as lists.
    pub actors: Value,
    pub questions: Value,
    pub events: Value,
}

fn lite(id: &str, title: &str, url: &str) -> Value {
    Obj::with_capacity(3)
        .set("id", id)
        .set("title", title)
        .set("url", url)
        .build()
}

fn stance_value(site: &Site, i: usize, s: &Stance) -> Value {
    let actor = &site.actors[s.actor];
    let question = &site.questions[s.question];
    let sources = source_values(&s.sources, lang(site));
    // `source`, the first, is what templates written for one source read.
    let source = sources.first().cloned().unwrap_or_else(Value::none);
    Obj::with_capacity(14)
        .set("actor", lite(&actor.id, &actor.name, &actor.url))
        .set(
            "question",
            lite(&question.id, &question.title, &question.url),
        )
        .set("position", position_obj(question, s.position).build())
        .set("date", date(&s.date, lang(site)))
        .set("summary", inline_html(&s.summary))
        .set("summary_text", inline_plain(&s.summary))
        .set("quote", opt_str(&s.quote))
        .set("source", source)
        .set("sources", sources)
        .set("current", s.current)
        .set("in_force", in_force(site, i))
        .set("anchor", s.anchor.as_str())
        .set("url", format!("{}#{}", actor.url, s.anchor))
        .build()
}

/// When stance `i` holds: `from` the day it comes into force, `until` the day a
/// later stance replaces it (none while it holds), both `YYYY-MM-DD`.
fn in_force(site: &Site, i: usize) -> Value {
    let from = as_of::effective_day(&site.stances[i].date);
    Obj::with_capacity(2)
        .set("from", as_of::iso_day(from))
        .set(
            "until",
            as_of::until(site, i).map_or_else(Value::none, |d| Value::from(as_of::iso_day(d))),
        )
        .build()
}

/// The fields of a source, for templates; `number` is added by the page citing it.
pub fn source_obj(src: &Source, lang: DateLang) -> Obj {
    Obj::with_capacity(8)
        .set("title", src.title.html.value().clone())
        .set("title_text", src.title.plain.as_str())
        .set("publisher", opt_str(&src.publisher))
        .set("url", opt_str(&src.url))
        .set("date", opt_date(&src.date, lang))
        .set("archive_url", opt_str(&src.archive_url))
        .set("accessed", opt_date(&src.accessed, lang))
}

pub fn source_values(sources: &[Source], lang: DateLang) -> Vec<Value> {
    sources
        .iter()
        .map(|s| source_obj(s, lang).build())
        .collect()
}

/// Position `i` of `question`, with its place on the scale (`index` of `count`).
pub fn position_obj(question: &Question, i: usize) -> Obj {
    let p = &question.positions[i];
    Obj::with_capacity(7)
        .set("id", p.id.as_str())
        .set("label", p.label.as_str())
        .set("description", inline_html(&p.description))
        .set("description_text", inline_plain(&p.description))
        .set("index", i)
        .set("count", question.positions.len())
}

pub fn positions(site: &Site, q: usize) -> Value {
    let question = &site.questions[q];
    let list: Vec<Value> = (0..question.positions.len())
        .map(|i| position_obj(question, i).build())
        .collect();
    Value::from(list)
}

impl SiteValues {
    pub fn new(site: &Site) -> SiteValues {
        SiteValues::sharing(site, None)
    }

    /// [`SiteValues::new`], taking from `previous` (the last build's, in `serve`)
    /// every element that is the same, list by list, before the lists that embed
    /// them are built: cards embed stances, the timeline embeds both, so comparing
    /// them later compares addresses instead of contents.
    pub fn sharing(site: &Site, previous: Option<&SiteValues>) -> SiteValues {
        // Each list is built in parallel: `serve` builds them all on every rebuild.
        let stances: Vec<Value> = site
            .stances
            .par_iter()
            .enumerate()
            .map(|(i, s)| stance_value(site, i, s))
            .collect();
        let stances = share(previous.map(|p| &p.stances[..]), stances);
        let actor_cards = share(
            previous.map(|p| &p.actor_cards[..]),
            actor_cards(site, &stances),
        );
        let question_cards = share(
            previous.map(|p| &p.question_cards[..]),
            question_cards(site),
        );
        let event_cards = share(previous.map(|p| &p.event_cards[..]), event_cards(site));
        let page_cards = share(previous.map(|p| &p.page_cards[..]), page_cards(site));
        let refs = site.index.clone();
        let urls = site
            .index
            .iter()
            .map(|(id, r)| (id.clone(), site.entity_url(*r).to_string()))
            .collect();

        let by_title = questions_by_title(site);
        let actors_by_name = actors_by_name(site);
        let matrix = matrix_data(site, &by_title, &actors_by_name);

        let timeline_items = site.timeline();
        let timeline: Vec<Value> = timeline_items
            .par_iter()
            .map(|item| timeline_entry(site, item, &stances, &event_cards))
            .collect();

        SiteValues {
            actors: in_order(&actor_cards, &actors_by_name),
            questions: in_order(&question_cards, &by_title),
            events: in_order(&event_cards, &events_by_date(site)),
            refs,
            urls,
            stances,
            actor_cards,
            question_cards,
            event_cards,
            page_cards,
            matrix,
            timeline_index: TimelineIndex::new(site, &timeline_items),
            timeline,
            timeline_items,
        }
    }

    /// The stance matrix: every question (by title) or, with `limit`, the `limit`
    /// questions the most actors hold a current position on; rows are the actors
    /// (by name) with a current stance on a shown question, one cell per question.
    pub fn matrix(&self, limit: Option<usize>) -> Value {
        let m = &self.matrix;
        let shown = m.shown(limit);
        let columns: Vec<usize> = m.by_title.iter().copied().filter(|&q| shown[q]).collect();
        let mut column_of = vec![usize::MAX; m.held.len()];
        for (c, &q) in columns.iter().enumerate() {
            column_of[q] = c;
        }
        let rows: Vec<Value> = m
            .rows
            .iter()
            .filter(|(_, current)| limit.is_none() || current.iter().any(|&(q, _)| shown[q]))
            .map(|(a, current)| {
                let mut cells = vec![Value::none(); columns.len()];
                for &(q, s) in current {
                    if shown[q] {
                        cells[column_of[q]] = self.stances[s].clone();
                    }
                }
                Obj::new()
                    .set("actor", self.actor_cards[*a].clone())
                    .set("cells", cells)
                    .build()
            })
            .collect();
        Obj::new()
            .set(
                "questions",
                columns
                    .iter()
                    .map(|&q| self.question_cards[q].clone())
                    .collect::<Vec<_>>(),
            )
            .set("rows", rows)
            .set("total_questions", m.held.len())
            .build()
    }

    /// The card of the entity `id`, if there is one.
    pub fn card_by_id(&self, id: &str) -> Option<Value> {
        self.refs.get(id).map(|r| self.card(*r))
    }

    pub fn card(&self, r: EntityRef) -> Value {
        match r {
            EntityRef::Actor(i) => self.actor_cards[i].clone(),
            EntityRef::Question(i) => self.question_cards[i].clone(),
            EntityRef::Event(i) => self.event_cards[i].clone(),
            EntityRef::Page(i) => self.page_cards[i].clone(),
        }
    }
}

/// `built`, with each element that is the same as the one at its index in `old`
/// replaced by that one.
fn share(old: Option<&[Value]>, built: Vec<Value>) -> Vec<Value> {
    let Some(old) = old else {
        return built;
    };
    built
        .into_par_iter()
        .enumerate()
        .map(|(k, v)| match old.get(k) {
            Some(o) if same(o, &v) => o.clone(),
            _ => v,
        })
        .collect()
}

/// Every actor's card, with its current stances (from `stances`).
fn actor_cards(site: &Site, stances: &[Value]) -> Vec<Value> {
    site.actors
        .par_iter()
        .map(|a| {
            let current: Vec<Value> = a
                .stances
                .iter()
                .filter(|&&s| site.stances[s].current)
                .map(|&s| stances[s].clone())
                .collect();
            // Plain text: `summary_text` is the same value.
            let summary = opt_str(&a.summary);
            Obj::with_capacity(10)
                .set("kind", "actor")
                .set("id", a.id.as_str())
                .set("title", a.name.as_str())
                .set("url", a.url.as_str())
                .set("summary", summary.clone())
                .set("summary_text", summary)
                .set("role", opt_str(&a.role))
                .set("actor_kind", a.kind.as_str())
                .set("image", opt_str(&a.image))
                .set("stances", current)
                .build()
        })
        .collect()
}

/// Every question's card, with how many actors currently hold each position.
fn question_cards(site: &Site) -> Vec<Value> {
    site.questions
        .par_iter()
        .enumerate()
        .map(|(qi, q)| {
            let mut counts = vec![0usize; q.positions.len()];
            for &s in &q.stances {
                if site.stances[s].current {
                    counts[site.stances[s].position] += 1;
                }
            }
            let summary = opt_str(&q.summary);
            Obj::with_capacity(9)
                .set("kind", "question")
                .set("id", q.id.as_str())
                .set("title", q.title.as_str())
                .set("url", q.url.as_str())
                .set("summary", summary.clone())
                .set("summary_text", summary)
                .set("question", q.question.as_str())
                .set("positions", positions(site, qi))
                .set("counts", counts)
                .build()
        })
        .collect()
}

fn event_cards(site: &Site) -> Vec<Value> {
    site.events
        .par_iter()
        .map(|e| {
            Obj::with_capacity(10)
                .set("kind", "event")
                .set("id", e.id.as_str())
                .set("title", e.title.as_str())
                .set("url", e.url.as_str())
                .set("summary", inline_html(&e.summary))
                .set("summary_text", inline_plain(&e.summary))
                .set("date", date(&e.date, lang(site)))
                .set("end_date", opt_date(&e.end_date, lang(site)))
                .set("place", opt_str(&e.place))
                .set("sources", source_values(&e.sources, lang(site)))
                .build()
        })
        .collect()
}

fn page_cards(site: &Site) -> Vec<Value> {
    site.pages
        .par_iter()
        .map(|p| {
            let summary = opt_str(&p.summary);
            Obj::with_capacity(7)
                .set("kind", "page")
                .set("id", p.id.as_str())
                .set("title", p.title.as_str())
                .set("url", p.url.as_str())
                .set("summary", summary.clone())
                .set("summary_text", summary)
                .set("date", opt_date(&p.date, lang(site)))
                .build()
        })
        .collect()
}

/// Question indexes by title.
fn questions_by_title(site: &Site) -> Vec<usize> {
    let mut by_title: Vec<usize> = (0..site.questions.len()).collect();
    by_title.sort_by(|&a, &b| site.questions[a].title.cmp(&site.questions[b].title));
    by_title
}

/// Actor indexes by name.
fn actors_by_name(site: &Site) -> Vec<usize> {
    let mut actors_by_name: Vec<usize> = (0..site.actors.len()).collect();
    actors_by_name.sort_by(|&a, &b| site.actors[a].name.cmp(&site.actors[b].name));
    actors_by_name
}

/// Event indexes by date, then title.
fn events_by_date(site: &Site) -> Vec<usize> {
    let mut events_by_date: Vec<usize> = (0..site.events.len()).collect();
    events_by_date.sort_by(|&a, &b| {
        site.events[a]
            .date
            .cmp(&site.events[b].date)
            .then(site.events[a].title.cmp(&site.events[b].title))
    });
    events_by_date
}

/// The current stances of the actors with stances (by name), and how many actors
/// hold a current position on each question.
fn matrix_data(site: &Site, by_title: &[usize], actors_by_name: &[usize]) -> MatrixData {
    let mut held = vec![0usize; site.questions.len()];
    let rows: Vec<(usize, Vec<(usize, usize)>)> = actors_by_name
        .iter()
        .filter(|&&a| !site.actors[a].stances.is_empty())
        .map(|&a| {
            let current: Vec<(usize, usize)> = site.actors[a]
                .stances
                .iter()
                .filter(|&&s| site.stances[s].current)
                .map(|&s| (site.stances[s].question, s))
                .collect();
            for &(q, _) in &current {
                held[q] += 1;
            }
            (a, current)
        })
        .collect();
    MatrixData {
        by_title: by_title.to_vec(),
        held,
        rows,
    }
}

/// The cards at `order`, as one list.
fn in_order(cards: &[Value], order: &[usize]) -> Value {
    Value::from(order.iter().map(|&i| cards[i].clone()).collect::<Vec<_>>())
}

fn timeline_entry(
    site: &Site,
    item: &TimelineItem,
    stances: &[Value],
    event_cards: &[Value],
) -> Value {
    match *item {
        TimelineItem::Event(i, d) => {
            let e = &site.events[i];
            Obj::with_capacity(10)
                .set("kind", "event")
                .set("date", date(&d, lang(site)))
                .set("title", e.title.as_str())
                .set("url", e.url.as_str())
                .set("summary", inline_html(&e.summary))
                .set("summary_text", inline_plain(&e.summary))
                .set("event", event_cards[i].clone())
                .set("stance", Value::none())
                .set("previous", Value::none())
                .build()
        }
        TimelineItem::Stance(i, d) => {
            let s = &site.stances[i];
            let actor = &site.actors[s.actor];
            let question = &site.questions[s.question];
            // Stances are sorted by actor, question, date: the one before is the previous.
            let previous = i
                .checked_sub(1)
                .filter(|&p| {
                    site.stances[p].actor == s.actor && site.stances[p].question == s.question
                })
                .map_or_else(Value::none, |p| stances[p].clone());
            Obj::with_capacity(9)
                .set("kind", "stance")
                .set("date", date(&d, lang(site)))
                .set(
                    "title",
                    format!("{}: {}", actor.name, question.positions[s.position].label),
                )
                .set("url", format!("{}#{}", actor.url, s.anchor))
                .set("summary", inline_html(&s.summary))
                .set("summary_text", inline_plain(&s.summary))
                .set("event", Value::none())
                .set("stance", stances[i].clone())
                .set("previous", previous)
                .build()
        }
    }
}

pub fn kind_groups(site: &Site, v: &SiteValues) -> Value {
    let groups: Vec<Value> = ActorKind::ALL
        .iter()
        .filter_map(|&kind| {
            let mut members: Vec<usize> = (0..site.actors.len())
                .filter(|&i| site.actors[i].kind == kind)
                .collect();
            if members.is_empty() {
                return None;
            }
            members.sort_by(|&a, &b| site.actors[a].name.cmp(&site.actors[b].name));
            Some(
                Obj::new()
                    .set("actor_kind", kind.as_str())
                    .set("label", site.words.text(kind.plural_word(), None))
                    .set(
                        "actors",
                        members
                            .iter()
                            .map(|&i| v.actor_cards[i].clone())
                            .collect::<Vec<_>>(),
                    )
                    .build(),
            )
        })
        .collect();
    Value::from(groups)
}

/// Whether two values render the same: equal, maps in the same order (templates
/// iterate them in order) and strings equally marked safe. Faster than `==`, which
/// looks every map key up by hash, and stricter. `false` only costs a render.
pub fn same(a: &Value, b: &Value) -> bool {
    if a.kind() != b.kind() {
        return false;
    }
    if let (Some(x), Some(y)) = (a.as_map(), b.as_map()) {
        return std::ptr::eq(x, y)
            || (x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|((ka, va), (kb, vb))| same_key(ka, kb) && same(va, vb)));
    }
    if let (Some(x), Some(y)) = (a.as_array(), b.as_array()) {
        return std::ptr::eq(x, y)
            || (x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q)));
    }
    if let (Some(x), Some(y)) = (a.as_str(), b.as_str()) {
        // Shared strings (a body's HTML) are the same without reading them.
        let shared = x.as_ptr() == y.as_ptr() && x.len() == y.len();
        return (shared || x == y) && a.is_safe() == b.is_safe();
    }
    a == b
}

/// Keys are mostly the same static strings: compare where they point first.
fn same_key(a: &tera::value::Key, b: &tera::value::Key) -> bool {
    match (a.as_str(), b.as_str()) {
        (Some(x), Some(y)) => (x.as_ptr() == y.as_ptr() && x.len() == y.len()) || x == y,
        _ => a == b,
    }
}
