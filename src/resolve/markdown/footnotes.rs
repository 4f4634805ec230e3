//! Footnotes (DESIGN.md section 8), GFM style. pulldown-cmark gives each definition
//! where it is written; this moves them all into one list at the end of the body,
//! numbered in the order a reader meets their references (the body's first, then
//! those inside the notes, note by note), each with a back-link to every reference.
//!
//! Ids: the note `[^Some note]` is `fn-some-note` (its label as a heading slug; a
//! label without letters or digits takes the note's number), its references are
//! `fnref-some-note`, `fnref-some-note-2`, ... Notes take their ids before the
//! headings, so no heading's slug is ever a note's id (a heading "Fn 1" on a page
//! with a note `[^1]` becomes `fn-1-1`); an explicit `{#fn-1}` or a raw-HTML
//! `id="fn-1"` that meets one is an error. Both count as ids `#fragment`s may name.
//!
//! A definition inside another one (in its list or quote) becomes a note of its
//! own. A note never referenced is listed after the others, with a warning; a second
//! definition of a label is an error. A reference to no definition is left as the
//! text `[^x]`, as pulldown-cmark leaves it, with a warning. Everything here is
//! linear in the number of events: no recursion, each note placed once.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use unicase::UniCase;

use super::headings::slug_or_empty;
use super::Rendered;
use crate::diagnostics::{closest, Diagnostic};
use crate::escape;

/// What the parse shows of footnotes as it goes: where each definition is, and
/// `[^x]` left as text.
pub(super) struct Marks<'t> {
    /// The whole file, which event spans point into.
    text: &'t str,
    /// The span of each definition's label, in the order of the events.
    definitions: Vec<Range<usize>>,
    /// `[^label]` in prose text: (label, span).
    unknown: Vec<(String, Range<usize>)>,
}

impl<'t> Marks<'t> {
    pub fn new(text: &'t str) -> Marks<'t> {
        Marks {
            text,
            definitions: Vec::new(),
            unknown: Vec::new(),
        }
    }

    /// Notes `event`, at `at` in the file; `plain` inside code, headings and links,
    /// where `[^x]` is no reference.
    pub fn see(&mut self, event: &Event, at: &Range<usize>, plain: bool) {
        match event {
            Event::Start(Tag::FootnoteDefinition(_)) => {
                let source = self.text.get(at.clone()).unwrap_or_default();
                let end = source.find(']').map_or(source.len(), |e| e + 1);
                self.definitions.push(at.start..at.start + end);
            }
            Event::Text(_) if !plain => {
                let source = self.text.get(at.clone()).unwrap_or_default();
                self.unknown.extend(
                    bracketed_labels(source)
                        .map(|(label, r)| (label, at.start + r.start..at.start + r.end)),
                );
            }
            _ => {}
        }
    }
}

/// Each `[^label]` of `source` not escaped with `\`: (label, its range).
fn bracketed_labels(source: &str) -> impl Iterator<Item = (String, Range<usize>)> + '_ {
    source.match_indices("[^").filter_map(move |(start, _)| {
        let backslashes = source[..start]
            .bytes()
            .rev()
            .take_while(|b| *b == b'\\')
            .count();
        let rest = &source[start + 2..];
        let end = rest.find([']', '[', '\n'])?;
        let label = &rest[..end];
        let closed = rest[end..].starts_with(']');
        (backslashes % 2 == 0 && closed && !label.trim().is_empty())
            .then(|| (label.to_string(), start..start + 2 + end + 1))
    })
}

/// One footnote definition.
struct Note {
    label: String,
    span: Range<usize>,
    /// A second definition of its label: left out.
    dropped: bool,
    /// The references inside its definition, in order (indexes into `Notes::refs`).
    inside: Vec<usize>,
    /// The references to it, in reading order.
    uses: Vec<usize>,
    /// Its place in the list, from 1; 0 until placed.
    number: usize,
    /// Its id is `fn-{name}`.
    name: String,
}

/// One `[^label]` reference.
struct Ref {
    label: String,
    /// The note it names.
    note: Option<usize>,
    /// Its `id`, once the note it names is placed.
    id: Option<String>,
}

