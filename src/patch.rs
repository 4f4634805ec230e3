//! Body edits in `serve`. While an author writes prose, a save changes the Markdown
//! body of one file and nothing above it. Front matter is all that the shared
//! values, the cards, the matrix, the timeline and the feeds are made from, so such
//! a save can patch the last build: render the edited bodies again, move the
//! backlinks their links add or drop, and render only the pages that show them.
//! Whatever this cannot vouch for gives way to a full build, which gives the same
//! bytes (`tests/incremental.rs` checks both ways against fresh builds).

use std::collections::{BTreeSet, HashSet};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use tera::Tera;

use crate::content::{self, Parsed};
use crate::diagnostics::{Diagnostic, Sources};
use crate::graph::{EntityRef, Site};
use crate::markdown::{self, Html, Rendered};
use crate::output::SiteFiles;
use crate::pipeline::{Caches, Outcome, Stats};
use crate::render::{self, PageKey};
use crate::theme::Theme;
use crate::values::SiteValues;

/// What the last successful build of `serve` was made of, kept to patch it.
pub struct LastBuild {
    pub site: Site,
    pub theme: Theme,
    pub values: Arc<SiteValues>,
    /// The engine the pages were rendered with (its functions read `values`).
    pub tera: Tera,
    pub files: SiteFiles,
    pub sources: Sources,
    /// Its warnings: a patch changes none of them (see [`bodies`]).
    pub diagnostics: Vec<Diagnostic>,
    pub stats: Stats,
}

impl std::fmt::Debug for LastBuild {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LastBuild")
            .field("files", &self.files.files.len())
            .finish_non_exhaustive()
    }
}

/// One edited file.
struct Edit {
    /// Below `content/`: `actors/x.md`.
    rel: String,
    /// From the site root: `content/actors/x.md`.
    path: String,
    page: PageKey,
    text: Arc<str>,
    parsed: Parsed,
    rendered: Arc<Rendered>,
}

/// The last build with the new bodies of the files in `changed` (paths below
/// `content/`, as the watcher reported them), when nothing but Markdown bodies
/// changed; `None` when a full build is needed. Either way the last build is
/// used up: after `None`, the full build makes the next one.
pub fn bodies(root: &Path, caches: &mut Caches, changed: &BTreeSet<String>) -> Option<Outcome> {
    let started = Instant::now();
    let mut last = caches.last.take()?;
    let edits = read_edits(root, caches, &last, changed)?;

    // Links added or dropped move backlinks, which only entity pages show. A page
    // (or a folder's list) gaining or losing its only link changes a warning, and
    // an id that names nothing is an error: both are for a full build to report.
    let mut moved: Vec<(EntityRef, EntityRef, bool)> = Vec::new();
    for edit in &edits {
        let old = caches.markdown.get(&edit.path)?;
        let new = &edit.rendered;
        if !old.diagnostics.is_empty() || !new.diagnostics.is_empty() {
            return None;
        }
        let changed_ids = old
            .links
            .symmetric_difference(&new.links)
            .chain(old.mentions.symmetric_difference(&new.mentions));
        for id in changed_ids {
            match last.site.index.get(id) {
                Some(EntityRef::Page(_)) | None => return None,
                Some(_) => {}
            }
        }
        let PageKey::Entity(from) = edit.page else {
            continue;
        };
        let targets = |r: &Rendered| -> BTreeSet<EntityRef> {
            r.links
                .iter()
                .chain(&r.mentions)
                .filter_map(|id| last.site.index.get(id).copied())
                .filter(|to| *to != from)
                .collect()
        };
        let (before, after) = (targets(&old), targets(new));
        moved.extend(before.difference(&after).map(|&to| (to, from, false)));
        moved.extend(after.difference(&before).map(|&to| (to, from, true)));
    }

    // From here on the site is changed: a failure must leave no last build behind,
    // and does not, since `last` was taken out of the caches.
    let mut keys: Vec<PageKey> = Vec::new();
    for edit in &edits {
        set_html(&mut last.site, edit.page, &edit.rendered.html);
        keys.push(edit.page);
    }
    for &(to, from, linked) in &moved {
        last.site.set_backlink(to, from, linked);
        keys.push(PageKey::Entity(to));
    }
    let mut seen = HashSet::new();
    keys.retain(|k| seen.insert(*k));
    let pages = render::render_some(
        &last.tera,
        &last.site,
        &last.values,
        &last.theme,
        &keys,
        &mut caches.rendered,
    )
    .ok()?;

    for (out, html) in pages {
        last.files.insert(out, Arc::<[u8]>::from(html));
    }
    for edit in edits {
        last.sources.insert(edit.path.clone(), edit.text.clone());
        // `_index.md` bodies render without an id, as in `graph::resolve`.
        let id = match &edit.parsed {
            Parsed::Index(_) => None,
            other => Some(other.id()),
        };
        caches.markdown.update(
            &edit.path,
            edit.text.clone(),
            edit.parsed.body(),
            id,
            edit.rendered,
        );
        caches.parsed.insert(edit.rel, edit.text, Ok(edit.parsed));
    }
    let outcome = Outcome {
        files: Some(last.files.clone()),
        diagnostics: last.diagnostics.clone(),
        sources: last.sources.clone(),
        stats: Stats {
            millis: started.elapsed().as_millis(),
            patched: true,
            ..last.stats
        },
    };
    caches.last = Some(last);
    Some(outcome)
}

