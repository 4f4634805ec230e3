//! Markdown to HTML with standpoint's links: `[[id]]` and `[[id|text]]` wiki-links,
//! relative links to source files, and autolinks of actor names. Records what each
//! page links to and mentions, for backlinks, and every broken link with its place.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind};
use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, TextMergeWithOffset};

mod headings;
mod inline;
mod links;
mod raw_html;

pub use headings::{slug, Heading};
pub use inline::{render_inline, Inline, InlineText};
pub use links::LinkRef;

use crate::diagnostics::Diagnostic;
use crate::load::config::Autolink;
use links::{LinkStart, Url, UrlIn};

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
    pub smart_punctuation: bool,
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
    pub smart_punctuation: bool,
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
            smart_punctuation: self.smart_punctuation,
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
    /// The page's headings, in order, with their ids.
    pub headings: Vec<Heading>,
    /// Other ids its raw HTML defines (`<span id="x">`).
    pub ids: Vec<String>,
    /// Site paths and fragments it links to, checked against the whole site.
    pub refs: Vec<LinkRef>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Rendered {
    /// Whether `other` defines the same ids and links to the same site paths and
    /// fragments: then no other page's link check can tell the two apart.
    pub fn same_links(&self, other: &Rendered) -> bool {
        let key = |r: &LinkRef| (r.path.clone(), r.fragment.clone());
        self.ids == other.ids
            && self
                .headings
                .iter()
                .map(|h| &h.id)
                .eq(other.headings.iter().map(|h| &h.id))
            && self.refs.iter().map(key).eq(other.refs.iter().map(key))
    }

    /// Every id a link may name with `#id` on this page's body.
    pub fn anchors(&self) -> impl Iterator<Item = &str> {
        self.headings
            .iter()
            .map(|h| h.id.as_str())
            .chain(self.ids.iter().map(String::as_str))
    }
}

