//! The reader tools' pages (DESIGN.md section 10): snapshots `/as-of/<date>/`, the
//! full matrix `/matrix/` and `/compare/`, parsed from a real build.
//!
//! The snapshot pages are checked against an oracle over seeded random stance
//! histories (full and partial dates): on each snapshot day, an actor's stance on a
//! question is the latest of theirs whose date's period has ended by then.

#[path = "common/error_cases.rs"]
mod error_cases;

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use scraper::{ElementRef, Html, Selector};

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text(e: ElementRef) -> String {
    e.text().collect::<String>().trim().to_string()
}

fn build(root: &Path) -> PathBuf {
    let run = error_cases::run([OsStr::new("--root"), root.as_os_str(), OsStr::new("build")]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    root.join("public")
}

fn page(out: &Path, site_path: &str) -> Html {
    let file = out
        .join(site_path.trim_start_matches('/'))
        .join("index.html");
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    Html::parse_document(&text)
}

const POSITIONS: [(&str, &str); 3] = [
    ("support", "In favour"),
    ("limited", "Only in part"),
    ("oppose", "Against"),
];

/// A date as authors write it, with the last day of its period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Written {
    /// (year, month or 0, day or 0): the site's order of dates.
    key: (u16, u8, u8),
}

impl Written {
    fn shown(&self) -> String {
        match self.key {
            (y, 0, _) => format!("{y}"),
            (y, m, 0) => format!("{y}-{m:02}"),
            (y, m, d) => format!("{y}-{m:02}-{d:02}"),
        }
    }

    fn last_day(&self) -> (u16, u8, u8) {
        let (y, m, d) = self.key;
        let m = if m == 0 { 12 } else { m };
        let days = match m {
            2 if y % 4 == 0 => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        (y, m, if d == 0 { days } else { d })
    }
}

/// A small deterministic generator (xorshift), so a failing seed can be rerun.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn date(&mut self) -> Written {
        let year = 2023 + self.below(2) as u16;
        let key = match self.below(6) {
            0 => (year, 0, 0),
            1 | 2 => (year, 1 + self.below(12) as u8, 0),
            _ => (year, 1 + self.below(12) as u8, 1 + self.below(28) as u8),
        };
        Written { key }
    }
}

/// One generated site: for each actor, its stances on the one question, in the
/// site's order (by date), with distinct dates.
struct Histories {
    actors: Vec<Vec<(Written, usize)>>,
    snapshots: Vec<Written>,
}

fn generate(seed: u64) -> Histories {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let actors = (0..6)
        .map(|_| {
            let mut stances: BTreeMap<Written, usize> = BTreeMap::new();
            for _ in 0..1 + rng.below(3) {
                stances.insert(rng.date(), rng.below(3) as usize);
            }
            stances.into_iter().collect()
        })
        .collect();
    let mut snapshots: Vec<Written> = (0..3).map(|_| rng.date()).collect();
    snapshots.sort();
    snapshots.dedup();
    Histories { actors, snapshots }
}

fn write_site(root: &Path, h: &Histories) {
    let content = root.join("content");
    std::fs::create_dir_all(content.join("actors")).unwrap();
    std::fs::create_dir_all(content.join("questions")).unwrap();
    let snapshots: Vec<String> = h.snapshots.iter().map(Written::shown).collect();
    std::fs::write(
        root.join("site.yaml"),
        format!(
            "title: Time travel\nbase_url: https://example.org/\nsnapshots: [{}]\n",
            snapshots.join(", ")
        ),
    )
    .unwrap();
    let positions: Vec<String> = POSITIONS
        .iter()
        .map(|(id, label)| format!("  - {{id: {id}, label: \"{label}\"}}\n"))
        .collect();
    std::fs::write(
        content.join("questions/tolls.md"),
        format!(
            "---\ntitle: Tolls\nquestion: Should the bridge have a toll?\npositions:\n{}---\n",
            positions.concat()
        ),
    )
    .unwrap();
    for (i, stances) in h.actors.iter().enumerate() {
        let list: String = stances
            .iter()
            .map(|(d, p)| {
                format!(
                    "  - question: tolls\n    position: {}\n    date: {}\n    source: {{title: \"Minutes\"}}\n",
                    POSITIONS[*p].0,
                    d.shown()
                )
            })
            .collect();
        std::fs::write(
            content.join(format!("actors/actor-{i}.md")),
            format!(
                "---\nname: Actor {i}\nkind: {}\nstances:\n{list}---\n",
                if i % 2 == 0 { "person" } else { "state" }
            ),
        )
        .unwrap();
    }
}

