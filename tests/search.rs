//! Full-text search: `build` writes Pagefind's index of the pages' body text into
//! `pagefind/`, the same bytes every time; `search: false` and `serve` write none;
//! and in Chromium the theme's search box, under a sub-path, finds a page by a word
//! of its body only, or falls back to the title search when there is no index.

#[path = "common/browser.rs"]
mod browser;
#[path = "common/error_cases.rs"]
mod error_cases;
#[path = "common/static_server.rs"]
mod static_server;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use browser::Browser;
use error_cases::{copy_dir, run, snapshot};
use serde_json::Value;
use standpoint::BuildOptions;
use static_server::StaticServer;

const SUB_PATH: &str = "/explainers/find/";
const WAIT: Duration = Duration::from_secs(15);
/// A word that occurs in one page's body only, and in no title.
const BODY_WORD: &str = "quillwort";
const BODY_PAGE: &str = "events/nato-prague-talks/";

/// The example site copied into `dir/site`, with [`BODY_WORD`] added to one event's
/// body; `extra` is appended to its site.yaml.
fn example(dir: &Path, extra: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = dir.join("site");
    copy_dir(&root.join("content"), &site.join("content"));
    let yaml = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    std::fs::write(site.join("site.yaml"), format!("{yaml}\n{extra}\n")).unwrap();
    let event = site.join("content/events/nato-prague-talks.md");
    let text = std::fs::read_to_string(&event).unwrap();
    let text = format!("{text}\nThe ministers' dinner menu featured {BODY_WORD} soup.\n");
    std::fs::write(&event, text).unwrap();
    site
}

/// Builds `site` under [`SUB_PATH`] into `out`.
fn build(site: &Path, out: &Path) {
    let r = run([
        OsString::from("--root"),
        site.into(),
        "build".into(),
        "--base-url".into(),
        format!("https://news.example.com{SUB_PATH}").into(),
        "--output".into(),
        out.into(),
    ]);
    assert_eq!(r.code, Some(0), "build failed:\n{}", r.stderr);
}

fn files_under(out: &Path, folder: &str) -> Vec<String> {
    let mut names: Vec<String> = snapshot(&out.join(folder)).into_keys().collect();
    names.sort();
    names
}

#[test]
fn build_writes_an_index_of_the_content_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let site = example(tmp.path(), "");
    let out = tmp.path().join("out");
    build(&site, &out);
    let pf = out.join("pagefind");
    assert!(pf.join("pagefind.js").is_file());
    assert!(pf.join("pagefind-worker.js").is_file());
    assert!(pf.join("wasm.en.pagefind").is_file());
    assert!(
        !pf.join("pagefind-ui.js").exists(),
        "Pagefind's own UI is not written"
    );
    let entry: Value =
        serde_json::from_slice(&std::fs::read(pf.join("pagefind-entry.json")).unwrap()).unwrap();
    // 14 actors, 2 questions, 5 events, the about page and the home page; not the
    // 404 page, the indexes or the lists.
    let pages = entry["languages"]["en"]["page_count"].as_u64();
    assert_eq!(pages, Some(23), "{entry}");
    // The Ukrainian translation: the home and about pages, two questions, three actors.
    let uk = entry["languages"]["uk"]["page_count"].as_u64();
    assert_eq!(uk, Some(7), "{entry}");
    let fragments = files_under(&out, "pagefind/fragment");
    let english = fragments.iter().filter(|f| f.starts_with("en_")).count();
    assert_eq!(english, 23, "one fragment a page: {fragments:?}");
    assert_eq!(
        fragments.len(),
        23 + 7,
        "one fragment a page: {fragments:?}"
    );
    assert!(fragments.iter().all(|f| f.ends_with(".pf_fragment")));
    let chunks = files_under(&out, "pagefind/index");
    assert!(!chunks.is_empty() && chunks.iter().all(|f| f.ends_with(".pf_index")));

    // What is indexed is what the templates mark.
    let marked = |path: &str| {
        let html = std::fs::read_to_string(out.join(path)).unwrap();
        let doc = scraper::Html::parse_document(&html);
        let sel = scraper::Selector::parse("[data-pagefind-body]").unwrap();
        doc.select(&sel).count()
    };
    assert_eq!(marked("events/nato-prague-talks/index.html"), 1);
    assert_eq!(marked("index.html"), 1);
    assert_eq!(marked("actors/index.html"), 0);
    assert_eq!(marked("timeline/index.html"), 0);
    assert_eq!(marked("404.html"), 0);
}