/// The Markdown extensions standpoint turns on; smart punctuation is a setting.
pub fn options(smart_punctuation: bool) -> Options {
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS;
    options.set(Options::ENABLE_SMART_PUNCTUATION, smart_punctuation);
    options
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
    let mut state = Body {
        path,
        self_id,
        linker,
        out: Rendered::default(),
        events: Vec::new(),
        in_plain: 0,
        in_raw: 0,
        replacing: false,
        linked_here: BTreeSet::new(),
        open_links: Vec::new(),
        headings: Vec::new(),
    };
    let options = options(linker.smart_punctuation);
    let parser = TextMergeWithOffset::new(Parser::new_ext(source, options).into_offset_iter());
    for (event, range) in parser {
        state.event(event, body.start + range.start..body.start + range.end);
    }
    let Body {
        mut out,
        mut events,
        headings,
        ..
    } = state;
    out.headings = headings::assign_ids(&headings, &mut events, &mut out.diagnostics);
    for d in &mut out.diagnostics {
        d.file.get_or_insert_with(|| path.to_string());
    }
    let mut html = String::with_capacity(source.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    out.html = Html::new(&html);
    out
}

/// One body while it renders: the events so far and where the parser is.
struct Body<'t, 'l> {
    path: &'t str,
    self_id: Option<&'t str>,
    linker: &'l Linker<'l>,
    out: Rendered,
    events: Vec<Event<'t>>,
    /// Depth of headings, code blocks, links and images: no autolinks inside.
    in_plain: u32,
    /// Depth of raw-HTML elements that stop autolinks.
    in_raw: i32,
    /// While inside a `[[id]]` link, its text is replaced by the entity's title.
    replacing: bool,
    linked_here: BTreeSet<String>,
    /// For each open link: whether its start was written (broken links write none).
    open_links: Vec<bool>,
    headings: Vec<headings::Slot>,
}

impl<'t> Body<'t, '_> {
    fn event(&mut self, event: Event<'t>, at: Range<usize>) {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => self.link_start(link_type, &dest_url, title, id, at),
            Event::End(TagEnd::Link) => {
                self.in_plain = self.in_plain.saturating_sub(1);
                self.replacing = false;
                if self.open_links.pop().unwrap_or(true) {
                    self.events.push(Event::End(TagEnd::Link));
                }
            }
            Event::Text(_) if self.replacing => {}
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                self.in_plain += 1;
                // A refused image keeps its alt text only; the build fails anyway.
                let dest_url =
                    match links::plain_url(self.path, &dest_url, at, &mut self.out, UrlIn::Image) {
                        Url::Rewritten(url) => CowStr::from(url),
                        Url::Broken => CowStr::from(""),
                        Url::Keep => dest_url,
                    };
                self.events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Heading { ref id, .. }) => {
                self.in_plain += 1;
                self.headings.push(headings::Slot {
                    start: self.events.len(),
                    anchor: 0,
                    explicit: id.as_ref().map(|i| i.to_string()),
                    span: at,
                });
                self.events.push(event);
            }
            Event::End(TagEnd::Heading(_)) => {
                self.in_plain = self.in_plain.saturating_sub(1);
                if let Some(slot) = self.headings.last_mut() {
                    slot.anchor = self.events.len();
                }
                self.events.push(Event::InlineHtml(CowStr::from("")));
                self.events.push(event);
            }
            Event::Start(Tag::CodeBlock(_)) => {
                self.in_plain += 1;
                self.events.push(event);
            }
            Event::End(TagEnd::CodeBlock | TagEnd::Image) => {
                self.in_plain = self.in_plain.saturating_sub(1);
                self.events.push(event);
            }
            Event::Html(html) => self.raw_html(html, at, false),
            Event::InlineHtml(html) => self.raw_html(html, at, true),
            Event::Text(text) => {
                let plain = self.in_plain > 0 || self.in_raw > 0;
                autolink_text(
                    text,
                    plain,
                    self.self_id,
                    self.linker,
                    &mut self.linked_here,
                    &mut self.out,
                    &mut self.events,
                );
            }
            other => self.events.push(other),
        }
    }

    fn link_start(
        &mut self,
        link_type: LinkType,
        dest_url: &str,
        title: CowStr<'t>,
        id: CowStr<'t>,
        at: Range<usize>,
    ) {
        self.in_plain += 1;
        let start = links::resolve_link(
            self.path,
            link_type,
            dest_url,
            at,
            self.linker,
            &mut self.linked_here,
            &mut self.out,
        );
        match start {
            LinkStart::Titled { url, text } => {
                self.replacing = true;
                self.open_links.push(true);
                self.events.push(link_start(url, title, id));
                self.events.push(Event::Text(CowStr::from(text)));
            }
            LinkStart::Url(url) => {
                self.open_links.push(true);
                self.events.push(link_start(url, title, id));
            }
            // A broken link keeps only its text; the build fails anyway.
            LinkStart::Broken => self.open_links.push(false),
        }
    }

    /// Raw HTML: its ids are noted, its URLs rewritten and checked like Markdown
    /// links (any scheme is allowed: raw HTML is the escape hatch), and the
    /// elements that stop autolinks counted.
    fn raw_html(&mut self, html: CowStr<'t>, at: Range<usize>, inline: bool) {
        let mut rewrites: Vec<(Range<usize>, String)> = Vec::new();
        for tag in raw_html::tags(&html) {
            self.in_raw = (self.in_raw + raw_html::autolink_depth_change(&tag)).max(0);
            if tag.closing {
                continue;
            }
            for (name, value) in &tag.attrs {
                if name == "id" {
                    self.out.ids.push(html[value.clone()].to_string());
                } else if raw_html::URL_ATTRIBUTES.contains(&name.as_str()) {
                    self.raw_url(&html, value.clone(), at.start, &mut rewrites);
                } else if name == "srcset" {
                    for url in raw_html::srcset_urls(&html[value.clone()]) {
                        let url = value.start + url.start..value.start + url.end;
                        self.raw_url(&html, url, at.start, &mut rewrites);
                    }
                }
            }
        }
        let html = if rewrites.is_empty() {
            html
        } else {
            CowStr::from(splice(&html, rewrites))
        };
        self.events.push(if inline {
            Event::InlineHtml(html)
        } else {
            Event::Html(html)
        });
    }

    /// One URL of a raw-HTML attribute, at `url` in `html`, which starts at byte
    /// `offset` of the file.
    fn raw_url(
        &mut self,
        html: &str,
        url: Range<usize>,
        offset: usize,
        rewrites: &mut Vec<(Range<usize>, String)>,
    ) {
        let at = offset + url.start..offset + url.end;
        let value = html[url.clone()].replace("&amp;", "&");
        if let Url::Rewritten(site_path) =
            links::plain_url(self.path, &value, at, &mut self.out, UrlIn::RawHtml)
        {
            rewrites.push((url, crate::escape::html(&site_path)));
        }
    }
}

