//! `check --external`: requests every external URL of a checked site and reports
//! the dead ones, and those that moved, at each place they are written.
//!
//! [`collect`] gathers the URLs and their places from the resolved site, [`cache`]
//! keeps results for seven days, [`fetch`] requests one URL, [`limit`] runs the
//! requests on a fixed pool with at most two per host. [`check`] ties them: a value
//! in (the URLs, the cache), diagnostics and a summary out; the caller reads and
//! writes the cache file.
//!
//! What each result means:
//! - dead (a warning; an error with `--strict`): 4xx or 5xx (429 aside), a refused
//!   connection, an unknown host, a TLS failure, a timeout, a redirect loop;
//! - moved for good (a warning): a 301 or 308 on the way, the new URL as help;
//! - moved for now (302, 303, 307): counted, not reported; such redirects are how
//!   many sites work (sign-in pages, language choice);
//! - could not check (429 Too Many Requests): counted, not reported, not cached.

pub mod cache;
pub mod collect;
pub mod fetch;
pub mod limit;

use std::fmt;
use std::io::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::diagnostics::{Diagnostic, Severity};
use cache::{Cache, Entry};
use collect::Target;

/// How `check --external` runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// The longest wait for one request's answer.
    pub timeout: Duration,
    /// Requests at once, over all hosts.
    pub concurrency: usize,
    /// Requests at once to one host.
    pub per_host: usize,
    /// Ignore cached results.
    pub refresh: bool,
    /// Dead links are errors.
    pub strict: bool,
    /// Rewrite a `Checking links: n/m` line on standard error (a terminal).
    pub progress: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            timeout: Duration::from_secs(20),
            concurrency: 8,
            per_host: 2,
            refresh: false,
            strict: false,
            progress: false,
        }
    }
}

/// What one URL's result means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Live,
    Redirected {
        to: String,
        permanent: bool,
    },
    Dead {
        why: String,
        via: Option<String>,
    },
    /// The server asked us to come back later (429).
    Unchecked,
}

/// What a result in the cache means.
pub fn verdict(entry: &Entry) -> Verdict {
    let via = entry.final_url.clone();
    if let Some(why) = &entry.error {
        return Verdict::Dead {
            why: why.clone(),
            via,
        };
    }
    match entry.status {
        Some(429) => Verdict::Unchecked,
        Some(status) if status >= 400 => Verdict::Dead {
            why: status_text(status),
            via,
        },
        _ => match via {
            Some(to) => Verdict::Redirected {
                to,
                permanent: entry.permanent,
            },
            None => Verdict::Live,
        },
    }
}

/// `404 Not Found`.
fn status_text(status: u16) -> String {
    let reason = ureq::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason());
    match reason {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

/// How many URLs a check saw, and what it found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub urls: usize,
    pub from_cache: usize,
    pub dead: usize,
    pub redirected: usize,
    pub unchecked: usize,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let links = if self.urls == 1 { "link" } else { "links" };
        write!(
            f,
            "Checked {} external {links} ({} requested, {} from the cache): {} dead, {} redirected",
            self.urls,
            self.urls - self.from_cache,
            self.from_cache,
            self.dead,
            self.redirected
        )?;
        if self.unchecked > 0 {
            write!(f, ", {} could not be checked (429)", self.unchecked)?;
        }
        Ok(())
    }
}

/// Checks every URL of `targets`: from `cache` when fresh at `now` (unless
/// `refresh`), else by a request, whose result goes into `cache`. Returns a
/// diagnostic at every place of each dead or permanently moved URL.
pub fn check(
    targets: &[Target],
    cache: &mut Cache,
    options: &Options,
    now: u64,
) -> (Vec<Diagnostic>, Summary) {
    let mut summary = Summary {
        urls: targets.len(),
        ..Summary::default()
    };
    let mut entries: Vec<Option<Entry>> = targets
        .iter()
        .map(|t| match options.refresh {
            true => None,
            false => cache.fresh(&t.url, now).cloned(),
        })
        .collect();
    summary.from_cache = entries.iter().flatten().count();
    let wanted: Vec<(String, usize)> = (0..targets.len())
        .filter(|&i| entries[i].is_none())
        .map(|i| (fetch::host(&targets[i].url), i))
        .collect();
    let agent = fetch::agent(options.timeout);
    let progress = Progress::new(options.progress, wanted.len());
    let fetched = limit::run_all(wanted, options.concurrency, options.per_host, |i| {
        let entry = fetch::check(&agent, &targets[i].url, options.timeout, now);
        progress.one_done();
        (i, entry)
    });
    progress.finish();
    for (i, entry) in fetched {
        // A 429 says nothing about the link: ask again next time.
        if verdict(&entry) != Verdict::Unchecked {
            cache.insert(&targets[i].url, entry.clone());
        }
        entries[i] = Some(entry);
    }
    let mut diagnostics = Vec::new();
    for (target, entry) in targets.iter().zip(entries) {
        let verdict = verdict(&entry.expect("every URL has a result"));
        match &verdict {
            Verdict::Dead { .. } => summary.dead += 1,
            Verdict::Redirected { .. } => summary.redirected += 1,
            Verdict::Unchecked => summary.unchecked += 1,
            Verdict::Live => {}
        }
        diagnostics.extend(diagnostics_of(target, &verdict, options.strict));
    }
    (diagnostics, summary)
}

