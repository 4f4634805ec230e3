//! `build --minify`: smaller pages with the same content, or a clear refusal when the
//! binary was built without the `minify` feature.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_standpoint");

fn build(out: &std::path::Path, extra: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(["--root", env!("CARGO_MANIFEST_DIR"), "build", "--output"])
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

#[cfg(feature = "minify")]
#[test]
fn minified_pages_are_smaller_and_keep_their_text_and_links() {
    use scraper::{Html, Selector};
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain");
    let small = dir.path().join("small");
    assert!(build(&plain, &[]).status.success());
    let out = build(&small, &["--minify"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let links = Selector::parse("a[href]").unwrap();
    for page in [
        "index.html",
        "actors/joe-biden/index.html",
        "questions/strikes-inside-russia/index.html",
    ] {
        let a = std::fs::read_to_string(plain.join(page)).unwrap();
        let b = std::fs::read_to_string(small.join(page)).unwrap();
        assert!(
            b.len() < a.len(),
            "{page}: {} -> {} bytes",
            a.len(),
            b.len()
        );
        let (da, db) = (Html::parse_document(&a), Html::parse_document(&b));
        // Minifying drops whitespace between elements: compare the text without it.
        let text = |d: &Html| {
            d.root_element()
                .text()
                .collect::<String>()
                .split_whitespace()
                .collect::<String>()
        };
        assert_eq!(text(&da), text(&db), "{page}: text changed");
        let hrefs = |d: &Html| {
            d.select(&links)
                .map(|e| e.value().attr("href").unwrap().to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(hrefs(&da), hrefs(&db), "{page}: links changed");
    }
    // Non-HTML files are left as written.
    assert_eq!(
        std::fs::read(plain.join("data.json")).unwrap(),
        std::fs::read(small.join("data.json")).unwrap()
    );
}

#[cfg(not(feature = "minify"))]
#[test]
fn minify_without_the_feature_is_refused_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("public");
    let out = build(&out_dir, &["--minify"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("built without minification"), "{err}");
    assert!(err.contains("--features minify"), "{err}");
    assert!(!out_dir.exists());
}

#[test]
fn github_pages_keeps_every_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("public");
    assert!(build(&out_dir, &[]).status.success());
    assert_eq!(std::fs::read(out_dir.join(".nojekyll")).unwrap(), b"");
}
