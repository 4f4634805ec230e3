//! Share cards (DESIGN.md section 12): every question and actor page has a
//! 1200x630 PNG `og:image` made at build time, byte-identical from build to
//! build, kept in `.standpoint/images/` so that a second build draws none.

#[path = "common/error_cases.rs"]
mod common;
#[path = "common/outcome.rs"]
mod outcome;

use std::path::{Path, PathBuf};

use resvg::tiny_skia::Pixmap;
use scraper::{Html, Selector};
use standpoint::{BuildOptions, Outcome};

use common::copy_dir;
use outcome::{build, file};

const QUESTIONS: [&str; 2] = ["long-range-strikes", "strikes-inside-russia"];

/// A copy of the example site in a new folder (so that its cache is its own).
fn example() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&here.join("content"), &root.join("content"));
    std::fs::copy(here.join("site.yaml"), root.join("site.yaml")).unwrap();
    (dir, root)
}

fn cards(outcome: &Outcome) -> Vec<(String, Vec<u8>)> {
    let files = &outcome.files.as_ref().unwrap().files;
    files
        .iter()
        .filter(|(path, _)| path.ends_with("/card.png"))
        .map(|(path, bytes)| (path.clone(), bytes.to_vec()))
        .collect()
}

fn meta(html: &Html, attr: &str, name: &str) -> String {
    let css = format!(r#"meta[{attr}="{name}"]"#);
    let found = html.select(&Selector::parse(&css).unwrap()).next();
    let found = found.unwrap_or_else(|| panic!("no {css}"));
    found.value().attr("content").unwrap().to_string()
}

#[test]
fn every_question_and_actor_has_a_1200_by_630_card() {
    let (_dir, root) = example();
    let outcome = build(&root);
    let mut pages: Vec<String> = QUESTIONS
        .iter()
        .map(|q| format!("questions/{q}/"))
        .collect();
    for entry in std::fs::read_dir(root.join("content/actors")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if let Some(id) = name.strip_suffix(".md").filter(|id| !id.contains('.')) {
            pages.push(format!("actors/{id}/"));
        }
    }
    for page in &pages {
        let png = file(&outcome, &format!("{page}card.png"));
        let pixmap = Pixmap::decode_png(png).expect("a PNG");
        assert_eq!((pixmap.width(), pixmap.height()), (1200, 630), "{page}");
    }
    // The Ukrainian pages have their own cards, under /uk/.
    let all = cards(&outcome);
    let english = all.iter().filter(|(path, _)| !path.starts_with("uk/"));
    assert_eq!(english.count(), pages.len());
    for (path, png) in &all {
        let pixmap = Pixmap::decode_png(png).expect("a PNG");
        assert_eq!((pixmap.width(), pixmap.height()), (1200, 630), "{path}");
    }
    assert_eq!(outcome.stats.cards_rendered, all.len());
}

#[test]
fn pages_name_their_card_with_an_alt_text() {
    let (_dir, root) = example();
    let outcome = build(&root);
    let base = "https://example.org/";
    let html = |path: &str| Html::parse_document(&String::from_utf8_lossy(file(&outcome, path)));
    let question = html("questions/strikes-inside-russia/index.html");
    let image = meta(&question, "property", "og:image");
    assert!(
        image.ends_with("/questions/strikes-inside-russia/card.png"),
        "{image}"
    );
    assert!(image.starts_with("http"), "{image} {base}");
    assert_eq!(
        meta(&question, "name", "twitter:card"),
        "summary_large_image"
    );
    assert_eq!(meta(&question, "property", "og:image:width"), "1200");
    let alt = meta(&question, "property", "og:image:alt");
    assert!(alt.contains("Joe Biden"), "{alt}");
    let actor = html("actors/joe-biden/index.html");
    assert!(meta(&actor, "property", "og:image").ends_with("/actors/joe-biden/card.png"));
    let alt = meta(&actor, "property", "og:image:alt");
    assert!(
        alt.contains("Joe Biden") && alt.contains("Strikes"),
        "{alt}"
    );
    let home = html("index.html");
    assert_eq!(meta(&home, "name", "twitter:card"), "summary");
}

#[test]
fn cards_are_the_same_bytes_and_a_warm_build_draws_none() {
    let (_one, first) = example();
    let (_two, second) = example();
    let cold = build(&first);
    let other = build(&second);
    assert_eq!(
        cards(&cold),
        cards(&other),
        "two cold builds, the same bytes"
    );
    let cache = first.join(".standpoint/images");
    let stamps = |dir: &Path| {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (e.file_name(), e.metadata().unwrap().modified().unwrap())
            })
            .collect();
        files.sort();
        files
    };
    let before = stamps(&cache);
    assert_eq!(before.len(), cold.stats.cards_rendered);
    let warm = build(&first);
    assert_eq!(warm.stats.cards_rendered, 0, "a warm build draws no card");
    assert_eq!(warm.stats.cards_cached, cold.stats.cards_rendered);
    assert_eq!(stamps(&cache), before, "nor writes the cache again");
    assert_eq!(cards(&warm), cards(&cold));
}