/// The diagnostic of `verdict` at every place of `target`.
fn diagnostics_of(target: &Target, verdict: &Verdict, strict: bool) -> Vec<Diagnostic> {
    let url = &target.url;
    let one = match verdict {
        Verdict::Dead { why, via } => {
            let severity = if strict {
                Severity::Error
            } else {
                Severity::Warning
            };
            let mut d = Diagnostic::warning(format!("dead link `{url}`: {why}"))
                .label("dead link")
                .help("fix the URL, link the page's new address, or cite an archived copy (`archive_url`)");
            d.severity = severity;
            match via {
                Some(to) => d.note(format!("it redirects to `{to}`")),
                None => d,
            }
        }
        Verdict::Redirected {
            to,
            permanent: true,
        } => Diagnostic::warning(format!("`{url}` redirects permanently to `{to}`"))
            .label("moved")
            .help(format!("update the link to `{to}`")),
        _ => return Vec::new(),
    };
    target
        .places
        .iter()
        .map(|place| {
            let d = one.clone().in_file(&place.file);
            match &place.span {
                Some(span) => d.at(span.clone()),
                None => d,
            }
        })
        .collect()
}

/// The `Checking links: n/m` line, rewritten in place on a terminal.
struct Progress {
    shown: bool,
    total: usize,
    done: AtomicUsize,
}

impl Progress {
    fn new(shown: bool, total: usize) -> Progress {
        let progress = Progress {
            shown: shown && total > 0,
            total,
            done: AtomicUsize::new(0),
        };
        progress.show(0);
        progress
    }

    fn one_done(&self) {
        let done = self.done.fetch_add(1, Ordering::SeqCst) + 1;
        self.show(done);
    }

    fn show(&self, done: usize) {
        if self.shown {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2KChecking links: {done}/{}", self.total);
            let _ = err.flush();
        }
    }

    fn finish(&self) {
        if self.shown {
            eprint!("\r\x1b[2K");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(status: Option<u16>, final_url: Option<&str>, permanent: bool) -> Entry {
        Entry {
            status,
            checked: 0,
            final_url: final_url.map(str::to_string),
            permanent,
            error: None,
        }
    }

    #[test]
    fn results_mean_what_the_docs_say() {
        assert_eq!(verdict(&entry(Some(200), None, false)), Verdict::Live);
        assert_eq!(verdict(&entry(Some(429), None, false)), Verdict::Unchecked);
        let dead = verdict(&entry(Some(404), None, false));
        assert_eq!(
            dead,
            Verdict::Dead {
                why: "404 Not Found".into(),
                via: None
            }
        );
        let moved = verdict(&entry(Some(200), Some("https://b.org/"), true));
        assert_eq!(
            moved,
            Verdict::Redirected {
                to: "https://b.org/".into(),
                permanent: true
            }
        );
        let mut refused = entry(None, None, false);
        refused.error = Some("the connection was refused".into());
        assert!(matches!(verdict(&refused), Verdict::Dead { .. }));
    }

    #[test]
    fn a_fresh_cache_answers_without_a_request() {
        let target = Target {
            url: "http://127.0.0.1:9/nothing-listens-here".into(),
            places: vec![collect::Place {
                file: "content/x.md".into(),
                span: Some(3..10),
            }],
        };
        let mut cache = Cache::default();
        cache.insert(&target.url, entry(Some(404), None, false));
        let options = Options::default();
        let (diagnostics, summary) = check(std::slice::from_ref(&target), &mut cache, &options, 5);
        assert_eq!(summary.from_cache, 1);
        assert_eq!(summary.dead, 1);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].span, Some(3..10));
        // A request would have found the port closed; the cache said 404.
        assert!(diagnostics[0].message.ends_with("404 Not Found"));
        assert_eq!(diagnostics[0].severity, Severity::Warning);
        let strict = Options {
            strict: true,
            ..Options::default()
        };
        let (diagnostics, _) = check(&[target], &mut cache, &strict, 5);
        assert_eq!(diagnostics[0].severity, Severity::Error);
    }
}
