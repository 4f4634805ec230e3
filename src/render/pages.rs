//! Pages: every page of a resolved site ([`PageKey`]), the values its template is
//! rendered with (one function per kind of page), and rendering one page.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Tera, Value};

use crate::diagnostics::Diagnostic;
use crate::images;
use crate::load::config::Config;
use crate::load::i18n;
use crate::load::served::Served;
use crate::load::theme::Theme;
use crate::render::citations::{self, Citations, SetCitations};
use crate::render::embed_pages;
use crate::render::embeds::{self, EmbedHtml};
use crate::render::engine::{begin_reads, take_reads};
use crate::render::entity_feeds;
use crate::render::errors::template_errors;
use crate::render::job::Job;
use crate::render::links::{self, output_path};
use crate::render::paginate;
use crate::render::pictures;
use crate::render::reader;
use crate::render::spectrum::{position_stances, positions_with};
use crate::render::values::{self, json, opt_date, opt_str, Obj, SiteValues};
use crate::render::PageReads;
use crate::resolve::markdown::{Html, InlineText, Placed, Toc};
use crate::resolve::pictures::Role;
use crate::resolve::{Actor, EntityRef, Event, Page, Question, Site, INDEX_FOLDERS};

/// A page of the site, by what it is made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageKey {
    Entity(EntityRef),
    /// A folder's list page, by its index in `Site::lists`.
    List(usize),
    Home,
    /// A built-in index page: `actors`, `questions`, `events`, `timeline`, ...
    Index(&'static str),
    /// The snapshot `/as-of/<date>/`, by its index in `Config::snapshots`.
    Snapshot(usize),
    NotFound,
}

impl PageKey {
    /// The built-in index page of `folder`, if it has one.
    pub fn index(folder: &str) -> Option<PageKey> {
        INDEX_FOLDERS
            .iter()
            .find(|f| **f == folder)
            .map(|f| PageKey::Index(f))
    }
}

/// Every page of the site.
fn all_pages(site: &Site) -> Vec<PageKey> {
    let entities = (0..site.actors.len())
        .map(EntityRef::Actor)
        .chain((0..site.questions.len()).map(EntityRef::Question))
        .chain((0..site.events.len()).map(EntityRef::Event))
        .chain((0..site.pages.len()).map(EntityRef::Page))
        .map(PageKey::Entity);
    entities
        .chain((0..site.lists.len()).map(PageKey::List))
        .chain([PageKey::Home])
        .chain(INDEX_FOLDERS.iter().map(|f| PageKey::Index(f)))
        .chain((0..site.config.snapshots.len()).map(PageKey::Snapshot))
        .chain([PageKey::NotFound])
        .collect()
}

/// Every page of the site to render, in the order of [`all_pages`].
pub(super) fn jobs(site: &Site, v: &SiteValues) -> Vec<Job> {
    all_pages(site)
        .par_iter()
        .flat_map_iter(|key| job(site, v, *key))
        .collect()
}

/// The pages `key` makes: one, or every page of a paginated list.
pub(super) fn job(site: &Site, v: &SiteValues, key: PageKey) -> Vec<Job> {
    let embeds = body_embeds(site, key);
    let job = kind_job(site, v, key);
    let mut jobs = match key {
        PageKey::List(i) => paginated(site, job, &CUT_PAGES, site.lists[i].pages.len()),
        PageKey::Index(folder) => match paginate::index_items(site, folder) {
            Some(items) => paginated(site, job, index_cuts(folder), items),
            None => vec![job],
        },
        _ => vec![job],
    };
    for job in &mut jobs {
        job.embeds = embeds.clone();
    }
    jobs
}

/// A list a paginated page shows a share of: the key of `page` that holds it, and
/// for a grouped list, the key of each group that holds its items.
struct Cut {
    key: &'static str,
    groups_of: Option<&'static str>,
}

const CUT_PAGES: [Cut; 1] = [Cut {
    key: "pages",
    groups_of: None,
}];

