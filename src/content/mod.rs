//! Loading: walk `content/`, split each file's front matter from its body, parse the
//! typed front matter, and keep the text and byte offsets for diagnostics.

pub mod date;
pub mod frontmatter;
pub mod locate;
pub mod model;
pub mod yaml;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use crate::diagnostics::Diagnostic;
pub use date::Date;
pub use locate::{find_key, find_key_value, find_value};
pub use model::*;

/// One parsed Markdown file.
#[derive(Debug, Clone)]
pub struct Doc<M> {
    /// The file stem (for `_index.md`, the folder's path, `""` for the home page).
    pub id: String,
    /// Path relative to the site root: `content/actors/joe-biden.md`.
    pub path: String,
    /// Site path of the page this file becomes: `/actors/joe-biden/`.
    pub url: String,
    pub text: Arc<str>,
    pub front_matter: Range<usize>,
    pub body: Range<usize>,
    pub meta: M,
}

impl<M> Doc<M> {
    pub fn body_text(&self) -> &str {
        &self.text[self.body.clone()]
    }
}

/// What a file under `content/` is, by its place. Shared: `serve` keeps the parse
/// of every unchanged file from one build to the next.
#[derive(Debug, Clone)]
pub enum Parsed {
    Actor(Arc<Doc<ActorMeta>>),
    Question(Arc<Doc<QuestionMeta>>),
    Event(Arc<Doc<EventMeta>>),
    Page(Arc<Doc<PageMeta>>),
    /// `_index.md`: the home page or a folder's list page.
    Index(Arc<Doc<PageMeta>>),
}

impl Parsed {
    pub fn id(&self) -> &str {
        match self {
            Parsed::Actor(d) => &d.id,
            Parsed::Question(d) => &d.id,
            Parsed::Event(d) => &d.id,
            Parsed::Page(d) | Parsed::Index(d) => &d.id,
        }
    }

    pub fn path(&self) -> &str {
        match self {
            Parsed::Actor(d) => &d.path,
            Parsed::Question(d) => &d.path,
            Parsed::Event(d) => &d.path,
            Parsed::Page(d) | Parsed::Index(d) => &d.path,
        }
    }

    /// Where the Markdown body starts and ends in the file's text.
    pub fn body(&self) -> Range<usize> {
        match self {
            Parsed::Actor(d) => d.body.clone(),
            Parsed::Question(d) => d.body.clone(),
            Parsed::Event(d) => d.body.clone(),
            Parsed::Page(d) | Parsed::Index(d) => d.body.clone(),
        }
    }

    pub fn is_draft(&self) -> bool {
        match self {
            Parsed::Actor(d) => d.meta.draft,
            Parsed::Question(d) => d.meta.draft,
            Parsed::Event(d) => d.meta.draft,
            Parsed::Page(d) | Parsed::Index(d) => d.meta.draft,
        }
    }
}

/// A non-Markdown file under `content/`, copied to the same place in the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Output path relative to the output root: `images/map.png`.
    pub output: String,
    pub file: PathBuf,
}

/// Everything under `content/`, parsed. Drafts are kept apart so that a reference to
/// one can be explained rather than reported as unknown.
#[derive(Debug, Clone, Default)]
pub struct Content {
    pub actors: Vec<Arc<Doc<ActorMeta>>>,
    pub questions: Vec<Arc<Doc<QuestionMeta>>>,
    pub events: Vec<Arc<Doc<EventMeta>>>,
    pub pages: Vec<Arc<Doc<PageMeta>>>,
    pub indexes: Vec<Arc<Doc<PageMeta>>>,
    pub assets: Vec<Asset>,
    /// Draft ids left out of this build, with their file.
    pub drafts: BTreeMap<String, String>,
    /// Files that failed to load, by id (or by path when they have none): references
    /// to them are not reported again (the file's own error says what is wrong).
    pub broken: BTreeMap<String, String>,
}

/// True for files editors and systems leave beside real ones: hidden files, swap
/// and backup files, emacs lock files.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
}

pub fn is_valid_id(id: &str) -> bool {
    let mut bytes = id.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z' | b'0'..=b'9'))
        && bytes.all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-'))
}

