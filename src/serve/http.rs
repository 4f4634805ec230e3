//! HTTP: axum over hyper. Every answer comes from the in-memory site of the current
//! [`Snapshot`]; nothing here touches the disk. Requests whose Host is not this
//! server's are refused (DNS rebinding), paths that try to climb out are refused,
//! and HTML pages get the live-reload script and, while the site is broken, the
//! error overlay.

use std::convert::Infallible;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Router;
use futures_util::stream::{self, Stream};
use tokio::sync::watch;
use tower_http::set_header::SetResponseHeaderLayer;

use super::reload::{self, Snapshot};

/// The page of every path before a first build succeeded; the overlay says why.
const NO_SITE_YET: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
    <title>The site has errors</title></head><body><p>The site has not built yet.</p></body></html>";

/// What every request handler shares.
#[derive(Clone)]
pub struct App {
    pub snapshot: watch::Receiver<Arc<Snapshot>>,
    pub hosts: AllowedHosts,
    /// Turns true when the server stops: event streams end so that it can.
    pub shutdown: watch::Receiver<bool>,
}

pub fn router(app: App) -> Router {
    Router::new()
        .fallback(respond)
        .with_state(app)
        // The site changes under the browser's feet: never let it keep a copy.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
}

async fn respond(State(app): State<App>, method: Method, uri: Uri, headers: HeaderMap) -> Response {
    if !app.hosts.allows(&headers, &uri) {
        return text(
            StatusCode::FORBIDDEN,
            "403 Forbidden: this server answers only to its own address \
             (localhost, 127.0.0.1 or the interface it listens on)\n",
        );
    }
    if method != Method::GET && method != Method::HEAD {
        let mut r = text(StatusCode::METHOD_NOT_ALLOWED, "405 Method Not Allowed\n");
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let head = method == Method::HEAD;
    let path = uri.path();
    let own = path
        .strip_prefix('/')
        .and_then(|p| p.strip_prefix(reload::PREFIX));
    if own == Some(reload::EVENTS) {
        if head {
            // A stream has no length to report, and a HEAD must not wait for one.
            let mut r = Response::new(Body::empty());
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/event-stream"),
            );
            return r;
        }
        return events(app).into_response();
    }
    if own == Some(reload::SCRIPT_NAME) {
        return file_response(
            StatusCode::OK,
            "text/javascript; charset=utf-8",
            [
                Bytes::from_static(reload::SCRIPT.as_bytes()),
                Bytes::new(),
                Bytes::new(),
            ],
            head,
        );
    }
    if own.is_some() {
        return text(StatusCode::NOT_FOUND, "404 Not Found\n");
    }
    // One snapshot for the whole answer: a rebuild may swap in another meanwhile.
    let snapshot = app.snapshot.borrow().clone();
    let prefix = root_prefix(path);
    let Some(site) = &snapshot.site else {
        // No build has succeeded yet: every page is the overlay.
        let body = reload::inject(
            Bytes::from_static(NO_SITE_YET.as_bytes()),
            &snapshot.injection(&prefix),
        );
        return file_response(
            StatusCode::SERVICE_UNAVAILABLE,
            "text/html; charset=utf-8",
            body,
            head,
        );
    };
    match lookup(path, |p| site.get(p).is_some()) {
        Lookup::File(key) => {
            let Some(bytes) = site.get(&key) else {
                return not_found(&snapshot, &prefix, head);
            };
            let kind = content_type(&key);
            // Shares the site's bytes: no copy per request.
            let shared = Bytes::from_owner(bytes.clone());
            let body = if key.ends_with(".html") {
                reload::inject(shared, &snapshot.injection(&prefix))
            } else {
                [shared, Bytes::new(), Bytes::new()]
            };
            file_response(StatusCode::OK, &kind, body, head)
        }
        Lookup::Redirect(to) => {
            let location = match uri.query() {
                Some(q) => format!("{to}?{q}"),
                None => to,
            };
            let mut r = text(StatusCode::MOVED_PERMANENTLY, "301 Moved Permanently\n");
            if let Ok(value) = HeaderValue::from_str(&location) {
                r.headers_mut().insert(header::LOCATION, value);
            }
            r
        }
        Lookup::NotFound => not_found(&snapshot, &prefix, head),
        Lookup::Bad => text(StatusCode::BAD_REQUEST, "400 Bad Request\n"),
    }
}

