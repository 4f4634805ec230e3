//! The default theme in the site's `language`: dates are written with that
//! language's month names and order, `<html>` carries `lang` and, for languages
//! written right to left, `dir="rtl"`; an English site is unchanged.

#[path = "common/error_cases.rs"]
mod common;
#[path = "common/nu.rs"]
mod nu;

use std::path::{Path, PathBuf};
use std::process::Command;

use scraper::{Html, Selector};

use common::{copy_dir, BIN};

/// Builds the `basic` fixture with `language:` set (none when `None`); its output.
fn build(language: Option<&str>, dir: &Path) -> PathBuf {
    let root = dir.join("site");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sites/basic"),
        &root,
    );
    if let Some(language) = language {
        let yaml = root.join("site.yaml");
        let text = std::fs::read_to_string(&yaml).unwrap();
        std::fs::write(&yaml, format!("{text}language: {language}\n")).unwrap();
    }
    let out = dir.join("public");
    let output = Command::new(BIN)
        .arg("--root")
        .arg(&root)
        .args(["build", "--output"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "building with language {language:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    out
}

fn page(out: &Path, path: &str) -> Html {
    Html::parse_document(&std::fs::read_to_string(out.join(path)).unwrap())
}

/// The texts of the elements matching `css`.
fn texts(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&Selector::parse(css).unwrap())
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

/// The `<time>` of `datetime` on Alice's page, and the timeline's month heading.
fn dates(out: &Path, datetime: &str) -> (Vec<String>, Vec<String>) {
    let actor = page(out, "actors/alice-archer/index.html");
    let timeline = page(out, "timeline/index.html");
    (
        texts(&actor, &format!("time[datetime=\"{datetime}\"]")),
        texts(&timeline, "h2#m-2024-05"),
    )
}

#[test]
fn dates_are_written_in_each_shipped_language() {
    let cases = [
        ("en", "30 May 2024", "May 2024"),
        ("fr", "30 mai 2024", "mai 2024"),
        ("de", "30. Mai 2024", "Mai 2024"),
        ("es", "30 de mayo de 2024", "mayo de 2024"),
        ("uk", "30 травня 2024", "травень 2024"),
        ("ru", "30 мая 2024", "май 2024"),
    ];
    for (language, day, month) in cases {
        let dir = tempfile::tempdir().unwrap();
        let out = build(Some(language), dir.path());
        let (days, months) = dates(&out, "2024-05-30");
        assert!(
            days.iter().any(|d| d == day),
            "{language}: no `{day}` among {days:?}"
        );
        assert_eq!(months, [month], "{language}: the timeline's month heading");
        let home = page(&out, "index.html");
        let html = home.root_element();
        assert_eq!(html.value().attr("lang"), Some(language));
        assert_eq!(
            html.value().attr("dir"),
            None,
            "{language} is left to right"
        );
    }
}

#[test]
fn french_writes_the_first_of_the_month_as_1er() {
    let dir = tempfile::tempdir().unwrap();
    let out = build(Some("fr"), dir.path());
    let carol = page(&out, "actors/carol-chen/index.html");
    let days = texts(&carol, "time[datetime=\"2024-06-01\"]");
    assert!(days.iter().any(|d| d == "1er juin 2024"), "{days:?}");
}

#[test]
fn a_site_without_language_and_an_english_site_are_the_same_bytes() {
    let none = tempfile::tempdir().unwrap();
    let en = tempfile::tempdir().unwrap();
    let none_out = build(None, none.path());
    let a = common::snapshot(&none_out);
    let b = common::snapshot(&build(Some("en"), en.path()));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        let text = String::from_utf8_lossy(bytes);
        let en_text = String::from_utf8_lossy(&b[path]);
        // Only the `lang` attribute may differ: both default to `en`.
        assert_eq!(text, en_text, "{path} differs");
        assert!(!text.contains(" dir=\"rtl\""), "{path} is right to left");
    }
    let (days, months) = dates(&none_out, "2024-05-30");
    assert!(days.iter().any(|d| d == "30 May 2024"), "{days:?}");
    assert_eq!(months, ["May 2024"]);
}

#[test]
fn right_to_left_languages_set_dir_rtl_with_english_dates() {
    for language in ["ar", "he", "fa"] {
        let dir = tempfile::tempdir().unwrap();
        let out = build(Some(language), dir.path());
        for path in ["index.html", "actors/alice-archer/index.html", "404.html"] {
            let text = std::fs::read_to_string(out.join(path)).unwrap();
            assert!(
                text.contains(&format!("<html lang=\"{language}\" dir=\"rtl\">")),
                "{language}: {path} has no dir=\"rtl\""
            );
        }
        let (days, _) = dates(&out, "2024-05-30");
        assert!(
            days.iter().any(|d| d == "30 May 2024"),
            "{language}: {days:?}"
        );
    }
}

#[test]
fn a_french_build_passes_the_nu_html_checker() {
    let dir = tempfile::tempdir().unwrap();
    let out = build(Some("fr"), dir.path());
    let errors = nu::nu_errors(&out, std::slice::from_ref(&out));
    assert!(
        errors.is_empty(),
        "the Nu HTML Checker found errors:\n{errors}"
    );
}