/// `text` with each range replaced by its string; the ranges are in order and apart.
fn splice(text: &str, rewrites: Vec<(Range<usize>, String)>) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut last = 0;
    for (range, with) in rewrites {
        out.push_str(&text[last..range.start]);
        out.push_str(&with);
        last = range.end;
    }
    out.push_str(&text[last..]);
    out
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

#[cfg(test)]
mod tests {
    use super::links::{normalize, relative_to};
    use super::*;

    struct Fixture {
        ids: HashMap<String, Target>,
        files: HashMap<String, Target>,
        drafts: BTreeMap<String, String>,
        auto: Autolinker,
    }

    impl Fixture {
        fn linker<'a>(
            &'a self,
            broken: &'a BTreeMap<String, String>,
            mode: Autolink,
            smart_punctuation: bool,
        ) -> Linker<'a> {
            Linker {
                ids: &self.ids,
                files: &self.files,
                drafts: &self.drafts,
                broken,
                autolinker: &self.auto,
                mode,
                smart_punctuation,
            }
        }
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
        let broken = BTreeMap::new();
        let linker = f.linker(&broken, mode, true);
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
        assert!(r.html.contains("<h1 id=\"biden\">Biden<a class=\"anchor\""));
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

    fn refs(r: &Rendered) -> Vec<(String, Option<String>)> {
        r.refs
            .iter()
            .map(|l| (l.path.clone(), l.fragment.clone()))
            .collect()
    }

    #[test]
    fn a_missing_file_gets_a_suggestion_only_when_its_name_is_close() {
        let r = run(
            "[a](./target.md) [b](actors/joe-bidn.md)",
            Autolink::None,
            None,
        );
        assert_eq!(r.diagnostics.len(), 2);
        assert_eq!(r.diagnostics[0].help, None, "`target` is like no file");
        assert_eq!(
            r.diagnostics[1].help.as_deref(),
            Some("did you mean `actors/joe-biden.md`?")
        );
    }

    #[test]
    fn email_autolinks_become_mailto() {
        let r = run("Write to <press@example.org>.", Autolink::None, None);
        assert!(
            r.html
                .contains(r#"<a href="mailto:press@example.org">press@example.org</a>"#),
            "{}",
            r.html
        );
    }

    #[test]
    fn headings_get_unique_ids_and_self_links_and_explicit_ids_win() {
        let md = "# Who said what\n\n## Who said what\n\n## Later {#who-said-what-1}\n\n## `Code` *and* text\n";
        let r = run(md, Autolink::None, None);
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "who-said-what",
                "who-said-what-2",
                "who-said-what-1",
                "code-and-text"
            ]
        );
        assert_eq!(r.headings[3].title, "Code and text");
        assert_eq!(r.headings[1].level, 2);
        assert!(
            r.html.contains(r##"<h1 id="who-said-what">Who said what<a class="anchor" href="#who-said-what" aria-label="Link to this section"></a></h1>"##),
            "{}",
            r.html
        );
        assert!(r.diagnostics.is_empty());
        let r = run("## A {#x}\n\n## B {#x}\n", Autolink::None, None);
        assert_eq!(
            r.diagnostics[0].message,
            "the heading id `x` is used twice in this page"
        );
    }

    #[test]
    fn fragments_and_site_paths_are_recorded_for_checking() {
        let md = "[a](#part) [b](/no/such/?q=1#x) [[joe-biden#early-years]] [c](actors/joe-biden.md#y) [d](https://e.org/#z)";
        let r = run(md, Autolink::None, None);
        assert_eq!(
            refs(&r),
            [
                (String::new(), Some("part".into())),
                ("/no/such/".into(), Some("x".into())),
                ("/actors/joe-biden/".into(), Some("early-years".into())),
                ("/actors/joe-biden/".into(), Some("y".into())),
            ]
        );
        assert_eq!(r.refs[1].written, "/no/such/?q=1#x");
    }

    #[test]
    fn relative_urls_start_from_the_source_folder() {
        let f = fixture();
        let broken = BTreeMap::new();
        let linker = f.linker(&broken, Autolink::None, true);
        let md = "![map](../images/a%20b.png) [pdf](report.pdf#page=2) [up](../../x.png)";
        let r = render("content/notes/p.md", md, 0..md.len(), None, &linker);
        assert!(
            r.html
                .contains(r#"<img src="/images/a%20b.png" alt="map" />"#),
            "{}",
            r.html
        );
        assert!(
            r.html.contains(r#"href="/notes/report.pdf#page=2""#),
            "{}",
            r.html
        );
        assert_eq!(refs(&r)[0], ("/images/a b.png".into(), None));
        assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
        assert_eq!(
            r.diagnostics[0].message,
            "the link `../../x.png` leads outside `content/`"
        );
    }

    #[test]
    fn raw_html_urls_are_rewritten_and_ids_kept() {
        let f = fixture();
        let broken = BTreeMap::new();
        let linker = f.linker(&broken, Autolink::None, true);
        let md = "<img srcset=\"a.png 1x, /b.png 2x\" src=\"a.png\" id=\"pic\">\n\nText <a href=\"javascript:void(0)\">x</a>.";
        let r = render("content/notes/p.md", md, 0..md.len(), None, &linker);
        assert!(
            r.html.contains(
                r#"<img srcset="/notes/a.png 1x, /b.png 2x" src="/notes/a.png" id="pic">"#
            ),
            "{}",
            r.html
        );
        assert_eq!(r.ids, ["pic"]);
        assert!(r.diagnostics.is_empty(), "raw HTML is the escape hatch");
        let paths: Vec<String> = refs(&r).into_iter().map(|(p, _)| p).collect();
        assert_eq!(paths, ["/notes/a.png", "/b.png", "/notes/a.png"]);
    }

    #[test]
    fn code_running_schemes_are_refused_in_markdown_links() {
        for md in [
            "[x](javascript:alert(1))",
            "[x](JavaScript:alert(1))",
            "![x](javascript:x)",
            "[x](data:text/html,x)",
            "<vbscript:x>",
        ] {
            let r = run(md, Autolink::None, None);
            assert_eq!(r.diagnostics.len(), 1, "{md}: {:?}", r.diagnostics);
            assert!(
                r.diagnostics[0]
                    .message
                    .contains("URL is never written as a link"),
                "{md}"
            );
            let html = r.html.to_lowercase();
            for written in ["=\"javascript:", "=\"vbscript:", "=\"data:"] {
                assert!(!html.contains(written), "{md}: {html}");
            }
        }
    }

    #[test]
    fn no_autolinks_inside_raw_html_links_and_code() {
        let md = "<a href=\"https://e.com/\">Joe Biden</a> and <code>Biden</code>, then Biden.";
        let r = run(md, Autolink::First, None);
        assert_eq!(r.html.matches("<a ").count(), 2, "{}", r.html);
        assert!(
            r.html
                .contains(r#"then <a href="/actors/joe-biden/">Biden</a>."#),
            "{}",
            r.html
        );
    }

    #[test]
    fn smart_punctuation_is_a_setting() {
        let f = fixture();
        for (smart, want) in [(true, "\u{201c}a\u{201d}"), (false, "<p>\"a\"</p>")] {
            let broken = BTreeMap::new();
            let linker = f.linker(&broken, Autolink::None, smart);
            let md = "\"a\"";
            let r = render("content/a.md", md, 0..md.len(), None, &linker);
            assert!(r.html.contains(want), "{smart}: {}", r.html);
        }
    }
}
