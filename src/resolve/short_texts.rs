//! Short texts: the inline Markdown of front matter (stance summaries and their
//! sources' titles, position descriptions, event summaries; DESIGN.md section 7),
//! rendered with the link targets of bodies. Their links are their file's links as
//! much as its body's: they make backlinks and are checked against the whole site.
//! Their errors point into the YAML value: at the link itself when the value is
//! written on one line, else at the value's start.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::load::content::{
    find_key, find_top_value, text_values, ActorMeta, Doc, EventMeta, QuestionMeta, Row, TextAt,
    TextValue,
};
use crate::resolve::ids::Docs;
use crate::resolve::markdown::{render_inline, InlineText, LinkRef, LinkTargets, Linker};
use crate::resolve::EntityRef;

/// The short texts of every document, each list in the order of [`Docs`].
pub(super) struct ShortTexts {
    /// For each actor, the texts of each of its stances, in file order.
    pub stances: Vec<Vec<StanceTexts>>,
    /// For each question, the description of each position.
    pub positions: Vec<Vec<Option<InlineText>>>,
    /// For each event, its summary and source titles.
    pub events: Vec<EventTexts>,
    /// The links of each file whose short texts have any.
    pub links: Vec<TextLinks>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Default)]
pub(super) struct StanceTexts {
    pub summary: Option<InlineText>,
    /// The title of each source, from `source` or `sources`, in file order.
    pub source_titles: Vec<InlineText>,
}

#[derive(Debug, Default)]
pub(super) struct EventTexts {
    pub summary: Option<InlineText>,
    pub source_titles: Vec<InlineText>,
}

/// What the short texts of one file link to.
#[derive(Debug)]
pub(super) struct TextLinks {
    pub from: EntityRef,
    /// The file, and the site path of the page it makes.
    pub path: String,
    pub url: String,
    pub ids: BTreeSet<String>,
    /// Site paths and fragments, placed in the file.
    pub refs: Vec<LinkRef>,
}

/// The short texts of `docs`, their links resolved against `targets`.
pub(super) fn short_texts(docs: &Docs, targets: &LinkTargets) -> ShortTexts {
    let linker = targets.linker();
    let actors: Vec<(Vec<StanceTexts>, Found)> = docs
        .actors
        .par_iter()
        .map(|d| actor_texts(d, &linker))
        .collect();
    let questions: Vec<(Vec<Option<InlineText>>, Found)> = docs
        .questions
        .par_iter()
        .map(|d| question_texts(d, &linker))
        .collect();
    let events: Vec<(EventTexts, Found)> = docs
        .events
        .par_iter()
        .map(|d| event_texts(d, &linker))
        .collect();
    let mut texts = ShortTexts {
        stances: Vec::with_capacity(actors.len()),
        positions: Vec::with_capacity(questions.len()),
        events: Vec::with_capacity(events.len()),
        links: Vec::new(),
        diagnostics: Vec::new(),
    };
    for (i, (stances, found)) in actors.into_iter().enumerate() {
        texts.stances.push(stances);
        texts.add(EntityRef::Actor(i), &docs.actors[i], found);
    }
    for (i, (positions, found)) in questions.into_iter().enumerate() {
        texts.positions.push(positions);
        texts.add(EntityRef::Question(i), &docs.questions[i], found);
    }
    for (i, (summary, found)) in events.into_iter().enumerate() {
        texts.events.push(summary);
        texts.add(EntityRef::Event(i), &docs.events[i], found);
    }
    texts
}

impl ShortTexts {
    fn add<M>(&mut self, from: EntityRef, d: &Doc<M>, found: Found) {
        let Found {
            ids,
            refs,
            row_refs,
            diagnostics,
        } = found;
        self.diagnostics.extend(diagnostics);
        // Checked as links of the data file their row is in.
        for (path, refs) in row_refs {
            self.links.push(TextLinks {
                from,
                path,
                url: d.url.clone(),
                ids: BTreeSet::new(),
                refs,
            });
        }
        if !ids.is_empty() || !refs.is_empty() {
            self.links.push(TextLinks {
                from,
                path: d.path.clone(),
                url: d.url.clone(),
                ids,
                refs,
            });
        }
    }
}

fn actor_texts(d: &Doc<ActorMeta>, linker: &Linker) -> (Vec<StanceTexts>, Found) {
    let mut file = FileTexts::new(d, linker);
    let (mut summaries, mut titles) = (0, 0);
    let mut stances = Vec::with_capacity(d.meta.stances.len());
    for s in &d.meta.stances {
        let mut texts = StanceTexts::default();
        // A stance from `data/stances.csv` is not in the file's front matter, so it
        // does not count among the file's `summary:` and `title:` values.
        let row = s.row.as_deref();
        if let Some(summary) = &s.summary {
            let field = Field::below("stances", "summary", summaries);
            texts.summary = Some(file.render_in(summary, field, row));
            summaries += usize::from(row.is_none());
        }
        // Every `title:` below `stances` is a source's, in file order.
        for source in s.all_sources() {
            let field = Field::below("stances", "title", titles);
            texts
                .source_titles
                .push(file.render_in(&source.title, field, row));
            titles += usize::from(row.is_none());
        }
        stances.push(texts);
    }
    (stances, file.found)
}

fn question_texts(d: &Doc<QuestionMeta>, linker: &Linker) -> (Vec<Option<InlineText>>, Found) {
    let mut file = FileTexts::new(d, linker);
    let mut n = 0;
    let mut positions = Vec::with_capacity(d.meta.positions.len());
    for p in &d.meta.positions {
        positions.push(p.description.as_deref().map(|text| {
            n += 1;
            file.render(text, Field::below("positions", "description", n - 1))
        }));
    }
    (positions, file.found)
}

