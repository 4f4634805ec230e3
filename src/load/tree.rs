//! The one reader of the site folder. [`read`] takes every file a build may use into
//! memory: `site.yaml` and the files below [`SOURCE_FOLDERS`]. Everything after it
//! works on the [`SourceTree`]; [`update`] reads again only the paths a file
//! watcher reported, and keeps the bytes of every other file.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::load::config;
use crate::load::content::{is_ignored_name, rel_path};

/// The folders of a site that hold its sources, read by [`read`] and watched by `serve`.
pub const SOURCE_FOLDERS: [&str; 6] = ["content", "data", "templates", "static", "themes", "i18n"];

/// One file of the tree. Text is kept as text, so that the parse, the diagnostics
/// and the output share one copy of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileData {
    /// Valid UTF-8: Markdown, templates, `site.yaml`, most static files.
    Text(Arc<str>),
    /// Anything else: images, or a text file with a broken encoding.
    Binary(Arc<[u8]>),
    /// It is there, but could not be read: the reason.
    Unreadable(String),
}

impl FileData {
    /// The data of a file read whole.
    pub fn new(bytes: Vec<u8>) -> FileData {
        match String::from_utf8(bytes) {
            Ok(text) => FileData::Text(Arc::from(text)),
            Err(e) => FileData::Binary(Arc::from(e.into_bytes())),
        }
    }

    /// The file's bytes (shared, not copied), when it could be read.
    pub fn bytes(&self) -> Option<Arc<[u8]>> {
        match self {
            FileData::Text(t) => Some(Arc::<[u8]>::from(t.clone())),
            FileData::Binary(b) => Some(b.clone()),
            FileData::Unreadable(_) => None,
        }
    }

    /// Whether both hold the same bytes; the same allocation answers at once.
    pub fn same(&self, other: &FileData) -> bool {
        match (self, other) {
            (FileData::Text(a), FileData::Text(b)) => Arc::ptr_eq(a, b) || a == b,
            (FileData::Binary(a), FileData::Binary(b)) => Arc::ptr_eq(a, b) || a == b,
            _ => false,
        }
    }
}

/// The sources of a site, as read from disk.
#[derive(Debug, Clone, Default)]
pub struct SourceTree {
    pub root: PathBuf,
    /// Whether the root is a folder at all.
    pub root_exists: bool,
    /// Whether `content/` is a folder.
    pub has_content: bool,
    /// Every file below the source folders and `site.yaml`, by path from the root
    /// (`content/actors/x.md`, with `/`). Editors' temporary files are left out.
    pub files: BTreeMap<String, FileData>,
    /// Folders (by path from the root) that could not be listed, with the reason.
    pub unlisted: Vec<(String, String)>,
}

impl SourceTree {
    /// The files below `folder` (a path from the root, without a trailing `/`),
    /// with their paths below it.
    pub fn below<'a>(&'a self, folder: &str) -> impl Iterator<Item = (&'a str, &'a FileData)> {
        let prefix = format!("{folder}/");
        let skip = prefix.len();
        self.files
            .range(prefix.clone()..)
            .take_while(move |(k, _)| k.starts_with(&prefix))
            .map(move |(k, v)| (&k[skip..], v))
    }

    /// Whether any file lies below `folder`.
    pub fn has_folder(&self, folder: &str) -> bool {
        self.below(folder).next().is_some()
    }
}

/// Reads the whole site folder at `root`.
pub fn read(root: &Path) -> SourceTree {
    let mut tree = SourceTree {
        root: root.to_path_buf(),
        root_exists: root.is_dir(),
        ..SourceTree::default()
    };
    if !tree.root_exists {
        return tree;
    }
    read_path(&mut tree, config::FILE);
    for folder in SOURCE_FOLDERS {
        read_path(&mut tree, folder);
    }
    tree.has_content = root.join("content").is_dir();
    tree
}

/// `tree` after the paths in `changed` (from the root, with `/`; files or folders,
/// changed, created or deleted) were read again: the same value [`read`] would
/// give now, if nothing else changed.
pub fn update<'a>(mut tree: SourceTree, changed: impl IntoIterator<Item = &'a str>) -> SourceTree {
    for path in changed {
        let folder = format!("{path}/");
        tree.files
            .retain(|k, _| k != path && !k.starts_with(&folder));
        tree.unlisted
            .retain(|(k, _)| k != path && !k.starts_with(&folder));
        if change_kind(&tree.root, Path::new(path)) != ChangeKind::Ignored {
            read_path(&mut tree, path);
        }
    }
    tree.root_exists = tree.root.is_dir();
    tree.has_content = tree.root.join("content").is_dir();
    tree
}

