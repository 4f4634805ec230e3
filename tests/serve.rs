//! `standpoint serve` from the outside: the real binary on a temporary copy of
//! `tests/fixtures/serve-site`, fetched over HTTP while the tests edit its files.

#[path = "common/serve.rs"]
mod common;

use std::time::Duration;

use common::{fixture_copy, request, save_atomically, site_root, wait_for, Events, Server};

const FIXTURE: &str = "serve-site";

#[test]
fn serves_the_site_from_memory() {
    let dir = fixture_copy(FIXTURE);
    let root = site_root(&dir);
    let server = Server::start(&root, &[]);
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );
    assert!(
        !root.join("public").exists(),
        "serve must not write public/"
    );

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("cache-control"), Some("no-store"));
    let html = home.text();
    assert!(html.contains("Home page text"), "{html}");
    // The client script, relative to the page, just before </body>.
    assert!(
        html.contains("<script src=\"__standpoint/live.js\" data-build=\""),
        "{html}"
    );
    assert!(html.trim_end().ends_with("</html>"));
    let actor = server.get("/actors/alice/");
    assert_eq!(actor.status, 200);
    assert!(actor.text().contains("Alice text version one"));
    assert!(actor
        .text()
        .contains("<script src=\"../../__standpoint/live.js\""));
    // Links stay relative, so the site works at any address.
    assert!(actor.text().contains("href=\"../../questions/tolls/\""));

    // HEAD: the same headers, no body.
    let head = request(server.addr, "HEAD", "/actors/alice/", &server.host(), &[]);
    assert_eq!(head.status, 200);
    assert_eq!(
        head.header("content-length"),
        Some(actor.body.len().to_string().as_str())
    );
    assert!(head.body.is_empty());

    let head = request(
        server.addr,
        "HEAD",
        "/__standpoint/events",
        &server.host(),
        &[],
    );
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-type"), Some("text/event-stream"));

    for (path, kind) in [
        ("/style.css", "text/css; charset=utf-8"),
        ("/extra.css", "text/css; charset=utf-8"),
        ("/standpoint.js", "text/javascript; charset=utf-8"),
        ("/data.json", "application/json; charset=utf-8"),
        ("/sitemap.xml", "text/xml; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/favicon.svg", "image/svg+xml; charset=utf-8"),
        ("/__standpoint/live.js", "text/javascript; charset=utf-8"),
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), Some(kind), "{path}");
    }
    let data: serde_json::Value = serde_json::from_slice(&server.get("/data.json").body).unwrap();
    assert_eq!(data["site"]["base_url"], server.url.as_str());

    // A folder without its slash is redirected, relatively.
    let r = server.get("/actors");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location"), Some("actors/"));
    let r = server.get("/actors/alice?x=1");
    assert_eq!(r.header("location"), Some("alice/?x=1"));

    // Unknown paths get the site's 404 page, with status 404; no folder listings.
    assert_eq!(server.get("/__standpoint/other").status, 404);
    for path in [
        "/nope/",
        "/nope",
        "/actors/carol/",
        "/static/",
        "/site.yaml",
        "/content/actors/alice.md",
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
        assert!(r.text().contains("__standpoint/live.js"), "{path}");
    }

    let r = request(
        server.addr,
        "POST",
        "/",
        &server.host(),
        &[("Content-Length", "0")],
    );
    assert_eq!(r.status, 405);
    assert_eq!(r.header("allow"), Some("GET, HEAD"));
}

