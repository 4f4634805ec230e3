//! Inline Markdown for the short texts of front matter (stance summaries, source
//! titles, position descriptions, event summaries; DESIGN.md section 7): one text
//! in, its HTML without a `<p>` and its plain text out, with the links of bodies and
//! none of their blocks.
//!
//! A short text is a line on a card, so it never becomes a heading, a list, a quote
//! or a code block: line breaks become spaces, and the line is parsed behind a
//! no-break space, which no block may start with and which, being white space,
//! lets emphasis open as at the start of a line. `# 1`, `- a`, `2024. Talks` and
//! `> x` stay text as written. The no-break space is dropped again from the output.
//! Raw HTML is written as text (escaped): a card is no place for markup of an
//! author's own, and bodies are there for the escape hatch. Actor names are not
//! autolinked: cards sit beside the links that would make. Images show their alt
//! text only.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, TextMergeWithOffset};

use super::links::{self, LinkStart};
use super::{link_start, Html, LinkRef, Linker, Rendered};
use crate::diagnostics::Diagnostic;
use crate::load::content::NEVER_A_LINK;

/// A short text as inline HTML and as plain text (for attributes, feeds, search
/// and `data.json`: a wiki-link is its text, markup is gone, entities decoded).
#[derive(Debug, Clone, Default)]
pub struct InlineText {
    pub html: Html,
    pub plain: String,
    /// The Markdown as written, for the CSV exports, which data files read back.
    pub source: String,
}

