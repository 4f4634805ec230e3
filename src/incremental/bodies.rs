//! Markdown output kept between builds ([`MarkdownMemo`], the resolve stage's
//! [`BodyReuse`]).

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::{Arc, Mutex};

use crate::resolve::markdown::{Linker, Rendered, Target};
use crate::resolve::BodyReuse;

/// Markdown output by file. A body renders the same when its file's text and its
/// page's id are the same, so is everything every body may depend on (the actor
/// names the autolinker matches, the autolink mode, the drafts and the files that
/// failed to load), and so are the link targets (id, URL, title) of the ids and
/// files it linked to or mentioned. A body with diagnostics renders again after
/// any change to the targets: a link that was broken may now resolve.
#[derive(Debug, Default)]
pub struct MarkdownMemo {
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

impl BodyReuse for MarkdownMemo {
    fn begin(&mut self, linker: &Linker, names: &[(String, String)]) {
        let Fingerprints { global, ids, files } = fingerprints(linker, names);
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

    fn body(
        &self,
        path: &str,
        text: &Arc<str>,
        body: Range<usize>,
        id: Option<&str>,
        render: impl FnOnce() -> Rendered,
    ) -> Arc<Rendered> {
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

    fn finish(&mut self) {
        let next = std::mem::take(&mut self.next);
        self.entries = next.into_inner().unwrap_or_default();
    }
}

impl MarkdownMemo {
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

    /// The output the last build kept for the body of `path`.
    pub fn get(&self, path: &str) -> Option<Arc<Rendered>> {
        self.entries.get(path).map(|e| e.rendered.clone())
    }

    /// Records the output for a body rendered after the build, against the same
    /// link targets (a patched body edit).
    pub fn update(
        &mut self,
        path: &str,
        text: Arc<str>,
        body: Range<usize>,
        id: Option<&str>,
        rendered: Arc<Rendered>,
    ) {
        let entry = MarkdownEntry {
            text,
            body,
            id: id.map(str::to_string),
            rendered,
        };
        self.entries.insert(path.to_string(), entry);
    }
}

fn hash_of(value: &impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// What every body depends on, as one number, and each link target's fingerprint
/// by id and by file.
struct Fingerprints {
    global: u64,
    ids: HashMap<String, u64>,
    files: HashMap<String, u64>,
}

/// The fingerprints of a build's link targets. Names every field of `Linker`, so
/// that a field added there fails to compile here rather than go unnoticed.
fn fingerprints(linker: &Linker, names: &[(String, String)]) -> Fingerprints {
    let Linker {
        ids,
        files,
        drafts,
        broken,
        // Made from `names`, which are hashed instead.
        autolinker: _,
        mode,
        smart_punctuation,
        shortcodes,
    } = linker;
    let target = |t: &Target| hash_of(&(&t.id, &t.url, &t.title, t.kind));
    let ids = ids.iter().map(|(k, t)| (k.clone(), target(t))).collect();
    let files = files.iter().map(|(k, t)| (k.clone(), target(t))).collect();
    // The autolinker matches in order: keep the order here. Drafts and broken
    // files are sorted maps already.
    let global = hash_of(&(
        names,
        format!("{mode:?}"),
        smart_punctuation,
        drafts,
        broken,
        shortcodes,
    ));
    Fingerprints { global, ids, files }
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
