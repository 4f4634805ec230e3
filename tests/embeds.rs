//! Shortcodes (DESIGN.md section 7): a fixture site that uses every one, its HTML
//! parsed and checked for the right actors in the right positions, the right
//! timeline entries in each window, the right backlinks; and every mistake a
//! shortcode can hold, with its message and place (harness in
//! `common/error_cases.rs`).

#[path = "common/error_cases.rs"]
mod error_cases;

use std::path::{Path, PathBuf};
use std::process::Command;

use error_cases::*;
use scraper::{ElementRef, Html, Selector};

fn built_fixture() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sites/embeds");
    copy_dir(&fixture, &root);
    let out = Command::new(BIN)
        .arg("--root")
        .arg(&root)
        .arg("build")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (dir, root.join("public"))
}

fn page(out: &Path, rel: &str) -> Html {
    Html::parse_document(&std::fs::read_to_string(out.join(rel)).unwrap())
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text(e: ElementRef) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn texts(root: ElementRef, selector: &str) -> Vec<String> {
    root.select(&sel(selector)).map(text).collect()
}

/// The embeds of one kind on the story page, in order.
fn embeds<'a>(story: &'a Html, kind: &str) -> Vec<ElementRef<'a>> {
    story
        .select(&sel(&format!("figure.embed-{kind}")))
        .collect()
}

