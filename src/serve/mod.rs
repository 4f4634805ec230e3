//! `standpoint serve`: build the site in memory, serve it over HTTP, watch the
//! sources, rebuild on every change, and tell open browsers to reload.
//!
//! Three parts run side by side and share one value, the current [`Snapshot`]
//! (behind a `tokio::sync::watch` channel, swapped whole after each build):
//! - the watcher ([`watch`]) sends batches of changed paths to
//! - the rebuild thread, which runs the pipeline and publishes a new snapshot;
//! - the HTTP server ([`http`], its connections accepted by [`listen`]) answers from
//!   whatever snapshot is current, and its event stream pushes each new one to the
//!   browsers ([`reload`]).

pub mod http;
pub mod listen;
pub mod reload;
pub mod watch;

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use crate::diagnostics::{self, Diagnostic};
use crate::incremental::{Changes, Session};
use crate::load::tree::ChangeKind;
use crate::pipeline::{self, BuildOptions, Outcome};
use reload::{CssChange, Snapshot};
use watch::{SiteWatcher, WatchEvent};

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
    if !options.root.join(crate::load::config::FILE).is_file() {
        // Not a site folder: nothing to serve or watch. The pipeline says why best.
        let outcome = pipeline::run(&build_options(options, "http://localhost/"));
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
    if !interface.is_loopback() {
        eprintln!(
            "{}: `--interface {}` makes the site, drafts and all, reachable from the network; \
             use the default 127.0.0.1 to keep it on this machine",
            diagnostics::label(diagnostics::Severity::Warning, diagnostics::stderr_color()),
            options.interface
        );
    }
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
    let header_timeout = listen::header_timeout();
    let served = runtime.block_on(async move {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let stop = async move {
            stop_signal().await;
            // Ends the event streams, which would otherwise hold the server open.
            let _ = stop_tx.send(true);
        };
        listen::serve(listener, http::router(app), header_timeout, stop).await;
        Ok::<(), std::io::Error>(())
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

/// Adds what the watcher reported to `changes`.
fn add_event(changes: &mut Changes, root: &Path, event: WatchEvent) {
    match event {
        WatchEvent::Changed(paths) => changes.add(root, paths),
        WatchEvent::Rescan(why) => {
            eprintln!("note: {why}; rebuilding everything");
            changes.add_everything();
        }
    }
}

fn rebuild_loop(
    mut builder: Builder,
    mut watcher: SiteWatcher,
    events: &mpsc::Receiver<WatchEvent>,
) {
    while let Ok(event) = events.recv() {
        let mut changes = Changes::default();
        add_event(&mut changes, watcher.root(), event);
        // Whatever else arrived meanwhile goes into the same build.
        while let Ok(more) = events.try_recv() {
            add_event(&mut changes, watcher.root(), more);
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

/// Runs the builds and turns each outcome into the next snapshot.
struct Builder {
    session: Session,
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
            session: Session::new(options),
            snapshots: None,
            stamp: format!("{started:x}"),
            builds: 0,
            color: diagnostics::stderr_color(),
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
        let mut outcome = self.run_session(changes);
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
                diagnostics::warnings_suffix(&outcome.diagnostics)
            );
        } else {
            eprintln!(
                "Rebuilt in {} ms ({}){}",
                started.elapsed().as_millis(),
                changes.summary(),
                diagnostics::warnings_suffix(&outcome.diagnostics)
            );
        }
        Snapshot {
            site: Some(files),
            build,
            overlay: None,
            css,
        }
    }

    /// Runs the build; a panic in it (a bug) becomes an error in the overlay
    /// instead of ending the rebuilds while the server goes on serving.
    fn run_session(&mut self, changes: &Changes) -> Outcome {
        let run =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.session.build(changes)));
        match run {
            Ok(outcome) => outcome,
            Err(panic) => {
                let why = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                // A value kept half-updated by the panic must not be trusted.
                self.session.reset();
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
        let label = diagnostics::label(diagnostics::Severity::Error, self.color);
        eprintln!(
            "{label}: could not build: {}; still serving the last good site",
            diagnostics::tally(errors.len(), 0)
        );
    }
}

/// The stylesheets that differ between two sites, when nothing but stylesheets
/// was added or removed; `None` when the page must reload instead.
fn changed_stylesheets(
    old: &crate::render::SiteFiles,
    new: &crate::render::SiteFiles,
) -> Option<Vec<String>> {
    let css = |site: &crate::render::SiteFiles| -> Vec<String> {
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

    fn files(entries: &[(&str, &str)]) -> crate::render::SiteFiles {
        let mut f = crate::render::SiteFiles::default();
        for (path, text) in entries {
            f.insert(*path, text.as_bytes().to_vec());
        }
        f
    }

    #[test]
    fn stylesheets_that_changed() {
        let old = files(&[("a.css", "a"), ("b.css", "b"), ("index.html", "x")]);
        let new = files(&[("a.css", "a2"), ("b.css", "b"), ("index.html", "y")]);
        assert_eq!(changed_stylesheets(&old, &new), Some(vec!["a.css".into()]));
        // A stylesheet added or removed: the page must reload.
        let more = files(&[("a.css", "a"), ("b.css", "b"), ("c.css", "c")]);
        assert_eq!(changed_stylesheets(&old, &more), None);
    }
}