#[test]
fn refuses_paths_outside_the_site_and_foreign_hosts() {
    let dir = fixture_copy(FIXTURE);
    let root = site_root(&dir);
    std::fs::write(dir.path().join("secret.txt"), "TOP SECRET").unwrap();
    let server = Server::start(&root, &[]);
    let host = server.host();
    for target in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/actors/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/.%2e/secret.txt",
        "/..%2fsecret.txt",
        "/actors%2f..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/etc/passwd",
        "/site.yaml",
        "/secret.txt%00.html",
        &format!("{}/secret.txt", dir.path().display()),
        &format!("http://{host}/../secret.txt"),
    ] {
        let r = request(server.addr, "GET", target, &host, &[]);
        assert!(
            matches!(r.status, 400 | 404),
            "{target}: status {}",
            r.status
        );
        let text = r.text();
        assert!(!text.contains("TOP SECRET"), "{target}");
        assert!(!text.contains("root:"), "{target}");
    }

    // DNS rebinding: a page on another name that resolves here gets nothing.
    let port = server.addr.port();
    for bad in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        String::new(),
    ] {
        let r = request(server.addr, "GET", "/", &bad, &[]);
        assert_eq!(r.status, 403, "Host: {bad}");
        assert!(!r.text().contains("Home page text"));
        let r = request(server.addr, "GET", "/__standpoint/events", &bad, &[]);
        assert_eq!(r.status, 403, "events, Host: {bad}");
    }
    for good in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        "localhost".to_string(),
    ] {
        let r = request(server.addr, "GET", "/", &good, &[]);
        assert_eq!(r.status, 200, "Host: {good}");
    }
}

#[test]
fn follows_edits_atomic_saves_new_deleted_and_renamed_files() {
    let dir = fixture_copy(FIXTURE);
    let root = site_root(&dir);
    let server = Server::start(&root, &[]);
    let alice = root.join("content/actors/alice.md");
    let text = std::fs::read_to_string(&alice).unwrap();

    // Written in place.
    std::fs::write(&alice, text.replace("version one", "version two")).unwrap();
    server.wait_for_text("/actors/alice/", "Alice text version two");

    // An editor's atomic save, with its swap and backup files around it.
    let actors = root.join("content/actors");
    std::fs::write(actors.join(".alice.md.swp"), "swap").unwrap();
    std::fs::write(actors.join("alice.md~"), "backup").unwrap();
    std::fs::write(actors.join(".#alice.md"), "lock").unwrap();
    save_atomically(&alice, &text.replace("version one", "version three"));
    server.wait_for_text("/actors/alice/", "Alice text version three");
    for leftover in [
        "/actors/alice.md~",
        "/actors/.alice.md.swp",
        "/actors/.%23alice.md",
    ] {
        assert_eq!(server.get(leftover).status, 404, "{leftover}");
    }

    // A new actor appears, on its page and in the actor index.
    let carol = "---\nname: Carol Chen\nkind: person\nsummary: \"New here.\"\n---\nCarol text.\n";
    save_atomically(&actors.join("carol.md"), carol);
    server.wait_for_text("/actors/carol/", "Carol text.");
    assert!(server.get("/actors/").text().contains("Carol Chen"));

    // A deleted page is no longer served.
    std::fs::remove_file(actors.join("carol.md")).unwrap();
    server.wait_for_status("/actors/carol/", 404);
    assert!(!server.get("/actors/").text().contains("Carol Chen"));

    // A renamed page moves.
    let guides = root.join("content/guides");
    std::fs::rename(guides.join("reading.md"), guides.join("matrix.md")).unwrap();
    server.wait_for_text("/guides/matrix/", "Reading text version one");
    assert_eq!(server.get("/guides/reading/").status, 404);

    // A folder deleted and made again.
    std::fs::remove_dir_all(&guides).unwrap();
    server.wait_for_status("/guides/", 404);
    assert_eq!(server.get("/guides/matrix/").status, 404);
    std::fs::create_dir(&guides).unwrap();
    std::fs::write(
        guides.join("_index.md"),
        "---\ntitle: Guides again\n---\nBack.\n",
    )
    .unwrap();
    std::fs::write(
        guides.join("fresh.md"),
        "---\ntitle: Fresh guide\n---\nFresh text.\n",
    )
    .unwrap();
    server.wait_for_text("/guides/fresh/", "Fresh text.");
    // The new folder is watched too.
    std::fs::write(
        guides.join("fresh.md"),
        "---\ntitle: Fresh guide\n---\nFresher text.\n",
    )
    .unwrap();
    server.wait_for_text("/guides/fresh/", "Fresher text.");

    // A folder moved away and another moved into its place.
    let staging = dir.path().join("guides-next");
    std::fs::create_dir(&staging).unwrap();
    std::fs::write(
        staging.join("_index.md"),
        "---\ntitle: Guides\n---\nMoved in.\n",
    )
    .unwrap();
    std::fs::write(
        staging.join("moved.md"),
        "---\ntitle: Moved\n---\nMoved text.\n",
    )
    .unwrap();
    std::fs::rename(&guides, dir.path().join("guides-old")).unwrap();
    std::fs::rename(&staging, &guides).unwrap();
    server.wait_for_text("/guides/moved/", "Moved text.");
    assert_eq!(server.get("/guides/fresh/").status, 404);
    std::fs::write(
        guides.join("moved.md"),
        "---\ntitle: Moved\n---\nMoved again.\n",
    )
    .unwrap();
    server.wait_for_text("/guides/moved/", "Moved again.");

    // site.yaml, replaced atomically.
    let config = root.join("site.yaml");
    let yaml = std::fs::read_to_string(&config).unwrap();
    save_atomically(&config, &yaml.replace("Serve fixture", "Renamed fixture"));
    server.wait_for_text("/actors/alice/", "Renamed fixture");

    // A site template, added, then removed.
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("templates/page.html"),
        "<!doctype html><html><body><p>Custom page template: {{ page.title }}</p></body></html>",
    )
    .unwrap();
    server.wait_for_text("/guides/moved/", "Custom page template: Moved");
    std::fs::remove_dir_all(root.join("templates")).unwrap();
    wait_for("the theme's page template again", || {
        let t = server.get("/guides/moved/").text();
        (!t.contains("Custom page template")).then_some(())
    });
}