/// What each paginated index page cuts into pages (see [`index_job`]).
fn index_cuts(folder: &str) -> &'static [Cut] {
    const ACTORS: [Cut; 1] = [Cut {
        key: "groups",
        groups_of: Some("actors"),
    }];
    const QUESTIONS: [Cut; 1] = [Cut {
        key: "questions",
        groups_of: None,
    }];
    const TIMELINE: [Cut; 2] = [
        Cut {
            key: "entries",
            groups_of: None,
        },
        Cut {
            key: "months",
            groups_of: Some("entries"),
        },
    ];
    const MATRIX: [Cut; 1] = [Cut {
        key: "rows",
        groups_of: None,
    }];
    match folder {
        "actors" => &ACTORS,
        "questions" => &QUESTIONS,
        "matrix" => &MATRIX,
        "timeline" => &TIMELINE,
        _ => &CUT_PAGES,
    }
}

/// The pages of the list page `job` whose lists `cuts` hold `items` items: each
/// page with its share of them, its own URL and its `paginator`.
fn paginated(site: &Site, job: Job, cuts: &[Cut], items: usize) -> Vec<Job> {
    let pagers = paginate::pagers(&job.url, items, site.config.paginate);
    let Some(whole) = job.page.as_map() else {
        return vec![job];
    };
    pagers
        .iter()
        .map(|pager| {
            let mut page = whole.clone();
            for cut in cuts {
                let Some(list) = job.page.get_from_path(cut.key).and_then(|l| l.as_array()) else {
                    continue;
                };
                let share = match cut.groups_of {
                    Some(inner) => paginate::slice_groups(list, inner, &pager.items),
                    None => list
                        [pager.items.start.min(list.len())..pager.items.end.min(list.len())]
                        .to_vec(),
                };
                page.insert(cut.key.into(), Value::from(share));
            }
            let url = pager.url();
            page.insert("permalink".into(), Value::from(site.config.permalink(&url)));
            page.insert("url".into(), Value::from(url.as_str()));
            page.insert("paginator".into(), pager.value());
            Job {
                url,
                template: job.template.clone(),
                page: Value::from(page),
                source: job.source.clone(),
                chosen: job.chosen.clone(),
                embeds: Arc::default(),
            }
        })
        .collect()
}

/// The shortcodes of the body the page `key` shows.
fn body_embeds(site: &Site, key: PageKey) -> Arc<[Placed]> {
    match key {
        PageKey::Entity(EntityRef::Actor(i)) => site.actors[i].embeds.clone(),
        PageKey::Entity(EntityRef::Question(i)) => site.questions[i].embeds.clone(),
        PageKey::Entity(EntityRef::Event(i)) => site.events[i].embeds.clone(),
        PageKey::Entity(EntityRef::Page(i)) => site.pages[i].embeds.clone(),
        PageKey::List(i) => site.lists[i].page.embeds.clone(),
        PageKey::Home => site.home.embeds.clone(),
        PageKey::Index(folder) => site
            .intros
            .get(folder)
            .map(|p| p.embeds.clone())
            .unwrap_or_default(),
        PageKey::Snapshot(_) | PageKey::NotFound => Arc::default(),
    }
}

fn kind_job(site: &Site, v: &SiteValues, key: PageKey) -> Job {
    match key {
        PageKey::Entity(EntityRef::Actor(i)) => actor_job(site, v, i),
        PageKey::Entity(EntityRef::Question(i)) => question_job(site, v, i),
        PageKey::Entity(EntityRef::Event(i)) => event_job(site, v, i),
        PageKey::Entity(EntityRef::Page(i)) => page_job(site, v, i),
        PageKey::List(i) => list_job(site, v, i),
        PageKey::Home => home_job(site, v),
        PageKey::Index(folder) => index_job(site, v, folder),
        PageKey::Snapshot(i) => snapshot_job(site, v, i),
        PageKey::NotFound => not_found_job(site, v),
    }
}

/// An empty list, for the pages nothing links to.
fn empty() -> Value {
    Value::from(Vec::<Value>::new())
}

