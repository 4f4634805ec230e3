//! Resolving: turns the loaded files into one checked graph. Every reference is
//! resolved (or reported with its place), Markdown is rendered with its links, and
//! the derived views are computed: stances per actor and question, members, events,
//! backlinks, the stance matrix and the timeline.

pub mod markdown;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::load::config::Config;
use crate::load::content::{
    find_key, find_key_value, ActorKind, Asset, Content, Date, Doc, Link, PageMeta, Source,
};
use crate::resolve::markdown::{Autolinker, Html, LinkTargets, Linker, Rendered, Target};
use std::ops::Range;

/// Points at one entity of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityRef {
    Actor(usize),
    Question(usize),
    Event(usize),
    Page(usize),
}

#[derive(Debug, Clone)]
pub struct Actor {
    pub id: String,
    pub path: String,
    pub url: String,
    pub name: String,
    pub kind: ActorKind,
    pub role: Option<String>,
    pub aliases: Vec<String>,
    pub summary: Option<String>,
    pub image: Option<String>,
    pub links: Vec<Link>,
    pub affiliations: Vec<usize>,
    pub members: Vec<usize>,
    /// Indexes into `Site::stances`, by question title, then date.
    pub stances: Vec<usize>,
    pub events: Vec<usize>,
    pub html: Html,
    pub template: Option<String>,
    pub extra: serde_json::Value,
}

#[derive(Debug, Clone)]
pub struct Position {
    pub id: String,
    pub label: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Question {
    pub id: String,
    pub path: String,
    pub url: String,
    pub title: String,
    pub question: String,
    pub positions: Vec<Position>,
    pub summary: Option<String>,
    /// Indexes into `Site::stances`, by date, then actor name.
    pub stances: Vec<usize>,
    pub events: Vec<usize>,
    pub html: Html,
    pub template: Option<String>,
    pub extra: serde_json::Value,
}

#[derive(Debug, Clone)]
pub struct Stance {
    pub actor: usize,
    pub question: usize,
    pub position: usize,
    pub date: Date,
    pub summary: Option<String>,
    pub quote: Option<String>,
    pub source: Option<Source>,
    /// The latest-dated stance of its actor on its question.
    pub current: bool,
    /// `id` of the stance on its actor's page.
    pub anchor: String,
}

#[derive(Debug, Clone)]
pub struct Event {
    pub id: String,
    pub path: String,
    pub url: String,
    pub title: String,
    pub date: Date,
    pub end_date: Option<Date>,
    pub place: Option<String>,
    pub actors: Vec<usize>,
    pub questions: Vec<usize>,
    pub summary: Option<String>,
    pub html: Html,
    pub template: Option<String>,
    pub extra: serde_json::Value,
}

/// A plain page, the home page, or a folder's list page.
#[derive(Debug, Clone)]
pub struct Page {
    pub id: String,
    pub path: String,
    pub url: String,
    pub title: String,
    pub date: Option<Date>,
    pub summary: Option<String>,
    pub weight: i64,
    /// The folder below `content/` (`""` at the top).
    pub folder: String,
    pub html: Html,
    pub template: Option<String>,
    pub extra: serde_json::Value,
}

/// A folder with an `_index.md`: its intro and its pages.
#[derive(Debug, Clone)]
pub struct ListPage {
    pub page: Page,
    /// Indexes into `Site::pages`, in list order.
    pub pages: Vec<usize>,
}

/// The whole checked site: the input of rendering.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    pub actors: Vec<Actor>,
    pub questions: Vec<Question>,
    pub events: Vec<Event>,
    pub pages: Vec<Page>,
    pub lists: Vec<ListPage>,
    pub home: Page,
    /// Intros of the built-in index pages, from `actors/_index.md` etc.
    pub intros: BTreeMap<String, Page>,
    pub stances: Vec<Stance>,
    pub index: HashMap<String, EntityRef>,
    /// For each entity, the pages that link to or mention it, by title.
    pub backlinks: HashMap<EntityRef, Vec<EntityRef>>,
    pub assets: Vec<Asset>,
    /// What Markdown may link to, for rendering a body edited later (`serve`).
    pub link_targets: LinkTargets,
}

/// Folders whose `_index.md` is the intro of a built-in page, not a list page.
const BUILT_IN_FOLDERS: [&str; 4] = ["actors", "questions", "events", "timeline"];

impl Site {
    pub fn entity_id(&self, r: EntityRef) -> &str {
        match r {
            EntityRef::Actor(i) => &self.actors[i].id,
            EntityRef::Question(i) => &self.questions[i].id,
            EntityRef::Event(i) => &self.events[i].id,
            EntityRef::Page(i) => &self.pages[i].id,
        }
    }

