//! Pagination of the index pages and folder lists (DESIGN.md section 10): the
//! example site with `paginate: 2` and a folder of notes, walked page by page along
//! its `rel="next"` links and compared with the same site unpaginated. Every item
//! shows exactly once, in order; `rel` links, the page navigation, titles,
//! canonical URLs and the sitemap agree; templates get `paginator`.

#[path = "common/error_cases.rs"]
mod error_cases;
#[path = "common/links.rs"]
mod links;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use error_cases::copy_dir;
use scraper::{Html, Selector};
const BASE_URL: &str = "https://example.org/explainer/";

/// The repository's example site with a folder of `notes` notes, in a temporary folder.
fn example_with_notes(notes: usize, paginate: Option<usize>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&repo.join("content"), &dir.path().join("content"));
    let mut yaml = std::fs::read_to_string(repo.join("site.yaml")).unwrap();
    if let Some(n) = paginate {
        yaml.push_str(&format!("\npaginate: {n}\n"));
    }
    std::fs::write(dir.path().join("site.yaml"), yaml).unwrap();
    let folder = dir.path().join("content/notes");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("_index.md"),
        "---\ntitle: Notes\n---\nThe intro of the notes.\n",
    )
    .unwrap();
    for i in 0..notes {
        std::fs::write(
            folder.join(format!("note-{i:02}.md")),
            format!("---\ntitle: Note {i:02}\nweight: {i}\n---\nBody.\n"),
        )
        .unwrap();
    }
    dir
}