fn not_found(snapshot: &Snapshot, prefix: &str, head: bool) -> Response {
    match snapshot.site.as_ref().and_then(|s| s.get("404.html")) {
        Some(page) => file_response(
            StatusCode::NOT_FOUND,
            "text/html; charset=utf-8",
            reload::inject(Bytes::from_owner(page.clone()), &snapshot.injection(prefix)),
            head,
        ),
        None => text(StatusCode::NOT_FOUND, "404 Not Found\n"),
    }
}

/// A response whose body is `pieces`, one after the other.
fn file_response(status: StatusCode, kind: &str, pieces: [Bytes; 3], head: bool) -> Response {
    let length: usize = pieces.iter().map(Bytes::len).sum();
    let body = if head {
        Body::empty()
    } else {
        let chunks = pieces
            .into_iter()
            .filter(|b| !b.is_empty())
            .map(Ok::<_, Infallible>);
        Body::from_stream(futures_util::stream::iter(chunks))
    };
    let mut r = Response::new(body);
    *r.status_mut() = status;
    let headers = r.headers_mut();
    if let Ok(value) = HeaderValue::from_str(kind) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    r
}

fn text(status: StatusCode, message: &'static str) -> Response {
    let mut r = Response::new(Body::from(message));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

/// The event stream: the current state at once, then every new one, until the
/// server stops.
fn events(app: App) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let mut snapshots = app.snapshot.clone();
    // The first message goes out whatever the receiver has already seen.
    snapshots.mark_changed();
    let state = (snapshots, app.shutdown.clone(), true);
    let stream = stream::unfold(state, |(mut snapshots, mut shutdown, first)| async move {
        if *shutdown.borrow() {
            return None;
        }
        tokio::select! {
            changed = snapshots.changed() => changed.ok()?,
            _ = shutdown.changed() => return None,
        }
        let message = snapshots.borrow_and_update().message();
        let mut event = Event::default().event("state").data(message);
        if first {
            // Reconnect quickly after a restart of the server.
            event = event.retry(Duration::from_millis(500));
        }
        Some((Ok(event), (snapshots, shutdown, false)))
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// Where a request path leads in the site's files.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    /// An output path: `actors/index.html`.
    File(String),
    /// A folder asked for without its `/`: the relative URL to send the browser to.
    Redirect(String),
    NotFound,
    /// Not a path any site file can have: `..`, encoded slashes, NUL, bad UTF-8.
    Bad,
}

/// Maps a request path (still percent-encoded) to a site file.
pub fn lookup(path: &str, exists: impl Fn(&str) -> bool) -> Lookup {
    let Some(rest) = path.strip_prefix('/') else {
        return Lookup::Bad;
    };
    let raw: Vec<&str> = if rest.is_empty() {
        Vec::new()
    } else {
        rest.split('/').collect()
    };
    let folder = raw.last().is_none_or(|s| s.is_empty());
    let mut segments = Vec::with_capacity(raw.len());
    for (i, segment) in raw.iter().enumerate() {
        if segment.is_empty() {
            if i + 1 == raw.len() {
                break;
            }
            // `//x`: no site file has an empty folder name.
            return Lookup::NotFound;
        }
        let Ok(decoded) = percent_encoding::percent_decode_str(segment).decode_utf8() else {
            return Lookup::Bad;
        };
        if decoded == "."
            || decoded == ".."
            || decoded.contains(['/', '\\', '\0'])
            || decoded.contains(':') && i == 0 && decoded.len() == 2
        {
            return Lookup::Bad;
        }
        segments.push(decoded.into_owned());
    }
    let joined = segments.join("/");
    if folder {
        let key = if joined.is_empty() {
            "index.html".to_string()
        } else {
            format!("{joined}/index.html")
        };
        return if exists(&key) {
            Lookup::File(key)
        } else {
            Lookup::NotFound
        };
    }
    if exists(&joined) {
        return Lookup::File(joined);
    }
    if exists(&format!("{joined}/index.html")) {
        // Relative, so that it also holds under a proxy's sub-path.
        let last = raw.last().copied().unwrap_or_default();
        return Lookup::Redirect(format!("{last}/"));
    }
    Lookup::NotFound
}

/// `../../` for `/actors/joe-biden/` or `/actors/joe-biden/index.html`: from the
/// page the browser shows back to the site root.
pub fn root_prefix(path: &str) -> String {
    let folders = path
        .trim_start_matches('/')
        .rsplit_once('/')
        .map_or(0, |(dirs, _)| dirs.split('/').count());
    "../".repeat(folders)
}

/// The Content-Type of an output path, with the charset for text.
pub fn content_type(path: &str) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let texty = mime.type_() == mime_guess::mime::TEXT
        || matches!(mime.subtype().as_str(), "javascript" | "json" | "xml")
        || matches!(mime.suffix().map(|s| s.as_str()), Some("json" | "xml"));
    if texty && mime.get_param(mime_guess::mime::CHARSET).is_none() {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

/// The Host header values this server answers to.
#[derive(Debug, Clone)]
pub struct AllowedHosts {
    interface: IpAddr,
}

impl AllowedHosts {
    pub fn new(interface: IpAddr) -> AllowedHosts {
        AllowedHosts { interface }
    }

    fn allows(&self, headers: &HeaderMap, uri: &Uri) -> bool {
        let host = match uri.authority() {
            Some(a) => Some(a.as_str()),
            None => headers.get(header::HOST).and_then(|h| h.to_str().ok()),
        };
        host.is_some_and(|h| self.allows_host(h))
    }

    /// True for `localhost`, `127.0.0.1`, the interface's address, each with or
    /// without a port; when listening on every interface, for any IP address. Never
    /// for another name, which is what a DNS-rebinding page would send.
    pub fn allows_host(&self, host: &str) -> bool {
        let Some((name, port)) = split_host(host) else {
            return false;
        };
        if !port.chars().all(|c| c.is_ascii_digit()) {
            return false;
        }
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        if name == "localhost" {
            return true;
        }
        let bare = name.trim_start_matches('[').trim_end_matches(']');
        match bare.parse::<IpAddr>() {
            Ok(ip) => {
                ip == self.interface
                    || ip == IpAddr::from([127, 0, 0, 1])
                    || self.interface.is_unspecified()
            }
            Err(_) => false,
        }
    }
}

/// `host:port` -> (`host`, `port`); `[::1]:80` -> (`[::1]`, `80`); port may be empty.
fn split_host(host: &str) -> Option<(&str, &str)> {
    if host.is_empty() {
        return None;
    }
    if host.starts_with('[') {
        let end = host.find(']')?;
        let (name, rest) = host.split_at(end + 1);
        return match rest {
            "" => Some((name, "")),
            _ => Some((name, rest.strip_prefix(':')?)),
        };
    }
    match host.split_once(':') {
        Some((name, port)) if !port.contains(':') => Some((name, port)),
        Some(_) => None,
        None => Some((host, "")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        let files = [
            "index.html",
            "actors/index.html",
            "actors/joe-biden/index.html",
            "style.css",
            "images/a b.png",
            "404.html",
        ];
        let exists = |p: &str| files.contains(&p);
        let table = [
            ("/", Lookup::File("index.html".into())),
            ("/index.html", Lookup::File("index.html".into())),
            ("/actors/", Lookup::File("actors/index.html".into())),
            ("/actors", Lookup::Redirect("actors/".into())),
            ("/actors/joe-biden", Lookup::Redirect("joe-biden/".into())),
            (
                "/actors/joe-biden/",
                Lookup::File("actors/joe-biden/index.html".into()),
            ),
            ("/style.css", Lookup::File("style.css".into())),
            ("/images/a%20b.png", Lookup::File("images/a b.png".into())),
            ("/%61ctors/", Lookup::File("actors/index.html".into())),
            ("/nope/", Lookup::NotFound),
            ("/nope", Lookup::NotFound),
            ("//etc/passwd", Lookup::NotFound),
            ("/actors//", Lookup::NotFound),
            ("/../etc/passwd", Lookup::Bad),
            ("/actors/../../etc/passwd", Lookup::Bad),
            ("/%2e%2e/etc/passwd", Lookup::Bad),
            ("/%2E%2E/%2E%2E/etc/passwd", Lookup::Bad),
            ("/.%2e/etc/passwd", Lookup::Bad),
            ("/actors/%2f..%2f..%2fetc%2fpasswd", Lookup::Bad),
            ("/..%2fetc%2fpasswd", Lookup::Bad),
            ("/..%5cetc%5cpasswd", Lookup::Bad),
            ("/./index.html", Lookup::Bad),
            ("/index.html%00", Lookup::Bad),
            ("/C:/Windows/win.ini", Lookup::Bad),
            ("/%ff", Lookup::Bad),
            ("/etc/passwd", Lookup::NotFound),
            ("etc/passwd", Lookup::Bad),
        ];
        for (path, expected) in table {
            assert_eq!(lookup(path, exists), expected, "{path}");
        }
    }

    #[test]
    fn prefixes() {
        assert_eq!(root_prefix("/"), "");
        assert_eq!(root_prefix("/index.html"), "");
        assert_eq!(root_prefix("/actors/"), "../");
        assert_eq!(root_prefix("/actors/joe-biden/"), "../../");
        assert_eq!(root_prefix("/actors/joe-biden/index.html"), "../../");
        assert_eq!(root_prefix("/nope"), "");
        assert_eq!(root_prefix("/a/b/c"), "../../");
    }

    #[test]
    fn content_types() {
        let table = [
            ("index.html", "text/html; charset=utf-8"),
            ("style.css", "text/css; charset=utf-8"),
            ("standpoint.js", "text/javascript; charset=utf-8"),
            ("data.json", "application/json; charset=utf-8"),
            ("search-index.json", "application/json; charset=utf-8"),
            ("sitemap.xml", "text/xml; charset=utf-8"),
            ("atom.xml", "text/xml; charset=utf-8"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("favicon.svg", "image/svg+xml; charset=utf-8"),
            ("a/photo.jpg", "image/jpeg"),
            ("a/photo.png", "image/png"),
            ("a/photo.webp", "image/webp"),
            ("fonts/x.woff2", "font/woff2"),
            ("doc.pdf", "application/pdf"),
            ("noextension", "application/octet-stream"),
        ];
        for (path, expected) in table {
            assert_eq!(content_type(path), expected, "{path}");
        }
    }

    #[test]
    fn hosts() {
        let loopback = AllowedHosts::new("127.0.0.1".parse().unwrap());
        for ok in [
            "localhost",
            "localhost:1111",
            "LOCALHOST:1111",
            "localhost.:1111",
            "127.0.0.1",
            "127.0.0.1:1111",
        ] {
            assert!(loopback.allows_host(ok), "{ok}");
        }
        for bad in [
            "",
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.nip.io:1111",
            "192.168.1.10:1111",
            "[::1]x",
            "localhost:11a",
            "a:b:c",
        ] {
            assert!(!loopback.allows_host(bad), "{bad}");
        }
        let v6 = AllowedHosts::new("::1".parse().unwrap());
        assert!(v6.allows_host("[::1]:1111"));
        assert!(v6.allows_host("[::1]"));
        assert!(v6.allows_host("localhost:1111"));
        assert!(!v6.allows_host("[::2]:1111"));
        let any = AllowedHosts::new("0.0.0.0".parse().unwrap());
        assert!(any.allows_host("192.168.1.10:1111"));
        assert!(!any.allows_host("evil.example:1111"));
    }
}
