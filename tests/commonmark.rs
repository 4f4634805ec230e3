//! The CommonMark 0.31.2 spec examples, each built as the body of a page of a site
//! with `autolink: none` and smart punctuation off. An example that builds must
//! render the spec's HTML, with site paths as the resolve stage writes them (`/x`,
//! before they are made relative to the page) and without the ids and self-links
//! standpoint adds to headings. An example may fail the build only because a link
//! names a page, file or id the site does not have, reads as a wiki-link, or uses a
//! scheme that runs code (`javascript:`): standpoint checks every link.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use standpoint::load::tree::{FileData, SourceTree};
use standpoint::pipeline::{self, BuildOptions, Reuse};

struct Example {
    number: usize,
    section: String,
    markdown: String,
    html: String,
}

/// The examples of the spec, numbered as the spec numbers them.
fn examples() -> Vec<Example> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/commonmark/spec.txt"
    );
    let text = std::fs::read_to_string(path).unwrap().replace("\r\n", "\n");
    let text = text.split("\n<!-- END TESTS -->").next().unwrap();
    let fence = "`".repeat(32);
    let mut examples = Vec::new();
    let mut section = String::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.starts_with('#') {
            section = line.trim_start_matches('#').trim().to_string();
        } else if line == format!("{fence} example") {
            let (mut markdown, mut html, mut in_html) = (String::new(), String::new(), false);
            for l in lines.by_ref() {
                if l == fence {
                    break;
                } else if l == "." && !in_html {
                    in_html = true;
                } else if in_html {
                    html.push_str(l);
                    html.push('\n');
                } else {
                    markdown.push_str(l);
                    markdown.push('\n');
                }
            }
            examples.push(Example {
                number: examples.len() + 1,
                section: section.clone(),
                markdown: markdown.replace('→', "\t"),
                html: html.replace('→', "\t"),
            });
        }
    }
    examples
}

/// A site of one page whose body is `markdown`.
fn site_of(markdown: &str) -> SourceTree {
    let mut files = BTreeMap::new();
    let text = |s: String| FileData::Text(Arc::from(s));
    files.insert(
        "site.yaml".to_string(),
        text("title: Spec\nbase_url: https://example.org/\nautolink: none\nmarkdown: {smart_punctuation: false}\n".into()),
    );
    files.insert(
        "content/example.md".to_string(),
        text(format!("---\ntitle: Example\n---\n{markdown}")),
    );
    SourceTree {
        root: PathBuf::from("/nonexistent/spec-site"),
        root_exists: true,
        has_content: true,
        files,
        unlisted: Vec::new(),
    }
}

/// The messages of the errors a build may fail with: a link standpoint checks.
const ALLOWED_ERRORS: [&str; 6] = [
    "no page or file at ",
    "no id `",
    "unknown id `",
    "link to a file that does not exist",
    "leads outside `content/`",
    "URL is never written as a link",
];

/// `html` without the heading ids and self-links standpoint adds.
fn without_heading_ids(html: &str) -> String {
    let mut out = html.to_string();
    while let Some(start) = out.find("<a class=\"anchor\" href=\"#") {
        let end = start + out[start..].find("</a>").unwrap() + 4;
        out.replace_range(start..end, "");
    }
    for level in 1..=6 {
        let open = format!("<h{level} id=\"");
        while let Some(start) = out.find(&open) {
            let id_start = start + open.len() - 5;
            let end = id_start + 5 + out[id_start + 5..].find('"').unwrap() + 1;
            out.replace_range(id_start..end, "");
        }
    }
    out
}

/// What the spec's own test runner (`normalize.py`) makes equal: `"` and `&quot;`
/// in text, and white space between block tags (here: after `<li>`).
fn normalized(html: &str) -> String {
    html.replace("&quot;", "\"").replace("<li>\n", "<li>")
}

#[test]
fn every_spec_example_that_builds_renders_the_spec_html() {
    let examples = examples();
    assert_eq!(examples.len(), 652, "the 0.31.2 spec has 652 examples");
    let options = BuildOptions::default();
    let (mut matched, mut refused) = (0, 0);
    let mut wrong = Vec::new();
    for ex in &examples {
        let built = pipeline::build(&site_of(&ex.markdown), &options, Reuse::none());
        let errors: Vec<&str> = built
            .outcome
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.message.as_str())
            .collect();
        if !errors.is_empty() {
            let unexpected: Vec<&&str> = errors
                .iter()
                .filter(|m| !ALLOWED_ERRORS.iter().any(|a| m.contains(a)))
                .collect();
            assert!(
                unexpected.is_empty(),
                "example {} ({}) fails the build with {unexpected:?}:\n{}",
                ex.number,
                ex.section,
                ex.markdown
            );
            refused += 1;
            continue;
        }
        let site = built.parts.expect("a build without errors has a site").site;
        let page = site.pages.iter().find(|p| p.id == "example").unwrap();
        let html = normalized(&without_heading_ids(&page.html));
        if html == normalized(&ex.html) {
            matched += 1;
        } else {
            wrong.push(format!(
                "example {} ({}):\n{}--- spec:\n{}--- standpoint:\n{html}",
                ex.number, ex.section, ex.markdown, ex.html
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} examples differ:\n\n{}",
        wrong.len(),
        wrong.join("\n\n")
    );
    // Most examples have no links at all: they must all have been compared.
    println!("{matched} examples match the spec, {refused} fail the build for their links");
    assert!(
        matched >= 527,
        "only {matched} examples built ({refused} refused)"
    );
}

#[test]
fn heading_ids_are_removed_for_the_comparison_only() {
    let html = "<h2 id=\"a-b\">A b<a class=\"anchor\" href=\"#a-b\" aria-label=\"Link to this section\"></a></h2>\n<p id=\"x\">p</p>\n";
    assert_eq!(
        without_heading_ids(html),
        "<h2>A b</h2>\n<p id=\"x\">p</p>\n"
    );
}
