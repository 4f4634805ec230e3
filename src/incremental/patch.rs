//! Patches of the last build in `serve`, for the two saves that change no front
//! matter. While an author writes prose, a save changes the Markdown body of one
//! file and nothing above it. Front matter is all that the shared values, the
//! cards, the matrix, the timeline, the feeds and the embed pages are made from, so
//! such a save can patch the last build: render the edited bodies again, move the
//! backlinks their links add or drop, and render only the pages that show them
//! ([`bodies`]). While a designer works on the stylesheet, a save changes a static
//! file: the pages take its new URL and nothing renders ([`statics`]). Whatever
//! these cannot vouch for gives way to a full build, which gives the same bytes
//! (`tests/incremental.rs` and `tests/rebuild_property.rs` check both ways against
//! fresh builds).

use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;
use std::time::Instant;

use tera::Tera;

use crate::diagnostics::{Diagnostic, Sources};
use crate::incremental::{Changes, Session};
use crate::load::content::{parse_data, ParseReuse, Parsed};
use crate::load::theme::Theme;
use crate::load::tree::{FileData, SourceTree};
use crate::pipeline::{BuiltParts, Outcome, Stats};
use crate::render::values::SiteValues;
use crate::render::SiteFiles;
use crate::render::{self, PageKey};
use crate::resolve::markdown::{self, Rendered};
use crate::resolve::{EntityRef, Site};

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

impl LastBuild {
    pub fn new(parts: BuiltParts, outcome: &Outcome) -> LastBuild {
        let BuiltParts {
            site,
            theme,
            rendered,
        } = parts;
        LastBuild {
            site,
            theme,
            values: rendered.values,
            tera: rendered.tera,
            files: rendered.files,
            sources: outcome.sources.clone(),
            diagnostics: outcome.diagnostics.clone(),
            stats: outcome.stats,
        }
    }
}

impl LastBuild {
    /// What a patch of this build, begun at `started`, gives: its files, and its
    /// warnings, which no patch changes.
    fn outcome(&self, started: Instant) -> Outcome {
        Outcome {
            files: Some(self.files.clone()),
            diagnostics: self.diagnostics.clone(),
            sources: self.sources.clone(),
            stats: Stats {
                millis: started.elapsed().as_millis(),
                patched: true,
                ..self.stats
            },
        }
    }
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
    /// From the site root: `content/actors/x.md`.
    path: String,
    page: PageKey,
    data: FileData,
    text: Arc<str>,
    parsed: Parsed,
    rendered: Arc<Rendered>,
}

/// The last build with the new bodies of the changed files, when nothing but
/// Markdown bodies changed; `None` when a full build is needed (the last build is
/// used up either way).
pub fn bodies(
    mut last: LastBuild,
    tree: &SourceTree,
    changes: &Changes,
    session: &mut Session,
) -> Option<(Outcome, LastBuild)> {
    let started = Instant::now();
    let edits = read_edits(&last, tree, changes, session)?;
    let moved = moved_backlinks(&last.site, &edits, session)?;

    let mut keys: Vec<PageKey> = Vec::new();
    for edit in &edits {
        set_body(&mut last.site, edit.page, &edit.rendered);
        keys.push(edit.page);
    }
    for &(to, from, linked) in &moved {
        last.site.set_backlink(to, from, linked);
        keys.push(PageKey::Entity(to));
    }
    let mut seen = HashSet::new();
    keys.retain(|k| seen.insert(*k));
    let pages =
        render::render_some(&last.tera, &last.site, &last.values, &last.theme, &keys).ok()?;

    for (out, record) in pages {
        last.files
            .insert(out, Arc::<[u8]>::from(record.html.clone()));
        session.pages.update(record);
    }
    for edit in edits {
        last.sources.insert(edit.path.clone(), edit.text.clone());
        // `_index.md` bodies render without an id, as in `resolve`.
        let id = match &edit.parsed {
            Parsed::Index(_) => None,
            other => Some(other.id()),
        };
        session.bodies.update(
            &edit.path,
            edit.text.clone(),
            edit.parsed.body(),
            id,
            edit.rendered,
        );
        let parse = crate::load::content::FileParse {
            text: edit.text,
            result: Ok(edit.parsed),
        };
        session.parse.keep(&edit.path, &edit.data, &parse);
    }
    Some((last.outcome(started), last))
}

