//! Embeds for other sites, on the built example: `/embed/questions/<id>/`,
//! `/embed/actors/<id>/` and `/embed/matrix/` without the site's frame, links to
//! the full site in the top window, `noindex` and out of the sitemap, with the
//! oEmbed discovery link and its `oembed.json`; the "Embed" disclosure of
//! question and actor pages. Then in Chromium: an `<iframe>` of an embed on a
//! page of another origin (another port) grows to the embed's height from its
//! `postMessage`, a click on one of its links opens the full site in the top
//! window, and axe finds nothing on the embed pages.
//!
//! The browser test needs `chromium` and `.ci/node/node_modules/axe-core`.

#[path = "common/browser.rs"]
mod browser;
#[path = "common/example.rs"]
mod example;
#[path = "common/nu.rs"]
mod nu;
#[path = "common/static_server.rs"]
mod static_server;

use example::build_example;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use scraper::{ElementRef, Html, Selector};
use serde_json::{json, Value};

use browser::{Browser, Page};
use static_server::StaticServer;

const BIN: &str = env!("CARGO_BIN_EXE_standpoint");
const BASE: &str = "https://example.org/explainer/";
const WAIT: Duration = Duration::from_secs(10);

fn select<'a>(doc: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every embed page of the example (site path without the leading `/`), with the
/// full page it is of.
fn embeds(out: &Path) -> Vec<(String, String)> {
    let data: Value = serde_json::from_str(&read(out, "data.json")).unwrap();
    let mut all = Vec::new();
    for kind in ["questions", "actors"] {
        for e in data[kind].as_array().unwrap() {
            let id = e["id"].as_str().unwrap();
            all.push((format!("embed/{kind}/{id}/"), format!("{kind}/{id}/")));
        }
    }
    all.push(("embed/matrix/".to_string(), String::new()));
    all
}

/// The file a relative link of the page at `page` (a folder path) names, if any.
fn target_of(out: &Path, page: &str, href: &str) -> PathBuf {
    let path = href.split('#').next().unwrap_or_default();
    let mut file = out.join(page).join(path);
    if path.is_empty() || path.ends_with('/') {
        file = file.join("index.html");
    }
    file
}

#[test]
fn embed_pages_have_no_site_frame_and_open_links_in_the_top_window() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_example(&out, BASE);
    let sitemap = read(&out, "sitemap.xml");
    assert!(
        !sitemap.contains("/embed/"),
        "embeds are out of the sitemap"
    );
    let list = embeds(&out);
    assert!(list.len() >= 17, "{}", list.len());
    for (path, full) in &list {
        let doc = Html::parse_document(&read(&out, &format!("{path}index.html")));
        for frame in ["header", "nav", "footer", ".skip-link", ".site-search"] {
            assert!(select(&doc, frame).is_empty(), "{path}: has {frame}");
        }
        assert_eq!(select(&doc, "main").len(), 1, "{path}: one <main>");
        assert_eq!(select(&doc, "h1").len(), 1, "{path}: one <h1>");
        assert_eq!(select(&doc, "html")[0].value().attr("lang"), Some("en"));
        assert!(!select(&doc, "title")[0].inner_html().is_empty(), "{path}");
        let robots = select(&doc, "meta[name=robots]");
        assert_eq!(robots[0].value().attr("content"), Some("noindex"), "{path}");
        // The base sends every link to the top window; no link overrides it.
        let base = select(&doc, "head base");
        assert_eq!(base[0].value().attr("target"), Some("_top"), "{path}");
        let links = select(&doc, "a[href]");
        assert!(links.len() >= 2, "{path}: {} links", links.len());
        for a in &links {
            let target = a.value().attr("target");
            assert!(matches!(target, None | Some("_top")), "{path}: {target:?}");
            let href = a.value().attr("href").unwrap();
            assert!(
                target_of(&out, path, href).is_file(),
                "{path}: {href} names no file"
            );
        }
        // The title line links the full page and the site.
        let credit: Vec<&str> = select(&doc, "h1 a")
            .iter()
            .filter_map(|a| a.value().attr("href"))
            .collect();
        let depth = "../".repeat(path.matches('/').count());
        assert!(credit.contains(&depth.as_str()), "{path}: {credit:?}");
        assert!(
            credit.contains(&format!("{depth}{full}").as_str()),
            "{path}: {credit:?}"
        );
        check_oembed(&out, &doc, path);
    }
}