/// The footnotes of a body: read from its events before the headings take their
/// ids, then placed.
pub(super) struct Notes {
    notes: Vec<Note>,
    refs: Vec<Ref>,
    /// Note indexes in list order: referenced ones, then the others.
    order: Vec<usize>,
    /// Every id the notes and their references take.
    pub ids: HashSet<String>,
    diagnostics: Vec<Diagnostic>,
}

impl Notes {
    /// The notes of `events`, numbered and with their ids.
    pub fn read(events: &[Event], marks: Marks) -> Notes {
        let mut notes = Notes {
            notes: Vec::new(),
            refs: Vec::new(),
            order: Vec::new(),
            ids: HashSet::new(),
            diagnostics: Vec::new(),
        };
        let body_refs = notes.scan(events, &marks.definitions);
        let by_label = notes.labels();
        for r in &mut notes.refs {
            r.note = by_label.get(&UniCase::new(r.label.clone())).copied();
        }
        notes.number(&body_refs);
        notes.name();
        notes.check_unknown(marks.unknown, &by_label);
        notes
    }

    /// Collects the notes and references of `events`; returns the references
    /// outside every note.
    fn scan(&mut self, events: &[Event], spans: &[Range<usize>]) -> Vec<usize> {
        let mut body_refs = Vec::new();
        let mut open: Vec<usize> = Vec::new();
        for event in events {
            match event {
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    open.push(self.notes.len());
                    self.notes.push(Note {
                        label: label.to_string(),
                        span: spans.get(self.notes.len()).cloned().unwrap_or(0..0),
                        dropped: false,
                        inside: Vec::new(),
                        uses: Vec::new(),
                        number: 0,
                        name: String::new(),
                    });
                }
                Event::End(TagEnd::FootnoteDefinition) => {
                    open.pop();
                }
                Event::FootnoteReference(label) => {
                    let r = self.refs.len();
                    self.refs.push(Ref {
                        label: label.to_string(),
                        note: None,
                        id: None,
                    });
                    match open.last() {
                        Some(&n) => self.notes[n].inside.push(r),
                        None => body_refs.push(r),
                    }
                }
                _ => {}
            }
        }
        body_refs
    }

    /// The first note of each label (matched as pulldown-cmark matches them,
    /// ignoring case); a second one is dropped with an error.
    fn labels(&mut self) -> HashMap<UniCase<String>, usize> {
        let mut by_label = HashMap::with_capacity(self.notes.len());
        for (i, note) in self.notes.iter_mut().enumerate() {
            match by_label.entry(UniCase::new(note.label.clone())) {
                Entry::Vacant(slot) => {
                    slot.insert(i);
                }
                Entry::Occupied(_) => {
                    note.dropped = true;
                    self.diagnostics.push(
                        Diagnostic::error(format!(
                            "the footnote `{}` is defined twice",
                            note.label
                        ))
                        .at(note.span.clone())
                        .label("a second definition of this label")
                        .help("give each footnote its own label, or merge the two"),
                    );
                }
            }
        }
        by_label
    }

    /// Orders the notes as a reader meets their references: the body's, then those
    /// inside each note placed so far. A note no placed text refers to comes next
    /// (in source order, with a warning), and the notes its text refers to after it.
    fn number(&mut self, body_refs: &[usize]) {
        let mut placed = vec![false; self.notes.len()];
        self.take_refs(body_refs, &mut placed);
        let (mut done, mut unreferenced) = (0, 0);
        loop {
            while done < self.order.len() {
                let inside = std::mem::take(&mut self.notes[self.order[done]].inside);
                self.take_refs(&inside, &mut placed);
                done += 1;
            }
            while unreferenced < self.notes.len()
                && (placed[unreferenced] || self.notes[unreferenced].dropped)
            {
                unreferenced += 1;
            }
            let Some(note) = self.notes.get(unreferenced) else {
                break;
            };
            self.diagnostics.push(
                Diagnostic::warning(format!("the footnote `{}` is never referenced", note.label))
                    .at(note.span.clone())
                    .label("no `[^…]` in the text names this note")
                    .help(format!(
                        "refer to it with `[^{}]` where it belongs, or remove it; until then it is listed after the others",
                        note.label
                    )),
            );
            placed[unreferenced] = true;
            self.place_note(unreferenced);
        }
    }

    fn place_note(&mut self, n: usize) {
        self.order.push(n);
        self.notes[n].number = self.order.len();
    }

    /// Records `refs` as uses of their notes, placing each note not placed yet.
    fn take_refs(&mut self, refs: &[usize], placed: &mut [bool]) {
        for &r in refs {
            if let Some(n) = self.refs[r].note {
                self.notes[n].uses.push(r);
                if !placed[n] {
                    placed[n] = true;
                    self.place_note(n);
                }
            }
        }
    }

    /// Gives each placed note its name and each reference its id, all unique:
    /// named notes first, so that a number given to a label without letters or
    /// digits never takes a name.
    fn name(&mut self) {
        let mut ids = Ids::default();
        let order = self.order.clone();
        let mut unnamed = Vec::new();
        for &n in &order {
            let slug = slug_or_empty(&self.notes[n].label);
            if slug.is_empty() {
                unnamed.push(n);
            } else {
                self.notes[n].name = ids.take(&slug, &["fn-", "fnref-"]);
            }
        }
        for n in unnamed {
            let number = self.notes[n].number.to_string();
            self.notes[n].name = ids.take(&number, &["fn-", "fnref-"]);
        }
        for &n in &order {
            let note = &self.notes[n];
            for (k, &r) in note.uses.iter().enumerate() {
                let id = if k == 0 {
                    format!("fnref-{}", note.name)
                } else {
                    format!(
                        "fnref-{}",
                        ids.take(&format!("{}-{}", note.name, k + 1), &["fnref-"])
                    )
                };
                self.refs[r].id = Some(id);
            }
        }
        self.ids = ids.used;
    }

    /// A warning for each `[^x]` left as text that names no note.
    fn check_unknown(
        &mut self,
        unknown: Vec<(String, Range<usize>)>,
        by_label: &HashMap<UniCase<String>, usize>,
    ) {
        for (label, span) in unknown {
            if by_label.contains_key(&UniCase::new(label.clone())) {
                continue;
            }
            let labels = self.notes.iter().map(|n| n.label.as_str());
            let help = match closest(&label, labels) {
                Some(near) => format!("did you mean `[^{near}]`?"),
                None => format!(
                    "define it with a line `[^{label}]: the note`, or write `\\[^{label}]` to show the brackets"
                ),
            };
            self.diagnostics.push(
                Diagnostic::warning(format!("the footnote `{label}` is not defined"))
                    .at(span)
                    .label("shown as this text")
                    .help(help),
            );
        }
    }

    /// `events` with every reference a link and every definition moved into the
    /// list at the end; the notes' ids and diagnostics go into `out`.
    pub fn place<'t>(self, events: Vec<Event<'t>>, out: &mut Rendered) -> Vec<Event<'t>> {
        if self.notes.is_empty() {
            out.diagnostics.extend(self.diagnostics);
            return events;
        }
        self.check_clashes(out);
        let mut body = Vec::with_capacity(events.len() + 4 * self.order.len() + 2);
        let mut contents: Vec<Vec<Event<'t>>> = self.notes.iter().map(|_| Vec::new()).collect();
        let (mut open, mut next_note, mut next_ref) = (Vec::new(), 0, 0);
        for event in events {
            let event = match event {
                Event::Start(Tag::FootnoteDefinition(_)) => {
                    open.push(next_note);
                    next_note += 1;
                    continue;
                }
                Event::End(TagEnd::FootnoteDefinition) => {
                    open.pop();
                    continue;
                }
                Event::FootnoteReference(label) => {
                    next_ref += 1;
                    self.reference(next_ref - 1, label)
                }
                other => other,
            };
            match open.last() {
                Some(&n) => contents[n].push(event),
                None => body.push(event),
            }
        }
        self.push_list(&mut body, contents);
        let Notes {
            notes,
            refs,
            order,
            diagnostics,
            ..
        } = self;
        for n in order {
            out.ids.push(format!("fn-{}", notes[n].name));
            out.ids
                .extend(notes[n].uses.iter().filter_map(|&r| refs[r].id.clone()));
        }
        out.diagnostics.extend(diagnostics);
        body
    }

    /// An error for each note whose id, or one of its references' ids, is also an
    /// explicit heading id or a raw-HTML id of the page.
    fn check_clashes(&self, out: &mut Rendered) {
        let taken: HashSet<&str> = out
            .headings
            .iter()
            .map(|h| h.id.as_str())
            .chain(out.ids.iter().map(String::as_str))
            .filter(|id| self.ids.contains(*id))
            .collect();
        if taken.is_empty() {
            return;
        }
        for &n in &self.order {
            let note = &self.notes[n];
            let fn_id = format!("fn-{}", note.name);
            let ref_ids = note.uses.iter().filter_map(|&r| self.refs[r].id.as_deref());
            let Some(id) = [fn_id.as_str()]
                .into_iter()
                .chain(ref_ids)
                .find(|id| taken.contains(id))
            else {
                continue;
            };
            out.diagnostics.push(
                Diagnostic::error(format!(
                    "the footnote `{}` has the id `{id}`, which a heading or an HTML element of this page also has",
                    note.label
                ))
                .at(note.span.clone())
                .label("this note")
                .help("change that `{#id}` or `id=\"…\"`, or give the footnote another label"),
            );
        }
    }

    /// The link that reference `r` becomes; the text it was when it names no
    /// placed note (or sits in a dropped definition).
    fn reference<'t>(&self, r: usize, label: CowStr<'t>) -> Event<'t> {
        let found = self
            .refs
            .get(r)
            .and_then(|r| Some((r.note?, r.id.as_deref()?)));
        let Some((n, id)) = found else {
            return Event::Text(CowStr::from(format!("[^{label}]")));
        };
        let number = self.notes[n].number;
        Event::InlineHtml(CowStr::from(format!(
            r##"<sup class="footnote-ref"><a href="#fn-{name}" id="{id}" role="doc-noteref" aria-label="Footnote {number}">{number}</a></sup>"##,
            name = escape::html(&self.notes[n].name),
            id = escape::html(id),
        )))
    }

    /// Appends the list of notes, each followed by its back-links.
    fn push_list<'t>(&self, body: &mut Vec<Event<'t>>, mut contents: Vec<Vec<Event<'t>>>) {
        if self.order.is_empty() {
            return;
        }
        body.push(Event::Html(CowStr::from(
            "<section class=\"footnotes\" role=\"doc-endnotes\" aria-label=\"Footnotes\">\n<ol>\n",
        )));
        for &n in &self.order {
            let note = &self.notes[n];
            body.push(Event::Html(CowStr::from(format!(
                "<li id=\"fn-{}\">\n",
                escape::html(&note.name)
            ))));
            let mut content = std::mem::take(&mut contents[n]);
            let links = self.backlinks(note);
            if !links.is_empty() {
                // In the last paragraph when there is one, as GitHub does.
                match content.pop() {
                    Some(end @ Event::End(TagEnd::Paragraph)) => {
                        content.push(Event::InlineHtml(CowStr::from(links)));
                        content.push(end);
                    }
                    last => {
                        content.extend(last);
                        content.push(Event::Html(CowStr::from(format!(
                            "<p>{}</p>\n",
                            links.trim_start()
                        ))));
                    }
                }
            }
            body.extend(content);
            body.push(Event::Html(CowStr::from("</li>\n")));
        }
        body.push(Event::Html(CowStr::from("</ol>\n</section>\n")));
    }

    /// The back-links of `note`: one per reference.
    fn backlinks(&self, note: &Note) -> String {
        let number = note.number;
        let mut links = String::new();
        for (k, &r) in note.uses.iter().enumerate() {
            let Some(id) = &self.refs[r].id else {
                continue;
            };
            let (label, mark) = if k == 0 {
                (format!("Back to reference {number}"), String::new())
            } else {
                // GitHub's form: the visible `2` must be a word of the name, and
                // "(2)" would not count (label-in-name checks drop parentheses).
                (
                    format!("Back to reference {number}-{}", k + 1),
                    format!("<sup>{}</sup>", k + 1),
                )
            };
            links.push_str(&format!(
                r##" <a href="#{}" class="footnote-backref" role="doc-backlink" aria-label="{label}">↩&#xFE0E;{mark}</a>"##,
                escape::html(id)
            ));
        }
        links
    }
}

