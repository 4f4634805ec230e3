//! Ids: the loaded documents in a stable order, the check that ids are unique
//! across the site, and what ids and source files lead to (the link targets of
//! Markdown and of front-matter references), with the actor names to autolink.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::Arc;

use crate::diagnostics::Diagnostic;
use crate::load::config::Config;
use crate::load::content::{ActorMeta, Doc, EventMeta, PageMeta, QuestionMeta};
use crate::load::theme::Theme;
use crate::resolve::entities::index_title;
use crate::resolve::markdown::shortcodes;
use crate::resolve::markdown::{Autolinker, LinkTargets, Target, TargetKind};

/// The documents of each kind: entities by id, pages and `_index.md` files by path.
pub(super) struct Docs {
    pub actors: Vec<Arc<Doc<ActorMeta>>>,
    pub questions: Vec<Arc<Doc<QuestionMeta>>>,
    pub events: Vec<Arc<Doc<EventMeta>>>,
    pub pages: Vec<Arc<Doc<PageMeta>>>,
    pub indexes: Vec<Arc<Doc<PageMeta>>>,
}

/// `docs` in the order the site lists them: every later index points into these.
pub(super) fn sorted_docs(mut docs: Docs) -> Docs {
    docs.actors.sort_by(|a, b| a.id.cmp(&b.id));
    docs.questions.sort_by(|a, b| a.id.cmp(&b.id));
    docs.events.sort_by(|a, b| a.id.cmp(&b.id));
    docs.pages.sort_by(|a, b| a.path.cmp(&b.path));
    docs.indexes.sort_by(|a, b| a.path.cmp(&b.path));
    docs
}

/// The errors for ids given to more than one file, in path order.
pub(super) fn duplicate_ids(docs: &Docs) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    // Ids are unique across the whole site.
    let mut first_file: BTreeMap<&str, String> = BTreeMap::new();
    // (id, path, where the id is given, the file or row to name)
    let mut all: Vec<(&str, &str, Range<usize>, String)> = Vec::new();
    fn add<'a, M>(all: &mut Vec<(&'a str, &'a str, Range<usize>, String)>, d: &'a Doc<M>) {
        let span = d
            .key_span("id", 0)
            .filter(|_| d.row.is_some())
            .unwrap_or(0..0);
        all.push((d.id.as_str(), d.path.as_str(), span, d.place_name()));
    }
    docs.actors.iter().for_each(|d| add(&mut all, d));
    docs.questions.iter().for_each(|d| add(&mut all, d));
    docs.events.iter().for_each(|d| add(&mut all, d));
    docs.pages.iter().for_each(|d| add(&mut all, d));
    all.sort_by(|a, b| (a.1, a.2.start).cmp(&(b.1, b.2.start)));
    for (id, path, span, name) in all {
        let name = name.as_str();
        if let Some(first) = first_file.get(id) {
            diags.push(
                Diagnostic::error(format!("duplicate id `{id}`: `{first}` and `{name}`"))
                    .in_file(path)
                    .at(span)
                    .label(format!("this {}'s id is `{id}`, like `{first}`", if name == path { "file" } else { "row" }))
                    .help("ids come from file names (and the `id` column of data files) and must be unique across the whole site: rename one of the files"),
            );
        } else {
            first_file.insert(id, name.to_string());
        }
    }
    diags
}

/// Actor names and aliases, for the autolinker: (actor id, name or alias).
pub(super) fn autolink_names(docs: &Docs) -> Vec<(String, String)> {
    docs.actors
        .iter()
        .flat_map(|d| {
            std::iter::once((d.id.clone(), d.meta.name.clone()))
                .chain(d.meta.aliases.iter().map(|a| (d.id.clone(), a.clone())))
        })
        .filter(|(_, n)| !n.trim().is_empty())
        .collect()
}

/// Link targets for Markdown: every id and source file, the drafts and broken
/// files left out, the autolinker of the actor `names` and the site's own
/// `shortcodes`.
pub(super) fn link_targets(
    config: &Config,
    docs: &Docs,
    names: &[(String, String)],
    drafts: BTreeMap<String, String>,
    broken: BTreeMap<String, String>,
    shortcodes: Vec<String>,
) -> LinkTargets {
    let mut ids: HashMap<String, Target> = HashMap::new();
    let mut files: HashMap<String, Target> = HashMap::new();
    let mut add = |kind: TargetKind, id: &str, path: &str, url: &str, title: &str| {
        let t = Target {
            id: id.to_string(),
            url: url.to_string(),
            title: title.to_string(),
            kind,
        };
        ids.insert(id.to_string(), t.clone());
        // A data file holds many rows: no relative link leads to one of them.
        if path.starts_with("content/") {
            // A translated body links to the files of the default language.
            if let Some(default) = crate::load::content::translation::default_path(path) {
                files.insert(default, t.clone());
            }
            files.insert(path.to_string(), t);
        }
    };
    for d in &docs.actors {
        add(TargetKind::Actor, &d.id, &d.path, &d.url, &d.meta.name);
    }
    for d in &docs.questions {
        add(TargetKind::Question, &d.id, &d.path, &d.url, &d.meta.title);
    }
    for d in &docs.events {
        add(TargetKind::Event, &d.id, &d.path, &d.url, &d.meta.title);
    }
    for d in &docs.pages {
        add(
            TargetKind::Page,
            &d.id,
            &d.path,
            &d.url,
            d.meta.title.as_deref().unwrap_or(&d.id),
        );
    }
    for d in &docs.indexes {
        let title = index_title(config, d);
        let default = crate::load::content::translation::default_path(&d.path);
        files.insert(
            default.unwrap_or_else(|| d.path.clone()),
            Target {
                id: String::new(),
                url: d.url.clone(),
                title,
                kind: TargetKind::Index,
            },
        );
    }
    LinkTargets {
        ids,
        files,
        drafts,
        broken,
        autolinker: Autolinker::new(names),
        mode: config.autolink,
        smart_punctuation: config.markdown.smart_punctuation,
        shortcodes,
    }
}

/// The names of the theme's and the site's own shortcodes, sorted: the templates
/// `shortcodes/<name>.html` that are not built-ins (those are checked as built-ins,
/// whatever template draws them).
pub(super) fn site_shortcodes(theme: &Theme) -> Vec<String> {
    let mut names: Vec<String> = theme
        .templates
        .iter()
        .filter_map(|t| t.name.strip_prefix("shortcodes/")?.strip_suffix(".html"))
        .filter(|n| !n.contains('/') && !shortcodes::is_built_in(n))
        .map(str::to_string)
        .collect();
    names.sort();
    names.dedup();
    names
}