/// `Joe Biden` -> `joe-biden`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'ø' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// Reads one file's bytes into text, or says where it stops being UTF-8.
pub fn decode(path: &str, bytes: Vec<u8>) -> Result<Arc<str>, (Diagnostic, Arc<str>)> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Arc::from(text)),
        Err(err) => {
            let offset = err.utf8_error().valid_up_to();
            let lossy: Arc<str> = Arc::from(String::from_utf8_lossy(err.as_bytes()).as_ref());
            let d = Diagnostic::error("the file is not valid UTF-8")
                .in_file(path)
                .at(offset..offset + 1)
                .label("this byte is not UTF-8")
                .help("save the file as UTF-8 in your editor");
            Err((d, lossy))
        }
    }
}

/// Parses one file under `content/`. `rel` is its path below `content/`, with `/`.
pub fn parse_file(rel: &str, text: Arc<str>) -> Result<Parsed, Vec<Diagnostic>> {
    let path = format!("content/{rel}");
    let (folder, file_name) = match rel.rsplit_once('/') {
        Some((f, n)) => (f, n),
        None => ("", rel),
    };
    let stem = file_name.strip_suffix(".md").unwrap_or(file_name);
    let parts = frontmatter::split(&text, &path).map_err(|d| vec![d])?;
    let top = folder.split('/').next().unwrap_or("");

    if stem == "_index" {
        let meta: PageMeta = parse_meta(&path, &text, &parts)?;
        let url = if folder.is_empty() {
            "/".to_string()
        } else {
            format!("/{folder}/")
        };
        return Ok(Parsed::Index(doc(
            folder.to_string(),
            path,
            url,
            text,
            parts,
            meta,
        )));
    }

    if !is_valid_id(stem) {
        let suggestion = slugify(stem);
        let mut d = Diagnostic::error(format!("the file name `{file_name}` is not a valid id"))
            .in_file(&path)
            .at(parts.opener.start..parts.opener.start)
            .label("the id of this file comes from its name")
            .note("ids are made of lowercase letters, digits and `-`, and start with a letter or digit");
        if !suggestion.is_empty() {
            d = d.help(format!("rename the file to `{suggestion}.md`"));
        }
        return Err(vec![d]);
    }
    let id = stem.to_string();
    let parsed = match top {
        "actors" => {
            let meta: ActorMeta = parse_meta(&path, &text, &parts)?;
            let url = format!("/actors/{id}/");
            Parsed::Actor(doc(id, path, url, text, parts, meta))
        }
        "questions" => {
            let meta: QuestionMeta = parse_meta(&path, &text, &parts)?;
            let url = format!("/questions/{id}/");
            Parsed::Question(doc(id, path, url, text, parts, meta))
        }
        "events" => {
            let meta: EventMeta = parse_meta(&path, &text, &parts)?;
            let url = format!("/events/{id}/");
            Parsed::Event(doc(id, path, url, text, parts, meta))
        }
        _ => {
            let meta: PageMeta = parse_meta(&path, &text, &parts)?;
            if meta.title.is_none() {
                return Err(vec![Diagnostic::error("missing required key `title`")
                    .in_file(&path)
                    .at(parts.opener.clone())
                    .label("this front matter has no `title`")
                    .help("add `title: \"...\"`")]);
            }
            let url = if folder.is_empty() {
                format!("/{id}/")
            } else {
                format!("/{folder}/{id}/")
            };
            Parsed::Page(doc(id, path, url, text, parts, meta))
        }
    };
    Ok(parsed)
}

fn doc<M>(
    id: String,
    path: String,
    url: String,
    text: Arc<str>,
    parts: frontmatter::Parts,
    meta: M,
) -> Arc<Doc<M>> {
    Arc::new(Doc {
        id,
        path,
        url,
        text,
        front_matter: parts.front_matter,
        body: parts.body,
        meta,
    })
}

/// Deserialises a whole YAML file (`site.yaml`); errors about the whole mapping
/// point at its first line.
pub fn parse_yaml<M: DeserializeOwned>(
    path: &str,
    text: &str,
    range: &Range<usize>,
) -> Result<M, Vec<Diagnostic>> {
    let first_line = text[range.clone()]
        .find(['\r', '\n'])
        .map_or(range.end, |i| range.start + i);
    yaml::parse_yaml_at(path, text, range, range.start..first_line, true)
}

/// Deserialises a file's front matter; a missing key points at the opening `---`.
fn parse_meta<M: DeserializeOwned>(
    path: &str,
    text: &str,
    parts: &frontmatter::Parts,
) -> Result<M, Vec<Diagnostic>> {
    yaml::parse_yaml_at(path, text, &parts.front_matter, parts.opener.clone(), false)
}