/// Ids handed out so far, and for each base the last number tried, so that many
/// labels with one slug cost no more than they are.
#[derive(Default)]
struct Ids {
    used: HashSet<String>,
    next: HashMap<String, usize>,
}

impl Ids {
    /// `base`, or `base-1`, `base-2`, ..., the first `name` for which every
    /// `prefix + name` is free; takes them.
    fn take(&mut self, base: &str, prefixes: &[&str]) -> String {
        let used = &self.used;
        let free = |name: &str| {
            prefixes
                .iter()
                .all(|p| !used.contains(&format!("{p}{name}")))
        };
        let mut name = base.to_string();
        if !free(&name) {
            let n = self.next.entry(base.to_string()).or_insert(0);
            loop {
                *n += 1;
                name = format!("{base}-{n}");
                if free(&name) {
                    break;
                }
            }
        }
        for p in prefixes {
            self.used.insert(format!("{p}{name}"));
        }
        name
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashMap};
    use std::time::{Duration, Instant};

    use scraper::{Html, Selector};

    use super::super::{render, Autolinker, Linker, Rendered};
    use crate::load::config::Autolink;

    fn run(md: &str) -> Rendered {
        let (ids, files) = (HashMap::new(), HashMap::new());
        let (drafts, broken) = (BTreeMap::new(), BTreeMap::new());
        let autolinker = Autolinker::new(&[]);
        let linker = Linker {
            ids: &ids,
            files: &files,
            drafts: &drafts,
            broken: &broken,
            autolinker: &autolinker,
            mode: Autolink::None,
            smart_punctuation: false,
            shortcodes: &[],
        };
        render("content/notes.md", md, 0..md.len(), None, &linker)
    }