#[test]
fn every_shortcode_shows_the_right_data() {
    let (_dir, out) = built_fixture();
    let story = page(&out, "stories/maps/story/index.html");

    // spectrum: positions in scale order, each with the actors that hold it now.
    let spectrum = embeds(&story, "spectrum")[0];
    let bands: Vec<(String, Vec<String>)> = spectrum
        .select(&sel(".embed-band"))
        .map(|b| (texts(b, ".label")[0].clone(), texts(b, ".embed-actors a")))
        .collect();
    assert_eq!(
        bands,
        [
            ("Yes".into(), vec!["Bob Baker".to_string()]),
            ("Only for trucks".into(), vec!["Alice Archer".into()]),
            ("No".into(), vec!["City Council".into()]),
        ]
    );

    // stance: inline, current and as of a date (before a change, after it, before any).
    let inline = texts(story.root_element(), "p > .embed-inline");
    assert_eq!(
        inline,
        [
            "Alice Archer: ◐ Only for trucks",
            "Alice Archer: ○ No",
            "Dana Diaz"
        ]
    );
    let cards = embeds(&story, "stance");
    assert_eq!(texts(cards[0], ".embed-pos .label"), ["Only for trucks"]);
    assert!(text(cards[0]).contains("as of February 2024"));
    assert!(texts(cards[1], ".embed-pos").is_empty());
    assert!(
        text(cards[1]).contains("No recorded position as of 2023. Latest: ● Yes"),
        "{}",
        text(cards[1])
    );

    // matrix: the actors and questions given, in the order given; without
    // arguments every actor with a stance (by name) and every question held.
    let matrices = embeds(&story, "matrix");
    let rows = |m: ElementRef| texts(m, "tbody th");
    let cols = |m: ElementRef| texts(m, "thead th");
    assert_eq!(rows(matrices[0]), ["City Council", "Alice Archer"]);
    assert_eq!(cols(matrices[0]), ["Actor", "Bridge tolls", "Bike lanes"]);
    let cells: Vec<String> = texts(matrices[0], "tbody td .label");
    assert_eq!(cells, ["No", "No", "Only for trucks", "Yes"]);
    assert_eq!(
        rows(matrices[1]),
        ["Alice Archer", "Bob Baker", "City Council"]
    );
    assert_eq!(cols(matrices[1]), ["Actor", "Bike lanes", "Bridge tolls"]);
    assert_eq!(matrices[1].select(&sel("td.empty")).count(), 1);

    // card: an event's card, alone on its line.
    let card = embeds(&story, "card")[0];
    assert_eq!(texts(card, ".embed-title a"), ["Council vote"]);
    assert!(text(card).contains("20 February 2024"));

    // timeline: the window is inclusive and partial dates overlap it; `limit`
    // keeps the newest, oldest first; filters by question and by actor.
    let timelines = embeds(&story, "timeline");
    let titles = |t: ElementRef| texts(t, ".tl-title");
    assert_eq!(
        titles(timelines[0]),
        [
            "Alice Archer",
            "Public hearing",
            "Alice Archer",
            "Council vote"
        ]
    );
    assert_eq!(titles(timelines[1]), ["Council vote", "Bob Baker"]);
    assert_eq!(titles(timelines[2]), ["Public hearing", "Bob Baker"]);
    // No headings inside prose embeds: the page's outline stays the author's.
    assert_eq!(
        story
            .select(&sel(".embed h2, .embed h3, .embed h4"))
            .count(),
        0
    );

    // compare: a column per actor, a row per question any of them holds.
    let compare = embeds(&story, "compare")[0];
    assert_eq!(
        cols(compare),
        ["Question", "Alice Archer", "Bob Baker", "City Council"]
    );
    assert_eq!(rows(compare), ["Bike lanes", "Bridge tolls"]);
    let lanes: Vec<String> = compare
        .select(&sel("tbody tr"))
        .next()
        .unwrap()
        .select(&sel("td"))
        .map(|td| texts(td, ".label").join(""))
        .collect();
    assert_eq!(lanes, ["Yes", "", "No"]);

    // figure: the image beside the Markdown file, relative at this depth; the
    // caption rendered as Markdown with its links; the credit.
    let figure = embeds(&story, "figure")[0];
    let img = figure.select(&sel("img")).next().unwrap();
    assert_eq!(img.attr("src"), Some("../../../stories/maps/bridge.png"));
    assert_eq!(img.attr("alt"), Some("The bridge from the river"));
    assert_eq!(
        (img.attr("width"), img.attr("height")),
        (Some("480"), Some("320"))
    );
    assert!(out.join("stories/maps/bridge.png").is_file());
    assert_eq!(texts(figure, "figcaption em"), ["before"]);
    assert_eq!(
        figure
            .select(&sel("figcaption a"))
            .next()
            .unwrap()
            .attr("href"),
        Some("../../../events/vote/")
    );
    assert_eq!(texts(figure, ".credit"), ["Photo: the city"]);

    // A site shortcode: its arguments and its body.
    let note = story.select(&sel("aside.note")).next().unwrap();
    assert_eq!(note.attr("class"), Some("note note-aside"));
    assert_eq!(note.attr("data-count"), Some("3"));
    assert_eq!(note.attr("data-flag"), Some("true"));
    assert_eq!(note.attr("data-items"), Some("a,b"));
    assert_eq!(texts(note, "strong"), ["site"]);

    // Written literally, and never expanded in code.
    let html = std::fs::read_to_string(out.join("stories/maps/story/index.html")).unwrap();
    assert!(html.contains(
        r#"Written literally: {{ card(id="alice") }} and <code>{{ card(id="bob") }}</code>"#
    ));
    assert!(!html.contains("standpoint-embed"), "a marker was left");
    assert!(!html.contains("standpoint-slot"), "a placeholder was left");
}

#[test]
fn embedded_entities_list_the_page_under_mentioned_in() {
    let (_dir, out) = built_fixture();
    for rel in [
        "actors/alice/index.html",
        "actors/dana/index.html",
        "questions/tolls/index.html",
        "questions/lanes/index.html",
        "events/vote/index.html",
    ] {
        let p = page(&out, rel);
        let backlinks = texts(p.root_element(), ".backlinks a");
        assert!(
            backlinks.contains(&"The bridge story".to_string()),
            "{rel}: {backlinks:?}"
        );
    }
    // A figure's image and a site shortcode's arguments name no entity: the
    // opening is mentioned by nothing.
    let opening = page(&out, "events/opening/index.html");
    assert!(texts(opening.root_element(), ".backlinks a").is_empty());
}