fn actor_job(site: &Site, v: &SiteValues, i: usize) -> Job {
    let a = &site.actors[i];
    let page = actor_page(site, v, EntityRef::Actor(i), a);
    Job::new(&a.url, "actor.html", &a.template, page, Some(&a.path))
}

fn question_job(site: &Site, v: &SiteValues, i: usize) -> Job {
    let q = &site.questions[i];
    let page = question_page(site, v, EntityRef::Question(i), q);
    Job::new(&q.url, "question.html", &q.template, page, Some(&q.path))
}

fn event_job(site: &Site, v: &SiteValues, i: usize) -> Job {
    let e = &site.events[i];
    let page = event_page(site, v, EntityRef::Event(i), e);
    Job::new(&e.url, "event.html", &e.template, page, Some(&e.path))
}

/// A plain page of a folder (or of the top).
fn page_job(site: &Site, v: &SiteValues, i: usize) -> Job {
    let p = &site.pages[i];
    let page = page_obj(site, v, "page", p)
        .set("backlinks", backlinks(site, v, EntityRef::Page(i)))
        .build();
    Job::new(&p.url, "page.html", &p.template, page, Some(&p.path))
}

/// A folder's list page: its `_index.md` and the cards of its pages.
fn list_job(site: &Site, v: &SiteValues, i: usize) -> Job {
    let l = &site.lists[i];
    let page = page_obj(site, v, "list", &l.page)
        .set(
            "pages",
            l.pages
                .iter()
                .map(|&i| v.page_cards[i].clone())
                .collect::<Vec<_>>(),
        )
        .set("backlinks", empty())
        .build();
    Job::new(
        &l.page.url,
        "list.html",
        &l.page.template,
        page,
        Some(&l.page.path),
    )
}

fn home_job(site: &Site, v: &SiteValues) -> Job {
    let home = page_obj(site, v, "home", &site.home)
        .set("backlinks", empty())
        .build();
    let home_file = Some(site.home.path.as_str()).filter(|p| !p.is_empty());
    Job::new("/", "index.html", &site.home.template, home, home_file)
}

/// A built-in index page: its intro and what it lists.
fn index_job(site: &Site, v: &SiteValues, folder: &'static str) -> Job {
    let (page, template, source) = intro(site, v, folder);
    let page = match folder {
        "actors" => page.set("groups", values::kind_groups(site, v)),
        "questions" => page.set("questions", v.questions.clone()),
        "events" => page.set("pages", v.events.clone()),
        "sources" => page.set("sources", citations::site_sources(site, v)),
        "data" => page.set("counts", data_counts(site)),
        "matrix" => {
            let (matrix, rows) = reader::matrix_page(site, v);
            page.set("matrix", matrix.build())
                .set("rows", rows)
                .set("embed", embed_pages::matrix_info(site))
        }
        "compare" => page.set("actors", compare_choices(site, v)),
        _ => timeline_page(site, v, page),
    };
    let default = crate::resolve::index_template(folder);
    let page = page.set("backlinks", empty()).build();
    Job::new(
        &format!("/{folder}/"),
        default,
        &template,
        page,
        source.as_deref(),
    )
}

/// The actors `/compare/` offers, by name: those with stances.
fn compare_choices(site: &Site, v: &SiteValues) -> Vec<Value> {
    v.matrix
        .actors()
        .into_iter()
        .filter(|&a| !site.actors[a].stances.is_empty())
        .map(|a| v.actor_cards[a].clone())
        .collect()
}

/// `/as-of/<date>/`: the site's stances as they stood on a snapshot's date.
fn snapshot_job(site: &Site, v: &SiteValues, i: usize) -> Job {
    let date = &site.config.snapshots[i];
    let url = reader::snapshot_url(date);
    let title = i18n::fill(&site.words.text("as_of_date", None), |name| {
        (name == "date").then(|| date.display_in(values::lang(site)))
    });
    let page = base(
        site,
        v,
        Head {
            kind: "as_of",
            id: "as-of",
            title: &title,
            url: &url,
            html: &Html::default(),
            embeds: &[],
            toc: &Toc::default(),
            summary: Summary::Text(&None),
            extra: &serde_json::json!({}),
        },
    )
    .merge(reader::snapshot_page(site, v, date))
    .set("backlinks", empty())
    .build();
    Job::new(&url, "as_of.html", &None, page, None)
}