/// The discovery link of the embed `path` and the `oembed.json` it names.
fn check_oembed(out: &Path, doc: &Html, path: &str) {
    let link = select(doc, "link[rel=alternate][type='application/json+oembed']");
    let href = link[0].value().attr("href").unwrap();
    assert_eq!(href, format!("{BASE}{path}oembed.json"));
    let answer: Value = serde_json::from_str(&read(out, &format!("{path}oembed.json"))).unwrap();
    assert_eq!(answer["version"], "1.0", "{path}");
    assert_eq!(answer["type"], "rich", "{path}");
    assert_eq!(
        answer["provider_name"],
        "Strikes inside Russia: who stands where"
    );
    assert_eq!(answer["provider_url"], BASE);
    assert!(!answer["title"].as_str().unwrap().is_empty(), "{path}");
    assert!(answer["width"].as_u64().unwrap() > 0, "{path}");
    let height = answer["height"].as_u64().unwrap();
    assert!(height > 100, "{path}: {height}");
    let iframe = Html::parse_fragment(answer["html"].as_str().unwrap());
    let frame = select(&iframe, "iframe")[0].value();
    assert_eq!(frame.attr("src"), Some(&*format!("{BASE}{path}")));
    assert_eq!(frame.attr("height"), Some(&*height.to_string()));
    assert!(frame.attr("title").is_some_and(|t| !t.is_empty()));
}

#[test]
fn embeds_show_the_spectrum_the_card_and_the_matrix() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_example(&out, BASE);
    let doc = |rel: &str| Html::parse_document(&read(&out, rel));
    let question = doc("embed/questions/strikes-inside-russia/index.html");
    let bands = select(&question, ".embed-spectrum .embed-band");
    let full = doc("questions/strikes-inside-russia/index.html");
    assert_eq!(bands.len(), select(&full, ".spectrum .band").len());
    let named: Vec<String> = select(&question, ".embed-actors a")
        .iter()
        .map(|a| a.text().collect())
        .collect();
    let on_page: Vec<String> = select(&full, ".band-actors .card-title a")
        .iter()
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(named, on_page, "the same actors on each position");

    let actor = doc("embed/actors/joe-biden/index.html");
    let title: String = select(&actor, ".embed-card .embed-title a")[0]
        .text()
        .collect();
    assert_eq!(title, "Joe Biden");
    let full = doc("actors/joe-biden/index.html");
    assert_eq!(
        select(&actor, ".mini-stances li").len(),
        select(&full, ".stance-card").len(),
        "one line a current stance"
    );

    let matrix = doc("embed/matrix/index.html");
    let rows = select(&matrix, "table.matrix tbody tr");
    assert!(rows.len() >= 5, "{} rows", rows.len());
    assert!(!select(&matrix, "table.matrix thead th[scope=col]").is_empty());
}

