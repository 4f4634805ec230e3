//! `standpoint serve`: build the site in memory, serve it over HTTP, watch the
//! sources, rebuild on every change, and tell open browsers to reload.
//!
//! Three parts run side by side and share one value, the current [`Snapshot`]
//! (behind a `tokio::sync::watch` channel, swapped whole after each build):
//! - the watcher ([`watch`]) sends batches of changed paths to
//! - the rebuild thread, which runs the pipeline and publishes a new snapshot;
//! - the HTTP server ([`http`]) answers from whatever snapshot is current, and its
//!   event stream pushes each new one to the browsers ([`reload`]).

pub mod http;
pub mod reload;
pub mod watch;

use std::collections::BTreeSet;
use std::fmt;
use std::io::IsTerminal;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use crate::diagnostics::{self, Diagnostic};
use crate::pipeline::{self, BuildOptions, Caches, Outcome};
use reload::{CssChange, Snapshot};
use watch::{ChangeKind, SiteWatcher, WatchEvent};

/// What `standpoint serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site folder.
    pub root: PathBuf,
    /// The address to listen on: an IP address, or `localhost`.
    pub interface: String,
    /// 0 picks a free port.
    pub port: u16,
    pub drafts: bool,
    /// Open the site in the system's browser once it is served.
    pub open: bool,
}

/// Why `serve` could not run; each carries the diagnostic to print.
#[derive(Debug)]
pub enum ServeError {
    /// The command line asked for something impossible (exit code 2).
    Usage(Diagnostic),
    /// The server could not start (exit code 1).
    Failed(Diagnostic),
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServeError::Usage(d) | ServeError::Failed(d) => f.write_str(&d.message),
        }
    }
}

/// Serves the site until Ctrl-C (or SIGTERM).
pub fn run(options: &ServeOptions) -> Result<(), ServeError> {
    let interface = parse_interface(&options.interface)?;
    if !options.root.join(crate::config::FILE).is_file() {
        // Not a site folder: nothing to serve or watch. The pipeline says why best.
        let outcome = pipeline::run(
            &build_options(options, "http://localhost/"),
            &mut Caches::default(),
        );
        let d = outcome
            .diagnostics
            .into_iter()
            .find(Diagnostic::is_error)
            .unwrap_or_else(|| {
                Diagnostic::error(format!("`{}` is not a site folder", options.root.display()))
            });
        return Err(ServeError::Failed(d));
    }

    // Bind first: the site is built for the address it is served at.
    let address = SocketAddr::new(interface, options.port);
    let listener = std::net::TcpListener::bind(address).map_err(|e| bind_error(address, &e))?;
    let bound = listener.local_addr().map_err(|e| bind_error(address, &e))?;
    let url = format!("http://{}/", display_host(bound));

    // Watch before the first build, so that no change made during it is missed.
    let (events_tx, events) = mpsc::channel();
    let watcher = SiteWatcher::start(&options.root, events_tx).map_err(|e| {
        ServeError::Failed(
            Diagnostic::error(format!("cannot watch `{}`: {e}", options.root.display()))
                .help("on Linux, raise fs.inotify.max_user_watches if the limit was reached"),
        )
    })?;

    let mut builder = Builder::new(build_options(options, &url));
    let first = builder.build(&Changes::everything());
    let (snapshots, snapshot) = tokio::sync::watch::channel(Arc::new(first));
    builder.snapshots = Some(snapshots);

    println!("Serving at {url}");
    eprintln!("Watching for changes; press Ctrl-C to stop.");
    if options.open {
        open_browser(&url);
    }

    let rebuilds = std::thread::Builder::new()
        .name("standpoint-rebuild".into())
        .spawn(move || rebuild_loop(builder, watcher, &events))
        .map_err(|e| ServeError::Failed(Diagnostic::error(format!("cannot start: {e}"))))?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| ServeError::Failed(Diagnostic::error(format!("cannot start: {e}"))))?;
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    let app = http::App {
        snapshot,
        hosts: http::AllowedHosts::new(interface),
        shutdown: stop,
    };
    let served = runtime.block_on(async move {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        axum::serve(listener, http::router(app))
            .with_graceful_shutdown(async move {
                stop_signal().await;
                // Ends the event streams, which would otherwise hold the server open.
                let _ = stop_tx.send(true);
            })
            .await
    });
    // The rebuild thread ends with the watcher's channel; a build in progress is
    // simply dropped with the process.
    drop(rebuilds);
    eprintln!("Stopped.");
    served.map_err(|e| ServeError::Failed(Diagnostic::error(format!("the server failed: {e}"))))
}