#[test]
fn an_edit_redraws_only_the_cards_it_shows_on() {
    let (_dir, root) = example();
    let cold = build(&root);
    let path = root.join("content/actors/olaf-scholz.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let renamed = text.replacen("name: Olaf Scholz", "name: Olaf Scholz (Chancellor)", 1);
    assert_ne!(renamed, text);
    std::fs::write(&path, renamed).unwrap();
    let warm = build(&root);
    assert!(warm.stats.cards_rendered >= 1, "his card is new");
    assert!(
        warm.stats.cards_rendered < cold.stats.cards_rendered / 2,
        "{} of {} drawn again",
        warm.stats.cards_rendered,
        cold.stats.cards_rendered
    );
}

#[test]
fn a_portrait_shows_on_its_actors_card() {
    let (_dir, root) = example();
    let without = build(&root);
    let mut pixmap = Pixmap::new(40, 40).unwrap();
    pixmap.fill(resvg::tiny_skia::Color::from_rgba8(200, 30, 30, 255));
    std::fs::create_dir_all(root.join("static/portraits")).unwrap();
    std::fs::write(
        root.join("static/portraits/biden.png"),
        pixmap.encode_png().unwrap(),
    )
    .unwrap();
    let path = root.join("content/actors/joe-biden.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replacen("---\n", "---\nimage: /portraits/biden.png\n", 1);
    std::fs::write(&path, text).unwrap();
    let with = build(&root);
    let card = |o: &Outcome| Pixmap::decode_png(file(o, "actors/joe-biden/card.png")).unwrap();
    let (before, after) = (card(&without), card(&with));
    // The middle of the portrait's square: white before, the portrait's red after.
    let at = |p: &Pixmap| p.pixel(1010, 220).unwrap();
    assert_eq!((at(&before).red(), at(&before).green()), (255, 255));
    assert_eq!((at(&after).red(), at(&after).green()), (200, 30));
}

#[test]
fn a_translated_page_has_its_own_card_under_its_language() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&here.join("tests/fixtures/sites/languages"), &root);
    let outcome = build(&root);
    let en = file(&outcome, "questions/tolls/card.png");
    let uk = file(&outcome, "uk/questions/tolls/card.png");
    assert_ne!(en, uk, "the Ukrainian card shows the Ukrainian words");
    let page = Html::parse_document(&String::from_utf8_lossy(file(
        &outcome,
        "uk/questions/tolls/index.html",
    )));
    assert!(meta(&page, "property", "og:image").ends_with("/uk/questions/tolls/card.png"));
    let alt = meta(&page, "property", "og:image:alt");
    assert!(
        alt.starts_with("Картка для поширення"),
        "in Ukrainian: {alt}"
    );
}

#[test]
fn a_serve_rebuild_takes_its_images_from_memory() {
    use standpoint::incremental::{Changes, Session};
    let (_dir, root) = example();
    let serve = BuildOptions {
        serve: true,
        ..outcome::options(&root)
    };
    let mut session = Session::new(serve.clone());
    let first = session.build(&Changes::everything());
    assert_eq!(first.errors(), 0, "{:?}", first.diagnostics);
    assert!(first.stats.cards_rendered > 0);
    // With the disk cache gone, only memory can spare the rebuild its drawing.
    std::fs::remove_dir_all(root.join(".standpoint/images")).unwrap();
    let path = root.join("content/actors/olaf-scholz.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let renamed = text.replacen("name: Olaf Scholz", "name: Olaf Scholz (Chancellor)", 1);
    std::fs::write(&path, renamed).unwrap();
    let rebuilt = session.build(&Changes::of(&root, [path]));
    assert_eq!(rebuilt.errors(), 0, "{:?}", rebuilt.diagnostics);
    assert!(!rebuilt.stats.patched, "a front-matter edit rebuilds");
    let drawn = rebuilt.stats.cards_rendered;
    assert!(drawn >= 1, "his card is new");
    assert_eq!(
        drawn + rebuilt.stats.cards_cached,
        first.stats.cards_rendered,
        "every other card came from memory"
    );
    assert!(
        drawn < first.stats.cards_rendered / 2,
        "{drawn} drawn again"
    );
    // The very bytes a fresh build makes.
    let fresh = standpoint::build(&serve);
    assert_eq!(cards(&rebuilt), cards(&fresh));
}