/// The oracle: the position of the latest stance whose period has ended by `day`.
fn expected_on(stances: &[(Written, usize)], day: (u16, u8, u8)) -> Option<usize> {
    stances
        .iter()
        .filter(|(d, _)| d.last_day() <= day)
        .max_by_key(|(d, _)| *d)
        .map(|(_, p)| *p)
}

/// The position each actor holds on a snapshot page, read from its matrix and
/// from its spectrum; the two must agree.
fn shown_on(doc: &Html) -> BTreeMap<String, usize> {
    let mut matrix = BTreeMap::new();
    for row in doc.select(&sel(".matrix tbody tr")) {
        let actor = text(row.select(&sel("th")).next().unwrap());
        let cell = row.select(&sel("td")).next().unwrap();
        if let Some(label) = cell.select(&sel(".label")).next() {
            let label = text(label);
            let p = POSITIONS.iter().position(|(_, l)| *l == label).unwrap();
            matrix.insert(actor, p);
        }
    }
    let mut spectrum = BTreeMap::new();
    for (p, band) in doc.select(&sel("#q-tolls .band")).enumerate() {
        for h in band.select(&sel(".band-actors h4")) {
            spectrum.insert(text(h), p);
        }
    }
    assert_eq!(matrix, spectrum, "the matrix and the spectrum disagree");
    matrix
}

