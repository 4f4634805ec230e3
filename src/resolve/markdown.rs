//! Markdown to HTML with standpoint's links: `[[id]]` and `[[id|text]]` wiki-links,
//! relative links to source files, and autolinks of actor names. Records what each
//! page links to and mentions, for backlinks, and every broken link with its place.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind};
use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, TextMergeWithOffset};

use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::load::config::Autolink;
use crate::load::content::is_valid_id;

/// Where an id or a source file leads.
#[derive(Debug, Clone)]
pub struct Target {
    pub id: String,
    pub url: String,
    pub title: String,
}

/// Actor names and aliases, matched all at once.
#[derive(Debug, Clone)]
pub struct Autolinker {
    matcher: Option<AhoCorasick>,
    /// Actor id of each pattern.
    actors: Vec<String>,
}

impl Autolinker {
    /// `names` holds (actor id, name or alias) pairs.
    pub fn new(names: &[(String, String)]) -> Autolinker {
        let patterns: Vec<&str> = names.iter().map(|(_, n)| n.as_str()).collect();
        let matcher = if patterns.is_empty() {
            None
        } else {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&patterns)
                .ok()
        };
        Autolinker {
            matcher,
            actors: names.iter().map(|(id, _)| id.clone()).collect(),
        }
    }

    /// Whole-word mentions in `text`: (byte range, actor id).
    fn mentions<'a>(&'a self, text: &'a str) -> impl Iterator<Item = (Range<usize>, &'a str)> + 'a {
        let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
        self.matcher.iter().flat_map(move |m| {
            m.find_iter(text).filter_map(move |found| {
                let before = text[..found.start()].chars().next_back();
                let after = text[found.end()..].chars().next();
                if before.is_some_and(is_word) || after.is_some_and(is_word) {
                    return None;
                }
                Some((
                    found.range(),
                    self.actors[found.pattern().as_usize()].as_str(),
                ))
            })
        })
    }
}

/// Everything a page's Markdown may link to.
pub struct Linker<'a> {
    pub ids: &'a HashMap<String, Target>,
    /// `content/actors/joe-biden.md` -> its target.
    pub files: &'a HashMap<String, Target>,
    pub drafts: &'a BTreeMap<String, String>,
    /// Ids of files that failed to load, with their file: links to them are left
    /// as text without an error of their own.
    pub broken: &'a BTreeMap<String, String>,
    pub autolinker: &'a Autolinker,
    pub mode: Autolink,
}

/// What a [`Linker`] borrows, owned: a resolved site keeps it, so that `serve` can
/// render an edited body again without resolving the whole site.
#[derive(Debug, Clone)]
pub struct LinkTargets {
    pub ids: HashMap<String, Target>,
    pub files: HashMap<String, Target>,
    pub drafts: BTreeMap<String, String>,
    pub broken: BTreeMap<String, String>,
    pub autolinker: Autolinker,
    pub mode: Autolink,
}

impl LinkTargets {
    pub fn linker(&self) -> Linker<'_> {
        Linker {
            ids: &self.ids,
            files: &self.files,
            drafts: &self.drafts,
            broken: &self.broken,
            autolinker: &self.autolinker,
            mode: self.mode,
        }
    }
}

/// HTML made from Markdown, held as the template value it becomes (a string marked
/// safe): a body's HTML is copied once, then shared by every page value and every
/// `serve` rebuild that keeps it, and comparing it with itself is a pointer check.
#[derive(Debug, Clone)]
pub struct Html(tera::Value);

impl Html {
    pub fn new(html: &str) -> Html {
        Html(tera::Value::safe_string(html))
    }

    pub fn value(&self) -> &tera::Value {
        &self.0
    }
}

impl Default for Html {
    fn default() -> Html {
        Html::new("")
    }
}

impl std::fmt::Display for Html {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self)
    }
}

impl std::ops::Deref for Html {
    type Target = str;

    fn deref(&self) -> &str {
        self.0.as_str().unwrap_or_default()
    }
}

#[derive(Debug, Default)]
pub struct Rendered {
    pub html: Html,
    /// Ids this page links to explicitly.
    pub links: BTreeSet<String>,
    /// Actor ids this page mentions by name (linked or not).
    pub mentions: BTreeSet<String>,
    /// Source files this page links to by relative path (`content/actors/x.md`).
    pub files: BTreeSet<String>,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
}