/// One short text rendered: the text, and what it links to and its errors, as for
/// a body, with spans into the text as given.
#[derive(Debug, Default)]
pub struct Inline {
    pub text: InlineText,
    /// Ids it links to (wiki-links and links to their source files).
    pub links: BTreeSet<String>,
    /// Source files it links to by relative path.
    pub files: BTreeSet<String>,
    /// Site paths and fragments it links to, checked against the whole site.
    pub refs: Vec<LinkRef>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Put before the line so that no block can start it (see the module's doc).
const SHIELD: &str = "\u{a0}";

/// The extensions a short text may use: no tables, footnotes or heading ids, which
/// need blocks.
fn inline_options(smart_punctuation: bool) -> Options {
    let mut options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_WIKILINKS;
    options.set(Options::ENABLE_SMART_PUNCTUATION, smart_punctuation);
    options
}

/// Renders the short text `text` of the file at `path` (site-relative), which
/// makes the page at `page_url`: a link to a bare `#fragment` leads to that page,
/// wherever the text is shown.
pub fn render_inline(path: &str, page_url: &str, text: &str, linker: &Linker) -> Inline {
    let mut inline = rendered_inline(path, page_url, text, linker);
    inline.text.source = text.trim().to_string();
    inline
}

fn rendered_inline(path: &str, page_url: &str, text: &str, linker: &Linker) -> Inline {
    let lead = text.len() - text.trim_start().len();
    let line = one_line(text.trim());
    if let Some(plain) = plain_text(&line, linker.smart_punctuation) {
        let html = Html::new(&escaped(&plain));
        let plain = plain.into_owned();
        return Inline {
            text: InlineText {
                html,
                plain,
                source: String::new(),
            },
            ..Inline::default()
        };
    }
    parsed(path, page_url, &line, lead, linker)
}

/// The slow path of [`render_inline`]: `line`, which starts at byte `lead` of the
/// text as given, through the parser.
fn parsed(path: &str, page_url: &str, line: &str, lead: usize, linker: &Linker) -> Inline {
    let source = format!("{SHIELD}{line}");
    let mut state = Short {
        path,
        page_url,
        linker,
        out: Rendered::default(),
        events: Vec::new(),
        plain: String::with_capacity(line.len()),
        shielded: true,
        replacing: false,
        open_links: Vec::new(),
    };
    // Offsets in `source` back to offsets in `text`.
    let place = |i: usize| lead + i.saturating_sub(SHIELD.len()).min(line.len());
    let options = inline_options(linker.smart_punctuation);
    let parser = TextMergeWithOffset::new(Parser::new_ext(&source, options).into_offset_iter());
    for (event, range) in parser {
        state.event(event, place(range.start)..place(range.end));
    }
    let Short {
        out, events, plain, ..
    } = state;
    let mut html = String::with_capacity(line.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    let Rendered {
        links,
        files,
        refs,
        diagnostics,
        ..
    } = out;
    Inline {
        text: InlineText {
            html: Html::new(&html),
            plain,
            source: String::new(),
        },
        links,
        files,
        refs,
        diagnostics,
    }
}

/// `text` with its line breaks as spaces (each one byte for one: offsets stay).
fn one_line(text: &str) -> Cow<'_, str> {
    if text.contains(['\n', '\r']) {
        Cow::Owned(text.replace(['\n', '\r'], " "))
    } else {
        Cow::Borrowed(text)
    }
}

/// The text `line` renders to when Markdown would change nothing in it but
/// apostrophes, without parsing it: most short texts are plain, and a large site
/// has tens of thousands of them. `None` when it needs the parser.
fn plain_text(line: &str, smart_punctuation: bool) -> Option<Cow<'_, str>> {
    let markup = |b: &u8| {
        matches!(
            b,
            b'*' | b'_' | b'`' | b'[' | b']' | b'<' | b'&' | b'\\' | b'~' | b'\0'
        )
    };
    if line.as_bytes().iter().any(markup) {
        return None;
    }
    if !smart_punctuation {
        return Some(Cow::Borrowed(line));
    }
    if line.contains('"') || line.contains("--") || line.contains("...") {
        return None;
    }
    if !line.contains('\'') {
        return Some(Cow::Borrowed(line));
    }
    // An apostrophe after a letter or digit ("Kyiv's") can never open a quote, so
    // when every one is such, each becomes a right single quote.
    let mut out = String::with_capacity(line.len() + 8);
    let mut before = None;
    for c in line.chars() {
        if c == '\'' {
            if !before.is_some_and(char::is_alphanumeric) {
                return None;
            }
            out.push('\u{2019}');
        } else {
            out.push(c);
        }
        before = Some(c);
    }
    Some(Cow::Owned(out))
}

/// A plain text escaped as Markdown's HTML writer escapes text: it holds no `<`
/// and no `&` (or it would not be plain), which leaves `>`.
fn escaped(plain: &str) -> Cow<'_, str> {
    if plain.contains('>') {
        Cow::Owned(plain.replace('>', "&gt;"))
    } else {
        Cow::Borrowed(plain)
    }
}

/// One short text while it renders.
struct Short<'t, 'l> {
    path: &'t str,
    page_url: &'t str,
    linker: &'l Linker<'l>,
    out: Rendered,
    events: Vec<Event<'t>>,
    plain: String,
    /// Until the first text: it starts with the [`SHIELD`], to be dropped.
    shielded: bool,
    /// While inside a `[[id]]` link, its text is replaced by the entity's title.
    replacing: bool,
    /// For each open link: whether its start was written (broken links write none).
    open_links: Vec<bool>,
}

