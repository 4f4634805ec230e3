//! `serve`'s rebuilds reuse parsed files, Markdown output and rendered pages from
//! the build before. Whatever is edited, a rebuild must give the very bytes a fresh
//! build of the same files gives.

#[path = "common/serve.rs"]
mod common;

use std::path::Path;

use standpoint::output::SiteFiles;
use standpoint::pipeline::{self, BuildOptions, Caches};

fn options(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        base_url: Some("http://127.0.0.1:1111/".into()),
        drafts: false,
        serve: true,
    }
}

fn fresh(root: &Path) -> (Option<SiteFiles>, usize) {
    let o = pipeline::run(&options(root), &mut Caches::default());
    let errors = o.errors();
    (o.files, errors)
}

/// What an edit is called, the file it changes, and the file's new text given its
/// old one (empty: delete the file).
type Edit<'a> = (&'a str, &'a str, &'a dyn Fn(&str) -> String);

/// Applies each edit, rebuilds with the kept caches (telling the parse cache which
/// content file changed, as the watcher would), and compares with a fresh build.
fn check_edits(root: &Path, edits: &[Edit]) {
    let mut caches = Caches::for_serve();
    let first = pipeline::run(&options(root), &mut caches);
    assert_eq!(first.errors(), 0, "{:?}", first.diagnostics);
    assert!(first.files == fresh(root).0);
    for (what, file, edit) in edits {
        let path = root.join(file);
        let before = std::fs::read_to_string(&path).unwrap_or_default();
        let after = edit(&before);
        if after.is_empty() {
            std::fs::remove_file(&path).unwrap();
        } else {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).unwrap();
            }
            std::fs::write(&path, &after).unwrap();
        }
        if let Some(rel) = file.strip_prefix("content/") {
            caches.parsed.only_changed([rel.to_string()].into());
        }
        let rebuilt = pipeline::run(&options(root), &mut caches);
        let (expected, errors) = fresh(root);
        assert_eq!(
            rebuilt.errors(),
            errors,
            "{what}: {:?}",
            rebuilt.diagnostics
        );
        assert!(
            rebuilt.files == expected,
            "{what}: the rebuild differs from a fresh build{}",
            match (&rebuilt.files, &expected) {
                (Some(a), Some(b)) => {
                    let differ: Vec<&String> = b
                        .files
                        .iter()
                        .filter(|(k, v)| a.files.get(*k) != Some(v))
                        .map(|(k, _)| k)
                        .take(5)
                        .collect();
                    format!(": {differ:?}")
                }
                _ => String::new(),
            }
        );
    }
}

#[test]
fn rebuilds_match_fresh_builds_on_the_fixture() {
    let dir = common::fixture_copy("serve-site");
    let root = common::site_root(&dir);
    check_edits(
        &root,
        &[
            ("a body", "content/actors/alice.md", &|t| {
                t.replace("version one", "version two, with [[bob]]")
            }),
            ("a summary", "content/actors/alice.md", &|t| {
                t.replace("Mayor of the town.", "Mayor since 2020.")
            }),
            ("a name", "content/actors/bob.md", &|t| {
                t.replace("name: Bob Baker", "name: Robert Baker")
            }),
            ("a position label", "content/questions/tolls.md", &|t| {
                t.replace("label: \"No\"", "label: \"No toll\"")
            }),
            ("a new actor", "content/actors/carol.md", &|_| {
                "---\nname: Carol Chen\nkind: person\n---\nCarol, not Alice Archer.\n".into()
            }),
            ("a broken file", "content/actors/carol.md", &|t| {
                t.replace("kind: person", "kind: persn")
            }),
            ("the fix", "content/actors/carol.md", &|t| {
                t.replace("kind: persn", "kind: group")
            }),
            ("a deleted actor", "content/actors/carol.md", &|_| {
                String::new()
            }),
            ("a page", "content/guides/reading.md", &|t| {
                t.replace("Reading text", "Reading text about Alice Archer")
            }),
            ("a site template", "templates/page.html", &|_| {
                "<!doctype html><html><body>{{ page.title }}: {{ page.content | safe }}</body></html>"
                    .into()
            }),
            ("the site title", "site.yaml", &|t| {
                t.replace("Serve fixture", "Renamed fixture")
            }),
            ("a stylesheet", "static/extra.css", &|t| {
                format!("{t}\nbody {{}}\n")
            }),
            (
                "a template calling entity()",
                "templates/page.html",
                &|_| {
                    "<!doctype html><html><body>{{ page.title }}; Bob: \
                 {{ entity(id=\"bob\").summary }}</body></html>"
                        .into()
                },
            ),
            (
                "a summary only entity() reads",
                "content/actors/bob.md",
                &|t| t.replace("Runs the bakery by the bridge.", "Sold the bakery."),
            ),
        ],
    );
}

#[test]
fn rebuilds_match_fresh_builds_on_the_example_site() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    common::copy_tree(&manifest.join("content"), &root.join("content"));
    std::fs::copy(manifest.join("site.yaml"), root.join("site.yaml")).unwrap();
    check_edits(
        &root,
        &[
            ("a body", "content/actors/joe-biden.md", &|t| {
                format!("{t}\nHe met Olaf Scholz and [[emmanuel-macron]].\n")
            }),
            ("a stance", "content/actors/olaf-scholz.md", &|t| {
                t.replacen("position: oppose", "position: support", 1)
            }),
            ("an alias", "content/actors/joe-biden.md", &|t| {
                t.replace("aliases: [Biden", "aliases: [Joe, Biden")
            }),
            ("an event date", "content/events/g7-summit-italy.md", &|t| {
                t.replace("date: 2024-06-13", "date: 2024-06-12")
            }),
            ("the home page", "content/_index.md", &|t| {
                format!("{t}\nOne more paragraph.\n")
            }),
        ],
    );
}
