//! The default theme in the site's `language`: its words come from
//! `themes/default/i18n/<lang>.yaml` (a site's `i18n/<lang>.yaml` over them, English
//! for what neither has), dates are written with that language's month names and
//! order, `<html>` carries `lang` and, for languages written right to left,
//! `dir="rtl"`; an English site is unchanged.

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
    build_with(language, dir, &[]).0
}

/// Builds the `basic` fixture with `language:` set and `files` (path, text) added;
/// its output and what the build printed on stderr.
fn build_with(language: Option<&str>, dir: &Path, files: &[(&str, &str)]) -> (PathBuf, String) {
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
    for (path, text) in files {
        let file = root.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
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
    (out, String::from_utf8_lossy(&output.stderr).into_owned())
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
    // No words in Arabic: English ones, said once; the layout mirrors with
    // logical properties, so the stylesheet has no physical sides left.
    let dir = tempfile::tempdir().unwrap();
    let (out, stderr) = build_with(Some("ar"), dir.path(), &[]);
    assert!(
        stderr.contains("warning: the theme has no words in `ar`: its pages show the English ones"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("no words in `ar`").count(), 1, "{stderr}");
    assert_eq!(
        texts(&page(&out, "index.html"), ".skip-link"),
        ["Skip to content"]
    );
    let css = std::fs::read_to_string(out.join("style.css")).unwrap();
    for physical in [
        "margin-left",
        "padding-left",
        "border-left",
        "text-align: left",
        " left:",
        "margin-right",
        "border-right",
    ] {
        assert!(!css.contains(physical), "style.css still has `{physical}`");
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

/// The default theme's words in `lang`, read from its words file.
fn theme_words(lang: &str) -> serde_yaml::Mapping {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("themes/default/i18n/{lang}.yaml"));
    serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The text of `key`, or its plural `form`.
fn word(words: &serde_yaml::Mapping, key: &str, form: Option<&str>) -> String {
    let value = &words[key];
    match form {
        Some(form) => value[form].as_str(),
        None => value.as_str(),
    }
    .unwrap_or_else(|| panic!("no word {key} {form:?}"))
    .to_string()
}

/// The CLDR plural category of a whole number `n` in the shipped languages.
fn plural(lang: &str, n: u64) -> &'static str {
    match lang {
        "uk" | "ru" if n % 10 == 1 && n % 100 != 11 => "one",
        "uk" | "ru" if (2..=4).contains(&(n % 10)) && !(12..=14).contains(&(n % 100)) => "few",
        "uk" | "ru" => "many",
        "fr" if n <= 1 => "one",
        _ if n == 1 => "one",
        _ => "other",
    }
}

#[test]
fn the_theme_speaks_each_shipped_language() {
    for lang in ["en", "fr", "de", "es", "uk", "ru"] {
        let dir = tempfile::tempdir().unwrap();
        let (out, stderr) = build_with(Some(lang), dir.path(), &[]);
        assert!(
            !stderr.contains("word"),
            "{lang}: warnings about words:\n{stderr}"
        );
        let w = theme_words(lang);
        let home = page(&out, "index.html");
        let nav = texts(&home, ".site-nav a");
        assert_eq!(
            nav[..3],
            [
                word(&w, "actors", None),
                word(&w, "questions", None),
                word(&w, "timeline", None)
            ],
            "{lang}"
        );
        assert_eq!(
            texts(&home, ".skip-link"),
            [word(&w, "skip_to_content", None)],
            "{lang}"
        );
        assert_eq!(
            texts(&home, "#matrix-h"),
            [word(&w, "who_stands_where", None)],
            "{lang}"
        );
        let footer = texts(&home, ".footer-links a");
        assert!(
            footer.contains(&word(&w, "open_data", None)),
            "{lang}: {footer:?}"
        );
        let search = home
            .select(&Selector::parse(".site-search").unwrap())
            .next()
            .unwrap();
        assert_eq!(
            search.value().attr("data-t-no-results"),
            Some(word(&w, "no_results", None).as_str())
        );
        // Titles the generator writes itself come from the same words.
        let actors = page(&out, "actors/index.html");
        assert_eq!(texts(&actors, "h1"), [word(&w, "actors", None)], "{lang}");
        let alice = page(&out, "actors/alice-archer/index.html");
        let name = texts(&alice, "h1").remove(0);
        let stands = word(&w, "where_actor_stands", None).replace("{name}", &name);
        assert_eq!(texts(&alice, "#stances-h"), [stands], "{lang}");
        // Counts take the language's plural form.
        let tolls = page(&out, "questions/tolls/index.html");
        let counts = tolls
            .select(&Selector::parse(".band-count").unwrap())
            .collect::<Vec<_>>();
        assert!(!counts.is_empty());
        for count in counts {
            let text: String = count.text().collect();
            let n: u64 = text.split_whitespace().next().unwrap().parse().unwrap();
            let hidden = texts(&Html::parse_fragment(&count.html()), ".visually-hidden");
            assert_eq!(
                hidden,
                [word(&w, "actors_word", Some(plural(lang, n)))],
                "{lang}: {n}"
            );
        }
        let missing = page(&out, "404.html");
        assert_eq!(
            texts(&missing, "h1"),
            [word(&w, "not_found", None)],
            "{lang}"
        );
    }
}

/// Every shipped language has every English word, with the plural forms it needs.
#[test]
fn every_shipped_language_has_every_word() {
    let en = theme_words("en");
    for lang in ["fr", "de", "es", "uk", "ru"] {
        let w = theme_words(lang);
        let forms: &[&str] = if matches!(lang, "uk" | "ru") {
            &["one", "few", "many"]
        } else {
            &["one", "other"]
        };
        for (key, value) in &en {
            let key = key.as_str().unwrap();
            assert!(w.contains_key(key), "{lang} has no `{key}`");
            if value.is_mapping() {
                for form in forms {
                    assert!(
                        w[key][*form].is_string(),
                        "{lang}: `{key}` has no `{form}` form"
                    );
                }
            }
        }
        assert_eq!(w.len(), en.len(), "{lang} has words English has not");
    }
}

#[test]
fn a_site_overrides_words_and_is_warned_of_unknown_keys() {
    let dir = tempfile::tempdir().unwrap();
    let (out, stderr) = build_with(
        Some("fr"),
        dir.path(),
        &[(
            "i18n/fr.yaml",
            "actors: \"Protagonistes\"\nquestoins: \"Sujets\"\n",
        )],
    );
    let home = page(&out, "index.html");
    assert_eq!(
        texts(&home, ".site-nav a")[..2],
        ["Protagonistes", "Questions"]
    );
    assert!(
        stderr.contains("warning: the theme has no word `questoins`: it is not used"),
        "{stderr}"
    );
    assert!(stderr.contains("--> i18n/fr.yaml:2:1"), "{stderr}");
    assert!(stderr.contains("did you mean `questions`?"), "{stderr}");
}

#[test]
fn a_language_the_theme_lacks_falls_back_to_english_word_by_word() {
    // Every English word but `questions` and `timeline`, and `actors` translated.
    let en = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/i18n/en.yaml"),
    )
    .unwrap();
    let italian: String = en
        .lines()
        .filter(|l| !l.starts_with("questions:") && !l.starts_with("timeline:"))
        .map(|l| {
            if l.starts_with("actors:") {
                "actors: \"Attori\""
            } else {
                l
            }
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let (out, stderr) = build_with(
        Some("it"),
        dir.path(),
        &[("i18n/it.yaml", italian.as_str())],
    );
    let home = page(&out, "index.html");
    assert_eq!(
        texts(&home, ".site-nav a")[..3],
        ["Attori", "Questions", "Timeline"]
    );
    assert!(
        stderr.contains("warning: no `it` word for `questions`: the English one is shown"),
        "{stderr}"
    );
    assert!(stderr.contains("i18n/it.yaml"), "{stderr}");
    assert_eq!(
        stderr.matches("warning: no `it` word").count(),
        2,
        "{stderr}"
    );
    assert!(
        stderr.contains("add `questions: \"...\"` (English: \"Questions\")"),
        "{stderr}"
    );
}