/// Renders the body `text[body]` of the file at `path` (site-relative).
pub fn render(
    path: &str,
    text: &str,
    body: Range<usize>,
    self_id: Option<&str>,
    linker: &Linker,
) -> Rendered {
    let source = &text[body.clone()];
    let mut out = Rendered::default();
    let mut events: Vec<Event> = Vec::new();
    // Depth counters: no autolinks inside these.
    let mut in_heading = 0u32;
    let mut in_code = 0u32;
    let mut in_link = 0u32;
    let mut in_image = 0u32;
    // While inside a `[[id]]` link, its text is replaced by the entity's title.
    let mut replacing = false;
    let mut linked_here: BTreeSet<String> = BTreeSet::new();
    // For each open link: whether its start was written (broken links write none).
    let mut open_links: Vec<bool> = Vec::new();
    let parser = TextMergeWithOffset::new(Parser::new_ext(source, options()).into_offset_iter());
    for (event, range) in parser {
        let at = body.start + range.start..body.start + range.end;
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                in_link += 1;
                let start = resolve_link(
                    path,
                    link_type,
                    &dest_url,
                    at,
                    linker,
                    &mut linked_here,
                    &mut out,
                );
                match start {
                    LinkStart::Titled { url, text } => {
                        replacing = true;
                        open_links.push(true);
                        events.push(link_start(url, title, id));
                        events.push(Event::Text(CowStr::from(text)));
                    }
                    LinkStart::Url(url) => {
                        open_links.push(true);
                        events.push(link_start(url, title, id));
                    }
                    // A broken link keeps only its text; the build fails anyway.
                    LinkStart::Broken => open_links.push(false),
                }
            }
            Event::End(TagEnd::Link) => {
                in_link = in_link.saturating_sub(1);
                replacing = false;
                if open_links.pop().unwrap_or(true) {
                    events.push(Event::End(TagEnd::Link));
                }
            }
            Event::Text(_) if replacing => {}
            Event::Start(ref tag) => {
                match tag {
                    Tag::Heading { .. } => in_heading += 1,
                    Tag::CodeBlock(_) => in_code += 1,
                    Tag::Image { .. } => in_image += 1,
                    _ => {}
                }
                events.push(event);
            }
            Event::End(ref tag) => {
                match tag {
                    TagEnd::Heading(_) => in_heading = in_heading.saturating_sub(1),
                    TagEnd::CodeBlock => in_code = in_code.saturating_sub(1),
                    TagEnd::Image => in_image = in_image.saturating_sub(1),
                    _ => {}
                }
                events.push(event);
            }
            Event::Text(text) => {
                let plain = in_heading + in_code + in_link + in_image > 0;
                autolink_text(
                    text,
                    plain,
                    self_id,
                    linker,
                    &mut linked_here,
                    &mut out,
                    &mut events,
                );
            }
            other => events.push(other),
        }
    }
    let mut html = String::with_capacity(source.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    out.html = Html::new(&html);
    out
}

/// How the start of a link is written.
enum LinkStart {
    /// A `[[id]]` link without text of its own: its text is the entity's title.
    Titled { url: String, text: String },
    /// A link to this URL, keeping its text.
    Url(String),
    /// A broken link, reported in `out`.
    Broken,
}

/// Resolves the destination of a link at `at` in the file at `path`, recording
/// what it links to in `linked_here` and `out`, or its error in `out`.
fn resolve_link(
    path: &str,
    link_type: LinkType,
    dest_url: &str,
    at: Range<usize>,
    linker: &Linker,
    linked_here: &mut BTreeSet<String>,
    out: &mut Rendered,
) -> LinkStart {
    match link_type {
        LinkType::WikiLink { has_pothole } => match resolve_id(dest_url, linker) {
            Ok((target, fragment)) => {
                out.links.insert(target.id.clone());
                linked_here.insert(target.id.clone());
                let url = format!("{}{fragment}", target.url);
                if has_pothole {
                    LinkStart::Url(url)
                } else {
                    LinkStart::Titled {
                        url,
                        text: target.title.clone(),
                    }
                }
            }
            Err(d) => {
                out.diagnostics.extend(d.map(|d| d.in_file(path).at(at)));
                LinkStart::Broken
            }
        },
        _ if is_relative_file_link(dest_url) => match resolve_file(path, dest_url, linker) {
            Ok((target, fragment, file)) => {
                out.files.insert(file);
                // `_index.md` targets have no id: nothing to backlink.
                if !target.id.is_empty() {
                    out.links.insert(target.id.clone());
                    linked_here.insert(target.id.clone());
                }
                LinkStart::Url(format!("{}{fragment}", target.url))
            }
            Err(d) => {
                out.diagnostics.extend(d.map(|d| d.in_file(path).at(at)));
                LinkStart::Broken
            }
        },
        _ => LinkStart::Url(dest_url.to_string()),
    }
}

fn link_start<'a>(url: String, title: CowStr<'a>, id: CowStr<'a>) -> Event<'a> {
    Event::Start(Tag::Link {
        link_type: LinkType::Inline,
        dest_url: CowStr::from(url),
        title,
        id,
    })
}