cases! {
    unknown_shortcode => Case {
        fixture: "shortcode-unknown",
        message: "unknown shortcode `stanse`",
        place: Some("content/about.md:4:4"),
        help: Some("did you mean `stance`?"),
        ..CASE
    };
    argument_with_a_typo => Case {
        fixture: "shortcode-argument-typo",
        message: "`spectrum` has no argument `qestion`",
        place: Some("content/about.md:4:47"),
        help: Some("did you mean `question`?"),
        ..CASE
    };
    missing_argument => Case {
        fixture: "shortcode-argument-missing",
        message: "`stance` needs the argument `question`",
        place: Some("content/about.md:4:7"),
        help: Some("add `question=` with a string (a question id)"),
        ..CASE
    };
    argument_of_the_wrong_type => Case {
        fixture: "shortcode-argument-type",
        message: "the argument `limit` of `timeline` must be an integer, not a string",
        place: Some("content/about.md:4:19"),
        ..CASE
    };
    argument_given_twice => Case {
        fixture: "shortcode-argument-twice",
        message: "the argument `id` is given twice",
        place: Some("content/about.md:4:20"),
        help: Some("keep one of them"),
        ..CASE
    };
    unknown_id => Case {
        fixture: "shortcode-unknown-id",
        message: "unknown actor `joe-bidn`",
        place: Some("content/about.md:4:17"),
        help: Some("did you mean `joe-biden`?"),
        ..CASE
    };
    id_of_the_wrong_kind => Case {
        fixture: "shortcode-wrong-kind",
        message: "`nato` is an actor, not a question",
        place: Some("content/about.md:4:22"),
        ..CASE
    };
    id_of_a_draft => Case {
        fixture: "shortcode-draft",
        message: "`draft-actor` is a draft",
        place: Some("content/about.md:4:12"),
        help: Some("publish `content/actors/draft-actor.md` (remove `draft: true`) or build with `--drafts`"),
        ..CASE
    };
    body_without_end => Case {
        fixture: "shortcode-body-unclosed",
        message: "`{% figure(...) %}` has no `{% end %}`",
        place: Some("content/about.md:4:1"),
        help: Some("end the body with `{% end %}`; a shortcode without a body is written `{{ name(...) }}`"),
        ..CASE
    };
    end_without_a_body => Case {
        fixture: "shortcode-end-alone",
        message: "`{% end %}` without a shortcode to close",
        place: Some("content/about.md:4:11"),
        ..CASE
    };
    block_shortcode_inside_a_sentence => Case {
        fixture: "shortcode-block-inline",
        message: "`spectrum` is a block shortcode: it must stand alone on its line",
        place: Some("content/about.md:4:17"),
        help: Some("put it on a line of its own; only `stance` and `card` may stand inside a sentence"),
        ..CASE
    };
    date_that_is_not_one => Case {
        fixture: "shortcode-bad-date",
        message: "invalid date `2024-13`: the month must be 01 to 12",
        place: Some("content/about.md:4:70"),
        ..CASE
    };
    string_never_closed => Case {
        fixture: "shortcode-string-unclosed",
        message: "this string is never closed",
        place: Some("content/about.md:4:12"),
        ..CASE
    };
    compare_with_one_actor => Case {
        fixture: "shortcode-compare-one",
        message: "`compare` takes 2 to 4 actors, not 1",
        place: Some("content/about.md:4:19"),
        ..CASE
    };
    shortcode_inside_a_body => Case {
        fixture: "shortcode-nested",
        message: "the shortcode `card` stands inside another shortcode's body",
        place: Some("content/about.md:4:55"),
        ..CASE
    };
    figure_of_a_missing_image => Case {
        fixture: "shortcode-figure-missing",
        message: "no page or file at `map.png`",
        place: Some("content/about.md:4:15"),
        ..CASE
    };
}

/// Every shortcode error of one file is reported in one build, with the others.
#[test]
fn shortcode_errors_are_collected_with_every_other_error() {
    let site = Site::base();
    site.apply("shortcode-unknown");
    std::fs::write(
        site.root.join("content/actors/nato.md"),
        "---\nname: NATO\nkind: organization\n---\n[[nope]] and {{ card(id=\"nop\") }}.\n\n{{ spectrum(question=\"x\", y=1) }}\n",
    )
    .unwrap();
    let run = site.cmd("check", &[]);
    assert_eq!(run.code, Some(1));
    for m in [
        "unknown shortcode `stanse`",
        "unknown id `nope` in wiki-link",
        "unknown id `nop`",
        "unknown question `x`",
        "`spectrum` has no argument `y`",
    ] {
        assert!(run.stderr.contains(m), "missing {m:?} in:\n{}", run.stderr);
    }
    assert!(run.stderr.contains("5 errors"), "{}", run.stderr);
}
