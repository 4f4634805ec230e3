//! The resolved model: the checked site that rendering reads, with its entities
//! (actors, questions, events, pages), stances, lists, index and backlinks, and the
//! look-ups over them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::load::config::Config;
use std::sync::Arc;

use crate::load::content::{ActorKind, Asset, Date, Link};
use crate::load::i18n::Words;
use crate::resolve::markdown::{Html, InlineText, LinkTargets, Placed, Toc};

/// The folders of the built-in index pages: their `_index.md` is the page's intro,
/// not a folder list.
pub const INDEX_FOLDERS: [&str; 8] = [
    "actors",
    "questions",
    "events",
    "timeline",
    "sources",
    "data",
    "matrix",
    "compare",
];

/// The default template of each built-in index page, in the order of [`INDEX_FOLDERS`].
pub const INDEX_TEMPLATES: [&str; 8] = [
    "actors.html",
    "questions.html",
    "list.html",
    "timeline.html",
    "sources.html",
    "data.html",
    "matrix.html",
    "compare.html",
];

/// The default template of the built-in index page of `folder` (one of [`INDEX_FOLDERS`]).
pub fn index_template(folder: &str) -> &'static str {
    INDEX_FOLDERS
        .iter()
        .position(|f| *f == folder)
        .map_or("list.html", |i| INDEX_TEMPLATES[i])
}

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
    /// The shortcodes of its body, whose markers `html` holds.
    pub embeds: Arc<[Placed]>,
    pub toc: Toc,
    pub template: Option<String>,
    pub extra: serde_json::Value,
}

#[derive(Debug, Clone)]
pub struct Position {
    pub id: String,
    pub label: String,
    pub description: Option<InlineText>,
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
    /// The shortcodes of its body, whose markers `html` holds.
    pub embeds: Arc<[Placed]>,
    pub toc: Toc,
    pub template: Option<String>,
    pub extra: serde_json::Value,
}

#[derive(Debug, Clone)]
pub struct Stance {
    pub actor: usize,
    pub question: usize,
    pub position: usize,
    pub date: Date,
    pub summary: Option<InlineText>,
    pub quote: Option<String>,
    /// From `source:` (one) or `sources:`, in file order.
    pub sources: Vec<Source>,
    /// The latest-dated stance of its actor on its question.
    pub current: bool,
    /// `id` of the stance on its actor's page.
    pub anchor: String,
}

/// Where a stance or an event comes from; its title is inline Markdown.
#[derive(Debug, Clone)]
pub struct Source {
    pub title: InlineText,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub date: Option<Date>,
    pub archive_url: Option<String>,
    pub accessed: Option<Date>,
}

impl Source {
    /// The source of the front matter `meta`, its title rendered as `title`.
    pub fn from_meta(meta: &crate::load::content::Source, title: InlineText) -> Source {
        Source {
            title,
            publisher: meta.publisher.clone(),
            url: meta.url.clone(),
            date: meta.date,
            archive_url: meta.archive_url.clone(),
            accessed: meta.accessed,
        }
    }

    /// What makes two citations one source (DESIGN.md section 9): the same `url`,
    /// or, without one, the same title, publisher and date.
    pub fn identity(&self) -> (Option<&str>, &str, Option<&str>, Option<Date>) {
        match &self.url {
            Some(url) => (Some(url), "", None, None),
            None => (
                None,
                &self.title.plain,
                self.publisher.as_deref(),
                self.date,
            ),
        }
    }
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
    pub summary: Option<InlineText>,
    pub sources: Vec<Source>,
    pub html: Html,
    /// The shortcodes of its body, whose markers `html` holds.
    pub embeds: Arc<[Placed]>,
    pub toc: Toc,
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
    /// The shortcodes of its body, whose markers `html` holds.
    pub embeds: Arc<[Placed]>,
    pub toc: Toc,
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
    /// For each entity whose short texts (stance summaries, source titles, position
    /// descriptions, event summaries) link to ids, those ids: links of its file as
    /// much as its body's are.
    pub text_links: HashMap<EntityRef, BTreeSet<String>>,
    pub assets: Vec<Asset>,
    /// What Markdown may link to, for rendering a body edited later (`serve`).
    pub link_targets: LinkTargets,
    /// The theme's words in the site's language.
    pub words: Arc<Words>,
    /// The raster images its pages show, with the sizes they are made in.
    pub pictures: Arc<crate::resolve::pictures::Pictures>,
}

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
    pub(super) fn backlink_order(&self, a: EntityRef, b: EntityRef) -> std::cmp::Ordering {
        self.entity_title(a)
            .cmp(self.entity_title(b))
            .then(a.cmp(&b))
    }

    /// Records that `from` links to or mentions `to` (`linked`), or no longer does,
    /// in the order [`resolve`](super::resolve) gives backlinks.
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

    /// The index in `stances` of the current stance of `actor` on `question`.
    pub fn current_stance_index(&self, actor: usize, question: usize) -> Option<usize> {
        self.actors[actor]
            .stances
            .iter()
            .copied()
            .find(|&s| self.stances[s].question == question && self.stances[s].current)
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
        self.sort_timeline(&mut items);
        items
    }

    /// Sorts `items` in the timeline's order: by date, events before stances, then
    /// by title (an event's, a stance's actor's name).
    pub fn sort_timeline(&self, items: &mut [TimelineItem]) {
        items.sort_by(|a, b| {
            a.date()
                .cmp(&b.date())
                .then_with(|| a.rank().cmp(&b.rank()))
                .then_with(|| self.item_title(a).cmp(self.item_title(b)))
        });
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
