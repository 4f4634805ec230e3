//! Markdown to HTML with standpoint's links: `[[id]]` and `[[id|text]]` wiki-links,
//! relative links to source files, and autolinks of actor names. Records what each
//! page links to and mentions, for backlinks, and every broken link with its place.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind};
use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, TextMergeWithOffset};

mod footnotes;
mod headings;
mod inline;
mod links;
mod raw_html;
pub mod shortcodes;

pub use headings::{slug, Heading, Toc};
pub use inline::{render_inline, Inline, InlineText};
pub use links::LinkRef;
pub use shortcodes::{Embed, Placed};

use crate::diagnostics::Diagnostic;
use crate::load::config::Autolink;
use links::{LinkStart, Url, UrlIn};

/// Where an id or a source file leads.
#[derive(Debug, Clone)]
pub struct Target {
    pub id: String,
    pub url: String,
    pub title: String,
    pub kind: TargetKind,
}

/// What a link target is: shortcodes ask for ids of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TargetKind {
    Actor,
    Question,
    Event,
    Page,
    /// A folder's or a built-in index's `_index.md`: a file without an id.
    Index,
}

impl TargetKind {
    pub fn singular(self) -> &'static str {
        match self {
            TargetKind::Actor => "actor",
            TargetKind::Question => "question",
            TargetKind::Event => "event",
            TargetKind::Page => "page",
            TargetKind::Index => "list page",
        }
    }

    pub fn plural(self) -> &'static str {
        match self {
            TargetKind::Actor => "actors",
            TargetKind::Question => "questions",
            TargetKind::Event => "events",
            TargetKind::Page => "pages",
            TargetKind::Index => "list pages",
        }
    }

    pub fn with_article(self) -> &'static str {
        match self {
            TargetKind::Actor => "an actor",
            TargetKind::Question => "a question",
            TargetKind::Event => "an event",
            TargetKind::Page => "a page",
            TargetKind::Index => "a list page",
        }
    }
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
    /// The site's and the theme's own shortcodes (`templates/shortcodes/<name>.html`
    /// that are not built-ins), sorted.
    pub shortcodes: &'a [String],
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
    pub shortcodes: Vec<String>,
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
            shortcodes: &self.shortcodes,
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
    /// The headings nested, for `page.toc`.
    pub toc: Toc,
    /// Other ids: those its raw HTML defines (`<span id="x">`), then its footnotes'.
    pub ids: Vec<String>,
    /// Site paths and fragments it links to, checked against the whole site.
    pub refs: Vec<LinkRef>,
    /// Its shortcodes, in order: the HTML holds [`shortcodes::marker`]`(n)` for the
    /// `n`th, which rendering replaces.
    pub embeds: std::sync::Arc<[Placed]>,
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
    render_part(path, text, body, self_id, linker, false)
}