fn build_options(options: &ServeOptions, url: &str) -> BuildOptions {
    BuildOptions {
        root: options.root.clone(),
        base_url: Some(url.to_string()),
        drafts: options.drafts,
        serve: true,
    }
}

fn parse_interface(interface: &str) -> Result<IpAddr, ServeError> {
    if interface.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    interface
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .map_err(|_| {
            ServeError::Usage(
                Diagnostic::error(format!("`--interface {interface}` is not an IP address"))
                    .help("use `127.0.0.1` (the default), `::1`, or `0.0.0.0` to listen on every interface"),
            )
        })
}

fn bind_error(address: SocketAddr, e: &std::io::Error) -> ServeError {
    let shown = display_host(address);
    let d = if e.kind() == std::io::ErrorKind::AddrInUse {
        Diagnostic::error(format!("cannot listen on {shown}: the port is already in use"))
            .help(format!(
                "stop the other server, or pick another port: `--port {}`, or `--port 0` for any free one",
                address.port().saturating_add(1)
            ))
    } else {
        Diagnostic::error(format!("cannot listen on {shown}: {e}"))
    };
    ServeError::Failed(d)
}

/// `127.0.0.1:1111`, `[::1]:1111`.
fn display_host(address: SocketAddr) -> String {
    match address.ip() {
        IpAddr::V4(ip) => format!("{ip}:{}", address.port()),
        IpAddr::V6(ip) => format!("[{ip}]:{}", address.port()),
    }
}

async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    match command.spawn() {
        // Reap it in the background so that it leaves no zombie.
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(e) => eprintln!("warning: could not open a browser ({e}); open {url} yourself"),
    }
}

/// The changes one rebuild answers to.
#[derive(Debug, Default)]
struct Changes {
    /// Changed paths relative to the site root, with their kind; Ignored ones left out.
    paths: BTreeSet<(ChangeKind, String)>,
    /// Everything may have changed (first build, watcher overflow).
    everything: bool,
}

impl Changes {
    fn everything() -> Changes {
        Changes {
            everything: true,
            ..Changes::default()
        }
    }

    fn add(&mut self, root: &Path, event: WatchEvent) {
        match event {
            WatchEvent::Changed(paths) => {
                for path in paths {
                    let kind = watch::change_kind(root, &path);
                    if kind != ChangeKind::Ignored {
                        let rel = crate::content::rel_path(root, &path);
                        self.paths.insert((kind, rel));
                    }
                }
            }
            WatchEvent::Rescan(why) => {
                eprintln!("note: {why}; rebuilding everything");
                self.everything = true;
            }
        }
    }

    fn is_empty(&self) -> bool {
        !self.everything && self.paths.is_empty()
    }

    /// True when only stylesheets changed, which the browser can swap in place.
    fn stylesheets_only(&self) -> bool {
        !self.everything
            && !self.paths.is_empty()
            && self.paths.iter().all(|(kind, path)| {
                matches!(kind, ChangeKind::Static | ChangeKind::Content) && path.ends_with(".css")
            })
    }

    /// The changed paths below `content/` (`actors/x.md`), when the watcher saw
    /// every change there; `None` when the whole folder must be read again.
    fn content_files(&self) -> Option<BTreeSet<String>> {
        if self.everything {
            return None;
        }
        let mut files = BTreeSet::new();
        for (kind, path) in &self.paths {
            match (kind, path.strip_prefix("content/")) {
                (ChangeKind::Content, Some(rel)) => {
                    files.insert(rel.to_string());
                }
                // `content/` itself came or went.
                (ChangeKind::Config, _) if path == "content" => return None,
                _ => {}
            }
        }
        Some(files)
    }

    /// True when every change is of this kind.
    fn only(&self, kind: ChangeKind) -> bool {
        !self.everything && self.paths.iter().all(|(k, _)| *k == kind)
    }

    fn touches(&self, kind: ChangeKind) -> bool {
        self.everything || self.paths.iter().any(|(k, _)| *k == kind)
    }

    fn summary(&self) -> String {
        if self.everything {
            return "everything".into();
        }
        let mut names: Vec<&str> = self.paths.iter().map(|(_, p)| p.as_str()).collect();
        names.dedup();
        let more = names.len().saturating_sub(3);
        let mut text = names.into_iter().take(3).collect::<Vec<_>>().join(", ");
        if more > 0 {
            text.push_str(&format!(" and {more} more"));
        }
        text
    }
}