/// Splits a text event at actor mentions, linking those the autolink mode asks for.
fn autolink_text<'a>(
    text: CowStr<'a>,
    plain: bool,
    self_id: Option<&str>,
    linker: &Linker,
    linked_here: &mut BTreeSet<String>,
    out: &mut Rendered,
    events: &mut Vec<Event<'a>>,
) {
    let mut last = 0;
    let mut pieces: Vec<Event<'a>> = Vec::new();
    for (range, actor) in linker.autolinker.mentions(&text) {
        if Some(actor) == self_id {
            continue;
        }
        out.mentions.insert(actor.to_string());
        let wanted = !plain
            && match linker.mode {
                Autolink::None => false,
                Autolink::All => true,
                Autolink::First => !linked_here.contains(actor),
            };
        if !wanted {
            continue;
        }
        let Some(target) = linker.ids.get(actor) else {
            continue;
        };
        linked_here.insert(actor.to_string());
        if range.start > last {
            pieces.push(Event::Text(CowStr::from(
                text[last..range.start].to_string(),
            )));
        }
        pieces.push(link_start(
            target.url.clone(),
            CowStr::from(""),
            CowStr::from(""),
        ));
        pieces.push(Event::Text(CowStr::from(text[range.clone()].to_string())));
        pieces.push(Event::End(TagEnd::Link));
        last = range.end;
    }
    if pieces.is_empty() {
        events.push(Event::Text(text));
        return;
    }
    if last < text.len() {
        pieces.push(Event::Text(CowStr::from(text[last..].to_string())));
    }
    events.extend(pieces);
}

/// What a link that does not resolve gives: its error, or none when it leads to a
/// file that failed to load (that file's own error is reported).
type Unresolved = Option<Diagnostic>;

/// `joe-biden#stance` -> (target, "#stance").
fn resolve_id<'l>(dest: &str, linker: &'l Linker) -> Result<(&'l Target, String), Unresolved> {
    let (id, fragment) = match dest.find('#') {
        Some(i) => (dest[..i].trim(), dest[i..].to_string()),
        None => (dest.trim(), String::new()),
    };
    if let Some(t) = linker.ids.get(id) {
        return Ok((t, fragment));
    }
    if linker.broken.contains_key(id) {
        return Err(None);
    }
    if let Some(file) = linker.drafts.get(id) {
        return Err(Some(
            Diagnostic::error(format!("`{id}` is a draft"))
                .label("links to a draft")
                .help(format!(
                    "publish `{file}` (remove `draft: true`) or build with `--drafts`"
                )),
        ));
    }
    Err(Some(
        Diagnostic::error(format!("unknown id `{id}` in wiki-link"))
            .label("no actor, question, event or page has this id")
            .help_opt(did_you_mean(
                id,
                linker
                    .ids
                    .keys()
                    .chain(linker.broken.keys().filter(|k| is_valid_id(k)))
                    .map(String::as_str),
            )),
    ))
}

/// A link to another source file: relative, no scheme, path ends in `.md`.
fn is_relative_file_link(dest: &str) -> bool {
    let path = dest.split(['#', '?']).next().unwrap_or("");
    path.ends_with(".md")
        && !dest.starts_with('/')
        && !dest.contains("://")
        && !dest.starts_with("mailto:")
}

fn resolve_file<'l>(
    from: &str,
    dest: &str,
    linker: &'l Linker,
) -> Result<(&'l Target, String, String), Unresolved> {
    let (path, fragment) = match dest.find('#') {
        Some(i) => (&dest[..i], dest[i..].to_string()),
        None => (dest, String::new()),
    };
    let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
    let joined = normalize(&format!("{dir}/{path}"));
    if let Some(t) = linker.files.get(&joined) {
        return Ok((t, fragment, joined));
    }
    let stem = joined
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".md");
    if linker.broken.values().any(|f| *f == joined) {
        return Err(None);
    }
    if let Some(file) = linker.drafts.get(stem).filter(|f| **f == joined) {
        return Err(Some(
            Diagnostic::error(format!("`{file}` is a draft"))
                .label("links to a draft")
                .help("publish it (remove `draft: true`) or build with `--drafts`"),
        ));
    }
    // The closest path, or else the file whose name is closest (a typo in the name
    // is likelier than one in the folders).
    let closest = crate::diagnostics::closest(&joined, linker.files.keys().map(String::as_str))
        .or_else(|| {
            let stems = linker
                .files
                .keys()
                .map(|f| f.rsplit('/').next().unwrap_or(f).trim_end_matches(".md"));
            let best = crate::diagnostics::closest(stem, stems)?;
            let mut matching: Vec<&String> = linker
                .files
                .keys()
                .filter(|f| f.ends_with(&format!("/{best}.md")))
                .collect();
            matching.sort();
            matching.first().map(|f| f.as_str())
        });
    let suggestion = closest.map(|c| format!("did you mean `{}`?", relative_to(dir, c)));
    Err(Some(
        Diagnostic::error(format!("link to a file that does not exist: `{path}`"))
            .label(format!("`{joined}` not found"))
            .help_opt(suggestion),
    ))
}

