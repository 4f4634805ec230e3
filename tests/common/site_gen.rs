//! A seeded model of a whole site, for `tests/rebuild_property.rs`: actors, questions,
//! events, plain pages, `_index.md` files, static files, templates and `site.yaml`,
//! rendered to the files of a site folder. Edits change the model; the files it
//! renders before and after say what changed on disk. The model also knows what is
//! referenced by what, so that edits keep the site valid unless they mean to break
//! it, and which bodies link to what, so that the test knows how a rebuild must go.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// splitmix64: small, fast, and the same everywhere.
#[derive(Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5bd1_e995_1234_5678)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// One of `items`, or `None` when there is none.
    pub fn choose<T: Clone>(&mut self, items: &[T]) -> Option<T> {
        (!items.is_empty()).then(|| items[self.below(items.len())].clone())
    }

    /// Up to `k` distinct items, in the order drawn.
    pub fn some<T: Clone + PartialEq>(&mut self, items: &[T], k: usize) -> Vec<T> {
        let mut out: Vec<T> = Vec::new();
        let k = k.min(items.len());
        while out.len() < k {
            let x = self.pick(items);
            if !out.contains(x) {
                out.push(x.clone());
            }
        }
        out
    }
}

/// Made-up words are built from these: capitalised, no English word of the filler
/// text matches them, so actor names are found in prose only where put.
const SYLLABLES: [&str; 40] = [
    "vel", "kor", "tan", "mir", "dov", "sha", "lek", "bru", "zan", "qui", "rho", "fen", "gal",
    "hux", "jor", "kal", "lum", "nav", "oth", "pry", "ris", "sov", "tek", "urm", "vad", "wex",
    "yol", "zir", "bex", "cav", "dru", "esk", "fay", "gim", "hol", "ivo", "jun", "kez", "lor",
    "mav",
];

const FIRST_NAMES: [&str; 24] = [
    "Ada", "Bela", "Cato", "Dara", "Emil", "Fenna", "Goran", "Hana", "Ilse", "Jonas", "Kira",
    "Lev", "Mara", "Nils", "Oona", "Pavel", "Quinn", "Rosa", "Soren", "Tove", "Ugo", "Vera", "Wim",
    "Xenia",
];

const ORG_SUFFIXES: [&str; 4] = ["Council", "Union", "Alliance", "Institute"];
const GROUP_SUFFIXES: [&str; 3] = ["Front", "Movement", "Circle"];

const WORDS: [&str; 72] = [
    "the",
    "government",
    "said",
    "on",
    "tuesday",
    "that",
    "it",
    "would",
    "review",
    "its",
    "position",
    "after",
    "weeks",
    "of",
    "pressure",
    "from",
    "allies",
    "and",
    "critics",
    "in",
    "parliament",
    "officials",
    "argued",
    "a",
    "change",
    "could",
    "widen",
    "conflict",
    "while",
    "others",
    "warned",
    "delay",
    "carried",
    "risks",
    "decision",
    "followed",
    "talks",
    "between",
    "ministers",
    "at",
    "summit",
    "where",
    "several",
    "leaders",
    "called",
    "for",
    "clearer",
    "rules",
    "use",
    "weapons",
    "near",
    "border",
    "analysts",
    "noted",
    "policy",
    "has",
    "shifted",
    "gradually",
    "since",
    "spring",
    "as",
    "lines",
    "moved",
    "new",
    "budget",
    "vote",
    "expected",
    "next",
    "month",
    "public",
    "opinion",
    "remains",
];

const TOPICS: [(&str, &str); 10] = [
    ("tolls", "Bridge tolls"),
    ("budget", "The budget"),
    ("strikes", "Strikes across the border"),
    ("tariffs", "Import tariffs"),
    ("sanctions", "Sanctions"),
    ("aid", "Military aid"),
    ("ceasefire", "A ceasefire"),
    ("elections", "Early elections"),
    ("pipeline", "The pipeline"),
    ("reform", "Pension reform"),
];

/// Positions, in scale order.
const POSITIONS: [(&str, &str); 5] = [
    ("support", "Yes"),
    ("limited", "Only in limited cases"),
    ("undecided", "Undecided"),
    ("oppose", "No"),
    ("reject", "Never"),
];

const PAGE_WORDS: [&str; 8] = [
    "reading",
    "method",
    "context",
    "history",
    "glossary",
    "brief",
    "timeline-notes",
    "sources",
];

const PLACES: [&str; 6] = ["Prague", "Vilnius", "Rome", "Geneva", "Oslo", "Warsaw"];
const KINDS: [&str; 4] = ["person", "state", "organization", "group"];

/// Folders of plain pages at the start; those listed in `START_LISTS` have an
/// `_index.md` (a list page).
const START_FOLDERS: [&str; 5] = ["", "guides", "notes", "analysis", "background/history"];
const START_LISTS: [&str; 2] = ["guides", "analysis"];

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    y: u32,
    m: Option<u32>,
    d: Option<u32>,
}

impl Date {
    fn random(rng: &mut Rng) -> Date {
        let y = 2023 + rng.below(2) as u32;
        if rng.chance(8) {
            return Date {
                y,
                m: None,
                d: None,
            };
        }
        let m = Some(rng.range(1, 12) as u32);
        let d = (!rng.chance(15)).then(|| rng.range(1, 27) as u32);
        Date { y, m, d }
    }

    fn render(&self) -> String {
        match (self.m, self.d) {
            (Some(m), Some(d)) => format!("{}-{m:02}-{d:02}", self.y),
            (Some(m), None) => format!("{}-{m:02}", self.y),
            _ => format!("{}", self.y),
        }
    }

    /// A full date on or after this one, in the same month.
    fn later(&self, rng: &mut Rng) -> Option<Date> {
        let (m, d) = (self.m?, self.d?);
        Some(Date {
            y: self.y,
            m: Some(m),
            d: Some(rng.range(d as usize, 28) as u32),
        })
    }
}

/// A piece of a paragraph.
#[derive(Clone, Debug)]
pub enum Piece {
    Text(String),
    /// `[[id]]` or `[[id|text]]`.
    Wiki(String, Option<String>),
    /// `[text](relative/path/to/id.md)`, the path worked out from both files' places.
    Rel(String, String),
    /// `[text](relative/path/to/folder/_index.md)`: a list page, or the home page.
    /// Not a link to an entity: it makes no backlink.
    RelIndex(String, String),
    /// A shortcode and the ids it names (a reference to each, like a link);
    /// `true`: a block, alone on its line.
    Embed(String, Vec<String>, bool),
}

#[derive(Clone, Debug)]
pub struct Para {
    pieces: Vec<Piece>,
    heading: bool,
}

impl Para {
    fn links(&self) -> impl Iterator<Item = &String> {
        self.pieces.iter().flat_map(|p| match p {
            Piece::Wiki(id, _) | Piece::Rel(id, _) => std::slice::from_ref(id),
            Piece::Embed(_, ids, _) => ids.as_slice(),
            Piece::Text(_) | Piece::RelIndex(..) => &[],
        })
    }
}

#[derive(Clone, Debug, Default)]
pub struct Common {
    draft: bool,
    template: Option<String>,
    body: Vec<Para>,
}

#[derive(Clone, Debug)]
pub struct Stance {
    question: String,
    position: String,
    date: Date,
    summary: Option<String>,
    sources: Vec<Src>,
    /// Written as a `sources:` list, else as `source:` (then one source at most).
    list: bool,
}

/// A source of a stance or an event. URLs come from a small pool, so that some
/// sources are cited by several stances and events (one entry on `/sources/`).
#[derive(Clone, Debug)]
pub struct Src {
    title: String,
    publisher: Option<String>,
    date: Option<Date>,
    url: Option<String>,
    archive_url: Option<String>,
}

impl Src {
    /// The flow mapping of this source: `{title: ..., ...}`.
    fn render(&self) -> String {
        let mut parts = vec![format!("title: {}", q(&self.title))];
        if let Some(p) = &self.publisher {
            parts.push(format!("publisher: {}", q(p)));
        }
        if let Some(d) = &self.date {
            parts.push(format!("date: {}", d.render()));
        }
        if let Some(u) = &self.url {
            parts.push(format!("url: {}", q(u)));
        }
        if let Some(u) = &self.archive_url {
            parts.push(format!("archive_url: {}", q(u)));
        }
        format!("{{{}}}", parts.join(", "))
    }
}

#[derive(Clone, Debug)]
pub struct Actor {
    name: String,
    kind: &'static str,
    role: Option<String>,
    affiliations: Vec<String>,
    aliases: Vec<String>,
    summary: Option<String>,
    stances: Vec<Stance>,
    c: Common,
}

#[derive(Clone, Debug)]
pub struct Question {
    title: String,
    question: String,
    positions: Vec<(String, String)>,
    summary: Option<String>,
    c: Common,
}

#[derive(Clone, Debug)]
pub struct Event {
    title: String,
    date: Date,
    end_date: Option<Date>,
    place: Option<String>,
    actors: Vec<String>,
    questions: Vec<String>,
    summary: Option<String>,
    sources: Vec<Src>,
    c: Common,
}

#[derive(Clone, Debug)]
pub struct Page {
    folder: String,
    title: String,
    date: Option<Date>,
    summary: Option<String>,
    weight: Option<i64>,
    c: Common,
}

/// An `_index.md`: the home page (folder `""`), a folder's list page, or the intro
/// of a built-in index (`actors`, `events`).
#[derive(Clone, Debug)]
pub struct Index {
    title: Option<String>,
    c: Common,
}

#[derive(Clone, Debug)]
pub struct Template {
    text: String,
    /// Entity ids it asks `entity()` / `url_for()` for: they must exist.
    pins: Vec<String>,
}

/// A deliberate error, and the file it is in (which other edits leave alone until
/// it is fixed).
#[derive(Clone, Debug)]
pub enum Broken {
    /// A line of invalid YAML in a file's front matter.
    InvalidYaml(String),
    /// An unknown key in a file's front matter.
    UnknownKey(String),
    /// An actor's affiliation or an event's actor that names no actor.
    UnknownId(String),
    /// A wiki-link to nothing in the body of a file.
    WikiLink(String),
    /// A relative link to a file that does not exist.
    RelLink(String),
    /// A template that does not parse.
    TemplateSyntax(String),
    /// A value `site.yaml` does not allow.
    SiteYaml,
    /// A new page whose id another file has (the path of the new file).
    DuplicateId(String),
    /// A new Markdown file whose name is not an id.
    InvalidName(String),
    /// A file that other files link to or name, deleted (the file's path).
    Deleted(String),
}

/// What an edit did besides changing files: what the watcher reports as one path.
#[derive(Clone, Debug, Default)]
pub struct Hints {
    /// Files or folders moved (root-relative), to do with a real rename.
    pub renames: Vec<(String, String)>,
    /// Folders deleted as a whole (root-relative): reported as the folder.
    pub deleted_folders: Vec<String>,
    /// Folders made with their files (root-relative): the watcher may report the
    /// folder alone, as when a folder is moved in from elsewhere.
    pub created_folders: Vec<String>,
}