/// What a change to one path means for the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// `site.yaml`, or one of the watched folders itself (created, deleted, renamed).
    Config,
    /// A Markdown file or an asset under `content/`.
    Content,
    /// A data file (`data/*.csv`): rows of actors, stances and events. Never patched:
    /// a row is front matter, so an edit rebuilds.
    Data,
    /// A template or words file (`i18n/*.yaml`) of the site or of a theme.
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
        [folder] if SOURCE_FOLDERS.contains(folder) => ChangeKind::Config,
        ["content", ..] => ChangeKind::Content,
        ["data", ..] => ChangeKind::Data,
        ["templates", ..] | ["i18n", ..] => ChangeKind::Template,
        ["static", ..] => ChangeKind::Static,
        ["themes", _theme, "templates" | "i18n", ..] => ChangeKind::Template,
        ["themes", _theme, "static", ..] => ChangeKind::Static,
        // A theme folder itself came or went.
        ["themes", _theme] => ChangeKind::Template,
        _ => ChangeKind::Ignored,
    }
}

/// Reads the file or folder at `path` (from the root) into the tree, if it is there.
/// Symbolic links are not followed: a site's sources are its own files.
fn read_path(tree: &mut SourceTree, path: &str) {
    let full = tree.root.join(path);
    let Ok(meta) = std::fs::symlink_metadata(&full) else {
        return;
    };
    if meta.is_file() {
        let data = match std::fs::read(&full) {
            Ok(bytes) => FileData::new(bytes),
            Err(e) => FileData::Unreadable(e.to_string()),
        };
        tree.files.insert(path.to_string(), data);
        return;
    }
    if !meta.is_dir() || path == config::FILE {
        return;
    }
    let walker = walkdir::WalkDir::new(&full)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    let mut found = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let at = err
                    .path()
                    .map(|p| rel_path(&tree.root, p))
                    .unwrap_or_else(|| path.to_string());
                tree.unlisted.push((at, err.to_string()));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = rel_path(&tree.root, entry.path());
        // A theme's other files (its README, its sources) are not the site's.
        if change_kind(&tree.root, Path::new(&rel)) != ChangeKind::Ignored {
            found.push((rel, entry.into_path()));
        }
    }
    // Reading thousands of small files: in parallel, which the walk cannot be.
    use rayon::prelude::*;
    let read: Vec<(String, FileData)> = found
        .into_par_iter()
        .map(|(rel, file)| {
            let data = match std::fs::read(&file) {
                Ok(bytes) => FileData::new(bytes),
                Err(e) => FileData::Unreadable(e.to_string()),
            };
            (rel, data)
        })
        .collect();
    tree.files.extend(read);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, path: &str, text: &str) {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

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
            ("data", ChangeKind::Config),
            ("data/stances.csv", ChangeKind::Data),
            ("data/actors.csv", ChangeKind::Data),
            ("data/.~lock.stances.csv#", ChangeKind::Ignored),
            ("templates/actor.html", ChangeKind::Template),
            ("templates/partials/card.html", ChangeKind::Template),
            ("themes/default/templates/base.html", ChangeKind::Template),
            ("themes/default", ChangeKind::Template),
            ("themes/default/templates", ChangeKind::Template),
            ("themes/default/static", ChangeKind::Static),
            ("themes/default/static/style.css", ChangeKind::Static),
            ("themes/default/i18n/fr.yaml", ChangeKind::Template),
            ("i18n", ChangeKind::Config),
            ("i18n/uk.yaml", ChangeKind::Template),
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

    #[test]
    fn an_update_equals_a_fresh_read() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "site.yaml", "title: x\n");
        write(root, "content/a.md", "a");
        write(root, "content/g/b.md", "b");
        write(root, "static/s.css", "s");
        write(root, "data/stances.csv", "actor\n");
        write(root, "notes.txt", "not a source");
        let tree = read(root);
        assert!(tree.files.contains_key("content/g/b.md"));
        assert!(tree.files.contains_key("data/stances.csv"));
        assert!(!tree.files.contains_key("notes.txt"));

        write(root, "content/a.md", "a2");
        std::fs::remove_dir_all(root.join("content/g")).unwrap();
        write(root, "content/h/c.md", "c");
        write(root, "content/.#a.md", "lock");
        write(root, "data/stances.csv", "actor,question\n");
        let updated = update(
            tree,
            [
                "content/a.md",
                "content/g",
                "content/h",
                "content/.#a.md",
                "data/stances.csv",
            ],
        );
        let fresh = read(root);
        assert_eq!(updated.files, fresh.files);
        assert_eq!(
            updated.files["content/a.md"].bytes().as_deref(),
            Some(&b"a2"[..])
        );
    }

    #[test]
    fn an_unreported_file_keeps_its_old_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "site.yaml", "title: x\n");
        write(root, "content/a.md", "a");
        let tree = read(root);
        write(root, "content/a.md", "changed behind the watcher's back");
        let updated = update(tree, ["site.yaml"]);
        assert_eq!(
            updated.files["content/a.md"].bytes().as_deref(),
            Some(&b"a"[..])
        );
    }
}