    pub fn entity_title(&self, r: EntityRef) -> &str {
        match r {
            EntityRef::Actor(i) => &self.actors[i].name,
            EntityRef::Question(i) => &self.questions[i].title,
            EntityRef::Event(i) => &self.events[i].title,
            EntityRef::Page(i) => &self.pages[i].title,
        }
    }

    pub fn entity_url(&self, r: EntityRef) -> &str {
        match r {
            EntityRef::Actor(i) => &self.actors[i].url,
            EntityRef::Question(i) => &self.questions[i].url,
            EntityRef::Event(i) => &self.events[i].url,
            EntityRef::Page(i) => &self.pages[i].url,
        }
    }

    /// The order of the pages that link to an entity: by title.
    fn backlink_order(&self, a: EntityRef, b: EntityRef) -> std::cmp::Ordering {
        self.entity_title(a)
            .cmp(self.entity_title(b))
            .then(a.cmp(&b))
    }

    /// Records that `from` links to or mentions `to` (`linked`), or no longer does,
    /// in the order [`resolve`] gives backlinks.
    pub fn set_backlink(&mut self, to: EntityRef, from: EntityRef, linked: bool) {
        let list = self.backlinks.get(&to).map(Vec::as_slice).unwrap_or(&[]);
        let found = list.binary_search_by(|x| self.backlink_order(*x, from));
        match (found, linked) {
            (Err(at), true) => self.backlinks.entry(to).or_default().insert(at, from),
            (Ok(at), false) => {
                if let Some(list) = self.backlinks.get_mut(&to) {
                    list.remove(at);
                    if list.is_empty() {
                        self.backlinks.remove(&to);
                    }
                }
            }
            _ => {}
        }
    }

    /// The current stance of `actor` on `question`, if any.
    pub fn current_stance(&self, actor: usize, question: usize) -> Option<&Stance> {
        self.actors[actor]
            .stances
            .iter()
            .map(|&s| &self.stances[s])
            .find(|s| s.question == question && s.current)
    }

    /// Events and stances merged in date order (events first on equal dates).
    pub fn timeline(&self) -> Vec<TimelineItem> {
        let mut items: Vec<TimelineItem> = self
            .events
            .iter()
            .enumerate()
            .map(|(i, e)| TimelineItem::Event(i, e.date))
            .chain(
                self.stances
                    .iter()
                    .enumerate()
                    .map(|(i, s)| TimelineItem::Stance(i, s.date)),
            )
            .collect();
        items.sort_by(|a, b| {
            a.date()
                .cmp(&b.date())
                .then_with(|| a.rank().cmp(&b.rank()))
                .then_with(|| self.item_title(a).cmp(self.item_title(b)))
        });
        items
    }

