//! Helpers for the tests of `standpoint serve`: a server process on a temporary
//! copy of a fixture site, a small HTTP/1.1 client over std::net (raw, so that tests
//! can send any Host header and any path), a server-sent events reader, and
//! polling with a deadline. Nothing sleeps for a fixed time except between polls.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_standpoint");
/// How long any one awaited thing may take; generous for a loaded 2-core machine.
pub const WAIT: Duration = Duration::from_secs(20);

/// Copies a folder tree.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A temporary copy of `tests/fixtures/<name>`; the copy is `site.path().join("site")`
/// so that tests can put files beside it (outside the site).
pub fn fixture_copy(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    copy_tree(&from, &dir.path().join("site"));
    dir
}

/// Saves the way editors do: write a temporary file beside it, then rename it over.
pub fn save_atomically(path: &Path, text: &str) {
    let tmp = path.with_file_name(format!(
        ".{}.tmp-save",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

/// Polls `check` until it returns `Some`, or panics naming `what` after [`WAIT`].
pub fn wait_for<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(value) = check() {
            return value;
        }
        if Instant::now() > deadline {
            panic!("timed out after {WAIT:?} waiting for {what}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// A running `standpoint serve`, killed on drop.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    /// `http://127.0.0.1:PORT/`
    pub url: String,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `standpoint --root . serve --port 0 ARGS` in ROOT, as an author
    /// would, and waits for its address.
    pub fn start(root: &Path, args: &[&str]) -> Server {
        Server::start_with(root, "0", args, &[])
    }

    /// Starts the server on a given port (to restart one where it was).
    pub fn start_on(root: &Path, port: &str) -> Server {
        Server::start_with(root, port, &[], &[])
    }

    /// Starts the server with extra environment variables.
    pub fn start_env(root: &Path, args: &[&str], env: &[(&str, std::ffi::OsString)]) -> Server {
        Server::start_with(root, "0", args, env)
    }

    fn start_with(
        root: &Path,
        port: &str,
        args: &[&str],
        env: &[(&str, std::ffi::OsString)],
    ) -> Server {
        let mut child = Command::new(BIN)
            .current_dir(root)
            .args(["--root", "."])
            .args(["serve", "--port", port])
            .args(args)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start standpoint serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        let log = stderr.clone();
        let err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines() {
                let Ok(line) = line else { break };
                let mut log = log.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let (tx, rx) = mpsc::channel();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let line = match rx.recv_timeout(WAIT) {
            Ok(line) => line,
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "serve printed no address within {WAIT:?}; stderr:\n{}",
                    stderr.lock().unwrap()
                );
            }
        };
        let url = line
            .strip_prefix("Serving at ")
            .unwrap_or_else(|| panic!("unexpected first line: {line}"))
            .to_string();
        let host = url
            .strip_prefix("http://")
            .and_then(|r| r.strip_suffix('/'))
            .unwrap_or_else(|| panic!("not an address: {url}"));
        let addr: SocketAddr = host
            .parse()
            .unwrap_or_else(|_| panic!("bad address {host}"));
        Server {
            child,
            addr,
            url,
            stderr,
        }
    }

    pub fn get(&self, path: &str) -> Response {
        request(self.addr, "GET", path, &self.host(), &[])
    }

    /// `127.0.0.1:PORT`, as a browser would send it.
    pub fn host(&self) -> String {
        self.addr.to_string()
    }

    /// What the server printed on stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the process to exit; its status.
    pub fn wait_exit(&mut self) -> std::process::ExitStatus {
        wait_for("the server to exit", || self.child.try_wait().unwrap())
    }

    /// Polls `path` until its body contains `text`; the body.
    pub fn wait_for_text(&self, path: &str, text: &str) -> String {
        wait_for(&format!("`{text}` in {path}"), || {
            let r = self.get(path);
            r.text().contains(text).then(|| r.text())
        })
    }

    /// Polls `path` until it answers with `status`.
    pub fn wait_for_status(&self, path: &str, status: u16) -> Response {
        wait_for(&format!("status {status} from {path}"), || {
            let r = self.get(path);
            (r.status == status).then_some(r)
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends one request (`Connection: close`) and reads the whole answer. `host`
/// empty sends no Host header. `target` goes on the request line as is.
pub fn request(
    addr: SocketAddr,
    method: &str,
    target: &str,
    host: &str,
    headers: &[(&str, &str)],
) -> Response {
    let mut head = format!("{method} {target} HTTP/1.1\r\n");
    if !host.is_empty() {
        head.push_str(&format!("Host: {host}\r\n"));
    }
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("Connection: close\r\n\r\n");
    raw_request(addr, head.as_bytes(), method == "HEAD")
}

/// Sends `bytes` as they are and parses the answer.
pub fn raw_request(addr: SocketAddr, bytes: &[u8], head_only: bool) -> Response {
    let mut stream = TcpStream::connect_timeout(&addr, WAIT).expect("connect");
    stream.set_read_timeout(Some(WAIT)).unwrap();
    stream.write_all(bytes).expect("send request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read response");
    parse_response(&raw, head_only)
}

fn parse_response(raw: &[u8], head_only: bool) -> Response {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no end of headers in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status: u16 = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let rest = &raw[end + 4..];
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    let body = if head_only {
        rest.to_vec()
    } else if chunked {
        let mut decoder = Chunked::default();
        decoder.feed(rest)
    } else {
        rest.to_vec()
    };
    Response {
        status,
        headers,
        body,
    }
}

/// Incremental decoder of chunked transfer encoding.
#[derive(Default)]
struct Chunked {
    pending: Vec<u8>,
    /// Bytes left in the current chunk (plus its CRLF), or None between chunks.
    left: Option<usize>,
}

impl Chunked {
    fn feed(&mut self, bytes: &[u8]) -> Vec<u8> {
        self.pending.extend_from_slice(bytes);
        let mut out = Vec::new();
        loop {
            match self.left {
                None => {
                    let Some(i) = self.pending.windows(2).position(|w| w == b"\r\n") else {
                        return out;
                    };
                    let line = String::from_utf8_lossy(&self.pending[..i]).into_owned();
                    let size = usize::from_str_radix(line.split(';').next().unwrap().trim(), 16)
                        .unwrap_or(0);
                    self.pending.drain(..i + 2);
                    self.left = Some(size + 2);
                    if size == 0 {
                        return out;
                    }
                }
                Some(n) => {
                    if self.pending.len() < n {
                        return out;
                    }
                    out.extend_from_slice(&self.pending[..n - 2]);
                    self.pending.drain(..n);
                    self.left = None;
                }
            }
        }
    }
}

/// A reader of the server's `state` events.
pub struct Events {
    stream: TcpStream,
    chunks: Chunked,
    text: String,
}

impl Events {
    pub fn connect(server: &Server) -> Events {
        let mut stream = TcpStream::connect_timeout(&server.addr, WAIT).expect("connect");
        stream
            .write_all(
                format!(
                    "GET /__standpoint/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
                    server.host()
                )
                .as_bytes(),
            )
            .unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        let mut events = Events {
            stream,
            chunks: Chunked::default(),
            text: String::new(),
        };
        // Headers first.
        let mut raw = Vec::new();
        let deadline = Instant::now() + WAIT;
        let body_start = loop {
            if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            assert!(Instant::now() < deadline, "no event stream headers");
            events.read_some(&mut raw);
        };
        let head = String::from_utf8_lossy(&raw[..body_start]).to_ascii_lowercase();
        assert!(head.starts_with("http/1.1 200"), "{head}");
        assert!(head.contains("content-type: text/event-stream"), "{head}");
        let body = events.chunks.feed(&raw[body_start..]);
        events.text.push_str(&String::from_utf8_lossy(&body));
        events
    }

    fn read_some(&mut self, into: &mut Vec<u8>) -> bool {
        let mut buf = [0u8; 16384];
        match self.stream.read(&mut buf) {
            Ok(0) => false,
            Ok(n) => {
                into.extend_from_slice(&buf[..n]);
                true
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => true,
            Err(e) => panic!("event stream broke: {e}"),
        }
    }

    /// The next `state` message, parsed, or None if none came within `timeout`.
    pub fn next_within(&mut self, timeout: Duration) -> Option<serde_json::Value> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(end) = self.text.find("\n\n") {
                let block: String = self.text.drain(..end + 2).collect();
                let mut is_state = false;
                let mut data = String::new();
                for line in block.lines() {
                    if line == "event: state" {
                        is_state = true;
                    } else if let Some(d) = line.strip_prefix("data: ") {
                        data.push_str(d);
                    }
                }
                if is_state {
                    return Some(serde_json::from_str(&data).expect("state is JSON"));
                }
                continue;
            }
            if Instant::now() > deadline {
                return None;
            }
            let mut raw = Vec::new();
            if !self.read_some(&mut raw) {
                return None;
            }
            let body = self.chunks.feed(&raw);
            self.text.push_str(&String::from_utf8_lossy(&body));
        }
    }

    /// The next `state` message; panics after [`WAIT`].
    pub fn next(&mut self) -> serde_json::Value {
        self.next_within(WAIT)
            .unwrap_or_else(|| panic!("no state message within {WAIT:?}"))
    }

    /// Skips messages until one satisfies `check`.
    pub fn until(
        &mut self,
        what: &str,
        check: impl Fn(&serde_json::Value) -> bool,
    ) -> serde_json::Value {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.next_within(left) {
                Some(m) if check(&m) => return m,
                Some(_) => continue,
                None => panic!("timed out after {WAIT:?} waiting for a state message with {what}"),
            }
        }
    }
}

/// `site.path()/site`.
pub fn site_root(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("site")
}

/// A reverse proxy that serves `upstream` under a sub-path (`/sub/x` -> `/x`), as a
/// host with a path prefix does. One connection per request (it forces
/// `Connection: close`), bytes copied both ways, so event streams pass through.
pub struct SubPathProxy {
    pub addr: SocketAddr,
}

impl SubPathProxy {
    pub fn start(upstream: SocketAddr, prefix: &'static str) -> SubPathProxy {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { break };
                std::thread::spawn(move || proxy_one(client, upstream, prefix));
            }
        });
        SubPathProxy { addr }
    }
}

fn proxy_one(mut client: TcpStream, upstream: SocketAddr, prefix: &str) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match client.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.splitn(3, ' ');
    let (method, target, version) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    let Some(rest) = target.strip_prefix(prefix.trim_end_matches('/')) else {
        let _ = client
            .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return;
    };
    let rest = if rest.is_empty() { "/" } else { rest };
    let mut out = format!("{method} {rest} {version}\r\nHost: {upstream}\r\nConnection: close\r\n");
    for line in lines.filter(|l| !l.is_empty()) {
        let name = line
            .split(':')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        if name != "host" && name != "connection" {
            out.push_str(line);
            out.push_str("\r\n");
        }
    }
    out.push_str("\r\n");
    let Ok(mut server) = TcpStream::connect(upstream) else {
        return;
    };
    if server.write_all(out.as_bytes()).is_err() {
        return;
    }
    // Request bodies (none in these tests) and the answer, each way.
    let (Ok(mut from_client), Ok(mut to_server)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut from_client, &mut to_server);
    });
    let _ = std::io::copy(&mut server, &mut client);
    let _ = client.shutdown(std::net::Shutdown::Both);
}
