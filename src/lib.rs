//! standpoint: a static site generator for explainer sites.
//!
//! The pipeline is load ([`load`]) -> resolve ([`resolve`]) -> render ([`render`])
//! -> write ([`write()`]); [`pipeline`] runs it, [`diagnostics`] reports what went
//! wrong and where, and [`incremental`] keeps what `serve`'s rebuilds reuse.
//!
//! The supported surface is the functions and types at this crate's root: [`build`],
//! [`check`], [`write()`], [`serve()`], [`init`], [`new_file`] and [`Diagnostic`]. The
//! stage modules are public for the fuzz targets, benchmarks and examples only.

// Diagnostics are large values on the cold path of every fallible step; boxing them
// would only add noise to the code that builds them.
#![allow(clippy::result_large_err)]

pub mod diagnostics;
mod escape;
#[doc(hidden)]
pub mod external;
#[doc(hidden)]
pub mod incremental;

mod images;
#[doc(hidden)]
pub mod load;
#[doc(hidden)]
pub mod memory;
#[doc(hidden)]
pub mod pipeline;
#[doc(hidden)]
pub mod render;
#[doc(hidden)]
pub mod resolve;
mod scaffold;
#[doc(hidden)]
pub mod serve;
#[doc(hidden)]
pub mod write;

use std::path::Path;

pub use diagnostics::{Diagnostic, Severity, Sources};
pub use external::{Options as ExternalOptions, Summary as LinkSummary};
pub use pipeline::{check_output_folder, BuildOptions, Outcome, Stats};
pub use scaffold::{init, new_file, NewKind};
pub use serve::{run as serve, ServeError, ServeOptions};
pub use write::SiteFiles;

/// Whether this build of the crate can minify (the `minify` cargo feature).
pub const MINIFY_AVAILABLE: bool = write::minify::AVAILABLE;

/// Builds the site at `options.root` in memory: the files of the site, or every
/// error found. Unless `options.serve` or site.yaml's `search: false`, the files
/// include the full-text search index (`pagefind/`).
pub fn build(options: &BuildOptions) -> Outcome {
    let tree = load::tree::read(&options.root);
    let built = pipeline::build(&tree, options, pipeline::Reuse::none());
    let mut outcome = built.outcome;
    let search = built.parts.as_ref().is_some_and(|p| p.site.config.search);
    render::drop_in_background(built.parts);
    if let (true, false, Some(files)) = (search, options.serve, outcome.files.as_mut()) {
        let started = std::time::Instant::now();
        match render::search::index(files) {
            Ok(_) => {
                outcome.stats.files = files.files.len();
                outcome.stats.millis += started.elapsed().as_millis();
            }
            Err(e) => {
                outcome.diagnostics.push(Diagnostic::error(e));
                outcome.files = None;
            }
        }
    }
    outcome
}

/// Runs every check of [`build`]; the files it made are left to the caller to drop.
pub fn check(options: &BuildOptions) -> Outcome {
    pipeline::run_checks(options)
}

/// Writes a built site to `output` atomically: a failed write leaves the old output.
pub fn write(files: &SiteFiles, output: &Path) -> std::io::Result<()> {
    write::write(files, output)
}

/// Minifies every HTML page of a built site (with the `minify` feature; otherwise
/// does nothing).
pub fn minify(files: &mut SiteFiles) {
    write::minify::minify_pages(files)
}

/// [`check`], then, when the site has no errors, `check --external`: every external
/// URL requested (or taken from `.standpoint/links.json`, which this reads and
/// rewrites: the only files it touches), its findings added to the outcome's
/// diagnostics. An error among them (a dead link with `strict`) fails the outcome.
pub fn check_external(
    options: &BuildOptions,
    external: &ExternalOptions,
) -> (Outcome, Option<LinkSummary>) {
    let tree = load::tree::read(&options.root);
    let built = pipeline::check(&tree, options);
    let mut outcome = built.outcome;
    let Some(parts) = built.parts else {
        return (outcome, None);
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let summary = match external::cache::read(&options.root) {
        Ok((mut cache, warning)) => {
            outcome.diagnostics.extend(warning);
            let targets = external::collect::targets(&parts.site, &outcome.sources);
            let (found, summary) = external::check(&targets, &mut cache, external, now);
            outcome.diagnostics.extend(found);
            cache.prune(now);
            if let Err(d) = external::cache::write(&options.root, &cache) {
                outcome.diagnostics.push(d);
            }
            Some(summary)
        }
        Err(d) => {
            outcome.diagnostics.push(d);
            None
        }
    };
    diagnostics::sort(&mut outcome.diagnostics);
    if outcome.errors() > 0 {
        outcome.files = None;
    }
    (outcome, summary)
}
