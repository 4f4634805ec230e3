//! Publishing: the built example served under a sub-path by a real static file
//! server, crawled from the home page; the Atom feed parsed by a feed library.

#[path = "common/links.rs"]
mod links;

use std::collections::{BTreeSet, VecDeque};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use scraper::{Html, Selector};

const BIN: &str = env!("CARGO_BIN_EXE_standpoint");
const SUB_PATH: &str = "/news/explainers/strikes/";

fn build_example(out: &Path, base_url: &str) {
    let status = Command::new(BIN)
        .args([
            "--root",
            env!("CARGO_MANIFEST_DIR"),
            "build",
            "--base-url",
            base_url,
            "--output",
        ])
        .arg(out)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
}

/// `python3 -m http.server`, a plain static file server, killed on drop.
struct StaticServer {
    child: Child,
    port: u16,
}

impl StaticServer {
    fn start(dir: &Path) -> StaticServer {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("python3")
            .args([
                "-m",
                "http.server",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--directory",
            ])
            .arg(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 runs the static file server");
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "the static server did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        StaticServer { child, port }
    }

    /// GET `path`: (status, content type, body).
    fn get(&self, path: &str) -> (u16, String, Vec<u8>) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a complete response");
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
        let content_type = head
            .lines()
            .find_map(|l| {
                l.strip_prefix("Content-type: ")
                    .or_else(|| l.strip_prefix("Content-Type: "))
            })
            .unwrap_or("")
            .to_string();
        (status, content_type, raw[split + 4..].to_vec())
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Resolves `href` against the URL path `base` (a page's path).
fn join(base: &str, href: &str) -> String {
    let href = href.split('#').next().unwrap();
    if href.starts_with('/') {
        return href.to_string();
    }
    let dir = &base[..=base.rfind('/').unwrap()];
    let (path, query) = match href.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (href, None),
    };
    let mut out = format!("/{}", links::joined(dir, path));
    if links::names_folder(path) && !out.ends_with('/') {
        out.push('/');
    }
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// URLs referenced by `url(...)` in a stylesheet.
fn css_urls(css: &str) -> Vec<String> {
    css.split("url(")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .map(|u| u.trim().trim_matches(['"', '\'']).to_string())
        .filter(|u| !u.starts_with("data:") && !u.starts_with('#'))
        .collect()
}

#[test]
fn example_site_under_a_sub_path_is_fully_reachable_from_the_home_page() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join(SUB_PATH.trim_matches('/'));
    build_example(&out, &format!("https://example.org{SUB_PATH}"));
    let server = StaticServer::start(root.path());

    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut queue: VecDeque<String> = VecDeque::from([SUB_PATH.to_string()]);
    let mut errors = Vec::new();
    let selector =
        Selector::parse("a[href], link[href], script[src], img[src], source[srcset]").unwrap();
    while let Some(url) = queue.pop_front() {
        if !seen.insert(url.clone()) {
            continue;
        }
        let (status, content_type, body) = server.get(&url);
        if status != 200 {
            errors.push(format!("{url}: HTTP {status}"));
            continue;
        }
        if !url.starts_with(SUB_PATH) {
            errors.push(format!("{url}: outside the sub-path"));
        }
        let mut links = Vec::new();
        if content_type.starts_with("text/html") {
            let doc = Html::parse_document(&String::from_utf8_lossy(&body));
            for e in doc.select(&selector) {
                let v = e.value();
                if let Some(u) = v.attr("href").or(v.attr("src")) {
                    links.push(u.to_string());
                }
            }
        } else if content_type.starts_with("text/css") {
            links.extend(css_urls(&String::from_utf8_lossy(&body)));
        }
        for link in links {
            if link.contains("://") || link.starts_with("mailto:") || link.starts_with('#') {
                continue;
            }
            queue.push_back(join(&url, &link));
        }
    }
    assert!(errors.is_empty(), "crawl errors:\n{}", errors.join("\n"));

    // Every page written is reachable from the home page.
    let reached: BTreeSet<String> = seen
        .iter()
        .map(|u| u.split('?').next().unwrap().to_string())
        .collect();
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(&out)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if !rel.ends_with("index.html") {
            continue;
        }
        let url = format!("{SUB_PATH}{}", rel.trim_end_matches("index.html"));
        assert!(
            reached.contains(&url),
            "{url} is not reachable from the home page"
        );
    }
    // The crawl fetched the stylesheet, the script and the search index's page kinds.
    assert!(reached.iter().any(|u| u.ends_with("style.css")));
    assert!(reached.iter().any(|u| u.ends_with(".js")));
    assert!(reached.len() > 30, "crawled {}", reached.len());

    // The search script finds its index relative to itself.
    let (status, content_type, _) = server.get(&format!("{SUB_PATH}search-index.json"));
    assert_eq!(status, 200);
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
}

#[test]
fn not_found_page_works_at_any_depth() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join(SUB_PATH.trim_matches('/'));
    build_example(&out, &format!("https://example.org{SUB_PATH}"));
    let server = StaticServer::start(root.path());
    let (_, _, body) = server.get(&format!("{SUB_PATH}404.html"));
    let doc = Html::parse_document(&String::from_utf8_lossy(&body));
    let selector = Selector::parse("a[href], link[href], script[src]").unwrap();
    let mut checked = 0;
    for e in doc.select(&selector) {
        let v = e.value();
        let link = v.attr("href").or(v.attr("src")).unwrap();
        if link.contains("://") || link.starts_with('#') {
            continue;
        }
        // A host serves 404.html for a missing page at any depth: resolve from there.
        for page in [
            format!("{SUB_PATH}missing"),
            format!("{SUB_PATH}a/b/c/missing"),
        ] {
            let target = join(&page, link);
            let (status, _, _) = server.get(&target);
            assert_eq!(status, 200, "404.html link {link} from {page} -> {target}");
            checked += 1;
        }
    }
    assert!(checked >= 10, "checked {checked} links");
}