impl Hints {
    pub fn is_empty(&self) -> bool {
        self.renames.is_empty()
            && self.deleted_folders.is_empty()
            && self.created_folders.is_empty()
    }
}

/// What an edit did: its description, and what the watcher sees besides changed
/// files. `None` when the edit drawn had nothing to apply to (draw again).
pub type Edited = Option<(String, Hints)>;
type EditFn = fn(&mut Model, &mut Rng) -> Edited;

/// A file of the rendered site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    pub text: String,
    /// For Markdown under `content/`.
    pub md: Option<Md>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Md {
    /// Where the body starts: after the line that closes the front matter.
    pub body_start: usize,
    /// Ids the body links to (wiki-links and relative links).
    pub links: BTreeSet<String>,
    /// Not a draft: the build makes a page of it.
    pub page: bool,
}

#[derive(Clone, Debug)]
pub struct Model {
    pub title: String,
    description: Option<String>,
    language: &'static str,
    autolink: &'static str,
    /// `paginate:` in site.yaml; small, so that the lists have several pages.
    paginate: Option<usize>,
    /// `snapshots:` in site.yaml (full and partial dates among the stances' years).
    snapshots: &'static [&'static str],
    pub actors: BTreeMap<String, Actor>,
    pub questions: BTreeMap<String, Question>,
    pub events: BTreeMap<String, Event>,
    pub pages: BTreeMap<String, Page>,
    /// Folder (`""` for the home page) -> its `_index.md`.
    pub indexes: BTreeMap<String, Index>,
    /// Root-relative path -> text, under `static/` and `content/` (assets).
    pub statics: BTreeMap<String, String>,
    /// Name under `templates/` -> template.
    pub templates: BTreeMap<String, Template>,
    pub broken: Option<Broken>,
    /// Names and aliases actors had and no longer have: prose still mentions them.
    retired: Vec<String>,
    /// Bodies files had before an edit, to go back to.
    body_undo: Vec<(String, Vec<Para>)>,
    /// Earlier versions of the stylesheet, to go back to.
    css_undo: Vec<String>,
    counter: usize,
    /// With a second language (`languages: {uk}`): the files translated, by id
    /// (`_index:<folder>` for an `_index.md`), each with its translated title.
    pub translations: Option<BTreeMap<String, String>>,
}

/// The kind of an entity id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Actor,
    Question,
    Event,
    Page,
}

fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The ids a short text links to with `[[id]]` or `[[id|text]]`.
fn wiki_links(text: &str) -> Vec<String> {
    text.split("[[")
        .skip(1)
        .filter_map(|rest| rest.split_once("]]"))
        .map(|(link, _)| link.split('|').next().unwrap_or(link).to_string())
        .collect()
}

fn slug(s: &str) -> String {
    s.to_lowercase().replace(' ', "-")
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The relative path from the file `from` to the file `to` (both root-relative).
fn relative(from: &str, to: &str) -> String {
    let from: Vec<&str> = from.split('/').collect();
    let from = &from[..from.len() - 1];
    let to: Vec<&str> = to.split('/').collect();
    let common = from
        .iter()
        .zip(&to)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to.len() - 1);
    let mut out = "../".repeat(from.len() - common);
    out.push_str(&to[common..].join("/"));
    out
}

fn page_path(folder: &str, id: &str) -> String {
    if folder.is_empty() {
        format!("content/{id}.md")
    } else {
        format!("content/{folder}/{id}.md")
    }
}

fn index_path(folder: &str) -> String {
    if folder.is_empty() {
        "content/_index.md".into()
    } else {
        format!("content/{folder}/_index.md")
    }
}

const STYLE: &str = "/* The site's stylesheet, in place of the theme's. */\n\
body { font-family: serif; margin: 0 auto; max-width: 48rem; }\n\
.see-also { font-style: italic; }\n";

const LOGO: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">\
<circle cx=\"5\" cy=\"5\" r=\"4\" fill=\"#336\"/></svg>\n";

fn page_template(pin: &str, wording: &str) -> Template {
    Template {
        text: format!(
            "{{% extends \"base.html\" %}}\n\
             {{% block content %}}\n\
             <div class=\"wrap\">\n<article class=\"plain-page\">\n\
             <h1>{{{{ page.title }}}}</h1>\n\
             {{%- if page.summary %}}<p class=\"dek\">{{{{ page.summary }}}}</p>{{% endif %}}\n\
             <div class=\"prose\">{{{{ page.content | safe }}}}</div>\n\
             {{%- set pin = entity(id=\"{pin}\") %}}\n\
             <p class=\"see-also\"><img src=\"{{{{ asset_url(path=\"images/logo.svg\") }}}}\" alt=\"\"> \
             {wording} <a href=\"{{{{ url_for(id=\"{pin}\") }}}}\">{{{{ pin.title }}}}</a>: \
             {{%- if pin.summary %}} {{{{ pin.summary }}}}{{% endif %}}</p>\n\
             </article>\n</div>\n\
             {{% endblock content %}}\n"
        ),
        pins: vec![pin.to_string()],
    }
}

fn wide_template(wording: &str) -> Template {
    Template {
        text: format!(
            "{{% extends \"base.html\" %}}\n\
             {{% block content %}}\n\
             <div class=\"wrap wide\"><h1>{{{{ page.title }}}} ({wording})</h1>\n\
             {{{{ page.content | safe }}}}\n\
             <p>{{{{ actors() | length }}}} actors, {{{{ questions() | length }}}} questions.</p></div>\n\
             {{% endblock content %}}\n"
        ),
        pins: vec![],
    }
}

fn event_template(wording: &str) -> Template {
    Template {
        text: format!(
            "{{% extends \"base.html\" %}}\n\
             {{% block content %}}\n\
             <div class=\"wrap\"><h1>{{{{ page.title }}}}</h1>\n\
             <p class=\"meta\">{wording} {{{{ page.date.display }}}}</p>\n\
             {{{{ page.content | safe }}}}\n<ul>\n\
             {{%- for a in page.actors %}}<li><a href=\"{{{{ a.url }}}}\">{{{{ a.title }}}}</a></li>{{% endfor %}}\n\
             </ul></div>\n\
             {{% endblock content %}}\n"
        ),
        pins: vec![],
    }
}

impl Model {
    // ----- generation -----

    /// A site of about `size` pages (actors, questions, events and plain pages).
    pub fn generate(rng: &mut Rng, size: usize) -> Model {
        let mut m = Model {
            title: "Generated explainer".into(),
            description: Some("A generated site for the rebuild property test.".into()),
            language: "en",
            autolink: "first",
            paginate: [None, Some(3), Some(10)][rng.below(3)],
            snapshots: &[],
            actors: BTreeMap::new(),
            questions: BTreeMap::new(),
            events: BTreeMap::new(),
            pages: BTreeMap::new(),
            indexes: BTreeMap::new(),
            statics: BTreeMap::new(),
            templates: BTreeMap::new(),
            broken: None,
            retired: Vec::new(),
            body_undo: Vec::new(),
            css_undo: Vec::new(),
            counter: 0,
            translations: None,
        };
        if m.paginate == Some(3) {
            m.snapshots = &["2023-06-30", "2024-03"];
        }
        let questions = (size * 5 / 100).max(4);
        let actors = size * 25 / 100;
        let events = size * 15 / 100;
        let pages = size.saturating_sub(questions + actors + events).max(6);
        for _ in 0..questions {
            let (id, q) = m.new_question(rng);
            m.questions.insert(id, q);
        }
        // States and organizations first, so that people can be affiliated with them.
        for i in 0..actors {
            let kind = if i < actors / 5 {
                "state"
            } else if i < actors * 2 / 5 {
                if i % 3 == 0 {
                    "group"
                } else {
                    "organization"
                }
            } else {
                "person"
            };
            let (id, a) = m.new_actor(rng, kind);
            m.actors.insert(id, a);
        }
        for _ in 0..events {
            let (id, e) = m.new_event(rng);
            m.events.insert(id, e);
        }
        for i in 0..pages {
            let folder = START_FOLDERS[i % START_FOLDERS.len()];
            let (id, p) = m.new_page(rng, folder);
            m.pages.insert(id, p);
        }
        for folder in ["", "actors", "events"].iter().chain(&START_LISTS) {
            let title = match *folder {
                "" => Some(m.title.clone()),
                "actors" => None,
                f => Some(cap(f)),
            };
            m.indexes.insert(
                folder.to_string(),
                Index {
                    title,
                    c: Common::default(),
                },
            );
        }
        // Bodies last, so that they may link to anything.
        let paths: Vec<String> = m.md_paths();
        for path in paths {
            let n = rng.range(1, 3);
            let body: Vec<Para> = (0..n).map(|_| m.paragraph(rng, true)).collect();
            m.common_mut(&path).unwrap().body = body;
        }
        // Two folders that nothing links into (made after the bodies), which
        // edits may delete or move whole.
        for (folder, list) in [("archive", true), ("drafts-corner", false)] {
            for _ in 0..2 {
                let (id, mut p) = m.new_page(rng, folder);
                p.c.body = vec![m.paragraph(rng, true)];
                m.pages.insert(id, p);
            }
            if list {
                let body = vec![m.paragraph(rng, true)];
                let title = Some("Archive".to_string());
                m.indexes.insert(
                    folder.into(),
                    Index {
                        title,
                        c: Common {
                            body,
                            ..Common::default()
                        },
                    },
                );
            }
        }
        // A few pages use a template of the site's own.
        let page_ids: Vec<String> = m.pages.keys().cloned().collect();
        for id in rng.some(&page_ids, 3) {
            m.pages.get_mut(&id).unwrap().c.template = Some("wide.html".into());
        }
        let people = m.live(Kind::Actor);
        let pin = rng.pick(&people).clone();
        m.templates
            .insert("page.html".into(), page_template(&pin, "See also"));
        m.templates
            .insert("wide.html".into(), wide_template("wide view"));
        m.statics.insert("static/style.css".into(), STYLE.into());
        m.statics
            .insert("static/images/logo.svg".into(), LOGO.into());
        m.statics.insert(
            "static/files/notes.txt".into(),
            "Notes, version 1.\n".into(),
        );
        m.statics.insert(
            "content/files/report.txt".into(),
            "A report, version 1.\n".into(),
        );
        m
    }

    fn tick(&mut self) -> usize {
        self.counter += 1;
        self.counter
    }

    /// A capitalised made-up word no other call returns.
    fn fresh_word(&mut self) -> String {
        let mut c = self.tick() + 40;
        let mut w = String::new();
        while c > 0 {
            w.push_str(SYLLABLES[c % 40]);
            c /= 40;
        }
        cap(&w)
    }

    fn sentence(&self, rng: &mut Rng, n: usize) -> String {
        let words: Vec<&str> = (0..n).map(|_| *rng.pick(&WORDS)).collect();
        words.join(" ")
    }

    fn summary(&self, rng: &mut Rng) -> String {
        let n = rng.range(4, 9);
        format!("{}.", cap(&self.sentence(rng, n)))
    }

