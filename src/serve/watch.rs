//! Watching the site's sources (the folders of [`SOURCE_FOLDERS`] and `site.yaml`),
//! handing batches of changed paths to the rebuild loop.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use crate::load::tree::SOURCE_FOLDERS;

/// How long a path must be quiet before its events are handed on. Editors' atomic
/// saves (write a temporary file, rename it over) take well under this.
const QUIET: Duration = Duration::from_millis(15);

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
        for name in SOURCE_FOLDERS {
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