#[test]
fn a_broken_build_keeps_the_last_site_and_shows_the_errors() {
    let dir = fixture_copy(FIXTURE);
    let root = site_root(&dir);
    let server = Server::start(&root, &[]);
    let mut events = Events::connect(&server);
    let first = events.next();
    let build = first["build"].as_str().unwrap().to_string();
    assert!(first["overlay"].is_null(), "{first}");

    let bob = root.join("content/actors/bob.md");
    let good = std::fs::read_to_string(&bob).unwrap();
    let broken = good.replace("name: Bob Baker", "name: [Bob <script>alert(1)</script>");
    save_atomically(&bob, &broken);

    // Open pages are told, with the same site build.
    let message = events.until("an overlay", |m| !m["overlay"].is_null());
    assert_eq!(message["build"], build.as_str());
    let overlay = message["overlay"].as_str().unwrap();
    assert!(overlay.contains("content/actors/bob.md:2:7"), "{overlay}");
    assert!(overlay.contains("&lt;script&gt;"), "{overlay}");
    assert!(!overlay.contains("<script>"), "{overlay}");

    // Pages loaded meanwhile: the last good content, with the overlay.
    let page = server.get("/actors/bob/");
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("Bob text version one"), "{html}");
    assert!(html.contains("id=\"standpoint-errors\""), "{html}");
    assert!(html.contains("content/actors/bob.md:2:7"), "{html}");
    assert!(!html.contains("<script>alert(1)"), "{html}");
    assert!(server.get("/").text().contains("id=\"standpoint-errors\""));
    // The terminal shows the same.
    wait_for("the error on stderr", || {
        server
            .stderr()
            .contains("--> content/actors/bob.md:2:7")
            .then_some(())
    });

    // Fixed: a new build, no overlay.
    save_atomically(&bob, &good.replace("version one", "version two"));
    let fixed = events.until("a new build", |m| m["build"] != build.as_str());
    assert!(fixed["overlay"].is_null(), "{fixed}");
    let html = server.wait_for_text("/actors/bob/", "Bob text version two");
    assert!(!html.contains("standpoint-errors"), "{html}");
}