    /// A summary of a stance or an event, which are inline Markdown: sometimes with
    /// emphasis, code, or a wiki-link to an actor, question or event.
    fn short_text(&self, rng: &mut Rng) -> String {
        let mut text = self.summary(rng);
        if !rng.chance(40) {
            return text;
        }
        let n = rng.range(1, 3);
        let more = match rng.below(4) {
            0 => format!(" *{}*.", self.sentence(rng, n)),
            1 => format!(" With `{}`.", self.sentence(rng, 1)),
            _ => {
                let kind = *rng.pick(&[Kind::Actor, Kind::Question, Kind::Event]);
                let Some(id) = rng.choose(&self.live(kind)) else {
                    return text;
                };
                match rng.chance(30).then(|| self.sentence(rng, n)) {
                    Some(label) => format!(" See [[{id}|{label}]]."),
                    None => format!(" See [[{id}]]."),
                }
            }
        };
        text.push_str(&more);
        text
    }

    fn new_question(&mut self, rng: &mut Rng) -> (String, Question) {
        let n = self.tick();
        let (topic, title) = *rng.pick(&TOPICS);
        let k = rng.range(2, 5);
        let mut idx: Vec<usize> = rng.some(&[0, 1, 2, 3, 4], k);
        idx.sort();
        let positions = idx
            .iter()
            .map(|&i| (POSITIONS[i].0.to_string(), POSITIONS[i].1.to_string()))
            .collect();
        let question = Question {
            title: format!("{title} ({n})"),
            question: format!("Should the {topic} plan number {n} go ahead?"),
            positions,
            summary: rng.chance(60).then(|| self.summary(rng)),
            c: Common::default(),
        };
        (format!("{topic}-{n}"), question)
    }

    fn random_stance(&self, rng: &mut Rng, question: Option<&str>) -> Option<Stance> {
        let qid = match question {
            Some(q) => q.to_string(),
            None => rng.choose(&self.live(Kind::Question))?,
        };
        let q = &self.questions[&qid];
        let position = rng.pick(&q.positions).0.clone();
        let list = rng.chance(30);
        let sources = if list {
            self.sources(rng, 3)
        } else {
            rng.chance(80)
                .then(|| self.source(rng))
                .into_iter()
                .collect()
        };
        Some(Stance {
            question: qid,
            position,
            date: Date::random(rng),
            summary: rng.chance(70).then(|| self.short_text(rng)),
            sources,
            list,
        })
    }

    fn source(&self, rng: &mut Rng) -> Src {
        let url = rng
            .chance(60)
            .then(|| format!("https://example.org/report-{}", rng.below(6)));
        let archive_url = url
            .as_ref()
            .filter(|_| rng.chance(50))
            .map(|u| format!("https://web.archive.org/web/2024/{u}"));
        Src {
            title: format!("Report on {}", self.sentence(rng, 3)),
            publisher: rng.chance(50).then(|| "Town paper".to_string()),
            date: rng.chance(70).then(|| Date::random(rng)),
            url,
            archive_url,
        }
    }

    /// Up to `max` sources, none at times.
    fn sources(&self, rng: &mut Rng, max: usize) -> Vec<Src> {
        (0..rng.below(max + 1)).map(|_| self.source(rng)).collect()
    }

    fn new_actor(&mut self, rng: &mut Rng, kind: &'static str) -> (String, Actor) {
        let word = self.fresh_word();
        let (name, aliases) = match kind {
            "person" => {
                let first = rng.pick(&FIRST_NAMES);
                let aliases = if rng.chance(50) {
                    vec![word.clone()]
                } else {
                    vec![]
                };
                (format!("{first} {word}"), aliases)
            }
            "state" => (format!("{word}land"), vec![]),
            "organization" => (format!("{word} {}", rng.pick(&ORG_SUFFIXES)), vec![]),
            _ => (format!("{word} {}", rng.pick(&GROUP_SUFFIXES)), vec![]),
        };
        let affiliations = if kind == "person" {
            let orgs: Vec<String> = self
                .actors
                .iter()
                .filter(|(_, a)| a.kind != "person" && !a.c.draft)
                .map(|(id, _)| id.clone())
                .collect();
            let n = rng.below(3);
            rng.some(&orgs, n)
        } else {
            vec![]
        };
        let mut stances = Vec::new();
        for _ in 0..rng.below(4) {
            stances.extend(self.random_stance(rng, None));
        }
        let actor = Actor {
            name: name.clone(),
            kind,
            role: (kind == "person" && rng.chance(60))
                .then(|| format!("Minister of {}", self.sentence(rng, 1))),
            affiliations,
            aliases,
            summary: rng.chance(75).then(|| self.summary(rng)),
            stances,
            c: Common::default(),
        };
        (slug(&name), actor)
    }

    fn new_event(&mut self, rng: &mut Rng) -> (String, Event) {
        let n = self.tick();
        let (topic, title) = *rng.pick(&TOPICS);
        let date = Date::random(rng);
        let end_date = if rng.chance(30) {
            date.later(rng)
        } else {
            None
        };
        let actors = self.live(Kind::Actor);
        let questions = self.live(Kind::Question);
        let (na, nq) = (rng.range(1, 4), rng.below(3));
        let event = Event {
            title: format!("Talks on {} ({n})", title.to_lowercase()),
            date,
            end_date,
            place: rng.chance(60).then(|| rng.pick(&PLACES).to_string()),
            actors: rng.some(&actors, na),
            questions: rng.some(&questions, nq),
            summary: rng.chance(60).then(|| self.short_text(rng)),
            sources: if rng.chance(50) {
                self.sources(rng, 2)
            } else {
                Vec::new()
            },
            c: Common::default(),
        };
        (format!("{topic}-talks-{n}"), event)
    }

    fn new_page(&mut self, rng: &mut Rng, folder: &str) -> (String, Page) {
        let n = self.tick();
        let word = *rng.pick(&PAGE_WORDS);
        let page = Page {
            folder: folder.to_string(),
            title: format!("{} guide {n}", cap(word)),
            date: rng.chance(40).then(|| Date::random(rng)),
            summary: rng.chance(50).then(|| self.summary(rng)),
            weight: rng.chance(30).then(|| rng.below(10) as i64),
            c: Common::default(),
        };
        (format!("{word}-{n}"), page)
    }

    /// A paragraph of filler text; with `links`, maybe with mentions of actors and
    /// links to anything that exists (not drafts).
    fn paragraph(&self, rng: &mut Rng, links: bool) -> Para {
        if rng.chance(8) {
            let n = rng.range(2, 5);
            return Para {
                pieces: vec![Piece::Text(cap(&self.sentence(rng, n)))],
                heading: true,
            };
        }
        let n = rng.range(4, 10);
        let mut pieces = vec![Piece::Text(cap(&self.sentence(rng, n)))];
        if links {
            for _ in 0..rng.below(3) {
                match rng.below(6) {
                    0 => {
                        if let Some(p) = self.mention(rng) {
                            pieces.push(Piece::Text(p));
                        }
                    }
                    1 | 2 => {
                        let kind =
                            *rng.pick(&[Kind::Actor, Kind::Question, Kind::Event, Kind::Page]);
                        if let Some(id) = rng.choose(&self.live(kind)) {
                            let label = rng.chance(30).then(|| self.sentence(rng, 2));
                            pieces.push(Piece::Wiki(id, label));
                        }
                    }
                    3 => {
                        let kind =
                            *rng.pick(&[Kind::Actor, Kind::Question, Kind::Event, Kind::Page]);
                        if rng.chance(25) {
                            let folders: Vec<String> = self.indexes.keys().cloned().collect();
                            let folder = rng.pick(&folders).clone();
                            pieces.push(Piece::RelIndex(folder, self.sentence(rng, 2)));
                        } else if let Some(id) = rng.choose(&self.live(kind)) {
                            pieces.push(Piece::Rel(id, self.sentence(rng, 2)));
                        }
                    }
                    4 => {
                        if let Some(e) = self.embed(rng, None) {
                            pieces.push(e);
                        }
                    }
                    _ => {}
                }
                let n = rng.range(3, 8);
                pieces.push(Piece::Text(self.sentence(rng, n)));
            }
        }
        Para {
            pieces,
            heading: false,
        }
    }

    /// A shortcode over live entities (never `not`, the page's own id).
    fn embed(&self, rng: &mut Rng, not: Option<&str>) -> Option<Piece> {
        let pick = |rng: &mut Rng, kind: Kind| {
            rng.choose(&self.live(kind))
                .filter(|id| Some(id.as_str()) != not)
        };
        Some(match rng.below(6) {
            0 => {
                let kind = *rng.pick(&[Kind::Actor, Kind::Question, Kind::Event, Kind::Page]);
                let id = pick(rng, kind)?;
                let block = rng.chance(40);
                Piece::Embed(format!("{{{{ card(id={}) }}}}", q(&id)), vec![id], block)
            }
            1 => {
                let (a, qn) = (pick(rng, Kind::Actor)?, pick(rng, Kind::Question)?);
                let as_of = if rng.chance(30) {
                    format!(", as_of=\"{}\"", Date::random(rng).render())
                } else {
                    String::new()
                };
                let text = format!(
                    "{{{{ stance(actor={}, question={}{as_of}) }}}}",
                    q(&a),
                    q(&qn)
                );
                Piece::Embed(text, vec![a, qn], rng.chance(50))
            }
            2 => {
                let qn = pick(rng, Kind::Question)?;
                Piece::Embed(
                    format!("{{{{ spectrum(question={}) }}}}", q(&qn)),
                    vec![qn],
                    true,
                )
            }
            3 => {
                let qn = pick(rng, Kind::Question)?;
                let text = format!("{{{{ timeline(question={}, limit=3) }}}}", q(&qn));
                Piece::Embed(text, vec![qn], true)
            }
            4 => {
                let actors: Vec<String> = self
                    .some(rng, Kind::Actor, 2)
                    .into_iter()
                    .filter(|id| Some(id.as_str()) != not)
                    .collect();
                if actors.len() < 2 {
                    return None;
                }
                let list: Vec<String> = actors.iter().map(|a| q(a)).collect();
                let text = format!("{{{{ compare(actors=[{}]) }}}}", list.join(", "));
                Piece::Embed(text, actors, true)
            }
            _ => {
                let (a, qn) = (pick(rng, Kind::Actor)?, pick(rng, Kind::Question)?);
                let text = format!(
                    "{{{{ matrix(actors=[{}], questions=[{}]) }}}}",
                    q(&a),
                    q(&qn)
                );
                Piece::Embed(text, vec![a, qn], true)
            }
        })
    }

    fn some(&self, rng: &mut Rng, kind: Kind, k: usize) -> Vec<String> {
        rng.some(&self.live(kind), k)
    }

    /// An actor's name or alias, as written in prose.
    fn mention(&self, rng: &mut Rng) -> Option<String> {
        let id = rng.choose(&self.live(Kind::Actor))?;
        let a = &self.actors[&id];
        let mut names = vec![a.name.clone()];
        names.extend(a.aliases.iter().cloned());
        Some(rng.pick(&names).clone())
    }