#[test]
fn the_index_is_the_same_bytes_on_every_build() {
    let tmp = tempfile::tempdir().unwrap();
    let site = example(tmp.path(), "");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    build(&site, &a);
    build(&site, &b);
    let (first, second) = (snapshot(&a.join("pagefind")), snapshot(&b.join("pagefind")));
    assert!(first.len() > 5, "{:?}", first.keys());
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &first {
        assert!(second[path] == *bytes, "{path} differs between two builds");
    }
}

#[test]
fn search_false_and_serve_write_no_index() {
    let tmp = tempfile::tempdir().unwrap();
    let site = example(tmp.path(), "search: false");
    let out = tmp.path().join("out");
    build(&site, &out);
    assert!(out.join("search-index.json").is_file());
    assert!(!out.join("pagefind").exists());

    let on = example(&tmp.path().join("on"), "");
    let options = BuildOptions {
        root: on,
        serve: true,
        ..BuildOptions::default()
    };
    let files = standpoint::build(&options).files.expect("the site builds");
    assert!(files.get("index.html").is_some());
    assert!(!files.files.keys().any(|k| k.starts_with("pagefind/")));
}

/// The files under `pagefind/` and `search.js` the browser requested so far, with
/// their sizes, and the sum of the sizes.
fn downloaded(server: &StaticServer, out: &Path) -> (u64, Vec<(String, u64)>) {
    let prefix = format!("GET {SUB_PATH}");
    let mut files: Vec<(String, u64)> = server
        .requests()
        .iter()
        .filter_map(|r| r.strip_prefix(&prefix))
        .map(|p| p.split('?').next().unwrap_or(p).to_string())
        .filter(|p| p.starts_with("pagefind/") || p == "search.js")
        .map(|p| {
            let size = std::fs::metadata(out.join(&p)).map_or(0, |m| m.len());
            (p, size)
        })
        .collect();
    files.sort();
    files.dedup();
    (files.iter().map(|(_, n)| n).sum(), files)
}

/// axe-core's violations on the page as it is, one line each (axe is installed by
/// `.ci/run` under `.ci/node/`).
fn axe_violations(page: &mut browser::Page) -> Vec<String> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/node/node_modules/axe-core/axe.min.js");
    let axe = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "axe-core is missing at {} ({e}): run .ci/run",
            path.display()
        )
    });
    page.eval(&axe);
    let found = page.eval(
        "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v =>
           `${v.id}: ${v.help}: ` + v.nodes.map(n => n.target.join(' ')).join(', ')))",
    );
    found
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Results of the title search and of Pagefind's (which show URLs).
const ANY_RESULT: &str = "document.querySelectorAll('.search-results:not([hidden]) a').length > 0";
const PAGEFIND_RESULT: &str =
    "document.querySelector('.search-results:not([hidden]) .r-url') !== null";

/// Types `query` into the search box of the home page and waits for `result`.
fn search(page: &mut browser::Page, server: &StaticServer, query: &str, result: &str) {
    page.set_viewport(1280, 900);
    page.navigate(&server.url(""));
    page.eval("document.getElementById('site-search-input').focus()");
    page.insert_text(query);
    page.wait_for(result, WAIT);
}