fn event_texts(d: &Doc<EventMeta>, linker: &Linker) -> (EventTexts, Found) {
    let mut file = FileTexts::new(d, linker);
    let field = Field {
        under: None,
        key: "summary",
        n: 0,
    };
    let summary = d.meta.summary.as_deref().map(|t| file.render(t, field));
    let source_titles = (d.meta.sources.iter().enumerate())
        .map(|(n, s)| file.render(&s.title, Field::below("sources", "title", n)))
        .collect();
    let texts = EventTexts {
        summary,
        source_titles,
    };
    (texts, file.found)
}

/// What the short texts of a file link to, and their errors, placed in the file.
#[derive(Default)]
struct Found {
    ids: BTreeSet<String>,
    refs: Vec<LinkRef>,
    /// Links of texts written in a data file's row, with that file.
    row_refs: BTreeMap<String, Vec<LinkRef>>,
    diagnostics: Vec<Diagnostic>,
}

/// Where a short text is written in its file's front matter: the `n`-th value of
/// `key` below the top key `under`, or of the top key `key`.
#[derive(Clone, Copy)]
struct Field {
    under: Option<&'static str>,
    key: &'static str,
    n: usize,
}

impl Field {
    fn below(under: &'static str, key: &'static str, n: usize) -> Field {
        Field {
            under: Some(under),
            key,
            n,
        }
    }
}

/// The short texts of one file while they render.
struct FileTexts<'a, M> {
    doc: &'a Doc<M>,
    linker: &'a Linker<'a>,
    found: Found,
    /// The values of each field's key, found once the first text of the field
    /// needs a place: a file may have thousands of stances.
    values: HashMap<(Option<&'static str>, &'static str), Vec<TextValue>>,
}

impl<'a, M> FileTexts<'a, M> {
    fn new(doc: &'a Doc<M>, linker: &'a Linker<'a>) -> Self {
        FileTexts {
            doc,
            linker,
            found: Found::default(),
            values: HashMap::new(),
        }
    }

    /// Renders `text`, written at `field`, keeping its links and errors.
    fn render(&mut self, text: &str, field: Field) -> InlineText {
        self.render_in(text, field, None)
    }

    /// Renders `text`, written at `field`, or in a cell of `row` (of a data file),
    /// keeping its links and errors.
    fn render_in(&mut self, text: &str, field: Field, row: Option<&Row>) -> InlineText {
        let d = self.doc;
        let row = row.or(d.row.as_deref());
        let path = row.map_or(d.path.as_str(), |r| r.path.as_str());
        let inline = render_inline(path, &d.url, text, self.linker);
        self.found.ids.extend(inline.links);
        if inline.refs.is_empty() && inline.diagnostics.is_empty() {
            return inline.text;
        }
        // Found in the text only now: most short texts have no link to check.
        let place = match row {
            Some(row) => cell_place(row, field, text),
            None => self.place(field, text),
        };
        for mut r in inline.refs {
            r.span = place.span(r.span);
            match row {
                Some(row) if row.path != d.path => {
                    let refs = self.found.row_refs.entry(row.path.clone()).or_default();
                    refs.push(r);
                }
                _ => self.found.refs.push(r),
            }
        }
        for mut e in inline.diagnostics {
            e.span = e.span.map(|s| place.span(s));
            self.found.diagnostics.push(e);
        }
        inline.text
    }

    /// Where `text`, the value at `field`, is written.
    fn place(&mut self, field: Field, text: &str) -> Place {
        let d = self.doc;
        let values = self
            .values
            .entry((field.under, field.key))
            .or_insert_with(|| {
                let range = match field.under {
                    Some(under) => find_top_value(&d.text, &d.front_matter, under),
                    None => Some(d.front_matter.clone()),
                };
                range.map_or_else(Vec::new, |r| {
                    text_values(&d.text, &r, field.key, field.under.is_none())
                })
            });
        if let Some(value) = values.get(field.n) {
            return Place::Text(value.place(&d.text, text));
        }
        let key = field.under.unwrap_or(field.key);
        let start = d.front_matter.start;
        Place::Key(find_key(&d.text, &d.front_matter, key, 0).unwrap_or(start..start))
    }
}

/// Where `text`, the value at `field`, is in its cell of `row`: byte for byte
/// when the cell is written as it reads, else the whole cell.
fn cell_place(row: &Row, field: Field, text: &str) -> Place {
    let column = if field.key == "title" {
        "source_title"
    } else {
        field.key
    };
    let cell = row.cell(column).unwrap_or(0..0);
    let written = row.text.get(cell.clone()).unwrap_or("");
    match written.find(text) {
        Some(at) if written.trim() == text => Place::Cell(cell.start + at),
        _ => Place::Key(cell),
    }
}

/// Where the bytes of one short text are in its file.
enum Place {
    Text(TextAt),
    /// Written as it reads, from this offset on (a cell of a data file).
    Cell(usize),
    /// The value was not found where it should be: its key, or the front matter.
    Key(Range<usize>),
}

impl Place {
    fn span(&self, in_text: Range<usize>) -> Range<usize> {
        match self {
            Place::Text(at) => at.span(in_text),
            Place::Cell(start) => start + in_text.start..start + in_text.end,
            Place::Key(key) => key.clone(),
        }
    }
}