impl<'t> Short<'t, '_> {
    fn event(&mut self, event: Event<'t>, at: Range<usize>) {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => self.link_start(link_type, &dest_url, title, id, at),
            Event::End(TagEnd::Link) => {
                self.replacing = false;
                if self.open_links.pop().unwrap_or(true) {
                    self.events.push(Event::End(TagEnd::Link));
                }
            }
            Event::Text(_) | Event::Code(_) if self.replacing => {}
            Event::Text(text) => self.text(text),
            Event::Code(code) => {
                self.plain.push_str(&code);
                self.events.push(Event::Code(code));
            }
            // Written as text: escaped, and read as it is written.
            Event::Html(html) | Event::InlineHtml(html) => self.text(html),
            Event::SoftBreak | Event::HardBreak => self.text(CowStr::Borrowed(" ")),
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough)
            | Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough) => {
                self.events.push(event)
            }
            // The paragraph around the line, an image's tags (its alt text stays),
            // and anything else a line cannot hold.
            _ => {}
        }
    }

    fn text(&mut self, text: CowStr<'t>) {
        let text = if std::mem::take(&mut self.shielded) {
            match text.strip_prefix(SHIELD) {
                Some(rest) => CowStr::from(rest.to_string()),
                None => text,
            }
        } else {
            text
        };
        if text.is_empty() {
            return;
        }
        self.plain.push_str(&text);
        self.events.push(Event::Text(text));
    }

    fn link_start(
        &mut self,
        link_type: LinkType,
        dest_url: &str,
        title: CowStr<'t>,
        id: CowStr<'t>,
        at: Range<usize>,
    ) {
        // A bare `#part` means this file's page, wherever the text is shown.
        let own_page = !matches!(link_type, LinkType::WikiLink { .. } | LinkType::Email)
            && dest_url.trim_start().starts_with('#');
        let dest = if own_page {
            Cow::Owned(format!("{}{}", self.page_url, dest_url.trim_start()))
        } else {
            Cow::Borrowed(dest_url)
        };
        let (refs_before, errors_before) = (self.out.refs.len(), self.out.diagnostics.len());
        let start = links::resolve_link(
            self.path,
            link_type,
            &dest,
            at,
            self.linker,
            &mut BTreeSet::new(),
            &mut self.out,
        );
        for r in &mut self.out.refs[refs_before..] {
            r.written = dest_url.trim().to_string();
        }
        // A body's help points at raw HTML, which a short text writes as text.
        for d in &mut self.out.diagnostics[errors_before..] {
            if d.message.ends_with(NEVER_A_LINK) {
                d.help = Some("link to a page or a file instead: a short text writes raw HTML as text, so no `<a href>` gets around this".into());
            }
        }
        match start {
            LinkStart::Titled { url, text } => {
                self.replacing = true;
                self.open_links.push(true);
                self.plain.push_str(&text);
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
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashMap};

    use super::*;
    use crate::load::config::Autolink;
    use crate::resolve::markdown::TargetKind;
    use crate::resolve::markdown::{Autolinker, Target};

    struct Fixture {
        ids: HashMap<String, Target>,
        files: HashMap<String, Target>,
        none: BTreeMap<String, String>,
        auto: Autolinker,
    }

    fn fixture() -> Fixture {
        let t = |id: &str, url: &str, title: &str| Target {
            id: id.into(),
            url: url.into(),
            title: title.into(),
            kind: TargetKind::Actor,
        };
        let mut ids = HashMap::new();
        ids.insert(
            "joe-biden".into(),
            t("joe-biden", "/actors/joe-biden/", "Joe Biden"),
        );
        ids.insert("nato".into(), t("nato", "/actors/nato/", "NATO & co"));
        let mut files = HashMap::new();
        files.insert(
            "content/actors/joe-biden.md".into(),
            t("joe-biden", "/actors/joe-biden/", "Joe Biden"),
        );
        let auto = Autolinker::new(&[("joe-biden".into(), "Joe Biden".into())]);
        Fixture {
            ids,
            files,
            none: BTreeMap::new(),
            auto,
        }
    }

    impl Fixture {
        fn linker(&self, smart_punctuation: bool) -> Linker<'_> {
            Linker {
                ids: &self.ids,
                files: &self.files,
                drafts: &self.none,
                broken: &self.none,
                autolinker: &self.auto,
                mode: Autolink::All,
                smart_punctuation,
                shortcodes: &[],
            }
        }
    }

    fn run(text: &str) -> Inline {
        let f = fixture();
        render_inline(
            "content/actors/olaf.md",
            "/actors/olaf/",
            text,
            &f.linker(true),
        )
    }

    /// The HTML and the plain text of `text`, asserting it has no errors.
    fn ok(text: &str) -> (String, String) {
        let r = run(text);
        assert!(r.diagnostics.is_empty(), "{text}: {:?}", r.diagnostics);
        (r.text.html.to_string(), r.text.plain)
    }

    #[test]
    fn emphasis_code_and_strikethrough_render_and_leave_plain_text() {
        assert_eq!(
            ok("Said *no*, then **yes**, `code` and ~~never~~."),
            (
                "Said <em>no</em>, then <strong>yes</strong>, <code>code</code> and <del>never</del>."
                    .into(),
                "Said no, then yes, code and never.".into()
            )
        );
        assert_eq!(
            ok("_leading_ emphasis"),
            (
                "<em>leading</em> emphasis".into(),
                "leading emphasis".into()
            )
        );
    }

    #[test]
    fn wiki_links_take_the_title_or_their_own_text() {
        let r = run("Met [[joe-biden]] and [[nato|the alliance]].");
        assert_eq!(
            r.text.html.to_string(),
            r#"Met <a href="/actors/joe-biden/">Joe Biden</a> and <a href="/actors/nato/">the alliance</a>."#
        );
        assert_eq!(r.text.plain, "Met Joe Biden and the alliance.");
        assert_eq!(
            r.links.iter().map(String::as_str).collect::<Vec<_>>(),
            ["joe-biden", "nato"]
        );
        // A title is text: escaped in HTML, as it is in the plain text.
        let (html, plain) = ok("[[nato]]");
        assert_eq!(html, r#"<a href="/actors/nato/">NATO &amp; co</a>"#);
        assert_eq!(plain, "NATO & co");
    }

    #[test]
    fn a_broken_link_is_an_error_at_its_place_with_a_hint() {
        let text = "  Met [[joe-bidn]].";
        let r = run(text);
        assert_eq!(r.diagnostics.len(), 1);
        let d = &r.diagnostics[0];
        assert_eq!(d.message, "unknown id `joe-bidn` in wiki-link");
        assert_eq!(d.help.as_deref(), Some("did you mean `joe-biden`?"));
        assert_eq!(d.file.as_deref(), Some("content/actors/olaf.md"));
        assert_eq!(&text[d.span.clone().unwrap()], "[[joe-bidn]]");
        assert_eq!(r.text.html.to_string(), "Met joe-bidn.");
        assert!(r.links.is_empty());
    }

    #[test]
    fn code_running_schemes_are_refused() {
        for text in [
            "[x](javascript:alert(1))",
            "[x](JavaScript:void)",
            "<vbscript:x>",
        ] {
            let r = run(text);
            assert_eq!(r.diagnostics.len(), 1, "{text}");
            assert!(r.diagnostics[0]
                .message
                .contains("URL is never written as a link"));
            assert!(!r.text.html.contains("<a"), "{text}: {}", r.text.html);
        }
    }

    #[test]
    fn raw_html_is_escaped_text() {
        let (html, plain) = ok("A <b>bold</b> <img src=x onerror=alert(1)> move");
        assert_eq!(
            html,
            "A &lt;b&gt;bold&lt;/b&gt; &lt;img src=x onerror=alert(1)&gt; move"
        );
        assert_eq!(plain, "A <b>bold</b> <img src=x onerror=alert(1)> move");
        let (html, _) = ok("<div>a block</div>");
        assert_eq!(html, "&lt;div&gt;a block&lt;/div&gt;");
    }

    #[test]
    fn block_markers_stay_inline_text() {
        for text in [
            "# Not a heading",
            "- not a list",
            "* not a list either",
            "+ nor this",
            "1. not ordered",
            "2024) a year",
            "> not a quote",
            "---",
            "***",
            "```not code",
            "~~~ not code",
            "    four spaces",
            "a\n===",
            "a\n\nb",
            "[label]: /not/a/definition",
            "| a | b |",
        ] {
            let r = run(text);
            let html = r.text.html.to_string();
            for tag in [
                "<h",
                "<ul",
                "<ol",
                "<li",
                "<blockquote",
                "<pre",
                "<hr",
                "<p",
                "<table",
            ] {
                assert!(!html.contains(tag), "{text:?} gave {html:?}");
            }
            assert!(!r.text.plain.is_empty(), "{text:?}");
            assert!(r.diagnostics.is_empty(), "{text:?}");
        }
        assert_eq!(ok("# 1").0, "# 1");
        assert_eq!(ok("1. first").0, "1. first");
        assert_eq!(ok("> x").0, "&gt; x");
        assert_eq!(ok("a\nb").1, "a b");
        assert_eq!(ok("[label]: /x").1, "[label]: /x");
    }

    #[test]
    fn links_resolve_like_body_links() {
        let r = run("[B](joe-biden.md#x), [here](#part), [s](/no/such/), [w](https://e.org/)");
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        assert_eq!(
            r.text.html.to_string(),
            r##"<a href="/actors/joe-biden/#x">B</a>, <a href="/actors/olaf/#part">here</a>, <a href="/no/such/">s</a>, <a href="https://e.org/">w</a>"##
        );
        let refs: Vec<(&str, Option<&str>, &str)> = r
            .refs
            .iter()
            .map(|l| (l.path.as_str(), l.fragment.as_deref(), l.written.as_str()))
            .collect();
        assert_eq!(
            refs,
            [
                ("/actors/joe-biden/", Some("x"), "joe-biden.md#x"),
                ("/actors/olaf/", Some("part"), "#part"),
                ("/no/such/", None, "/no/such/"),
            ]
        );
        assert!(r.files.contains("content/actors/joe-biden.md"));
        let r = run("[x](nobody.md)");
        assert_eq!(r.diagnostics.len(), 1);
    }

    #[test]
    fn names_are_not_autolinked_and_images_keep_their_alt_text() {
        assert_eq!(ok("Joe Biden said so.").0, "Joe Biden said so.");
        assert_eq!(ok("A ![map](m.png) here").0, "A map here");
    }

    #[test]
    fn smart_punctuation_is_the_setting() {
        assert_eq!(
            ok("\"Quoted\" -- Kyiv's... 'x'").1,
            "\u{201c}Quoted\u{201d} \u{2013} Kyiv\u{2019}s\u{2026} \u{2018}x\u{2019}"
        );
        let f = fixture();
        let r = render_inline("content/a.md", "/a/", "\"a\" it's", &f.linker(false));
        assert_eq!(r.text.plain, "\"a\" it's");
        assert_eq!(r.text.html.to_string(), "\"a\" it's");
    }

    #[test]
    fn entities_are_decoded_in_the_plain_text() {
        assert_eq!(
            ok("Tom &amp; Jerry &lt;3 &copy;"),
            (
                "Tom &amp; Jerry &lt;3 \u{a9}".into(),
                "Tom & Jerry <3 \u{a9}".into()
            )
        );
    }

    #[test]
    fn the_fast_path_gives_what_the_parser_gives() {
        // Random texts over an alphabet of plain and special characters.
        const ALPHABET: &[char] = &[
            'a', 'b', 'Z', '1', ' ', ' ', '\t', '\n', '.', '-', '\'', '"', '#', '>', '+', '(', ')',
            '!', '|', ':', '=', 'é', '\u{a0}', '*', '_', '`', '[', ']', '<', '&', '\\', '~',
        ];
        let mut seed: u64 = 0x5eed;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let f = fixture();
        let mut fast = 0;
        for _ in 0..20_000 {
            let len = (next() % 12) as usize;
            let text: String = (0..len)
                .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
                .collect();
            for smart in [true, false] {
                let line = one_line(text.trim());
                if plain_text(&line, smart).is_none() {
                    continue;
                }
                fast += 1;
                let linker = f.linker(smart);
                let r = render_inline("content/a.md", "/a/", &text, &linker);
                let slow = parsed("content/a.md", "/a/", &line, 0, &linker);
                assert_eq!(
                    (r.text.html.to_string(), r.text.plain),
                    (slow.text.html.to_string(), slow.text.plain),
                    "{text:?}, smart: {smart}"
                );
            }
        }
        assert!(fast > 5_000, "only {fast} texts took the fast path");
    }
}