    fn attrs(doc: &Html, css: &str, attr: &str) -> Vec<String> {
        doc.select(&Selector::parse(css).unwrap())
            .filter_map(|e| e.value().attr(attr).map(str::to_string))
            .collect()
    }

    fn texts(doc: &Html, css: &str) -> Vec<String> {
        doc.select(&Selector::parse(css).unwrap())
            .map(|e| e.text().collect::<String>().trim().to_string())
            .collect()
    }

    fn messages(r: &Rendered) -> Vec<&str> {
        r.diagnostics.iter().map(|d| d.message.as_str()).collect()
    }

    #[test]
    fn notes_are_numbered_by_first_reference_and_collected_at_the_end() {
        let md = "[^z]: Zed, defined first.\n\nOne[^a], two[^z], three[^m].\n\n\
                  [^m]: Em.\n\nMore text.\n\n[^a]: Ay.\n";
        let r = run(md);
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        let doc = Html::parse_fragment(&r.html);
        assert_eq!(texts(&doc, "sup.footnote-ref a"), ["1", "2", "3"]);
        assert_eq!(
            attrs(&doc, "sup.footnote-ref a", "href"),
            ["#fn-a", "#fn-z", "#fn-m"]
        );
        assert_eq!(
            attrs(&doc, "section.footnotes > ol > li", "id"),
            ["fn-a", "fn-z", "fn-m"]
        );
        assert_eq!(
            texts(&doc, "section.footnotes li > p"),
            [
                "Ay. ↩\u{fe0e}",
                "Zed, defined first. ↩\u{fe0e}",
                "Em. ↩\u{fe0e}"
            ]
        );
        // Nothing of the notes is left where they were written; the list is last.
        assert!(
            r.html.trim_end().ends_with("</ol>\n</section>"),
            "{}",
            r.html
        );
        let before = &r.html[..r.html.find("<section").unwrap()];
        assert!(
            !before.contains("Zed") && !before.contains("Ay."),
            "{before}"
        );
        assert_eq!(texts(&doc, "p")[..2], ["One1, two2, three3.", "More text."]);
        // The list is a labelled landmark, each back-link named for its number.
        assert_eq!(attrs(&doc, "section.footnotes", "role"), ["doc-endnotes"]);
        assert_eq!(
            attrs(&doc, "a.footnote-backref", "aria-label"),
            [
                "Back to reference 1",
                "Back to reference 2",
                "Back to reference 3"
            ]
        );
    }

