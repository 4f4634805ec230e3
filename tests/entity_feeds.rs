//! The Atom feeds: one per question and per actor (that entity's stances and
//! events, newest first, a stance's actor as its author, content as HTML), linked
//! from their pages, and the site feed cut to the newest `feed_limit` entries with
//! the dated plain pages among them. Every feed parses with `atom_syndication`.

#[path = "common/error_cases.rs"]
mod error_cases;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use atom_syndication::Feed;
use scraper::{Html, Selector};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_standpoint");
const BASE: &str = "https://example.org/explainer/";

/// A copy of the example site, which tests may change, and its output folder.
struct Example {
    dir: tempfile::TempDir,
}

impl Example {
    fn new() -> Example {
        let dir = tempfile::tempdir().unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        error_cases::copy_dir(&root.join("content"), &dir.path().join("content"));
        std::fs::copy(root.join("site.yaml"), dir.path().join("site.yaml")).unwrap();
        Example { dir }
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn build(&self) -> &Path {
        let out = self.dir.path().join("public");
        let result = Command::new(BIN)
            .arg("--root")
            .arg(self.dir.path())
            .args(["build", "--output"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(
            result.status.success(),
            "{}",
            String::from_utf8_lossy(&result.stderr)
        );
        self.dir.path()
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.path().join("public").join(rel))
            .unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    fn feed(&self, rel: &str) -> Feed {
        self.read(rel)
            .parse()
            .unwrap_or_else(|e| panic!("{rel} is not Atom: {e:?}"))
    }
}

fn entry_ids(feed: &Feed) -> Vec<String> {
    feed.entries().iter().map(|e| e.id().to_string()).collect()
}

/// Entries newest first, each with an id, a link, content and no id twice.
fn assert_well_formed(rel: &str, feed: &Feed) {
    let mut ids = BTreeSet::new();
    let mut previous = None;
    for e in feed.entries() {
        assert!(ids.insert(e.id().to_string()), "{rel}: id {} twice", e.id());
        assert!(e.links()[0].href().starts_with(BASE), "{rel}: {}", e.id());
        let content = e.content().and_then(|c| c.value()).unwrap_or_default();
        assert!(content.starts_with("<p>"), "{rel}: content of {}", e.id());
        assert!(
            !content.contains("href=\"/"),
            "{rel}: relative link in {content}"
        );
        if let Some(p) = previous {
            assert!(*e.updated() <= p, "{rel}: newest first at {}", e.id());
        }
        previous = Some(*e.updated());
    }
}

#[test]
fn every_question_and_actor_has_a_feed_of_its_stances_and_events() {
    let site = Example::new();
    site.build();
    let data: Value = serde_json::from_str(&site.read("data.json")).unwrap();
    let names: std::collections::BTreeMap<&str, &str> = data["actors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["id"].as_str().unwrap(), a["name"].as_str().unwrap()))
        .collect();
    let mut checked = 0;
    for (kind, list, key) in [
        ("questions", "questions", "question"),
        ("actors", "actors", "actor"),
    ] {
        for entity in data[list].as_array().unwrap() {
            let id = entity["id"].as_str().unwrap();
            let rel = format!("{kind}/{id}/atom.xml");
            let feed = site.feed(&rel);
            assert_well_formed(&rel, &feed);
            assert_eq!(feed.id(), format!("{BASE}{kind}/{id}/"), "{rel}");
            let stances: Vec<&Value> = data["stances"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|s| s[key] == id)
                .collect();
            let events = data["events"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| e[list].as_array().unwrap().iter().any(|x| x == id))
                .count();
            assert_eq!(feed.entries().len(), stances.len() + events, "{rel}");
            // A stance's entry has its actor as author; an event's has none.
            let authored: Vec<&str> = feed
                .entries()
                .iter()
                .filter_map(|e| e.authors().first().map(|a| a.name()))
                .collect();
            assert_eq!(authored.len(), stances.len(), "{rel}");
            for s in &stances {
                let name = names[s["actor"].as_str().unwrap()];
                assert!(authored.contains(&name), "{rel}: no entry by {name}");
            }
            // The page links to its feed.
            let page = Html::parse_document(&site.read(&format!("{kind}/{id}/index.html")));
            let sel = Selector::parse("link[rel=alternate][type='application/atom+xml']").unwrap();
            let hrefs: Vec<&str> = page
                .select(&sel)
                .filter_map(|l| l.value().attr("href"))
                .collect();
            let own = format!("../../{rel}");
            assert!(hrefs.contains(&own.as_str()), "{rel}: links {hrefs:?}");
            checked += 1;
        }
    }
    assert!(checked >= 16, "checked {checked} feeds");
    // Biden's feed: every stance entry is his, with his page as the author's URI.
    let biden = site.feed("actors/joe-biden/atom.xml");
    let stances: Vec<_> = biden
        .entries()
        .iter()
        .filter(|e| !e.authors().is_empty())
        .collect();
    assert!(stances.len() >= 2, "{}", stances.len());
    for e in stances {
        assert!(
            e.title().as_str().starts_with("Joe Biden on "),
            "{}",
            e.title().as_str()
        );
        assert_eq!(
            e.authors()[0].uri(),
            Some(&*format!("{BASE}actors/joe-biden/"))
        );
    }
}

#[test]
fn the_site_feed_keeps_the_newest_feed_limit_entries_and_dated_pages() {
    let site = Example::new();
    site.build();
    let full = site.feed("atom.xml");
    assert_well_formed("atom.xml", &full);
    assert!(full.entries().len() > 4, "{}", full.entries().len());
    assert!(
        full.entries()
            .iter()
            .any(|e| e.authors().first().is_some_and(|a| a.name() == "Joe Biden")),
        "stances carry their actor"
    );

    // A dated plain page, newer than everything, and a limit of 3.
    let yaml = std::fs::read_to_string(site.dir.path().join("site.yaml")).unwrap();
    site.write("site.yaml", &format!("{yaml}feed_limit: 3\n"));
    site.write(
        "content/notes.md",
        "---\ntitle: Editor's note\ndate: 2030-01-02\nsummary: What changed & why.\n---\n\nThe body.\n",
    );
    site.build();
    let cut = site.feed("atom.xml");
    assert_well_formed("atom.xml", &cut);
    let ids = entry_ids(&cut);
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert_eq!(ids[0], format!("{BASE}notes/"));
    assert_eq!(ids[1..], entry_ids(&full)[..2], "the newest of the rest");
    let note = &cut.entries()[0];
    assert_eq!(note.title().as_str(), "Editor's note");
    assert_eq!(
        note.content().and_then(|c| c.value()),
        Some("<p>What changed &amp; why.</p>")
    );
    assert_eq!(cut.updated().to_rfc3339(), "2030-01-02T00:00:00+00:00");
    // The per-entity feeds are not cut.
    let q = site.feed("questions/strikes-inside-russia/atom.xml");
    assert!(q.entries().len() > 3, "{}", q.entries().len());
}