#[test]
fn question_and_actor_pages_offer_the_embed_code_and_oembed_discovery() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_example(&out, BASE);
    for (path, full) in embeds(&out) {
        if full.is_empty() {
            continue;
        }
        let page = Html::parse_document(&read(&out, &format!("{full}index.html")));
        let details = select(&page, "details.embed-code");
        assert_eq!(details.len(), 1, "{full}");
        let summary: String = select(&page, "details.embed-code > summary")[0]
            .text()
            .collect();
        assert_eq!(summary, "Embed");
        let text = select(&page, "details.embed-code textarea")[0];
        assert!(text.value().attr("readonly").is_some(), "{full}");
        let id = text.value().attr("id").unwrap();
        let label = select(&page, &format!("details.embed-code label[for={id}]"));
        assert_eq!(label.len(), 1, "{full}: the textarea's label");
        assert_eq!(
            select(&page, "details.embed-code [aria-live=polite]").len(),
            1
        );
        // The code: an iframe of the embed, by its absolute URL.
        let code: String = text.text().collect();
        let iframe = Html::parse_fragment(&code);
        let frame = select(&iframe, "iframe")[0].value();
        assert_eq!(frame.attr("src"), Some(&*format!("{BASE}{path}")), "{full}");
        assert_eq!(frame.attr("width"), Some("100%"));
        assert!(frame.attr("title").is_some_and(|t| !t.is_empty()));
        assert!(frame
            .attr("height")
            .is_some_and(|h| h.parse::<u32>().is_ok()));
        assert!(
            select(&iframe, "script").is_empty(),
            "no script in the code"
        );
        let oembed = select(&page, "link[rel=alternate][type='application/json+oembed']");
        assert_eq!(
            oembed[0].value().attr("href"),
            Some(&*format!("{BASE}{path}oembed.json")),
            "{full}"
        );
    }
}

/// The example built for `server`'s sub-path.
fn served_example(dir: &Path) -> StaticServer {
    let out = dir.join("public");
    build_example(&out, "https://news.example.com/explainer/");
    StaticServer::start(&out, "/explainer/")
}

/// A news page on another origin with an `<iframe>` of `src`, sized by the
/// messages the embed sends.
fn host_page(dir: &Path, src: &str) -> StaticServer {
    let host = dir.join("host");
    std::fs::create_dir_all(&host).unwrap();
    let html = format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Host</title>
<script>
window.reported = 0;
window.addEventListener("message", function (e) {{
  var h = e.data && e.data["standpoint-height"];
  if (typeof h !== "number") return;
  window.reported = h;
  document.getElementById("spectrum").style.height = h + "px";
}});
</script></head>
<body style="margin:0"><main><h1>News</h1>
<iframe id="spectrum" src="{src}" title="Who stands where" height="150" style="border:0;width:800px;display:block"></iframe>
<p>More news.</p></main></body></html>
"#
    );
    std::fs::write(host.join("host.html"), html).unwrap();
    StaticServer::start(&host, "/")
}

/// Evaluates `expression` inside the page's only `<iframe>`, cross-origin or not.
fn eval_in_frame(page: &mut Page, expression: &str) -> Value {
    let tree = page.call("Page.getFrameTree", json!({}));
    let frame = tree["frameTree"]["childFrames"][0]["frame"]["id"]
        .as_str()
        .expect("the host page has an iframe")
        .to_string();
    let world = page.call(
        "Page.createIsolatedWorld",
        json!({"frameId": frame, "worldName": "embed-test"}),
    );
    let result = page.call(
        "Runtime.evaluate",
        json!({
            "expression": expression,
            "contextId": world["executionContextId"],
            "returnByValue": true,
        }),
    );
    result["result"]["value"].clone()
}

