//! Watching the site's sources: which folders to watch, and what a changed path
//! means for the site ([`ChangeKind`]). Editors' temporary, swap and backup files
//! are ignored here so that they never trigger a rebuild.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use crate::config;
use crate::content::is_ignored_name;

/// The folders of a site that `serve` watches recursively.
pub const WATCHED_FOLDERS: [&str; 4] = ["content", "templates", "static", "themes"];

/// How long a path must be quiet before its events are handed on. Editors' atomic
/// saves (write a temporary file, rename it over) take well under this.
const QUIET: Duration = Duration::from_millis(15);

/// What a change to one path means for the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// `site.yaml`, or one of the watched folders itself (created, deleted, renamed).
    Config,
    /// A Markdown file or an asset under `content/`.
    Content,
    /// A template of the site or of a theme.
    Template,
    /// A static file of the site or of a theme.
    Static,
    /// Anything else: editors' temporary files, `public/`, other folders.
    Ignored,
}

/// Classifies `path` (absolute, or relative to `root`) as data; a table test
/// covers every row.
pub fn change_kind(root: &Path, path: &Path) -> ChangeKind {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<&str> = match rel
        .components()
        .map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect::<Option<Vec<&str>>>()
    {
        Some(parts) => parts,
        None => return ChangeKind::Ignored,
    };
    // Any ignored name on the way (`.git/`, `content/.#x.md`, `x.md~`) hides the file
    // from the build too, so a change to it cannot matter.
    if parts.iter().any(|p| is_ignored_name(p)) {
        return ChangeKind::Ignored;
    }
    match parts.as_slice() {
        [file] if *file == config::FILE => ChangeKind::Config,
        [folder] if WATCHED_FOLDERS.contains(folder) => ChangeKind::Config,
        ["content", ..] => ChangeKind::Content,
        ["templates", ..] => ChangeKind::Template,
        ["static", ..] => ChangeKind::Static,
        ["themes", _theme, "templates", ..] => ChangeKind::Template,
        ["themes", _theme, "static", ..] => ChangeKind::Static,
        // A theme folder itself came or went.
        ["themes", _theme] => ChangeKind::Template,
        _ => ChangeKind::Ignored,
    }
}

/// What the watcher hands to the rebuild loop.
#[derive(Debug)]
pub enum WatchEvent {
    /// Paths that changed (created, written, removed, or either side of a rename).
    Changed(Vec<PathBuf>),
    /// The watcher lost track (queue overflow, an error): rebuild from scratch.
    Rescan(String),
}

/// The file watcher; dropping it stops watching.
pub struct SiteWatcher {
    root: PathBuf,
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    /// The folders currently under a recursive watch.
    watched: Vec<PathBuf>,
}

impl SiteWatcher {
    /// Starts watching the site at `root`, sending batches of changes to `events`.
    pub fn start(root: &Path, events: mpsc::Sender<WatchEvent>) -> notify::Result<SiteWatcher> {
        // The watcher reports absolute paths, which must start with the root for
        // `change_kind` to place them: `--root .` would match none.
        let root = std::fs::canonicalize(root)?;
        let handler = move |result: DebounceEventResult| {
            let message = match result {
                Ok(batch) => {
                    if batch.iter().any(|e| e.need_rescan()) {
                        WatchEvent::Rescan("the file watcher asked for a rescan".into())
                    } else {
                        // Reading a file is an event too, and each build reads them all.
                        let paths: Vec<PathBuf> = batch
                            .into_iter()
                            .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
                            .flat_map(|e| e.event.paths)
                            .collect();
                        if paths.is_empty() {
                            return;
                        }
                        WatchEvent::Changed(paths)
                    }
                }
                Err(errors) => WatchEvent::Rescan(
                    errors
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
            };
            // The receiver is gone only while the server shuts down.
            let _ = events.send(message);
        };
        let debouncer = new_debouncer(QUIET, None, handler)?;
        let mut watcher = SiteWatcher {
            root,
            debouncer,
            watched: Vec::new(),
        };
        // The root itself, not recursively: `site.yaml`, and the watched folders
        // coming and going (`public/` and `target/` may be huge and are never read).
        watcher
            .debouncer
            .watch(&watcher.root, RecursiveMode::NonRecursive)?;
        watcher.rewatch();
        Ok(watcher)
    }

    /// Puts a recursive watch on each watched folder that exists now. Called again
    /// after a folder was created, deleted or renamed: a watch follows the folder it
    /// was put on, not its name.
    pub fn rewatch(&mut self) {
        for folder in self.watched.drain(..) {
            // Fails when the folder is gone, which is why we are here.
            let _ = self.debouncer.unwatch(&folder);
        }
        for name in WATCHED_FOLDERS {
            let folder = self.root.join(name);
            if folder.is_dir()
                && self
                    .debouncer
                    .watch(&folder, RecursiveMode::Recursive)
                    .is_ok()
            {
                self.watched.push(folder);
            }
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_kinds() {
        let root = Path::new("/site");
        let table = [
            ("site.yaml", ChangeKind::Config),
            ("content", ChangeKind::Config),
            ("templates", ChangeKind::Config),
            ("static", ChangeKind::Config),
            ("themes", ChangeKind::Config),
            ("content/actors/joe-biden.md", ChangeKind::Content),
            ("content/actors", ChangeKind::Content),
            ("content/images/map.png", ChangeKind::Content),
            ("content/_index.md", ChangeKind::Content),
            ("templates/actor.html", ChangeKind::Template),
            ("templates/partials/card.html", ChangeKind::Template),
            ("themes/default/templates/base.html", ChangeKind::Template),
            ("themes/default", ChangeKind::Template),
            ("themes/default/templates", ChangeKind::Template),
            ("themes/default/static", ChangeKind::Static),
            ("themes/default/static/style.css", ChangeKind::Static),
            ("themes/default/README.md", ChangeKind::Ignored),
            ("static/style.css", ChangeKind::Static),
            ("static/img/logo.svg", ChangeKind::Static),
            // Editors' files.
            ("content/actors/.joe-biden.md.swp", ChangeKind::Ignored),
            ("content/actors/.joe-biden.md.swx", ChangeKind::Ignored),
            ("content/actors/joe-biden.md~", ChangeKind::Ignored),
            ("content/actors/.#joe-biden.md", ChangeKind::Ignored),
            ("content/actors/#joe-biden.md#", ChangeKind::Ignored),
            ("content/actors/.goutputstream-ABC123", ChangeKind::Ignored),
            ("content/actors/4913", ChangeKind::Content),
            ("content/.hidden/page.md", ChangeKind::Ignored),
            ("site.yaml~", ChangeKind::Ignored),
            (".site.yaml.swp", ChangeKind::Ignored),
            // Outside the sources.
            ("public/index.html", ChangeKind::Ignored),
            ("target/debug/standpoint", ChangeKind::Ignored),
            ("README.md", ChangeKind::Ignored),
            (".git/index", ChangeKind::Ignored),
            ("", ChangeKind::Ignored),
        ];
        for (path, kind) in table {
            assert_eq!(change_kind(root, &root.join(path)), kind, "{path}");
        }
        assert_eq!(
            change_kind(root, Path::new("/elsewhere/site.yaml")),
            ChangeKind::Ignored
        );
        assert_eq!(
            change_kind(root, Path::new("content/about.md")),
            ChangeKind::Content
        );
    }
}
