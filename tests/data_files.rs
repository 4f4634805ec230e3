//! Data files (DESIGN.md section 9): rows of `data/actors.csv`, `data/stances.csv`
//! and `data/events.csv` are checked like front matter, every error at its
//! `data/<file>.csv:ROW:COLUMN`. The cases run through `common/error_cases.rs`.

#[path = "common/error_cases.rs"]
mod error_cases;

use std::path::Path;

use error_cases::*;
use standpoint::pipeline::{self, BuildOptions};
use standpoint::SiteFiles;

/// `tests/fixtures/data-site`: the base site with actors, stances and an event
/// from `data/` (the stances saved as Excel does: a BOM, CRLF, a quoted line break).
fn build_data_site() -> SiteFiles {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/data-site");
    let outcome = pipeline::run(&BuildOptions {
        root,
        ..BuildOptions::default()
    });
    assert_eq!(outcome.errors(), 0, "{:?}", outcome.diagnostics);
    outcome.files.expect("the site builds")
}

fn page(files: &SiteFiles, path: &str) -> scraper::Html {
    let bytes = files.get(path).unwrap_or_else(|| panic!("no {path}"));
    scraper::Html::parse_document(&String::from_utf8_lossy(bytes))
}

fn texts(doc: &scraper::Html, css: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(css).unwrap();
    doc.select(&selector)
        .map(|e| e.text().collect::<String>())
        .collect()
}

#[test]
fn rows_become_pages_beside_the_markdown_files() {
    let files = build_data_site();
    let jens = page(&files, "actors/jens-stoltenberg/index.html");
    assert_eq!(texts(&jens, "h1"), ["Jens Stoltenberg"]);
    let body = texts(&jens, "main").concat();
    assert!(body.contains("Urged allies to lift limits."), "{body}");
    assert!(body.contains("whether \"some\" limits remain"), "{body}");
    assert!(body.contains("The Economist"), "{body}");
    // A row of stances.csv for an actor of a Markdown file shows on its page.
    let biden = page(&files, "actors/joe-biden/index.html");
    let body = texts(&biden, "main").concat();
    assert!(body.contains("Widened the permission."), "{body}");
    assert!(
        body.contains("The president of the United States."),
        "{body}"
    );
    let event = page(&files, "events/g7-summit/index.html");
    assert_eq!(texts(&event, "h1"), ["G7 summit in Apulia"]);
    let links = scraper::Selector::parse("main a[href]").unwrap();
    let hrefs: Vec<&str> = event
        .select(&links)
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(
        hrefs
            .iter()
            .any(|h| h.ends_with("/actors/jens-stoltenberg/")),
        "{hrefs:?}"
    );
}

#[test]
fn rows_are_in_data_json_as_markdown_files_are() {
    let files = build_data_site();
    let data: serde_json::Value = serde_json::from_slice(files.get("data.json").unwrap()).unwrap();
    let actors = data["actors"].as_array().unwrap();
    let jens = actors
        .iter()
        .find(|a| a["id"] == "jens-stoltenberg")
        .expect("the actor of actors.csv");
    assert_eq!(jens["kind"], "person");
    assert_eq!(jens["affiliations"], serde_json::json!(["nato"]));
    assert_eq!(jens["aliases"], serde_json::json!(["Stoltenberg"]));
    assert_eq!(jens["summary"], "Head of NATO, 2014-2024");
    let stances = data["stances"].as_array().unwrap();
    let biden: Vec<&serde_json::Value> = stances
        .iter()
        .filter(|s| s["actor"] == "joe-biden")
        .collect();
    assert_eq!(biden.len(), 3, "two from Markdown, one from stances.csv");
    let latest = biden.iter().find(|s| s["date"] == "2024-06-15").unwrap();
    assert_eq!(latest["position"], "support");
    assert_eq!(latest["current"], true);
    assert_eq!(latest["sources"][0]["url"], "https://example.org/later");
    let economist = stances
        .iter()
        .find(|s| s["actor"] == "jens-stoltenberg")
        .unwrap();
    assert_eq!(
        economist["sources"][0]["archive_url"],
        "https://web.archive.org/web/2024/https://example.org/economist"
    );
    let events = data["events"].as_array().unwrap();
    let g7 = events.iter().find(|e| e["id"] == "g7-summit").unwrap();
    assert_eq!(g7["end_date"], "2024-06-15");
    assert_eq!(
        g7["actors"],
        serde_json::json!(["joe-biden", "jens-stoltenberg"])
    );
}