/// What the open-data page says each file holds: how many of each.
fn data_counts(site: &Site) -> Value {
    Obj::new()
        .set("actors", site.actors.len())
        .set("questions", site.questions.len())
        .set("stances", site.stances.len())
        .set("events", site.events.len())
        .build()
}

fn not_found_job(site: &Site, v: &SiteValues) -> Job {
    let not_found = base(
        site,
        v,
        Head {
            kind: "not_found",
            id: "404",
            title: &site.words.text("not_found", None),
            url: "/404.html",
            html: &Html::default(),
            embeds: &[],
            toc: &Toc::default(),
            summary: Summary::Text(&None),
            extra: &serde_json::json!({}),
        },
    )
    .set("backlinks", empty())
    .build();
    Job::new("/404.html", "404.html", &None, not_found, None)
}

fn actor_page(site: &Site, v: &SiteValues, r: EntityRef, a: &Actor) -> Value {
    // Sources are numbered in reading order: the current stances, then the earlier.
    let mut cites = Citations::in_language(values::lang(site));
    let mut numbered: HashMap<usize, Value> = HashMap::with_capacity(a.stances.len());
    let current: Vec<Value> = a
        .stances
        .iter()
        .filter(|&&s| site.stances[s].current)
        .map(|&s| {
            let value = cites.stance(site, v, s);
            numbered.insert(s, value.clone());
            value
        })
        .collect();
    for &s in &a.stances {
        numbered
            .entry(s)
            .or_insert_with(|| cites.stance(site, v, s));
    }
    base(
        site,
        v,
        Head {
            kind: "actor",
            id: &a.id,
            title: &a.name,
            url: &a.url,
            html: &a.html,
            embeds: &a.embeds,
            toc: &a.toc,
            summary: Summary::Text(&a.summary),
            extra: &a.extra,
        },
    )
    .set("name", a.name.as_str())
    .set("actor_kind", a.kind.as_str())
    .set("role", opt_str(&a.role))
    .set("aliases", a.aliases.clone())
    .set("image", opt_str(&a.image))
    .set(
        "picture",
        pictures::value(&site.pictures, a.image.as_deref(), Role::Portrait),
    )
    .set("card_alt", images::actor_alt(site, a))
    .set(
        "links",
        a.links
            .iter()
            .map(|l| {
                Obj::new()
                    .set("title", l.title.as_str())
                    .set("url", l.url.as_str())
                    .build()
            })
            .collect::<Vec<_>>(),
    )
    .set("affiliations", actor_cards(v, &a.affiliations))
    .set("members", actor_cards(v, &a.members))
    .set("stances", current)
    .set("history", stance_history(site, v, a, &numbered))
    .set(
        "events",
        a.events
            .iter()
            .map(|&e| v.event_cards[e].clone())
            .collect::<Vec<_>>(),
    )
    .set("embed", embed_pages::info_for(site, r))
    .set("feed", entity_feeds::feed_path(&a.url))
    .set_citations(cites)
    .set("backlinks", backlinks(site, v, r))
    .build()
}

/// The cards of the actors `ids`.
fn actor_cards(v: &SiteValues, ids: &[usize]) -> Vec<Value> {
    ids.iter().map(|&x| v.actor_cards[x].clone()).collect()
}