#[test]
fn the_search_box_finds_a_word_of_a_page_body_under_a_sub_path() {
    let tmp = tempfile::tempdir().unwrap();
    let site = example(tmp.path(), "");
    let out = tmp.path().join("out");
    build(&site, &out);
    let server = StaticServer::start(&out, SUB_PATH);
    let mut browser = Browser::launch();
    let mut page = browser.new_page();
    page.navigate(&server.url(""));
    let early = page.eval(
        "performance.getEntriesByType('resource').filter(e => e.name.includes('pagefind')).length",
    );
    assert_eq!(early, Value::from(0), "Pagefind loads on demand only");

    search(&mut page, &server, BODY_WORD, PAGEFIND_RESULT);
    let links = page.eval("[...document.querySelectorAll('.search-results a')].map(a => a.href)");
    assert_eq!(links, serde_json::json!([server.url(BODY_PAGE)]));
    let result = page.eval("document.querySelector('.search-results a').textContent");
    let result = result.as_str().unwrap_or_default();
    assert!(result.contains("NATO"), "the title: {result}");
    assert!(result.contains(BODY_WORD), "the excerpt: {result}");
    assert!(
        result.contains(&format!("{SUB_PATH}{BODY_PAGE}")),
        "the URL: {result}"
    );
    let status = page.eval("document.getElementById('site-search-status').textContent");
    assert!(status.as_str().unwrap().starts_with("1 result"), "{status}");

    let violations = axe_violations(&mut page);
    assert!(
        violations.is_empty(),
        "axe, results open:\n{}",
        violations.join("\n")
    );
    let shots = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("browser-shots");
    page.screenshot_viewport(&shots.join("search-pagefind-1280.png"));
    page.press_key("ArrowDown");
    page.wait_for(
        "document.activeElement === document.querySelector('.search-results a')",
        WAIT,
    );
    page.set_viewport(375, 740);
    page.screenshot_viewport(&shots.join("search-pagefind-375.png"));
    // Pagefind fetches its index from a worker, whose requests the page's resource
    // timing does not list: the server's log has them all.
    let (total, fetched) = downloaded(&server, &out);
    println!("one query downloaded {total} bytes: {fetched:?}");
    let names: Vec<&str> = fetched.iter().map(|(n, _)| n.as_str()).collect();
    for part in [
        "pagefind.js",
        "pagefind-entry.json",
        "wasm.en.pagefind",
        ".pf_meta",
        ".pf_index",
        ".pf_fragment",
    ] {
        assert!(
            names.iter().any(|n| n.ends_with(part)),
            "{part} in {names:?}"
        );
    }
    let fragments = names.iter().filter(|n| n.ends_with(".pf_fragment")).count();
    assert_eq!(fragments, 1, "only the hit's fragment: {names:?}");
    let errors = page.console_errors();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn without_an_index_the_search_box_falls_back_to_titles() {
    let tmp = tempfile::tempdir().unwrap();
    let site = example(tmp.path(), "search: false");
    let out = tmp.path().join("out");
    build(&site, &out);
    let server = StaticServer::start(&out, SUB_PATH);
    let mut browser = Browser::launch();
    let mut page = browser.new_page();
    search(&mut page, &server, "biden", ANY_RESULT);
    let first = page.eval("document.querySelector('.search-results a').href");
    assert_eq!(first, Value::from(server.url("actors/joe-biden/")));
    page.eval("document.getElementById('site-search-input').value = ''");
    page.insert_text(BODY_WORD);
    page.wait_for(
        "document.querySelector('.search-results .r-empty') !== null",
        WAIT,
    );
}

/// BENCHMARKS.md's search payload: for a site built already, at
/// `STANDPOINT_SEARCH_SITE`, each query of `STANDPOINT_SEARCH_QUERIES` (comma
/// separated) in a fresh browser, and what it downloaded.
#[test]
#[ignore = "a measurement: needs STANDPOINT_SEARCH_SITE, a built site"]
fn payload_of_one_query() {
    let Some(out) = std::env::var_os("STANDPOINT_SEARCH_SITE").map(PathBuf::from) else {
        panic!("set STANDPOINT_SEARCH_SITE to a built site's folder");
    };
    let queries = std::env::var("STANDPOINT_SEARCH_QUERIES").unwrap_or_else(|_| "talks".into());
    for query in queries.split(',') {
        let server = StaticServer::start(&out, SUB_PATH);
        let mut browser = Browser::launch();
        let mut page = browser.new_page();
        search(&mut page, &server, query, PAGEFIND_RESULT);
        let results = page.eval("document.querySelectorAll('.search-results a').length");
        let (total, fetched) = downloaded(&server, &out);
        let code = [
            "search.js",
            "pagefind.js",
            "pagefind-worker.js",
            ".pagefind",
        ];
        let data: u64 = fetched
            .iter()
            .filter(|(n, _)| !code.iter().any(|c| n.ends_with(c)))
            .map(|(_, n)| n)
            .sum();
        println!(
            "query `{query}`: {results} results shown, {total} bytes in all, {data} bytes of index data: {fetched:?}"
        );
    }
}
