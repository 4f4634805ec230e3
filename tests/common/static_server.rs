//! A tiny static file server for tests, the way a plain static host behaves: a
//! folder served under a sub-path, `dir/` answered with `dir/index.html`, `dir`
//! redirected to `dir/`, and anything missing answered 404 with the site's
//! `404.html`. It logs every requested path so tests can see what a page fetched.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

pub struct StaticServer {
    port: u16,
    prefix: String,
    stop: Arc<AtomicBool>,
    log: Arc<Mutex<Vec<String>>>,
    thread: Option<JoinHandle<()>>,
}

impl StaticServer {
    /// Serves `root` at `http://127.0.0.1:<port><prefix>`; `prefix` starts and ends with `/`.
    pub fn start(root: &Path, prefix: &str) -> StaticServer {
        assert!(
            prefix.starts_with('/') && prefix.ends_with('/'),
            "prefix `{prefix}`"
        );
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let log = Arc::new(Mutex::new(Vec::new()));
        let site = Arc::new(Site {
            root: root.to_path_buf(),
            prefix: prefix.to_string(),
        });
        let thread = {
            let (stop, log) = (stop.clone(), log.clone());
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (site, log) = (site.clone(), log.clone());
                    std::thread::spawn(move || site.handle(stream, &log));
                }
            })
        };
        StaticServer {
            port,
            prefix: prefix.to_string(),
            stop,
            log,
            thread: Some(thread),
        }
    }

    /// The absolute URL of a path under the prefix: `url("actors/")`.
    pub fn url(&self, path: &str) -> String {
        format!(
            "http://127.0.0.1:{}{}{}",
            self.port,
            self.prefix,
            path.trim_start_matches('/')
        )
    }

    /// The origin, `http://127.0.0.1:<port>`.
    pub fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Every request so far, as `GET /prefix/path?query`.
    pub fn requests(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

struct Site {
    root: PathBuf,
    prefix: String,
}

impl Site {
    fn handle(&self, stream: TcpStream, log: &Mutex<Vec<String>>) {
        let mut reader = BufReader::new(match stream.try_clone() {
            Ok(s) => s,
            Err(_) => return,
        });
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).is_err() {
            return;
        }
        // Skip the headers: nothing here depends on them.
        let mut line = String::new();
        while reader.read_line(&mut line).map(|n| n > 0).unwrap_or(false) && line.trim() != "" {
            line.clear();
        }
        let mut parts = request_line.split_whitespace();
        let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
        log.lock().unwrap().push(format!("{method} {target}"));
        let path = target.split(['?', '#']).next().unwrap_or("/");
        let response = if method != "GET" && method != "HEAD" {
            Response::text(405, "method not allowed")
        } else {
            self.respond(path)
        };
        let mut stream = stream;
        let _ = response.write(&mut stream, method == "HEAD");
    }

    fn respond(&self, path: &str) -> Response {
        if path == self.prefix.trim_end_matches('/') {
            return Response::redirect(&self.prefix);
        }
        let Some(rel) = path.strip_prefix(&self.prefix) else {
            return self.not_found();
        };
        if rel
            .split('/')
            .any(|seg| seg == ".." || seg.starts_with('.'))
        {
            return self.not_found();
        }
        let file = self.root.join(rel);
        if file.is_dir() {
            if !rel.is_empty() && !rel.ends_with('/') {
                return Response::redirect(&format!("{path}/"));
            }
            return self
                .file(&file.join("index.html"), 200)
                .unwrap_or_else(|| self.not_found());
        }
        self.file(&file, 200).unwrap_or_else(|| self.not_found())
    }

    fn not_found(&self) -> Response {
        self.file(&self.root.join("404.html"), 404)
            .unwrap_or_else(|| Response::text(404, "not found"))
    }

    fn file(&self, path: &Path, status: u16) -> Option<Response> {
        let body = std::fs::read(path).ok()?;
        let kind = match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
            "html" => "text/html; charset=utf-8",
            "css" => "text/css; charset=utf-8",
            "js" => "text/javascript; charset=utf-8",
            "json" => "application/json",
            "xml" => "application/xml",
            "svg" => "image/svg+xml",
            "png" => "image/png",
            "jpg" | "jpeg" => "image/jpeg",
            "txt" => "text/plain; charset=utf-8",
            _ => "application/octet-stream",
        };
        Some(Response {
            status,
            headers: vec![("Content-Type".into(), kind.into())],
            body,
        })
    }
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn text(status: u16, text: &str) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".into(), "text/plain; charset=utf-8".into())],
            body: text.as_bytes().to_vec(),
        }
    }

    fn redirect(to: &str) -> Response {
        Response {
            status: 301,
            headers: vec![("Location".into(), to.to_string())],
            body: Vec::new(),
        }
    }

    fn write(&self, stream: &mut TcpStream, head_only: bool) -> std::io::Result<()> {
        let reason = match self.status {
            200 => "OK",
            301 => "Moved Permanently",
            404 => "Not Found",
            _ => "Error",
        };
        let mut head = format!("HTTP/1.1 {} {reason}\r\n", self.status);
        for (k, v) in &self.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str(&format!(
            "Content-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
            self.body.len()
        ));
        stream.write_all(head.as_bytes())?;
        if !head_only {
            stream.write_all(&self.body)?;
        }
        stream.flush()
    }
}