/// The last build with the new bytes of edited static files, when only existing
/// static files changed: no page renders again; each page that links to a changed
/// file takes its new `?h=` URL. `None` when a full build is needed.
pub fn statics(
    mut last: LastBuild,
    tree: &SourceTree,
    session: &mut Session,
) -> Option<(Outcome, LastBuild)> {
    let started = Instant::now();
    let theme = crate::load::theme::load(tree, &last.site.config.theme).ok()?;
    let (theme, _) = theme.with_words(&last.site.config);
    let assets = Arc::new(render::asset_urls(&theme, &last.site));
    // The engine's `asset_url()` must answer with the new URLs from now on.
    let tera = render::engine(
        &theme,
        &last.site,
        last.values.clone(),
        assets.clone(),
        session.options.serve,
    )
    .ok()?;
    let pages = session.pages.take_new_assets(assets)?;
    for s in &theme.statics {
        last.files.insert(s.output.clone(), s.bytes.clone());
    }
    // A file of the same name under `content/` wins, as in a full build.
    for a in &last.site.assets {
        last.files.insert(a.output.clone(), a.bytes.clone());
    }
    for (url, html) in pages {
        last.files
            .insert(render::output_path(&url), Arc::<[u8]>::from(html));
    }
    last.theme = theme;
    last.tera = tera;
    Some((last.outcome(started), last))
}

/// The backlinks the edits' links and mentions add (`true`) or drop: (target,
/// source). Links added or dropped move backlinks, which only entity pages show. A
/// page (or a folder's list) gaining or losing its only link changes a warning, an
/// id that names nothing is an error, and new heading or footnote ids or site paths
/// need the site-wide link check: all are for a full build (`None`).
fn moved_backlinks(
    site: &Site,
    edits: &[Edit],
    session: &Session,
) -> Option<Vec<(EntityRef, EntityRef, bool)>> {
    let mut moved = Vec::new();
    for edit in edits {
        let old = session.bodies.get(&edit.path)?;
        let new = &edit.rendered;
        if !old.diagnostics.is_empty() || !new.diagnostics.is_empty() {
            return None;
        }
        // Site paths and fragments are checked against the whole site, and other
        // pages' fragments against this one's ids: a change to either is for a
        // full build.
        if !old.same_links(new) {
            return None;
        }
        let changed_ids = old
            .links
            .symmetric_difference(&new.links)
            .chain(old.mentions.symmetric_difference(&new.mentions));
        for id in changed_ids {
            match site.index.get(id) {
                Some(EntityRef::Page(_)) | None => return None,
                Some(_) => {}
            }
        }
        let PageKey::Entity(from) = edit.page else {
            continue;
        };
        // The links of the file's short texts stay: what they link to keeps its
        // backlink whatever the body does.
        let texts = site.text_links.get(&from);
        let targets = |r: &Rendered| -> BTreeSet<EntityRef> {
            r.links
                .iter()
                .chain(&r.mentions)
                .chain(texts.into_iter().flatten())
                .filter_map(|id| site.index.get(id).copied())
                .filter(|to| *to != from)
                .collect()
        };
        let (before, after) = (targets(&old), targets(new));
        moved.extend(before.difference(&after).map(|&to| (to, from, false)));
        moved.extend(after.difference(&before).map(|&to| (to, from, true)));
    }
    Some(moved)
}