/// Every Markdown file's text, by path from the site root (for diagnostics).
pub type Texts = Vec<(String, Arc<str>)>;

/// What loading returns: the content, every file's text, and errors.
pub type Loaded = (Content, Texts, Vec<Diagnostic>);

/// Walks `content/` and parses every Markdown file, collecting every error.
pub fn load(root: &Path, include_drafts: bool, cache: &mut ParseCache) -> Loaded {
    let mut content = Content::default();
    let mut texts = Vec::new();
    let mut diagnostics = Vec::new();
    let dir = root.join("content");
    if !dir.is_dir() {
        diagnostics.push(
            Diagnostic::error("there is no `content/` folder")
                .help("create `content/_index.md` with the home page's front matter"),
        );
        return (content, texts, diagnostics);
    }
    let changed_only = cache.changed.take();
    // `serve`, after edits to files it has loaded before: no need to walk again.
    if let (Some(changed), Some(last)) = (&changed_only, cache.last.take()) {
        if last.root == root && last.include_drafts == include_drafts {
            if let Some((content, texts)) = reload_changed(&dir, cache, last, changed) {
                cache.remember(root, include_drafts, &content, &texts);
                return (content, texts, diagnostics);
            }
        }
    }
    let walker = walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    let mut seen = Vec::new();
    let mut pending: Vec<(String, String, Arc<str>)> = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = err.path().map(|p| rel_path(root, p)).unwrap_or_default();
                diagnostics.push(Diagnostic::error(format!("cannot read `{path}`: {err}")));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = rel_path(&dir, entry.path());
        if !rel.ends_with(".md") {
            content.assets.push(Asset {
                output: rel,
                file: entry.path().to_path_buf(),
            });
            continue;
        }
        let path = format!("content/{rel}");
        // `serve` knows which files changed: the others keep the text read before.
        let unchanged = changed_only
            .as_ref()
            .and_then(|c| cache.unchanged_text(&rel, c));
        let bytes = match unchanged {
            Some(_) => Vec::new(),
            None => match std::fs::read(entry.path()) {
                Ok(b) => b,
                Err(err) => {
                    diagnostics.push(Diagnostic::error(format!("cannot read `{path}`: {err}")));
                    continue;
                }
            },
        };
        let text = match unchanged.map_or_else(|| decode(&path, bytes), Ok) {
            Ok(t) => t,
            Err((d, lossy)) => {
                note_broken(&mut content, &rel, &path);
                texts.push((path, lossy));
                diagnostics.push(d);
                continue;
            }
        };
        texts.push((path.clone(), text.clone()));
        seen.push(rel.clone());
        pending.push((rel, path, text));
    }
    // Parsing front matter is most of the cost of loading: in parallel, then in walk order.
    let parsed: Vec<ParseResult> = pending
        .par_iter()
        .map(|(rel, _, text)| {
            cache
                .cached(rel, text)
                .unwrap_or_else(|| parse_file(rel, text.clone()))
        })
        .collect();
    for ((rel, path, text), result) in pending.into_iter().zip(parsed) {
        match cache.keep(rel.clone(), text, result) {
            Ok(parsed) => {
                if parsed.is_draft() && !include_drafts {
                    content
                        .drafts
                        .insert(parsed.id().to_string(), parsed.path().to_string());
                    continue;
                }
                match parsed {
                    Parsed::Actor(d) => content.actors.push(d),
                    Parsed::Question(d) => content.questions.push(d),
                    Parsed::Event(d) => content.events.push(d),
                    Parsed::Page(d) => content.pages.push(d),
                    Parsed::Index(d) => content.indexes.push(d),
                }
            }
            Err(ds) => {
                note_broken(&mut content, &rel, &path);
                diagnostics.extend(ds);
            }
        }
    }
    cache.retain(&seen);
    if diagnostics.is_empty() {
        cache.remember(root, include_drafts, &content, &texts);
    }
    (content, texts, diagnostics)
}