#[test]
fn a_broken_link_in_a_body_shows_in_the_overlay_until_fixed() {
    let dir = fixture_copy(FIXTURE);
    let root = site_root(&dir);
    let server = Server::start(&root, &[]);
    let mut events = Events::connect(&server);
    let build = events.next()["build"].as_str().unwrap().to_string();

    // Only the body changes, as serve patches the last build; the link is broken.
    let bob = root.join("content/actors/bob.md");
    let good = std::fs::read_to_string(&bob).unwrap();
    let at = good
        .lines()
        .position(|l| l.starts_with("Bob text"))
        .unwrap()
        + 1;
    save_atomically(
        &bob,
        &good.replace("version one.", "version one, see [[nobody]]."),
    );
    let message = events.until("an overlay", |m| !m["overlay"].is_null());
    assert_eq!(message["build"], build.as_str());
    let overlay = message["overlay"].as_str().unwrap();
    assert!(
        overlay.contains(&format!("content/actors/bob.md:{at}:27")),
        "{overlay}"
    );
    assert!(overlay.contains("unknown id `nobody`"), "{overlay}");
    let html = server.get("/actors/bob/").text();
    assert!(html.contains("Bob text version one."), "{html}");

    // Fixed in the body: the overlay goes and the link leads to Alice.
    save_atomically(
        &bob,
        &good.replace("version one.", "version two, see [[alice]]."),
    );
    let fixed = events.until("a new build", |m| m["build"] != build.as_str());
    assert!(fixed["overlay"].is_null(), "{fixed}");
    let html = server.wait_for_text("/actors/bob/", "Bob text version two");
    assert!(html.contains("href=\"../../actors/alice/\""), "{html}");
    // And Alice's page lists Bob among the pages that mention her.
    let alice = server.get("/actors/alice/").text();
    assert!(alice.contains("href=\"../../actors/bob/\""), "{alice}");
}

#[test]
fn a_site_that_never_built_shows_its_errors_until_fixed() {
    let dir = fixture_copy(FIXTURE);
    let root = site_root(&dir);
    let question = root.join("content/questions/tolls.md");
    let good = std::fs::read_to_string(&question).unwrap();
    std::fs::write(
        &question,
        good.replace("title: Bridge tolls", "titel: Bridge tolls"),
    )
    .unwrap();
    let server = Server::start(&root, &[]);
    let r = server.get("/actors/alice/");
    assert_eq!(r.status, 503);
    assert!(
        r.text().contains("content/questions/tolls.md:2:1"),
        "{}",
        r.text()
    );
    assert!(r.text().contains("__standpoint/live.js"));
    std::fs::write(&question, good).unwrap();
    server.wait_for_text("/actors/alice/", "Alice text version one");
}

#[test]
fn a_stylesheet_change_swaps_only_the_css() {
    let dir = fixture_copy(FIXTURE);
    let root = site_root(&dir);
    let server = Server::start(&root, &[]);
    let mut events = Events::connect(&server);
    let build = events.next()["build"].as_str().unwrap().to_string();
    save_atomically(
        &root.join("static/extra.css"),
        ".serve-fixture { color: rgb(4, 5, 6); }\n",
    );
    let m = events.until("a new build", |m| m["build"] != build.as_str());
    assert_eq!(m["css"]["from"], build.as_str(), "{m}");
    assert_eq!(m["css"]["paths"], serde_json::json!(["extra.css"]), "{m}");
    assert!(server.get("/extra.css").text().contains("rgb(4, 5, 6)"));

    // Anything else reloads the page: no css field.
    let build = m["build"].as_str().unwrap().to_string();
    let alice = root.join("content/actors/alice.md");
    let text = std::fs::read_to_string(&alice).unwrap();
    save_atomically(&alice, &text.replace("version one", "version two"));
    let m = events.until("a new build", |m| m["build"] != build.as_str());
    assert!(m["css"].is_null(), "{m}");
}