    #[test]
    fn every_back_link_leads_to_its_reference_and_a_double_reference_has_two() {
        let md = "Once[^n] and twice[^n], and[^o].\n\n[^n]: The note.\n[^o]: Other.\n";
        let r = run(md);
        let doc = Html::parse_fragment(&r.html);
        let ref_ids = attrs(&doc, "sup.footnote-ref a", "id");
        assert_eq!(ref_ids, ["fnref-n", "fnref-n-2", "fnref-o"]);
        let back = attrs(&doc, "#fn-n a.footnote-backref", "href");
        assert_eq!(back, ["#fnref-n", "#fnref-n-2"]);
        assert_eq!(
            attrs(&doc, "#fn-n a.footnote-backref", "aria-label"),
            ["Back to reference 1", "Back to reference 1-2"]
        );
        for href in attrs(&doc, "a.footnote-backref", "href") {
            let id = href.trim_start_matches('#');
            assert!(ref_ids.iter().any(|r| r == id), "{href} leads nowhere");
        }
        // Both kinds of ids may be named by `#fragment` links.
        let anchors: Vec<&str> = r.anchors().collect();
        assert_eq!(anchors, ["fn-n", "fnref-n", "fnref-n-2", "fn-o", "fnref-o"]);
    }

    #[test]
    fn notes_in_lists_and_lists_in_notes_keep_rendering() {
        let md = "- an item[^l]\n- another\n\n\
                  [^l]: First paragraph, <https://example.org/>.\n\n    - a list\n    - in the note\n\n    ```\n    code[^l]\n    ```\n";
        let r = run(md);
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        let doc = Html::parse_fragment(&r.html);
        assert_eq!(attrs(&doc, "ul > li sup a", "href"), ["#fn-l"]);
        assert_eq!(texts(&doc, "#fn-l > ul > li"), ["a list", "in the note"]);
        assert_eq!(texts(&doc, "#fn-l pre code"), ["code[^l]"]);
        assert_eq!(
            attrs(&doc, "#fn-l a[href^='https']", "href"),
            ["https://example.org/"]
        );
        // After a code block, the back-link takes a paragraph of its own.
        assert_eq!(
            attrs(&doc, "#fn-l > p > a.footnote-backref", "href"),
            ["#fnref-l"]
        );
    }

