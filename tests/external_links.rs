//! `check --external` against a local HTTP server on 127.0.0.1: live, dead,
//! HEAD-refusing, redirecting, slow and refusing URLs written in front matter and
//! in Markdown; the warnings' places, the exit codes, the cache and its reuse, and
//! that nothing else ever makes a request. Nothing here reaches another host.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_standpoint");

/// A server that answers by path and records every request it receives.
struct Server {
    base: String,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let seen = seen.clone();
                std::thread::spawn(move || answer(stream, &seen));
            }
        });
        Server { base, requests }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The requests received so far, as `METHOD /path`.
    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

fn answer(stream: TcpStream, seen: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut first = String::new();
    if reader.read_line(&mut first).is_err() {
        return;
    }
    let mut user_agent = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        if line.to_ascii_lowercase().starts_with("user-agent:") {
            user_agent = line[11..].trim().to_string();
        }
    }
    let mut words = first.split_whitespace();
    let (method, path) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    seen.lock()
        .unwrap()
        .push(format!("{method} {path} {user_agent}"));
    let (status, location) = match (method, path) {
        (_, "/live") => ("200 OK", None),
        (_, "/dead") => ("404 Not Found", None),
        ("HEAD", "/no-head") => ("405 Method Not Allowed", None),
        ("GET", "/no-head") => ("200 OK", None),
        (_, "/moved") => ("301 Moved Permanently", Some("/live")),
        (_, "/for-now") => ("302 Found", Some("/live")),
        (_, "/slow") => {
            std::thread::sleep(Duration::from_secs(4));
            ("200 OK", None)
        }
        _ => ("500 Internal Server Error", None),
    };
    let mut stream = stream;
    let body = if method == "GET" { "hello" } else { "" };
    let location = location.map_or(String::new(), |l| format!("Location: {l}\r\n"));
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\n{location}Content-Length: 5\r\nConnection: close\r\n\r\n{body}"
    );
}

/// A URL on a port where nothing listens: bound, then let go.
fn refused_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}/gone")
}

/// The fixture site's files, pointing at `server` and at `refused`.
fn site_files(server: &Server, refused: &str) -> Vec<(&'static str, String)> {
    let actor = format!(
        r#"---
name: Ada Lovelace
kind: person
links: [{{title: Home, url: "{live}"}}]
stances:
  - question: tabs-or-spaces
    position: spaces
    date: 1843
    summary: An example stance.
    sources:
      - {{title: "The notes", url: "{dead}", archive_url: "{no_head}"}}
      - {{title: "Mail", url: "mailto:ada@example.org"}}
---
Ada has [a home page]({live}).
"#,
        live = server.url("/live"),
        dead = server.url("/dead"),
        no_head = server.url("/no-head"),
    );
    let event = format!(
        r#"---
title: The great style debate
date: 1843-09
actors: [ada-lovelace]
questions: [tabs-or-spaces]
sources:
  - title: The report
    url: "{moved}"
  - title: A slow archive
    url: "{slow}"
---
An example event.
"#,
        moved = server.url("/moved"),
        slow = server.url("/slow"),
    );
    let page = format!(
        "---\ntitle: About\n---\nThe [notes]({dead}) again, <{refused}>, a [passing redirect]({for_now}),\n\
         [mail](mailto:ada@example.org), [[ada-lovelace]], [home](/) and `[code]({dead}/code)`.\n",
        dead = server.url("/dead"),
        for_now = server.url("/for-now"),
    );
    vec![
        ("content/actors/ada-lovelace.md", actor),
        ("content/events/style-debate.md", event),
        ("content/about.md", page),
    ]
}

