//! `serve`'s rebuilds reuse parsed files, Markdown output and rendered pages from
//! the build before. Whatever is edited, a rebuild must give the very bytes a fresh
//! build of the same files gives.

#[path = "common/serve.rs"]
mod common;

use std::path::Path;

use standpoint::incremental::{Changes, Session};
use standpoint::pipeline::{self, BuildOptions};
use standpoint::SiteFiles;

fn options(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        base_url: Some("http://127.0.0.1:1111/".into()),
        drafts: false,
        serve: true,
    }
}

fn fresh(root: &Path) -> (Option<SiteFiles>, usize) {
    let o = pipeline::run(&options(root));
    let errors = o.errors();
    (o.files, errors)
}

/// How a rebuild is expected to be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Made {
    /// By patching the last build: only Markdown bodies, or only existing static
    /// files, changed.
    Patched,
    /// By running the pipeline, with the caches.
    Rebuilt,
    /// By running the pipeline, which reports an error (the edit breaks the site):
    /// every other edit must leave a site that builds.
    Failed,
}
use Made::{Failed, Patched, Rebuilt};

/// What an edit is called, the file it changes, the file's new text given its
/// old one (empty: delete the file), and how the rebuild must be made.
type Edit<'a> = (&'a str, &'a str, &'a dyn Fn(&str) -> String, Made);

/// Applies each edit, rebuilds with the kept caches (telling them which file
/// changed, as the watcher does), and compares with a fresh build.
fn check_edits(root: &Path, edits: &[Edit]) {
    let mut session = first_build(root);
    for edit in edits {
        check_edit(&mut session, root, edit);
    }
}

/// A session after its first build of `root`, which must succeed.
fn first_build(root: &Path) -> Session {
    let mut session = Session::new(options(root));
    let first = session.build(&Changes::everything());
    assert_eq!(first.errors(), 0, "{:?}", first.diagnostics);
    assert!(first.files == fresh(root).0);
    session
}

/// Applies one edit, rebuilds as [`check_edits`] does and returns the rebuilt
/// files (`None` when the build fails).
fn check_edit(session: &mut Session, root: &Path, edit: &Edit) -> Option<SiteFiles> {
    let (what, file, edit, made) = edit;
    let path = root.join(file);
    let before = std::fs::read_to_string(&path).unwrap_or_default();
    let after = edit(&before);
    assert_ne!(after, before, "{what}: the edit changes nothing");
    if after.is_empty() {
        std::fs::remove_file(&path).unwrap();
    } else {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, &after).unwrap();
    }
    let rebuilt = session.build(&Changes::of(root, [root.join(file)]));
    let how = if rebuilt.stats.patched {
        Patched
    } else {
        Rebuilt
    };
    let expected_how = if *made == Failed { Rebuilt } else { *made };
    assert_eq!(how, expected_how, "{what}: how the rebuild was made");
    let (expected, errors) = fresh(root);
    assert_eq!(
        errors > 0,
        *made == Failed,
        "{what}: {errors} errors in a fresh build of the edited site"
    );
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
                    .filter(|(k, v)| a.files.get(k.as_str()) != Some(*v))
                    .map(|(k, _)| k)
                    .take(5)
                    .collect();
                format!(": {differ:?}")
            }
            _ => String::new(),
        }
    );
    rebuilt.files
}

