//! A small Chrome DevTools Protocol client for tests: launches Debian's headless
//! Chromium with a fresh profile, opens pages, and drives each one over its own
//! WebSocket (tungstenite). A page records what tests assert on: console messages,
//! uncaught exceptions, browser log errors and failed requests.
//!
//! Every wait has a deadline; nothing sleeps for a fixed time. Failures panic with
//! a message that says what was awaited.
//!
//! ```ignore
//! let browser = Browser::launch();
//! let mut page = browser.new_page();
//! page.set_viewport(375, 800);
//! page.navigate("http://127.0.0.1:8000/");
//! assert_eq!(page.eval("document.title"), "Home");
//! page.screenshot(Path::new("target/shots/home.png"));
//! assert!(page.console_errors().is_empty());
//! ```

#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs;
use std::io::ErrorKind;
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tungstenite::protocol::WebSocketConfig;
use tungstenite::{Message, WebSocket};

/// How long one protocol command, a navigation or a launch may take.
const DEADLINE: Duration = Duration::from_secs(30);
/// How long a blocking read waits before the deadline is checked again.
const READ_SLICE: Duration = Duration::from_millis(200);

/// A headless Chromium process with a throw-away profile, killed on drop.
pub struct Browser {
    child: Child,
    port: u16,
    socket: Socket,
    profile: tempfile::TempDir,
}

impl Browser {
    /// Launches `chromium` (Debian's package; `.ci/run` installs it) or the binary
    /// named by `$CHROMIUM`. Panics with a clear message when it cannot start.
    pub fn launch() -> Browser {
        let program = std::env::var("CHROMIUM").unwrap_or_else(|_| "chromium".to_string());
        let profile = tempfile::tempdir().expect("create a browser profile folder");
        let log = fs::File::create(profile.path().join("chromium.log")).expect("create log");
        let child = Command::new(&program)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--hide-scrollbars",
                "--mute-audio",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start `{program}` ({e}): install Debian's chromium (.ci/run does)")
            });
        let mut browser_child = child;

        // Chromium writes the port it picked and the browser target's path here.
        let port_file = profile.path().join("DevToolsActivePort");
        let deadline = Instant::now() + DEADLINE;
        let (port, path) = loop {
            if let Ok(text) = fs::read_to_string(&port_file) {
                let mut lines = text.lines();
                if let (Some(port), Some(path)) = (lines.next(), lines.next()) {
                    if let Ok(port) = port.trim().parse::<u16>() {
                        break (port, path.trim().to_string());
                    }
                }
            }
            if let Ok(Some(status)) = browser_child.try_wait() {
                let log =
                    fs::read_to_string(profile.path().join("chromium.log")).unwrap_or_default();
                panic!("`{program}` exited at launch ({status}):\n{log}");
            }
            if Instant::now() > deadline {
                let _ = browser_child.kill();
                let log =
                    fs::read_to_string(profile.path().join("chromium.log")).unwrap_or_default();
                panic!("`{program}` did not open its DevTools port within {DEADLINE:?}:\n{log}");
            }
            // The file appears once Chromium is up; re-check at a short interval.
            std::thread::sleep(Duration::from_millis(20));
        };
        let socket = Socket::connect(port, &path);
        Browser {
            child: browser_child,
            port,
            socket,
            profile,
        }
    }

    /// Opens a new tab on `about:blank`, with console, log, network and page events on.
    pub fn new_page(&mut self) -> Page {
        let created = self
            .socket
            .call("Target.createTarget", json!({"url": "about:blank"}));
        let target_id = created["targetId"]
            .as_str()
            .expect("Target.createTarget returns a targetId")
            .to_string();
        let socket = Socket::connect(self.port, &format!("/devtools/page/{target_id}"));
        let mut page = Page {
            socket,
            target_id,
            console: Vec::new(),
            failed: Vec::new(),
            requests: HashMap::new(),
            loaded: HashSet::new(),
        };
        for domain in [
            "Page.enable",
            "Runtime.enable",
            "Log.enable",
            "Network.enable",
        ] {
            page.call(domain, json!({}));
        }
        page.call("Page.setLifecycleEventsEnabled", json!({"enabled": true}));
        page
    }

    /// Closes a page's tab.
    pub fn close_page(&mut self, page: Page) {
        let id = page.target_id.clone();
        drop(page);
        self.socket
            .call("Target.closeTarget", json!({"targetId": id}));
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One message from the page: `console.*` calls, uncaught exceptions, and the
/// browser's own log (failed loads, CSP, deprecations).
#[derive(Clone, Debug)]
pub struct ConsoleMessage {
    /// `log`, `info`, `warning`, `error`, `exception`, ...
    pub level: String,
    pub text: String,
    /// `console`, `exception`, or the browser log's source (`network`, `javascript`, ...).
    pub source: String,
}

impl ConsoleMessage {
    pub fn is_error(&self) -> bool {
        matches!(self.level.as_str(), "error" | "assert" | "exception")
    }
}

impl fmt::Display for ConsoleMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{} {}] {}", self.source, self.level, self.text)
    }
}

