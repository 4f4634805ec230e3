//! The command line. Everything else lives in the library.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};

use standpoint::{
    diagnostics, BuildOptions, Diagnostic, ExternalOptions, NewKind, Outcome, ServeError,
    ServeOptions, Severity, Sources,
};

// Building a site allocates and frees many small values across threads, where
// mimalloc is markedly faster than the system allocator (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "standpoint",
    version,
    about = "Build explainer sites: who stands where, and since when."
)]
struct Cli {
    /// The site folder (the one holding site.yaml).
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check the site and write it to the output folder.
    Build {
        /// Where to write the site (default: public/ in the site folder).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Publish under this URL instead of site.yaml's base_url.
        #[arg(long)]
        base_url: Option<String>,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Minify the HTML pages (needs the `minify` cargo feature).
        #[arg(long)]
        minify: bool,
    },
    /// Create a new site that builds at once.
    Init {
        /// The folder to create it in (must be empty or absent).
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Write the skeleton of a new actor, question, event or page.
    New {
        #[arg(value_enum)]
        kind: NewKindArg,
        /// Its name or title; the file name (its id) is made from it.
        title: String,
    },
    /// Serve the site from memory, rebuilding and reloading the browser on every change.
    Serve {
        /// The address to listen on; loopback unless told otherwise.
        #[arg(long, default_value = "127.0.0.1")]
        interface: String,
        /// The port to listen on; 0 picks a free one.
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Open the site in the system's browser.
        #[arg(long)]
        open: bool,
    },
    /// Check the site without writing anything.
    Check {
        /// Fail on warnings too.
        #[arg(long)]
        strict: bool,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Also request every external URL (sources, links, Markdown links).
        #[arg(long)]
        external: bool,
        /// With --external: ignore the cached results in .standpoint/links.json.
        #[arg(long, requires = "external")]
        refresh: bool,
        /// With --external: seconds to wait for each request's answer.
        #[arg(long, requires = "external", default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..))]
        timeout: u64,
        /// With --external: requests at once (at most 2 to one host).
        #[arg(long, requires = "external", default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=64))]
        concurrency: u64,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum NewKindArg {
    Actor,
    Question,
    Event,
    Page,
}

impl From<NewKindArg> for NewKind {
    fn from(k: NewKindArg) -> NewKind {
        match k {
            NewKindArg::Actor => NewKind::Actor,
            NewKindArg::Question => NewKind::Question,
            NewKindArg::Event => NewKind::Event,
            NewKindArg::Page => NewKind::Page,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = diagnostics::stderr_color();
    match cli.command {
        Command::Build {
            output,
            base_url,
            drafts,
            minify,
        } => build(&cli.root, output, base_url, drafts, minify, color),
        Command::Init { dir } => {
            // `init DIR` names the new site's folder; `--root` is for commands on a site.
            match standpoint::init(&dir) {
                Ok(files) => {
                    for f in &files {
                        eprintln!("  created {}", dir.join(f).display());
                    }
                    println!(
                        "Created a new site in {}. Build it with `standpoint --root {} build`.",
                        dir.display(),
                        dir.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(d) => fail_plain(&d, color),
            }
        }
        Command::New { kind, title } => {
            match standpoint::new_file(&cli.root, kind.into(), &title) {
                Ok(path) => {
                    println!("Created {}", path.display());
                    ExitCode::SUCCESS
                }
                Err(d) => fail_plain(&d, color),
            }
        }
        Command::Serve {
            interface,
            port,
            drafts,
            open,
        } => {
            let options = ServeOptions {
                root: cli.root.clone(),
                interface,
                port,
                drafts,
                open,
            };
            standpoint::memory::keep_freed_memory();
            match standpoint::serve(&options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(ServeError::Usage(d)) => {
                    fail_plain(&d, color);
                    ExitCode::from(2)
                }
                Err(ServeError::Failed(d)) => fail_plain(&d, color),
            }
        }
        Command::Check {
            strict,
            drafts,
            external,
            refresh,
            timeout,
            concurrency,
        } => {
            let external = external.then(|| ExternalOptions {
                timeout: Duration::from_secs(timeout),
                concurrency: concurrency as usize,
                refresh,
                strict,
                progress: std::io::stderr().is_terminal(),
                ..ExternalOptions::default()
            });
            check(&cli.root, strict, drafts, external, color)
        }
    }
}

/// `build`: checks and renders the site, then writes it to `output` atomically.
fn build(
    root: &Path,
    output: Option<PathBuf>,
    base_url: Option<String>,
    drafts: bool,
    minify: bool,
    color: bool,
) -> ExitCode {
    if minify && !standpoint::MINIFY_AVAILABLE {
        eprintln!(
            "error: this standpoint was built without minification\n  = help: install it with `cargo install --path . --features minify`, or build without `--minify`"
        );
        return ExitCode::from(2);
    }
    let output = output.unwrap_or_else(|| root.join("public"));
    if let Err(d) = standpoint::check_output_folder(root, &output) {
        return fail(&[d], &Sources::default(), color);
    }
    let options = BuildOptions {
        root: root.to_path_buf(),
        base_url,
        drafts,
        serve: false,
    };
    let mut outcome = standpoint::build(&options);
    let Some(mut files) = outcome.files.take() else {
        return report_failure(&outcome, color);
    };
    if minify {
        standpoint::minify(&mut files);
    }
    if let Err(e) = standpoint::write(&files, &output) {
        let d = Diagnostic::error(format!("could not write `{}`: {e}", output.display()));
        return fail(&[d], &outcome.sources, color);
    }
    eprint!(
        "{}",
        diagnostics::render(&outcome.diagnostics, &outcome.sources, color)
    );
    let s = outcome.stats;
    println!(
        "Built {} pages ({} actors, {} questions, {} events) and {} other files into {} in {} ms{}",
        s.html_files,
        s.actors,
        s.questions,
        s.events,
        s.files - s.html_files,
        output.display(),
        s.millis,
        diagnostics::warnings_suffix(&outcome.diagnostics)
    );
    ExitCode::SUCCESS
}

/// `check`: the build's checks without writing; with `external`, the external links too.
fn check(
    root: &Path,
    strict: bool,
    drafts: bool,
    external: Option<ExternalOptions>,
    color: bool,
) -> ExitCode {
    let options = BuildOptions {
        root: root.to_path_buf(),
        base_url: None,
        drafts,
        serve: false,
    };
    let (outcome, links) = match external {
        Some(external) => standpoint::check_external(&options, &external),
        None => (standpoint::check(&options), None),
    };
    if let Some(links) = links {
        println!("{links}");
    }
    if outcome.files.is_none() || (strict && outcome.warnings() > 0) {
        return report_failure(&outcome, color);
    }
    eprint!(
        "{}",
        diagnostics::render(&outcome.diagnostics, &outcome.sources, color)
    );
    let s = outcome.stats;
    println!(
        "Checked {} actors, {} questions, {} events and {} pages: no errors{}",
        s.actors,
        s.questions,
        s.events,
        s.pages,
        diagnostics::warnings_suffix(&outcome.diagnostics)
    );
    ExitCode::SUCCESS
}

fn report_failure(outcome: &Outcome, color: bool) -> ExitCode {
    fail(&outcome.diagnostics, &outcome.sources, color)
}

/// Prints one diagnostic of a command that is not a build; exit code 1.
fn fail_plain(d: &Diagnostic, color: bool) -> ExitCode {
    eprint!(
        "{}",
        diagnostics::render(std::slice::from_ref(d), &Sources::default(), color)
    );
    ExitCode::from(1)
}

/// Prints every diagnostic and the closing count; exit code 1.
fn fail(diags: &[Diagnostic], sources: &Sources, color: bool) -> ExitCode {
    eprint!("{}", diagnostics::render(diags, sources, color));
    let (errors, warnings) = diagnostics::count(diags);
    let label = diagnostics::label(Severity::Error, color);
    if errors == 0 {
        eprintln!(
            "{label}: failed on warnings (--strict): {}",
            diagnostics::tally(0, warnings)
        );
    } else {
        eprintln!(
            "{label}: could not build: {}",
            diagnostics::tally(errors, warnings)
        );
    }
    ExitCode::from(1)
}
