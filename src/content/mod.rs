//! Loading: walk `content/`, split each file's front matter from its body, parse the
//! typed front matter, and keep the text and byte offsets for diagnostics.

pub mod date;
pub mod frontmatter;
pub mod model;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::diagnostics::{did_you_mean, Diagnostic};
pub use date::Date;
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

/// What a file under `content/` is, by its place.
#[derive(Debug, Clone)]
pub enum Parsed {
    Actor(Doc<ActorMeta>),
    Question(Doc<QuestionMeta>),
    Event(Doc<EventMeta>),
    Page(Doc<PageMeta>),
    /// `_index.md`: the home page or a folder's list page.
    Index(Doc<PageMeta>),
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
    pub actors: Vec<Doc<ActorMeta>>,
    pub questions: Vec<Doc<QuestionMeta>>,
    pub events: Vec<Doc<EventMeta>>,
    pub pages: Vec<Doc<PageMeta>>,
    pub indexes: Vec<Doc<PageMeta>>,
    pub assets: Vec<Asset>,
    /// Draft ids left out of this build, with their file.
    pub drafts: BTreeMap<String, String>,
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
        let meta: PageMeta = parse_yaml(&path, &text, &parts.front_matter)?;
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
            .note("ids are made of lowercase letters, digits and `-`, and start with a letter or digit");
        if !suggestion.is_empty() {
            d = d.help(format!("rename the file to `{suggestion}.md`"));
        }
        return Err(vec![d]);
    }
    let id = stem.to_string();
    let parsed = match top {
        "actors" => {
            let meta: ActorMeta = parse_yaml(&path, &text, &parts.front_matter)?;
            let url = format!("/actors/{id}/");
            Parsed::Actor(doc(id, path, url, text, parts, meta))
        }
        "questions" => {
            let meta: QuestionMeta = parse_yaml(&path, &text, &parts.front_matter)?;
            let url = format!("/questions/{id}/");
            Parsed::Question(doc(id, path, url, text, parts, meta))
        }
        "events" => {
            let meta: EventMeta = parse_yaml(&path, &text, &parts.front_matter)?;
            let url = format!("/events/{id}/");
            Parsed::Event(doc(id, path, url, text, parts, meta))
        }
        _ => {
            let meta: PageMeta = parse_yaml(&path, &text, &parts.front_matter)?;
            if meta.title.is_none() {
                let fm = &parts.front_matter;
                return Err(vec![Diagnostic::error("missing required key `title`")
                    .in_file(&path)
                    .at(fm.start.saturating_sub(4)..fm.start.saturating_sub(1))
                    .label("in this front matter")
                    .help("add `title: \"...\"` to the front matter")]);
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
) -> Doc<M> {
    Doc {
        id,
        path,
        url,
        text,
        front_matter: parts.front_matter,
        body: parts.body,
        meta,
    }
}

/// Deserialises front matter, turning YAML errors into diagnostics that point at the
/// line in the Markdown file, with hints for unknown keys and values.
pub fn parse_yaml<M: DeserializeOwned>(
    path: &str,
    text: &str,
    range: &Range<usize>,
) -> Result<M, Vec<Diagnostic>> {
    let yaml = &text[range.clone()];
    let source = if yaml.trim().is_empty() { "{}" } else { yaml };
    serde_yaml::from_str(source).map_err(|err| {
        let offset = if yaml.trim().is_empty() {
            range.start
        } else {
            range.start + err.location().map_or(0, |l| l.index())
        };
        vec![yaml_diagnostic(&err.to_string(), path, text, offset)]
    })
}

/// Builds the diagnostic for a serde_yaml error message found at `offset` of `text`.
pub fn yaml_diagnostic(raw: &str, path: &str, text: &str, offset: usize) -> Diagnostic {
    let message = strip_location(raw);
    let end = token_end(text, offset);
    let mut d = Diagnostic::error(&message).in_file(path).at(offset..end);
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (wanted, expected) = split_expected(rest);
        d.message = format!("unknown key `{wanted}`");
        d.help = did_you_mean(&wanted, expected.iter().map(String::as_str)).or_else(|| {
            Some(format!(
                "the keys allowed here are {}; put free-form data under `extra:`",
                expected
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        });
    } else if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (wanted, expected) = split_expected(rest);
        d.message = format!("unknown value `{wanted}`");
        d.help = did_you_mean(&wanted, expected.iter().map(String::as_str)).or_else(|| {
            Some(format!(
                "expected one of {}",
                expected
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        });
    } else if let Some(rest) = message.strip_prefix("missing field ") {
        let key = rest.trim_matches('`');
        d.message = format!("missing required key `{key}`");
        d.help = Some(format!("add `{key}: ...` here"));
    } else if message.contains("invalid type") {
        d.help =
            Some("check the value's type: a list is written `[a, b]` or as `- item` lines".into());
    } else if message.starts_with("invalid date") {
        d.help = Some("write dates as `2024`, `2024-05` or `2024-05-30`".into());
    }
    d
}

/// serde_yaml appends ` at line L column C`; we print the place ourselves.
fn strip_location(message: &str) -> String {
    let message = match message.find(" at line ") {
        Some(i) => &message[..i],
        None => message,
    };
    message.trim_end_matches(':').to_string()
}

/// "`nmae`, expected one of `name`, `kind`" -> ("nmae", ["name", "kind"]).
fn split_expected(rest: &str) -> (String, Vec<String>) {
    let mut pieces = rest.split('`').skip(1).step_by(2).map(str::to_string);
    let wanted = pieces.next().unwrap_or_default();
    (wanted, pieces.collect())
}

/// End of the token starting at `offset`, for a caret under the whole value.
fn token_end(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    let mut start = offset;
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    let rest = &text[start..];
    let len = rest.find(['\n', '\r', ',', ']', '}']).unwrap_or(rest.len());
    let token = rest[..len].trim_end();
    start + token.len().max(1).min(rest.len().max(1))
}

/// Byte span of the `n`-th whole-word occurrence of `value` inside `range` of `text`,
/// so that a reference error can point at the very id that is wrong.
pub fn find_value(text: &str, range: &Range<usize>, value: &str, n: usize) -> Option<Range<usize>> {
    if value.is_empty() {
        return None;
    }
    let hay = &text[range.clone()];
    let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    let mut found = hay.match_indices(value).filter(|(i, _)| {
        let before = hay[..*i].chars().next_back();
        let after = hay[i + value.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    });
    let (i, _) = found.nth(n).or_else(|| hay.match_indices(value).next())?;
    Some(range.start + i..range.start + i + value.len())
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
    let mut seen = cache.begin();
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
        let bytes = match std::fs::read(entry.path()) {
            Ok(b) => b,
            Err(err) => {
                diagnostics.push(Diagnostic::error(format!("cannot read `{path}`: {err}")));
                continue;
            }
        };
        let text = match decode(&path, bytes) {
            Ok(t) => t,
            Err((d, lossy)) => {
                texts.push((path, lossy));
                diagnostics.push(d);
                continue;
            }
        };
        texts.push((path.clone(), text.clone()));
        seen.push(rel.clone());
        match cache.parse(&rel, text) {
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
            Err(ds) => diagnostics.extend(ds),
        }
    }
    cache.retain(&seen);
    (content, texts, diagnostics)
}

type ParseResult = Result<Parsed, Vec<Diagnostic>>;

/// Parsed files by path and text: `serve` re-parses only the files that changed.
#[derive(Debug, Default)]
pub struct ParseCache {
    entries: BTreeMap<String, (Arc<str>, ParseResult)>,
}

impl ParseCache {
    fn begin(&self) -> Vec<String> {
        Vec::new()
    }

    fn parse(&mut self, rel: &str, text: Arc<str>) -> Result<Parsed, Vec<Diagnostic>> {
        if let Some((cached_text, result)) = self.entries.get(rel) {
            if **cached_text == *text {
                return result.clone();
            }
        }
        let result = parse_file(rel, text.clone());
        self.entries.insert(rel.to_string(), (text, result.clone()));
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