    // ----- queries -----

    pub fn kind_of(&self, id: &str) -> Option<Kind> {
        if self.actors.contains_key(id) {
            Some(Kind::Actor)
        } else if self.questions.contains_key(id) {
            Some(Kind::Question)
        } else if self.events.contains_key(id) {
            Some(Kind::Event)
        } else if self.pages.contains_key(id) {
            Some(Kind::Page)
        } else {
            None
        }
    }

    fn common(&self, id: &str) -> Option<&Common> {
        match self.kind_of(id)? {
            Kind::Actor => Some(&self.actors[id].c),
            Kind::Question => Some(&self.questions[id].c),
            Kind::Event => Some(&self.events[id].c),
            Kind::Page => Some(&self.pages[id].c),
        }
    }

    /// The ids of one kind that are not drafts.
    pub fn live(&self, kind: Kind) -> Vec<String> {
        let ids: Vec<&String> = match kind {
            Kind::Actor => self.actors.keys().collect(),
            Kind::Question => self.questions.keys().collect(),
            Kind::Event => self.events.keys().collect(),
            Kind::Page => self.pages.keys().collect(),
        };
        ids.into_iter()
            .filter(|id| !self.common(id).unwrap().draft)
            .cloned()
            .collect()
    }

    fn ids(&self, kind: Kind) -> Vec<String> {
        match kind {
            Kind::Actor => self.actors.keys().cloned().collect(),
            Kind::Question => self.questions.keys().cloned().collect(),
            Kind::Event => self.events.keys().cloned().collect(),
            Kind::Page => self.pages.keys().cloned().collect(),
        }
    }

    /// Ids a body edit may add or drop links to and still be patched: actors,
    /// questions and events of the site (drafts are not).
    pub fn patchable_targets(&self) -> BTreeSet<String> {
        [Kind::Actor, Kind::Question, Kind::Event]
            .iter()
            .flat_map(|k| self.live(*k))
            .collect()
    }

    /// Every id something points at: links in any body or short text (stance and
    /// event summaries), affiliations, stances, events' actors and questions,
    /// templates. These are never deleted, renamed
    /// or made drafts (while anything points at them), so the site stays valid.
    ///
    /// A relative link to an `_index.md` counts as a reference to `index:<folder>`.
    pub fn referenced(&self) -> BTreeSet<String> {
        self.references().into_iter().map(|(_, _, to)| to).collect()
    }

    /// What the build checks: references from files that are not drafts, to
    /// something else than themselves. Deleting one of these is an error.
    pub fn live_referenced(&self) -> BTreeSet<String> {
        self.references()
            .into_iter()
            .filter(|(from, live, to)| {
                let own = match to.strip_prefix("index:") {
                    Some(folder) => index_path(folder),
                    None => self.path_of(to).unwrap_or_default(),
                };
                *live && *from != own
            })
            .map(|(_, _, to)| to)
            .collect()
    }

    /// (referring path, whether it is not a draft, id referred to).
    fn references(&self) -> Vec<(String, bool, String)> {
        let mut out = Vec::new();
        for path in self.md_paths() {
            let c = match self.id_at(&path) {
                Some(id) => self.common(&id).unwrap(),
                None => &self.indexes[&self.folder_at(&path).unwrap()].c,
            };
            for p in &c.body {
                for piece in &p.pieces {
                    let to = match piece {
                        Piece::Wiki(id, _) | Piece::Rel(id, _) => id.clone(),
                        Piece::RelIndex(folder, _) => format!("index:{folder}"),
                        Piece::Embed(_, ids, _) => {
                            out.extend(ids.iter().map(|to| (path.clone(), !c.draft, to.clone())));
                            continue;
                        }
                        Piece::Text(_) => continue,
                    };
                    out.push((path.clone(), !c.draft, to));
                }
            }
        }
        for (id, a) in &self.actors {
            let path = self.path_of(id).unwrap();
            let summaries = a.stances.iter().filter_map(|s| s.summary.as_deref());
            let tos = a
                .affiliations
                .iter()
                .cloned()
                .chain(a.stances.iter().map(|s| s.question.clone()))
                .chain(summaries.flat_map(wiki_links));
            out.extend(tos.map(|to| (path.clone(), !a.c.draft, to)));
        }
        for (id, e) in &self.events {
            let path = self.path_of(id).unwrap();
            let tos = e
                .actors
                .iter()
                .chain(&e.questions)
                .cloned()
                .chain(e.summary.as_deref().into_iter().flat_map(wiki_links));
            out.extend(tos.map(|to| (path.clone(), !e.c.draft, to)));
        }
        for (name, t) in &self.templates {
            out.extend(
                t.pins
                    .iter()
                    .map(|to| (format!("templates/{name}"), true, to.clone())),
            );
        }
        out
    }

    /// Root-relative path of an entity's file.
    pub fn path_of(&self, id: &str) -> Option<String> {
        Some(match self.kind_of(id)? {
            Kind::Actor => format!("content/actors/{id}.md"),
            Kind::Question => format!("content/questions/{id}.md"),
            Kind::Event => format!("content/events/{id}.md"),
            Kind::Page => page_path(&self.pages[id].folder, id),
        })
    }

    /// Root-relative paths of every Markdown file.
    fn md_paths(&self) -> Vec<String> {
        let mut out: Vec<String> = [Kind::Actor, Kind::Question, Kind::Event, Kind::Page]
            .iter()
            .flat_map(|k| self.ids(*k))
            .map(|id| self.path_of(&id).unwrap())
            .collect();
        out.extend(self.indexes.keys().map(|f| index_path(f)));
        out
    }

    fn id_at(&self, path: &str) -> Option<String> {
        let stem = path.rsplit('/').next()?.strip_suffix(".md")?;
        (self.path_of(stem).as_deref() == Some(path)).then(|| stem.to_string())
    }

    fn folder_at(&self, path: &str) -> Option<String> {
        self.indexes.keys().find(|f| index_path(f) == path).cloned()
    }

    fn common_mut(&mut self, path: &str) -> Option<&mut Common> {
        if let Some(id) = self.id_at(path) {
            return Some(match self.kind_of(&id)? {
                Kind::Actor => &mut self.actors.get_mut(&id)?.c,
                Kind::Question => &mut self.questions.get_mut(&id)?.c,
                Kind::Event => &mut self.events.get_mut(&id)?.c,
                Kind::Page => &mut self.pages.get_mut(&id)?.c,
            });
        }
        let folder = self.folder_at(path)?;
        Some(&mut self.indexes.get_mut(&folder)?.c)
    }

    /// Folders holding plain pages or an `_index.md` (not the built-in ones).
    fn page_folders(&self) -> BTreeSet<String> {
        let mut out: BTreeSet<String> = self.pages.values().map(|p| p.folder.clone()).collect();
        out.extend(
            self.indexes
                .keys()
                .filter(|f| {
                    !["", "actors", "events", "questions", "timeline"].contains(&f.as_str())
                })
                .cloned(),
        );
        out
    }

    // ----- rendering -----

    fn render_body(&self, path: &str, c: &Common) -> (String, BTreeSet<String>) {
        let mut text = String::new();
        let mut links = BTreeSet::new();
        for (i, p) in c.body.iter().enumerate() {
            if i > 0 {
                text.push('\n');
            }
            if p.heading {
                text.push_str("## ");
            }
            let mut parts = Vec::new();
            for piece in &p.pieces {
                parts.push(match piece {
                    Piece::Text(t) => t.clone(),
                    Piece::Wiki(id, None) => format!("[[{id}]]"),
                    Piece::Wiki(id, Some(label)) => format!("[[{id}|{label}]]"),
                    Piece::RelIndex(folder, label) => {
                        format!("[{label}]({})", relative(path, &index_path(folder)))
                    }
                    Piece::Embed(text, _, true) => format!("\n\n{text}\n\n"),
                    Piece::Embed(text, _, false) => text.clone(),
                    Piece::Rel(id, label) => {
                        let target = self
                            .path_of(id)
                            .unwrap_or_else(|| format!("content/actors/{id}.md"));
                        format!("[{label}]({})", relative(path, &target))
                    }
                });
            }
            text.push_str(&parts.join(" "));
            if !p.heading {
                text.push('.');
            }
            text.push('\n');
            links.extend(p.links().cloned());
        }
        (text, links)
    }

    fn common_lines(c: &Common, out: &mut String) {
        if c.draft {
            out.push_str("draft: true\n");
        }
        if let Some(t) = &c.template {
            let _ = writeln!(out, "template: {t}");
        }
    }

    fn front_matter(&self, path: &str) -> String {
        let mut o = String::new();
        if let Some(id) = self.id_at(path) {
            match self.kind_of(&id).unwrap() {
                Kind::Actor => {
                    let a = &self.actors[&id];
                    let _ = writeln!(o, "name: {}", q(&a.name));
                    let _ = writeln!(o, "kind: {}", a.kind);
                    if let Some(r) = &a.role {
                        let _ = writeln!(o, "role: {}", q(r));
                    }
                    if !a.affiliations.is_empty() {
                        let _ = writeln!(o, "affiliations: [{}]", a.affiliations.join(", "));
                    }
                    if !a.aliases.is_empty() {
                        let aliases: Vec<String> = a.aliases.iter().map(|s| q(s)).collect();
                        let _ = writeln!(o, "aliases: [{}]", aliases.join(", "));
                    }
                    if let Some(s) = &a.summary {
                        let _ = writeln!(o, "summary: {}", q(s));
                    }
                    Self::common_lines(&a.c, &mut o);
                    if !a.stances.is_empty() {
                        o.push_str("stances:\n");
                        for s in &a.stances {
                            let _ = writeln!(o, "  - question: {}", s.question);
                            let _ = writeln!(o, "    position: {}", s.position);
                            let _ = writeln!(o, "    date: {}", s.date.render());
                            if let Some(sum) = &s.summary {
                                let _ = writeln!(o, "    summary: {}", q(sum));
                            }
                            if s.list {
                                o.push_str("    sources:\n");
                                for src in &s.sources {
                                    let _ = writeln!(o, "      - {}", src.render());
                                }
                            } else if let Some(src) = s.sources.first() {
                                let _ = writeln!(o, "    source: {}", src.render());
                            }
                        }
                    }
                }
                Kind::Question => {
                    let x = &self.questions[&id];
                    let _ = writeln!(o, "title: {}", q(&x.title));
                    let _ = writeln!(o, "question: {}", q(&x.question));
                    if let Some(s) = &x.summary {
                        let _ = writeln!(o, "summary: {}", q(s));
                    }
                    Self::common_lines(&x.c, &mut o);
                    o.push_str("positions:\n");
                    for (pid, label) in &x.positions {
                        let _ = writeln!(o, "  - {{id: {pid}, label: {}}}", q(label));
                    }
                }
                Kind::Event => {
                    let e = &self.events[&id];
                    let _ = writeln!(o, "title: {}", q(&e.title));
                    let _ = writeln!(o, "date: {}", e.date.render());
                    if let Some(d) = &e.end_date {
                        let _ = writeln!(o, "end_date: {}", d.render());
                    }
                    if let Some(p) = &e.place {
                        let _ = writeln!(o, "place: {p}");
                    }
                    if !e.actors.is_empty() {
                        let _ = writeln!(o, "actors: [{}]", e.actors.join(", "));
                    }
                    if !e.questions.is_empty() {
                        let _ = writeln!(o, "questions: [{}]", e.questions.join(", "));
                    }
                    if let Some(s) = &e.summary {
                        let _ = writeln!(o, "summary: {}", q(s));
                    }
                    if !e.sources.is_empty() {
                        o.push_str("sources:\n");
                        for src in &e.sources {
                            let _ = writeln!(o, "  - {}", src.render());
                        }
                    }
                    Self::common_lines(&e.c, &mut o);
                }
                Kind::Page => {
                    let p = &self.pages[&id];
                    let _ = writeln!(o, "title: {}", q(&p.title));
                    if let Some(d) = &p.date {
                        let _ = writeln!(o, "date: {}", d.render());
                    }
                    if let Some(s) = &p.summary {
                        let _ = writeln!(o, "summary: {}", q(s));
                    }
                    if let Some(w) = p.weight {
                        let _ = writeln!(o, "weight: {w}");
                    }
                    Self::common_lines(&p.c, &mut o);
                }
            }
        } else if let Some(folder) = self.folder_at(path) {
            let i = &self.indexes[&folder];
            if let Some(t) = &i.title {
                let _ = writeln!(o, "title: {}", q(t));
            }
            Self::common_lines(&i.c, &mut o);
        }
        o
    }