#[test]
fn snapshots_show_the_stance_in_force_on_their_day_over_random_histories() {
    let seeds: u64 = std::env::var("STANDPOINT_SNAPSHOT_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(12);
    for seed in 0..seeds {
        let h = generate(seed);
        let dir = tempfile::tempdir().unwrap();
        write_site(dir.path(), &h);
        let out = build(dir.path());
        for snap in &h.snapshots {
            let doc = page(&out, &format!("/as-of/{}/", snap.shown()));
            let want: BTreeMap<String, usize> = h
                .actors
                .iter()
                .enumerate()
                .filter_map(|(i, st)| {
                    expected_on(st, snap.last_day()).map(|p| (format!("Actor {i}"), p))
                })
                .collect();
            assert_eq!(
                shown_on(&doc),
                want,
                "seed {seed}, snapshot {}",
                snap.shown()
            );
        }
    }
}

/// The site of `generate`'s shape with one actor who changed position.
fn changed_mind() -> (tempfile::TempDir, PathBuf) {
    let h = Histories {
        actors: vec![
            vec![
                (Written { key: (2024, 3, 1) }, 2),
                (Written { key: (2024, 6, 15) }, 0),
            ],
            vec![(Written { key: (2024, 5, 0) }, 1)],
        ],
        snapshots: vec![
            Written { key: (2024, 4, 1) },
            Written { key: (2024, 5, 0) },
            Written { key: (2024, 6, 30) },
        ],
    };
    let dir = tempfile::tempdir().unwrap();
    write_site(dir.path(), &h);
    let out = build(dir.path());
    (dir, out)
}

#[test]
fn an_actor_who_changed_position_shows_the_old_one_before_and_the_new_one_after() {
    let (_dir, out) = changed_mind();
    let on = |date: &str| shown_on(&page(&out, &format!("/as-of/{date}/")));
    // Before the change; the partial date 2024-05 counts from 31 May.
    assert_eq!(on("2024-04-01"), BTreeMap::from([("Actor 0".into(), 2)]));
    assert_eq!(
        on("2024-05"),
        BTreeMap::from([("Actor 0".into(), 2), ("Actor 1".into(), 1)])
    );
    assert_eq!(
        on("2024-06-30"),
        BTreeMap::from([("Actor 0".into(), 0), ("Actor 1".into(), 1)])
    );
    // Every snapshot links every other, and the latest state.
    let doc = page(&out, "/as-of/2024-05/");
    let links: Vec<(String, bool)> = doc
        .select(&sel("nav.jump a"))
        .map(|a| {
            let here = a.value().attr("aria-current") == Some("page");
            (a.value().attr("href").unwrap().to_string(), here)
        })
        .collect();
    assert_eq!(
        links,
        [
            ("../../as-of/2024-04-01/".to_string(), false),
            ("../../as-of/2024-05/".into(), true),
            ("../../as-of/2024-06-30/".into(), false),
            ("../../matrix/".into(), false)
        ]
    );
    let title = text(doc.select(&sel("h1")).next().unwrap());
    assert_eq!(title, "As of May 2024");
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    for path in ["as-of/2024-04-01/", "as-of/2024-05/", "matrix/", "compare/"] {
        assert!(
            sitemap.contains(&format!("<loc>https://example.org/{path}</loc>")),
            "{path}"
        );
    }
}

#[test]
fn question_pages_hold_every_version_for_the_date_control_and_link_the_snapshots() {
    let (_dir, out) = changed_mind();
    let doc = page(&out, "/questions/tolls/");
    // The control's days: when each stance came into force, oldest first.
    let days: Vec<String> = doc
        .select(&sel("[data-asof] .asof-days li"))
        .map(|li| li.value().attr("data-day").unwrap().to_string())
        .collect();
    assert_eq!(days, ["2024-03-01", "2024-05-31", "2024-06-15"]);
    let range = doc
        .select(&sel("[data-asof] input[type=range]"))
        .next()
        .unwrap();
    assert_eq!(range.value().attr("max"), Some("2"));
    assert_eq!(range.value().attr("value"), Some("2"));
    // Actor 0's old stance is in the "Against" band, hidden, with its days.
    let bands: Vec<ElementRef> = doc.select(&sel(".spectrum .band")).collect();
    let old = bands[2]
        .select(&sel("li[data-from]"))
        .next()
        .expect("the earlier stance");
    assert_eq!(old.value().attr("data-from"), Some("2024-03-01"));
    assert_eq!(old.value().attr("data-until"), Some("2024-06-15"));
    assert!(old.value().attr("hidden").is_some());
    let now = bands[0].select(&sel("li[data-from]")).next().unwrap();
    assert_eq!(now.value().attr("data-from"), Some("2024-06-15"));
    assert!(now.value().attr("hidden").is_none() && now.value().attr("data-until").is_none());
    // The band without a current actor says so; the others hide the note.
    let empty: Vec<bool> = bands
        .iter()
        .map(|b| {
            let li = b.select(&sel("[data-asof-empty]")).next().unwrap();
            li.value().attr("hidden").is_none()
        })
        .collect();
    assert_eq!(empty, [false, false, true]);
    let snaps: Vec<&str> = doc
        .select(&sel(".snapshots a"))
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert_eq!(
        snaps,
        [
            "../../as-of/2024-04-01/#q-tolls",
            "../../as-of/2024-05/#q-tolls",
            "../../as-of/2024-06-30/#q-tolls"
        ]
    );
    // Every fragment names a section of the snapshot.
    let snapshot = page(&out, "/as-of/2024-05/");
    assert!(snapshot.select(&sel("section#q-tolls")).next().is_some());
}

#[test]
fn the_matrix_page_has_every_actor_a_kind_filter_and_every_version() {
    let (_dir, out) = changed_mind();
    let doc = page(&out, "/matrix/");
    let table = doc.select(&sel("table#matrix-table")).next().unwrap();
    let heads: Vec<String> = table.select(&sel("thead th")).map(text).collect();
    assert_eq!(heads, ["Actor", "Tolls"]);
    let rows: Vec<(String, String)> = table
        .select(&sel("tbody tr"))
        .map(|tr| {
            let kind = tr.value().attr("data-kind").unwrap().to_string();
            (text(tr.select(&sel("th[scope=row]")).next().unwrap()), kind)
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("Actor 0".to_string(), "person".to_string()),
            ("Actor 1".into(), "state".into())
        ]
    );
    let options: Vec<(String, String)> = doc
        .select(&sel("#matrix-kind option"))
        .map(|o| (o.value().attr("value").unwrap().to_string(), text(o)))
        .collect();
    assert_eq!(
        options,
        [
            ("".to_string(), "All actors".to_string()),
            ("person".into(), "People".into()),
            ("state".into(), "States".into())
        ]
    );
    // Actor 0's cell: both versions, the current one shown, coloured as its position.
    let cell = table.select(&sel("tbody tr td[data-cell]")).next().unwrap();
    let versions: Vec<(String, bool)> = cell
        .select(&sel("a[data-from]"))
        .map(|a| {
            (
                text(a.select(&sel(".label")).next().unwrap()),
                a.value().attr("hidden").is_some(),
            )
        })
        .collect();
    assert_eq!(
        versions,
        [
            ("Against".to_string(), true),
            ("In favour".to_string(), false)
        ]
    );
    assert!(cell.value().attr("class").unwrap().contains("pos-0-of-3"));
}

#[test]
fn the_compare_page_offers_every_actor_and_says_what_it_needs_without_javascript() {
    let (_dir, out) = changed_mind();
    let doc = page(&out, "/compare/");
    let note = doc.select(&sel("[data-compare-nojs]")).next().unwrap();
    assert!(text(note).contains("needs JavaScript"));
    let link = note.select(&sel("a")).next().unwrap();
    assert_eq!(link.value().attr("href"), Some("../matrix/"));
    let form = doc.select(&sel("form[data-compare-form]")).next().unwrap();
    assert!(
        form.value().attr("hidden").is_some(),
        "the form waits for the script"
    );
    let names: Vec<&str> = doc
        .select(&sel("form select"))
        .map(|s| s.value().attr("name").unwrap())
        .collect();
    assert_eq!(names, ["a", "b", "c", "d"]);
    let offered: Vec<String> = doc
        .select(&sel("#compare-a option"))
        .skip(1)
        .map(|o| o.value().attr("value").unwrap().to_string())
        .collect();
    assert_eq!(offered, ["actor-0", "actor-1"]);
    // Each select has its label.
    for s in doc.select(&sel("form select")) {
        let id = s.value().attr("id").unwrap();
        assert!(doc
            .select(&sel(&format!("label[for={id}]")))
            .next()
            .is_some());
    }
}

/// A site of 14 questions: question `q<i>` has `i + 1` actors with a stance on it,
/// so the twelve most held are `q2` to `q13`.
fn wide_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(content.join("actors")).unwrap();
    std::fs::create_dir_all(content.join("questions")).unwrap();
    std::fs::write(
        dir.path().join("site.yaml"),
        "title: Wide\nbase_url: https://example.org/\nsnapshots: [2024-12-31]\n",
    )
    .unwrap();
    for q in 0..14 {
        std::fs::write(
            content.join(format!("questions/q{q:02}.md")),
            format!("---\ntitle: Question {q:02}\nquestion: Q{q}?\npositions:\n  - {{id: yes, label: \"Yes\"}}\n  - {{id: no, label: \"No\"}}\n---\n"),
        )
        .unwrap();
    }
    for a in 0..14 {
        let stances: String = (a..14)
            .map(|q| {
                format!("  - question: q{q:02}\n    position: yes\n    date: 2024-01-01\n    source: {{title: \"Minutes\"}}\n")
            })
            .collect();
        std::fs::write(
            content.join(format!("actors/a{a:02}.md")),
            format!("---\nname: Actor {a:02}\nkind: person\nstances:\n{stances}---\n"),
        )
        .unwrap();
    }
    let out = build(dir.path());
    (dir, out)
}

