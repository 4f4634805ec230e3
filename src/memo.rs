//! What `serve` keeps from one build to the next so that a rebuild redoes only the
//! work a change can affect: each body's Markdown output ([`MarkdownMemo`]) and each
//! page's HTML ([`RenderMemo`]). Both are pure caches: a build with them produces
//! the same bytes as a build without them. `build` and `check` run without (the
//! default, disabled memos cost nothing).

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use tera::Value;

use crate::graph::EntityRef;
use crate::markdown::{Linker, Rendered};
use crate::values::SiteValues;

/// Drops `value` on another thread: freeing thousands of page values takes
/// milliseconds that a rebuild need not wait for.
pub fn drop_in_background<T: Send + 'static>(value: T) {
    // Should the thread not start, the closure and the value are dropped here.
    let _ = std::thread::Builder::new()
        .name("standpoint-drop".into())
        .spawn(move || drop(value));
}

/// Markdown output by file. A body renders the same when its file's text and its
/// page's id are the same, so is everything every body may depend on (the actor
/// names the autolinker matches, the autolink mode, the drafts and the files that
/// failed to load), and so are the link targets (id, URL, title) of the ids and
/// files it linked to or mentioned. A body with diagnostics renders again after
/// any change to the targets: a link that was broken may now resolve.
#[derive(Debug, Default)]
pub struct MarkdownMemo {
    enabled: bool,
    /// Fingerprint of what every body may depend on besides its own targets.
    global: u64,
    /// Fingerprint of each link target, by id and by source file.
    ids: HashMap<String, u64>,
    files: HashMap<String, u64>,
    /// The ids and files whose target differs from the last build's.
    changed_ids: HashSet<String>,
    changed_files: HashSet<String>,
    entries: HashMap<String, MarkdownEntry>,
    /// This build's entries, filled in parallel; they replace `entries` at the end.
    next: Mutex<HashMap<String, MarkdownEntry>>,
}

#[derive(Debug, Clone)]
struct MarkdownEntry {
    text: Arc<str>,
    body: Range<usize>,
    id: Option<String>,
    rendered: Arc<Rendered>,
}

impl MarkdownMemo {
    pub fn enabled() -> MarkdownMemo {
        MarkdownMemo {
            enabled: true,
            ..MarkdownMemo::default()
        }
    }

    /// Starts a build whose link targets are `linker` and the actor `names`
    /// (id, name or alias) its autolinker was made from.
    pub fn begin(&mut self, linker: &Linker, names: &[(String, String)]) {
        if !self.enabled {
            return;
        }
        let (global, ids, files) = fingerprints(linker, names);
        if global != self.global {
            self.entries.clear();
            self.global = global;
        }
        self.changed_ids = changed_keys(&self.ids, &ids);
        self.changed_files = changed_keys(&self.files, &files);
        self.ids = ids;
        self.files = files;
        self.next = Mutex::new(HashMap::with_capacity(self.entries.len()));
    }

    /// Whether `r`, rendered in an earlier build, used only targets that are the same.
    fn still_valid(&self, r: &Rendered) -> bool {
        if self.changed_ids.is_empty() && self.changed_files.is_empty() {
            return true;
        }
        r.diagnostics.is_empty()
            && !r
                .links
                .iter()
                .chain(&r.mentions)
                .any(|id| self.changed_ids.contains(id))
            && !r.files.iter().any(|f| self.changed_files.contains(f))
    }

    /// The output for this body: the cached one when nothing it depends on
    /// changed, else `render()`'s.
    pub fn render(
        &self,
        path: &str,
        text: &Arc<str>,
        body: Range<usize>,
        id: Option<&str>,
        render: impl FnOnce() -> Rendered,
    ) -> Arc<Rendered> {
        if !self.enabled {
            return Arc::new(render());
        }
        let cached = self.entries.get(path).filter(|e| {
            e.body == body
                && e.id.as_deref() == id
                && (Arc::ptr_eq(&e.text, text) || *e.text == **text)
                && self.still_valid(&e.rendered)
        });
        let rendered = match cached {
            Some(e) => e.rendered.clone(),
            None => Arc::new(render()),
        };
        let entry = MarkdownEntry {
            text: text.clone(),
            body,
            id: id.map(str::to_string),
            rendered: rendered.clone(),
        };
        if let Ok(mut next) = self.next.lock() {
            next.insert(path.to_string(), entry);
        }
        rendered
    }

    /// The output the last build kept for the body of `path`.
    pub fn get(&self, path: &str) -> Option<Arc<Rendered>> {
        self.entries.get(path).map(|e| e.rendered.clone())
    }

    /// Records the output for a body rendered after the build, against the same
    /// link targets.
    pub fn update(
        &mut self,
        path: &str,
        text: Arc<str>,
        body: Range<usize>,
        id: Option<&str>,
        rendered: Arc<Rendered>,
    ) {
        if self.enabled {
            let entry = MarkdownEntry {
                text,
                body,
                id: id.map(str::to_string),
                rendered,
            };
            self.entries.insert(path.to_string(), entry);
        }
    }

