//! The data files (DESIGN.md section 9): `data/actors.csv`, `data/stances.csv` and
//! `data/events.csv`, rows of a spreadsheet that add actors, stances and events as
//! the Markdown files do. Each row becomes the value a Markdown file gives, with a
//! [`Row`](crate::load::content::Row) so that every error, here or after loading, points at its cell.

use std::collections::HashMap;
use std::sync::Arc;

use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::load::content::{
    code_scheme, decode, is_valid_id, slugify, ActorKind, ActorMeta, Content, Date, Doc, EventMeta,
    Loaded, Source, StanceMeta, NEVER_A_LINK,
};
use crate::load::tree::SourceTree;

mod table;

use table::{read_table, Record};

/// The columns of each data file, in order: what the CSV exports write (so an
/// export reads back), and what a header may name.
pub const ACTOR_COLUMNS: &[&str] = &[
    "id",
    "name",
    "kind",
    "role",
    "affiliations",
    "aliases",
    "summary",
    "image",
];
pub const STANCE_COLUMNS: &[&str] = &[
    "actor",
    "question",
    "position",
    "date",
    "summary",
    "quote",
    "source_title",
    "source_publisher",
    "source_url",
    "source_date",
    "source_archive_url",
];
pub const EVENT_COLUMNS: &[&str] = &[
    "id",
    "title",
    "date",
    "end_date",
    "place",
    "actors",
    "questions",
    "summary",
];

/// The columns of one data file.
struct Columns {
    path: &'static str,
    all: &'static [&'static str],
    required: &'static [&'static str],
}

const ACTORS: Columns = Columns {
    path: "data/actors.csv",
    all: ACTOR_COLUMNS,
    required: &["id", "name", "kind"],
};

const STANCES: Columns = Columns {
    path: "data/stances.csv",
    all: STANCE_COLUMNS,
    required: &["actor", "question", "position", "date"],
};

const EVENTS: Columns = Columns {
    path: "data/events.csv",
    all: EVENT_COLUMNS,
    required: &["id", "title", "date"],
};

/// Adds the rows of the data files in `tree` to `loaded`: actors and events beside
/// the Markdown ones, stances to their actor's, wherever it is defined.
pub fn add(tree: &SourceTree, loaded: &mut Loaded) {
    for (rel, _) in tree.below("data") {
        let known = [&ACTORS, &STANCES, &EVENTS].map(|c| &c.path["data/".len()..]);
        if rel.ends_with(".csv") && !known.contains(&rel) {
            let d = Diagnostic::error(format!("unknown data file `data/{rel}`"))
                .in_file(format!("data/{rel}"))
                .note("the data files are `data/actors.csv`, `data/stances.csv` and `data/events.csv`")
                .help_opt(did_you_mean(rel, known));
            loaded.diagnostics.push(d);
        }
    }
    let actors = records(tree, &ACTORS, loaded);
    for r in &actors {
        match actor(r) {
            Ok(doc) => loaded.content.actors.push(Arc::new(doc)),
            Err(ds) => note_broken(&mut loaded.content, r, ds, &mut loaded.diagnostics),
        }
    }
    for r in &records(tree, &EVENTS, loaded) {
        match event(r) {
            Ok(doc) => loaded.content.events.push(Arc::new(doc)),
            Err(ds) => note_broken(&mut loaded.content, r, ds, &mut loaded.diagnostics),
        }
    }
    let stances = records(tree, &STANCES, loaded);
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for (i, d) in loaded.content.actors.iter().enumerate() {
        by_id.entry(d.id.clone()).or_insert(i);
    }
    for r in &stances {
        let (actor, s) = match stance(r) {
            Ok(found) => found,
            Err(ds) => {
                loaded.diagnostics.extend(ds);
                continue;
            }
        };
        match by_id.get(&actor) {
            // Shared with the parse cache: the actor's copy gains the stance.
            Some(&i) => Arc::make_mut(&mut loaded.content.actors[i])
                .meta
                .stances
                .push(s),
            None => loaded
                .diagnostics
                .extend(unknown_actor(&loaded.content, r, &actor)),
        }
    }
}

/// A row that names a missing actor: an error, unless the actor is a draft left
/// out of this build or a file that failed to load (its own error says why).
fn unknown_actor(content: &Content, r: &Record, id: &str) -> Option<Diagnostic> {
    if content.drafts.contains_key(id) || content.broken.contains_key(id) {
        return None;
    }
    let ids = content.actors.iter().map(|d| d.id.as_str());
    Some(
        Diagnostic::error(format!("unknown actor `{id}`"))
            .in_file(&r.row.path)
            .at_opt(r.row.value("actor", id))
            .label("no actor has this id")
            .help(did_you_mean(id, ids).unwrap_or_else(|| {
                format!("add a row to `data/actors.csv`, or create `content/actors/{id}.md`")
            })),
    )
}