/// The last load's content and texts with the files in `changed` read again, when
/// each is a Markdown file or asset of that load, still a plain file, and (for
/// Markdown) parses without error to the same kind, id and draft state: then the
/// file set is what a walk would find. `None` otherwise; the caller walks.
fn reload_changed(
    dir: &Path,
    cache: &mut ParseCache,
    last: LastLoad,
    changed: &std::collections::BTreeSet<String>,
) -> Option<(Content, Texts)> {
    let mut last = last;
    for rel in changed {
        let file = dir.join(rel);
        let is_file = std::fs::symlink_metadata(&file).is_ok_and(|m| m.file_type().is_file());
        let path = format!("content/{rel}");
        if !rel.ends_with(".md") {
            let known = last.content.assets.iter().any(|a| a.output == *rel);
            let under = format!("{path}/");
            let anything_below = last.texts.iter().any(|(p, _)| p.starts_with(&under))
                || last
                    .content
                    .assets
                    .iter()
                    .any(|a| a.output.starts_with(&format!("{rel}/")));
            match (known, is_file) {
                // An asset edited in place: its bytes are read when the site renders.
                (true, true) => continue,
                // An editor's temporary file, come and gone.
                (false, false) if !file.exists() && !anything_below => continue,
                _ => return None,
            }
        }
        if !is_file {
            return None;
        }
        let (_, Ok(old)) = cache.get(rel)? else {
            return None;
        };
        let old = old.clone();
        let text = decode(&path, std::fs::read(&file).ok()?).ok()?;
        let result = cache
            .cached(rel, &text)
            .unwrap_or_else(|| parse_file(rel, text.clone()));
        let new = result.clone().ok()?;
        if !last.replace(&path, &old, &new, &text) {
            return None;
        }
        cache.entries.insert(rel.clone(), (text, result));
    }
    Some((last.content, last.texts))
}

impl LastLoad {
    /// Puts the new parse and text of the file at `path` in place of `old`'s. False
    /// (and nothing changed) when the file's kind, id or draft state differ, or
    /// `old` is not in the content (a draft left out).
    fn replace(&mut self, path: &str, old: &Parsed, new: &Parsed, text: &Arc<str>) -> bool {
        if new.id() != old.id() || new.is_draft() != old.is_draft() {
            return false;
        }
        let Some(slot) = self.texts.iter().position(|(p, _)| p == path) else {
            return false;
        };
        let c = &mut self.content;
        let replaced = match (old, new) {
            (Parsed::Actor(o), Parsed::Actor(n)) => replace(&mut c.actors, o, n),
            (Parsed::Question(o), Parsed::Question(n)) => replace(&mut c.questions, o, n),
            (Parsed::Event(o), Parsed::Event(n)) => replace(&mut c.events, o, n),
            (Parsed::Page(o), Parsed::Page(n)) => replace(&mut c.pages, o, n),
            (Parsed::Index(o), Parsed::Index(n)) => replace(&mut c.indexes, o, n),
            _ => false,
        };
        if replaced {
            self.texts[slot].1 = text.clone();
        }
        replaced
    }
}

/// Puts `new` where `old` is in `docs`; false when `old` is not there.
fn replace<M>(docs: &mut [Arc<Doc<M>>], old: &Arc<Doc<M>>, new: &Arc<Doc<M>>) -> bool {
    match docs.iter_mut().find(|d| Arc::ptr_eq(d, old)) {
        Some(slot) => {
            *slot = new.clone();
            true
        }
        None => false,
    }
}

/// Remembers a file that failed to load: by the id it would have had, or (for
/// `_index.md` and names that are not ids) by its path, which no id can equal.
fn note_broken(content: &mut Content, rel: &str, path: &str) {
    let stem = rel
        .rsplit('/')
        .next()
        .unwrap_or(rel)
        .trim_end_matches(".md");
    let key = if is_valid_id(stem) { stem } else { path };
    content.broken.insert(key.to_string(), path.to_string());
}

pub type ParseResult = Result<Parsed, Vec<Diagnostic>>;

/// Parsed files by path and text: `serve` re-parses only the files that changed.
#[derive(Debug, Default)]
pub struct ParseCache {
    entries: BTreeMap<String, (Arc<str>, ParseResult)>,
    /// Set by [`ParseCache::only_changed`] for the next load.
    changed: Option<std::collections::BTreeSet<String>>,
    /// Whether to keep each load's result (`serve`).
    keep_last: bool,
    /// The last load, when it had no diagnostics.
    last: Option<LastLoad>,
}

/// What a load found, kept so that the next one can replace the edited files
/// instead of walking `content/` again.
#[derive(Debug)]
struct LastLoad {
    root: PathBuf,
    include_drafts: bool,
    content: Content,
    texts: Texts,
}