cases! {
    // The header.
    data_unknown_column => Case {
        fixture: "data-unknown-column",
        message: "unknown column `postion`",
        place: Some("data/stances.csv:1:16"),
        help: Some("did you mean `position`?"),
        // The required `position` is missing too.
        errors: 2,
        ..CASE
    };
    data_missing_column => Case {
        fixture: "data-missing-column",
        message: "missing required column `date`",
        place: Some("data/stances.csv:1:1"),
        help: Some("add a `date` column"),
        ..CASE
    };
    data_column_given_twice => Case {
        fixture: "data-column-twice",
        message: "the column `date` is given twice",
        place: Some("data/stances.csv:1:30"),
        help: Some("remove one of the two columns"),
        ..CASE
    };
    data_unknown_file => Case {
        fixture: "data-unknown-file",
        message: "unknown data file `data/stance.csv`",
        help: Some("did you mean `stances.csv`?"),
        place: Some("data/stance.csv"),
        ..CASE
    };
    // The cells, while loading.
    data_empty_required_cell => Case {
        fixture: "data-empty-cell",
        message: "missing required value `position`",
        place: Some("data/stances.csv:2:33"),
        help: Some("fill in `position` in this row"),
        ..CASE
    };
    data_invalid_id => Case {
        fixture: "data-invalid-id",
        message: "`Jens Stoltenberg` is not a valid id",
        place: Some("data/actors.csv:2:1"),
        help: Some("write `jens-stoltenberg`"),
        ..CASE
    };
    data_invalid_date => Case {
        fixture: "data-invalid-date",
        message: "invalid date `2024-06-31`: June 2024 has days 01 to 30",
        place: Some("data/events.csv:2:21"),
        ..CASE
    };
    data_unknown_kind => Case {
        fixture: "data-unknown-kind",
        message: "unknown kind `persn`",
        place: Some("data/actors.csv:2:35"),
        help: Some("did you mean `person`?"),
        ..CASE
    };
    data_source_url_that_runs_code => Case {
        fixture: "data-source-url-javascript",
        message: "a `javascript:` URL is never written as a link",
        place: Some("data/stances.csv:2:64"),
        ..CASE
    };
    data_source_without_title => Case {
        fixture: "data-source-without-title",
        message: "a source without a title",
        place: Some("data/stances.csv:2:55"),
        help: Some("fill in `source_title` in this row"),
        ..CASE
    };
    data_unknown_actor_of_a_stance => Case {
        fixture: "data-unknown-actor",
        message: "unknown actor `joe-bidn`",
        place: Some("data/stances.csv:2:1"),
        help: Some("did you mean `joe-biden`?"),
        ..CASE
    };
    // The file.
    data_wrong_number_of_cells => Case {
        fixture: "data-cell-count",
        message: "this row has 12 cells, the header has 11",
        place: Some("data/stances.csv:2:105"),
        help: Some("a cell holding `,` must be quoted: `\"Paris, France\"`"),
        ..CASE
    };
    data_not_utf8 => Case {
        fixture: "data-not-utf8",
        message: "the file is not valid UTF-8",
        place: Some("data/stances.csv:2:55"),
        ..CASE
    };
    data_quote_never_closed => Case {
        fixture: "data-quote-not-closed",
        message: "a quoted cell is never closed",
        place: Some("data/stances.csv:2:52"),
        ..CASE
    };
    // A file that cannot be read as meant: its rows' ids are not reported as unknown.
    data_actors_not_utf8_are_not_unknown_elsewhere => Case {
        fixture: "data-actors-not-utf8",
        message: "the file is not valid UTF-8",
        place: Some("data/actors.csv:2:35"),
        ..CASE
    };
    data_actors_quote_never_closed_are_not_unknown_elsewhere => Case {
        fixture: "data-actors-quote-not-closed",
        message: "a quoted cell is never closed",
        place: Some("data/actors.csv:2:18"),
        ..CASE
    };
    // References, checked after loading, still at their cells.
    data_unknown_question => Case {
        fixture: "data-unknown-question",
        message: "unknown question `strikes-inside-rusia`",
        place: Some("data/stances.csv:2:11"),
        help: Some("did you mean `strikes-inside-russia`?"),
        ..CASE
    };
    data_unknown_position_for_a_markdown_actor => Case {
        fixture: "data-unknown-position",
        message: "`suport` is not a position of the question `strikes-inside-russia`",
        place: Some("data/stances.csv:2:33"),
        help: Some("did you mean `support`?"),
        ..CASE
    };
    data_unknown_affiliation => Case {
        fixture: "data-unknown-affiliation",
        message: "unknown affiliation `natto`",
        place: Some("data/actors.csv:2:49"),
        help: Some("did you mean `nato`?"),
        ..CASE
    };
    data_event_unknown_actor => Case {
        fixture: "data-event-unknown-actor",
        message: "unknown actor `jens-stoltenbrg`",
        place: Some("data/events.csv:2:60"),
        ..CASE
    };
    data_event_unknown_question => Case {
        fixture: "data-event-unknown-question",
        message: "unknown question `strikes-inside-rusia`",
        place: Some("data/events.csv:2:50"),
        help: Some("did you mean `strikes-inside-russia`?"),
        ..CASE
    };
    data_summary_wiki_link_to_nothing => Case {
        fixture: "data-summary-wiki-link",
        message: "unknown id `natto` in wiki-link",
        place: Some("data/stances.csv:2:58"),
        help: Some("did you mean `nato`?"),
        ..CASE
    };
    data_summary_site_path_points_at_its_cell => Case {
        fixture: "data-summary-site-path",
        message: "no page or file at `/maps/nope/`",
        place: Some("data/stances.csv:2:56"),
        ..CASE
    };
    data_summary_fragment_points_at_its_cell => Case {
        fixture: "data-summary-fragment",
        message: "no id `nope` on the page `/actors/joe-biden/`",
        place: Some("data/stances.csv:2:56"),
        ..CASE
    };
    data_duplicate_id_names_both_rows => Case {
        fixture: "data-duplicate-id-rows",
        message: "duplicate id `g7`: `data/actors.csv:2` and `data/actors.csv:3`",
        place: Some("data/actors.csv:3:1"),
        ..CASE
    };
    data_duplicate_id_names_row_and_file => Case {
        fixture: "data-duplicate-id",
        message: "duplicate id `nato`: `content/actors/nato.md` and `data/actors.csv:2`",
        place: Some("data/actors.csv:2:1"),
        ..CASE
    };
}

