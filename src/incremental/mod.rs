//! Everything `serve`'s rebuilds reuse from the build before, in one place. A
//! [`Session`] keeps the values below and runs the same stages a fresh build runs
//! ([`pipeline::build`]), handing each stage the reuse it accepts; no stage knows
//! this module. Every rebuild gives the very bytes a fresh build of the same files
//! gives (`tests/rebuild_property.rs` checks it on random edits).
//!
//! | kept value | made by | reused when | module |
//! |---|---|---|---|
//! | the [`SourceTree`] (every source file's bytes) | load | always: only the paths the watcher reported are read again | [`crate::load::tree`] |
//! | each Markdown file's parse | load | its bytes are the same | [`parse`] |
//! | each body's HTML, links and mentions | resolve | its text and id are the same, and so are the autolinked names and the targets (id, URL, title) it links to | [`bodies`] |
//! | the shared template values (cards, stances, lists, timeline) | render | equal parts are shared with the last build's | [`share`] |
//! | each page's HTML | render | its template, its values, the templates, the theme's words, the configuration and the navigation are the same, and so is what it read through `entity()`, `url_for()` and the lists; changed static-file URLs are taken into it | [`pages`] |
//! | the share cards and resized pictures (PNG, WebP, JPEG bytes) by cache name | images | the name (a hash of all they are made from) is asked for again | [`images`] |
//! | the last successful build | all | a save changed only Markdown bodies, or only existing static files | [`patch`] |
//!
//! Where each kind of edit stops:
//!
//! | edit | path | what runs again |
//! |---|---|---|
//! | a Markdown body, front matter untouched, links only to actors, questions or events | patched | that body; the pages that show it or gain or lose a backlink |
//! | front matter | rebuilt | parsing that file; every stage, with the bodies and pages whose inputs changed |
//! | a new, deleted or renamed file, a draft toggled | rebuilt | as for front matter |
//! | an existing static file or stylesheet | patched | no page renders: the pages that link to it take its new URL |
//! | a static file added or removed | rebuilt (patched when the site's static files keep their paths: it replaces or uncovers the theme's) | no page renders, unless it read the file's URL |
//! | a data file (`data/*.csv`) | rebuilt | as for front matter |
//! | a template, a words file (`i18n/*.yaml`), `site.yaml` | rebuilt | every page (the frame all pages share changed) |
//! | a broken file, and the build after a failed one | rebuilt | as for front matter |
//! | any edit of a site with `languages:` | rebuilt | every stage; the default language reuses bodies and pages, the others render afresh |

pub mod bodies;
pub mod images;
pub mod pages;
pub mod parse;
pub mod patch;
pub mod share;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::load::tree::{self, change_kind, ChangeKind, SourceTree};
use crate::pipeline::{self, BuildOptions, Outcome, Reuse};
use bodies::MarkdownMemo;
use images::ImageMemo;
use pages::RenderMemo;
use parse::ParseCache;
use patch::LastBuild;

/// The changes one rebuild answers to.
#[derive(Debug, Default, Clone)]
pub struct Changes {
    /// Changed paths relative to the site root, with their kind; ignored ones left out.
    paths: BTreeSet<(ChangeKind, String)>,
    /// Everything may have changed (first build, watcher overflow).
    everything: bool,
}

impl Changes {
    pub fn everything() -> Changes {
        Changes {
            everything: true,
            ..Changes::default()
        }
    }

    /// The changes at `paths` (absolute, as a file watcher reports them, or
    /// relative to `root`): changed, created or deleted files or folders.
    pub fn of(root: &Path, paths: impl IntoIterator<Item = PathBuf>) -> Changes {
        let mut changes = Changes::default();
        changes.add(root, paths);
        changes
    }

    pub fn add(&mut self, root: &Path, paths: impl IntoIterator<Item = PathBuf>) {
        for path in paths {
            let kind = change_kind(root, &path);
            if kind != ChangeKind::Ignored {
                let rel = crate::load::content::rel_path(root, &path);
                self.paths.insert((kind, rel));
            }
        }
    }

    /// From now on, everything may have changed.
    pub fn add_everything(&mut self) {
        self.everything = true;
    }

    pub fn is_empty(&self) -> bool {
        !self.everything && self.paths.is_empty()
    }

    /// True when only stylesheets changed, which the browser can swap in place.
    pub fn stylesheets_only(&self) -> bool {
        !self.everything
            && !self.paths.is_empty()
            && self.paths.iter().all(|(kind, path)| {
                matches!(kind, ChangeKind::Static | ChangeKind::Content) && path.ends_with(".css")
            })
    }

    /// True when every change is of this kind.
    pub fn only(&self, kind: ChangeKind) -> bool {
        !self.everything && self.paths.iter().all(|(k, _)| *k == kind)
    }

    pub fn touches(&self, kind: ChangeKind) -> bool {
        self.everything || self.paths.iter().any(|(k, _)| *k == kind)
    }