/// Keeps the errors of a row that failed, and its id, so that references to it
/// are not reported again.
fn note_broken(content: &mut Content, r: &Record, ds: Vec<Diagnostic>, out: &mut Vec<Diagnostic>) {
    if let Some(id) = r.get("id").filter(|id| is_valid_id(id)) {
        content.broken.insert(id.to_string(), r.row.path.clone());
    }
    out.extend(ds);
}

/// Reads the cells of one row into typed values, keeping every error.
struct Cells<'a> {
    r: &'a Record,
    errors: Vec<Diagnostic>,
}

impl<'a> Cells<'a> {
    fn new(r: &'a Record) -> Self {
        Cells {
            r,
            errors: Vec::new(),
        }
    }

    fn error(&self, column: &str, message: String) -> Diagnostic {
        let row = &self.r.row;
        Diagnostic::error(message)
            .in_file(&row.path)
            .at_opt(row.cell(column))
    }

    fn text(&self, column: &str) -> Option<String> {
        self.r.get(column).map(str::to_string)
    }

    /// A cell that must not be empty.
    fn required(&mut self, column: &str) -> Option<String> {
        let value = self.text(column);
        if value.is_none() {
            let d = self
                .error(column, format!("missing required value `{column}`"))
                .label("this cell is empty")
                .help(format!("fill in `{column}` in this row"));
            self.errors.push(d);
        }
        value
    }

    fn id(&mut self, column: &str) -> Option<String> {
        let id = self.required(column)?.trim().to_string();
        if is_valid_id(&id) {
            return Some(id);
        }
        let slug = slugify(&id);
        let mut d = self
            .error(column, format!("`{id}` is not a valid id"))
            .note(
            "ids are made of lowercase letters, digits and `-`, and start with a letter or digit",
        );
        if !slug.is_empty() {
            d = d.help(format!("write `{slug}`"));
        }
        self.errors.push(d);
        None
    }

    fn date(&mut self, column: &str) -> Option<Date> {
        let text = self.text(column)?;
        match Date::parse(&text) {
            Ok(date) => Some(date),
            Err(message) => {
                let d = self
                    .error(column, message)
                    .help("write the date as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`");
                self.errors.push(d);
                None
            }
        }
    }

    fn kind(&mut self, column: &str) -> Option<ActorKind> {
        let text = self.required(column)?;
        let text = text.trim();
        if let Some(kind) = ActorKind::ALL.into_iter().find(|k| k.as_str() == text) {
            return Some(kind);
        }
        let kinds = ActorKind::ALL.map(ActorKind::as_str);
        let d = self
            .error(column, format!("unknown kind `{text}`"))
            .note("the kinds are `person`, `state`, `organization` and `group`")
            .help_opt(did_you_mean(text, kinds));
        self.errors.push(d);
        None
    }

    /// A `;`-separated list: empty items are left out.
    fn list(&self, column: &str) -> Vec<String> {
        self.r.get(column).map_or_else(Vec::new, |cell| {
            cell.split(';')
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(str::to_string)
                .collect()
        })
    }

    /// A URL written into a link: never one that runs code when clicked.
    fn url(&mut self, column: &str) -> Option<String> {
        let url = self.text(column)?;
        let Some(scheme) = code_scheme(&url) else {
            return Some(url);
        };
        let d = self
            .error(column, format!("a `{scheme}:` {NEVER_A_LINK}"))
            .help("link to a web address (`https://...`)");
        self.errors.push(d);
        None
    }

    fn finish<T>(self, value: Option<T>) -> Result<T, Vec<Diagnostic>> {
        match value {
            Some(v) if self.errors.is_empty() => Ok(v),
            _ => Err(self.errors),
        }
    }
}

/// The document an entity row becomes: the whole file's text, the row as its
/// front matter and an empty body after it.
fn row_doc<M>(r: &Record, id: String, folder: &str, meta: M) -> Doc<M> {
    let cells = &r.row.cells;
    let start = cells.first().map_or(0, |(_, c)| c.start);
    let end = cells.last().map_or(start, |(_, c)| c.end);
    Doc {
        url: format!("/{folder}/{id}/"),
        id,
        path: r.row.path.clone(),
        text: r.row.text.clone(),
        front_matter: start..end,
        body: end..end,
        meta,
        row: Some(r.row.clone()),
    }
}