impl ParseCache {
    /// A cache that also keeps each load's result, for `serve`: a load after edits
    /// to files loaded before then reads only those files, without a walk.
    pub fn for_serve() -> ParseCache {
        ParseCache {
            keep_last: true,
            ..ParseCache::default()
        }
    }

    fn remember(
        &mut self,
        root: &Path,
        include_drafts: bool,
        content: &Content,
        texts: &[(String, Arc<str>)],
    ) {
        if self.keep_last {
            self.last = Some(LastLoad {
                root: root.to_path_buf(),
                include_drafts,
                content: content.clone(),
                texts: texts.to_vec(),
            });
        }
    }

    /// Tells the next [`load`] that, of the files it has read before, only these
    /// (paths below `content/`, files or folders) may have changed: it takes the
    /// others' text from the cache instead of reading them again. For `serve`,
    /// whose file watcher knows; without this call every file is read.
    pub fn only_changed(&mut self, changed: std::collections::BTreeSet<String>) {
        self.changed = Some(changed);
    }

    /// The text `rel` had at the last load and what it parsed to.
    pub fn get(&self, rel: &str) -> Option<(&Arc<str>, &ParseResult)> {
        self.entries.get(rel).map(|(text, result)| (text, result))
    }

    /// Records the parse of a file read after the last load (a body edit `serve`
    /// patched in), in the kept load too.
    pub fn insert(&mut self, rel: String, text: Arc<str>, result: ParseResult) {
        let old = self.entries.get(&rel).and_then(|(_, r)| r.as_ref().ok());
        let kept = match (self.last.as_mut(), old, &result) {
            (Some(last), Some(old), Ok(new)) => {
                last.replace(&format!("content/{rel}"), &old.clone(), new, &text)
            }
            _ => false,
        };
        if !kept {
            self.last = None;
        }
        self.entries.insert(rel, (text, result));
    }

    /// The cached text of `rel`, unless it or a folder above it is in `changed`.
    fn unchanged_text(
        &self,
        rel: &str,
        changed: &std::collections::BTreeSet<String>,
    ) -> Option<Arc<str>> {
        let mut path = rel;
        loop {
            if changed.contains(path) {
                return None;
            }
            match path.rsplit_once('/') {
                Some((folder, _)) => path = folder,
                None => break,
            }
        }
        self.entries.get(rel).map(|(text, _)| text.clone())
    }

    /// The result of the last parse of `rel`, if its text is still `text`.
    fn cached(&self, rel: &str, text: &Arc<str>) -> Option<ParseResult> {
        let (cached_text, result) = self.entries.get(rel)?;
        (Arc::ptr_eq(cached_text, text) || **cached_text == **text).then(|| result.clone())
    }

    /// Remembers the result of parsing `rel` and returns it.
    fn keep(&mut self, rel: String, text: Arc<str>, result: ParseResult) -> ParseResult {
        self.entries.insert(rel, (text, result.clone()));
        result
    }

    /// Forgets files that are gone.
    fn retain(&mut self, seen: &[String]) {
        let keep: std::collections::BTreeSet<&String> = seen.iter().collect();
        self.entries.retain(|k, _| keep.contains(k));
    }
}