    fn md_file(&self, path: &str, c: &Common) -> File {
        let mut fm = self.front_matter(path);
        match &self.broken {
            Some(Broken::InvalidYaml(p)) if p == path => fm.push_str("summary: \"not closed\n"),
            Some(Broken::UnknownKey(p)) if p == path => fm.push_str("colour: blue\n"),
            _ => {}
        }
        let mut text = format!("---\n{fm}---\n");
        let body_start = text.len();
        let (body, links) = self.render_body(path, c);
        text.push_str(&body);
        File {
            text,
            md: Some(Md {
                body_start,
                links,
                page: !c.draft,
            }),
        }
    }

    /// The model with its deliberate error, if any, written into it.
    fn with_breakage(&self) -> Model {
        let mut m = self.clone();
        match &self.broken {
            Some(Broken::UnknownId(id)) => {
                if let Some(a) = m.actors.get_mut(id) {
                    a.affiliations.push("nobody-at-all".into());
                } else if let Some(e) = m.events.get_mut(id) {
                    e.actors.push("nobody-at-all".into());
                }
            }
            Some(Broken::WikiLink(path)) => {
                m.common_mut(path).unwrap().body.push(Para {
                    pieces: vec![
                        Piece::Text("A link to".into()),
                        Piece::Wiki("no-such-thing".into(), None),
                    ],
                    heading: false,
                });
            }
            Some(Broken::RelLink(path)) => {
                m.common_mut(path).unwrap().body.push(Para {
                    pieces: vec![
                        Piece::Text("A link to".into()),
                        Piece::Rel("no-such-file".into(), "nothing".into()),
                    ],
                    heading: false,
                });
            }
            _ => {}
        }
        m
    }

    /// Every file of the site: root-relative path -> file.
    pub fn files(&self) -> BTreeMap<String, File> {
        let m = self.with_breakage();
        let mut out = BTreeMap::new();
        let mut site = String::new();
        let _ = writeln!(site, "title: {}", q(&m.title));
        site.push_str("base_url: \"https://example.org/generated/\"\n");
        if let Some(d) = &m.description {
            let _ = writeln!(site, "description: {}", q(d));
        }
        let _ = writeln!(site, "language: {}", m.language);
        let autolink = match m.broken {
            Some(Broken::SiteYaml) => "sometimes",
            _ => m.autolink,
        };
        let _ = writeln!(site, "autolink: {autolink}");
        if let Some(n) = m.paginate {
            let _ = writeln!(site, "paginate: {n}");
        }
        if !m.snapshots.is_empty() {
            let _ = writeln!(site, "snapshots: [{}]", m.snapshots.join(", "));
        }
        if m.translations.is_some() {
            site.push_str("languages:\n  uk:\n    title: \"Згенероване пояснення\"\n");
        }
        out.insert(
            "site.yaml".into(),
            File {
                text: site,
                md: None,
            },
        );
        for path in m.md_paths() {
            let c = match m.id_at(&path) {
                Some(id) => m.common(&id).unwrap(),
                None => &m.indexes[&m.folder_at(&path).unwrap()].c,
            };
            out.insert(path.clone(), m.md_file(&path, c));
        }
        for (path, text) in &m.statics {
            out.insert(
                path.clone(),
                File {
                    text: text.clone(),
                    md: None,
                },
            );
        }
        if let Some(Broken::Deleted(p)) = &m.broken {
            out.remove(p);
        }
        if let Some(Broken::DuplicateId(p) | Broken::InvalidName(p)) = &m.broken {
            let text = "---\ntitle: \"A stray file\"\n---\nStray text.\n".to_string();
            out.insert(p.clone(), File { text, md: None });
        }
        m.add_translations(&mut out);
        for (name, t) in &m.templates {
            let path = format!("templates/{name}");
            let mut text = t.text.clone();
            if matches!(&m.broken, Some(Broken::TemplateSyntax(p)) if *p == path) {
                text = text.replace("{{ page.title }}", "{{ page.title }");
            }
            out.insert(path, File { text, md: None });
        }
        out
    }

    /// Translates about a third of the files into Ukrainian: the site gets a second
    /// language, and from then on every edit rebuilds it in full.
    pub fn translate(&mut self, rng: &mut Rng) {
        let mut translations = BTreeMap::new();
        for kind in [Kind::Actor, Kind::Question, Kind::Event, Kind::Page] {
            for id in self.ids(kind) {
                if rng.chance(35) {
                    translations.insert(id.clone(), format!("Переклад {id}"));
                }
            }
        }
        translations.insert("_index:".into(), "Головна".into());
        self.translations = Some(translations);
    }

    /// The `<id>.uk.md` beside each translated file still there: words only, as
    /// many stances and positions as the default file has.
    fn add_translations(&self, out: &mut BTreeMap<String, File>) {
        let Some(translations) = &self.translations else {
            return;
        };
        for (key, title) in translations {
            let (path, items) = match key.strip_prefix("_index:") {
                Some(folder) if self.indexes.contains_key(folder) => (index_path(folder), None),
                Some(_) => continue,
                None => match self.kind_of(key) {
                    Some(Kind::Actor) => (
                        self.path_of(key).unwrap(),
                        Some(("stances", self.actors[key].stances.len())),
                    ),
                    Some(Kind::Question) => (
                        self.path_of(key).unwrap(),
                        Some(("positions", self.questions[key].positions.len())),
                    ),
                    Some(_) => (self.path_of(key).unwrap(), None),
                    None => continue,
                },
            };
            if !out.contains_key(&path) {
                continue;
            }
            let key_name = if matches!(self.kind_of(key), Some(Kind::Actor)) {
                "name"
            } else {
                "title"
            };
            let mut text = format!("---\n{key_name}: {}\n", q(title));
            if let Some((list, n)) = items.filter(|(_, n)| *n > 0) {
                text.push_str(&format!("{list}:\n"));
                text.push_str(&"  - {}\n".repeat(n));
            }
            text.push_str(&format!("---\nТекст перекладу: {title}.\n"));
            let translated = format!("{}.uk.md", path.strip_suffix(".md").unwrap());
            out.insert(translated, File { text, md: None });
        }
    }

    /// A translation's words change, or a file is translated or no longer is.
    fn edit_translation(&mut self, rng: &mut Rng) -> Edited {
        let n = self.tick();
        let translations = self.translations.as_mut()?;
        let keys: Vec<String> = translations.keys().cloned().collect();
        if rng.chance(30) {
            let kind = *rng.pick(&[Kind::Actor, Kind::Question, Kind::Event, Kind::Page]);
            let id = rng.choose(&self.ids(kind))?;
            let translations = self.translations.as_mut()?;
            return match translations.remove(&id) {
                Some(_) => Some((format!("the translation of {id} deleted"), Hints::default())),
                None => {
                    translations.insert(id.clone(), format!("Новий переклад {n}"));
                    Some((format!("{id} translated"), Hints::default()))
                }
            };
        }
        let key = rng.choose(&keys)?;
        let translations = self.translations.as_mut()?;
        translations.insert(key.clone(), format!("Переклад {n}"));
        Some((format!("the translation of {key} edited"), Hints::default()))
    }

    /// The file the deliberate error is in.
    pub fn broken_path(&self) -> Option<String> {
        Some(match self.broken.as_ref()? {
            Broken::InvalidYaml(p)
            | Broken::UnknownKey(p)
            | Broken::WikiLink(p)
            | Broken::RelLink(p)
            | Broken::TemplateSyntax(p) => p.clone(),
            Broken::UnknownId(id) => self.path_of(id).unwrap(),
            Broken::SiteYaml => "site.yaml".into(),
            Broken::DuplicateId(p) | Broken::InvalidName(p) | Broken::Deleted(p) => p.clone(),
        })
    }

    // ----- edits -----

    /// A random edit of any kind but breaking and fixing: its description and what
    /// it did besides changing files, or `None` when the kind drawn had nothing to
    /// apply to (draw again).
    pub fn random_edit(&mut self, rng: &mut Rng) -> Edited {
        let translated = if self.translations.is_some() { 20 } else { 0 };
        let groups: [(usize, EditFn); 9] = [
            (36, Model::edit_body),
            (30, Model::edit_front_matter),
            (14, Model::edit_files),
            (5, Model::edit_draft),
            (8, Model::edit_static),
            (5, Model::edit_template),
            (4, Model::edit_site),
            (4, Model::edit_asset),
            (translated, Model::edit_translation),
        ];
        let total: usize = groups.iter().map(|g| g.0).sum();
        let mut x = rng.below(total);
        for (w, f) in groups {
            if x < w {
                return f(self, rng);
            }
            x -= w;
        }
        unreachable!()
    }

    /// An actor to edit, more often one that much else shows: the one a template
    /// asks for, or one others are affiliated with.
    fn hot_actor(&self, rng: &mut Rng) -> Option<String> {
        if rng.chance(20) {
            let pins: Vec<String> = self
                .templates
                .values()
                .flat_map(|t| t.pins.clone())
                .collect();
            return rng.choose(&pins);
        }
        if rng.chance(20) {
            let hubs: Vec<String> = self
                .actors
                .values()
                .flat_map(|a| a.affiliations.clone())
                .collect();
            return rng.choose(&hubs);
        }
        rng.choose(&self.ids(Kind::Actor))
    }

    fn any_md(&self, rng: &mut Rng) -> String {
        let paths = self.md_paths();
        rng.pick(&paths).clone()
    }