/// Reads the files in `changed`: each must be a Markdown file of the last build,
/// still there, with its front matter unchanged to the byte. Paths that are gone
/// and were never part of the site (an editor's temporary files) are skipped.
fn read_edits(
    root: &Path,
    caches: &Caches,
    last: &LastBuild,
    changed: &BTreeSet<String>,
) -> Option<Vec<Edit>> {
    let mut edits = Vec::new();
    for rel in changed {
        let file = root.join("content").join(rel);
        let path = format!("content/{rel}");
        let page = page_of(&last.site, &path);
        if !file.exists() {
            if page.is_none() && !was_built_from(last, rel) {
                continue;
            }
            return None;
        }
        let page = page?;
        if !file.is_file() {
            return None;
        }
        let text = content::decode(&path, std::fs::read(&file).ok()?).ok()?;
        let (old_text, Ok(old)) = caches.parsed.get(rel)? else {
            return None;
        };
        let parsed = content::parse_file(rel, text.clone()).ok()?;
        let (old_body, new_body) = (old.body(), parsed.body());
        if old_body.start != new_body.start || old_text[..old_body.start] != text[..new_body.start]
        {
            return None;
        }
        let id = match page {
            PageKey::Entity(r) => Some(last.site.entity_id(r)),
            _ => None,
        };
        let rendered =
            markdown::render(&path, &text, new_body, id, &last.site.link_targets.linker());
        edits.push(Edit {
            rel: rel.clone(),
            path,
            page,
            text,
            parsed,
            rendered: Arc::new(rendered),
        });
    }
    Some(edits)
}

/// Whether the last build had a file at or below `rel` (a folder may be deleted).
fn was_built_from(last: &LastBuild, rel: &str) -> bool {
    let path = format!("content/{rel}");
    let folder = format!("{path}/");
    let site = &last.site;
    let docs = site
        .actors
        .iter()
        .map(|a| &a.path)
        .chain(site.questions.iter().map(|q| &q.path))
        .chain(site.events.iter().map(|e| &e.path))
        .chain(site.pages.iter().map(|p| &p.path))
        .chain(site.lists.iter().map(|l| &l.page.path))
        .chain(site.intros.values().map(|p| &p.path))
        .chain([&site.home.path]);
    let assets = site.assets.iter().map(|a| format!("content/{}", a.output));
    docs.cloned()
        .chain(assets)
        .any(|p| p == path || p.starts_with(&folder))
        // Drafts, and files that failed to load, are not in the site but matter.
        || site.link_targets.drafts.values().any(|p| *p == path || p.starts_with(&folder))
}

/// The page the content file `path` makes, if it made one in `site`.
fn page_of(site: &Site, path: &str) -> Option<PageKey> {
    if let Some(folder) = path
        .strip_prefix("content/")
        .and_then(|p| p.strip_suffix("_index.md"))
    {
        let folder = folder.trim_end_matches('/');
        if folder.is_empty() {
            return (site.home.path == path).then_some(PageKey::Home);
        }
        if site.intros.get(folder).is_some_and(|p| p.path == path) {
            return PageKey::index(folder);
        }
        return site
            .lists
            .iter()
            .position(|l| l.page.path == path)
            .map(PageKey::List);
    }
    let stem = path.rsplit('/').next()?.strip_suffix(".md")?;
    let r = *site.index.get(stem)?;
    let own = match r {
        EntityRef::Actor(i) => &site.actors[i].path,
        EntityRef::Question(i) => &site.questions[i].path,
        EntityRef::Event(i) => &site.events[i].path,
        EntityRef::Page(i) => &site.pages[i].path,
    };
    (own == path).then_some(PageKey::Entity(r))
}

fn set_html(site: &mut Site, page: PageKey, html: &Html) {
    let slot = match page {
        PageKey::Entity(EntityRef::Actor(i)) => &mut site.actors[i].html,
        PageKey::Entity(EntityRef::Question(i)) => &mut site.questions[i].html,
        PageKey::Entity(EntityRef::Event(i)) => &mut site.events[i].html,
        PageKey::Entity(EntityRef::Page(i)) => &mut site.pages[i].html,
        PageKey::List(i) => &mut site.lists[i].page.html,
        PageKey::Home => &mut site.home.html,
        PageKey::Index(folder) => match site.intros.get_mut(folder) {
            Some(p) => &mut p.html,
            None => return,
        },
        PageKey::NotFound => return,
    };
    *slot = html.clone();
}