    #[test]
    fn nested_definitions_and_cycles_are_each_one_note() {
        let md = "Start[^a].\n\n[^a]: A, see[^b].\n\n    > [^b]: B, see[^a] and[^c].\n\n\
                  [^c]: C.\n[^d]: Never referenced, see[^e].\n[^e]: E.\n";
        let r = run(md);
        assert_eq!(messages(&r), ["the footnote `d` is never referenced"]);
        let doc = Html::parse_fragment(&r.html);
        assert_eq!(
            attrs(&doc, "section.footnotes > ol > li", "id"),
            ["fn-a", "fn-b", "fn-c", "fn-d", "fn-e"]
        );
        assert_eq!(
            attrs(&doc, "#fn-a a.footnote-backref", "href"),
            ["#fnref-a", "#fnref-a-2"]
        );
        assert!(attrs(&doc, "#fn-d a.footnote-backref", "href").is_empty());
        assert_eq!(
            attrs(&doc, "#fn-e a.footnote-backref", "href"),
            ["#fnref-e"]
        );
        let d = md.find("[^d]:").unwrap();
        assert_eq!(r.diagnostics[0].span, Some(d..d + 4), "points at `[^d]`");
    }

    #[test]
    fn headings_never_take_a_note_id_and_an_explicit_one_is_an_error() {
        let r = run("## Fn 1\n\n## Fnref 1\n\nText[^1].\n\n[^1]: One.\n");
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["fn-1-1", "fnref-1-1"]);
        let mut all: Vec<&str> = r.anchors().collect();
        let n = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), n, "ids are unique: {all:?}");

        for md in [
            "## Part {#fn-1}\n\nText[^1].\n\n[^1]: One.\n",
            "<span id=\"fnref-1\">x</span> Text[^1].\n\n[^1]: One.\n",
        ] {
            let r = run(md);
            assert_eq!(r.diagnostics.len(), 1, "{md}: {:?}", r.diagnostics);
            assert!(
                r.diagnostics[0]
                    .message
                    .starts_with("the footnote `1` has the id `fn"),
                "{md}: {}",
                r.diagnostics[0].message
            );
        }
    }

    #[test]
    fn labels_become_slugs_unique_among_the_notes() {
        let md = "A[^My Note] b[^my-note] c[^*] d[^MY NOTE] e[^1].\n\n\
                  [^my note]: one\n[^my-note]: two\n[^*]: three\n[^1]: four\n";
        let r = run(md);
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        let doc = Html::parse_fragment(&r.html);
        // Labels match ignoring case, as pulldown-cmark matches them.
        assert_eq!(
            attrs(&doc, "sup a", "id"),
            [
                "fnref-my-note",
                "fnref-my-note-1",
                "fnref-3",
                "fnref-my-note-2",
                "fnref-1"
            ]
        );
        assert_eq!(
            attrs(&doc, "section li", "id"),
            ["fn-my-note", "fn-my-note-1", "fn-3", "fn-1"]
        );
    }

    #[test]
    fn a_reference_to_no_note_stays_text_with_a_warning() {
        let md = "See[^nte] and \\[^x] and `[^y]`[^note].\n\n```\n[^a-z]\n```\n\n[^note]: N.\n";
        let r = run(md);
        assert_eq!(
            messages(&r),
            ["the footnote `nte` is not defined"],
            "{:?}",
            r.diagnostics
        );
        assert_eq!(
            r.diagnostics[0].help.as_deref(),
            Some("did you mean `[^note]`?")
        );
        assert_eq!(r.diagnostics[0].span, Some(3..9));
        assert!(r.html.contains("See[^nte] and [^x]"), "{}", r.html);
    }

    #[test]
    fn a_second_definition_of_a_label_is_an_error() {
        let r = run("X[^a].\n\n[^a]: first\n\n[^A]: second\n");
        assert_eq!(messages(&r), ["the footnote `A` is defined twice"]);
        assert!(!r.html.contains("second"), "{}", r.html);
    }

    #[test]
    fn ten_thousand_notes_with_one_slug_take_linear_time() {
        // Labels that all slug to `x` (only their punctuation differs), each
        // referenced twice, and as many numbered ones.
        let marks = ['!', '?', '.', ',', ':', '*', '+', '=', '~', '@', '$', '%'];
        let mut md = String::new();
        let mut defs = String::new();
        for i in 0..10_000 {
            let p: String = [i % 12, i / 12 % 12, i / 144 % 12, i / 1728 % 12]
                .iter()
                .map(|&k| marks[k])
                .collect();
            md.push_str(&format!("a[^x{p}] b[^x{p}] c[^{i}]\n"));
            defs.push_str(&format!("[^x{p}]: note {i}\n[^{i}]: n\n"));
        }
        md.push('\n');
        md.push_str(&defs);
        let started = Instant::now();
        let r = run(&md);
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{:?}",
            started.elapsed()
        );
        assert!(r.diagnostics.is_empty(), "{:?}", &r.diagnostics[..3]);
        assert_eq!(r.html.matches("<li id=\"fn-").count(), 20_000);
        let mut ids: Vec<&str> = r.anchors().collect();
        assert_eq!(ids.len(), 20_000 + 30_000);
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 50_000, "every id is unique");
    }
}