    fn edit_body(&mut self, rng: &mut Rng) -> Edited {
        if rng.chance(12) {
            return self.undo_body(rng);
        }
        let path = self.any_md(rng);
        let what = rng.below(6);
        let para = match what {
            0 => {
                let mut p = self.paragraph(rng, false);
                if rng.chance(50) {
                    let own = self.id_at(&path);
                    p.pieces.push(self.embed(rng, own.as_deref())?);
                }
                p
            }
            1 => {
                let mut p = self.paragraph(rng, false);
                p.pieces.push(Piece::Text(self.mention(rng)?));
                p
            }
            2 | 3 => {
                let kind = *rng.pick(&[Kind::Actor, Kind::Question, Kind::Event]);
                let id = rng.choose(&self.live(kind))?;
                if Some(&id) == self.id_at(&path).as_ref() {
                    return None;
                }
                let mut p = self.paragraph(rng, false);
                p.pieces.push(match rng.below(4) {
                    0 => Piece::Wiki(id, None),
                    1 => Piece::Wiki(id, Some(self.sentence(rng, 2))),
                    2 => Piece::Rel(id, self.sentence(rng, 2)),
                    _ => {
                        let folders: Vec<String> = self.indexes.keys().cloned().collect();
                        Piece::RelIndex(rng.pick(&folders).clone(), self.sentence(rng, 2))
                    }
                });
                p
            }
            4 => {
                // A link to a plain page: not patched.
                let id = rng.choose(&self.live(Kind::Page))?;
                if Some(&id) == self.id_at(&path).as_ref() {
                    return None;
                }
                let mut p = self.paragraph(rng, false);
                p.pieces.push(if rng.chance(50) {
                    Piece::Wiki(id, None)
                } else {
                    Piece::Rel(id, self.sentence(rng, 2))
                });
                p
            }
            _ => {
                let c = self.common_mut(&path)?;
                if c.body.is_empty() || (c.body.len() == 1 && rng.chance(70)) {
                    return None;
                }
                let old = c.body.clone();
                let i = rng.below(c.body.len());
                c.body.remove(i);
                self.body_undo.push((path.clone(), old));
                return Some((
                    format!("remove paragraph {} of the body of {path}", i + 1),
                    Hints::default(),
                ));
            }
        };
        let described = match what {
            0 => "a paragraph of plain text",
            1 => "a paragraph naming an actor",
            2 | 3 => "a paragraph with a link to an entity or a list",
            _ => "a paragraph with a link to a plain page",
        };
        let c = self.common_mut(&path)?;
        let old = c.body.clone();
        let at = if rng.chance(70) {
            c.body.len()
        } else {
            rng.below(c.body.len() + 1)
        };
        c.body.insert(at, para);
        self.body_undo.push((path.clone(), old));
        Some((
            format!("insert {described} at {} in the body of {path}", at + 1),
            Hints::default(),
        ))
    }

    /// A body back as it was before one of its earlier edits (an undo), when what
    /// it links to is all still there.
    fn undo_body(&mut self, rng: &mut Rng) -> Edited {
        if self.body_undo.is_empty() {
            return None;
        }
        let i = rng.below(self.body_undo.len());
        let (path, body) = self.body_undo.remove(i);
        let live: BTreeSet<String> = [Kind::Actor, Kind::Question, Kind::Event, Kind::Page]
            .iter()
            .flat_map(|k| self.live(*k))
            .collect();
        if !body
            .iter()
            .flat_map(|p| p.links())
            .all(|id| live.contains(id))
        {
            return None;
        }
        let c = self.common_mut(&path)?;
        let old = std::mem::replace(&mut c.body, body);
        self.body_undo.push((path.clone(), old));
        Some((
            format!("undo an earlier edit of the body of {path}"),
            Hints::default(),
        ))
    }