#[test]
fn rebuilds_match_fresh_builds_on_the_fixture() {
    let dir = common::fixture_copy("serve-site");
    let root = common::site_root(&dir);
    check_edits(
        &root,
        &[
            (
                "a body gaining a link to an actor",
                "content/actors/alice.md",
                &|t| t.replace("version one", "version two, with [[bob]]"),
                Patched,
            ),
            (
                "a body losing it",
                "content/actors/alice.md",
                &|t| t.replace("version two, with [[bob]]", "version three"),
                Patched,
            ),
            (
                "a page's body mentioning an actor",
                "content/guides/reading.md",
                &|t| t.replace("Reading text", "Reading text about Alice Archer"),
                Patched,
            ),
            (
                "the home page's body",
                "content/_index.md",
                &|t| format!("{t}\nAsk [[bob]], or Alice Archer.\n"),
                Patched,
            ),
            (
                "a list page's body",
                "content/guides/_index.md",
                &|t| t.replace("Guides text.", "Guides, *rewritten*."),
                Patched,
            ),
            (
                "a body linking to a page",
                "content/actors/bob.md",
                &|t| t.replace("version one", "version two, see [[reading]]"),
                Rebuilt,
            ),
            (
                "a body with a broken link",
                "content/actors/bob.md",
                &|t| t.replace("see [[reading]]", "see [[nobody]]"),
                Failed,
            ),
            (
                "its fix",
                "content/actors/bob.md",
                &|t| t.replace("see [[nobody]]", "see [[alice]]"),
                Rebuilt,
            ),
            (
                "a body again, after the fix",
                "content/actors/bob.md",
                &|t| t.replace("see [[alice]]", "without links"),
                Patched,
            ),
            (
                "a body gaining a heading, which fragments may name",
                "content/guides/reading.md",
                &|t| format!("{t}\n## Tolls explained\n\nText.\n"),
                Rebuilt,
            ),
            (
                "a body linking to that heading",
                "content/actors/bob.md",
                &|t| {
                    t.replace(
                        "without links",
                        "see [the tolls](../guides/reading.md#tolls-explained)",
                    )
                },
                Rebuilt,
            ),
            (
                "the heading renamed: the fragment breaks",
                "content/guides/reading.md",
                &|t| t.replace("## Tolls explained", "## Tolls"),
                Failed,
            ),
            (
                "the fragment fixed",
                "content/actors/bob.md",
                &|t| t.replace("#tolls-explained", "#tolls"),
                Rebuilt,
            ),
            (
                "prose under the heading, which changes no link",
                "content/guides/reading.md",
                &|t| t.replace("\nText.\n", "\nMore text.\n"),
                Patched,
            ),
            (
                "a link to a site path that is not there",
                "content/actors/bob.md",
                &|t| t.replace("(../guides/reading.md#tolls)", "(/guides/nowhere/)"),
                Failed,
            ),
            (
                "the link dropped",
                "content/actors/bob.md",
                &|t| t.replace("see [the tolls](/guides/nowhere/)", "without links"),
                Rebuilt,
            ),
            (
                "a summary",
                "content/actors/alice.md",
                &|t| t.replace("Mayor of the town.", "Mayor since 2020."),
                Rebuilt,
            ),
            (
                "a name",
                "content/actors/bob.md",
                &|t| t.replace("name: Bob Baker", "name: Robert Baker"),
                Rebuilt,
            ),
            (
                "a position label",
                "content/questions/tolls.md",
                &|t| t.replace("label: \"No\"", "label: \"No toll\""),
                Rebuilt,
            ),
            (
                "a question's title, which the links to it show",
                "content/questions/tolls.md",
                &|t| t.replace("title: Bridge tolls", "title: Tolls on the bridge"),
                Rebuilt,
            ),
            (
                "a body linking to a question not written yet",
                "content/actors/bob.md",
                &|t| t.replace("without links", "with [[budget]]"),
                Failed,
            ),
            (
                "that question",
                "content/questions/budget.md",
                &|_| {
                    "---\ntitle: The budget\nquestion: Pass it?\npositions:\n  - {id: yes, label: \"Yes\"}\n  - {id: no, label: \"No\"}\n---\n"
                        .into()
                },
                Rebuilt,
            ),
            (
                "a body dropping the link to it",
                "content/actors/bob.md",
                &|t| t.replace("with [[budget]]", "without links"),
                Patched,
            ),
            (
                "the question deleted",
                "content/questions/budget.md",
                &|_| String::new(),
                Rebuilt,
            ),
            (
                "a new actor",
                "content/actors/carol.md",
                &|_| "---\nname: Carol Chen\nkind: person\n---\nCarol, not Alice Archer.\n".into(),
                Rebuilt,
            ),
            (
                "a broken file",
                "content/actors/carol.md",
                &|t| t.replace("kind: person", "kind: persn"),
                Failed,
            ),
            (
                "the fix",
                "content/actors/carol.md",
                &|t| t.replace("kind: persn", "kind: group"),
                Rebuilt,
            ),
            (
                "a deleted actor",
                "content/actors/carol.md",
                &|_| String::new(),
                Rebuilt,
            ),
            (
                "a site template",
                "templates/page.html",
                &|_| {
                    "<!doctype html><html><body>{{ page.title }}: {{ page.content | safe }}</body></html>"
                        .into()
                },
                Rebuilt,
            ),
            (
                "a body under a site template",
                "content/guides/reading.md",
                &|t| t.replace("Reading text", "Reading more text"),
                Patched,
            ),
            (
                "the site title",
                "site.yaml",
                &|t| t.replace("Serve fixture", "Renamed fixture"),
                Rebuilt,
            ),
            (
                "a page embedding a stance inline and a spectrum",
                "content/guides/reading.md",
                &|t| {
                    t.replace(
                        "More text.",
                        "More text: {{ stance(actor=\"alice\", question=\"tolls\") }}.\n\n\
                         {{ spectrum(question=\"tolls\") }}\n",
                    )
                },
                Patched,
            ),
            (
                "the embedded stance changed in its actor file",
                "content/actors/alice.md",
                &|t| t.replace("position: support", "position: oppose"),
                Rebuilt,
            ),
            (
                "a site shortcode added and used",
                "templates/shortcodes/note.html",
                &|_| "<aside class=\"note\">{{ body | safe }}</aside>\n".into(),
                Rebuilt,
            ),
            (
                "the body using it",
                "content/guides/reading.md",
                &|t| format!("{t}\n{{% note() %}}A *note*.{{% end %}}\n"),
                Patched,
            ),
            (
                "the shortcode's template deleted: the body using it is in error",
                "templates/shortcodes/note.html",
                &|_| String::new(),
                Failed,
            ),
            (
                "the template back",
                "templates/shortcodes/note.html",
                &|_| "<aside class=\"note\">{{ body | safe }}</aside>\n".into(),
                Rebuilt,
            ),
            (
                "a site shortcode that reads a card through entity()",
                "templates/shortcodes/who.html",
                &|_| {
                    "{% set bob = entity(id=\"bob\") %}<span class=\"who\">{{ bob.summary }}</span>\n"
                        .into()
                },
                Rebuilt,
            ),
            (
                "one page using it",
                "content/guides/_index.md",
                &|t| format!("{t}\n{{{{ who() }}}}\n"),
                Patched,
            ),
            (
                "a second page using it, which renders it from the first's",
                "content/guides/reading.md",
                &|t| format!("{t}\n{{{{ who() }}}}\n"),
                Patched,
            ),
            (
                "the card it reads changed: both pages take the new summary",
                "content/actors/bob.md",
                &|t| t.replace("Runs the bakery by the bridge.", "Runs two bakeries."),
                Rebuilt,
            ),
            (
                "and back",
                "content/actors/bob.md",
                &|t| t.replace("Runs two bakeries.", "Runs the bakery by the bridge."),
                Rebuilt,
            ),
            (
                "the embeds removed again",
                "content/guides/reading.md",
                &|_| {
                    "---\ntitle: Reading the matrix\nsummary: How the matrix works.\n---\n\
                     Reading more text about Alice Archer version one.\n\n## Tolls\n\nMore text.\n"
                        .into()
                },
                Patched,
            ),
            (
                "a stylesheet",
                "static/extra.css",
                &|t| format!("{t}\nbody {{}}\n"),
                Patched,
            ),
            (
                "a new static file",
                "static/new.css",
                &|_| "p {}\n".into(),
                Rebuilt,
            ),
            (
                "a template calling entity()",
                "templates/page.html",
                &|_| {
                    "<!doctype html><html><body>{{ page.title }}; Bob: \
                 {% set bob = entity(id=\"bob\") %}{{ bob.summary }}</body></html>"
                        .into()
                },
                Rebuilt,
            ),
            (
                "a summary only entity() reads",
                "content/actors/bob.md",
                &|t| t.replace("Runs the bakery by the bridge.", "Sold the bakery."),
                Rebuilt,
            ),
        ],
    );
}

