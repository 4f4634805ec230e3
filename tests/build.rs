//! `standpoint build` on fixture sites and on the example site: the pages, their
//! links, the derived views, data.json, and the guarantees of the output folder.

#[path = "common/error_cases.rs"]
mod error_cases;
#[path = "common/links.rs"]
mod links;

use error_cases::copy_dir;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{Html, Selector};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_standpoint");

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sites")
        .join(name)
}

/// A temporary copy of a fixture site, so tests can change it.
struct Site {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Site {
    fn copy_of(name: &str) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        copy_dir(&fixture(name), &root);
        Site { _dir: dir, root }
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn out(&self) -> PathBuf {
        self.root.join("public")
    }

    fn build(&self, args: &[&str]) -> Output {
        let out = Command::new(BIN)
            .arg("--root")
            .arg(&self.root)
            .arg("build")
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "build failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    fn page(&self, rel: &str) -> Html {
        read_html(&self.out().join(rel))
    }
}

/// Fails when a build left a hidden folder (staging, old output) in `dir`.
fn assert_nothing_hidden_in(dir: &Path) {
    let beside: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // `.standpoint/` is the site's cache (images, links), not the build's leftover.
        .filter(|n| n.starts_with('.') && n != ".standpoint")
        .collect();
    assert!(beside.is_empty(), "left beside the output: {beside:?}");
}

fn read_html(path: &Path) -> Html {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Html::parse_document(&text)
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn texts(doc: &Html, selector: &str) -> Vec<String> {
    doc.select(&sel(selector))
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn hrefs(doc: &Html, selector: &str) -> Vec<String> {
    doc.select(&sel(selector))
        .filter_map(|e| e.value().attr("href").map(str::to_string))
        .collect()
}

/// Every file under `dir`, relative, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Follows every internal link of every HTML page under `out` and returns the
/// broken ones as `page -> link` strings. Fragments must name an element id.
/// `base_path` is the URL path that absolute links (in 404.html) start with.
fn broken_links(out: &Path, base_path: &str) -> Vec<String> {
    let pages: BTreeMap<String, Html> = snapshot(out)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, bytes)| (p, Html::parse_document(&String::from_utf8(bytes).unwrap())))
        .collect();
    let ids = |doc: &Html| -> BTreeSet<String> {
        doc.select(&sel("[id]"))
            .filter_map(|e| e.value().attr("id").map(str::to_string))
            .collect()
    };
    let mut broken = Vec::new();
    let links = sel(
        "a[href], link[href], script[src], img[src], img[srcset], source[srcset], form[action]",
    );
    for (page, doc) in &pages {
        let urls = doc.select(&links).flat_map(|element| {
            let v = element.value();
            let single = v.attr("href").or(v.attr("src")).or(v.attr("action"));
            let srcset = v.attr("srcset").into_iter().flat_map(|set| {
                set.split(", ")
                    .filter_map(|candidate| candidate.split_whitespace().next())
            });
            single.into_iter().chain(srcset).collect::<Vec<_>>()
        });
        for url in urls {
            if url.contains("://") || url.starts_with("mailto:") || url.starts_with("data:") {
                continue;
            }
            let (path_part, fragment) = match url.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (url, None),
            };
            let path_part = path_part.split('?').next().unwrap();
            let target = if path_part.is_empty() {
                page.clone()
            } else if let Some(abs) = path_part.strip_prefix(base_path) {
                resolve("", abs)
            } else if path_part.starts_with('/') {
                broken.push(format!("{page} -> {url} (outside the base path)"));
                continue;
            } else {
                let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
                resolve(dir, path_part)
            };
            let target = percent_encoding::percent_decode_str(&target)
                .decode_utf8()
                .unwrap()
                .into_owned();
            if !out.join(&target).is_file() {
                broken.push(format!("{page} -> {url} (no file {target})"));
                continue;
            }
            if let (Some(fragment), Some(doc)) = (fragment, pages.get(&target)) {
                if !fragment.is_empty() && !ids(doc).contains(fragment) {
                    broken.push(format!("{page} -> {url} (no id {fragment} in {target})"));
                }
            }
        }
    }
    broken
}

