//! Live reload in a real browser: Debian's headless Chromium opens a page served by
//! `standpoint serve`, the test edits the source files, and the page follows with
//! no action in the browser: new text (scroll position kept), the error overlay
//! while the site is broken, a stylesheet swapped without a reload, and a reconnect
//! after the server restarts. Needs `chromium` (installed by `.ci/run`); without it
//! this test fails and says so.

#[path = "common/browser.rs"]
mod browser;
#[path = "common/serve.rs"]
mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use browser::{Browser, Page};
use common::{fixture_copy, save_atomically, site_root, Server, SubPathProxy, WAIT};
use serde_json::Value;

/// Polls `expression` in the page until it is `true`. Unlike `Page::wait_for`,
/// this survives the page reloading under it.
fn wait_until(page: &mut Page, expression: &str) {
    let deadline = Instant::now() + WAIT;
    loop {
        let last = match page.try_eval(expression) {
            Ok(Value::Bool(true)) => return,
            Ok(v) => v.to_string(),
            Err(e) => e,
        };
        assert!(
            Instant::now() < deadline,
            "timed out after {WAIT:?} waiting for `{expression}` (last: {last})"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn connected(page: &mut Page) {
    wait_until(
        page,
        "!!(window.__standpointLive && window.__standpointLive.connected)",
    );
}

fn shots() -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-shots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_page_follows_the_source_files() {
    let dir = fixture_copy("serve-site");
    let root = site_root(&dir);
    let alice = root.join("content/actors/alice.md");
    let original = std::fs::read_to_string(&alice).unwrap();
    // A long page, so that there is a scroll position to keep.
    let long_body = (1..=60)
        .map(|i| format!("Paragraph {i} of a long page."))
        .collect::<Vec<_>>()
        .join("\n\n");
    std::fs::write(
        &alice,
        original.replace(
            "Alice text version one.",
            &format!("Alice text version one.\n\n{long_body}"),
        ),
    )
    .unwrap();
    let server = Server::start(&root, &[]);

    let mut browser = Browser::launch();
    let mut page = browser.new_page();
    page.set_viewport(800, 400);
    page.navigate(&format!("{}actors/alice/", server.url));
    assert!(page
        .eval("document.body.innerText")
        .as_str()
        .unwrap()
        .contains("Alice text version one"));
    connected(&mut page);

    // An edit: the page reloads by itself, at the same scroll position.
    page.eval("window.scrollTo({left: 0, top: 600, behavior: 'instant'})");
    wait_until(&mut page, "window.scrollY === 600");
    let text = std::fs::read_to_string(&alice).unwrap();
    save_atomically(&alice, &text.replace("version one", "version two"));
    wait_until(
        &mut page,
        "document.body.innerText.includes('Alice text version two')",
    );
    wait_until(&mut page, "Math.abs(window.scrollY - 600) < 2");
    connected(&mut page);

    // A broken edit: the overlay names the file and line; the page stays.
    let text = std::fs::read_to_string(&alice).unwrap();
    save_atomically(&alice, &text.replace("kind: person", "kind: persn"));
    wait_until(
        &mut page,
        "!!document.getElementById('standpoint-errors') && \
         document.getElementById('standpoint-errors').innerText.includes('content/actors/alice.md:3:7')",
    );
    let overlay = page.eval("document.getElementById('standpoint-errors').innerText");
    assert!(
        overlay.as_str().unwrap().contains("unknown value `persn`")
            || overlay.as_str().unwrap().contains("persn"),
        "{overlay}"
    );
    assert!(page
        .eval("document.body.innerText")
        .as_str()
        .unwrap()
        .contains("Alice text version two"));
    page.screenshot(&shots().join("serve-overlay.png"));

    // The fix removes it, and the new text shows.
    save_atomically(&alice, &text.replace("version two", "version three"));
    wait_until(
        &mut page,
        "!document.getElementById('standpoint-errors') && \
         document.body.innerText.includes('Alice text version three')",
    );
    connected(&mut page);

    // A stylesheet: swapped in place, no reload.
    page.eval("window.__notReloaded = true");
    let theme_css = server.get("/style.css").text();
    std::fs::write(
        root.join("static/style.css"),
        format!("{theme_css}\n:root {{ --standpoint-test: 42; }}\n"),
    )
    .unwrap();
    wait_until(
        &mut page,
        "getComputedStyle(document.documentElement).getPropertyValue('--standpoint-test').trim() === '42'",
    );
    assert_eq!(
        page.eval("window.__notReloaded === true"),
        Value::Bool(true)
    );

    // The server restarts on the same port: the page finds it again and reloads.
    let port = server.addr.port().to_string();
    drop(server);
    wait_until(
        &mut page,
        "!window.__standpointLive || window.__standpointLive.connected === false",
    );
    let text = std::fs::read_to_string(&alice).unwrap();
    std::fs::write(&alice, text.replace("version three", "version four")).unwrap();
    let restarted = Server::start_on(&root, &port);
    wait_until(
        &mut page,
        "document.body.innerText.includes('Alice text version four')",
    );
    connected(&mut page);

    let errors: Vec<String> = page
        .console_errors()
        .into_iter()
        .map(|m| m.to_string())
        .filter(|m| m.contains("standpoint live reload"))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    drop(restarted);
}

#[test]
fn many_tabs_share_one_event_stream() {
    let dir = fixture_copy("serve-site");
    let root = site_root(&dir);
    let server = Server::start(&root, &[]);
    let mut browser = Browser::launch();
    // More tabs than a browser opens connections to one server: each must load
    // and follow the site, which works only if they share one event stream.
    let paths = [
        "",
        "actors/",
        "actors/alice/",
        "actors/bob/",
        "questions/",
        "questions/tolls/",
        "guides/",
        "guides/reading/",
        "timeline/",
    ];
    let mut pages: Vec<Page> = paths
        .iter()
        .map(|path| {
            let mut page = browser.new_page();
            page.navigate(&format!("{}{path}", server.url));
            page
        })
        .collect();
    for page in &mut pages {
        connected(page);
    }
    let bob = root.join("content/actors/bob.md");
    let text = std::fs::read_to_string(&bob).unwrap();
    save_atomically(&bob, &text.replace("version one", "version two"));
    wait_until(
        &mut pages[3],
        "document.body.innerText.includes('Bob text version two')",
    );
    // Every tab reloaded onto the new build.
    for page in &mut pages {
        connected(page);
    }
    let builds: Vec<Value> = pages
        .iter_mut()
        .map(|p| p.eval("document.querySelector('script[data-build]').dataset.build"))
        .collect();
    assert!(builds.windows(2).all(|w| w[0] == w[1]), "{builds:?}");
}

#[test]
fn follows_under_a_sub_path_and_on_ipv6() {
    let dir = fixture_copy("serve-site");
    let root = site_root(&dir);
    let server = Server::start(&root, &[]);
    let proxy = SubPathProxy::start(server.addr, "/explainers/tolls/");
    let mut browser = Browser::launch();
    let mut page = browser.new_page();
    page.navigate(&format!(
        "http://{}/explainers/tolls/actors/alice/",
        proxy.addr
    ));
    connected(&mut page);
    let alice = root.join("content/actors/alice.md");
    let text = std::fs::read_to_string(&alice).unwrap();
    save_atomically(&alice, &text.replace("version one", "version two"));
    wait_until(
        &mut page,
        "document.body.innerText.includes('Alice text version two') && \
         location.pathname === '/explainers/tolls/actors/alice/'",
    );

    if std::net::TcpListener::bind("[::1]:0").is_err() {
        eprintln!("note: no IPv6 loopback on this machine; the IPv6 half is skipped");
        return;
    }
    let v6 = Server::start(&root, &["--interface", "::1"]);
    assert!(v6.url.starts_with("http://[::1]:"), "{}", v6.url);
    let mut page = browser.new_page();
    page.navigate(&format!("{}actors/alice/", v6.url));
    connected(&mut page);
    save_atomically(&alice, &text.replace("version one", "version three"));
    wait_until(
        &mut page,
        "document.body.innerText.includes('Alice text version three')",
    );
}