#[test]
fn concurrent_requests_during_rebuilds_all_succeed() {
    let dir = fixture_copy(FIXTURE);
    let root = site_root(&dir);
    let server = Server::start(&root, &[]);
    let addr = server.addr;
    let host = server.host();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut clients = Vec::new();
    for i in 0..8 {
        let stop = stop.clone();
        let host = host.clone();
        clients.push(std::thread::spawn(move || {
            let paths = [
                "/",
                "/actors/alice/",
                "/actors/",
                "/style.css",
                "/questions/tolls/",
            ];
            let mut served = 0;
            // Bounded: at most 400 requests per client.
            while served < 400 && !(stop.load(std::sync::atomic::Ordering::Relaxed) && served >= 25)
            {
                let path = paths[(i + served) % paths.len()];
                let r = request(addr, "GET", path, &host, &[]);
                assert_eq!(r.status, 200, "{path}");
                let len: usize = r.header("content-length").unwrap().parse().unwrap();
                assert_eq!(len, r.body.len(), "{path}: a whole answer");
                if path.ends_with('/') {
                    assert!(r.text().trim_end().ends_with("</html>"), "{path}");
                }
                served += 1;
            }
            served
        }));
    }
    let alice = root.join("content/actors/alice.md");
    let text = std::fs::read_to_string(&alice).unwrap();
    for n in 0..8 {
        let marker = format!("Alice edit number {n}.");
        save_atomically(&alice, &text.replace("Alice text version one.", &marker));
        if n % 2 == 0 {
            burst(addr, &host);
        }
        server.wait_for_text("/actors/alice/", &marker);
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let total: usize = clients.into_iter().map(|c| c.join().unwrap()).sum();
    assert!(total >= 200, "only {total} requests");
}

/// 200 requests at the same moment, each on its own connection.
fn burst(addr: std::net::SocketAddr, host: &str) {
    let start = std::sync::Arc::new(std::sync::Barrier::new(200));
    let requests: Vec<_> = (0..200)
        .map(|i| {
            let start = start.clone();
            let host = host.to_string();
            std::thread::spawn(move || {
                start.wait();
                let path = if i % 2 == 0 { "/actors/alice/" } else { "/" };
                let r = request(addr, "GET", path, &host, &[]);
                assert_eq!(r.status, 200, "{path}");
                assert!(r.text().trim_end().ends_with("</html>"), "{path}");
            })
        })
        .collect();
    for r in requests {
        r.join().unwrap();
    }
}

#[test]
fn a_busy_port_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let dir = fixture_copy(FIXTURE);
    let out = std::process::Command::new(common::BIN)
        .arg("--root")
        .arg(site_root(&dir))
        .args(["serve", "--port", &port])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("already in use"), "{stderr}");
    assert!(stderr.contains("--port 0"), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).is_empty());
}

