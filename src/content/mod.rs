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

/// What loading returns: the content, every file's text (for diagnostics), and errors.
pub type Loaded = (Content, Vec<(String, Arc<str>)>, Vec<Diagnostic>);

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
    let walker = walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    let mut seen = Vec::new();
    let mut pending: Vec<(String, String, Arc<str>)> = Vec::new();
    let changed_only = cache.changed.take();
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
    (content, texts, diagnostics)
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
}

impl ParseCache {
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

    /// Records the parse of a file read after the last load.
    pub fn insert(&mut self, rel: String, text: Arc<str>, result: ParseResult) {
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
