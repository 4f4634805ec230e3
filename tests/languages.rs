//! A site in three languages (DESIGN.md section 11): the `languages` fixture, in
//! English with translations into French and Ukrainian of some of its files.
//! Each language's pages sit under its folder, link to one another and to the
//! default language's pages of the files they lack, and share every data value.

#[path = "common/error_cases.rs"]
mod common;
#[path = "common/links.rs"]
mod links;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use scraper::{Html, Selector};
use serde_json::Value;

use common::{copy_dir, BIN};

/// The fixture, built once into a folder kept for every test.
fn out() -> &'static Path {
    static OUT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &OUT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sites/languages"),
            &root,
        );
        let out = dir.path().join("public");
        let run = Command::new(BIN)
            .arg("--root")
            .arg(&root)
            .args(["build", "--output"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "the fixture must build:\n{}",
            String::from_utf8_lossy(&run.stderr)
        );
        (dir, out)
    })
    .1
}

fn read(path: &str) -> String {
    std::fs::read_to_string(out().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn page(path: &str) -> Html {
    Html::parse_document(&read(path))
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

fn attr(e: &scraper::ElementRef, name: &str) -> String {
    e.value().attr(name).unwrap_or_default().to_string()
}

/// The output file a relative `href` on the page at `from` opens.
fn target(from: &str, href: &str) -> String {
    let href = href.split(['#', '?']).next().unwrap();
    let dir = from.rsplit_once('/').map_or("", |(dir, _)| dir);
    let mut path = links::joined(dir, href);
    if href.ends_with('/') || href.is_empty() {
        path = if path.is_empty() {
            "index.html".into()
        } else {
            format!("{path}/index.html")
        };
    }
    path
}

fn exists(path: &str) -> bool {
    out().join(path).is_file()
}

#[test]
fn each_language_writes_its_translated_and_generated_pages_under_its_folder() {
    for lang in ["fr", "uk"] {
        for path in [
            "index.html",
            "actors/alice-archer/index.html",
            "questions/tolls/index.html",
            "actors/index.html",
            "questions/index.html",
            "timeline/index.html",
            "matrix/index.html",
            "atom.xml",
            "data.json",
            "search-index.json",
            "data/stances.csv",
        ] {
            assert!(exists(&format!("{lang}/{path}")), "{lang}/{path}");
        }
        // No translation: not written in that language.
        for path in [
            "actors/carol-chen/index.html",
            "actors/bridge-union/index.html",
            "events/council-vote/index.html",
            "style.css",
            "404.html",
            "sitemap.xml",
            "robots.txt",
        ] {
            assert!(
                !exists(&format!("{lang}/{path}")),
                "{lang}/{path} is written"
            );
        }
        let html = page(&format!("{lang}/index.html"));
        assert_eq!(attr(&select(&html, "html")[0], "lang"), lang);
    }
    assert!(exists("fr/about/index.html"));
    assert!(
        !exists("uk/about/index.html"),
        "uk has no translation of about.md"
    );
    assert!(exists("actors/carol-chen/index.html") && exists("about/index.html"));
    assert_eq!(attr(&select(&page("index.html"), "html")[0], "lang"), "en");
}

#[test]
fn every_link_of_every_language_opens_a_written_file() {
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(out()) {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(out())
            .unwrap()
            .to_string_lossy()
            .to_string();
        if !rel.ends_with(".html") || !(rel.starts_with("fr/") || rel.starts_with("uk/")) {
            continue;
        }
        let doc = page(&rel);
        for a in select(&doc, "a[href], link[href]") {
            let href = attr(&a, "href");
            if href.starts_with("http") || href.starts_with('#') || href.starts_with("mailto:") {
                continue;
            }
            let file = target(&rel, &href);
            assert!(
                exists(&file),
                "{rel}: `{href}` opens {file}, which is not written"
            );
            checked += 1;
        }
    }
    assert!(checked > 200, "only {checked} links checked");
}

#[test]
fn a_translated_page_links_to_its_language_and_marks_links_to_another() {
    let doc = page("fr/actors/alice-archer/index.html");
    let main = &select(&doc, "main")[0];
    let links: Vec<(String, String, String)> = main
        .select(&Selector::parse("a[href]").unwrap())
        .map(|a| {
            (
                a.text().collect(),
                target("fr/actors/alice-archer/index.html", &attr(&a, "href")),
                attr(&a, "hreflang"),
            )
        })
        .collect();
    assert!(
        links.contains(&(
            "Carol Chen".into(),
            "actors/carol-chen/index.html".into(),
            "en".into()
        )),
        "{links:?}"
    );
    assert!(
        links.contains(&(
            "Péages du pont".into(),
            "fr/questions/tolls/index.html".into(),
            String::new()
        )),
        "{links:?}"
    );
    // The theme's own links (navigation, feed) stay in the page's language.
    let nav: Vec<String> = select(&doc, ".site-nav a[href]")
        .iter()
        .map(|a| target("fr/actors/alice-archer/index.html", &attr(a, "href")))
        .collect();
    assert!(nav.iter().any(|t| t == "fr/actors/index.html"), "{nav:?}");
    let feed = select(&doc, "link[type='application/atom+xml']");
    assert_eq!(
        target("fr/actors/alice-archer/index.html", &attr(&feed[0], "href")),
        "fr/atom.xml"
    );
}

#[test]
fn autolinks_use_the_names_of_the_page_language() {
    let uk = page("uk/questions/tolls/index.html");
    let body: Vec<(String, String)> = select(&uk, ".prose a, .question-body a, main p a")
        .iter()
        .map(|a| (a.text().collect(), attr(a, "href")))
        .collect();
    assert!(
        body.iter()
            .any(|(t, h)| t == "Арчер" && h.ends_with("uk/actors/alice-archer/")),
        "{body:?}"
    );
    let fr = page("fr/questions/tolls/index.html");
    let h1: String = select(&fr, "h1")[0].text().collect();
    assert_eq!(h1.trim(), "Péages du pont");
}

#[test]
fn alternates_and_switcher_name_every_language_of_a_page() {
    let base = "https://example.com/";
    for (path, current) in [
        ("actors/alice-archer/index.html", "en"),
        ("fr/actors/alice-archer/index.html", "fr"),
        ("uk/actors/alice-archer/index.html", "uk"),
    ] {
        let doc = page(path);
        let alternates: Vec<(String, String)> = select(&doc, "link[rel=alternate][hreflang]")
            .iter()
            .map(|l| (attr(l, "hreflang"), attr(l, "href")))
            .collect();
        assert_eq!(
            alternates,
            vec![
                ("en".into(), format!("{base}actors/alice-archer/")),
                ("fr".into(), format!("{base}fr/actors/alice-archer/")),
                ("uk".into(), format!("{base}uk/actors/alice-archer/")),
                ("x-default".into(), format!("{base}actors/alice-archer/")),
            ],
            "{path}"
        );
        let switcher = select(&doc, "nav.languages a");
        let entries: Vec<(String, String, bool)> = switcher
            .iter()
            .map(|a| {
                (
                    attr(a, "hreflang"),
                    target(path, &attr(a, "href")),
                    a.value().attr("aria-current").is_some(),
                )
            })
            .collect();
        assert_eq!(
            entries,
            vec![
                (
                    "en".into(),
                    "actors/alice-archer/index.html".into(),
                    current == "en"
                ),
                (
                    "fr".into(),
                    "fr/actors/alice-archer/index.html".into(),
                    current == "fr"
                ),
                (
                    "uk".into(),
                    "uk/actors/alice-archer/index.html".into(),
                    current == "uk"
                ),
            ],
            "{path}"
        );
    }
    // The about page is in English and French only; Carol in English only.
    let about = page("fr/about/index.html");
    let langs: Vec<String> = select(&about, "nav.languages a")
        .iter()
        .map(|a| attr(a, "hreflang"))
        .collect();
    assert_eq!(langs, ["en", "fr"]);
    let carol = page("actors/carol-chen/index.html");
    assert!(select(&carol, "link[rel=alternate][hreflang], nav.languages").is_empty());
}

#[test]
fn the_sitemap_lists_each_language_with_its_alternates() {
    let xml = read("sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let urls: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name("url"))
        .collect();
    let loc = |u: &roxmltree::Node| {
        u.children()
            .find(|c| c.has_tag_name("loc"))
            .and_then(|c| c.text())
            .unwrap_or("")
            .to_string()
    };
    let locs: BTreeSet<String> = urls.iter().map(loc).collect();
    for present in [
        "https://example.com/actors/carol-chen/",
        "https://example.com/fr/actors/alice-archer/",
        "https://example.com/uk/questions/tolls/",
        "https://example.com/fr/about/",
        "https://example.com/uk/",
    ] {
        assert!(locs.contains(present), "{present} missing");
    }
    assert!(!locs.contains("https://example.com/fr/actors/carol-chen/"));
    let alice = urls
        .iter()
        .find(|u| loc(u) == "https://example.com/uk/actors/alice-archer/")
        .unwrap();
    let links: Vec<(String, String)> = alice
        .children()
        .filter(|c| c.has_tag_name("link"))
        .map(|c| {
            (
                c.attribute("hreflang").unwrap().to_string(),
                c.attribute("href").unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(links.len(), 4, "{links:?}");
    assert!(links.contains(&(
        "fr".into(),
        "https://example.com/fr/actors/alice-archer/".into()
    )));
    assert!(links.contains(&(
        "x-default".into(),
        "https://example.com/actors/alice-archer/".into()
    )));
}

/// The data of a data.json: every value but the words and the URLs.
fn data_values(json: &Value) -> Value {
    let pick = |list: &Value, keys: &[&str]| -> Vec<Value> {
        let mut items: Vec<Value> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|item| {
                Value::Object(
                    keys.iter()
                        .map(|k| (k.to_string(), item[*k].clone()))
                        .collect(),
                )
            })
            .collect();
        items.sort_by_key(|v| v.to_string());
        items
    };
    let positions: Vec<Value> = json["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            Value::from(
                q["positions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p["id"].clone())
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    let sources: Vec<Value> = json["stances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            Value::from(
                s["sources"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x["url"].clone())
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    serde_json::json!({
        "actors": pick(&json["actors"], &["id", "kind", "affiliations", "image"]),
        "questions": pick(&json["questions"], &["id"]),
        "positions": positions,
        "stances": pick(&json["stances"], &["actor", "question", "position", "date", "current"]),
        "sources": sources,
        "events": pick(&json["events"], &["id", "date", "end_date", "actors", "questions"]),
    })
}

#[test]
fn every_data_value_is_the_same_in_every_language() {
    let parse = |p: &str| -> Value { serde_json::from_str(&read(p)).unwrap() };
    let (en, fr, uk) = (
        parse("data.json"),
        parse("fr/data.json"),
        parse("uk/data.json"),
    );
    assert_eq!(data_values(&en), data_values(&fr));
    assert_eq!(data_values(&en), data_values(&uk));
    assert!(data_values(&en)["stances"].as_array().unwrap().len() >= 4);
    // The words are the language's.
    let name = |j: &Value, id: &str| {
        j["actors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id)
            .unwrap()["name"]
            .clone()
    };
    assert_eq!(name(&uk, "alice-archer"), "Аліса Арчер");
    assert_eq!(name(&en, "alice-archer"), "Alice Archer");
    assert_eq!(name(&uk, "carol-chen"), "Carol Chen");
    assert_eq!(uk["site"]["title"], "Фікстура й друзі");
}

#[test]
fn feeds_and_search_indexes_are_per_language() {
    let atom = read("fr/atom.xml");
    let doc = roxmltree::Document::parse(&atom).unwrap();
    let title = doc
        .descendants()
        .find(|n| n.has_tag_name("title"))
        .unwrap()
        .text()
        .unwrap();
    assert_eq!(title, "Fixture et compagnie");
    let own = doc
        .descendants()
        .find(|n| n.has_tag_name("link") && n.attribute("rel") == Some("self"))
        .unwrap();
    assert_eq!(
        own.attribute("href"),
        Some("https://example.com/fr/atom.xml")
    );
    let index: Value = serde_json::from_str(&read("uk/search-index.json")).unwrap();
    let urls: BTreeSet<&str> = index
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["url"].as_str().unwrap())
        .collect();
    assert_eq!(
        urls,
        BTreeSet::from(["uk/actors/alice-archer/", "uk/questions/tolls/"]),
        "the Ukrainian index lists the Ukrainian pages"
    );
    // One full-text bundle, with an index per language.
    let entry: Value = serde_json::from_str(&read("pagefind/pagefind-entry.json")).unwrap();
    let langs: BTreeSet<&str> = entry["languages"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(langs, BTreeSet::from(["en", "fr", "uk"]));
}

/// The default theme's word `key` in `lang`, from its words file.
fn theme_word(lang: &str, key: &str) -> String {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("themes/default/i18n/{lang}.yaml"));
    let words: serde_yaml::Mapping =
        serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    words[key].as_str().unwrap().to_string()
}

fn texts(doc: &Html, css: &str) -> Vec<String> {
    select(doc, css)
        .iter()
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

#[test]
fn each_language_gets_the_theme_words_and_dates_of_its_own() {
    for (lang, prefix) in [("en", ""), ("fr", "fr/"), ("uk", "uk/")] {
        for path in [
            "index.html",
            "timeline/index.html",
            "actors/alice-archer/index.html",
        ] {
            let doc = page(&format!("{prefix}{path}"));
            let nav = texts(&doc, "nav.site-nav:not(.languages) a");
            assert_eq!(nav[0], theme_word(lang, "actors"), "{prefix}{path}");
            assert_eq!(nav[2], theme_word(lang, "timeline"), "{prefix}{path}");
            let switcher = select(&doc, "nav.languages");
            assert_eq!(
                attr(&switcher[0], "aria-label"),
                theme_word(lang, "languages")
            );
        }
    }
    let timeline = page("fr/timeline/index.html");
    assert_eq!(texts(&timeline, "h1"), [theme_word("fr", "timeline")]);
    let days = texts(
        &page("uk/timeline/index.html"),
        "time[datetime=\"2024-05-30\"]",
    );
    assert!(days.iter().any(|d| d == "30 травня 2024"), "{days:?}");
    let days = texts(
        &page("fr/timeline/index.html"),
        "time[datetime=\"2024-05-30\"]",
    );
    assert!(days.iter().any(|d| d == "30 mai 2024"), "{days:?}");
}