fn build(root: &Path) -> PathBuf {
    let run = error_cases::run([OsStr::new("--root"), root.as_os_str(), OsStr::new("build")]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    root.join("public")
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn read(out: &Path, site_path: &str) -> Html {
    let file = out
        .join(site_path.trim_start_matches('/'))
        .join("index.html");
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    Html::parse_document(&text)
}

/// The site path a relative `href` on the page at `from` points at.
fn resolve(from: &str, href: &str) -> String {
    let path = links::joined(from, href);
    if path.is_empty() {
        "/".into()
    } else {
        format!("/{path}/")
    }
}

fn attr(doc: &Html, selector: &str, name: &str) -> Option<String> {
    doc.select(&sel(selector))
        .next()
        .and_then(|e| e.value().attr(name))
        .map(str::to_string)
}

/// The site paths the links `selector` of the page at `path` point at.
fn items(doc: &Html, path: &str, selector: &str) -> Vec<String> {
    doc.select(&sel(selector))
        .map(|a| resolve(path, a.value().attr("href").unwrap()))
        .collect()
}

/// One paginated list: its first page and what marks one of its items.
struct List {
    first: &'static str,
    item: &'static str,
}

const LISTS: [List; 6] = [
    List {
        first: "/actors/",
        item: ".card-title a",
    },
    List {
        first: "/questions/",
        item: ".question-item-title a",
    },
    List {
        first: "/events/",
        item: ".page-list-title a",
    },
    List {
        first: "/timeline/",
        item: ".tl-title a",
    },
    List {
        first: "/matrix/",
        item: "#matrix-table tbody th[scope=row] a",
    },
    List {
        first: "/notes/",
        item: ".page-list-title a",
    },
];

/// Walks a list from its first page along `rel="next"`, checking each page's own
/// marks, and returns the pages' site paths and the items in order.
fn walk(out: &Path, list: &List) -> (Vec<String>, Vec<String>) {
    let mut pages = vec![list.first.to_string()];
    let mut found = Vec::new();
    loop {
        let path = pages.last().unwrap().clone();
        let doc = read(out, &path);
        let n = pages.len();
        found.extend(items(&doc, &path, list.item));
        assert_eq!(
            attr(&doc, "link[rel=canonical]", "href").unwrap(),
            format!("{BASE_URL}{}", path.trim_start_matches('/')),
            "{path}"
        );
        let previous = attr(&doc, "link[rel=prev]", "href").map(|h| resolve(&path, &h));
        assert_eq!(previous, (n > 1).then(|| pages[n - 2].clone()), "{path}");
        let current: Vec<String> = doc
            .select(&sel("nav.pager a[aria-current=page]"))
            .map(|a| a.text().collect::<String>())
            .collect();
        match attr(&doc, "link[rel=next]", "href") {
            Some(next) => {
                assert_eq!(current, [format!("Page {n}")], "{path}");
                let body_next = attr(&doc, "nav.pager a[rel=next]", "href").unwrap();
                assert_eq!(body_next, next, "{path}: the navigation's next page");
                let next = resolve(&path, &next);
                assert_eq!(next, format!("{}page/{}/", list.first, n + 1));
                assert!(pages.len() < 100, "{}: no end to the pages", list.first);
                pages.push(next);
            }
            None if n == 1 => {
                assert!(current.is_empty(), "{path}: one page needs no navigation");
                return (pages, found);
            }
            None => {
                assert_eq!(current, [format!("Page {n}")], "{path}");
                return (pages, found);
            }
        }
    }
}

#[test]
fn every_item_shows_once_across_pages_linked_in_order() {
    let whole_site = example_with_notes(5, None);
    let whole = build(whole_site.path());
    let paged_site = example_with_notes(5, Some(2));
    let paged = build(paged_site.path());
    let sitemap = std::fs::read_to_string(paged.join("sitemap.xml")).unwrap();
    for list in &LISTS {
        let (single, all) = walk(&whole, list);
        assert_eq!(
            single.len(),
            1,
            "{}: 100 a page fits the example",
            list.first
        );
        assert!(!all.is_empty(), "{}: no items found", list.first);
        let (pages, found) = walk(&paged, list);
        assert_eq!(
            found, all,
            "{}: the items of every page, in order",
            list.first
        );
        assert_eq!(pages.len(), all.len().div_ceil(2), "{}", list.first);
        for (k, path) in pages.iter().enumerate() {
            let doc = read(&paged, path);
            let shown = items(&doc, path, list.item).len();
            assert!(shown == 2 || k + 1 == pages.len() && shown >= 1, "{path}");
            let title = doc
                .select(&sel("title"))
                .next()
                .unwrap()
                .text()
                .collect::<String>();
            assert_eq!(
                title.contains(&format!("page {} of {}", k + 1, pages.len())),
                k > 0,
                "{path}: {title}"
            );
            let loc = format!("<loc>{BASE_URL}{}</loc>", path.trim_start_matches('/'));
            assert!(sitemap.contains(&loc), "the sitemap lacks {path}");
        }
        let page_one = paged
            .join(list.first.trim_start_matches('/'))
            .join("page/1");
        assert!(!page_one.exists(), "the first page stays at {}", list.first);
    }
}

#[test]
fn the_intro_shows_on_the_first_page_only() {
    let site = example_with_notes(5, Some(2));
    let out = build(site.path());
    let text = |path: &str| {
        read(&out, path)
            .select(&sel("main"))
            .next()
            .unwrap()
            .text()
            .collect::<String>()
    };
    assert!(text("/notes/").contains("The intro of the notes."));
    assert!(!text("/notes/page/2/").contains("The intro of the notes."));
    assert!(text("/notes/page/2/").contains("Page 2 of 3"));
}

#[test]
fn templates_get_the_paginator() {
    let site = example_with_notes(5, Some(2));
    let templates = site.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("list.html"),
        "<!doctype html><html lang=\"en\"><title>t</title><main>\
         <p id=\"p\">{{ paginator.current }}/{{ paginator.total }} \
         prev={{ paginator.previous | default(value=\"none\") }} \
         next={{ paginator.next | default(value=\"none\") }} \
         pages={% for p in paginator.pages %}{{ p.number }}@{{ p.url }};{% endfor %}</p>\
         {% for p in page.pages %}<a class=\"n\" href=\"{{ p.url }}\">{{ p.title }}</a>{% endfor %}</main>",
    )
    .unwrap();
    let out = build(site.path());
    let doc = read(&out, "/notes/page/2/");
    let p = doc
        .select(&sel("#p"))
        .next()
        .unwrap()
        .text()
        .collect::<String>();
    assert_eq!(
        p,
        "2/3 prev=/notes/ next=/notes/page/3/ pages=1@/notes/;2@/notes/page/2/;3@/notes/page/3/;",
        "site paths, as every URL a template gets"
    );
    let titles: Vec<String> = doc
        .select(&sel("a.n"))
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(titles, ["Note 02", "Note 03"]);
}