/// An actor's stances grouped by question, each group oldest first (stances are
/// sorted by actor, question, date), their values taken from `numbered`.
fn stance_history(
    site: &Site,
    v: &SiteValues,
    a: &Actor,
    numbered: &HashMap<usize, Value>,
) -> Vec<Value> {
    let mut history: Vec<Value> = Vec::new();
    let mut k = 0;
    while k < a.stances.len() {
        let q = site.stances[a.stances[k]].question;
        let mut group = Vec::new();
        while k < a.stances.len() && site.stances[a.stances[k]].question == q {
            let s = a.stances[k];
            group.push(numbered.get(&s).unwrap_or(&v.stances[s]).clone());
            k += 1;
        }
        history.push(
            Obj::new()
                .set("question", v.question_cards[q].clone())
                .set("stances", group)
                .build(),
        );
    }
    history
}

fn question_page(site: &Site, v: &SiteValues, r: EntityRef, q: &Question) -> Value {
    // Sources are numbered in reading order: the spectrum, then the other stances.
    let by_position = position_stances(site, q);
    let mut cites = Citations::in_language(values::lang(site));
    let mut numbered: HashMap<usize, Value> = HashMap::with_capacity(q.stances.len());
    for &s in by_position.iter().flatten().chain(&q.stances) {
        numbered
            .entry(s)
            .or_insert_with(|| cites.stance(site, v, s));
    }
    let stance = |s: usize| numbered.get(&s).unwrap_or(&v.stances[s]).clone();
    base(
        site,
        v,
        Head {
            kind: "question",
            id: &q.id,
            title: &q.title,
            url: &q.url,
            html: &q.html,
            embeds: &q.embeds,
            toc: &q.toc,
            summary: Summary::Text(&q.summary),
            extra: &q.extra,
        },
    )
    .set("question", q.question.as_str())
    .set("card_alt", images::question_alt(site, q))
    .set(
        "positions",
        with_earlier(
            positions_with(q, &by_position, stance),
            reader::earlier_by_position(site, v, q),
        ),
    )
    .set("days", reader::change_days(site, q.stances.iter().copied()))
    .set("snapshots", reader::snapshot_links(site))
    .set("changes", stance_changes(site, q, stance))
    .set(
        "stances",
        q.stances.iter().map(|&s| stance(s)).collect::<Vec<_>>(),
    )
    .set(
        "events",
        q.events
            .iter()
            .map(|&e| v.event_cards[e].clone())
            .collect::<Vec<_>>(),
    )
    .set("embed", embed_pages::info_for(site, r))
    .set("feed", entity_feeds::feed_path(&q.url))
    .set_citations(cites)
    .set("backlinks", backlinks(site, v, r))
    .build()
}

/// `positions` with each position's `earlier` stances (for the date control).
fn with_earlier(positions: Vec<Value>, earlier: Vec<Vec<Value>>) -> Vec<Value> {
    positions
        .into_iter()
        .zip(earlier)
        .map(|(p, earlier)| match p.as_map() {
            Some(m) => {
                let mut m = m.clone();
                m.insert("earlier".into(), Value::from(earlier));
                Value::from(m)
            }
            None => p,
        })
        .collect()
}

/// The changes of position on a question, by date and then actor name, with the
/// values (`stance`) of the stances before and after.
fn stance_changes(site: &Site, q: &Question, stance: impl Fn(usize) -> Value) -> Vec<Value> {
    // A change is a stance whose actor held another position on this question before.
    let mut changes: Vec<(crate::load::content::Date, String, Value)> = Vec::new();
    for &s in &q.stances {
        let st = &site.stances[s];
        if s > 0 {
            let prev = &site.stances[s - 1];
            if prev.actor == st.actor
                && prev.question == st.question
                && prev.position != st.position
            {
                let actor = &site.actors[st.actor];
                changes.push((
                    st.date,
                    actor.name.clone(),
                    Obj::new()
                        .set(
                            "actor",
                            Obj::new()
                                .set("id", actor.id.as_str())
                                .set("title", actor.name.as_str())
                                .set("url", actor.url.as_str())
                                .build(),
                        )
                        .set("from", stance(s - 1))
                        .set("to", stance(s))
                        .build(),
                ));
            }
        }
    }
    changes.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    changes.into_iter().map(|c| c.2).collect()
}