/// `actors/x`, `../../questions/q/` -> `questions/q/index.html`.
fn resolve(dir: &str, rel: &str) -> String {
    let mut path = links::joined(dir, rel);
    if links::names_folder(rel) {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    path
}

#[test]
fn example_site_builds_every_page_with_working_links() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let output = Command::new(BIN)
        .args(["--root", env!("CARGO_MANIFEST_DIR"), "build", "--output"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary = String::from_utf8_lossy(&output.stdout);
    assert!(summary.starts_with("Built "), "summary line: {summary}");
    assert_eq!(summary.lines().count(), 1, "one summary line: {summary}");

    let expected = [
        "index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "atom.xml",
        "search-index.json",
        "data.json",
        "actors/index.html",
        "questions/index.html",
        "timeline/index.html",
        "events/index.html",
        "about/index.html",
        "questions/strikes-inside-russia/index.html",
        "questions/long-range-strikes/index.html",
    ];
    for file in expected {
        assert!(out.join(file).is_file(), "missing {file}");
    }
    let data: Value =
        serde_json::from_slice(&std::fs::read(out.join("data.json")).unwrap()).unwrap();
    let actors: Vec<&str> = data["actors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    for id in [
        "joe-biden",
        "volodymyr-zelensky",
        "antony-blinken",
        "jens-stoltenberg",
        "emmanuel-macron",
        "olaf-scholz",
        "united-states",
        "ukraine",
        "russia",
        "united-kingdom",
        "netherlands",
        "france",
        "germany",
        "nato",
    ] {
        assert!(actors.contains(&id), "actor {id} missing from data.json");
        assert!(
            out.join(format!("actors/{id}/index.html")).is_file(),
            "page of {id}"
        );
    }
    for event in data["events"].as_array().unwrap() {
        let id = event["id"].as_str().unwrap();
        assert!(
            out.join(format!("events/{id}/index.html")).is_file(),
            "page of {id}"
        );
    }
    assert_eq!(data["events"].as_array().unwrap().len(), 5);

    let broken = broken_links(&out, "/explainer/");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));

    // Biden's history on the first question: opposed, then limited.
    let biden: Vec<(&str, &str, bool)> = data["stances"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["actor"] == "joe-biden" && s["question"] == "strikes-inside-russia")
        .map(|s| {
            (
                s["position"].as_str().unwrap(),
                s["date"].as_str().unwrap(),
                s["current"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        biden,
        [
            ("oppose", "2024-05", false),
            ("limited", "2024-05-30", true)
        ]
    );
}

#[test]
fn every_quote_of_the_example_is_in_the_seed_article() {
    // The report the example is built from, kept in the repository (see its README).
    let article = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed/article.txt"),
    )
    .expect("tests/fixtures/seed/article.txt");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let status = Command::new(BIN)
        .args(["--root", env!("CARGO_MANIFEST_DIR"), "build", "--output"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(status.status.success());
    let data: Value =
        serde_json::from_slice(&std::fs::read(out.join("data.json")).unwrap()).unwrap();
    let mut quotes = 0;
    for s in data["stances"].as_array().unwrap() {
        if let Some(q) = s["quote"].as_str() {
            quotes += 1;
            assert!(article.contains(q), "quote not in the article: {q}");
        }
    }
    assert!(quotes >= 2, "the example quotes the article");
}

#[test]
fn actor_and_question_pages_link_both_ways() {
    let site = Site::copy_of("basic");
    site.build(&[]);
    let actor = site.page("actors/alice-archer/index.html");
    let links = hrefs(&actor, "main a");
    assert!(
        links.iter().any(|h| h == "../../questions/tolls/"),
        "actor -> question: {links:?}"
    );
    let question = site.page("questions/tolls/index.html");
    let links = hrefs(&question, "main a");
    for actor in ["alice-archer", "bridge-union", "carol-chen"] {
        assert!(
            links
                .iter()
                .any(|h| h.starts_with(&format!("../../actors/{actor}/"))),
            "question -> {actor}: {links:?}"
        );
    }
    // Affiliation and its reverse, members.
    let union = site.page("actors/bridge-union/index.html");
    assert!(hrefs(&union, "main a")
        .iter()
        .any(|h| h.starts_with("../../actors/alice-archer/")));
}

#[test]
fn question_page_lists_positions_in_scale_order_with_current_stances() {
    let site = Site::copy_of("basic");
    site.build(&[]);
    let doc = site.page("questions/tolls/index.html");
    // One band per position, in scale order, each with the actors standing there now.
    let bands: Vec<(String, Vec<String>)> = doc
        .select(&sel(".spectrum .band"))
        .map(|band| {
            let title = band.select(&sel(".band-title")).next().unwrap();
            let id = title.value().attr("id").unwrap().to_string();
            let actors = band
                .select(&sel(".band-actors li:not([hidden]) h4"))
                .map(|h| h.text().collect::<String>())
                .collect();
            (id, actors)
        })
        .collect();
    assert_eq!(
        bands,
        [
            (
                "pos-support".to_string(),
                vec!["Alice Archer".to_string(), "Carol Chen".to_string()]
            ),
            ("pos-limited".into(), vec!["Bridge Union".into()]),
            ("pos-oppose".into(), vec![]),
        ]
    );
    // Alice's current stance is support (2024-05-30), not her 2023 oppose.
    let data: Value =
        serde_json::from_slice(&std::fs::read(site.out().join("data.json")).unwrap()).unwrap();
    let current: Vec<(String, String)> = data["stances"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["current"] == true)
        .map(|s| {
            (
                s["actor"].as_str().unwrap().into(),
                s["position"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        current,
        [
            ("alice-archer".to_string(), "support".to_string()),
            ("bridge-union".into(), "limited".into()),
            ("carol-chen".into(), "support".into())
        ]
    );
}

#[test]
fn autolink_links_the_first_mention_only_and_never_in_headings_or_code() {
    let site = Site::copy_of("basic");
    site.build(&[]);
    let doc = site.page("about/index.html");
    let prose = doc
        .select(&sel("main h2, main p, main pre"))
        .map(|e| e.html())
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(
        prose.matches("href=\"../actors/alice-archer/\"").count(),
        1,
        "{prose}"
    );
    assert!(prose.contains("<p>Then <a href=\"../actors/alice-archer/\">Alice Archer</a> in prose, and Alice Archer again"));
    assert!(!doc
        .select(&sel("main h2 a:not(.anchor), main code a, main pre a"))
        .any(|_| true));
    // The actor's own page never links to itself from its prose.
    let own = site.page("actors/alice-archer/index.html");
    let own_links: Vec<String> = own
        .select(&sel(".prose a"))
        .filter_map(|e| e.value().attr("href").map(str::to_string))
        .collect();
    assert!(
        !own_links
            .iter()
            .any(|h| h == "./" || h.ends_with("alice-archer/")),
        "{own_links:?}"
    );

    // `autolink: all` links every mention; `none` links none.
    let paragraphs_with = |mode: &str| -> String {
        let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
        let yaml = yaml.replace("autolink: first", &format!("autolink: {mode}"));
        site.write("site.yaml", &yaml);
        site.build(&[]);
        let doc = site.page("about/index.html");
        let html = doc
            .select(&sel("main p"))
            .map(|e| e.html())
            .collect::<String>();
        site.write(
            "site.yaml",
            &yaml.replace(&format!("autolink: {mode}"), "autolink: first"),
        );
        html
    };
    let all = paragraphs_with("all");
    assert_eq!(
        all.matches("href=\"../actors/alice-archer/\"").count(),
        3,
        "{all}"
    );
    let none = paragraphs_with("none");
    assert_eq!(none.matches("alice-archer").count(), 0, "{none}");
}

#[test]
fn mentions_become_backlinks() {
    let site = Site::copy_of("basic");
    site.build(&[]);
    let doc = site.page("actors/alice-archer/index.html");
    let links = hrefs(&doc, "main a");
    // about.md mentions Alice; the event links to her; the union mentions her.
    for from in [
        "../../about/",
        "../../events/council-vote/",
        "../../actors/bridge-union/",
    ] {
        assert!(
            links.iter().any(|h| h == from),
            "backlink from {from}: {links:?}"
        );
    }
}

#[test]
fn wiki_and_relative_links_resolve_to_pages() {
    let site = Site::copy_of("basic");
    site.build(&[]);
    let doc = site.page("events/council-vote/index.html");
    let prose = doc
        .select(&sel(".prose"))
        .map(|e| e.html())
        .collect::<String>();
    assert!(
        prose.contains(r#"<a href="../../actors/alice-archer/">the mayor</a>"#),
        "{prose}"
    );
    assert!(
        prose.contains(r#"<a href="../../questions/tolls/">the question</a>"#),
        "{prose}"
    );
    let home = site.page("index.html");
    assert!(home
        .html()
        .contains(r#"<a href="./questions/tolls/">Bridge tolls</a>"#));
}

#[test]
fn sub_path_base_url_keeps_links_relative_and_absolute_urls_absolute() {
    let site = Site::copy_of("basic");
    site.build(&["--base-url", "https://example.net/deep/sub/"]);
    let out = site.out();
    let broken = broken_links(&out, "/deep/sub/");
    assert!(broken.is_empty(), "{broken:?}");
    let doc = site.page("actors/alice-archer/index.html");
    let canonical = doc
        .select(&sel("link[rel=canonical]"))
        .next()
        .unwrap()
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    assert_eq!(
        canonical,
        "https://example.net/deep/sub/actors/alice-archer/"
    );
    // No internal link of a normal page starts with `/`.
    let all = hrefs(&doc, "a[href], link[href]");
    assert!(all.iter().all(|h| !h.starts_with('/')), "{all:?}");
    // 404.html is served at any depth: its links carry the base path.
    let nf = site.page("404.html");
    let nf_links = hrefs(&nf, "a[href], link[href]");
    assert!(nf_links.iter().any(|h| h == "/deep/sub/"), "{nf_links:?}");
    let internal = nf_links
        .iter()
        .filter(|h| !h.contains("://") && !h.starts_with('#'));
    assert!(internal.clone().count() > 3);
    assert!(
        internal.clone().all(|h| h.starts_with("/deep/sub/")),
        "{nf_links:?}"
    );
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://example.net/deep/sub/actors/alice-archer/</loc>"));
    let data: Value =
        serde_json::from_slice(&std::fs::read(out.join("data.json")).unwrap()).unwrap();
    assert_eq!(data["site"]["base_url"], "https://example.net/deep/sub/");
    assert_eq!(
        data["actors"][0]["url"],
        "https://example.net/deep/sub/actors/alice-archer/"
    );
}

#[test]
fn links_of_every_kind_resolve_at_any_depth_under_a_sub_path() {
    let site = Site::copy_of("basic");
    // Markdown images of SVG files: copied as they are (PNG and JPEG images are
    // resized, see tests/pictures.rs); raw HTML images are never decoded.
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
    site.write("content/guides/Pic_2.svg", svg);
    site.write("content/guides/pic.svg", svg);
    site.write("content/guides/pic.png", "PNG");
    site.write("content/guides/deep/_index.md", "---\ntitle: Deep\n---\n");
    site.write("static/img/wide.png", "PNG");
    site.write(
        "content/guides/deep/nested.md",
        "---\ntitle: Nested\n---\n\
         ## Who said what\n\n## Who said what\n\n## Later {#later-part}\n\n\
         ![pic](../pic.svg) ![two](../Pic_2.svg) [up](../reading.md#who-reads) \
         [site](/img/wide.png) [self](#who-said-what-1) [[alice-archer#stances-h]] \
         Write to <press@example.org>.\n\n\
         <picture><source srcset=\"../pic.png 1x, /img/wide.png 2x\"><img src=\"../pic.png\" alt=\"\"></picture>\n\n\
         Text <a href=\"https://example.com/\">Alice Archer</a> and <code>Alice Archer</code>.\n",
    );
    site.write(
        "content/guides/reading.md",
        &format!(
            "{}\n## Who reads\n",
            std::fs::read_to_string(site.root.join("content/guides/reading.md")).unwrap()
        ),
    );
    let out = site.build(&["--base-url", "https://example.net/deep/sub/"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let broken = broken_links(&site.out(), "/deep/sub/");
    assert!(broken.is_empty(), "{broken:?}");
    assert_eq!(
        std::fs::read_to_string(site.out().join("guides/Pic_2.svg")).unwrap(),
        svg,
        "files beside the Markdown are published at their path"
    );
    let doc = site.page("guides/deep/nested/index.html");
    let ids: Vec<String> = doc
        .select(&sel(".prose h2[id]"))
        .map(|h| h.value().attr("id").unwrap().to_string())
        .collect();
    assert_eq!(ids, ["who-said-what", "who-said-what-1", "later-part"]);
    let anchors = hrefs(
        &doc,
        "main h2 > a.anchor[aria-label='Link to this section']",
    );
    assert_eq!(
        anchors,
        ["#who-said-what", "#who-said-what-1", "#later-part"]
    );
    let links = hrefs(&doc, ".prose a");
    for want in [
        "../../../guides/reading/#who-reads",
        "../../../img/wide.png",
        "#who-said-what-1",
        "../../../actors/alice-archer/#stances-h",
        "mailto:press@example.org",
        "https://example.com/",
    ] {
        assert!(
            links.iter().any(|l| l == want),
            "no link {want} in {links:?}"
        );
    }
    let srcset = doc
        .select(&sel("source[srcset]"))
        .next()
        .unwrap()
        .value()
        .attr("srcset")
        .unwrap()
        .to_string();
    assert_eq!(
        srcset,
        "../../../guides/pic.png 1x, ../../../img/wide.png 2x"
    );
    // No autolink inside a raw-HTML link or code: the one link to Alice is the wiki-link.
    assert_eq!(
        links
            .iter()
            .filter(|l| l.contains("actors/alice-archer"))
            .count(),
        1,
        "{links:?}"
    );
}

#[test]
fn a_toc_shows_on_pages_with_three_headings_and_names_their_ids() {
    let site = Site::copy_of("basic");
    site.write("content/two.md", "---\ntitle: Two\n---\n## A\n\n## B\n");
    site.write(
        "content/long.md",
        "---\ntitle: Long\n---\nIntro.\n\n## The `<nav>` & *co*\n\n\
         #### Skipped to four\n\n### Three\n\n## Last {#end}\n\nText.\n",
    );
    let carol = std::fs::read_to_string(site.root.join("content/actors/carol-chen.md")).unwrap();
    site.write(
        "content/actors/carol-chen.md",
        &format!("{carol}\n## Early years\n\n## Council\n\n### Tolls\n"),
    );
    site.build(&[]);

    let two = site.page("two/index.html");
    assert!(
        two.select(&sel("nav.toc")).next().is_none(),
        "two headings: no toc"
    );

    let long = site.page("long/index.html");
    let toc = hrefs(&long, "nav.toc a");
    assert_eq!(toc, ["#the-nav-co", "#skipped-to-four", "#three", "#end"]);
    // Every toc link names a heading of the body, in order.
    let ids: Vec<String> = long
        .select(&sel(".prose :is(h2, h3, h4)[id]"))
        .map(|h| format!("#{}", h.value().attr("id").unwrap()))
        .collect();
    assert_eq!(toc, ids);
    // The h4 after an h2 nests under it, as does the h3 after the h4.
    assert_eq!(
        hrefs(&long, "nav.toc > ol > li:first-child > ol > li > a"),
        ["#skipped-to-four", "#three"]
    );
    assert_eq!(
        hrefs(&long, "nav.toc > ol > li > a"),
        ["#the-nav-co", "#end"]
    );
    // Titles are text: the code span's `<nav>` is shown, not made an element.
    assert_eq!(texts(&long, "nav.toc > ol > li > a")[0], "The <nav> & co");
    assert_eq!(
        long.select(&sel("nav")).count(),
        2,
        "the site's and the toc"
    );
    assert_eq!(
        texts(&long, "nav.toc[aria-labelledby=toc-h] > h2#toc-h"),
        ["On this page"]
    );
    // Before the body.
    assert!(long
        .select(&sel("article > nav.toc + .prose"))
        .next()
        .is_some());

    // On an actor page, above the body text.
    let actor = site.page("actors/carol-chen/index.html");
    assert_eq!(
        hrefs(&actor, "article > nav.toc a"),
        ["#early-years", "#council", "#tolls"]
    );
    assert!(actor
        .select(&sel("article > .page-head + nav.toc + .prose"))
        .next()
        .is_some());
}

#[test]
fn footnotes_link_both_ways_and_other_pages_may_link_to_them() {
    let site = Site::copy_of("basic");
    site.write(
        "content/notes.md",
        "---\ntitle: Notes\n---\nFirst[^b], second[^a], again[^b].\n\n\
         - in a list[^c]\n\n[^a]: Note A.\n[^c]: Note C, see [[alice-archer]].\n[^b]: Note B.\n",
    );
    let about = std::fs::read_to_string(site.root.join("content/about.md")).unwrap();
    site.write(
        "content/about.md",
        &format!("{about}\nSee [a note](notes.md#fn-a) and [[notes#fnref-b-2]].\n"),
    );
    site.build(&[]);
    let broken = broken_links(&site.out(), "/");
    assert!(broken.is_empty(), "{broken:?}");

    let doc = site.page("notes/index.html");
    assert_eq!(texts(&doc, ".prose sup.footnote-ref"), ["1", "2", "1", "3"]);
    assert_eq!(
        hrefs(&doc, ".prose sup.footnote-ref a"),
        ["#fn-b", "#fn-a", "#fn-b", "#fn-c"]
    );
    let notes: Vec<String> = doc
        .select(&sel(".prose > section.footnotes:last-child > ol > li"))
        .map(|li| li.value().attr("id").unwrap().to_string())
        .collect();
    assert_eq!(notes, ["fn-b", "fn-a", "fn-c"]);
    assert_eq!(
        hrefs(&doc, "#fn-b a.footnote-backref"),
        ["#fnref-b", "#fnref-b-2"]
    );
    assert_eq!(
        hrefs(&doc, "#fn-c a:not(.footnote-backref)"),
        ["../actors/alice-archer/"]
    );
    let about = site.page("about/index.html");
    let links = hrefs(&about, ".prose a");
    assert!(links.contains(&"../notes/#fn-a".to_string()), "{links:?}");
    assert!(
        links.contains(&"../notes/#fnref-b-2".to_string()),
        "{links:?}"
    );
}

#[test]
fn smart_punctuation_can_be_turned_off() {
    let site = Site::copy_of("basic");
    site.write(
        "content/quotes.md",
        "---\ntitle: Quotes\n---\n\"Yes\" -- it's done...\n",
    );
    site.build(&[]);
    let curly = texts(&site.page("quotes/index.html"), ".prose p");
    assert_eq!(
        curly,
        ["\u{201c}Yes\u{201d} \u{2013} it\u{2019}s done\u{2026}"]
    );
    let config = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &format!("{config}\nmarkdown: {{smart_punctuation: false}}\n"),
    );
    site.build(&[]);
    let plain = texts(&site.page("quotes/index.html"), ".prose p");
    assert_eq!(plain, ["\"Yes\" -- it's done..."]);
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = Site::copy_of("basic");
    site.build(&[]);
    assert!(!site.out().join("guides/secret/index.html").exists());
    let list = site.page("guides/index.html");
    assert!(!texts(&list, "main").concat().contains("Secret draft"));
    site.build(&["--drafts"]);
    assert!(site.out().join("guides/secret/index.html").is_file());
    let list = site.page("guides/index.html");
    assert!(texts(&list, "main").concat().contains("Secret draft"));
}

#[test]
fn site_templates_override_the_theme_and_pages_choose_templates() {
    let site = Site::copy_of("basic");
    site.write(
        "templates/page.html",
        "<!doctype html><title>{{ page.title }}</title><main class=\"override\">{{ page.content | safe }}<a href=\"{{ url_for(id='tolls') }}\">q</a></main>",
    );
    site.write(
        "templates/special.html",
        "{% extends \"base.html\" %}{% block content %}<p id=\"special\">{{ page.title }} / {{ site.extra.footer }}</p>{% endblock content %}",
    );
    site.write(
        "content/guides/reading.md",
        "---\ntitle: Reading\ntemplate: special.html\n---\nBody.\n",
    );
    site.build(&[]);
    let about = site.page("about/index.html");
    assert_eq!(about.select(&sel("main.override")).count(), 1);
    assert_eq!(
        hrefs(&about, "main a").last().unwrap(),
        "../questions/tolls/"
    );
    let reading = site.page("guides/reading/index.html");
    assert_eq!(texts(&reading, "#special"), ["Reading / Made for tests"]);
    // The theme's base still frames it.
    assert!(
        reading.select(&sel("header.site-header")).count() == 1,
        "the theme base frames the page"
    );
}

#[test]
fn front_matter_text_is_escaped() {
    let site = Site::copy_of("basic");
    site.write(
        "content/actors/mallory.md",
        "---\nname: \"<script>alert(1)</script> Mallory\"\nkind: person\nrole: \"Role & <b>bold</b>\"\nstances:\n  - {question: tolls, position: oppose, date: 2024, summary: \"<img src=x onerror=alert(2)>\", source: {title: \"t\"}}\n---\n",
    );
    site.build(&[]);
    let raw = std::fs::read_to_string(site.out().join("actors/mallory/index.html")).unwrap();
    assert!(!raw.contains("<script>alert(1)"), "name not escaped");
    assert!(!raw.contains("<img src=x"), "summary not escaped");
    assert!(!raw.contains("<b>bold</b>"), "role not escaped");
    let doc = Html::parse_document(&raw);
    assert_eq!(texts(&doc, "h1"), ["<script>alert(1)</script> Mallory"]);
    let home = std::fs::read_to_string(site.out().join("index.html")).unwrap();
    assert!(!home.contains("<script>alert(1)"));
}

#[test]
fn output_is_deterministic() {
    let site = Site::copy_of("basic");
    site.build(&[]);
    let first = snapshot(&site.out());
    site.build(&[]);
    let second = snapshot(&site.out());
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &first {
        assert!(bytes == &second[path], "{path} differs between two builds");
    }
}

#[test]
fn stale_files_are_removed_and_nothing_is_left_beside_the_output() {
    let site = Site::copy_of("basic");
    std::fs::create_dir_all(site.out().join("old-section")).unwrap();
    std::fs::write(site.out().join("old-section/index.html"), "stale").unwrap();
    std::fs::write(site.out().join("stale.txt"), "stale").unwrap();
    site.build(&[]);
    assert!(!site.out().join("old-section").exists());
    assert!(!site.out().join("stale.txt").exists());
    assert!(site.out().join("index.html").is_file());
    assert_nothing_hidden_in(&site.root);
}

/// `public` as a symbolic link to a folder elsewhere (a web server's root): the build
/// replaces what the link leads to and keeps the link, build after build.
#[cfg(unix)]
#[test]
fn a_symlinked_output_folder_is_followed_and_the_link_kept() {
    let site = Site::copy_of("basic");
    let www = site.root.parent().unwrap().join("www");
    std::fs::create_dir_all(&www).unwrap();
    std::fs::write(www.join("stale.txt"), "stale").unwrap();
    std::os::unix::fs::symlink(&www, site.out()).unwrap();
    let untouched = snapshot(&site.root.join("content"));
    for _ in 0..2 {
        site.build(&[]);
        let link = std::fs::symlink_metadata(site.out()).unwrap();
        assert!(link.file_type().is_symlink(), "the link was replaced");
        assert!(www.join("index.html").is_file());
        assert!(!www.join("stale.txt").exists());
    }
    assert!(snapshot(&site.root.join("content")) == untouched);
    assert_nothing_hidden_in(site.root.parent().unwrap());
}

/// An output path through a link into `content/` is inside `content/`: refused
/// before anything is written.
#[cfg(unix)]
#[test]
fn an_output_folder_reached_through_a_link_into_the_sources_is_refused() {
    let site = Site::copy_of("basic");
    std::os::unix::fs::symlink(site.root.join("content"), site.root.join("c2")).unwrap();
    let before = snapshot(&site.root.join("content"));
    for output in ["c2/out", "c2"] {
        let out = Command::new(BIN)
            .arg("--root")
            .arg(&site.root)
            .args(["build", "--output"])
            .arg(site.root.join(output))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("is inside `content/`"), "{stderr}");
        assert!(
            snapshot(&site.root.join("content")) == before,
            "content/ changed"
        );
    }
}

#[test]
fn a_site_without_a_themes_folder_uses_the_embedded_theme() {
    let site = Site::copy_of("basic");
    assert!(!site.root.join("themes").exists());
    site.build(&[]);
    let home = site.page("index.html");
    let css = home
        .select(&sel("link[rel=stylesheet]"))
        .next()
        .unwrap()
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    assert!(css.starts_with("./style.css?h="), "{css}");
    assert!(site.out().join("style.css").is_file());
}

#[test]
fn data_json_follows_the_documented_schema() {
    let site = Site::copy_of("basic");
    let alice = site.root.join("content/actors/alice-archer.md");
    let text = std::fs::read_to_string(&alice).unwrap().replace(
        "aliases: [Archer, Mayor Archer]\n",
        "aliases: [Archer, Mayor Archer]\nimage: /favicon.svg\nlinks: [{title: Town hall, url: \"https://example.com/hall\"}]\n",
    );
    std::fs::write(&alice, text).unwrap();
    site.build(&[]);
    let data: Value =
        serde_json::from_slice(&std::fs::read(site.out().join("data.json")).unwrap()).unwrap();
    assert_eq!(data["site"]["title"], "Fixture & friends");
    let keys = |v: &Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    let mut top = keys(&data);
    top.sort();
    assert_eq!(top, ["actors", "events", "questions", "site", "stances"]);
    let actor = &data["actors"][0];
    let mut k = keys(actor);
    k.sort();
    assert_eq!(
        k,
        [
            "affiliations",
            "aliases",
            "id",
            "image",
            "kind",
            "links",
            "name",
            "role",
            "summary",
            "url"
        ]
    );
    assert_eq!(actor["affiliations"], serde_json::json!(["bridge-union"]));
    assert_eq!(
        actor["summary"],
        "Mayor who first opposed, then supported tolls."
    );
    assert_eq!(actor["image"], "https://example.com/favicon.svg");
    assert_eq!(
        actor["links"],
        serde_json::json!([{"title": "Town hall", "url": "https://example.com/hall"}])
    );
    assert_eq!(data["actors"][1]["image"], Value::Null);
    assert_eq!(data["actors"][1]["links"], serde_json::json!([]));
    assert_eq!(data["actors"][1]["role"], Value::Null);
    let ids: Vec<&str> = data["actors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["alice-archer", "bridge-union", "carol-chen"]);
    let q = &data["questions"][0];
    assert_eq!(q["positions"][1]["id"], "limited");
    assert_eq!(q["positions"][1]["label"], "Only for trucks");
    assert!(q["positions"][1]
        .as_object()
        .unwrap()
        .contains_key("description"));
    assert!(q.as_object().unwrap().contains_key("summary"));
    let stance = &data["stances"][0];
    let mut k = keys(stance);
    k.sort();
    assert_eq!(
        k,
        [
            "actor", "current", "date", "position", "question", "quote", "source", "sources",
            "summary"
        ]
    );
    assert_eq!(stance["date"], "2023");
    assert_eq!(stance["quote"], Value::Null);
    assert_eq!(
        data["stances"][1]["source"],
        serde_json::json!({"title": "Council minutes", "publisher": null, "url": null, "date": "2024-05-31", "archive_url": null, "accessed": null})
    );
    assert_eq!(
        data["stances"][1]["sources"][0],
        data["stances"][1]["source"]
    );
    let event = &data["events"][0];
    assert_eq!(event["end_date"], "2024-06-02");
    assert_eq!(
        event["actors"],
        serde_json::json!(["alice-archer", "carol-chen"])
    );
    assert_eq!(event["url"], "https://example.com/events/council-vote/");
    assert_eq!(event["summary"], Value::Null);
    assert!(event.as_object().unwrap().contains_key("summary"));
}

#[test]
fn timeline_merges_events_and_stances_in_date_order() {
    let site = Site::copy_of("basic");
    site.build(&[]);
    let doc = site.page("timeline/index.html");
    let body = doc
        .select(&sel("main"))
        .next()
        .unwrap()
        .text()
        .collect::<String>();
    let at = |needle: &str| {
        body.find(needle)
            .unwrap_or_else(|| panic!("{needle} missing from the timeline"))
    };
    // 2023 (Alice opposes) < 2024-05 (union) < 2024-05-30 (Alice supports) < 2024-06-01 (vote).
    assert!(at("Opposed tolls in her campaign") < at("Accepts tolls for trucks only"));
    assert!(at("Accepts tolls for trucks only") < at("Backed tolls after the budget review"));
    assert!(at("Backed tolls after the budget review") < at("Council votes on tolls"));
}

#[test]
fn feeds_and_search_index_are_written() {
    let site = Site::copy_of("basic");
    site.build(&[]);
    let out = site.out();
    let robots = std::fs::read_to_string(out.join("robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://example.com/sitemap.xml"));
    let atom = std::fs::read_to_string(out.join("atom.xml")).unwrap();
    assert!(atom.contains("<id>https://example.com/events/council-vote/</id>"));
    let newest = atom.find("Council votes on tolls").unwrap();
    let oldest = atom.find("Opposed tolls in her campaign").unwrap();
    assert!(newest < oldest, "atom lists newest first");
    let index: Value =
        serde_json::from_slice(&std::fs::read(out.join("search-index.json")).unwrap()).unwrap();
    let alice = index
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "alice-archer")
        .unwrap();
    assert_eq!(alice["url"], "actors/alice-archer/");
    assert_eq!(
        alice["aliases"],
        serde_json::json!(["Archer", "Mayor Archer"])
    );
    assert_eq!(alice["stances"][0]["position"], "Yes, for everyone");
}

#[test]
fn check_includes_drafts_only_when_asked() {
    let site = Site::copy_of("basic");
    // The draft links to nothing: an error only when drafts are part of the site.
    site.write(
        "content/guides/secret.md",
        "---\ntitle: Secret draft\ndraft: true\n---\nSee [[nobody-here]].\n",
    );
    let check = |extra: &[&str]| {
        Command::new(BIN)
            .arg("--root")
            .arg(&site.root)
            .arg("check")
            .args(extra)
            .output()
            .unwrap()
    };
    let plain = check(&[]);
    assert!(
        plain.status.success(),
        "{}",
        String::from_utf8_lossy(&plain.stderr)
    );
    assert!(String::from_utf8_lossy(&plain.stdout)
        .starts_with("Checked 3 actors, 1 questions, 1 events and 2 pages"));
    let drafts = check(&["--drafts"]);
    assert_eq!(drafts.status.code(), Some(1));
    let err = String::from_utf8_lossy(&drafts.stderr);
    assert!(err.contains("unknown id `nobody-here`"), "{err}");
    assert!(err.contains("--> content/guides/secret.md:5:5"), "{err}");
    assert!(!site.out().exists(), "check writes nothing");
}

/// The basic site with inline Markdown in a stance summary and its source's
/// title, a position description and an event summary.
fn site_with_short_texts() -> Site {
    let site = Site::copy_of("basic");
    site.write(
        "content/actors/carol-chen.md",
        "---\nname: Carol Chen\nkind: person\nrole: Councillor\nstances:\n  - question: tolls\n    position: support\n    date: 2024-06-01\n    summary: \"Voted *for* tolls with [[alice-archer]]; see [[council-vote|the vote]].\"\n    source: {title: \"*Council* minutes of [[council-vote]]\", url: \"https://example.com/minutes\"}\n---\nChen sits on the council.\n",
    );
    let tolls = std::fs::read_to_string(site.root.join("content/questions/tolls.md")).unwrap();
    site.write(
        "content/questions/tolls.md",
        &tolls.replace(
            "description: \"Every vehicle pays.\"",
            "description: \"Every `vehicle` pays, as [[carol-chen]] wants.\"",
        ),
    );
    let vote = std::fs::read_to_string(site.root.join("content/events/council-vote.md")).unwrap();
    site.write(
        "content/events/council-vote.md",
        &vote.replace(
            "place: City hall\n",
            "place: City hall\nsummary: \"A **tight** vote, says [[bridge-union]] & co.\"\n",
        ),
    );
    site.build(&[]);
    site
}

/// The inner HTML of every element `selector` selects.
fn inner(doc: &Html, selector: &str) -> Vec<String> {
    doc.select(&sel(selector)).map(|e| e.inner_html()).collect()
}

#[test]
fn short_texts_render_inline_markdown_with_working_links() {
    let site = site_with_short_texts();
    let summary = "Voted <em>for</em> tolls with <a href=\"{up}actors/alice-archer/\">Alice Archer</a>; see <a href=\"{up}events/council-vote/\">the vote</a>.";
    let on = |up: &str| summary.replace("{up}", up);

    let carol = site.page("actors/carol-chen/index.html");
    assert_eq!(inner(&carol, ".stance-summary"), [on("../../")]);
    // On its actor's page, the source is the numbered reference.
    let source = inner(&carol, ".source-list li").concat();
    assert!(
        source.contains("<cite><em>Council</em> minutes of <a href=\"../../events/council-vote/\">Council votes on tolls</a></cite>"),
        "a title with links is not put inside the source's link: {source}"
    );
    let question = site.page("questions/tolls/index.html");
    assert!(
        inner(&question, ".card-summary").contains(&on("../../")),
        "{:?}",
        inner(&question, ".card-summary")
    );
    assert_eq!(
        inner(&question, ".band-desc"),
        ["Every <code>vehicle</code> pays, as <a href=\"../../actors/carol-chen/\">Carol Chen</a> wants."]
    );
    let timeline = site.page("timeline/index.html");
    let entries = inner(&timeline, ".tl-summary");
    assert!(entries.contains(&on("../")), "{entries:?}");
    assert!(
        entries.contains(&"A <strong>tight</strong> vote, says <a href=\"../actors/bridge-union/\">Bridge Union</a> &amp; co.".to_string()),
        "{entries:?}"
    );

    // Where HTML would be wrong, the plain text.
    let event = site.page("events/council-vote/index.html");
    let meta = |doc: &Html, s: &str| -> Vec<String> {
        doc.select(&sel(s))
            .filter_map(|e| e.value().attr("content").map(str::to_string))
            .collect()
    };
    let plain = "A tight vote, says Bridge Union & co.";
    assert_eq!(meta(&event, "meta[name=description]"), [plain]);
    assert_eq!(meta(&event, "meta[property='og:description']"), [plain]);
    let ld: Value =
        serde_json::from_str(&texts(&event, "script[type='application/ld+json']")[0]).unwrap();
    assert_eq!(ld["description"], plain);

    // Their links count as the file's: backlinks, and every link works.
    let backlinked = |page: &str, from: &str| {
        let doc = site.page(page);
        assert!(
            hrefs(&doc, ".backlinks a").iter().any(|h| h == from),
            "{page} lists {from}: {:?}",
            hrefs(&doc, ".backlinks a")
        );
    };
    backlinked("actors/alice-archer/index.html", "../../actors/carol-chen/");
    backlinked("events/council-vote/index.html", "../../actors/carol-chen/");
    backlinked("actors/carol-chen/index.html", "../../questions/tolls/");
    backlinked(
        "actors/bridge-union/index.html",
        "../../events/council-vote/",
    );
    assert_eq!(broken_links(&site.out(), "/"), Vec::<String>::new());
}

#[test]
fn feeds_search_and_data_json_get_the_plain_text_of_short_texts() {
    let site = site_with_short_texts();
    let out = site.out();
    let summary = "Voted for tolls with Alice Archer; see the vote.";
    let data: Value =
        serde_json::from_slice(&std::fs::read(out.join("data.json")).unwrap()).unwrap();
    let carol = data["stances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["actor"] == "carol-chen")
        .unwrap();
    assert_eq!(carol["summary"], summary);
    assert_eq!(
        carol["source"]["title"],
        "Council minutes of Council votes on tolls"
    );
    let index: Value =
        serde_json::from_slice(&std::fs::read(out.join("search-index.json")).unwrap()).unwrap();
    let vote = index
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "council-vote")
        .unwrap();
    assert_eq!(vote["summary"], "A tight vote, says Bridge Union & co.");
    let atom = std::fs::read_to_string(out.join("atom.xml")).unwrap();
    assert!(
        atom.contains(&format!("<summary>{summary}</summary>")),
        "{atom}"
    );
    assert!(
        atom.contains("<summary>A tight vote, says Bridge Union &amp; co.</summary>"),
        "{atom}"
    );
    // Markup only in the entries' HTML content, never in their summaries.
    let summaries: Vec<&str> = atom
        .split("<summary>")
        .skip(1)
        .filter_map(|s| s.split("</summary>").next())
        .collect();
    assert!(summaries.len() > 1, "{atom}");
    assert!(summaries.iter().all(|s| !s.contains("&lt;")), "{atom}");
    assert!(atom.contains("<content type=\"html\">"), "{atom}");
}

/// The basic site with sources of every shape: a stance with two (one archived),
/// a source (by URL) shared by two stances and an event, and a `source:` stance.
fn site_with_sources() -> Site {
    let site = Site::copy_of("basic");
    site.write(
        "content/actors/alice-archer.md",
        "---\nname: Alice Archer\nkind: person\nstances:\n  - question: tolls\n    position: oppose\n    date: 2023\n    source: {title: \"Campaign leaflet\", publisher: \"Archer campaign\", url: \"https://example.com/leaflet\"}\n  - question: tolls\n    position: support\n    date: 2024-05-30\n    sources:\n      - title: \"Council minutes\"\n        url: \"https://example.com/minutes\"\n        date: 2024-05-31\n        archive_url: \"https://web.archive.org/web/2024/https://example.com/minutes\"\n        accessed: 2024-06-03\n      - {title: \"Budget *review*\", publisher: City, date: 2024-05-20}\n---\nArcher is the mayor.\n",
    );
    site.write(
        "content/actors/carol-chen.md",
        "---\nname: Carol Chen\nkind: person\nstances:\n  - question: tolls\n    position: support\n    date: 2024-06-01\n    sources:\n      - {title: \"Minutes of the council\", url: \"https://example.com/minutes\"}\n      - {title: \"Minutes, again\", url: \"https://example.com/minutes\"}\n---\nChen sits on the council.\n",
    );
    site.write(
        "content/events/council-vote.md",
        "---\ntitle: Council votes on tolls\ndate: 2024-06-01\nactors: [alice-archer, carol-chen]\nquestions: [tolls]\nsources:\n  - {title: \"Council minutes\", url: \"https://example.com/minutes\"}\n  - {title: \"Local paper\", publisher: Riverton Post, date: 2024-06-02}\n---\nThe council voted.\n",
    );
    site.build(&[]);
    site
}

fn attrs(doc: &Html, selector: &str, attr: &str) -> Vec<String> {
    doc.select(&sel(selector))
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

#[test]
fn pages_number_their_sources_once_each_with_archived_copies() {
    let site = site_with_sources();
    let alice = site.page("actors/alice-archer/index.html");
    // The current stance first, then the earlier one: one number per source.
    assert_eq!(
        attrs(&alice, ".source-list li", "id"),
        ["source-1", "source-2", "source-3"]
    );
    let list = texts(&alice, ".source-list li");
    assert_eq!(
        list[0],
        "Council minutes (31 May 2024) · archived copy · accessed 3 June 2024"
    );
    assert_eq!(list[1], "Budget review (City, 20 May 2024)");
    assert_eq!(list[2], "Campaign leaflet (Archer campaign)");
    assert_eq!(
        hrefs(&alice, ".source-list li:first-child a"),
        [
            "https://example.com/minutes",
            "https://web.archive.org/web/2024/https://example.com/minutes"
        ]
    );
    assert_eq!(
        hrefs(&alice, ".stance-card > .source-refs a"),
        ["#source-1", "#source-2"]
    );
    assert_eq!(hrefs(&alice, ".track .source-refs a"), ["#source-3"]);

    // One source written twice in a list is one reference.
    let carol = site.page("actors/carol-chen/index.html");
    assert_eq!(attrs(&carol, ".source-list li", "id"), ["source-1"]);
    assert_eq!(hrefs(&carol, ".stance-card .source-refs a"), ["#source-1"]);

    // The question numbers the sources of every stance it shows (not the events').
    let question = site.page("questions/tolls/index.html");
    let ids = attrs(&question, ".source-list li", "id");
    assert_eq!(ids.len(), 4, "{:?}", texts(&question, ".source-list li"));
    let ld: Value =
        serde_json::from_str(&texts(&question, "script[type='application/ld+json']")[0]).unwrap();
    assert_eq!(ld["citation"].as_array().unwrap().len(), 4);
    assert_eq!(ld["citation"][0]["@type"], "CreativeWork");

    let event = site.page("events/council-vote/index.html");
    assert_eq!(hrefs(&event, ".source-refs a"), ["#source-1", "#source-2"]);
    // The actor's page cites them (a ProfilePage about the actor).
    let ld: Value =
        serde_json::from_str(&texts(&alice, "script[type='application/ld+json']")[1]).unwrap();
    assert_eq!(ld["@type"], "ProfilePage");
    assert_eq!(ld["citation"][1]["name"], "Budget review");
    assert_eq!(ld["citation"][0]["datePublished"], "2024-05-31");
    assert!(broken_links(&site.out(), "/").is_empty());
}

#[test]
fn the_sources_page_lists_each_source_once_with_what_cites_it() {
    let site = site_with_sources();
    let page = site.page("sources/index.html");
    let titles: Vec<String> = texts(&page, ".source-entry .source-line cite");
    assert_eq!(
        titles,
        [
            "Budget review",
            "Campaign leaflet",
            "Council minutes",
            "Local paper",
            "Union statement"
        ]
    );
    let minutes = page.select(&sel(".source-entry")).nth(2).unwrap();
    let cited: Vec<String> = minutes
        .select(&sel(".cited-list a"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(
        cited,
        [
            "../actors/alice-archer/#stance-tolls-2024-05-30",
            "../actors/carol-chen/#stance-tolls-2024-06-01",
            "../events/council-vote/"
        ]
    );
    // Every back link leads to a page and an id that exist.
    assert!(broken_links(&site.out(), "/").is_empty());
    let sitemap = std::fs::read_to_string(site.out().join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("/sources/</loc>"));
    let footer = site.page("index.html");
    assert!(hrefs(&footer, ".footer-links a").contains(&"./sources/".to_string()));

    let data: Value =
        serde_json::from_str(&std::fs::read_to_string(site.out().join("data.json")).unwrap())
            .unwrap();
    let stances = data["stances"].as_array().unwrap();
    let alice_now = &stances[1];
    assert_eq!(alice_now["sources"].as_array().unwrap().len(), 2);
    assert_eq!(alice_now["source"], alice_now["sources"][0]);
    assert_eq!(
        alice_now["sources"][0]["archive_url"],
        "https://web.archive.org/web/2024/https://example.com/minutes"
    );
    assert_eq!(alice_now["sources"][0]["accessed"], "2024-06-03");
    assert_eq!(stances[0]["sources"].as_array().unwrap().len(), 1);
    assert_eq!(
        data["events"][0]["sources"][1],
        serde_json::json!({"title": "Local paper", "publisher": "Riverton Post", "url": null, "date": "2024-06-02", "archive_url": null, "accessed": null})
    );
}

/// Reads a CSV export: its header and its rows.
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

#[test]
fn csv_and_popolo_exports_hold_every_actor_stance_and_event() {
    let site = Site::copy_of("basic");
    site.build(&[]);
    let out = site.out();
    let data: Value =
        serde_json::from_slice(&std::fs::read(out.join("data.json")).unwrap()).unwrap();
    let ids = |key: &str, field: &str| -> Vec<String> {
        data[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x[field].as_str().unwrap().to_string())
            .collect()
    };

    let (header, actors) = read_csv(&out.join("data/actors.csv"));
    assert_eq!(
        header,
        [
            "id",
            "name",
            "kind",
            "role",
            "affiliations",
            "aliases",
            "summary",
            "image"
        ]
    );
    assert_eq!(
        actors.iter().map(|r| r[0].clone()).collect::<Vec<_>>(),
        ids("actors", "id")
    );
    let alice = &actors[0];
    assert_eq!(alice[1], "Alice Archer");
    assert_eq!(alice[3], "Mayor of <Riverton>");
    assert_eq!(alice[4], "bridge-union");
    assert_eq!(alice[5], "Archer;Mayor Archer");

    let (header, stances) = read_csv(&out.join("data/stances.csv"));
    assert_eq!(header[..4], ["actor", "question", "position", "date"]);
    assert_eq!(header.len(), 11);
    assert_eq!(stances.len(), data["stances"].as_array().unwrap().len());
    for (row, s) in stances.iter().zip(data["stances"].as_array().unwrap()) {
        for (k, key) in ["actor", "question", "position", "date"].iter().enumerate() {
            assert_eq!(row[k], s[*key].as_str().unwrap(), "{key} of {row:?}");
        }
        let title = s["source"]["title"].as_str().unwrap_or("");
        assert_eq!(row[6], title);
    }
    // A quote with a comma and quotes inside survives the round trip.
    assert!(stances
        .iter()
        .any(|r| r[5] == "We cannot fix the bridge for free."));

    let (header, events) = read_csv(&out.join("data/events.csv"));
    assert_eq!(
        header,
        [
            "id",
            "title",
            "date",
            "end_date",
            "place",
            "actors",
            "questions",
            "summary"
        ]
    );
    assert_eq!(
        events.iter().map(|r| r[0].clone()).collect::<Vec<_>>(),
        ids("events", "id")
    );
    assert_eq!(events[0][5], "alice-archer;carol-chen");

    // Popolo: every actor exactly once, persons apart from the rest, memberships
    // between actors that exist, each with the page's URL.
    let popolo: Value =
        serde_json::from_slice(&std::fs::read(out.join("data/popolo.json")).unwrap()).unwrap();
    let mut named: Vec<String> = Vec::new();
    for list in ["persons", "organizations"] {
        for p in popolo[list].as_array().unwrap() {
            let id = p["id"].as_str().unwrap().to_string();
            let kind = data["actors"]
                .as_array()
                .unwrap()
                .iter()
                .find(|a| a["id"] == id.as_str())
                .unwrap()["kind"]
                .clone();
            assert_eq!(kind == "person", list == "persons", "{id} in {list}");
            let url = p["links"][0]["url"].as_str().unwrap();
            assert_eq!(url, format!("https://example.com/actors/{id}/"));
            named.push(id);
        }
    }
    named.sort();
    assert_eq!(named, ids("actors", "id"));
    let memberships = popolo["memberships"].as_array().unwrap();
    assert!(memberships
        .iter()
        .any(|m| m["person_id"] == "alice-archer" && m["organization_id"] == "bridge-union"));
    for m in memberships {
        assert!(named.contains(&m["member_id"].as_str().unwrap().to_string()));
        assert!(named.contains(&m["organization_id"].as_str().unwrap().to_string()));
    }

    // The open-data page explains and links every file; the footer links the page.
    let page = site.page("data/index.html");
    let links: Vec<String> = page
        .select(&Selector::parse(".data-files dt a").unwrap())
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(
        links,
        [
            "../data.json",
            "../data/actors.csv",
            "../data/stances.csv",
            "../data/events.csv",
            "../data/popolo.json"
        ]
    );
    for link in &links {
        assert!(out.join("data").join(link).is_file(), "{link}");
    }
    let home = site.page("index.html");
    assert!(home
        .select(&Selector::parse(".footer-links a[href='./data/']").unwrap())
        .next()
        .is_some());
}
