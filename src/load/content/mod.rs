//! The files of `content/`: split each file's front matter from its body, parse the
//! typed front matter, and keep the text and byte offsets for diagnostics.

pub mod date;
pub mod date_lang;
pub mod frontmatter;
pub mod locate;
pub mod model;
pub mod translation;
pub mod yaml;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use crate::diagnostics::Diagnostic;
use crate::load::tree::{FileData, SourceTree};
pub use date::Date;
pub use date_lang::DateLang;
pub use locate::{
    find_key, find_key_value, find_top_value, find_value, text_values, TextAt, TextValue,
};
pub use model::*;
pub use translation::{Texts, Translation, TranslationOf};

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
    /// For an entity from a row of a data file: where its cells are. `text` is then
    /// the file's text, and `front_matter` and `body` the row.
    pub row: Option<Arc<Row>>,
}

impl<M> Doc<M> {
    pub fn body_text(&self) -> &str {
        &self.text[self.body.clone()]
    }

    /// Where the `n`-th `key` is given: in the front matter, or the row's cell.
    pub fn key_span(&self, key: &str, n: usize) -> Option<Range<usize>> {
        match &self.row {
            Some(row) => row.cell(key),
            None => find_key(&self.text, &self.front_matter, key, n),
        }
    }

    /// Where `value` is given for the `n`-th time for `key`.
    pub fn value_span(&self, key: &str, value: &str, n: usize) -> Option<Range<usize>> {
        match &self.row {
            Some(row) => row.value(key, value),
            None => find_key_value(&self.text, &self.front_matter, key, value, n),
        }
    }

    /// The file and row that define it, for messages: `data/actors.csv:3`, or the path.
    pub fn place_name(&self) -> String {
        match &self.row {
            Some(row) => row.name(),
            None => self.path.clone(),
        }
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
    /// `joe-biden.fr.md`: the words of another file in another language.
    Translation(Arc<Doc<Translation>>),
}

impl Parsed {
    pub fn id(&self) -> &str {
        match self {
            Parsed::Actor(d) => &d.id,
            Parsed::Question(d) => &d.id,
            Parsed::Event(d) => &d.id,
            Parsed::Page(d) | Parsed::Index(d) => &d.id,
            Parsed::Translation(d) => &d.id,
        }
    }

    pub fn path(&self) -> &str {
        match self {
            Parsed::Actor(d) => &d.path,
            Parsed::Question(d) => &d.path,
            Parsed::Event(d) => &d.path,
            Parsed::Page(d) | Parsed::Index(d) => &d.path,
            Parsed::Translation(d) => &d.path,
        }
    }

    /// Where the Markdown body starts and ends in the file's text.
    pub fn body(&self) -> Range<usize> {
        match self {
            Parsed::Actor(d) => d.body.clone(),
            Parsed::Question(d) => d.body.clone(),
            Parsed::Event(d) => d.body.clone(),
            Parsed::Page(d) | Parsed::Index(d) => d.body.clone(),
            Parsed::Translation(d) => d.body.clone(),
        }
    }