#[test]
fn bad_interfaces_and_folders_are_errors() {
    let dir = fixture_copy(FIXTURE);
    let out = std::process::Command::new(common::BIN)
        .arg("--root")
        .arg(site_root(&dir))
        .args(["serve", "--port", "0", "--interface", "not-an-ip"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an IP address"));
    let out = std::process::Command::new(common::BIN)
        .arg("--root")
        .arg(dir.path())
        .args(["serve", "--port", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("site.yaml"));
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let dir = fixture_copy(FIXTURE);
    let mut server = Server::start(&site_root(&dir), &[]);
    // An open event stream must not hold the server up.
    let mut events = Events::connect(&server);
    events.next();
    let status = std::process::Command::new("kill")
        .args(["-INT", &server.pid().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = server.wait_exit();
    assert!(exit.success(), "{exit:?}; stderr:\n{}", server.stderr());
    assert!(events.next_within(Duration::from_secs(5)).is_none());
}

#[test]
fn serves_on_ipv6_loopback() {
    if std::net::TcpListener::bind("[::1]:0").is_err() {
        eprintln!("note: no IPv6 loopback on this machine; skipping");
        return;
    }
    let dir = fixture_copy(FIXTURE);
    let server = Server::start(&site_root(&dir), &["--interface", "::1"]);
    assert!(server.url.starts_with("http://[::1]:"), "{}", server.url);
    let r = server.get("/actors/alice/");
    assert_eq!(r.status, 200);
    assert!(r.text().contains("Alice text version one"));
    let r = request(
        server.addr,
        "GET",
        "/",
        &format!("localhost:{}", server.addr.port()),
        &[],
    );
    assert_eq!(r.status, 200);
}

#[cfg(target_os = "linux")]
#[test]
fn open_starts_the_system_browser() {
    use std::os::unix::fs::PermissionsExt;
    let dir = fixture_copy(FIXTURE);
    // A stand-in for xdg-open that notes the address it was given.
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let opened = dir.path().join("opened.txt");
    let script = bin.join("xdg-open");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", opened.display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut path = std::ffi::OsString::from(&bin);
    path.push(":");
    path.push(std::env::var_os("PATH").unwrap_or_default());
    let server = Server::start_env(&site_root(&dir), &["--open"], &[("PATH", path)]);
    let url = wait_for("xdg-open to be called", || {
        std::fs::read_to_string(&opened)
            .ok()
            .filter(|u| !u.is_empty())
    });
    assert_eq!(url, server.url);
}

#[test]
fn listening_beyond_loopback_warns_that_the_site_is_reachable() {
    let dir = fixture_copy(FIXTURE);
    let warning = "reachable from the network";
    let server = Server::start(&site_root(&dir), &["--interface", "0.0.0.0"]);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !server.stderr().contains(warning) && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let stderr = server.stderr();
    assert!(
        stderr.contains(&format!(
            "warning: `--interface 0.0.0.0` makes the site, drafts and all, {warning}"
        )),
        "{stderr}"
    );
    drop(server);
    let quiet = Server::start(&site_root(&dir), &[]);
    // The line after the address comes before any warning would.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !quiet.stderr().contains("Watching for changes") && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!quiet.stderr().contains(warning), "{}", quiet.stderr());
}

#[test]
fn a_client_that_never_finishes_its_headers_is_dropped_and_others_are_served() {
    use std::io::{Read, Write};
    let dir = fixture_copy(FIXTURE);
    // One second instead of ten, so that the test does not wait long.
    let env = [("STANDPOINT_HEADER_TIMEOUT", std::ffi::OsString::from("1"))];
    let server = Server::start_env(&site_root(&dir), &[], &env);
    let mut slow = std::net::TcpStream::connect(server.addr).unwrap();
    slow.write_all(b"GET /actors/al").unwrap();
    let sent = std::time::Instant::now();

    // Meanwhile every other client is served, on connections of their own.
    for _ in 0..5 {
        let r = server.get("/actors/alice/");
        assert_eq!(r.status, 200);
        assert!(r.text().contains("Alice text version one"));
    }

    slow.set_read_timeout(Some(common::WAIT)).unwrap();
    let mut answer = Vec::new();
    match slow.read_to_end(&mut answer) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
        Err(e) => panic!(
            "the slow connection is still open after {:?}: {e}",
            sent.elapsed()
        ),
    }
    let waited = sent.elapsed();
    assert!(
        waited >= Duration::from_millis(900) && waited < Duration::from_secs(8),
        "closed after {waited:?}, not after about a second"
    );
    assert!(
        answer.is_empty() || answer.starts_with(b"HTTP/1.1 408"),
        "{answer:?}"
    );
    // The server is still there for new clients.
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn follows_data_files_from_a_data_folder_made_while_serving() {
    let dir = fixture_copy(FIXTURE);
    let root = site_root(&dir);
    let server = Server::start(&root, &[]);
    server.wait_for_status("/actors/alice/", 200);
    let data = root.join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(
        data.join("actors.csv"),
        "id,name,kind\ndana-diaz,Dana Diaz,person\n",
    )
    .unwrap();
    server.wait_for_text("/actors/dana-diaz/", "Dana Diaz");
    // A stance row for an actor of a Markdown file, saved as a spreadsheet does.
    let stances = "actor,question,position,date,summary\nalice,tolls,oppose,2024-06-01,Against the toll after all.\n";
    save_atomically(&data.join("stances.csv"), stances);
    server.wait_for_text("/actors/alice/", "Against the toll after all.");
    // A broken row shows as an error; the last site stays served.
    save_atomically(
        &data.join("stances.csv"),
        &stances.replace("oppose", "opose"),
    );
    server.wait_for_text("/actors/alice/", "data/stances.csv:2:");
    save_atomically(
        &data.join("stances.csv"),
        &stances.replace("after all", "again"),
    );
    server.wait_for_text("/actors/alice/", "Against the toll again.");
}