/// The round trip of DESIGN.md section 9: the example site's CSV exports, read back
/// as the data files of a site that keeps only its questions in Markdown, build the
/// same data.json and the same exports.
#[test]
fn exports_read_back_as_data_files_build_the_same_data() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first");
    let built = run([
        "--root".as_ref(),
        repo.as_os_str(),
        "build".as_ref(),
        "--output".as_ref(),
        first.as_os_str(),
    ]);
    assert_eq!(built.code, Some(0), "{}", built.stderr);

    let site = dir.path().join("again");
    copy_dir(
        &repo.join("content/questions"),
        &site.join("content/questions"),
    );
    std::fs::copy(repo.join("site.yaml"), site.join("site.yaml")).unwrap();
    std::fs::create_dir_all(site.join("data")).unwrap();
    for file in ["actors.csv", "stances.csv", "events.csv"] {
        std::fs::copy(first.join("data").join(file), site.join("data").join(file)).unwrap();
    }
    let second = dir.path().join("second");
    let again = run([
        "--root".as_ref(),
        site.as_os_str(),
        "build".as_ref(),
        "--output".as_ref(),
        second.as_os_str(),
    ]);
    assert_eq!(again.code, Some(0), "{}", again.stderr);

    let read = |root: &Path, file: &str| std::fs::read_to_string(root.join(file)).unwrap();
    let data: serde_json::Value = serde_json::from_str(&read(&first, "data.json")).unwrap();
    assert!(data["stances"].as_array().unwrap().len() >= 10);
    for file in [
        "data.json",
        "data/actors.csv",
        "data/stances.csv",
        "data/events.csv",
        "data/popolo.json",
    ] {
        assert_eq!(read(&first, file), read(&second, file), "{file} differs");
    }
}