#[test]
fn an_iframe_of_an_embed_on_another_origin_fits_its_content_and_opens_links_on_top() {
    let dir = tempfile::tempdir().unwrap();
    let site = served_example(dir.path());
    let embed = site.url("embed/questions/strikes-inside-russia/");
    let host = host_page(dir.path(), &embed);
    assert_ne!(host.origin(), site.origin());

    let mut browser = Browser::launch();
    let mut page = browser.new_page();
    page.set_viewport(1000, 700);
    page.navigate(&host.url("host.html"));
    page.wait_for("window.reported > 150", WAIT);
    page.wait_for(
        "Math.abs(document.getElementById('spectrum').getBoundingClientRect().height - window.reported) < 1",
        WAIT,
    );
    let frame_height = page
        .eval("document.getElementById('spectrum').getBoundingClientRect().height")
        .as_f64()
        .unwrap();
    let content = eval_in_frame(&mut page, "document.documentElement.scrollHeight")
        .as_f64()
        .unwrap();
    assert!(frame_height > 150.0, "{frame_height}");
    assert!(
        (frame_height - content).abs() <= 3.0,
        "iframe {frame_height} px, its document {content} px"
    );

    // A real click on the title line's link navigates the top window.
    let at = eval_in_frame(
        &mut page,
        "(() => { const r = document.querySelector('h1 a').getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })()",
    );
    let frame_at = page.eval(
        "(() => { const r = document.getElementById('spectrum').getBoundingClientRect(); return [r.left, r.top]; })()",
    );
    let x = frame_at[0].as_f64().unwrap() + at[0].as_f64().unwrap();
    let y = frame_at[1].as_f64().unwrap() + at[1].as_f64().unwrap();
    for kind in ["mousePressed", "mouseReleased"] {
        page.call(
            "Input.dispatchMouseEvent",
            json!({"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}),
        );
    }
    let full = site.url("questions/strikes-inside-russia/");
    page.wait_for(&format!("location.href === {}", json!(full)), WAIT);
    let frames = page.eval("document.querySelectorAll('iframe').length");
    assert_eq!(frames, json!(0), "the top window shows the full page");
    drop(site);
}

fn axe_source() -> String {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/node/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "axe-core is missing at {} ({e}): run .ci/run, or \
             `npm install --prefix .ci/node vnu-jar axe-core`",
            path.display()
        )
    })
}

/// Screenshots go where theme_browser.rs puts its own.
fn shots_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("browser-shots")
}