    pub fn is_draft(&self) -> bool {
        match self {
            Parsed::Actor(d) => d.meta.draft,
            Parsed::Question(d) => d.meta.draft,
            Parsed::Event(d) => d.meta.draft,
            Parsed::Page(d) | Parsed::Index(d) => d.meta.draft,
            Parsed::Translation(_) => false,
        }
    }
}

/// A non-Markdown file under `content/`, copied to the same place in the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Output path relative to the output root: `images/map.png`.
    pub output: String,
    pub bytes: Arc<[u8]>,
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
    /// `*.<lang>.md` files: the words of the files above in other languages.
    pub translations: Vec<Arc<Doc<Translation>>>,
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

/// The error for the first folder of `folder` (a path below `content/`) whose name
/// is not an id: folder names become parts of URLs, where `#`, `?`, spaces and
/// capitals would break links or differ by host.
pub fn bad_folder_name(folder: &str, path: &str) -> Option<Diagnostic> {
    let name = folder
        .split('/')
        .find(|name| !name.is_empty() && !is_valid_id(name))?;
    let suggestion = slugify(name);
    let d = Diagnostic::error(format!("the folder name `{name}` is not a valid id"))
        .in_file(path)
        .label("folder names become parts of the page's URL")
        .note("folder names, like ids, are made of lowercase letters, digits and `-`");
    Some(if suggestion.is_empty() {
        d
    } else {
        d.help(format!("rename the folder to `{suggestion}`"))
    })
}

/// The error for a file beside the Markdown whose folder or name cannot be part of
/// a URL as it is.
fn bad_asset_path(rel: &str, path: &str) -> Option<Diagnostic> {
    let (folder, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    if let Some(d) = bad_folder_name(folder, path) {
        return Some(d);
    }
    (!is_url_safe_name(name)).then(|| {
        Diagnostic::error(format!("the file name `{name}` cannot be part of a URL"))
            .in_file(path)
            .help("rename it with letters, digits, `.`, `_` and `-` only")
    })
}

/// Whether a file name beside the Markdown can be written in a URL as it is:
/// letters, digits, `.`, `_` and `-`, not starting with `.`.
pub fn is_url_safe_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
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

/// A file's text, or where it stops being UTF-8 (with its text as far as it goes,
/// for the report). Text files are text in the tree already: no copy is made.
pub fn decode(path: &str, data: &FileData) -> Result<Arc<str>, (Diagnostic, Arc<str>)> {
    let bytes = match data {
        FileData::Text(text) => return Ok(text.clone()),
        FileData::Binary(bytes) => bytes,
        FileData::Unreadable(why) => {
            let d = Diagnostic::error(format!("cannot read `{path}`: {why}"));
            return Err((d, Arc::from("")));
        }
    };
    let offset = std::str::from_utf8(bytes)
        .err()
        .map_or(0, |e| e.valid_up_to());
    let lossy: Arc<str> = Arc::from(String::from_utf8_lossy(bytes).as_ref());
    let d = Diagnostic::error("the file is not valid UTF-8")
        .in_file(path)
        .at(offset..offset + 1)
        .label("this byte is not UTF-8")
        .help("save the file as UTF-8 in your editor");
    Err((d, lossy))
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

    if let Some((id, lang)) = translation::split_stem(stem) {
        if let Some(d) = bad_folder_name(folder, &path) {
            return Err(vec![d.at(parts.opener.start..parts.opener.start)]);
        }
        return parse_translation(folder, id, lang, path, text, parts);
    }
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

    if let Some(d) = bad_folder_name(folder, &path) {
        return Err(vec![d.at(parts.opener.start..parts.opener.start)]);
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

/// Parses `<id>.<lang>.md` (or `_index.<lang>.md`) in `folder` below `content/`.
fn parse_translation(
    folder: &str,
    id: &str,
    lang: &str,
    path: String,
    text: Arc<str>,
    parts: frontmatter::Parts,
) -> Result<Parsed, Vec<Diagnostic>> {
    let top = folder.split('/').next().unwrap_or("");
    let dir = |f: &str| {
        if f.is_empty() {
            "/".to_string()
        } else {
            format!("/{f}/")
        }
    };
    let (of, texts, url) = if id == "_index" {
        let texts = Texts::Page(parse_meta(&path, &text, &parts)?);
        (TranslationOf::Index(folder.to_string()), texts, dir(folder))
    } else {
        let url = format!("{}{id}/", dir(folder));
        match top {
            "actors" => (
                TranslationOf::Actor(id.into()),
                Texts::Actor(parse_meta(&path, &text, &parts)?),
                url,
            ),
            "questions" => (
                TranslationOf::Question(id.into()),
                Texts::Question(parse_meta(&path, &text, &parts)?),
                url,
            ),
            "events" => (
                TranslationOf::Event(id.into()),
                Texts::Event(parse_meta(&path, &text, &parts)?),
                url,
            ),
            _ => (
                TranslationOf::Page(id.into()),
                Texts::Page(parse_meta(&path, &text, &parts)?),
                url,
            ),
        }
    };
    let key = match &of {
        TranslationOf::Index(folder) => folder.clone(),
        _ => id.to_string(),
    };
    let meta = Translation {
        lang: lang.to_string(),
        of,
        texts,
    };
    Ok(Parsed::Translation(doc(key, path, url, text, parts, meta)))
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
        row: None,
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

/// What loading `content/` gives: the content, the text of every Markdown file by
/// path from the site root (for diagnostics), and every error found.
#[derive(Debug, Default)]
pub struct Loaded {
    pub content: Content,
    pub texts: Vec<(String, Arc<str>)>,
    pub diagnostics: Vec<Diagnostic>,
}

pub type ParseResult = Result<Parsed, Vec<Diagnostic>>;

/// What one Markdown file turned into: its text (lossy when it is not UTF-8, for
/// diagnostics) and its parse.
#[derive(Debug, Clone)]
pub struct FileParse {
    pub text: Arc<str>,
    pub result: ParseResult,
}

/// Parses kept from earlier loads. A file parses the same when its bytes are the same,
/// so [`load`] asks before it parses and tells what it parsed.
pub trait ParseReuse: Send + Sync {
    /// The parse of `path`, when it was last parsed from these very bytes.
    fn reuse(&self, path: &str, data: &FileData) -> Option<FileParse>;
    /// Notes this load's parse of `path`.
    fn keep(&mut self, path: &str, data: &FileData, parse: &FileParse);
}

/// No reuse: every file is parsed.
impl ParseReuse for () {
    fn reuse(&self, _: &str, _: &FileData) -> Option<FileParse> {
        None
    }
    fn keep(&mut self, _: &str, _: &FileData, _: &FileParse) {}
}

/// A stage borrows the reuse a session keeps.
impl<T: ParseReuse> ParseReuse for &mut T {
    fn reuse(&self, path: &str, data: &FileData) -> Option<FileParse> {
        (**self).reuse(path, data)
    }
    fn keep(&mut self, path: &str, data: &FileData, parse: &FileParse) {
        (**self).keep(path, data, parse)
    }
}

/// Decodes and parses one Markdown file; `path` is from the site root.
pub fn parse_data(path: &str, data: &FileData) -> FileParse {
    let rel = path.strip_prefix("content/").unwrap_or(path);
    match decode(path, data) {
        Ok(text) => FileParse {
            result: parse_file(rel, text.clone()),
            text,
        },
        Err((d, lossy)) => FileParse {
            text: lossy,
            result: Err(vec![d]),
        },
    }
}

/// Parses every file of `content/` in `tree`, collecting every error.
pub fn load(tree: &SourceTree, include_drafts: bool, reuse: &mut impl ParseReuse) -> Loaded {
    let mut loaded = Loaded::default();
    if !tree.has_content {
        loaded.diagnostics.push(
            Diagnostic::error("there is no `content/` folder")
                .help("create `content/_index.md` with the home page's front matter"),
        );
        return loaded;
    }
    for (path, why) in &tree.unlisted {
        if path.starts_with("content") {
            loaded
                .diagnostics
                .push(Diagnostic::error(format!("cannot read `{path}`: {why}")));
        }
    }
    let mut pending: Vec<(String, &FileData)> = Vec::new();
    for (rel, data) in tree.below("content") {
        let path = format!("content/{rel}");
        if rel.ends_with(".md") {
            // An unreadable file is a parse error: it is noted as broken.
            pending.push((path, data));
            continue;
        }
        if let Some(d) = bad_asset_path(rel, &path) {
            loaded.diagnostics.push(d);
            continue;
        }
        match data.bytes() {
            Some(bytes) => loaded.content.assets.push(Asset {
                output: rel.to_string(),
                bytes,
            }),
            None => loaded.diagnostics.push(Diagnostic::error(format!(
                "cannot read `{path}`: {}",
                match data {
                    FileData::Unreadable(why) => why.as_str(),
                    _ => "",
                }
            ))),
        }
    }
    // Parsing front matter is most of the cost of loading: in parallel, then in order.
    let shared = &*reuse;
    let parsed: Vec<FileParse> = pending
        .par_iter()
        .map(|(path, data)| {
            shared
                .reuse(path, data)
                .unwrap_or_else(|| parse_data(path, data))
        })
        .collect();
    for ((path, data), file) in pending.into_iter().zip(parsed) {
        reuse.keep(&path, data, &file);
        loaded.texts.push((path.clone(), file.text));
        add_parsed(&mut loaded, &path, file.result, include_drafts);
    }
    // After the Markdown files: a stance row may be for an actor defined in one.
    crate::load::data::add(tree, &mut loaded);
    loaded
}

/// Files the parse of `path` into the content, or its errors into the diagnostics.
fn add_parsed(loaded: &mut Loaded, path: &str, result: ParseResult, include_drafts: bool) {
    let content = &mut loaded.content;
    match result {
        Ok(parsed) if parsed.is_draft() && !include_drafts => {
            content
                .drafts
                .insert(parsed.id().to_string(), parsed.path().to_string());
        }
        Ok(Parsed::Actor(d)) => content.actors.push(d),
        Ok(Parsed::Question(d)) => content.questions.push(d),
        Ok(Parsed::Event(d)) => content.events.push(d),
        Ok(Parsed::Page(d)) => content.pages.push(d),
        Ok(Parsed::Index(d)) => content.indexes.push(d),
        Ok(Parsed::Translation(d)) => content.translations.push(d),
        Err(ds) => {
            let rel = path.strip_prefix("content/").unwrap_or(path);
            note_broken(content, rel, path);
            loaded.diagnostics.extend(ds);
        }
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
    fn drafts_assets_and_broken_files_are_sorted_out() {
        let mut tree = SourceTree {
            has_content: true,
            ..SourceTree::default()
        };
        let mut add = |path: &str, bytes: &[u8]| {
            tree.files
                .insert(path.to_string(), FileData::new(bytes.to_vec()));
        };
        add("content/actors/a.md", b"---\nname: A\nkind: person\n---\n");
        add(
            "content/actors/b.md",
            b"---\nname: B\nkind: person\ndraft: true\n---\n",
        );
        add("content/actors/c.md", b"---\nname: C\nkind: persn\n---\n");
        add("content/map.png", b"png");
        let loaded = load(&tree, false, &mut ());
        let names: Vec<&str> = loaded
            .content
            .actors
            .iter()
            .map(|d| d.meta.name.as_str())
            .collect();
        assert_eq!(names, ["A"]);
        assert_eq!(loaded.content.drafts.keys().collect::<Vec<_>>(), ["b"]);
        assert_eq!(loaded.content.broken.keys().collect::<Vec<_>>(), ["c"]);
        assert_eq!(loaded.content.assets[0].output, "map.png");
        assert_eq!(loaded.diagnostics.len(), 1);
        assert_eq!(loaded.texts.len(), 3);
        // With drafts, the draft is content.
        assert_eq!(load(&tree, true, &mut ()).content.actors.len(), 2);
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