fn make_site(server: &Server, refused: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .arg("init")
        .arg(dir.path().join("site"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (path, text) in site_files(server, refused) {
        std::fs::write(dir.path().join("site").join(path), text).unwrap();
    }
    dir
}

fn standpoint(root: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.arg("--root").arg(root).args(args);
    // The requests must reach the local server itself, whatever proxy the machine sets.
    for var in [
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
    ] {
        cmd.env_remove(var);
    }
    cmd.output().unwrap()
}

/// The place `what` is written (its `n`th occurrence) in `file` of the site.
fn place(root: &Path, file: &str, what: &str, n: usize) -> String {
    let text = std::fs::read_to_string(root.join(file)).unwrap();
    let at = text.match_indices(what).nth(n).expect("in the fixture").0;
    let line = text[..at].matches('\n').count() + 1;
    let col = text[..at].rfind('\n').map_or(at, |nl| at - nl - 1) + 1;
    format!("{file}:{line}:{col}")
}

/// Every diagnostic of standard error as `severity: message @ file:line:col`, sorted.
fn diagnostics(out: &Output) -> Vec<String> {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if !(line.starts_with("warning: ") || line.starts_with("error: ")) {
            continue;
        }
        let at = lines
            .get(i + 1)
            .and_then(|l| l.trim_start().strip_prefix("--> "))
            .unwrap_or("(nowhere)");
        found.push(format!("{line} @ {at}"));
    }
    found.sort();
    found
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn check_external_classifies_caches_and_reuses_its_results() {
    let server = Server::start();
    let refused = refused_url();
    let dir = make_site(&server, &refused);
    let root = dir.path().join("site");
    let gitignore = std::fs::read_to_string(root.join(".gitignore")).unwrap();
    assert!(
        gitignore.lines().any(|l| l == "/.standpoint/"),
        "{gitignore}"
    );

    // Without --external, nothing goes to the network.
    let out = standpoint(&root, &["check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = standpoint(&root, &["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(server.requests(), Vec::<String>::new());
    // `build` keeps its share cards in `.standpoint/images/`, but no link results.
    assert!(!root.join(".standpoint/links.json").exists());

    let started = std::time::Instant::now();
    let first = standpoint(&root, &["check", "--external", "--timeout", "1"]);
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    // Seven URLs, two at a time to one host: the slow one costs its one-second timeout.
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );

    let actor = "content/actors/ada-lovelace.md";
    let event = "content/events/style-debate.md";
    let page = "content/about.md";
    let (live, dead, moved, slow) = (
        server.url("/live"),
        server.url("/dead"),
        server.url("/moved"),
        server.url("/slow"),
    );
    let mut expected = vec![
        format!(
            "warning: dead link `{dead}`: 404 Not Found @ {}",
            place(&root, actor, &dead, 0)
        ),
        format!(
            "warning: dead link `{dead}`: 404 Not Found @ {}",
            place(&root, page, &dead, 0)
        ),
        format!(
            "warning: dead link `{refused}`: the connection was refused @ {}",
            place(&root, page, &refused, 0)
        ),
        format!(
            "warning: dead link `{slow}`: no answer within 1 s @ {}",
            place(&root, event, &slow, 0)
        ),
        format!(
            "warning: `{moved}` redirects permanently to `{live}` @ {}",
            place(&root, event, &moved, 0)
        ),
    ];
    expected.sort();
    assert_eq!(diagnostics(&first), expected);
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(
        stderr.contains(&format!("help: update the link to `{live}`")),
        "{stderr}"
    );
    let summary = "Checked 7 external links (7 requested, 0 from the cache): 3 dead, 2 redirected";
    assert!(stdout(&first).contains(summary), "{}", stdout(&first));

    // What reached the server: HEAD first, GET only where HEAD is refused, the
    // redirects followed, the code span and mailto: left alone; a named User-Agent.
    let mut got: Vec<String> = server.requests();
    assert!(got.iter().all(|r| r.contains(" standpoint/")), "{got:?}");
    got.iter_mut()
        .for_each(|r| r.truncate(r.find(" standpoint/").unwrap()));
    got.sort();
    let want = [
        "GET /no-head",
        "HEAD /dead",
        "HEAD /for-now",
        "HEAD /live",
        "HEAD /live",
        "HEAD /live",
        "HEAD /moved",
        "HEAD /no-head",
        "HEAD /slow",
    ];
    assert_eq!(got, want);
    let requests_first = server.requests().len();

    // The cache holds every result, timeouts included, in sorted JSON.
    let cache_text = std::fs::read_to_string(root.join(".standpoint/links.json")).unwrap();
    let cache: serde_json::Value = serde_json::from_str(&cache_text).unwrap();
    let links = cache["links"].as_object().unwrap();
    assert_eq!(links.len(), 7);
    assert_eq!(links[&live]["status"], 200);
    assert_eq!(links[&dead]["status"], 404);
    assert_eq!(links[&server.url("/no-head")]["status"], 200);
    assert_eq!(links[&moved]["final_url"], live.as_str());
    assert_eq!(links[&moved]["permanent"], true);
    assert_eq!(links[&server.url("/for-now")]["permanent"], false);
    assert!(links[&slow]["status"].is_null());
    assert_eq!(links[&slow]["error"], "no answer within 1 s");
    assert_eq!(links[&refused]["error"], "the connection was refused");
    let keys: Vec<&String> = links.keys().collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);

    // The second run asks nothing and finds the same.
    let second = standpoint(&root, &["check", "--external", "--timeout", "1"]);
    assert_eq!(second.status.code(), Some(0));
    assert_eq!(
        server.requests().len(),
        requests_first,
        "the cache was not used"
    );
    assert_eq!(diagnostics(&second), expected);
    let summary = "Checked 7 external links (0 requested, 7 from the cache): 3 dead, 2 redirected";
    assert!(stdout(&second).contains(summary), "{}", stdout(&second));

    // --strict: dead links are errors, the moved one stays a warning; exit code 1.
    let strict = standpoint(
        &root,
        &["check", "--external", "--strict", "--timeout", "1"],
    );
    assert_eq!(strict.status.code(), Some(1));
    let strict_diagnostics = diagnostics(&strict);
    let errors = strict_diagnostics
        .iter()
        .filter(|d| d.starts_with("error: dead link"))
        .count();
    assert_eq!(errors, 4, "{strict_diagnostics:?}");
    assert_eq!(server.requests().len(), requests_first);

    // --refresh asks again, every URL.
    let refreshed = standpoint(
        &root,
        &["check", "--external", "--refresh", "--timeout", "1"],
    );
    assert_eq!(refreshed.status.code(), Some(0));
    assert_eq!(server.requests().len(), 2 * requests_first);
    assert_eq!(diagnostics(&refreshed), expected);

    // And still nothing without the flag.
    let before = server.requests().len();
    assert!(standpoint(&root, &["check"]).status.success());
    assert!(standpoint(&root, &["build"]).status.success());
    assert_eq!(server.requests().len(), before);
}

#[test]
fn a_corrupt_cache_is_a_warning_and_a_linked_cache_folder_is_refused() {
    let server = Server::start();
    let refused = refused_url();
    let dir = make_site(&server, &refused);
    let root = dir.path().join("site");
    std::fs::create_dir(root.join(".standpoint")).unwrap();
    std::fs::write(root.join(".standpoint/links.json"), "{\"links\": [").unwrap();
    let out = standpoint(&root, &["check", "--external", "--timeout", "1"]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: ignored the link cache `.standpoint/links.json`"),
        "{stderr}"
    );
    let text = std::fs::read_to_string(root.join(".standpoint/links.json")).unwrap();
    assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok());

    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::remove_dir_all(root.join(".standpoint")).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(elsewhere.path(), root.join(".standpoint")).unwrap();
        let requests = server.requests().len();
        let out = standpoint(&root, &["check", "--external", "--timeout", "1"]);
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("error: `.standpoint` is a symbolic link"),
            "{stderr}"
        );
        assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
        assert_eq!(server.requests().len(), requests);
    }
}

#[test]
fn the_external_options_need_external() {
    let dir = tempfile::tempdir().unwrap();
    let out = standpoint(dir.path(), &["check", "--refresh"]);
    assert_eq!(out.status.code(), Some(2));
}