#[test]
fn atom_feed_is_valid_and_absolute() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_example(&out, "https://example.org/explainer/");
    let text = std::fs::read_to_string(out.join("atom.xml")).unwrap();
    let feed: atom_syndication::Feed = text.parse().expect("atom.xml parses as Atom");
    assert_eq!(
        feed.title().as_str(),
        "Strikes inside Russia: who stands where"
    );
    assert_eq!(feed.id(), "https://example.org/explainer/");
    let entries = feed.entries();
    assert!(entries.len() >= 15, "events and stances: {}", entries.len());
    let mut previous = None;
    let mut ids = BTreeSet::new();
    for entry in entries {
        let link = &entry.links()[0];
        assert!(
            link.href().starts_with("https://example.org/explainer/"),
            "{}",
            link.href()
        );
        assert!(
            ids.insert(entry.id().to_string()),
            "duplicate entry id {}",
            entry.id()
        );
        let updated = *entry.updated();
        if let Some(p) = previous {
            assert!(updated <= p, "newest first");
        }
        previous = Some(updated);
    }
    assert_eq!(*feed.updated(), *entries[0].updated());
    assert!(entries
        .iter()
        .any(|e| e.title().as_str() == "G7 summit in Italy"));
    assert!(entries.iter().any(|e| e
        .title()
        .as_str()
        .starts_with("Joe Biden on Strikes on Russian territory")));
    // Deterministic: no build time anywhere.
    let again = dir.path().join("again");
    build_example(&again, "https://example.org/explainer/");
    assert_eq!(
        std::fs::read(out.join("atom.xml")).unwrap(),
        std::fs::read(again.join("atom.xml")).unwrap()
    );
}

#[test]
fn sitemap_lists_every_page_with_lastmod_from_content_dates() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_example(&out, "https://example.org/explainer/");
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains(
        "<loc>https://example.org/explainer/events/g7-summit-italy/</loc>\n    <lastmod>2024-06-15</lastmod>"
    ));
    assert!(sitemap.contains("<loc>https://example.org/explainer/actors/joe-biden/</loc>\n    <lastmod>2024-05-30</lastmod>"));
    let locs = sitemap.matches("<loc>").count();
    // Embeds for other sites (in every language) are `noindex`, and left out.
    let embeds = [out.join("embed"), out.join("uk/embed")];
    let pages = walkdir::WalkDir::new(&out)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| {
            e.file_name() == "index.html" && !embeds.iter().any(|x| e.path().starts_with(x))
        })
        .count();
    assert!(sitemap.contains("<loc>https://example.org/explainer/uk/actors/joe-biden/</loc>"));
    assert_eq!(locs, pages, "one <loc> per page");
    assert!(!sitemap.contains("/embed/"));
}