fn rebuild_loop(
    mut builder: Builder,
    mut watcher: SiteWatcher,
    events: &mpsc::Receiver<WatchEvent>,
) {
    while let Ok(event) = events.recv() {
        let mut changes = Changes::default();
        changes.add(watcher.root(), event);
        // Whatever else arrived meanwhile goes into the same build.
        while let Ok(more) = events.try_recv() {
            changes.add(watcher.root(), more);
        }
        if changes.is_empty() {
            continue;
        }
        if changes.touches(ChangeKind::Config) {
            watcher.rewatch();
        }
        let snapshot = builder.build(&changes);
        if let Some(tx) = &builder.snapshots {
            tx.send_replace(Arc::new(snapshot));
        }
    }
}

/// Runs the pipeline and turns its outcome into the next snapshot.
struct Builder {
    options: BuildOptions,
    caches: Caches,
    snapshots: Option<tokio::sync::watch::Sender<Arc<Snapshot>>>,
    /// Tells this process's builds from a restarted server's.
    stamp: String,
    builds: u64,
    color: bool,
}

impl Builder {
    fn new(options: BuildOptions) -> Builder {
        let started = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        Builder {
            options,
            caches: Caches::for_serve(),
            snapshots: None,
            stamp: format!("{started:x}"),
            builds: 0,
            color: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }

    fn current(&self) -> Arc<Snapshot> {
        match &self.snapshots {
            Some(tx) => tx.borrow().clone(),
            None => Arc::new(Snapshot::empty()),
        }
    }

    fn build(&mut self, changes: &Changes) -> Snapshot {
        let started = Instant::now();
        if let Some(snapshot) = self.patch_static_files(changes) {
            eprintln!(
                "Updated in {} ms ({})",
                started.elapsed().as_millis(),
                changes.summary()
            );
            return snapshot;
        }
        let mut outcome = self.run_pipeline(changes);
        let previous = self.current();
        let first = self.builds == 0 && previous.site.is_none();
        let Some(files) = outcome.files.take() else {
            self.report_failure(&outcome);
            return Snapshot {
                overlay: Some(Arc::from(reload::overlay(
                    &outcome.diagnostics,
                    &outcome.sources,
                ))),
                css: None,
                ..(*previous).clone()
            };
        };
        self.builds += 1;
        let build = format!("{}-{}", self.stamp, self.builds);
        let files = Arc::new(files);
        let css = match &previous.site {
            Some(old) if changes.stylesheets_only() => {
                changed_stylesheets(old, &files).map(|paths| CssChange {
                    from: previous.build.clone(),
                    paths,
                })
            }
            _ => None,
        };
        let s = outcome.stats;
        if first {
            eprint!(
                "{}",
                diagnostics::render(&outcome.diagnostics, &outcome.sources, self.color)
            );
            eprintln!(
                "Built {} pages ({} actors, {} questions, {} events) in {} ms{}",
                s.html_files,
                s.actors,
                s.questions,
                s.events,
                s.millis,
                warnings_suffix(&outcome)
            );
        } else {
            eprintln!(
                "Rebuilt in {} ms ({}){}",
                started.elapsed().as_millis(),
                changes.summary(),
                warnings_suffix(&outcome)
            );
        }
        Snapshot {
            site: Some(files),
            build,
            overlay: None,
            css,
        }
    }

    /// Runs the pipeline; a panic in it (a bug) becomes an error in the overlay
    /// instead of ending the rebuilds while the server goes on serving.
    fn run_pipeline(&mut self, changes: &Changes) -> Outcome {
        let content_changed = changes.content_files();
        let content_only = changes.only(ChangeKind::Content);
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pipeline::rebuild(
                &self.options,
                &mut self.caches,
                content_changed,
                content_only,
            )
        }));
        match run {
            Ok(outcome) => outcome,
            Err(panic) => {
                let why = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                // A cache left half-updated by the panic must not be trusted.
                self.caches = Caches::for_serve();
                Outcome {
                    files: None,
                    diagnostics: vec![Diagnostic::error(format!(
                        "internal error: the build panicked: {why}"
                    ))
                    .help(
                        "this is a bug in standpoint; please report it with the file you changed",
                    )],
                    sources: crate::diagnostics::Sources::default(),
                    stats: pipeline::Stats::default(),
                }
            }
        }
    }

    /// When only existing static files were edited, the last site with their new
    /// bytes: no page needs rendering again. (Pages keep the old `?h=` cache-busting
    /// hash in their links, which is harmless here: `serve` forbids caching and
    /// ignores query strings.) `None` when a full build is needed.
    fn patch_static_files(&mut self, changes: &Changes) -> Option<Snapshot> {
        if changes.everything || changes.paths.is_empty() {
            return None;
        }
        let previous = self.current();
        let old = previous.site.as_ref()?;
        if previous.overlay.is_some() {
            // The errors may have been fixed some other way: let a build say so.
            return None;
        }
        let root = &self.options.root;
        let mut outputs = BTreeSet::new();
        for (kind, path) in &changes.paths {
            let output = match kind {
                ChangeKind::Static => static_output(path)?,
                _ => return None,
            };
            // Created or deleted files may change what templates can link to.
            if !root.join(path).is_file() || old.get(&output).is_none() {
                return None;
            }
            outputs.insert(output);
        }
        let (config, _) = crate::config::load(root).ok()?;
        let theme = crate::theme::load(root, &config.theme).ok()?;
        let mut files = (**old).clone();
        for output in &outputs {
            // A file of the same name under content/ is copied over static files.
            if root.join("content").join(output).exists() {
                continue;
            }
            // The site's own static files come after the theme's, and win.
            let file = theme.statics.iter().rev().find(|s| &s.output == output)?;
            files.insert(output.clone(), file.bytes.clone());
        }
        let paths = changed_stylesheets(old, &files)?;
        self.builds += 1;
        let build = format!("{}-{}", self.stamp, self.builds);
        let css = changes.stylesheets_only().then(|| CssChange {
            from: previous.build.clone(),
            paths,
        });
        Some(Snapshot {
            site: Some(Arc::new(files)),
            build,
            overlay: None,
            css,
        })
    }

    fn report_failure(&self, outcome: &Outcome) {
        let errors: Vec<Diagnostic> = outcome
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect();
        eprint!(
            "{}",
            diagnostics::render(&errors, &outcome.sources, self.color)
        );
        let label = if self.color {
            "\x1b[1;31merror\x1b[0m"
        } else {
            "error"
        };
        eprintln!(
            "{label}: could not build: {}; still serving the last good site",
            diagnostics::tally(errors.len(), 0)
        );
    }
}