fn event_page(site: &Site, v: &SiteValues, r: EntityRef, e: &Event) -> Value {
    let mut cites = Citations::in_language(values::lang(site));
    let source_numbers = cites.cite(&e.sources);
    base(
        site,
        v,
        Head {
            kind: "event",
            id: &e.id,
            title: &e.title,
            url: &e.url,
            html: &e.html,
            embeds: &e.embeds,
            toc: &e.toc,
            summary: Summary::Inline(&e.summary),
            extra: &e.extra,
        },
    )
    .set("date", values::date(&e.date, values::lang(site)))
    .set("end_date", opt_date(&e.end_date, values::lang(site)))
    .set("place", opt_str(&e.place))
    .set(
        "actors",
        e.actors
            .iter()
            .map(|&a| v.actor_cards[a].clone())
            .collect::<Vec<_>>(),
    )
    .set(
        "questions",
        e.questions
            .iter()
            .map(|&q| v.question_cards[q].clone())
            .collect::<Vec<_>>(),
    )
    .set("source_numbers", source_numbers)
    .set_citations(cites)
    .set("backlinks", backlinks(site, v, r))
    .build()
}

/// The timeline page's values: every entry, and the entries by month.
fn timeline_page(site: &Site, v: &SiteValues, page: Obj) -> Obj {
    let mut months: Vec<(String, String, Vec<Value>)> = Vec::new();
    for (item, value) in v.timeline_items.iter().zip(&v.timeline) {
        let d = item.date();
        match months.last_mut() {
            Some(m) if m.0 == d.month_key() => m.2.push(value.clone()),
            _ => months.push((
                d.month_key(),
                d.month_label_in(values::lang(site)),
                vec![value.clone()],
            )),
        }
    }
    let months: Vec<Value> = months
        .into_iter()
        .map(|(key, label, entries)| {
            Obj::new()
                .set("key", key)
                .set("label", label)
                .set("entries", entries)
                .build()
        })
        .collect();
    page.set("entries", v.timeline.clone())
        .set("months", months)
}

/// The head of a built-in index page: from its `_index.md` when there is one.
fn intro(
    site: &Site,
    v: &SiteValues,
    folder: &'static str,
) -> (Obj, Option<String>, Option<String>) {
    match site.intros.get(folder) {
        Some(p) => (
            page_obj(site, v, folder_kind(folder), p),
            p.template.clone(),
            Some(p.path.clone()),
        ),
        None => {
            // The words the theme names these pages with (`actors`, `open_data`, ...).
            let key = match folder {
                "data" => "open_data",
                "matrix" => "stance_matrix",
                "compare" => "compare_actors",
                folder => folder,
            };
            let title = &site.words.text(key, None);
            (
                base(
                    site,
                    v,
                    Head {
                        kind: folder_kind(folder),
                        id: folder,
                        title,
                        url: &format!("/{folder}/"),
                        html: &Html::default(),
                        embeds: &[],
                        toc: &Toc::default(),
                        summary: Summary::Text(&None),
                        extra: &serde_json::json!({}),
                    },
                ),
                None,
                None,
            )
        }
    }
}

fn folder_kind(folder: &str) -> &'static str {
    match folder {
        "actors" => "actors",
        "questions" => "questions",
        "timeline" => "timeline",
        "sources" => "sources",
        "data" => "data",
        "matrix" => "matrix",
        "compare" => "compare",
        _ => "list",
    }
}

fn backlinks(site: &Site, v: &SiteValues, r: EntityRef) -> Value {
    let list: Vec<Value> = site
        .backlinks
        .get(&r)
        .map(|b| b.iter().map(|&from| v.card(from)).collect())
        .unwrap_or_default();
    Value::from(list)
}

/// The fields every page has.
struct Head<'a> {
    kind: &'static str,
    id: &'a str,
    title: &'a str,
    url: &'a str,
    html: &'a Html,
    embeds: &'a [Placed],
    toc: &'a Toc,
    summary: Summary<'a>,
    extra: &'a serde_json::Value,
}