    /// Names and aliases no actor has now.
    fn unused_names(&self, candidates: impl IntoIterator<Item = String>) -> Vec<String> {
        let used: BTreeSet<&String> = self
            .actors
            .values()
            .flat_map(|a| std::iter::once(&a.name).chain(&a.aliases))
            .collect();
        let mut out: Vec<String> = candidates
            .into_iter()
            .filter(|n| !used.contains(n))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    fn edit_front_matter(&mut self, rng: &mut Rng) -> Edited {
        let none = Hints::default();
        match rng.below(4) {
            0 => {
                let id = self.hot_actor(rng)?;
                let new_word = self.fresh_word();
                let summary = self.summary(rng);
                let short = self.short_text(rng);
                let sources = self.sources(rng, 3);
                let stance = self.random_stance(rng, None);
                let live_actors = self.live(Kind::Actor);
                // Names prose still holds: the ones actors had, and capitalised words.
                let retired = self.unused_names(self.retired.clone());
                let words = self.unused_names(WORDS.iter().map(|w| cap(w)));
                let mut retire = Vec::new();
                let a = self.actors.get_mut(&id)?;
                let what = match rng.below(11) {
                    0 => {
                        let name = match rng.choose(&retired).filter(|_| rng.chance(40)) {
                            Some(old) => old,
                            None if a.kind == "person" => {
                                format!("{} {new_word}", rng.pick(&FIRST_NAMES))
                            }
                            None => format!("{new_word} {}", rng.pick(&ORG_SUFFIXES)),
                        };
                        retire.push(std::mem::replace(&mut a.name, name));
                        format!("name: {}", a.name)
                    }
                    1 => {
                        a.summary = if a.summary.is_some() && rng.chance(30) {
                            None
                        } else {
                            Some(summary)
                        };
                        "summary".into()
                    }
                    2 => {
                        if a.aliases.is_empty() || rng.chance(50) {
                            let alias = match rng.below(4) {
                                0 => rng.choose(&retired),
                                1 => rng.choose(&words),
                                _ => None,
                            };
                            let alias = alias.unwrap_or(new_word);
                            a.aliases.push(alias.clone());
                            format!("alias {alias} added")
                        } else {
                            let alias = a.aliases.remove(rng.below(a.aliases.len()));
                            retire.push(alias.clone());
                            format!("alias {alias} removed")
                        }
                    }
                    3 => {
                        let kinds: Vec<&'static str> =
                            KINDS.iter().copied().filter(|k| *k != a.kind).collect();
                        a.kind = *rng.pick(&kinds);
                        format!("kind: {}", a.kind)
                    }
                    4 => {
                        a.role = match a.role {
                            Some(_) if rng.chance(40) => None,
                            _ => Some(format!("Envoy {}", rng.below(100))),
                        };
                        "role".into()
                    }
                    5 => {
                        let candidates: Vec<String> = live_actors
                            .into_iter()
                            .filter(|x| *x != id && !a.affiliations.contains(x))
                            .collect();
                        if !a.affiliations.is_empty() && rng.chance(40) {
                            let i = rng.below(a.affiliations.len());
                            format!("affiliation {} removed", a.affiliations.remove(i))
                        } else {
                            let x = rng.choose(&candidates)?;
                            a.affiliations.push(x.clone());
                            format!("affiliation {x} added")
                        }
                    }
                    6 => {
                        let i = rng.below(a.stances.len().max(1));
                        let s = a.stances.get_mut(i)?;
                        let positions = &self.questions[&s.question].positions;
                        let others: Vec<String> = positions
                            .iter()
                            .map(|p| p.0.clone())
                            .filter(|p| *p != s.position)
                            .collect();
                        s.position = rng.choose(&others)?;
                        format!("stance {} position: {}", i + 1, s.position)
                    }
                    7 => {
                        let i = rng.below(a.stances.len().max(1));
                        let s = a.stances.get_mut(i)?;
                        s.date = Date::random(rng);
                        format!("stance {} date: {}", i + 1, s.date.render())
                    }
                    8 if rng.chance(50) => {
                        let i = rng.below(a.stances.len().max(1));
                        let s = a.stances.get_mut(i)?;
                        s.list = true;
                        s.sources = sources;
                        format!("stance {} sources: {}", i + 1, s.sources.len())
                    }
                    8 => {
                        let i = rng.below(a.stances.len().max(1));
                        let s = a.stances.get_mut(i)?;
                        s.summary = Some(short);
                        format!("stance {} summary", i + 1)
                    }
                    9 => {
                        a.stances.push(stance?);
                        format!("a new stance on {}", a.stances.last().unwrap().question)
                    }
                    _ => {
                        if a.stances.is_empty() {
                            return None;
                        }
                        let i = rng.below(a.stances.len());
                        a.stances.remove(i);
                        format!("stance {} removed", i + 1)
                    }
                };
                self.retired.extend(retire);
                Some((format!("front matter of actor {id}: {what}"), none))
            }
            1 => {
                let id = rng.choose(&self.ids(Kind::Question))?;
                let n = self.tick();
                let summary = self.summary(rng);
                let used: BTreeSet<String> = self
                    .actors
                    .values()
                    .flat_map(|a| &a.stances)
                    .filter(|s| s.question == id)
                    .map(|s| s.position.clone())
                    .collect();
                let x = self.questions.get_mut(&id)?;
                let what = match rng.below(6) {
                    0 => {
                        x.title = format!("Question {n}");
                        format!("title: {}", x.title)
                    }
                    1 => {
                        let i = rng.below(x.positions.len());
                        x.positions[i].1 = format!("Label {n}");
                        format!("position {} label", x.positions[i].0)
                    }
                    2 => {
                        let at = rng.below(x.positions.len() + 1);
                        x.positions
                            .insert(at, (format!("option-{n}"), format!("Option {n}")));
                        format!("position option-{n} added at {}", at + 1)
                    }
                    3 => {
                        let unused: Vec<usize> = (0..x.positions.len())
                            .filter(|i| !used.contains(&x.positions[*i].0))
                            .collect();
                        if x.positions.len() <= 2 {
                            return None;
                        }
                        let i = rng.choose(&unused)?;
                        format!("position {} removed", x.positions.remove(i).0)
                    }
                    4 => {
                        x.question = format!("Should plan {n} go ahead?");
                        "question".into()
                    }
                    _ => {
                        x.summary = Some(summary);
                        "summary".into()
                    }
                };
                Some((format!("front matter of question {id}: {what}"), none))
            }
            2 => {
                let id = rng.choose(&self.ids(Kind::Event))?;
                let n = self.tick();
                let summary = self.short_text(rng);
                let sources = self.sources(rng, 2);
                let actors = self.live(Kind::Actor);
                let questions = self.live(Kind::Question);
                let e = self.events.get_mut(&id)?;
                let what = match rng.below(7) {
                    0 => {
                        e.date = Date::random(rng);
                        e.end_date = e.end_date.as_ref().and_then(|_| e.date.later(rng));
                        format!("date: {}", e.date.render())
                    }
                    1 => {
                        e.end_date = match e.end_date {
                            Some(_) => None,
                            None => Some(e.date.later(rng)?),
                        };
                        "end date".into()
                    }
                    2 => {
                        if e.actors.len() > 1 && rng.chance(40) {
                            let i = rng.below(e.actors.len());
                            format!("actor {} removed", e.actors.remove(i))
                        } else {
                            let x = rng.choose(&actors)?;
                            if e.actors.contains(&x) {
                                return None;
                            }
                            e.actors.push(x.clone());
                            format!("actor {x} added")
                        }
                    }
                    3 => {
                        if !e.questions.is_empty() && rng.chance(40) {
                            let i = rng.below(e.questions.len());
                            format!("question {} removed", e.questions.remove(i))
                        } else {
                            let x = rng.choose(&questions)?;
                            if e.questions.contains(&x) {
                                return None;
                            }
                            e.questions.push(x.clone());
                            format!("question {x} added")
                        }
                    }
                    4 => {
                        e.title = format!("Meeting {n}");
                        format!("title: {}", e.title)
                    }
                    5 => {
                        e.place = Some(rng.pick(&PLACES).to_string())
                            .filter(|p| Some(p) != e.place.as_ref());
                        "place".into()
                    }
                    _ if rng.chance(40) => {
                        e.sources = sources;
                        format!("sources: {}", e.sources.len())
                    }
                    _ => {
                        e.summary = Some(summary);
                        "summary".into()
                    }
                };
                Some((format!("front matter of event {id}: {what}"), none))
            }
            _ => {
                if rng.chance(20) {
                    let folders: Vec<String> = self.indexes.keys().cloned().collect();
                    let f = rng.choose(&folders)?;
                    let n = self.tick();
                    let i = self.indexes.get_mut(&f)?;
                    i.title = Some(format!("Section {n}"));
                    return Some((format!("front matter of {}: title", index_path(&f)), none));
                }
                let id = rng.choose(&self.ids(Kind::Page))?;
                let n = self.tick();
                let summary = self.summary(rng);
                let p = self.pages.get_mut(&id)?;
                let what = match rng.below(5) {
                    0 => {
                        p.title = format!("Page {n}");
                        format!("title: {}", p.title)
                    }
                    1 => {
                        p.date = if p.date.is_some() && rng.chance(30) {
                            None
                        } else {
                            Some(Date::random(rng))
                        };
                        "date".into()
                    }
                    2 => {
                        p.weight = if p.weight.is_some() && rng.chance(30) {
                            None
                        } else {
                            Some(rng.below(20) as i64 - 5)
                        };
                        match p.weight {
                            Some(w) => format!("weight: {w}"),
                            None => "weight removed".into(),
                        }
                    }
                    3 => {
                        p.summary = if p.summary.is_some() && rng.chance(30) {
                            None
                        } else {
                            Some(summary)
                        };
                        "summary".into()
                    }
                    _ => {
                        p.c.template = match p.c.template {
                            Some(_) => None,
                            None => Some("wide.html".into()),
                        };
                        match &p.c.template {
                            Some(t) => format!("template: {t}"),
                            None => "template removed".into(),
                        }
                    }
                };
                Some((format!("front matter of page {id}: {what}"), none))
            }
        }
    }

    fn edit_files(&mut self, rng: &mut Rng) -> Edited {
        let none = Hints::default();
        let referenced = self.referenced();
        let free = |m: &Model, kind: Kind| -> Vec<String> {
            m.ids(kind)
                .into_iter()
                .filter(|id| !referenced.contains(id))
                .collect()
        };
        match rng.below(11) {
            0 => {
                let kind = *rng.pick(&KINDS);
                let (id, mut a) = self.new_actor(rng, kind);
                a.c.body = vec![self.paragraph(rng, true)];
                self.actors.insert(id.clone(), a);
                Some((format!("new actor {id}"), none))
            }
            1 => {
                let (id, mut x) = self.new_question(rng);
                x.c.body = vec![self.paragraph(rng, true)];
                self.questions.insert(id.clone(), x);
                Some((format!("new question {id}"), none))
            }
            2 => {
                let (id, mut e) = self.new_event(rng);
                e.c.body = vec![self.paragraph(rng, true)];
                self.events.insert(id.clone(), e);
                Some((format!("new event {id}"), none))
            }
            3 => {
                if rng.chance(35) {
                    // A new folder of a few pages, maybe with a list page: the
                    // folders that later edits may delete or move whole.
                    let folder = format!("fresh-{}", self.tick());
                    let mut ids = Vec::new();
                    for _ in 0..rng.range(1, 3) {
                        let (id, mut p) = self.new_page(rng, &folder);
                        p.c.body = vec![self.paragraph(rng, true)];
                        self.pages.insert(id.clone(), p);
                        ids.push(id);
                    }
                    let with_index = rng.chance(50);
                    if with_index {
                        let body = vec![self.paragraph(rng, true)];
                        let title = Some(format!("Folder {folder}"));
                        self.indexes.insert(
                            folder.clone(),
                            Index {
                                title,
                                c: Common {
                                    body,
                                    ..Common::default()
                                },
                            },
                        );
                    }
                    let index = if with_index { " and an _index.md" } else { "" };
                    return Some((
                        format!("new folder content/{folder} with {}{index}", ids.join(", ")),
                        Hints {
                            created_folders: vec![format!("content/{folder}")],
                            ..none
                        },
                    ));
                }
                let mut folders: Vec<String> = self.page_folders().into_iter().collect();
                folders.push(format!("fresh-{}", self.tick()));
                let folder = rng.pick(&folders).clone();
                let (id, mut p) = self.new_page(rng, &folder);
                p.c.body = vec![self.paragraph(rng, true)];
                self.pages.insert(id.clone(), p);
                Some((format!("new page {id} in `{folder}`"), none))
            }
            4 | 5 => {
                // Delete an entity nothing points at.
                let kind = *rng.pick(&[Kind::Actor, Kind::Question, Kind::Event, Kind::Page]);
                let id = rng.choose(&free(self, kind))?;
                let path = self.path_of(&id)?;
                match kind {
                    Kind::Actor => {
                        let a = self.actors.remove(&id)?;
                        self.retired.push(a.name);
                        self.retired.extend(a.aliases);
                    }
                    Kind::Question => drop(self.questions.remove(&id)),
                    Kind::Event => drop(self.events.remove(&id)),
                    Kind::Page => drop(self.pages.remove(&id)),
                }
                Some((format!("delete {path}"), none))
            }
            6 => {
                // Rename an entity nothing points at (a new id), or move a page.
                let kind = *rng.pick(&[Kind::Actor, Kind::Question, Kind::Event, Kind::Page]);
                let id = rng.choose(&free(self, kind))?;
                let old = self.path_of(&id)?;
                let n = self.tick();
                let new_id = format!("{id}-{n}");
                match kind {
                    Kind::Actor => {
                        let a = self.actors.remove(&id)?;
                        self.actors.insert(new_id.clone(), a);
                    }
                    Kind::Question => {
                        let x = self.questions.remove(&id)?;
                        self.questions.insert(new_id.clone(), x);
                    }
                    Kind::Event => {
                        let x = self.events.remove(&id)?;
                        self.events.insert(new_id.clone(), x);
                    }
                    Kind::Page => {
                        let mut p = self.pages.remove(&id)?;
                        if rng.chance(50) {
                            let folders: Vec<String> = self
                                .page_folders()
                                .into_iter()
                                .filter(|f| *f != p.folder)
                                .collect();
                            p.folder = rng.choose(&folders)?;
                            self.pages.insert(id.clone(), p);
                            let new = self.path_of(&id)?;
                            return Some((
                                format!("move {old} to {new}"),
                                Hints {
                                    renames: vec![(old, new)],
                                    ..none
                                },
                            ));
                        }
                        self.pages.insert(new_id.clone(), p);
                    }
                }
                let new = self.path_of(&new_id)?;
                Some((
                    format!("rename {old} to {new}"),
                    Hints {
                        renames: vec![(old, new)],
                        ..none
                    },
                ))
            }
            7 => {
                // An `_index.md` added to a folder without one, or deleted.
                let folders: Vec<String> = self.page_folders().into_iter().collect();
                let f = rng.choose(&folders)?;
                if referenced.contains(&format!("index:{f}")) {
                    return None;
                }
                if self.indexes.remove(&f).is_some() {
                    return Some((format!("delete {}", index_path(&f)), none));
                }
                let n = self.tick();
                let body = vec![self.paragraph(rng, true)];
                self.indexes.insert(
                    f.clone(),
                    Index {
                        title: Some(format!("Section {n}")),
                        c: Common {
                            body,
                            ..Common::default()
                        },
                    },
                );
                Some((format!("new {}", index_path(&f)), none))
            }
            _ => {
                // (8, 9, 10) A whole folder of pages deleted or moved, when nothing points into it.
                let folders: Vec<String> = self
                    .page_folders()
                    .into_iter()
                    .filter(|f| {
                        !f.is_empty()
                            && !referenced.contains(&format!("index:{f}"))
                            && !self
                                .pages
                                .iter()
                                .any(|(id, p)| p.folder == *f && referenced.contains(id))
                    })
                    .collect();
                let f = rng.choose(&folders)?;
                let prefix = format!("{f}/");
                if self.page_folders().iter().any(|x| x.starts_with(&prefix)) {
                    return None;
                }
                let ids: Vec<String> = self
                    .pages
                    .iter()
                    .filter(|(_, p)| p.folder == f)
                    .map(|(id, _)| id.clone())
                    .collect();
                if ids.iter().any(|id| referenced.contains(id))
                    || referenced.contains(&format!("index:{f}"))
                {
                    return None;
                }
                let old = format!("content/{f}");
                if rng.chance(50) {
                    for id in &ids {
                        self.pages.remove(id);
                    }
                    self.indexes.remove(&f);
                    return Some((
                        format!("delete the folder {old}"),
                        Hints {
                            deleted_folders: vec![old],
                            ..none
                        },
                    ));
                }
                let n = self.tick();
                let to = format!("moved-{n}");
                for id in &ids {
                    self.pages.get_mut(id).unwrap().folder = to.clone();
                }
                if let Some(i) = self.indexes.remove(&f) {
                    self.indexes.insert(to.clone(), i);
                }
                let new = format!("content/{to}");
                Some((
                    format!("move the folder {old} to {new}"),
                    Hints {
                        renames: vec![(old, new)],
                        ..none
                    },
                ))
            }
        }
    }

    fn edit_draft(&mut self, rng: &mut Rng) -> Edited {
        let referenced = self.referenced();
        let kind = *rng.pick(&[Kind::Actor, Kind::Question, Kind::Event, Kind::Page]);
        let drafts: Vec<String> = self
            .ids(kind)
            .into_iter()
            .filter(|id| self.common(id).unwrap().draft)
            .collect();
        if !drafts.is_empty() && rng.chance(50) {
            let id = rng.choose(&drafts)?;
            let path = self.path_of(&id)?;
            self.common_mut(&path)?.draft = false;
            return Some((format!("draft: true removed from {path}"), Hints::default()));
        }
        let live: Vec<String> = self
            .live(kind)
            .into_iter()
            .filter(|id| !referenced.contains(id))
            .collect();
        let id = rng.choose(&live)?;
        let path = self.path_of(&id)?;
        self.common_mut(&path)?.draft = true;
        Some((format!("draft: true added to {path}"), Hints::default()))
    }

    fn edit_static(&mut self, rng: &mut Rng) -> Edited {
        let n = self.tick();
        let none = Hints::default();
        match rng.below(6) {
            0 | 1 => {
                let css = self.statics.get_mut("static/style.css")?;
                if !self.css_undo.is_empty() && rng.chance(25) {
                    let i = rng.below(self.css_undo.len());
                    let old = self.css_undo.remove(i);
                    self.css_undo.push(std::mem::replace(css, old));
                    return Some((
                        "the stylesheet static/style.css back to an earlier version".into(),
                        none,
                    ));
                }
                self.css_undo.push(css.clone());
                let _ = writeln!(css, ".rule-{n} {{ color: rgb({}, 0, 0); }}", n % 256);
                Some(("edit the stylesheet static/style.css".into(), none))
            }
            2 => {
                let logo = self.statics.get_mut("static/images/logo.svg")?;
                *logo = logo.replace("r=\"", &format!("data-v=\"{n}\" r=\""));
                Some(("edit static/images/logo.svg".into(), none))
            }
            3 => {
                // The theme's favicon, replaced by the site's or back.
                let path = "static/favicon.svg".to_string();
                if self.statics.remove(&path).is_some() {
                    Some((
                        "delete static/favicon.svg (the theme's comes back)".into(),
                        none,
                    ))
                } else {
                    self.statics.insert(path, LOGO.replace("#336", "#633"));
                    Some(("add static/favicon.svg (over the theme's)".into(), none))
                }
            }
            4 => {
                let path = "static/favicon.svg".to_string();
                let icon = self.statics.get_mut(&path)?;
                *icon = icon.replace("r=\"", &format!("data-v=\"{n}\" r=\""));
                Some(("edit static/favicon.svg".into(), none))
            }
            _ => {
                let extras: Vec<String> = self
                    .statics
                    .keys()
                    .filter(|p| p.starts_with("static/files/"))
                    .cloned()
                    .collect();
                match rng.below(3) {
                    0 => {
                        let p = format!("static/files/extra-{n}.txt");
                        self.statics.insert(p.clone(), format!("Extra {n}.\n"));
                        Some((format!("add {p}"), none))
                    }
                    1 => {
                        let p = rng.choose(&extras)?;
                        self.statics.remove(&p);
                        Some((format!("delete {p}"), none))
                    }
                    _ => {
                        let p = rng.choose(&extras)?;
                        self.statics.get_mut(&p)?.push_str("More.\n");
                        Some((format!("edit {p}"), none))
                    }
                }
            }
        }
    }

    /// Files under `content/` that are not Markdown: copied as they are, beside the
    /// static files (one of the same name would be an error).
    fn edit_asset(&mut self, rng: &mut Rng) -> Edited {
        let n = self.tick();
        let none = Hints::default();
        let (path, text) = match rng.below(3) {
            0 => (
                "content/files/report.txt",
                format!("A report, version {n}.\n"),
            ),
            1 => (
                "content/files/print.css",
                format!("/* a stylesheet beside the Markdown */\n.v{n} {{}}\n"),
            ),
            _ => (
                "content/images/badge.svg",
                LOGO.replace("r=\"", &format!("data-c=\"{n}\" r=\"")),
            ),
        };
        let path = path.to_string();
        if path != "content/files/report.txt" && self.statics.contains_key(&path) && rng.chance(50)
        {
            self.statics.remove(&path);
            return Some((format!("delete the content asset {path}"), none));
        }
        let what = if self.statics.contains_key(&path) {
            "edit"
        } else {
            "add"
        };
        self.statics.insert(path.clone(), text);
        Some((format!("{what} the content asset {path}"), none))
    }

    fn edit_template(&mut self, rng: &mut Rng) -> Edited {
        let n = self.tick();
        let none = Hints::default();
        match rng.below(4) {
            0 => {
                let pin = self.templates.get("page.html")?.pins[0].clone();
                self.templates.insert(
                    "page.html".into(),
                    page_template(&pin, &format!("Related ({n}):")),
                );
                Some(("edit templates/page.html (its wording)".into(), none))
            }
            1 => {
                let people = self.live(Kind::Actor);
                let pin = rng.choose(&people)?;
                self.templates
                    .insert("page.html".into(), page_template(&pin, "See also"));
                Some((
                    format!("edit templates/page.html (entity() of {pin})"),
                    none,
                ))
            }
            2 => {
                if self.templates.remove("event.html").is_some() {
                    Some((
                        "delete templates/event.html (the theme's comes back)".into(),
                        none,
                    ))
                } else {
                    self.templates
                        .insert("event.html".into(), event_template("Held on"));
                    Some(("add templates/event.html".into(), none))
                }
            }
            _ => {
                if self.templates.contains_key("event.html") && rng.chance(50) {
                    self.templates
                        .insert("event.html".into(), event_template(&format!("On ({n})")));
                    Some(("edit templates/event.html".into(), none))
                } else {
                    self.templates
                        .insert("wide.html".into(), wide_template(&format!("view {n}")));
                    Some(("edit templates/wide.html".into(), none))
                }
            }
        }
    }

    fn edit_site(&mut self, rng: &mut Rng) -> Edited {
        let n = self.tick();
        let what = match rng.below(5) {
            4 => {
                self.paginate = match self.paginate {
                    Some(3) => Some(10),
                    Some(_) => None,
                    None => Some(3),
                };
                // Snapshots come and go with it: every third such edit has none.
                self.snapshots = match self.paginate {
                    Some(3) => &["2023-06-30", "2024-03"],
                    Some(_) => &["2024"],
                    None => &[],
                };
                format!(
                    "paginate: {:?}, snapshots: {:?}",
                    self.paginate, self.snapshots
                )
            }
            0 => {
                self.title = format!("Generated explainer {n}");
                format!("title: {}", self.title)
            }
            1 => {
                self.description = if self.description.is_some() && rng.chance(30) {
                    None
                } else {
                    Some(format!("Description number {n}."))
                };
                "description".into()
            }
            2 => {
                let modes: Vec<&'static str> = ["first", "all", "none"]
                    .into_iter()
                    .filter(|m| *m != self.autolink)
                    .collect();
                self.autolink = *rng.pick(&modes);
                format!("autolink: {}", self.autolink)
            }
            _ => {
                self.language = if self.language == "en" { "de" } else { "en" };
                format!("language: {}", self.language)
            }
        };
        Some((format!("site.yaml {what}"), Hints::default()))
    }

    /// Puts a deliberate error in; `None` when the kind drawn does not apply.
    pub fn break_something(&mut self, rng: &mut Rng) -> Option<String> {
        let path = self.any_md(rng);
        let (broken, what) = match rng.below(11) {
            0 => (
                Broken::InvalidYaml(path.clone()),
                format!("invalid YAML in the front matter of {path}"),
            ),
            1 => (
                Broken::UnknownKey(path.clone()),
                format!("an unknown key in {path}"),
            ),
            2 => {
                let kind = if rng.chance(50) {
                    Kind::Actor
                } else {
                    Kind::Event
                };
                let id = rng.choose(&self.live(kind))?;
                let what = format!(
                    "an unknown actor id in the front matter of {}",
                    self.path_of(&id)?
                );
                (Broken::UnknownId(id), what)
            }
            3 => (
                Broken::WikiLink(path.clone()),
                format!("a wiki-link to nothing in the body of {path}"),
            ),
            4 => (
                Broken::RelLink(path.clone()),
                format!("a relative link to no file in the body of {path}"),
            ),
            5 => {
                let t = if rng.chance(50) || !self.templates.contains_key("event.html") {
                    "page.html"
                } else {
                    "event.html"
                };
                (
                    Broken::TemplateSyntax(format!("templates/{t}")),
                    format!("a syntax error in templates/{t}"),
                )
            }
            6 => (
                Broken::SiteYaml,
                "an unknown autolink mode in site.yaml".into(),
            ),
            9 | 10 => {
                // By kind first: list pages are few, but only relative links reach them.
                let category = |to: &String| match to.strip_prefix("index:") {
                    Some(_) => 4,
                    None => self.kind_of(to).map_or(5, |k| k as usize),
                };
                let targets: Vec<String> = self.live_referenced().into_iter().collect();
                let wanted = rng.below(5);
                let of_kind: Vec<String> = targets
                    .iter()
                    .filter(|t| category(t) == wanted)
                    .cloned()
                    .collect();
                let to = rng.choose(&of_kind)?;
                let path = match to.strip_prefix("index:") {
                    Some(folder) => index_path(folder),
                    None => self.path_of(&to)?,
                };
                (
                    Broken::Deleted(path.clone()),
                    format!("delete {path}, which other files refer to"),
                )
            }
            7 => {
                let id = rng.choose(&self.live(Kind::Question))?;
                let path = format!("content/notes/{id}.md");
                (
                    Broken::DuplicateId(path.clone()),
                    format!("a new file {path}, whose id a question has"),
                )
            }
            _ => {
                let path = "content/notes/Stray_Name.md".to_string();
                (
                    Broken::InvalidName(path.clone()),
                    format!("a new file {path}, whose name is not an id"),
                )
            }
        };
        // A draft's errors are not reported.
        if let Some(c) = self.id_at(&path).and_then(|id| self.common(&id)) {
            if c.draft
                && !matches!(
                    broken,
                    Broken::TemplateSyntax(_)
                        | Broken::SiteYaml
                        | Broken::UnknownId(_)
                        | Broken::Deleted(_)
                        | Broken::DuplicateId(_)
                        | Broken::InvalidName(_)
                )
            {
                return None;
            }
        }
        if let Broken::UnknownId(id) = &broken {
            if self.common(id)?.draft {
                return None;
            }
        }
        self.broken = Some(broken);
        Some(what)
    }

    /// Whether the deliberate error still makes the build fail (other edits could
    /// take away what made it an error; the test draws again when they do).
    pub fn still_fails(&self) -> bool {
        match &self.broken {
            None => false,
            Some(Broken::Deleted(path)) => {
                let key = match self.folder_at(path) {
                    Some(folder) => format!("index:{folder}"),
                    None => self.id_at(path).unwrap_or_default(),
                };
                self.live_referenced().contains(&key)
            }
            Some(Broken::DuplicateId(path)) => {
                let id = path.rsplit('/').next().unwrap().trim_end_matches(".md");
                self.common(id).is_some_and(|c| !c.draft)
            }
            Some(_) => true,
        }
    }

    pub fn fix(&mut self) -> String {
        let what = format!("fix {}", self.broken_path().unwrap_or_default());
        self.broken = None;
        what
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative("content/guides/x.md", "content/actors/a.md"),
            "../actors/a.md"
        );
        assert_eq!(
            relative("content/_index.md", "content/actors/a.md"),
            "actors/a.md"
        );
        assert_eq!(
            relative("content/actors/b.md", "content/actors/a.md"),
            "a.md"
        );
        assert_eq!(
            relative("content/background/history/x.md", "content/guides/y.md"),
            "../../guides/y.md"
        );
    }
}