/// A request that failed at the network level, or was answered with 4xx/5xx.
#[derive(Clone, Debug)]
pub struct FailedRequest {
    pub url: String,
    /// `HTTP 404`, or Chromium's error text (`net::ERR_CONNECTION_REFUSED`).
    pub reason: String,
    /// Aborted by the page itself (navigation away, `AbortController`).
    pub canceled: bool,
}

impl fmt::Display for FailedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.url, self.reason)
    }
}

/// A browser tab.
pub struct Page {
    socket: Socket,
    target_id: String,
    console: Vec<ConsoleMessage>,
    failed: Vec<FailedRequest>,
    /// Request id to URL, for naming failed requests.
    requests: HashMap<String, String>,
    /// Loader ids of the documents whose `load` event has fired.
    loaded: HashSet<String>,
}

impl Page {
    /// Sends one protocol command and returns its result; records the events that
    /// arrive meanwhile. Panics on a protocol error.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        self.try_call(method, params)
            .unwrap_or_else(|err| panic!("`{method}` failed: {err}"))
    }

    /// Like [`Page::call`], but a protocol error (such as "execution context was
    /// destroyed" while the page reloads) comes back as `Err` instead of a panic.
    pub fn try_call(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        let id = self.socket.send(method, params);
        let deadline = Instant::now() + DEADLINE;
        loop {
            let Some(msg) = self.socket.next(deadline) else {
                panic!("no answer to `{method}` within {DEADLINE:?}");
            };
            if msg["id"].as_u64() == Some(id) {
                if let Some(err) = msg.get("error") {
                    return Err(err.clone());
                }
                return Ok(msg["result"].clone());
            }
            self.record(&msg);
        }
    }

    /// Evaluates like [`Page::eval`], but returns `Err` with the reason when the
    /// expression throws or the page is between documents (reloading): for polling
    /// a page that reloads by itself.
    pub fn try_eval(&mut self, expression: &str) -> Result<Value, String> {
        let result = self
            .try_call(
                "Runtime.evaluate",
                json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
            )
            .map_err(|e| e.to_string())?;
        if let Some(details) = result.get("exceptionDetails") {
            return Err(details["exception"]["description"]
                .as_str()
                .or_else(|| details["text"].as_str())
                .unwrap_or("unknown error")
                .to_string());
        }
        Ok(result["result"]["value"].clone())
    }

    /// Loads `url` and waits for its `load` event (deferred scripts have run by then).
    pub fn navigate(&mut self, url: &str) {
        let result = self.call("Page.navigate", json!({"url": url}));
        if let Some(err) = result["errorText"].as_str() {
            panic!("navigating to {url} failed: {err}");
        }
        // A same-document navigation (fragment change) has no loader and no load event.
        let Some(loader) = result["loaderId"].as_str().map(str::to_string) else {
            return;
        };
        let deadline = Instant::now() + DEADLINE;
        while !self.loaded.contains(&loader) {
            let Some(msg) = self.socket.next(deadline) else {
                panic!("{url} did not finish loading within {DEADLINE:?}");
            };
            self.record(&msg);
        }
    }

    /// Waits until the event `method` arrives.
    pub fn wait_for_event(&mut self, method: &str, what: &str) -> Value {
        let deadline = Instant::now() + DEADLINE;
        loop {
            let Some(msg) = self.socket.next(deadline) else {
                panic!("timed out after {DEADLINE:?} waiting for {what}");
            };
            self.record(&msg);
            if msg["method"] == method {
                return msg["params"].clone();
            }
        }
    }

    /// Evaluates a JavaScript expression (awaiting it when it is a promise) and
    /// returns its value as JSON. Panics with the page's message if it throws.
    pub fn eval(&mut self, expression: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({
                "expression": expression,
                "returnByValue": true,
                "awaitPromise": true,
                "userGesture": true,
            }),
        );
        if let Some(details) = result.get("exceptionDetails") {
            let text = details["exception"]["description"]
                .as_str()
                .or_else(|| details["text"].as_str())
                .unwrap_or("unknown error");
            panic!("evaluating `{expression}` threw: {text}");
        }
        result["result"]["value"].clone()
    }

    /// Waits until the JavaScript expression `condition` is truthy, polling inside
    /// the page on animation frames; panics naming `condition` after `timeout`.
    pub fn wait_for(&mut self, condition: &str, timeout: Duration) {
        // A navigation (a followed link, a reload) destroys the context the poll
        // runs in; that is a reason to poll again in the new document, not a failure.
        let deadline = Instant::now() + timeout;
        loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            let script = format!(
                "new Promise(resolve => {{
                   const end = performance.now() + {ms};
                   const check = () => {{
                     let ok = false;
                     try {{ ok = !!({condition}); }} catch (e) {{ ok = false; }}
                     if (ok) resolve(true);
                     else if (performance.now() > end) resolve(false);
                     else setTimeout(check, 16);
                   }};
                   check();
                 }})",
                ms = remaining.as_millis()
            );
            let last = match self.try_eval(&script) {
                Ok(Value::Bool(true)) => return,
                Ok(value) => value.to_string(),
                Err(reason) => reason,
            };
            if Instant::now() >= deadline {
                panic!("timed out after {timeout:?} waiting for `{condition}` (last: {last})");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sets the viewport's CSS size (device scale 1); widths under 600 px also
    /// emulate a mobile device, so `<meta name="viewport">` applies.
    pub fn set_viewport(&mut self, width: u32, height: u32) {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({
                "width": width,
                "height": height,
                "deviceScaleFactor": 1,
                "mobile": width < 600,
            }),
        );
    }

    /// Emulates CSS media features, e.g. `[("prefers-color-scheme", "dark")]`;
    /// `media` is a media type (`"print"`, `"screen"`) or empty.
    pub fn emulate_media(&mut self, media: &str, features: &[(&str, &str)]) {
        let features: Vec<Value> = features
            .iter()
            .map(|(name, value)| json!({"name": name, "value": value}))
            .collect();
        self.call(
            "Emulation.setEmulatedMedia",
            json!({"media": media, "features": features}),
        );
    }

    /// Turns JavaScript off (or on again) for the following navigations.
    pub fn set_javascript_enabled(&mut self, enabled: bool) {
        self.call(
            "Emulation.setScriptExecutionDisabled",
            json!({"value": !enabled}),
        );
    }

    /// Presses and releases one key: `Tab`, `Enter`, `Escape`, the arrows, `Home`,
    /// `End`, or `/`.
    pub fn press_key(&mut self, key: &str) {
        let (code, vk, text) = match key {
            "Tab" => ("Tab", 9, ""),
            "Enter" => ("Enter", 13, "\r"),
            "Escape" => ("Escape", 27, ""),
            "ArrowDown" => ("ArrowDown", 40, ""),
            "ArrowUp" => ("ArrowUp", 38, ""),
            "ArrowLeft" => ("ArrowLeft", 37, ""),
            "ArrowRight" => ("ArrowRight", 39, ""),
            "Home" => ("Home", 36, ""),
            "End" => ("End", 35, ""),
            "/" => ("Slash", 191, "/"),
            other => panic!("press_key: no key code for `{other}`"),
        };
        let mut down = json!({"type": if text.is_empty() { "rawKeyDown" } else { "keyDown" },
            "key": key, "code": code, "windowsVirtualKeyCode": vk, "nativeVirtualKeyCode": vk});
        if !text.is_empty() {
            down["text"] = json!(text);
        }
        self.call("Input.dispatchKeyEvent", down);
        self.call(
            "Input.dispatchKeyEvent",
            json!({"type": "keyUp", "key": key, "code": code,
                   "windowsVirtualKeyCode": vk, "nativeVirtualKeyCode": vk}),
        );
    }

    /// Types text into the focused element, as an input method would.
    pub fn insert_text(&mut self, text: &str) {
        self.call("Input.insertText", json!({"text": text}));
    }

    /// Moves the mouse to a point of the viewport (CSS pixels).
    pub fn mouse_move(&mut self, x: f64, y: f64) {
        self.call(
            "Input.dispatchMouseEvent",
            json!({"type": "mouseMoved", "x": x, "y": y, "pointerType": "mouse"}),
        );
    }

    /// Taps a point of the viewport with one finger (touch events).
    pub fn tap(&mut self, x: f64, y: f64) {
        self.call(
            "Emulation.setTouchEmulationEnabled",
            json!({"enabled": true, "maxTouchPoints": 1}),
        );
        for kind in ["touchStart", "touchEnd"] {
            let points = if kind == "touchEnd" {
                json!([])
            } else {
                json!([{"x": x, "y": y}])
            };
            self.call(
                "Input.dispatchTouchEvent",
                json!({"type": kind, "touchPoints": points}),
            );
        }
    }

    /// Saves a PNG of what the viewport shows to `path`. Unlike [`Page::screenshot`]
    /// it leaves the viewport alone, so transient UI (a hover card) stays open.
    pub fn screenshot_viewport(&mut self, path: &Path) {
        let shot = self.call("Page.captureScreenshot", json!({"format": "png"}));
        save_png(path, &shot);
    }

    /// Saves a PNG of the whole page (beyond the viewport) to `path`. The capture
    /// resizes the viewport for a moment, which fires `resize` in the page.
    pub fn screenshot(&mut self, path: &Path) {
        let metrics = self.call("Page.getLayoutMetrics", json!({}));
        let size = &metrics["cssContentSize"];
        let (w, h) = (
            size["width"].as_f64().unwrap_or(800.0),
            size["height"].as_f64().unwrap_or(600.0),
        );
        let shot = self.call(
            "Page.captureScreenshot",
            json!({
                "format": "png",
                "captureBeyondViewport": true,
                "clip": {"x": 0, "y": 0, "width": w, "height": h, "scale": 1},
            }),
        );
        save_png(path, &shot);
    }

    /// Everything logged so far (see [`ConsoleMessage`]), after reading pending events.
    pub fn console_messages(&mut self) -> Vec<ConsoleMessage> {
        self.drain();
        self.console.clone()
    }

    /// The errors among [`Page::console_messages`].
    pub fn console_errors(&mut self) -> Vec<ConsoleMessage> {
        self.drain();
        self.console
            .iter()
            .filter(|m| m.is_error())
            .cloned()
            .collect()
    }

    /// Requests that failed or got a 4xx/5xx answer, after reading pending events.
    pub fn failed_requests(&mut self) -> Vec<FailedRequest> {
        self.drain();
        self.failed.clone()
    }

    /// Forgets recorded messages and failed requests (e.g. before the next navigation).
    pub fn clear_logs(&mut self) {
        self.drain();
        self.console.clear();
        self.failed.clear();
    }

    /// Records the events already received, without waiting for more.
    fn drain(&mut self) {
        // A round trip guarantees every event sent before it has been read.
        self.call("Runtime.evaluate", json!({"expression": "0"}));
    }

    fn record(&mut self, msg: &Value) {
        let params = &msg["params"];
        match msg["method"].as_str().unwrap_or_default() {
            "Runtime.consoleAPICalled" => {
                let text = params["args"]
                    .as_array()
                    .map(|args| {
                        args.iter()
                            .map(|a| match &a["value"] {
                                Value::String(s) => s.clone(),
                                Value::Null => a["description"].as_str().unwrap_or("").to_string(),
                                v => v.to_string(),
                            })
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .unwrap_or_default();
                self.console.push(ConsoleMessage {
                    level: params["type"].as_str().unwrap_or("log").to_string(),
                    text,
                    source: "console".to_string(),
                });
            }
            "Runtime.exceptionThrown" => {
                let d = &params["exceptionDetails"];
                let text = d["exception"]["description"]
                    .as_str()
                    .or_else(|| d["text"].as_str())
                    .unwrap_or("exception")
                    .to_string();
                self.console.push(ConsoleMessage {
                    level: "exception".to_string(),
                    text,
                    source: "exception".to_string(),
                });
            }
            "Log.entryAdded" => {
                let e = &params["entry"];
                let mut text = e["text"].as_str().unwrap_or_default().to_string();
                if let Some(url) = e["url"].as_str() {
                    text = format!("{text} ({url})");
                }
                self.console.push(ConsoleMessage {
                    level: e["level"].as_str().unwrap_or("info").to_string(),
                    text,
                    source: e["source"].as_str().unwrap_or("log").to_string(),
                });
            }
            "Page.lifecycleEvent" if params["name"] == "load" => {
                if let Some(loader) = params["loaderId"].as_str() {
                    self.loaded.insert(loader.to_string());
                }
            }
            "Network.requestWillBeSent" => {
                if let (Some(id), Some(url)) = (
                    params["requestId"].as_str(),
                    params["request"]["url"].as_str(),
                ) {
                    self.requests.insert(id.to_string(), url.to_string());
                }
            }
            "Network.responseReceived" => {
                let status = params["response"]["status"].as_u64().unwrap_or(0);
                if status >= 400 {
                    self.failed.push(FailedRequest {
                        url: params["response"]["url"]
                            .as_str()
                            .unwrap_or("?")
                            .to_string(),
                        reason: format!("HTTP {status}"),
                        canceled: false,
                    });
                }
            }
            "Network.loadingFailed" => {
                let id = params["requestId"].as_str().unwrap_or_default();
                self.failed.push(FailedRequest {
                    url: self
                        .requests
                        .get(id)
                        .cloned()
                        .unwrap_or_else(|| id.to_string()),
                    reason: params["errorText"].as_str().unwrap_or("failed").to_string(),
                    canceled: params["canceled"].as_bool().unwrap_or(false),
                });
            }
            _ => {}
        }
    }
}

/// One DevTools WebSocket connection with numbered commands.
struct Socket {
    ws: WebSocket<TcpStream>,
    next_id: u64,
}

impl Socket {
    fn connect(port: u16, path: &str) -> Socket {
        let stream =
            TcpStream::connect(("127.0.0.1", port)).expect("connect to Chromium's DevTools port");
        // Full-page screenshots arrive as one large message.
        let config = WebSocketConfig::default()
            .max_message_size(Some(512 << 20))
            .max_frame_size(Some(512 << 20));
        let url = format!("ws://127.0.0.1:{port}{path}");
        let (ws, _) = tungstenite::client::client_with_config(url.as_str(), stream, Some(config))
            .unwrap_or_else(|e| panic!("WebSocket handshake with {url} failed: {e}"));
        ws.get_ref()
            .set_read_timeout(Some(READ_SLICE))
            .expect("set a read timeout");
        Socket { ws, next_id: 1 }
    }

    fn send(&mut self, method: &str, params: Value) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        let text = json!({"id": id, "method": method, "params": params}).to_string();
        self.ws
            .send(Message::text(text))
            .unwrap_or_else(|e| panic!("sending `{method}` to Chromium failed: {e}"));
        id
    }

    /// The next JSON message, or `None` once `deadline` has passed.
    fn next(&mut self, deadline: Instant) -> Option<Value> {
        loop {
            match self.ws.read() {
                Ok(Message::Text(text)) => {
                    return Some(serde_json::from_str(text.as_str()).expect("DevTools sends JSON"));
                }
                Ok(_) => {}
                Err(tungstenite::Error::Io(e))
                    if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) =>
                {
                    if Instant::now() > deadline {
                        return None;
                    }
                }
                Err(e) => panic!("the DevTools connection broke: {e}"),
            }
        }
    }

    /// Sends a command and waits for its answer, ignoring events.
    fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.send(method, params);
        let deadline = Instant::now() + DEADLINE;
        loop {
            let msg = self
                .next(deadline)
                .unwrap_or_else(|| panic!("no answer to `{method}` within {DEADLINE:?}"));
            if msg["id"].as_u64() == Some(id) {
                if let Some(err) = msg.get("error") {
                    panic!("`{method}` failed: {err}");
                }
                return msg["result"].clone();
            }
        }
    }
}

fn save_png(path: &Path, shot: &Value) {
    let data = shot["data"]
        .as_str()
        .expect("captureScreenshot returns data");
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).expect("create the screenshot folder");
    }
    fs::write(path, base64_decode(data)).expect("write the screenshot");
}

fn base64_decode(text: &str) -> Vec<u8> {
    fn value(c: u8) -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {c}"),
        }
    }
    let bytes: Vec<u8> = text
        .bytes()
        .filter(|&c| c != b'=' && !c.is_ascii_whitespace())
        .collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= value(c) << (18 - 6 * i);
        }
        out.push((n >> 16) as u8);
        if chunk.len() > 2 {
            out.push((n >> 8) as u8);
        }
        if chunk.len() > 3 {
            out.push(n as u8);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_round_trips() {
        assert_eq!(super::base64_decode("aGVsbG8="), b"hello");
        assert_eq!(super::base64_decode("aGVsbG8gIQ=="), b"hello !");
        assert_eq!(super::base64_decode("YWJj"), b"abc");
    }
}