fn warnings_suffix(outcome: &Outcome) -> String {
    match outcome.warnings() {
        0 => String::new(),
        n => format!(" ({})", diagnostics::tally(0, n)),
    }
}

/// The output path of a static file: `static/css/a.css` or
/// `themes/default/static/css/a.css` -> `css/a.css`.
fn static_output(path: &str) -> Option<String> {
    let parts: Vec<&str> = path.split('/').collect();
    let rest = match parts.as_slice() {
        ["static", rest @ ..] => rest,
        ["themes", _, "static", rest @ ..] => rest,
        _ => return None,
    };
    (!rest.is_empty()).then(|| rest.join("/"))
}

/// The stylesheets that differ between two sites, when nothing but stylesheets
/// was added or removed; `None` when the page must reload instead.
fn changed_stylesheets(
    old: &crate::output::SiteFiles,
    new: &crate::output::SiteFiles,
) -> Option<Vec<String>> {
    let css = |site: &crate::output::SiteFiles| -> Vec<String> {
        site.files
            .keys()
            .filter(|k| k.ends_with(".css"))
            .cloned()
            .collect()
    };
    let names = css(new);
    if names != css(old) {
        return None;
    }
    Some(
        names
            .into_iter()
            .filter(|k| old.get(k) != new.get(k))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_outputs() {
        assert_eq!(static_output("static/a.css").as_deref(), Some("a.css"));
        assert_eq!(
            static_output("themes/default/static/css/a.css").as_deref(),
            Some("css/a.css")
        );
        assert_eq!(static_output("static"), None);
        assert_eq!(static_output("themes/default/templates/a.html"), None);
        assert_eq!(static_output("content/a.css"), None);
    }

    #[test]
    fn content_files_for_the_parse_cache() {
        let mut changes = Changes::default();
        changes
            .paths
            .insert((ChangeKind::Content, "content/actors/a.md".into()));
        // Only content: a body edit may be patched in.
        assert!(changes.only(ChangeKind::Content));
        assert!(!Changes::everything().only(ChangeKind::Content));
        changes
            .paths
            .insert((ChangeKind::Static, "static/a.css".into()));
        assert_eq!(
            changes.content_files(),
            Some(["actors/a.md".to_string()].into())
        );
        assert!(!changes.only(ChangeKind::Content));
        changes.paths.insert((ChangeKind::Config, "content".into()));
        assert_eq!(changes.content_files(), None);
        assert_eq!(Changes::everything().content_files(), None);
    }

    #[test]
    fn stylesheet_only_changes() {
        let mut changes = Changes::default();
        changes
            .paths
            .insert((ChangeKind::Static, "static/a.css".into()));
        assert!(changes.stylesheets_only());
        changes
            .paths
            .insert((ChangeKind::Static, "static/a.js".into()));
        assert!(!changes.stylesheets_only());
        assert!(!Changes::everything().stylesheets_only());
    }
}