/// Resolves `.` and `..` in a `/`-separated path.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// `content/actors`, `content/questions/x.md` -> `../questions/x.md`.
fn relative_to(dir: &str, target: &str) -> String {
    let from: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = target.split('/').collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out: Vec<&str> = vec![".."; from.len() - common];
    out.extend(&to[common..]);
    out.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixture {
        ids: HashMap<String, Target>,
        files: HashMap<String, Target>,
        drafts: BTreeMap<String, String>,
        auto: Autolinker,
    }

    fn fixture() -> Fixture {
        let t = |id: &str, url: &str, title: &str| Target {
            id: id.into(),
            url: url.into(),
            title: title.into(),
        };
        let mut ids = HashMap::new();
        ids.insert(
            "joe-biden".into(),
            t("joe-biden", "/actors/joe-biden/", "Joe Biden"),
        );
        ids.insert("nato".into(), t("nato", "/actors/nato/", "NATO"));
        let mut files = HashMap::new();
        files.insert(
            "content/actors/joe-biden.md".into(),
            t("joe-biden", "/actors/joe-biden/", "Joe Biden"),
        );
        let auto = Autolinker::new(&[
            ("joe-biden".into(), "Joe Biden".into()),
            ("joe-biden".into(), "Biden".into()),
            ("nato".into(), "NATO".into()),
        ]);
        Fixture {
            ids,
            files,
            drafts: BTreeMap::new(),
            auto,
        }
    }

    fn run(md: &str, mode: Autolink, self_id: Option<&str>) -> Rendered {
        let f = fixture();
        let linker = Linker {
            ids: &f.ids,
            files: &f.files,
            drafts: &f.drafts,
            broken: &BTreeMap::new(),
            autolinker: &f.auto,
            mode,
        };
        render("content/about.md", md, 0..md.len(), self_id, &linker)
    }

    #[test]
    fn wiki_links_take_the_entity_title_or_the_given_text() {
        let r = run(
            "See [[joe-biden]] and [[nato|the alliance]].",
            Autolink::None,
            None,
        );
        assert!(
            r.html
                .contains(r#"<a href="/actors/joe-biden/">Joe Biden</a>"#),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains(r#"<a href="/actors/nato/">the alliance</a>"#),
            "{}",
            r.html
        );
        assert!(r.diagnostics.is_empty());
    }

    #[test]
    fn broken_wiki_link_is_located_with_a_hint() {
        let md = "Intro.\n\nSee [[joe-bidn]].";
        let r = run(md, Autolink::None, None);
        let d = &r.diagnostics[0];
        assert_eq!(d.message, "unknown id `joe-bidn` in wiki-link");
        assert_eq!(d.help.as_deref(), Some("did you mean `joe-biden`?"));
        assert_eq!(
            crate::diagnostics::line_col(md, d.span.clone().unwrap().start),
            (3, 5)
        );
    }

    #[test]
    fn relative_file_links_resolve() {
        let r = run(
            "[B](actors/joe-biden.md#x) [C](actors/nobody.md)",
            Autolink::None,
            None,
        );
        assert!(
            r.html.contains(r#"href="/actors/joe-biden/#x""#),
            "{}",
            r.html
        );
        assert_eq!(r.diagnostics.len(), 1);
        assert!(r.diagnostics[0].message.contains("does not exist"));
    }

    #[test]
    fn autolink_first_links_once_and_never_in_headings_or_code() {
        let md = "# Biden\n\nBiden met NATO. Biden left. `Biden`\n\n```\nBiden\n```\n";
        let r = run(md, Autolink::First, None);
        assert_eq!(
            r.html.matches("href=\"/actors/joe-biden/\"").count(),
            1,
            "{}",
            r.html
        );
        assert!(r.html.contains("<h1>Biden</h1>"));
        assert!(r
            .html
            .contains("<p><a href=\"/actors/joe-biden/\">Biden</a> met"));
        assert!(r.mentions.contains("nato"));
    }

    #[test]
    fn autolink_all_and_self() {
        let r = run("Biden and Biden. US-Biden", Autolink::All, None);
        assert_eq!(
            r.html.matches("href=\"/actors/joe-biden/\"").count(),
            2,
            "{}",
            r.html
        );
        let r = run("Biden spoke.", Autolink::All, Some("joe-biden"));
        assert!(!r.html.contains("<a"));
    }

    #[test]
    fn relative_paths() {
        assert_eq!(
            normalize("content/actors/../questions/x.md"),
            "content/questions/x.md"
        );
        assert_eq!(
            relative_to("content/actors", "content/questions/x.md"),
            "../questions/x.md"
        );
    }
}