    /// Whether an image that pages show or share cards draw may have changed (a
    /// PNG, JPEG, WebP or GIF file): its resized files and the cards are made
    /// again by a build, which a patch does not do.
    pub fn touches_images(&self) -> bool {
        self.everything
            || self.paths.iter().any(|(_, p)| {
                let ext = p.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
                matches!(
                    ext.as_deref(),
                    Some("png" | "jpg" | "jpeg" | "webp" | "gif")
                )
            })
    }

    /// The changed paths, from the site root; `None` for everything.
    fn paths(&self) -> Option<impl Iterator<Item = &str>> {
        (!self.everything).then(|| self.paths.iter().map(|(_, p)| p.as_str()))
    }

    /// A few of the changed paths, for the log.
    pub fn summary(&self) -> String {
        if self.everything {
            return "everything".into();
        }
        let mut names: Vec<&str> = self.paths.iter().map(|(_, p)| p.as_str()).collect();
        names.dedup();
        let more = names.len().saturating_sub(3);
        let mut text = names.into_iter().take(3).collect::<Vec<_>>().join(", ");
        if more > 0 {
            text.push_str(&format!(" and {more} more"));
        }
        text
    }
}

/// A series of builds of one site, each reusing what the one before made.
#[derive(Debug)]
pub struct Session {
    options: BuildOptions,
    tree: Option<SourceTree>,
    parse: ParseCache,
    bodies: MarkdownMemo,
    pages: RenderMemo,
    images: ImageMemo,
    /// The last build, when it succeeded, for [`patch::bodies`].
    last: Option<LastBuild>,
}

impl Session {
    pub fn new(options: BuildOptions) -> Session {
        Session {
            options,
            tree: None,
            parse: ParseCache::default(),
            bodies: MarkdownMemo::default(),
            pages: RenderMemo::default(),
            images: ImageMemo::default(),
            last: None,
        }
    }

    /// Builds the site after `changes`: the first build reads everything; later
    /// ones read only the changed paths again and reuse the rest.
    pub fn build(&mut self, changes: &Changes) -> Outcome {
        let tree = match (self.tree.take(), changes.paths()) {
            (Some(previous), Some(paths)) => tree::update(previous, paths),
            _ => tree::read(&self.options.root),
        };
        // Whatever happens below, the last build is not this build's. A site in
        // several languages is never patched: an edit may show in every language.
        let last = self
            .last
            .take()
            .filter(|l| !l.site.config.served.is_multilingual());
        let patched = match last {
            Some(last) if changes.only(ChangeKind::Content) => {
                patch::bodies(last, &tree, changes, self)
            }
            Some(last)
                if changes.only(ChangeKind::Static)
                    && !changes.is_empty()
                    && !changes.touches_images() =>
            {
                patch::statics(last, &tree, self)
            }
            _ => None,
        };
        if let Some((outcome, last)) = patched {
            self.last = Some(last);
            self.tree = Some(tree);
            return outcome;
        }
        let reuse = Reuse {
            parse: &mut self.parse,
            bodies: &mut self.bodies,
            pages: &mut self.pages,
            images: &mut self.images,
        };
        let built = pipeline::build(&tree, &self.options, reuse);
        self.parse.retain(&tree);
        self.tree = Some(tree);
        self.last = built
            .parts
            .map(|parts| LastBuild::new(parts, &built.outcome));
        built.outcome
    }

    /// Forgets everything kept: the next build starts afresh (after a panic, say,
    /// which may have left a kept value half made).
    pub fn reset(&mut self) {
        *self = Session::new(self.options.clone());
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::load::tree::FileData;

    /// A source tree of these files, as if read from disk.
    pub fn tree(files: &[(&str, &str)]) -> SourceTree {
        SourceTree {
            root: PathBuf::from("/site"),
            root_exists: true,
            has_content: files.iter().any(|(p, _)| p.starts_with("content/")),
            files: files
                .iter()
                .map(|(p, t)| (p.to_string(), FileData::Text(Arc::from(*t))))
                .collect(),
            unlisted: Vec::new(),
        }
    }

    #[test]
    fn changes_are_classified_by_path() {
        let root = Path::new("/site");
        let changes = Changes::of(
            root,
            [
                "/site/content/a.md",
                "/site/content/.a.md.swp",
                "/site/public/x.html",
            ]
            .map(PathBuf::from),
        );
        assert!(changes.only(ChangeKind::Content));
        assert_eq!(changes.summary(), "content/a.md");
        let mut css = Changes::of(root, [PathBuf::from("/site/static/a.css")]);
        assert!(css.stylesheets_only());
        assert!(!css.only(ChangeKind::Content));
        css.add(root, [PathBuf::from("/site/templates/page.html")]);
        assert!(!css.stylesheets_only());
        assert!(css.touches(ChangeKind::Template));
        // A data file holds front matter: never a body patch.
        let data = Changes::of(root, [PathBuf::from("/site/data/stances.csv")]);
        assert!(data.touches(ChangeKind::Data));
        assert!(!data.only(ChangeKind::Content));
        assert!(Changes::default().is_empty());
        assert!(!Changes::everything().is_empty());
        assert!(!Changes::everything().only(ChangeKind::Content));
        assert!(Changes::everything().paths().is_none());
    }
}