/// The changed files, from `tree`: each must be a Markdown file of the last build,
/// still there, with its front matter unchanged to the byte. Paths that are gone
/// and were never part of the site (an editor's temporary files) are skipped.
fn read_edits(
    last: &LastBuild,
    tree: &SourceTree,
    changes: &Changes,
    session: &Session,
) -> Option<Vec<Edit>> {
    let mut edits = Vec::new();
    for path in changes.paths()? {
        let page = page_of(&last.site, path);
        let Some(data) = tree.files.get(path) else {
            let rel = path.strip_prefix("content/").unwrap_or(path);
            if page.is_none() && !was_built_from(last, rel) && !tree.has_folder(path) {
                continue;
            }
            return None;
        };
        let page = page?;
        let old = session.parse.get(path)?;
        let Ok(old_parsed) = &old.result else {
            return None;
        };
        let new = parse_data(path, data);
        let parsed = new.result.ok()?;
        let (old_body, new_body) = (old_parsed.body(), parsed.body());
        if old_body.start != new_body.start
            || old.text[..old_body.start] != new.text[..new_body.start]
        {
            return None;
        }
        let id = match page {
            PageKey::Entity(r) => Some(last.site.entity_id(r)),
            _ => None,
        };
        let linker = last.site.link_targets.linker();
        let rendered = markdown::render(path, &new.text, new_body, id, &linker);
        edits.push(Edit {
            path: path.to_string(),
            page,
            data: data.clone(),
            text: new.text,
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

/// Gives `page` the edited body: its HTML, its embeds and its table of contents (a
/// heading retitled under an explicit `{#id}`, or moved to another level, changes no
/// link and so is patched, but changes the toc).
fn set_body(site: &mut Site, page: PageKey, rendered: &Rendered) {
    let (html, embeds, toc) = match page {
        PageKey::Entity(EntityRef::Actor(i)) => {
            let a = &mut site.actors[i];
            (&mut a.html, &mut a.embeds, &mut a.toc)
        }
        PageKey::Entity(EntityRef::Question(i)) => {
            let q = &mut site.questions[i];
            (&mut q.html, &mut q.embeds, &mut q.toc)
        }
        PageKey::Entity(EntityRef::Event(i)) => {
            let e = &mut site.events[i];
            (&mut e.html, &mut e.embeds, &mut e.toc)
        }
        PageKey::Entity(EntityRef::Page(i)) => {
            let p = &mut site.pages[i];
            (&mut p.html, &mut p.embeds, &mut p.toc)
        }
        PageKey::List(i) => {
            let p = &mut site.lists[i].page;
            (&mut p.html, &mut p.embeds, &mut p.toc)
        }
        PageKey::Home => (
            &mut site.home.html,
            &mut site.home.embeds,
            &mut site.home.toc,
        ),
        PageKey::Index(folder) => match site.intros.get_mut(folder) {
            Some(p) => (&mut p.html, &mut p.embeds, &mut p.toc),
            None => return,
        },
        PageKey::Snapshot(_) | PageKey::NotFound => return,
    };
    *html = rendered.html.clone();
    *embeds = rendered.embeds.clone();
    *toc = rendered.toc.clone();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::BuildOptions;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let write = |path: &str, text: &str| {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        write("site.yaml", "title: T\nbase_url: https://example.org/\n");
        write("content/_index.md", "---\ntitle: Home\n---\nHome text.\n");
        write(
            "content/actors/alice.md",
            "---\nname: Alice Archer\nkind: person\n---\nAlice text.\n",
        );
        write(
            "content/actors/bob.md",
            "---\nname: Bob Baker\nkind: person\n---\nBob text.\n",
        );
        write("content/about.md", "---\ntitle: About\n---\nAbout text.\n");
        dir
    }

    /// A session over the site at `root`, after its first build.
    fn built(root: &std::path::Path) -> Session {
        let mut session = Session::new(BuildOptions {
            root: root.to_path_buf(),
            ..BuildOptions::default()
        });
        assert!(session.build(&Changes::everything()).files.is_some());
        session
    }

    /// Edits `path` and rebuilds; returns whether the build was patched and the
    /// HTML of `page`.
    fn edit(
        session: &mut Session,
        root: &std::path::Path,
        path: &str,
        text: &str,
        page: &str,
    ) -> (bool, String) {
        std::fs::write(root.join(path), text).unwrap();
        let outcome = session.build(&Changes::of(root, [root.join(path)]));
        let files = outcome.files.expect("builds");
        let html = String::from_utf8_lossy(files.get(page).unwrap()).into_owned();
        (outcome.stats.patched, html)
    }

    #[test]
    fn body_edits_patch_and_move_backlinks_front_matter_does_not() {
        let dir = site();
        let root = dir.path();
        let mut session = built(root);
        let alice = "content/actors/alice.md";
        let head = "---\nname: Alice Archer\nkind: person\n---\n";

        let (patched, html) = edit(
            &mut session,
            root,
            alice,
            &format!("{head}Now with [[bob]].\n"),
            "actors/alice/index.html",
        );
        assert!(patched);
        assert!(html.contains("Now with"));
        // Bob's page gained a backlink: it was rendered again too.
        let bob = session
            .last
            .as_ref()
            .unwrap()
            .files
            .get("actors/bob/index.html")
            .unwrap();
        assert!(String::from_utf8_lossy(bob).contains("Alice Archer"));

        // A link to a plain page changes a warning: a full build.
        let (patched, _) = edit(
            &mut session,
            root,
            alice,
            &format!("{head}See [[about]].\n"),
            "actors/alice/index.html",
        );
        assert!(!patched);
        // The front matter: a full build.
        let (patched, html) = edit(
            &mut session,
            root,
            alice,
            "---\nname: Alice Archer\nkind: group\n---\nText.\n",
            "actors/alice/index.html",
        );
        assert!(!patched);
        assert!(html.contains("Text."));
        // A body again: patched, against the last build's front matter.
        let (patched, _) = edit(
            &mut session,
            root,
            alice,
            "---\nname: Alice Archer\nkind: group\n---\nMore text.\n",
            "actors/alice/index.html",
        );
        assert!(patched);
    }

    #[test]
    fn a_broken_body_gives_way_to_a_full_build_that_reports_it() {
        let dir = site();
        let root = dir.path();
        let mut session = built(root);
        let path = "content/actors/bob.md";
        std::fs::write(
            root.join(path),
            "---\nname: Bob Baker\nkind: person\n---\nSee [[nobody]].\n",
        )
        .unwrap();
        let outcome = session.build(&Changes::of(root, [root.join(path)]));
        assert!(!outcome.stats.patched);
        assert!(outcome.files.is_none());
        assert!(outcome
            .diagnostics
            .iter()
            .any(|d| d.message.contains("nobody")));
        // After a failed build there is no last build to patch.
        assert!(session.last.is_none());
    }
}
