//! The default theme's HTML as hosts and crawlers see it: every page kind of the
//! example site passes the Nu HTML Checker (vnu.jar, installed by `.ci/run`) with
//! zero errors, and every page carries the metadata that link previews and search
//! engines read (title, description, absolute canonical, Open Graph, Twitter card,
//! schema.org JSON-LD that no content can break out of).

#[path = "common/nu.rs"]
mod nu;

use std::path::Path;
use std::process::Command;

use scraper::{Html, Selector};

const BIN: &str = env!("CARGO_BIN_EXE_standpoint");
const BASE_URL: &str = "https://news.example.com/explainers/strikes/";

/// One page of each kind the theme renders, by output path.
const PAGE_KINDS: &[(&str, &str)] = &[
    ("home", "index.html"),
    ("actors", "actors/index.html"),
    ("actor (person)", "actors/joe-biden/index.html"),
    ("actor (state)", "actors/united-states/index.html"),
    ("actor (organization)", "actors/nato/index.html"),
    ("questions", "questions/index.html"),
    ("question", "questions/strikes-inside-russia/index.html"),
    ("event", "events/nato-prague-talks/index.html"),
    ("events list", "events/index.html"),
    ("timeline", "timeline/index.html"),
    ("sources", "sources/index.html"),
    ("open data", "data/index.html"),
    ("page", "about/index.html"),
    ("stance matrix", "matrix/index.html"),
    ("compare", "compare/index.html"),
    ("snapshot", "as-of/2024-05-30/index.html"),
    ("not found", "404.html"),
];