/// A page's summary: plain text, or inline Markdown (an event's).
#[derive(Clone, Copy)]
enum Summary<'a> {
    Text(&'a Option<String>),
    Inline(&'a Option<InlineText>),
}

fn base(site: &Site, v: &SiteValues, h: Head) -> Obj {
    // `summary_text` is the plain text, for attributes and structured data.
    let (summary, summary_text) = match h.summary {
        Summary::Text(s) => {
            let text = opt_str(s);
            (text.clone(), text)
        }
        Summary::Inline(t) => (values::inline_html(t), values::inline_plain(t)),
    };
    // Every page adds a few keys to these.
    Obj::with_capacity(17)
        .set("kind", h.kind)
        .set("id", h.id)
        .set("title", h.title)
        .set("url", h.url)
        .set("permalink", site.config.permalink(h.url))
        .set("content", content(site, h.html))
        .set("embeds", embeds::values(site, v, h.embeds))
        .set("toc", h.toc.value().clone())
        .set("summary", summary)
        .set("summary_text", summary_text)
        .set("extra", json(h.extra))
}

/// A body's HTML, its Markdown images as responsive pictures.
fn content(site: &Site, html: &Html) -> Value {
    match pictures::in_html(html, &site.pictures) {
        std::borrow::Cow::Borrowed(_) => html.value().clone(),
        std::borrow::Cow::Owned(html) => Value::safe_string(&html),
    }
}

fn page_obj(site: &Site, v: &SiteValues, kind: &'static str, p: &Page) -> Obj {
    base(
        site,
        v,
        Head {
            kind,
            id: &p.id,
            title: &p.title,
            url: &p.url,
            html: &p.html,
            embeds: &p.embeds,
            toc: &p.toc,
            summary: Summary::Text(&p.summary),
            extra: &p.extra,
        },
    )
    .set("date", opt_date(&p.date, values::lang(site)))
    .set("weight", p.weight)
}

/// `page` with `translations`: the page in every language that writes it, this
/// one marked `current` (for `<link rel="alternate">` and the language switcher).
pub(super) fn with_translations(
    page: &Value,
    served: &Served,
    config: &Config,
    url: &str,
) -> Value {
    let list: Vec<Value> = served
        .alternates(url)
        .into_iter()
        .map(|(lang, name, path, current)| {
            Obj::new()
                .set("lang", lang)
                .set("name", name)
                .set("permalink", format!("{}{}", config.base_url, &path[1..]))
                .set("url", path)
                .set("current", current)
                .build()
        })
        .collect();
    let mut map = page.as_map().cloned().unwrap_or_default();
    map.insert("translations".into(), Value::from(list));
    Value::from(map)
}

/// Renders one page: its output path, its HTML, and what its templates read of
/// the shared values.
pub(super) fn render_job(
    tera: &Tera,
    site: &Site,
    theme: &Theme,
    job: &Job,
    embed_html: &EmbedHtml,
) -> Result<(String, Arc<str>, PageReads), Vec<Diagnostic>> {
    let served = &site.config.served;
    let out = output_path(&served.path(&job.url));
    begin_reads();
    let mut context = Context::new();
    context.insert_value("page", job.page.clone());
    if let Some(paginator) = job.page.get_from_path("paginator") {
        context.insert_value("paginator", paginator.clone());
    }
    let page = match &job.source {
        Some(file) => format!("`{file}`"),
        None => format!("the page `{}`", job.url),
    };
    let html = tera
        .render(&job.template, &context)
        .and_then(|html| {
            let values = job.page.get_from_path("embeds");
            embeds::expand(tera, html, values, &job.embeds, embed_html)
        })
        .map_err(|e| template_errors(&e, theme, Some(&page)))?;
    let prefix = if out == "404.html" {
        site.config.base_path.clone()
    } else {
        links::prefix_for(&out)
    };
    let read_shared = take_reads();
    Ok((
        out,
        Arc::from(links::rewrite_served_paths(&html, &prefix, served)),
        read_shared,
    ))
}