/// `root/content/actors/x.md` -> `content/actors/x.md`, always with `/`.
pub fn rel_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changed_files_are_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let actors = dir.path().join("content/actors");
        std::fs::create_dir_all(&actors).unwrap();
        let actor = |name: &str| format!("---\nname: {name}\nkind: person\n---\n");
        std::fs::write(actors.join("a.md"), actor("A1")).unwrap();
        std::fs::write(actors.join("b.md"), actor("B1")).unwrap();
        let mut cache = ParseCache::default();
        let names =
            |c: &Content| -> Vec<String> { c.actors.iter().map(|d| d.meta.name.clone()).collect() };
        assert_eq!(names(&load(dir.path(), false, &mut cache).0), ["A1", "B1"]);
        std::fs::write(actors.join("a.md"), actor("A2")).unwrap();
        std::fs::write(actors.join("b.md"), actor("B2")).unwrap();
        // Told that only a.md changed, the load keeps b.md's text.
        cache.only_changed(["actors/a.md".to_string()].into());
        assert_eq!(names(&load(dir.path(), false, &mut cache).0), ["A2", "B1"]);
        // A changed folder covers the files below it.
        cache.only_changed(["actors".to_string()].into());
        assert_eq!(names(&load(dir.path(), false, &mut cache).0), ["A2", "B2"]);
        // Untold, everything is read.
        std::fs::write(actors.join("a.md"), actor("A3")).unwrap();
        assert_eq!(names(&load(dir.path(), false, &mut cache).0), ["A3", "B2"]);
    }

    #[test]
    fn serve_loads_after_edits_match_a_walk() {
        let dir = tempfile::tempdir().unwrap();
        let actors = dir.path().join("content/actors");
        std::fs::create_dir_all(&actors).unwrap();
        let actor = |name: &str, draft: bool| {
            format!("---\nname: {name}\nkind: person\ndraft: {draft}\n---\n")
        };
        std::fs::write(actors.join("a.md"), actor("A1", false)).unwrap();
        std::fs::write(actors.join("b.md"), actor("B1", false)).unwrap();
        std::fs::write(dir.path().join("content/map.png"), b"png").unwrap();
        let mut cache = ParseCache::for_serve();
        let walked = |root: &Path| load(root, false, &mut ParseCache::default()).0;
        let names =
            |c: &Content| -> Vec<String> { c.actors.iter().map(|d| d.meta.name.clone()).collect() };
        let mut after = |changed: &[&str]| {
            cache.only_changed(changed.iter().map(|c| c.to_string()).collect());
            let (content, texts, diags) = load(dir.path(), false, &mut cache);
            assert!(diags.is_empty(), "{diags:?}");
            let fresh = load(dir.path(), false, &mut ParseCache::default());
            assert_eq!(texts, fresh.1);
            content
        };
        after(&[]);
        // An edit, an asset edited in place, an editor's temporary file.
        std::fs::write(actors.join("a.md"), actor("A2", false)).unwrap();
        std::fs::write(dir.path().join("content/map.png"), b"png2").unwrap();
        let c = after(&["actors/a.md", "map.png", "actors/a.md.tmp"]);
        assert_eq!(names(&c), names(&walked(dir.path())));
        assert_eq!(names(&c), ["A2", "B1"]);
        assert_eq!(c.assets, walked(dir.path()).assets);
        // A file that becomes a draft leaves the content.
        std::fs::write(actors.join("b.md"), actor("B1", true)).unwrap();
        let c = after(&["actors/b.md"]);
        assert_eq!(names(&c), ["A2"]);
        assert_eq!(c.drafts.keys().collect::<Vec<_>>(), ["b"]);
        // New and deleted files are found.
        std::fs::write(actors.join("c.md"), actor("C1", false)).unwrap();
        std::fs::remove_file(actors.join("a.md")).unwrap();
        let c = after(&["actors/c.md", "actors/a.md"]);
        assert_eq!(names(&c), ["C1"]);
        assert_eq!(names(&c), names(&walked(dir.path())));
        // Without a walk, the load goes by the report alone: a file nobody reported
        // is not looked for (serve's watcher reports every change).
        std::fs::write(actors.join("d.md"), actor("D1", false)).unwrap();
        cache.only_changed(["actors/c.md".to_string()].into());
        assert_eq!(names(&load(dir.path(), false, &mut cache).0), ["C1"]);
        assert_eq!(names(&walked(dir.path())), ["C1", "D1"]);
    }

    #[test]
    fn ids_and_slugs() {
        assert!(is_valid_id("joe-biden"));
        assert!(is_valid_id("g7"));
        assert!(!is_valid_id("Joe-Biden"));
        assert!(!is_valid_id("-x"));
        assert!(!is_valid_id("a_b"));
        assert_eq!(slugify("Olaf Scholz"), "olaf-scholz");
        assert_eq!(slugify("  Émile's café! "), "emile-s-cafe");
    }

    #[test]
    fn unknown_key_gets_a_hint_and_the_file_line() {
        let text: Arc<str> = Arc::from("---\nnmae: Joe\nkind: person\n---\n");
        let err = parse_file("actors/joe.md", text.clone()).unwrap_err();
        assert_eq!(err[0].message, "unknown key `nmae`");
        assert_eq!(err[0].help.as_deref(), Some("did you mean `name`?"));
        let span = err[0].span.clone().unwrap();
        assert_eq!(crate::diagnostics::line_col(&text, span.start), (2, 1));
    }

    #[test]
    fn finds_the_wrong_id_in_front_matter() {
        let text = "---\naffiliations: [nato, nat]\n---\n";
        let r = find_value(text, &(4..31), "nat", 0).unwrap();
        assert_eq!(&text[r.clone()], "nat");
        assert_eq!(r.start, 25);
    }
}