/// [`render`]; a `nested` part is a shortcode's body, which holds no shortcodes.
fn render_part(
    path: &str,
    text: &str,
    body: Range<usize>,
    self_id: Option<&str>,
    linker: &Linker,
    nested: bool,
) -> Rendered {
    let source = &text[body.clone()];
    let mut out = Rendered::default();
    let prepared = shortcodes::prepare(source, body.start, nested, &mut out.diagnostics);
    let mut state = Body {
        path,
        self_id,
        linker,
        out,
        events: Vec::new(),
        in_plain: 0,
        in_raw: 0,
        replacing: false,
        linked_here: BTreeSet::new(),
        open_links: Vec::new(),
        headings: Vec::new(),
        slots: Vec::new(),
        embeds: Vec::new(),
        notes: footnotes::Marks::new(text),
    };
    for slot in &prepared.slots {
        let out = state.slot(slot, text);
        state.slots.push(out);
    }
    let options = options(linker.smart_punctuation);
    let parser =
        TextMergeWithOffset::new(Parser::new_ext(&prepared.text, options).into_offset_iter());
    for (event, range) in parser {
        state.event(event, prepared.file_range(range));
    }
    let Body {
        mut out,
        mut events,
        headings,
        embeds,
        notes,
        ..
    } = state;
    // Footnotes take their ids first: no heading's slug may take one.
    let notes = footnotes::Notes::read(&events, notes);
    out.headings = headings::assign_ids(&headings, &mut events, &notes.ids, &mut out.diagnostics);
    let events = notes.place(events, &mut out);
    out.toc = Toc::new(&out.headings);
    for d in &mut out.diagnostics {
        d.file.get_or_insert_with(|| path.to_string());
    }
    let mut html = String::with_capacity(source.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    out.html = Html::new(&html);
    out.embeds = embeds.into();
    out
}

/// What a shortcode's placeholder becomes in the HTML.
enum SlotOut {
    /// The marker of this embed.
    Embed(usize),
    /// This text, escaped.
    Text(String),
    /// Nothing: the shortcode is in error.
    Nothing,
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
    /// What each shortcode placeholder becomes, by its number.
    slots: Vec<SlotOut>,
    embeds: Vec<Placed>,
    notes: footnotes::Marks<'t>,
}

impl<'t> Body<'t, '_> {
    /// Checks the shortcode of one placeholder, renders its body and resolves its
    /// image, and records the ids it names as links of the page.
    fn slot(&mut self, slot: &shortcodes::Slot, text: &str) -> SlotOut {
        let (call, inline) = match slot {
            shortcodes::Slot::Literal(t) => return SlotOut::Text(t.clone()),
            shortcodes::Slot::Call { call, inline } => (call, *inline),
        };
        let Some(mut embed) =
            shortcodes::check(call, inline, self.linker, &mut self.out.diagnostics)
        else {
            return SlotOut::Nothing;
        };
        let body = call.body.clone().map(|b| self.part(text, b));
        match &mut embed {
            Embed::Figure { src, caption, .. } => {
                let at = call.arg_span("src").unwrap_or(call.span.clone());
                match links::plain_url(self.path, src, at, &mut self.out, UrlIn::Image) {
                    Url::Rewritten(url) => *src = url,
                    Url::Broken => return SlotOut::Nothing,
                    Url::Keep => {}
                }
                *caption = body;
            }
            Embed::Site { body: b, .. } => *b = body,
            _ => {}
        }
        for id in embed.ids() {
            self.out.links.insert(id.to_string());
        }
        self.embeds.push(Placed { embed, inline });
        SlotOut::Embed(self.embeds.len() - 1)
    }

    /// The HTML of a shortcode's body at `range` of the file; its links count as
    /// the page's.
    fn part(&mut self, text: &str, range: Range<usize>) -> Html {
        let part = render_part(self.path, text, range, self.self_id, self.linker, true);
        let out = &mut self.out;
        out.links.extend(part.links);
        out.mentions.extend(part.mentions);
        out.files.extend(part.files);
        out.refs.extend(part.refs);
        out.ids.extend(part.ids);
        out.ids.extend(part.headings.into_iter().map(|h| h.id));
        out.diagnostics.extend(part.diagnostics);
        part.html
    }

    /// The placeholder `<standpoint-slot:N>` of an inline shortcode, read as an
    /// autolink: written as what its shortcode became, its text dropped.
    fn inline_slot(&mut self, dest_url: &str) -> bool {
        let n = dest_url
            .strip_prefix(shortcodes::INLINE_SCHEME)
            .and_then(|n| n.parse::<usize>().ok());
        let Some(slot) = n.and_then(|n| self.slots.get(n)) else {
            return false;
        };
        match slot {
            SlotOut::Embed(e) => self
                .events
                .push(Event::InlineHtml(CowStr::from(shortcodes::marker(*e)))),
            SlotOut::Text(t) => self.events.push(Event::Text(CowStr::from(t.clone()))),
            SlotOut::Nothing => {}
        }
        self.in_plain += 1;
        self.replacing = true;
        self.open_links.push(false);
        true
    }

    /// `html` with each block placeholder replaced by what its shortcode became.
    fn block_slots(&self, html: CowStr<'t>) -> CowStr<'t> {
        let found = shortcodes::Prepared::block_slots(&html);
        if found.is_empty() {
            return html;
        }
        let rewrites = found
            .into_iter()
            .map(|(range, n)| {
                let with = match self.slots.get(n) {
                    Some(SlotOut::Embed(e)) => shortcodes::marker(*e),
                    Some(SlotOut::Text(t)) => crate::escape::html(t),
                    _ => String::new(),
                };
                (range, with)
            })
            .collect();
        CowStr::from(splice(&html, rewrites))
    }
}

impl<'t> Body<'t, '_> {
    fn event(&mut self, event: Event<'t>, at: Range<usize>) {
        self.notes
            .see(&event, &at, self.in_plain > 0 || self.in_raw > 0);
        match event {
            Event::Start(Tag::Link {
                link_type: LinkType::Autolink,
                ref dest_url,
                ..
            }) if self.inline_slot(dest_url) => {}
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
        let html = self.block_slots(html);
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
        shortcodes: Vec<String>,
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
                shortcodes: &self.shortcodes,
            }
        }
    }

    fn fixture() -> Fixture {
        let t = |id: &str, url: &str, title: &str| Target {
            id: id.into(),
            url: url.into(),
            title: title.into(),
            kind: if url.starts_with("/questions/") {
                TargetKind::Question
            } else {
                TargetKind::Actor
            },
        };
        let mut ids = HashMap::new();
        ids.insert(
            "strikes".into(),
            t("strikes", "/questions/strikes/", "Strikes"),
        );
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
            shortcodes: vec!["note".into()],
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

    fn errors_of(md: &str) -> Vec<(String, usize)> {
        let r = run(md, Autolink::None, None);
        r.diagnostics
            .iter()
            .map(|d| (d.message.clone(), d.span.clone().unwrap_or(0..0).start))
            .collect()
    }

    #[test]
    fn shortcodes_become_markers_in_place() {
        let md = "Lede.\n\n{{ spectrum(question=\"strikes\") }}\n\nAs {{ stance(actor=\"nato\", question=\"strikes\") }} says, [[joe-biden]].\n";
        let r = run(md, Autolink::None, None);
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        assert!(
            r.html.contains("<p>Lede.</p>\n<!--standpoint-embed-0-->"),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<p>As <!--standpoint-embed-1--> says, <a href=\"/actors/joe-biden/\">"),
            "{}",
            r.html
        );
        assert_eq!(r.embeds.len(), 2);
        assert!(!r.embeds[0].inline && r.embeds[1].inline);
        // Embeds are references: the page mentions what they show.
        assert!(r.links.contains("strikes") && r.links.contains("nato"));
    }

    #[test]
    fn shortcodes_in_code_and_literals_are_shown_as_written() {
        let md = "`{{ card(id=\"nato\") }}` and {{/* card(id=\"x\") */}}\n\n```\n{{ card(id=\"nato\") }}\n```\n";
        let r = run(md, Autolink::None, None);
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        assert!(r.embeds.is_empty());
        assert!(
            r.html
                .contains("<code>{{ card(id=\"nato\") }}</code> and {{ card(id=\"x\") }}"),
            "{}",
            r.html
        );
        assert!(r
            .html
            .contains("<pre><code>{{ card(id=\"nato\") }}\n</code></pre>"));
    }

    #[test]
    fn a_shortcode_at_a_line_start_inside_a_paragraph_stays_inline() {
        let r = run(
            "{{ card(id=\"nato\") }} said so.\nNext line.",
            Autolink::None,
            None,
        );
        assert!(
            r.html
                .starts_with("<p><!--standpoint-embed-0--> said so.\nNext line.</p>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn figure_bodies_render_as_markdown_and_links_in_them_count() {
        let md = "{% figure(src=\"map.png\", alt=\"A map\", credit=\"OSM\") %}Caption *with* [[nato]]{% end %}\n";
        let r = run(md, Autolink::None, None);
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        let Embed::Figure { src, caption, .. } = &r.embeds[0].embed else {
            panic!("{:?}", r.embeds)
        };
        assert_eq!(src, "/map.png");
        let caption = caption.as_ref().unwrap();
        assert!(caption.contains("<em>with</em>"), "{}", &**caption);
        assert!(r.links.contains("nato"));
        assert!(r.refs.iter().any(|l| l.path == "/map.png"));
    }

    #[test]
    fn shortcode_errors_name_the_argument() {
        let md = "{{ spectrum(question=\"strikez\") }}";
        let e = errors_of(md);
        assert_eq!(e[0].0, "unknown question `strikez`");
        assert_eq!(e[0].1, md.find("\"strikez").unwrap());
        let md = "{{ stance(actor=\"strikes\", question=\"strikes\") }}";
        let e = errors_of(md);
        assert_eq!(e[0].0, "`strikes` is a question, not an actor");
        let md = "{{ stanse(actor=\"nato\") }}";
        let e = errors_of(md);
        assert_eq!(e[0].0, "unknown shortcode `stanse`");
        assert_eq!(e[0].1, 3);
        let e = errors_of("{{ stance(actor=\"nato\") }}");
        assert_eq!(e[0].0, "`stance` needs the argument `question`");
        let e = errors_of("{{ timeline(limit=\"3\") }}");
        assert!(
            e[0].0
                .starts_with("the argument `limit` of `timeline` must be an integer"),
            "{e:?}"
        );
        let e = errors_of("{{ timeline(limit=0, from=\"2024-13\") }}");
        assert_eq!(e.len(), 2, "{e:?}");
        let e = errors_of("{{ compare(actors=[\"nato\"]) }}");
        assert_eq!(e[0].0, "`compare` takes 2 to 4 actors, not 1");
        let e = errors_of("{{ compare(actors=[\"nato\", \"nato\"]) }}");
        assert_eq!(e[0].0, "`nato` is listed twice");
        let e = errors_of("Text {{ spectrum(question=\"strikes\") }} text");
        assert!(e[0].0.contains("block shortcode"), "{e:?}");
        let e = errors_of("{{ card(id=\"nato\", idd=\"x\") }}");
        assert_eq!(e[0].0, "`card` has no argument `idd`");
        let e = errors_of("{% note() %}Body {{ card(id=\"nato\") }}{% end %}");
        assert!(e[0].0.contains("inside another shortcode"), "{e:?}");
    }

    #[test]
    fn site_shortcodes_take_any_arguments_and_a_body() {
        let r = run(
            "{% note(kind=\"aside\", n=2) %}Some *body*{% end %}",
            Autolink::None,
            None,
        );
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        let Embed::Site { name, args, body } = &r.embeds[0].embed else {
            panic!()
        };
        assert_eq!(name, "note");
        assert_eq!(args.len(), 2);
        assert!(body.as_ref().unwrap().contains("<em>body</em>"));
    }

    #[test]
    fn diagnostics_after_a_shortcode_keep_their_place() {
        let md = "{{ card(id=\"nato\") }} then [[nope]]";
        let e = errors_of(md);
        assert_eq!(e[0].1, md.find("[[nope").unwrap(), "{e:?}");
    }
}