fn build_example(out: &Path) {
    let output = Command::new(BIN)
        .args(["--root", env!("CARGO_MANIFEST_DIR"), "build", "--base-url"])
        .arg(BASE_URL)
        .arg("--output")
        .arg(out)
        .output()
        .expect("run standpoint build");
    assert!(
        output.status.success(),
        "building the example failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn every_page_kind_of_the_example_passes_the_nu_html_checker() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_example(&out);
    for (kind, path) in PAGE_KINDS {
        assert!(out.join(path).is_file(), "no {kind} page at {path}");
    }
    let errors = nu_errors(&out);
    assert!(
        errors.is_empty(),
        "the Nu HTML Checker found errors:\n{errors}"
    );
}

/// Runs the Nu checker over the folder `out`; the errors, or an empty string.
fn nu_errors(out: &Path) -> String {
    nu::nu_errors(out, &[out.to_path_buf()])
}

/// Every built-in shortcode, inline and as a block, and a site shortcode, on one
/// page of the embeds fixture: the default theme's embed markup is valid HTML.
#[test]
fn every_shortcode_of_the_default_theme_passes_the_nu_html_checker() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sites/embeds");
    let output = Command::new(BIN)
        .arg("--root")
        .arg(&root)
        .arg("build")
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let story = std::fs::read_to_string(out.join("stories/maps/story/index.html")).unwrap();
    for kind in [
        "stance", "spectrum", "matrix", "card", "timeline", "compare", "figure",
    ] {
        assert!(story.contains(&format!("embed-{kind}")), "no {kind} embed");
    }
    let errors = nu_errors(&out);
    assert!(
        errors.is_empty(),
        "the Nu HTML Checker found errors:\n{errors}"
    );
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

/// The `content` of the one `<meta>` matching `css`; panics naming the page otherwise.
fn meta(doc: &Html, page: &str, css: &str) -> String {
    let found = select(doc, css);
    assert_eq!(
        found.len(),
        1,
        "{page}: expected one `{css}`, found {}",
        found.len()
    );
    found[0]
        .value()
        .attr("content")
        .unwrap_or_default()
        .to_string()
}

#[test]
fn every_page_has_title_description_canonical_and_social_cards() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_example(&out);

    for (kind, path) in PAGE_KINDS {
        let html = std::fs::read_to_string(out.join(path)).unwrap();
        let doc = Html::parse_document(&html);
        let page = format!("{kind} ({path})");

        let lang = select(&doc, "html")[0].value().attr("lang");
        assert_eq!(lang, Some("en"), "{page}: <html lang>");
        let titles = select(&doc, "head > title");
        assert_eq!(titles.len(), 1, "{page}: one <title>");
        assert!(
            !titles[0].text().collect::<String>().trim().is_empty(),
            "{page}: empty <title>"
        );
        assert!(
            !meta(&doc, &page, r#"meta[name="description"]"#).is_empty(),
            "{page}: description"
        );
        assert_eq!(select(&doc, "h1").len(), 1, "{page}: one h1");

        if *path == "404.html" {
            // Served at any address: a canonical or og:url would point at the wrong one.
            assert!(
                select(&doc, r#"link[rel="canonical"]"#).is_empty(),
                "{page}: canonical"
            );
            assert!(
                select(&doc, r#"meta[property="og:url"]"#).is_empty(),
                "{page}: og:url"
            );
            assert_eq!(meta(&doc, &page, r#"meta[name="robots"]"#), "noindex");
            continue;
        }

        let expected = format!("{BASE_URL}{}", path.trim_end_matches("index.html"));
        let canonical = select(&doc, r#"link[rel="canonical"]"#);
        assert_eq!(canonical.len(), 1, "{page}: one canonical link");
        assert_eq!(
            canonical[0].value().attr("href"),
            Some(expected.as_str()),
            "{page}: canonical"
        );
        assert_eq!(
            meta(&doc, &page, r#"meta[property="og:url"]"#),
            expected,
            "{page}: og:url"
        );

        let og_type = meta(&doc, &page, r#"meta[property="og:type"]"#);
        let want = match *kind {
            "home" => "website",
            k if k.starts_with("actor (") => "profile",
            _ => "article",
        };
        assert_eq!(og_type, want, "{page}: og:type");
        let og_title = meta(&doc, &page, r#"meta[property="og:title"]"#);
        assert!(!og_title.is_empty(), "{page}: og:title");
        assert_eq!(
            meta(&doc, &page, r#"meta[name="twitter:title"]"#),
            og_title,
            "{page}"
        );
        // Question and actor pages have a share card (docs/images.md).
        let card = kind.starts_with("actor (") || *kind == "question";
        assert_eq!(
            meta(&doc, &page, r#"meta[name="twitter:card"]"#),
            if card {
                "summary_large_image"
            } else {
                "summary"
            },
            "{page}"
        );
        assert!(
            !meta(&doc, &page, r#"meta[property="og:description"]"#).is_empty(),
            "{page}"
        );
        assert!(
            !meta(&doc, &page, r#"meta[name="twitter:description"]"#).is_empty(),
            "{page}"
        );
        assert_eq!(
            meta(&doc, &page, r#"meta[property="og:site_name"]"#),
            "Strikes inside Russia: who stands where"
        );
    }

    let biden = Html::parse_document(
        &std::fs::read_to_string(out.join("actors/joe-biden/index.html")).unwrap(),
    );
    assert_eq!(
        meta(&biden, "actor", r#"meta[property="og:title"]"#),
        "Joe Biden"
    );
}
/// The JSON-LD blocks of a built page, parsed; panics if one is not JSON or holds a `<`.
fn json_ld(html: &str, page: &str) -> Vec<serde_json::Value> {
    const OPEN: &str = r#"<script type="application/ld+json">"#;
    html.split(OPEN)
        .skip(1)
        .map(|rest| {
            let body = &rest[..rest.find("</script>").expect("a closed script")];
            assert!(!body.contains('<'), "{page}: `<` inside JSON-LD: {body}");
            serde_json::from_str(body)
                .unwrap_or_else(|e| panic!("{page}: JSON-LD is not JSON ({e}): {body}"))
        })
        .collect()
}

fn read(out: &Path, path: &str) -> String {
    std::fs::read_to_string(out.join(path)).unwrap()
}

#[test]
fn actors_events_and_quotes_carry_schema_org_json_ld() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_example(&out);

    let home = json_ld(&read(&out, "index.html"), "home");
    assert_eq!(home.len(), 1);
    assert_eq!(home[0]["@type"], "WebSite");
    assert_eq!(home[0]["url"], BASE_URL);

    for (id, ty) in [
        ("joe-biden", "Person"),
        ("united-states", "GovernmentOrganization"),
        ("nato", "Organization"),
    ] {
        let path = format!("actors/{id}/index.html");
        let blocks = json_ld(&read(&out, &path), &path);
        assert_eq!(blocks[0]["@context"], "https://schema.org", "{path}");
        assert_eq!(blocks[0]["@type"], ty, "{path}");
        assert_eq!(
            blocks[0]["url"],
            format!("{BASE_URL}actors/{id}/"),
            "{path}"
        );
    }
    let biden = json_ld(&read(&out, "actors/joe-biden/index.html"), "biden");
    assert_eq!(biden[0]["jobTitle"], "President of the United States");
    assert_eq!(biden[0]["memberOf"][0]["@type"], "GovernmentOrganization");
    assert_eq!(
        biden[0]["memberOf"][0]["url"],
        format!("{BASE_URL}actors/united-states/")
    );
    let quotes: Vec<_> = biden.iter().filter(|b| b["@type"] == "Quotation").collect();
    assert_eq!(quotes.len(), 1, "one quoted stance: {biden:?}");
    assert!(quotes[0]["text"]
        .as_str()
        .unwrap()
        .starts_with("The president recently directed"));
    assert_eq!(quotes[0]["creator"]["@id"], biden[0]["@id"]);
    assert_eq!(quotes[0]["isBasedOn"]["publisher"]["name"], "News report");
    assert_eq!(quotes[0]["dateCreated"], "2024-05-30");

    let event = json_ld(&read(&out, "events/nato-prague-talks/index.html"), "event");
    assert_eq!(event.len(), 1);
    assert_eq!(event[0]["@type"], "Event");
    assert_eq!(event[0]["startDate"], "2024-05-30");
    assert_eq!(event[0]["endDate"], "2024-05-31");
    assert_eq!(event[0]["location"]["name"], "Prague");
    assert_eq!(event[0]["attendee"].as_array().unwrap().len(), 2);
}

#[test]
fn content_cannot_break_out_of_json_ld() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let write = |path: &str, text: &str| {
        let file = site.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    };
    let name = "Eve </script><script>alert(1)</script> & Co";
    let quote = "We </script><!-- will & won't \"quote\" \\ it\u{2028}";
    write(
        "site.yaml",
        "title: \"Hostile </script> site\"\nbase_url: \"https://example.com/x/\"\n",
    );
    write("content/_index.md", "---\ntitle: \"Home\"\n---\nHello.\n");
    write(
        "content/questions/q1.md",
        "---\ntitle: \"Q </script>\"\nquestion: \"Why?\"\npositions:\n  - {id: yes, label: \"Yes\"}\n  - {id: no, label: \"No\"}\n---\n",
    );
    write(
        "content/actors/eve.md",
        &format!(
            "---\nname: {}\nkind: group\nrole: \"Agent <b>provocateur</b>\"\nstances:\n  - question: q1\n    position: yes\n    date: 2024-01-02\n    quote: {}\n    source: {{title: \"Paper </script>\", publisher: \"P & Q\", url: \"https://example.com/a?b=1&c=2\", date: 2024-01-03}}\n---\n",
            serde_json::to_string(name).unwrap(),
            serde_json::to_string(quote).unwrap()
        ),
    );
    write(
        "content/events/e1.md",
        "---\ntitle: \"Meeting </script><script>x()</script>\"\ndate: 2024-01-05\nplace: \"A & B\"\nactors: [eve]\n---\n",
    );
    let out = dir.path().join("public");
    let result = Command::new(BIN)
        .arg("--root")
        .arg(&site)
        .arg("build")
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );

    let eve = json_ld(&read(&out, "actors/eve/index.html"), "eve");
    assert_eq!(
        eve.len(),
        3,
        "the actor, its page's sources, its quote: {eve:?}"
    );
    assert_eq!(eve[0]["name"], name);
    assert_eq!(
        eve[0]["disambiguatingDescription"],
        "Agent <b>provocateur</b>"
    );
    assert_eq!(eve[1]["mainEntity"]["@id"], eve[0]["@id"]);
    assert_eq!(eve[1]["citation"][0]["name"], "Paper </script>");
    assert_eq!(eve[1]["citation"][0]["publisher"]["name"], "P & Q");
    assert_eq!(eve[2]["text"], quote);
    assert_eq!(eve[2]["isBasedOn"]["name"], "Paper </script>");
    assert_eq!(eve[2]["isBasedOn"]["url"], "https://example.com/a?b=1&c=2");
    assert_eq!(eve[2]["about"]["name"], "Q </script>");

    let event = json_ld(&read(&out, "events/e1/index.html"), "event");
    assert_eq!(event[0]["name"], "Meeting </script><script>x()</script>");
    assert_eq!(event[0]["location"]["name"], "A & B");
    assert_eq!(event[0]["attendee"][0]["name"], name);

    let home = json_ld(&read(&out, "index.html"), "home");
    assert_eq!(home[0]["name"], "Hostile </script> site");
}