fn column_heads(doc: &Html, table: &str) -> Vec<String> {
    doc.select(&sel(&format!("{table} thead th")))
        .skip(1)
        .map(text)
        .collect()
}

#[test]
fn wide_matrices_stay_readable_the_full_matrix_keeps_every_question() {
    let (_dir, out) = wide_site();
    let most_held: Vec<String> = (2..14).map(|q| format!("Question {q:02}")).collect();
    let full = page(&out, "/matrix/");
    assert_eq!(column_heads(&full, "#matrix-table").len(), 14);
    // A cell no stance ever filled is an empty cell, nothing more (size at scale).
    let empty: Vec<ElementRef> = full.select(&sel("#matrix-table td.empty")).collect();
    assert_eq!(empty.len(), (0..14usize).sum::<usize>());
    assert!(empty.iter().all(|td| td.children().next().is_none()));
    let snapshot = page(&out, "/as-of/2024-12-31/");
    assert_eq!(column_heads(&snapshot, ".matrix"), most_held);
    let hint = text(snapshot.select(&sel(".scroll-hint")).next().unwrap());
    assert!(
        hint.contains("the 12 questions") && hint.contains("of 14"),
        "{hint}"
    );
    assert_eq!(snapshot.select(&sel("section[id^=q-]")).count(), 14);
    let embed = page(&out, "/embed/matrix/");
    assert_eq!(column_heads(&embed, ".matrix"), most_held);
}