/// `page` of `files`, parsed.
fn page(files: &Option<SiteFiles>, page: &str) -> scraper::Html {
    let files = files.as_ref().expect("the build succeeds");
    let bytes = files.get(page).unwrap_or_else(|| panic!("no {page}"));
    scraper::Html::parse_document(&String::from_utf8_lossy(bytes))
}

/// The `attr` of every element of `doc` matching `css`.
fn attrs(doc: &scraper::Html, css: &str, attr: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(css).unwrap();
    doc.select(&selector)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

#[test]
fn the_toc_and_footnotes_follow_body_edits() {
    let dir = common::fixture_copy("serve-site");
    let root = common::site_root(&dir);
    let mut session = first_build(&root);
    let alice = "content/actors/alice.md";
    let at = "actors/alice/index.html";
    let mut edit = |what: &str, change: &dyn Fn(&str) -> String, made: Made| {
        let files = check_edit(&mut session, &root, &(what, alice, change, made));
        page(&files, at)
    };

    let doc = edit(
        "two headings",
        &|t| format!("{t}\n## First\n\nA.\n\n## Second {{#second}}\n\nB.\n"),
        Rebuilt,
    );
    assert!(attrs(&doc, "nav.toc", "class").is_empty(), "no toc for two");
    let doc = edit(
        "a third heading, under the second",
        &|t| format!("{t}\n### Third\n\nC.\n"),
        Rebuilt,
    );
    assert_eq!(
        attrs(&doc, "nav.toc a", "href"),
        ["#first", "#second", "#third"]
    );
    assert_eq!(attrs(&doc, "nav.toc > ol > li > ol a", "href"), ["#third"]);
    // Retitled under its explicit id, or moved up a level: no link changes, so the
    // build is patched, and the toc must follow all the same.
    let doc = edit(
        "a heading retitled under its explicit id",
        &|t| t.replace("## Second {#second}", "## Later on {#second}"),
        Patched,
    );
    let titles: Vec<String> = doc
        .select(&scraper::Selector::parse("nav.toc a").unwrap())
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(titles, ["First", "Later on", "Third"]);
    let doc = edit(
        "a heading moved up a level",
        &|t| t.replace("### Third", "## Third"),
        Patched,
    );
    assert!(attrs(&doc, "nav.toc > ol > li > ol a", "href").is_empty());

    // A footnote adds ids other pages may link to: a full build.
    let doc = edit(
        "a footnote",
        &|t| t.replace("\nA.\n", "\nA.[^n]\n\n[^n]: The note.\n"),
        Rebuilt,
    );
    assert_eq!(attrs(&doc, "sup.footnote-ref a", "href"), ["#fn-n"]);
    assert_eq!(attrs(&doc, "section.footnotes li", "id"), ["fn-n"]);
    assert_eq!(
        attrs(&doc, "#fn-n a.footnote-backref", "href"),
        ["#fnref-n"]
    );
    let doc = edit(
        "the note's text",
        &|t| t.replace("The note.", "The note, longer."),
        Patched,
    );
    assert!(doc.html().contains("The note, longer."));
    let linked = check_edit(
        &mut session,
        &root,
        &(
            "a page linking to the note",
            "content/guides/reading.md",
            &|t| format!("{t}\nSee [the note](../actors/alice.md#fn-n).\n"),
            Rebuilt,
        ),
    );
    assert!(linked.is_some());
    let broken = check_edit(
        &mut session,
        &root,
        &(
            "the note gone: the link breaks",
            alice,
            &|t| {
                t.replace("A.[^n]", "A.")
                    .replace("[^n]: The note, longer.\n", "")
            },
            Failed,
        ),
    );
    assert!(broken.is_none(), "a link to `#fn-n` is an error now");
}

#[test]
fn short_texts_follow_their_link_targets_and_keep_their_backlinks() {
    let dir = common::fixture_copy("serve-site");
    let root = common::site_root(&dir);
    let alice = "content/actors/alice.md";
    check_edits(
        &root,
        &[
            (
                "a stance summary gaining a wiki-link",
                alice,
                &|t| {
                    t.replace(
                        "summary: Backed tolls after the budget review.",
                        "summary: \"Backed tolls with [[bob]] after *the* review.\"",
                    )
                },
                Rebuilt,
            ),
            (
                "the name that link shows",
                "content/actors/bob.md",
                &|t| t.replace("name: Bob Baker", "name: Robert Baker"),
                Rebuilt,
            ),
            (
                "the body linking to the same actor",
                alice,
                &|t| t.replace("version one", "version two, with [[bob]]"),
                Patched,
            ),
            (
                "the body dropping it: the summary still links",
                alice,
                &|t| t.replace("version two, with [[bob]]", "version three"),
                Patched,
            ),
            (
                "the summary's link dropped",
                alice,
                &|t| t.replace("with [[bob]] ", ""),
                Rebuilt,
            ),
        ],
    );
}

#[test]
fn a_short_text_shows_the_title_of_its_link_target_after_a_rebuild() {
    let dir = common::fixture_copy("serve-site");
    let root = common::site_root(&dir);
    let alice = root.join("content/actors/alice.md");
    let text = std::fs::read_to_string(&alice).unwrap();
    let summary = "summary: \"Backed tolls with [[bob]].\"";
    std::fs::write(
        &alice,
        text.replace("summary: Backed tolls after the budget review.", summary),
    )
    .unwrap();
    let mut session = Session::new(options(&root));
    assert_eq!(session.build(&Changes::everything()).errors(), 0);
    let bob = root.join("content/actors/bob.md");
    let text = std::fs::read_to_string(&bob).unwrap();
    std::fs::write(&bob, text.replace("name: Bob Baker", "name: Robert Baker")).unwrap();
    let rebuilt = session.build(&Changes::of(&root, [bob]));
    let files = rebuilt.files.expect("builds");
    for page in ["actors/alice/index.html", "questions/tolls/index.html"] {
        let html = String::from_utf8_lossy(files.get(page).unwrap()).into_owned();
        assert!(
            html.contains(">Robert Baker</a>.") && !html.contains("Bob Baker"),
            "{page}"
        );
    }
}

/// A copy of the example site at `root`; without its translations and `languages:`
/// unless `translated` (a site in several languages always rebuilds in full).
fn copy_example(root: &Path, translated: bool) {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    common::copy_tree(&manifest.join("content"), &root.join("content"));
    let site = std::fs::read_to_string(manifest.join("site.yaml")).unwrap();
    if translated {
        std::fs::write(root.join("site.yaml"), site).unwrap();
        return;
    }
    // `languages:` and the lines indented below it.
    let mut kept = String::new();
    let mut in_block = false;
    for line in site.lines() {
        in_block = line.starts_with("languages:") || (in_block && line.starts_with(' '));
        if !in_block {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    std::fs::write(root.join("site.yaml"), kept).unwrap();
    for entry in walkdir::WalkDir::new(root.join("content")) {
        let path = entry.unwrap().into_path();
        if path.to_string_lossy().ends_with(".uk.md") {
            std::fs::remove_file(path).unwrap();
        }
    }
}

#[test]
fn rebuilds_of_the_translated_example_match_fresh_builds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_example(&root, true);
    check_edits(
        &root,
        &[
            (
                "a translation's body",
                "content/actors/joe-biden.uk.md",
                &|t| format!("{t}\nВін зустрівся з [[olaf-scholz|Олафом Шольцом]].\n"),
                Rebuilt,
            ),
            (
                "a default body",
                "content/actors/joe-biden.md",
                &|t| format!("{t}\nHe met [[emmanuel-macron]].\n"),
                Rebuilt,
            ),
            (
                "a translation's name",
                "content/actors/ukraine.uk.md",
                &|t| t.replace("name: Україна", "name: Україна (держава)"),
                Rebuilt,
            ),
            (
                "a site's words",
                "i18n/uk.yaml",
                &|_| "actors: \"Дійові особи\"\n".to_string(),
                Rebuilt,
            ),
            (
                "a data key in a translation",
                "content/actors/joe-biden.uk.md",
                &|t| t.replacen("---\n", "---\nkind: state\n", 1),
                Failed,
            ),
            (
                "its fix",
                "content/actors/joe-biden.uk.md",
                &|t| t.replacen("kind: state\n", "", 1),
                Rebuilt,
            ),
            (
                "a translation deleted",
                "content/about.uk.md",
                &|_| String::new(),
                Rebuilt,
            ),
        ],
    );
}

#[test]
fn rebuilds_match_fresh_builds_on_the_example_site() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_example(&root, false);
    check_edits(
        &root,
        &[
            (
                "a body",
                "content/actors/joe-biden.md",
                &|t| format!("{t}\nHe met Olaf Scholz and [[emmanuel-macron]].\n"),
                Patched,
            ),
            (
                "a question's body",
                "content/questions/long-range-strikes.md",
                &|t| format!("{t}\nSee what [[joe-biden]] said.\n"),
                Patched,
            ),
            (
                "a stance",
                "content/actors/olaf-scholz.md",
                &|t| t.replacen("position: limited", "position: oppose", 1),
                Rebuilt,
            ),
            (
                "an alias",
                "content/actors/joe-biden.md",
                &|t| t.replace("aliases: [Biden", "aliases: [Joe, Biden"),
                Rebuilt,
            ),
            (
                "an event date",
                "content/events/g7-summit-italy.md",
                &|t| t.replace("date: 2024-06-13", "date: 2024-06-12"),
                Rebuilt,
            ),
            (
                "the home page",
                "content/_index.md",
                &|t| format!("{t}\nOne more paragraph.\n"),
                Patched,
            ),
        ],
    );
}

#[test]
fn editors_temporary_files_do_not_stop_a_patch_but_a_deleted_folder_does() {
    let dir = common::fixture_copy("serve-site");
    let root = common::site_root(&dir);
    let mut session = Session::new(options(&root));
    assert_eq!(session.build(&Changes::everything()).errors(), 0);
    let rebuild = |session: &mut Session, changed: &[&str]| {
        let paths = changed.iter().map(|p| root.join("content").join(p));
        session.build(&Changes::of(&root, paths))
    };

    // An atomic save: the editor wrote a temporary file and renamed it over.
    let alice = root.join("content/actors/alice.md");
    let text = std::fs::read_to_string(&alice).unwrap();
    std::fs::write(&alice, text.replace("version one", "version two")).unwrap();
    let patched = rebuild(
        &mut session,
        &["actors/alice.md", "actors/alice.md.tmp.4913"],
    );
    assert!(patched.stats.patched, "{:?}", patched.diagnostics);
    assert!(patched.files == fresh(&root).0);
    let page = patched
        .files
        .as_ref()
        .unwrap()
        .get("actors/alice/index.html");
    assert!(String::from_utf8_lossy(page.unwrap()).contains("Alice text version two."));

    // The same with a front-matter edit: the load takes the files it read before.
    let text = std::fs::read_to_string(&alice).unwrap();
    std::fs::write(&alice, text.replace("role: Mayor", "role: Former mayor")).unwrap();
    let rebuilt = rebuild(
        &mut session,
        &["actors/alice.md", "actors/alice.md.tmp.4914"],
    );
    assert!(!rebuilt.stats.patched);
    assert_eq!(rebuilt.errors(), 0, "{:?}", rebuilt.diagnostics);
    assert!(rebuilt.files == fresh(&root).0);

    // A whole folder gone: its pages must go, which takes a full build.
    std::fs::remove_dir_all(root.join("content/guides")).unwrap();
    let rebuilt = rebuild(&mut session, &["guides"]);
    assert!(!rebuilt.stats.patched);
    let files = rebuilt.files.expect("the site builds without guides/");
    assert!(files.get("guides/reading/index.html").is_none());
    assert!(Some(files) == fresh(&root).0);
}

/// `/sources/` is made from the whole site: a source edited in one file, an actor
/// renamed in another and its intro added each show in the rebuild.
#[test]
fn the_sources_page_follows_edits_of_sources_and_of_what_cites_them() {
    let dir = common::fixture_copy("serve-site");
    let root = common::site_root(&dir);
    check_edits(
        &root,
        &[
            (
                "a stance's source becoming a list with an archived copy",
                "content/actors/alice.md",
                &|t| {
                    t.replace(
                        "    source: {title: \"Council minutes\", date: 2024-05-31}",
                        "    sources:\n      - {title: \"Council minutes\", date: 2024-05-31}\n      - {title: \"Town paper\", url: \"https://example.org/p\", archive_url: \"https://web.archive.org/web/2024/https://example.org/p\"}",
                    )
                },
                Rebuilt,
            ),
            (
                "a cited source's title",
                "content/actors/alice.md",
                &|t| t.replace("Town paper", "Town *paper*"),
                Rebuilt,
            ),
            (
                "the citing actor renamed",
                "content/actors/alice.md",
                &|t| t.replace("name: Alice Archer", "name: Alice Arden"),
                Rebuilt,
            ),
            (
                "an intro for /sources/",
                "content/sources/_index.md",
                &|_| "---\ntitle: Where it comes from\n---\nEvery source, checked.\n".into(),
                Rebuilt,
            ),
            (
                "the intro's body",
                "content/sources/_index.md",
                &|t| t.replace("Every source, checked.", "Every source, *checked twice*."),
                Patched,
            ),
        ],
    );
    let (files, _) = fresh(&root);
    let sources = page(&files, "sources/index.html");
    let cited: Vec<String> = sources
        .select(&scraper::Selector::parse(".cited-list a").unwrap())
        .map(|a| a.text().collect())
        .collect();
    // Bob's "Town paper" has no URL: another source than Alice's, of the same title.
    assert_eq!(
        cited,
        [
            "Alice Arden: Bridge tolls",
            "Alice Arden: Bridge tolls",
            "Bob Baker: Bridge tolls"
        ]
    );
    assert!(sources.html().contains("<em>checked twice</em>"));
}

#[test]
fn data_file_edits_rebuild_and_equal_fresh_builds() {
    let dir = tempfile::tempdir().unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/data-site");
    let root = dir.path().join("site");
    common::copy_tree(&from, &root);
    check_edits(
        &root,
        &[
            (
                "a stance row's summary",
                "data/stances.csv",
                &|t| t.replace("Widened the permission.", "Widened the permission again."),
                Rebuilt,
            ),
            (
                "a stance row added for an actor of a Markdown file",
                "data/stances.csv",
                &|t| {
                    format!("{t}nato,strikes-inside-russia,support,2024-06-20,Agreed.,,A report,,https://example.org/r,,\r\n")
                },
                Rebuilt,
            ),
            (
                "the body of an actor with stances from stances.csv",
                "content/actors/joe-biden.md",
                &|t| t.replace("The president", "The 46th president"),
                Patched,
            ),
            (
                "an actor row renamed",
                "data/actors.csv",
                &|t| t.replace("Jens Stoltenberg,person", "Jens Stoltenberg (NATO),person"),
                Rebuilt,
            ),
            (
                "a stance row broken, then",
                "data/stances.csv",
                &|t| t.replace(",support,2024-06-20,", ",suport,2024-06-20,"),
                Failed,
            ),
            (
                "fixed",
                "data/stances.csv",
                &|t| t.replace(",suport,2024-06-20,", ",support,2024-06-20,"),
                Rebuilt,
            ),
            (
                "the events file deleted",
                "data/events.csv",
                &|_| String::new(),
                Rebuilt,
            ),
        ],
    );
}