fn actor(r: &Record) -> Result<Doc<ActorMeta>, Vec<Diagnostic>> {
    let mut c = Cells::new(r);
    let id = c.id("id");
    let name = c.required("name");
    let kind = c.kind("kind");
    let image = c.text("image");
    let meta = match (name, kind) {
        (Some(name), Some(kind)) => Some(ActorMeta {
            name,
            kind,
            role: c.text("role"),
            affiliations: c.list("affiliations"),
            aliases: c.list("aliases"),
            summary: c.text("summary"),
            image,
            links: Vec::new(),
            stances: Vec::new(),
            draft: false,
            template: None,
            extra: None,
        }),
        _ => None,
    };
    let doc = id
        .zip(meta)
        .map(|(id, meta)| row_doc(r, id, "actors", meta));
    c.finish(doc)
}

fn event(r: &Record) -> Result<Doc<EventMeta>, Vec<Diagnostic>> {
    let mut c = Cells::new(r);
    let id = c.id("id");
    let title = c.required("title");
    let date = c.required("date").and(c.date("date"));
    let end_date = c.date("end_date");
    let meta = title.zip(date).map(|(title, date)| EventMeta {
        title,
        date,
        end_date,
        place: c.text("place"),
        actors: c.list("actors"),
        questions: c.list("questions"),
        summary: c.text("summary"),
        sources: Vec::new(),
        draft: false,
        template: None,
        extra: None,
    });
    let doc = id
        .zip(meta)
        .map(|(id, meta)| row_doc(r, id, "events", meta));
    c.finish(doc)
}

/// A stance row: the id of its actor, and the stance.
fn stance(r: &Record) -> Result<(String, StanceMeta), Vec<Diagnostic>> {
    let mut c = Cells::new(r);
    let actor = c.id("actor");
    let question = c.required("question").map(|q| q.trim().to_string());
    let position = c.required("position").map(|p| p.trim().to_string());
    let date = c.required("date").and(c.date("date"));
    let source = source(&mut c);
    let stance = match (question, position, date) {
        (Some(question), Some(position), Some(date)) => Some(StanceMeta {
            question,
            position,
            date,
            summary: c.text("summary"),
            quote: c.text("quote"),
            source,
            sources: None,
            row: Some(r.row.clone()),
        }),
        _ => None,
    };
    c.finish(actor.zip(stance))
}

/// The one source of a stance row, when any `source_` cell is filled in.
fn source(c: &mut Cells) -> Option<Source> {
    let columns = [
        "source_title",
        "source_publisher",
        "source_url",
        "source_date",
        "source_archive_url",
    ];
    let given = columns.iter().find(|col| c.r.get(col).is_some())?;
    let url = c.url("source_url");
    let archive_url = c.url("source_archive_url");
    let date = c.date("source_date");
    let Some(title) = c.text("source_title") else {
        let d = c
            .error(given, "a source without a title".to_string())
            .label("this row has a source")
            .help("fill in `source_title` in this row");
        c.errors.push(d);
        return None;
    };
    Some(Source {
        title,
        publisher: c.text("source_publisher"),
        url,
        date,
        archive_url,
        accessed: None,
    })
}

/// The rows of the data file `cols`, when the tree has it; its header's and its
/// rows' errors go to `loaded`, whose texts gain the file's. A file that cannot be
/// read as meant (not UTF-8, a required column missing, a quote never closed) gives
/// only its rows' ids, as broken: references to them are not reported again.
fn records(tree: &SourceTree, cols: &Columns, loaded: &mut Loaded) -> Vec<Record> {
    let Some(data) = tree.files.get(cols.path) else {
        return Vec::new();
    };
    let (text, decoded) = match decode(cols.path, data) {
        Ok(text) => (text, true),
        Err((d, lossy)) => {
            loaded.diagnostics.push(d);
            (lossy, false)
        }
    };
    loaded.texts.push((cols.path.to_string(), text.clone()));
    let (records, diagnostics, usable) = read_table(cols, &text);
    if decoded {
        loaded.diagnostics.extend(diagnostics);
    }
    if decoded && usable {
        return records;
    }
    for r in &records {
        if let Some(id) = r.get("id").filter(|id| is_valid_id(id)) {
            let content = &mut loaded.content;
            content.broken.insert(id.to_string(), cols.path.to_string());
        }
    }
    Vec::new()
}