#[test]
fn embed_pages_have_no_axe_violations_at_375_and_1280_in_both_schemes() {
    let dir = tempfile::tempdir().unwrap();
    let site = served_example(dir.path());
    let axe = axe_source();
    let mut browser = Browser::launch();
    let mut page = browser.new_page();
    let mut problems = Vec::new();
    let pages = [
        ("embed-question", "embed/questions/strikes-inside-russia/"),
        ("embed-actor", "embed/actors/joe-biden/"),
        ("embed-matrix", "embed/matrix/"),
        (
            "question-with-embed-code",
            "questions/strikes-inside-russia/",
        ),
    ];
    for width in [375, 1280] {
        page.set_viewport(width, 800);
        for scheme in ["light", "dark"] {
            page.emulate_media("", &[("prefers-color-scheme", scheme)]);
            for (name, path) in pages {
                let at = format!("{path} at {width}px, {scheme}");
                page.navigate(&site.url(path));
                page.eval("document.querySelectorAll('details').forEach(d => d.open = true)");
                page.eval(&axe);
                let found = page.eval(
                    "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v =>
                       `${v.id}: ${v.help} at ${v.nodes.map(n => n.target.join(' ')).join(', ')}`))",
                );
                for v in found.as_array().into_iter().flatten() {
                    problems.push(format!("{at}: {v}"));
                }
                let overflow = page.eval(
                    "document.documentElement.scrollWidth > document.documentElement.clientWidth",
                );
                if overflow == json!(true) {
                    problems.push(format!("{at}: overflows sideways"));
                }
                for m in page.console_errors() {
                    problems.push(format!("{at}: console: {m}"));
                }
                for r in page.failed_requests() {
                    problems.push(format!("{at}: failed request: {r}"));
                }
                page.clear_logs();
                if name.starts_with("embed") {
                    page.screenshot(&shots_dir().join(format!("{name}-{width}-{scheme}.png")));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_copy_button_copies_the_code_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let site = served_example(dir.path());
    let mut browser = Browser::launch();
    let mut page = browser.new_page();
    page.set_viewport(1280, 800);
    page.navigate(&site.url("actors/joe-biden/"));
    page.eval("document.querySelector('details.embed-code').open = true");
    let button = page.eval("document.querySelector('details.embed-code button').textContent");
    assert_eq!(button, json!("Copy"));
    page.eval("document.querySelector('details.embed-code button').click()");
    page.wait_for(
        "document.querySelector('.embed-code-status').textContent !== ''",
        WAIT,
    );
    let status = page.eval("document.querySelector('.embed-code-status').textContent");
    assert!(
        status == json!("Copied") || status.as_str().is_some_and(|s| s.contains("copy")),
        "{status}"
    );
}

#[test]
fn a_theme_without_embed_html_builds_without_embeds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy(&repo.join("content"), &root.join("content"));
    copy(&repo.join("themes/default"), &root.join("themes/plain"));
    std::fs::remove_file(root.join("themes/plain/templates/embed.html")).unwrap();
    let yaml = std::fs::read_to_string(repo.join("site.yaml")).unwrap();
    std::fs::write(root.join("site.yaml"), format!("{yaml}theme: plain\n")).unwrap();
    let out = dir.path().join("public");
    let result = Command::new(BIN)
        .arg("--root")
        .arg(&root)
        .args(["build", "--output"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    assert!(out
        .join("questions/strikes-inside-russia/index.html")
        .is_file());
    assert!(out
        .join("questions/strikes-inside-russia/atom.xml")
        .is_file());
    assert!(!out.join("embed").exists(), "no embeds without embed.html");
}

/// Copies the folder `from` to `to`, recursively.
fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of the example site under `dir`, with `files` written into it.
fn example_with(dir: &Path, files: &[(&str, &str)]) -> PathBuf {
    let root = dir.join("site");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy(&repo.join("content"), &root.join("content"));
    std::fs::copy(repo.join("site.yaml"), root.join("site.yaml")).unwrap();
    for (rel, text) in files {
        std::fs::write(root.join(rel), text).unwrap();
    }
    root
}

fn build_root(root: &Path) -> std::process::Output {
    Command::new(BIN)
        .arg("--root")
        .arg(root)
        .arg("build")
        .arg("--output")
        .arg(root.join("public"))
        .output()
        .unwrap()
}

#[test]
fn links_to_embeds_and_feeds_are_checked_and_clashes_reported() {
    let dir = tempfile::tempdir().unwrap();
    let good = "---\ntitle: Share\n---\n\n[Matrix](/embed/matrix/), [feed](/questions/strikes-inside-russia/atom.xml), [oEmbed](/embed/actors/joe-biden/oembed.json).\n";
    let root = example_with(dir.path(), &[("content/share.md", good)]);
    let result = build_root(&root);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );

    let dir = tempfile::tempdir().unwrap();
    let bad = "---\ntitle: Share\n---\n\n[Nothing](/embed/questions/no-such-question/).\n";
    let root = example_with(dir.path(), &[("content/share.md", bad)]);
    let result = build_root(&root);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(!result.status.success());
    assert!(
        stderr.contains("no page or file at `/embed/questions/no-such-question/`"),
        "{stderr}"
    );

    let dir = tempfile::tempdir().unwrap();
    let root = example_with(dir.path(), &[]);
    std::fs::create_dir_all(root.join("content/embed")).unwrap();
    std::fs::write(
        root.join("content/embed/matrix.md"),
        "---\ntitle: Mine\n---\n",
    )
    .unwrap();
    let result = build_root(&root);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(!result.status.success());
    assert!(
        stderr.contains("`content/embed/matrix.md` and the embed `/embed/matrix/` are both written to `embed/matrix/index.html`"),
        "{stderr}"
    );
}

#[test]
fn embed_pages_pass_the_nu_html_checker() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_example(&out, BASE);
    let errors = nu::nu_errors(
        &out,
        &[
            out.join("embed"),
            out.join("questions/strikes-inside-russia/index.html"),
            out.join("actors/joe-biden/index.html"),
        ],
    );
    assert!(
        errors.is_empty(),
        "the Nu HTML Checker found errors:\n{errors}"
    );
}