    /// Ends a build: its entries are the ones kept (files gone are forgotten).
    pub fn finish(&mut self) {
        if !self.enabled {
            return;
        }
        let next = std::mem::take(&mut self.next);
        self.entries = next.into_inner().unwrap_or_default();
    }
}

fn hash_of(value: &impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// What every body depends on, as one number, and each link target's fingerprint
/// by id and by file. Names every field of `Linker`, so that a field added there
/// fails to compile here rather than go unnoticed.
fn fingerprints(
    linker: &Linker,
    names: &[(String, String)],
) -> (u64, HashMap<String, u64>, HashMap<String, u64>) {
    let Linker {
        ids,
        files,
        drafts,
        broken,
        // Made from `names`, which are hashed instead.
        autolinker: _,
        mode,
    } = linker;
    let target = |t: &crate::markdown::Target| hash_of(&(&t.id, &t.url, &t.title));
    let ids = ids.iter().map(|(k, t)| (k.clone(), target(t))).collect();
    let files = files.iter().map(|(k, t)| (k.clone(), target(t))).collect();
    // The autolinker matches in order: keep the order here. Drafts and broken
    // files are sorted maps already.
    let global = hash_of(&(names, format!("{mode:?}"), drafts, broken));
    (global, ids, files)
}

/// The keys whose value differs between `old` and `new`, or is in only one.
fn changed_keys(old: &HashMap<String, u64>, new: &HashMap<String, u64>) -> HashSet<String> {
    let mut changed: HashSet<String> = new
        .iter()
        .filter(|(k, v)| old.get(k.as_str()) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect();
    changed.extend(old.keys().filter(|k| !new.contains_key(*k)).cloned());
    changed
}

/// Rendered pages by URL. A page renders the same when its template and its values
/// are the same, so is everything all pages share (the templates, the site's
/// configuration, the navigation, the static files' URLs), and so is what its
/// templates read of the shared values through functions: the cards and URLs of
/// the entities it asked `entity()` and `url_for()` for, or, after `matrix()`,
/// `timeline()` and the lists, all of them.
#[derive(Default)]
pub struct RenderMemo {
    enabled: bool,
    shared: Option<SharedInputs>,
    /// Whether this build's shared values equal the last build's.
    values_same: bool,
    /// Ids whose card or URL differs from the last build's.
    changed_ids: HashSet<String>,
    pages: HashMap<String, MemoPage>,
}

struct MemoPage {
    template: String,
    page: Value,
    html: Arc<str>,
    reads: SharedReads,
}

/// What a page's templates read of the shared values through functions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum SharedReads {
    #[default]
    Nothing,
    /// The cards or URLs of these entities, by id.
    Cards(BTreeSet<String>),
    /// Any of it.
    Everything,
}

/// What every page of a build depends on.
pub struct SharedInputs {
    /// Name, whether the site's (not the theme's), text.
    pub templates: Vec<(String, bool, Arc<str>)>,
    pub config: serde_json::Value,
    pub nav: Value,
    pub values: Arc<SiteValues>,
    pub assets: Arc<BTreeMap<String, String>>,
    pub serve: bool,
}

impl SharedInputs {
    /// Everything but the shared values, which pages may not read.
    fn same_frame(&self, other: &SharedInputs) -> bool {
        self.templates == other.templates
            && self.config == other.config
            && self.serve == other.serve
            && self.assets == other.assets
            && same(&self.nav, &other.nav)
    }
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

/// `new`, with each part that is the same as in `old` replaced by `old`'s, so that
/// pages built from it share those parts with the cached pages and comparing them
/// mostly compares pointers; whether everything was the same; and the ids whose
/// card or URL changed. Names every field, so that a field added to `SiteValues`
/// fails to compile here rather than go unnoticed.
fn intern(old: &SiteValues, new: SiteValues) -> (SiteValues, bool, HashSet<String>) {
    let SiteValues {
        refs,
        urls,
        stances,
        actor_cards,
        question_cards,
        event_cards,
        page_cards,
        matrix,
        timeline,
        actors,
        questions,
        events,
    } = new;
    let all_same = AtomicBool::new(refs == old.refs && urls == old.urls && matrix == old.matrix);
    let one = |o: Option<&Value>, n: Value| -> (Value, bool) {
        match o {
            Some(o) if same(o, &n) => (o.clone(), false),
            _ => {
                all_same.store(false, Ordering::Relaxed);
                (n, true)
            }
        }
    };
    // Element by element: an insertion shares nothing after it, which is safe.
    // Also says which elements changed.
    let list = |o: &[Value], n: Vec<Value>| -> (Vec<Value>, Vec<bool>) {
        if o.len() != n.len() {
            all_same.store(false, Ordering::Relaxed);
        }
        n.into_par_iter()
            .enumerate()
            .map(|(k, v)| one(o.get(k), v))
            .unzip()
    };
    let (actor_cards, actors_changed) = list(&old.actor_cards, actor_cards);
    let (question_cards, questions_changed) = list(&old.question_cards, question_cards);
    let (event_cards, events_changed) = list(&old.event_cards, event_cards);
    let (page_cards, pages_changed) = list(&old.page_cards, page_cards);
    let card_changed = |r: &EntityRef| {
        let (flags, i) = match *r {
            EntityRef::Actor(i) => (&actors_changed, i),
            EntityRef::Question(i) => (&questions_changed, i),
            EntityRef::Event(i) => (&events_changed, i),
            EntityRef::Page(i) => (&pages_changed, i),
        };
        flags.get(i).copied().unwrap_or(true)
    };
    // Ids whose card changed, whose URL changed, or that came or went.
    let mut changed_ids: HashSet<String> = refs
        .iter()
        .filter(|(id, r)| card_changed(r) || old.urls.get(*id) != urls.get(*id))
        .map(|(id, _)| id.clone())
        .collect();
    changed_ids.extend(
        old.refs
            .keys()
            .filter(|id| !refs.contains_key(*id))
            .cloned(),
    );
    let values = SiteValues {
        refs,
        stances: list(&old.stances, stances).0,
        actor_cards,
        question_cards,
        event_cards,
        page_cards,
        timeline: list(&old.timeline, timeline).0,
        actors: one(Some(&old.actors), actors).0,
        questions: one(Some(&old.questions), questions).0,
        events: one(Some(&old.events), events).0,
        urls,
        matrix,
    };
    (values, all_same.into_inner(), changed_ids)
}

impl RenderMemo {
    pub fn enabled() -> RenderMemo {
        RenderMemo {
            enabled: true,
            ..RenderMemo::default()
        }
    }

    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// The shared values the last build rendered with.
    pub fn previous_values(&self) -> Option<Arc<SiteValues>> {
        self.shared.as_ref().map(|s| s.values.clone())
    }

    /// Starts a build: forgets every page if anything all pages depend on changed.
    /// Returns the shared values to render with: the last build's where they are
    /// the same (see [`intern`]).
    pub fn begin(&mut self, shared: SharedInputs) -> Arc<SiteValues> {
        if !self.enabled {
            return shared.values;
        }
        let Some(old) = self.shared.take().filter(|old| old.same_frame(&shared)) else {
            self.pages.clear();
            self.values_same = false;
            self.changed_ids.clear();
            let values = shared.values.clone();
            self.shared = Some(shared);
            return values;
        };
        let SharedInputs {
            templates,
            config,
            nav,
            values,
            assets,
            serve,
        } = shared;
        // The caller made `values` for this build: it is not shared, so no copy.
        let (new, values_same, changed_ids) = intern(&old.values, Arc::unwrap_or_clone(values));
        let values = if values_same {
            old.values.clone()
        } else {
            Arc::new(new)
        };
        self.values_same = values_same;
        self.changed_ids = changed_ids;
        self.shared = Some(SharedInputs {
            templates,
            config,
            nav,
            values: values.clone(),
            assets,
            serve,
        });
        values
    }

    /// The HTML the page rendered to last time, if it renders the same now.
    pub fn reuse(&self, url: &str, template: &str, page: &Value) -> Option<Arc<str>> {
        let memo = self.pages.get(url)?;
        let reads_same = self.values_same
            || match &memo.reads {
                SharedReads::Nothing => true,
                SharedReads::Cards(ids) => ids.iter().all(|id| !self.changed_ids.contains(id)),
                SharedReads::Everything => false,
            };
        let fits = memo.template == template && reads_same && same(&memo.page, page);
        fits.then(|| memo.html.clone())
    }

    /// Forgets the pages that are not among `urls` (this build's pages).
    pub fn forget_others<'a>(&mut self, urls: impl ExactSizeIterator<Item = &'a str> + Clone) {
        let count = urls.len();
        let all_known = urls.clone().all(|url| self.pages.contains_key(url));
        if all_known && self.pages.len() == count {
            return;
        }
        let keep: HashSet<&str> = urls.collect();
        self.pages.retain(|url, _| keep.contains(url.as_str()));
    }

    /// Records one rendered page.
    pub fn update(
        &mut self,
        url: String,
        template: String,
        page: Value,
        html: Arc<str>,
        reads: SharedReads,
    ) {
        if self.enabled {
            let memo = MemoPage {
                template,
                page,
                html,
                reads,
            };
            self.pages.insert(url, memo);
        }
    }
}

impl std::fmt::Debug for RenderMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RenderMemo")
            .field("enabled", &self.enabled)
            .field("pages", &self.pages.len())
            .finish()
    }
}