    fn item_title(&self, item: &TimelineItem) -> &str {
        match *item {
            TimelineItem::Event(i, _) => &self.events[i].title,
            TimelineItem::Stance(i, _) => &self.actors[self.stances[i].actor].name,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimelineItem {
    Event(usize, Date),
    Stance(usize, Date),
}

impl TimelineItem {
    pub fn date(&self) -> Date {
        match *self {
            TimelineItem::Event(_, d) | TimelineItem::Stance(_, d) => d,
        }
    }

    fn rank(&self) -> u8 {
        match self {
            TimelineItem::Event(..) => 0,
            TimelineItem::Stance(..) => 1,
        }
    }
}

/// Markdown output kept from earlier builds. [`resolve`] tells it the link targets
/// of the build, asks it for each body's output, and says when all are done.
pub trait BodyReuse: Send + Sync {
    /// Starts a build whose link targets are `linker`, its autolinker made from the
    /// actor `names` (id, name or alias).
    fn begin(&mut self, linker: &Linker, names: &[(String, String)]);
    /// The output for one body: a kept one when nothing it depends on changed, else
    /// `render()`'s.
    fn body(
        &self,
        path: &str,
        text: &Arc<str>,
        body: Range<usize>,
        id: Option<&str>,
        render: impl FnOnce() -> Rendered,
    ) -> Arc<Rendered>;
    /// Ends the build: its bodies are the ones to keep.
    fn finish(&mut self);
}

/// No reuse: every body is rendered.
impl BodyReuse for () {
    fn begin(&mut self, _: &Linker, _: &[(String, String)]) {}
    fn body(
        &self,
        _: &str,
        _: &Arc<str>,
        _: Range<usize>,
        _: Option<&str>,
        render: impl FnOnce() -> Rendered,
    ) -> Arc<Rendered> {
        Arc::new(render())
    }
    fn finish(&mut self) {}
}

/// A stage borrows the reuse a session keeps.
impl<T: BodyReuse> BodyReuse for &mut T {
    fn begin(&mut self, linker: &Linker, names: &[(String, String)]) {
        (**self).begin(linker, names)
    }
    fn body(
        &self,
        path: &str,
        text: &Arc<str>,
        body: Range<usize>,
        id: Option<&str>,
        render: impl FnOnce() -> Rendered,
    ) -> Arc<Rendered> {
        (**self).body(path, text, body, id, render)
    }
    fn finish(&mut self) {
        (**self).finish()
    }
}

/// What resolving gives: the site, when there was no error, and every error and
/// warning found.
#[derive(Debug)]
pub struct Resolved {
    pub site: Option<Site>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Resolves `content` into a [`Site`], taking the Markdown output of unchanged
/// bodies from `bodies`.
pub fn resolve(config: Config, content: Content, bodies: &mut impl BodyReuse) -> Resolved {
    let (site, diagnostics) = resolve_parts(config, content, bodies);
    Resolved { site, diagnostics }
}

fn resolve_parts(
    config: Config,
    content: Content,
    memo: &mut impl BodyReuse,
) -> (Option<Site>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let Content {
        mut actors,
        mut questions,
        mut events,
        mut pages,
        mut indexes,
        assets,
        drafts,
        broken,
    } = content;
    actors.sort_by(|a, b| a.id.cmp(&b.id));
    questions.sort_by(|a, b| a.id.cmp(&b.id));
    events.sort_by(|a, b| a.id.cmp(&b.id));
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    indexes.sort_by(|a, b| a.path.cmp(&b.path));

    // Ids are unique across the whole site.
    let mut first_file: BTreeMap<&str, &str> = BTreeMap::new();
    let mut all: Vec<(&str, &str, &str)> = Vec::new();
    all.extend(
        actors
            .iter()
            .map(|d| (d.id.as_str(), d.path.as_str(), &*d.text)),
    );
    all.extend(
        questions
            .iter()
            .map(|d| (d.id.as_str(), d.path.as_str(), &*d.text)),
    );
    all.extend(
        events
            .iter()
            .map(|d| (d.id.as_str(), d.path.as_str(), &*d.text)),
    );
    all.extend(
        pages
            .iter()
            .map(|d| (d.id.as_str(), d.path.as_str(), &*d.text)),
    );
    all.sort_by(|a, b| a.1.cmp(b.1));
    for (id, path, _) in &all {
        if let Some(first) = first_file.get(id) {
            diags.push(
                Diagnostic::error(format!("duplicate id `{id}`: `{first}` and `{path}`"))
                    .in_file(*path)
                    .at(0..0)
                    .label(format!("this file's id is `{id}`, like `{first}`"))
                    .help("ids come from file names and must be unique across the whole site: rename one of the files"),
            );
        } else {
            first_file.insert(id, path);
        }
    }
    if diags.iter().any(Diagnostic::is_error) {
        return (None, diags);
    }

    let actor_ix: HashMap<&str, usize> = actors
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    let question_ix: HashMap<&str, usize> = questions
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();

    // Link targets for Markdown.
    let mut ids: HashMap<String, Target> = HashMap::new();
    let mut files: HashMap<String, Target> = HashMap::new();
    let mut add = |id: &str, path: &str, url: &str, title: &str| {
        let t = Target {
            id: id.to_string(),
            url: url.to_string(),
            title: title.to_string(),
        };
        ids.insert(id.to_string(), t.clone());
        files.insert(path.to_string(), t);
    };
    for d in &actors {
        add(&d.id, &d.path, &d.url, &d.meta.name);
    }
    for d in &questions {
        add(&d.id, &d.path, &d.url, &d.meta.title);
    }
    for d in &events {
        add(&d.id, &d.path, &d.url, &d.meta.title);
    }
    for d in &pages {
        add(
            &d.id,
            &d.path,
            &d.url,
            d.meta.title.as_deref().unwrap_or(&d.id),
        );
    }
    for d in &indexes {
        let title = index_title(&config, d);
        files.insert(
            d.path.clone(),
            Target {
                id: String::new(),
                url: d.url.clone(),
                title,
            },
        );
    }

    // Actor names and aliases, for the autolinker.
    let names: Vec<(String, String)> = actors
        .iter()
        .flat_map(|d| {
            std::iter::once((d.id.clone(), d.meta.name.clone()))
                .chain(d.meta.aliases.iter().map(|a| (d.id.clone(), a.clone())))
        })
        .filter(|(_, n)| !n.trim().is_empty())
        .collect();
    let link_targets = LinkTargets {
        ids,
        files,
        drafts,
        broken,
        autolinker: Autolinker::new(&names),
        mode: config.autolink,
    };

    // Front-matter references.
    let refs = RefCheck {
        ids: &link_targets.ids,
        drafts: &link_targets.drafts,
        broken: &link_targets.broken,
    };
    let mut affiliations = vec![Vec::new(); actors.len()];
    let mut stances: Vec<Stance> = Vec::new();
    for (ai, d) in actors.iter().enumerate() {
        let mut seen = Occurrences::default();
        for aff in &d.meta.affiliations {
            let place = seen.next("affiliations", aff);
            match actor_ix.get(aff.as_str()) {
                Some(&i) if i == ai => diags.push(
                    Diagnostic::error(format!("`{aff}` lists itself in its affiliations"))
                        .in_file(&d.path)
                        .at_opt(place.span(d))
                        .help("remove it from `affiliations`"),
                ),
                Some(&i) => affiliations[ai].push(i),
                None => {
                    diags.extend(refs.unknown(d, place.span(d), aff, "affiliation", Some("actor")))
                }
            }
        }
        for s in &d.meta.stances {
            // Every stance advances the counters, so that the n-th stance naming a
            // question points at the n-th `question:` with that id.
            let question_place = seen.next("question", &s.question);
            let position_place = seen.next("position", &s.position);
            let Some(&qi) = question_ix.get(s.question.as_str()) else {
                diags.extend(refs.unknown(
                    d,
                    question_place.span(d),
                    &s.question,
                    "question",
                    Some("question"),
                ));
                continue;
            };
            let q = &questions[qi].meta;
            let Some(pi) = q.positions.iter().position(|p| p.id == s.position) else {
                let mut ids: Vec<&str> = Vec::new();
                for p in &q.positions {
                    if !ids.contains(&p.id.as_str()) {
                        ids.push(&p.id);
                    }
                }
                diags.push(
                    Diagnostic::error(format!(
                        "`{}` is not a position of the question `{}`",
                        s.position, s.question
                    ))
                    .in_file(&d.path)
                    .at_opt(position_place.span(d))
                    .label("unknown position")
                    .help(
                        did_you_mean(&s.position, ids.iter().copied()).unwrap_or_else(|| {
                            format!(
                                "the positions of `{}` are {}",
                                s.question,
                                ids.iter()
                                    .map(|i| format!("`{i}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )
                        }),
                    ),
                );
                continue;
            };
            if s.source.is_none() {
                diags.push(
                    Diagnostic::warning(format!("a stance on `{}` has no source", s.question))
                        .in_file(&d.path)
                        .at_opt(question_place.span(d))
                        .label("this stance has no `source`")
                        .help(
                            "add `source: {title: \"...\", url: \"...\"}` so readers can check it",
                        ),
                );
            }
            stances.push(Stance {
                actor: ai,
                question: qi,
                position: pi,
                date: s.date,
                summary: s.summary.clone(),
                quote: s.quote.clone(),
                source: s.source.clone(),
                current: false,
                anchor: String::new(),
            });
        }
    }
    for d in &questions {
        let positions = &d.meta.positions;
        if positions.len() < 2 {
            diags.push(
                Diagnostic::error(format!(
                    "the question `{}` has {} position{}; it needs at least two",
                    d.id,
                    positions.len(),
                    if positions.len() == 1 { "" } else { "s" }
                ))
                .in_file(&d.path)
                .at_opt(find_key(&d.text, &d.front_matter, "positions", 0))
                .help("list the answers in scale order, e.g. `- {id: support, label: \"Yes\"}` and `- {id: oppose, label: \"No\"}`"),
            );
        }
        let mut seen_ids = BTreeSet::new();
        let mut seen = Occurrences::default();
        for p in positions {
            let place = seen.next("id", &p.id);
            if !seen_ids.insert(p.id.as_str()) {
                diags.push(
                    Diagnostic::error(format!("duplicate position id `{}`", p.id))
                        .in_file(&d.path)
                        .at_opt(place.span(d))
                        .help("each position of a question needs its own id"),
                );
            } else if !crate::load::content::is_valid_id(&p.id) {
                diags.push(
                    Diagnostic::error(format!("the position id `{}` is not a valid id", p.id))
                        .in_file(&d.path)
                        .at_opt(place.span(d))
                        .help(format!(
                            "use lowercase letters, digits and `-`, e.g. `{}`",
                            crate::load::content::slugify(&p.id)
                        )),
                );
            }
        }
    }
    let mut event_actors = vec![Vec::new(); events.len()];
    let mut event_questions = vec![Vec::new(); events.len()];
    for (ei, d) in events.iter().enumerate() {
        let mut seen = Occurrences::default();
        for a in &d.meta.actors {
            let place = seen.next("actors", a);
            match actor_ix.get(a.as_str()) {
                Some(&i) => event_actors[ei].push(i),
                None => diags.extend(refs.unknown(d, place.span(d), a, "actor", Some("actor"))),
            }
        }
        for q in &d.meta.questions {
            let place = seen.next("questions", q);
            match question_ix.get(q.as_str()) {
                Some(&i) => event_questions[ei].push(i),
                None => {
                    diags.extend(refs.unknown(d, place.span(d), q, "question", Some("question")))
                }
            }
        }
        if let Some(end) = d.meta.end_date {
            if end < d.meta.date {
                diags.push(
                    Diagnostic::error(format!("`end_date` {end} is before `date` {}", d.meta.date))
                        .in_file(&d.path)
                        .at_opt(
                            find_key_value(
                                &d.text,
                                &d.front_matter,
                                "end_date",
                                &end.to_string(),
                                0,
                            )
                            .or_else(|| find_key(&d.text, &d.front_matter, "end_date", 0)),
                        )
                        .help("swap the two dates, or remove `end_date`"),
                );
            }
        }
    }

    // Markdown bodies, in parallel: each is independent once the targets are known.
    let linker = link_targets.linker();
    memo.begin(&linker, &names);
    let cache = &*memo;
    let render = |path: &str, text: &Arc<str>, body: std::ops::Range<usize>, id: Option<&str>| {
        cache.body(path, text, body.clone(), id, || {
            markdown::render(path, text, body, id, &linker)
        })
    };
    let actor_md: Vec<_> = actors
        .par_iter()
        .map(|d| render(&d.path, &d.text, d.body.clone(), Some(&d.id)))
        .collect();
    let question_md: Vec<_> = questions
        .par_iter()
        .map(|d| render(&d.path, &d.text, d.body.clone(), Some(&d.id)))
        .collect();
    let event_md: Vec<_> = events
        .par_iter()
        .map(|d| render(&d.path, &d.text, d.body.clone(), Some(&d.id)))
        .collect();
    let page_md: Vec<_> = pages
        .par_iter()
        .map(|d| render(&d.path, &d.text, d.body.clone(), Some(&d.id)))
        .collect();
    let index_md: Vec<_> = indexes
        .par_iter()
        .map(|d| render(&d.path, &d.text, d.body.clone(), None))
        .collect();
    memo.finish();
    for r in actor_md
        .iter()
        .chain(&question_md)
        .chain(&event_md)
        .chain(&page_md)
        .chain(&index_md)
    {
        diags.extend(r.diagnostics.iter().cloned());
    }
    if diags.iter().any(Diagnostic::is_error) {
        return (None, diags);
    }

    // Build the entities.
    let mut site_actors: Vec<Actor> = actors
        .iter()
        .zip(&actor_md)
        .zip(affiliations)
        .map(|((d, md), affiliations)| Actor {
            id: d.id.clone(),
            path: d.path.clone(),
            url: d.url.clone(),
            name: d.meta.name.clone(),
            kind: d.meta.kind,
            role: d.meta.role.clone(),
            aliases: d.meta.aliases.clone(),
            summary: d.meta.summary.clone(),
            image: d.meta.image.clone(),
            links: d.meta.links.clone(),
            affiliations,
            members: Vec::new(),
            stances: Vec::new(),
            events: Vec::new(),
            html: md.html.clone(),
            template: d.meta.template.clone(),
            extra: extra(&d.meta.extra),
        })
        .collect();
    let mut site_questions: Vec<Question> = questions
        .iter()
        .zip(&question_md)
        .map(|(d, md)| Question {
            id: d.id.clone(),
            path: d.path.clone(),
            url: d.url.clone(),
            title: d.meta.title.clone(),
            question: d.meta.question.clone(),
            positions: d
                .meta
                .positions
                .iter()
                .map(|p| Position {
                    id: p.id.clone(),
                    label: p.label.clone(),
                    description: p.description.clone(),
                })
                .collect(),
            summary: d.meta.summary.clone(),
            stances: Vec::new(),
            events: Vec::new(),
            html: md.html.clone(),
            template: d.meta.template.clone(),
            extra: extra(&d.meta.extra),
        })
        .collect();
    let site_events: Vec<Event> = events
        .iter()
        .zip(&event_md)
        .zip(event_actors.into_iter().zip(event_questions))
        .map(|((d, md), (actors, questions))| Event {
            id: d.id.clone(),
            path: d.path.clone(),
            url: d.url.clone(),
            title: d.meta.title.clone(),
            date: d.meta.date,
            end_date: d.meta.end_date,
            place: d.meta.place.clone(),
            actors,
            questions,
            summary: d.meta.summary.clone(),
            html: md.html.clone(),
            template: d.meta.template.clone(),
            extra: extra(&d.meta.extra),
        })
        .collect();
    let site_pages: Vec<Page> = pages
        .iter()
        .zip(&page_md)
        .map(|(d, md)| page_from(d, d.meta.title.clone().unwrap_or_default(), md.html.clone()))
        .collect();

    // Stances: sorted by actor, question, date; the last of each pair is current.
    stances.sort_by_key(|s| (s.actor, s.question, s.date));
    let mut anchors_used: HashMap<(usize, String), usize> = HashMap::new();
    for i in 0..stances.len() {
        let next_same = stances
            .get(i + 1)
            .is_some_and(|n| n.actor == stances[i].actor && n.question == stances[i].question);
        stances[i].current = !next_same;
        let base = format!(
            "stance-{}-{}",
            site_questions[stances[i].question].id, stances[i].date
        );
        let n = anchors_used
            .entry((stances[i].actor, base.clone()))
            .or_insert(0);
        *n += 1;
        stances[i].anchor = if *n == 1 { base } else { format!("{base}-{n}") };
    }
    for (i, s) in stances.iter().enumerate() {
        site_actors[s.actor].stances.push(i);
        site_questions[s.question].stances.push(i);
    }
    for a in &mut site_actors {
        a.stances.sort_by(|&x, &y| {
            let (sx, sy) = (&stances[x], &stances[y]);
            site_questions[sx.question]
                .title
                .cmp(&site_questions[sy.question].title)
                .then(sx.date.cmp(&sy.date))
        });
    }
    for q in &mut site_questions {
        q.stances.sort_by(|&x, &y| {
            let (sx, sy) = (&stances[x], &stances[y]);
            sx.date
                .cmp(&sy.date)
                .then_with(|| site_actors[sx.actor].name.cmp(&site_actors[sy.actor].name))
        });
    }
    for ai in 0..site_actors.len() {
        for aff in site_actors[ai].affiliations.clone() {
            site_actors[aff].members.push(ai);
        }
    }
    for a in &mut site_actors {
        a.members.sort_by_key(|&m| actors[m].meta.name.clone());
    }
    let mut by_date: Vec<usize> = (0..site_events.len()).collect();
    by_date.sort_by(|&a, &b| {
        site_events[a]
            .date
            .cmp(&site_events[b].date)
            .then(site_events[a].title.cmp(&site_events[b].title))
    });
    for &ei in &by_date {
        for &a in &site_events[ei].actors {
            site_actors[a].events.push(ei);
        }
        for &q in &site_events[ei].questions {
            site_questions[q].events.push(ei);
        }
    }

    // Home, built-in intros and folder list pages.
    let mut home = None;
    let mut intros = BTreeMap::new();
    let mut lists = Vec::new();
    for (d, md) in indexes.iter().zip(&index_md) {
        let page = page_from(d, index_title(&config, d), md.html.clone());
        if d.id.is_empty() {
            home = Some(page);
        } else if BUILT_IN_FOLDERS.contains(&d.id.as_str()) {
            intros.insert(d.id.clone(), page);
        } else {
            let mut members: Vec<usize> = site_pages
                .iter()
                .enumerate()
                .filter(|(_, p)| p.folder == d.id)
                .map(|(i, _)| i)
                .collect();
            members.sort_by(|&a, &b| {
                let (pa, pb) = (&site_pages[a], &site_pages[b]);
                pa.weight
                    .cmp(&pb.weight)
                    .then(pb.date.cmp(&pa.date))
                    .then_with(|| pa.title.cmp(&pb.title))
            });
            lists.push(ListPage {
                page,
                pages: members,
            });
        }
    }
    let home = home.unwrap_or_else(|| Page {
        id: String::new(),
        path: String::new(),
        url: "/".into(),
        title: config.title.clone(),
        date: None,
        summary: config.description.clone(),
        weight: 0,
        folder: String::new(),
        html: Html::default(),
        template: None,
        extra: serde_json::json!({}),
    });

    // Index and backlinks.
    let mut index = HashMap::new();
    for (i, a) in site_actors.iter().enumerate() {
        index.insert(a.id.clone(), EntityRef::Actor(i));
    }
    for (i, q) in site_questions.iter().enumerate() {
        index.insert(q.id.clone(), EntityRef::Question(i));
    }
    for (i, e) in site_events.iter().enumerate() {
        index.insert(e.id.clone(), EntityRef::Event(i));
    }
    for (i, p) in site_pages.iter().enumerate() {
        index.insert(p.id.clone(), EntityRef::Page(i));
    }
    let mut backlinks: HashMap<EntityRef, Vec<EntityRef>> = HashMap::new();
    let sources = actor_md
        .iter()
        .enumerate()
        .map(|(i, r)| (EntityRef::Actor(i), r))
        .chain(
            question_md
                .iter()
                .enumerate()
                .map(|(i, r)| (EntityRef::Question(i), r)),
        )
        .chain(
            event_md
                .iter()
                .enumerate()
                .map(|(i, r)| (EntityRef::Event(i), r)),
        )
        .chain(
            page_md
                .iter()
                .enumerate()
                .map(|(i, r)| (EntityRef::Page(i), r)),
        );
    for (from, r) in sources {
        for id in r.links.iter().chain(&r.mentions) {
            if let Some(&to) = index.get(id) {
                if to != from {
                    backlinks.entry(to).or_default().push(from);
                }
            }
        }
    }

    let mut site = Site {
        config,
        actors: site_actors,
        questions: site_questions,
        events: site_events,
        pages: site_pages,
        lists,
        home,
        intros,
        stances,
        index,
        backlinks: HashMap::new(),
        assets,
        link_targets,
    };
    // Sorting every entity once by title, then each list by that rank, compares
    // each title a few times instead of once per backlink and comparison.
    let mut all: Vec<EntityRef> = site.index.values().copied().collect();
    all.par_sort_unstable_by(|a, b| site.backlink_order(*a, *b));
    // By kind, then index: looked up for every comparison, so no hashing.
    let mut ranks = [
        vec![0; site.actors.len()],
        vec![0; site.questions.len()],
        vec![0; site.events.len()],
        vec![0; site.pages.len()],
    ];
    let slot = |r: EntityRef| match r {
        EntityRef::Actor(i) => (0, i),
        EntityRef::Question(i) => (1, i),
        EntityRef::Event(i) => (2, i),
        EntityRef::Page(i) => (3, i),
    };
    for (rank, r) in all.into_iter().enumerate() {
        let (kind, i) = slot(r);
        ranks[kind][i] = rank;
    }
    site.backlinks = backlinks
        .into_par_iter()
        .map(|(k, mut v)| {
            v.sort_unstable_by_key(|r| {
                let (kind, i) = slot(*r);
                ranks[kind][i]
            });
            v.dedup();
            (k, v)
        })
        .collect();

    diags.extend(warnings(
        &site, &actors, &questions, &pages, &index_md, &page_md,
    ));
    (Some(site), diags)
}

/// Content that builds but is probably unfinished.
fn warnings(
    site: &Site,
    actors: &[Arc<Doc<crate::load::content::ActorMeta>>],
    questions: &[Arc<Doc<crate::load::content::QuestionMeta>>],
    pages: &[Arc<Doc<PageMeta>>],
    index_md: &[Arc<markdown::Rendered>],
    page_md: &[Arc<markdown::Rendered>],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (a, d) in site.actors.iter().zip(actors) {
        if a.stances.is_empty() {
            out.push(
                Diagnostic::warning(format!("the actor `{}` has no stances", a.id))
                    .in_file(&a.path)
                    .at_opt(find_key(&d.text, &d.front_matter, "name", 0))
                    .label("no stance on any question")
                    .help("add a `stances:` list, or leave it if this actor only gives context"),
            );
        }
    }
    for (q, d) in site.questions.iter().zip(questions) {
        if q.stances.is_empty() {
            out.push(
                Diagnostic::warning(format!("nobody has a stance on the question `{}`", q.id))
                    .in_file(&q.path)
                    .at_opt(find_key(&d.text, &d.front_matter, "title", 0))
                    .label("no actor takes a position on this question")
                    .help(format!(
                        "add a stance with `question: {}` to an actor",
                        q.id
                    )),
            );
        }
    }
    // Pages reachable from the navigation (top level) or a list page are linked.
    let mut linked: BTreeSet<&str> = BTreeSet::new();
    for r in index_md.iter().chain(page_md) {
        linked.extend(r.links.iter().map(String::as_str));
    }
    // A set: asking every list for every page would grow with the square of the site.
    let listed_pages: BTreeSet<usize> = site
        .lists
        .iter()
        .flat_map(|l| l.pages.iter().copied())
        .collect();
    for (i, (p, d)) in site.pages.iter().zip(pages).enumerate() {
        let listed = listed_pages.contains(&i);
        let in_nav = p.folder.is_empty();
        let backlinked = site
            .backlinks
            .get(&EntityRef::Page(i))
            .is_some_and(|b| !b.is_empty());
        if !listed && !in_nav && !backlinked && !linked.contains(p.id.as_str()) {
            out.push(
                Diagnostic::warning(format!("nothing links to the page `{}`", p.id))
                    .in_file(&p.path)
                    .at_opt(find_key(&d.text, &d.front_matter, "title", 0))
                    .label("this page is not in the navigation, a list or a link")
                    .help(format!(
                        "link to it with `[[{}]]`, or add `content/{}/_index.md` to list its folder",
                        p.id, p.folder
                    )),
            );
        }
    }
    out
}

fn index_title(config: &Config, d: &Doc<PageMeta>) -> String {
    d.meta.title.clone().unwrap_or_else(|| {
        if d.id.is_empty() {
            config.title.clone()
        } else {
            let last = d.id.rsplit('/').next().unwrap_or(&d.id);
            let mut t = last.replace('-', " ");
            if let Some(first) = t.get(..1) {
                t = first.to_uppercase() + &t[1..];
            }
            t
        }
    })
}

fn page_from(d: &Doc<PageMeta>, title: String, html: Html) -> Page {
    let folder = if d.path.ends_with("/_index.md") || d.path == "content/_index.md" {
        d.id.clone()
    } else {
        d.path
            .trim_start_matches("content/")
            .rsplit_once('/')
            .map_or(String::new(), |(f, _)| f.to_string())
    };
    Page {
        id: d.id.clone(),
        path: d.path.clone(),
        url: d.url.clone(),
        title,
        date: d.meta.date,
        summary: d.meta.summary.clone(),
        weight: d.meta.weight,
        folder,
        html,
        template: d.meta.template.clone(),
        extra: extra(&d.meta.extra),
    }
}

fn extra(v: &Option<serde_json::Value>) -> serde_json::Value {
    v.clone().unwrap_or_else(|| serde_json::json!({}))
}

/// Counts how often each value was already given for a key in a file, so that
/// repeated values point at successive occurrences.
#[derive(Default)]
struct Occurrences<'a> {
    counts: HashMap<(&'static str, &'a str), usize>,
}

impl<'a> Occurrences<'a> {
    /// The next place where `value` is given for `key`.
    fn next(&mut self, key: &'static str, value: &'a str) -> Place<'a> {
        let n = self.counts.entry((key, value)).or_insert(0);
        let place = Place { key, value, n: *n };
        *n += 1;
        place
    }
}

/// The `n`-th time `value` is given for `key` in a file's front matter. Found in
/// the text only when a diagnostic points at it: most references are fine.
#[derive(Clone, Copy)]
struct Place<'a> {
    key: &'static str,
    value: &'a str,
    n: usize,
}

impl Place<'_> {
    fn span<M>(&self, d: &Doc<M>) -> Option<std::ops::Range<usize>> {
        find_key_value(&d.text, &d.front_matter, self.key, self.value, self.n)
    }
}

struct RefCheck<'a> {
    ids: &'a HashMap<String, Target>,
    drafts: &'a BTreeMap<String, String>,
    broken: &'a BTreeMap<String, String>,
}

impl RefCheck<'_> {
    /// The error for an id in front matter that names nothing; none when it names
    /// a file that failed to load (that file's error is the one to fix).
    fn unknown<M>(
        &self,
        d: &Doc<M>,
        span: Option<std::ops::Range<usize>>,
        id: &str,
        what: &str,
        kind: Option<&str>,
    ) -> Option<Diagnostic> {
        if self.broken.contains_key(id) {
            return None;
        }
        if let Some(file) = self.drafts.get(id) {
            return Some(
                Diagnostic::error(format!("the {what} `{id}` is a draft"))
                    .in_file(&d.path)
                    .at_opt(span)
                    .help(format!(
                        "publish `{file}` (remove `draft: true`) or build with `--drafts`"
                    )),
            );
        }
        let prefix = kind.map(|k| format!("{k}s/")).unwrap_or_default();
        // Files that failed to load still have the ids their authors meant.
        let candidates = self
            .ids
            .iter()
            .filter(|(_, t)| t.url.starts_with(&format!("/{prefix}")))
            .map(|(k, _)| k.as_str())
            .chain(
                self.broken
                    .iter()
                    .filter(|(id, path)| {
                        crate::load::content::is_valid_id(id)
                            && path.starts_with(&format!("content/{prefix}"))
                    })
                    .map(|(k, _)| k.as_str()),
            );
        Some(
            Diagnostic::error(format!("unknown {what} `{id}`"))
                .in_file(&d.path)
                .at_opt(span)
                .label(format!("no {} has this id", kind.unwrap_or("entity")))
                .help_opt(did_you_mean(id, candidates).or_else(|| {
                    kind.map(|k| format!("create `content/{k}s/{id}.md`, or check the id"))
                })),
        )
    }
}
