//! The pipeline, load -> resolve -> render, from a site folder to a site in memory.
//! `build` writes the result, `check` discards it, `serve` serves it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use crate::content::ParseCache;
use crate::diagnostics::{self, Diagnostic, Sources};
use crate::graph::Site;
use crate::memo::{MarkdownMemo, RenderMemo, SharedInputs};
use crate::output::SiteFiles;
use crate::patch::{self, LastBuild};
use crate::values::SiteValues;
use crate::{config, content, feeds, graph, render, theme};

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides `base_url` from site.yaml (preview deploys, local serving).
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Rendering for `standpoint serve`.
    pub serve: bool,
}

/// What one run of the pipeline produced.
#[derive(Debug)]
pub struct Outcome {
    /// The rendered site, when there was no error.
    pub files: Option<SiteFiles>,
    /// Errors and warnings, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// The text of every file diagnostics may point into.
    pub sources: Sources,
    pub stats: Stats,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Stats {
    pub actors: usize,
    pub questions: usize,
    pub events: usize,
    pub pages: usize,
    pub html_files: usize,
    pub files: usize,
    pub millis: u128,
    /// Made by patching the last build: only Markdown bodies had changed.
    pub patched: bool,
}

impl Outcome {
    pub fn errors(&self) -> usize {
        diagnostics::count(&self.diagnostics).0
    }

    pub fn warnings(&self) -> usize {
        diagnostics::count(&self.diagnostics).1
    }
}

/// Caches kept between runs of `serve`. The default keeps parsed files only;
/// [`Caches::for_serve`] also keeps Markdown output, rendered pages and the last
/// build, which a single build (`build`, `check`) has no use for.
#[derive(Debug, Default)]
pub struct Caches {
    pub parsed: ParseCache,
    pub markdown: MarkdownMemo,
    pub rendered: RenderMemo,
    /// The last build, when it succeeded, for [`patch::bodies`].
    pub last: Option<LastBuild>,
}

impl Caches {
    pub fn for_serve() -> Caches {
        Caches {
            parsed: ParseCache::for_serve(),
            markdown: MarkdownMemo::enabled(),
            rendered: RenderMemo::enabled(),
            last: None,
        }
    }
}

/// The rebuild `serve` runs after its watcher saw changes. `content_changed` holds
/// the changed paths below `content/` when the watcher saw every change there
/// (`None`: read everything again); `content_only` says nothing else changed.
/// Body edits patch the last build (see [`patch`]); the rest runs the pipeline.
pub fn rebuild(
    options: &BuildOptions,
    caches: &mut Caches,
    content_changed: Option<BTreeSet<String>>,
    content_only: bool,
) -> Outcome {
    if let Some(changed) = content_changed {
        if content_only {
            if let Some(outcome) = patch::bodies(&options.root, caches, &changed) {
                return outcome;
            }
        }
        caches.parsed.only_changed(changed);
    }
    run(options, caches)
}

/// Runs load -> resolve -> render over the site at `options.root`.
pub fn run(options: &BuildOptions, caches: &mut Caches) -> Outcome {
    let started = Instant::now();
    // Whatever happens, the last build is not this build's.
    caches.last = None;
    let mut sources = Sources::default();
    let mut diags = Vec::new();
    let finish = |files: Option<SiteFiles>,
                  mut diags: Vec<Diagnostic>,
                  sources: Sources,
                  mut stats: Stats| {
        diagnostics::sort(&mut diags);
        diags.dedup();
        stats.millis = started.elapsed().as_millis();
        if let Some(f) = &files {
            stats.html_files = f.html_pages();
            stats.files = f.files.len();
        }
        Outcome {
            files: if diags.iter().any(Diagnostic::is_error) {
                None
            } else {
                files
            },
            diagnostics: diags,
            sources,
            stats,
        }
    };

    // Load.
    let root = &options.root;
    if !root.is_dir() {
        diags.push(
            Diagnostic::error(format!(
                "the site folder `{}` does not exist",
                root.display()
            ))
            .help("pass the folder that holds `site.yaml` with `--root DIR`"),
        );
        return finish(None, diags, sources, Stats::default());
    }
    let config = match config::load(root) {
        Ok((c, text)) => {
            sources.insert(config::FILE, text);
            Some(c)
        }
        // No site.yaml at all: most likely not a site folder, so nothing more to check.
        Err((ds, None)) => return finish(None, ds, sources, Stats::default()),
        // A broken site.yaml: the content's own errors can still be found.
        Err((ds, Some(text))) => {
            sources.insert(config::FILE, text);
            diags.extend(ds);
            None
        }
    };
    let config = match (config, &options.base_url) {
        (Some(config), Some(url)) => match config.with_base_url(url) {
            Ok(c) => Some(c),
            Err(msg) => {
                diags.push(Diagnostic::error(format!("--base-url: {msg}")));
                return finish(None, diags, sources, Stats::default());
            }
        },
        (config, _) => config,
    };
    let theme = match config.as_ref().map(|c| theme::load(root, &c.theme)) {
        Some(Ok(t)) => t,
        Some(Err(ds)) => {
            diags.extend(ds);
            theme::Theme::default()
        }
        None => theme::Theme::default(),
    };
    render::add_sources(&theme, &mut sources);
    let (content, texts, load_diags) = content::load(root, options.drafts, &mut caches.parsed);
    for (path, text) in texts {
        sources.insert(path, text);
    }
    diags.extend(load_diags);
    let mut stats = Stats {
        actors: content.actors.len(),
        questions: content.questions.len(),
        events: content.events.len(),
        pages: content.pages.len(),
        ..Stats::default()
    };

    // Resolve. After errors above, still look for reference errors (references to
    // files that failed to load are not reported), but not for warnings, which may
    // only echo those errors.
    let failed = diags.iter().any(Diagnostic::is_error);
    let (site, resolve_diags) = graph::resolve_with(
        config.unwrap_or_else(config::Config::fallback),
        content,
        &mut caches.markdown,
    );
    if failed {
        diags.extend(resolve_diags.into_iter().filter(Diagnostic::is_error));
        return finish(None, diags, sources, stats);
    }
    diags.extend(resolve_diags);
    let Some(site) = site else {
        return finish(None, diags, sources, stats);
    };
    stats.actors = site.actors.len();

    // Render.
    match render_parts(&site, &theme, options.serve, &sources, &mut caches.rendered) {
        Ok((files, tera, values)) => {
            let keep = caches
                .rendered
                .is_enabled()
                .then(|| (files.clone(), sources.clone()));
            let outcome = finish(Some(files), diags, sources, stats);
            if let (Some((files, sources)), true) = (keep, outcome.files.is_some()) {
                caches.last = Some(LastBuild {
                    site,
                    theme,
                    values,
                    tera,
                    files,
                    sources,
                    diagnostics: outcome.diagnostics.clone(),
                    stats: outcome.stats,
                });
            }
            outcome
        }
        Err(ds) => {
            diags.extend(ds);
            finish(None, diags, sources, stats)
        }
    }
}

/// Renders every page and generated file of a resolved site.
pub fn render_site(
    site: &Site,
    theme: &theme::Theme,
    serve: bool,
    sources: &Sources,
) -> Result<SiteFiles, Vec<Diagnostic>> {
    render_site_with(site, theme, serve, sources, &mut RenderMemo::default())
}

/// [`render_site`], reusing the pages `memo` holds that render the same (`serve`).
pub fn render_site_with(
    site: &Site,
    theme: &theme::Theme,
    serve: bool,
    sources: &Sources,
    memo: &mut RenderMemo,
) -> Result<SiteFiles, Vec<Diagnostic>> {
    render_parts(site, theme, serve, sources, memo).map(|(files, _, _)| files)
}

/// [`render_site_with`], also returning the engine and the shared values the pages
/// were rendered with.
fn render_parts(
    site: &Site,
    theme: &theme::Theme,
    serve: bool,
    sources: &Sources,
    memo: &mut RenderMemo,
) -> Result<(SiteFiles, tera::Tera, Arc<SiteValues>), Vec<Diagnostic>> {
    let fresh = Arc::new(SiteValues::sharing(site, memo.previous_values().as_deref()));
    let assets = Arc::new(render::asset_urls(theme));
    let values = if !memo.is_enabled() {
        fresh
    } else {
        memo.begin(SharedInputs {
            templates: theme
                .templates
                .iter()
                .map(|t| (t.name.clone(), t.from_site, t.text.clone()))
                .collect(),
            config: serde_json::to_value(&site.config).unwrap_or_default(),
            nav: render::nav(site),
            values: fresh,
            assets: assets.clone(),
            serve,
        })
    };
    let tera = render::engine(theme, site, values.clone(), assets, serve)?;
    // The feeds need the site only: they are written while the pages render.
    let (pages, generated) = rayon::join(
        || render::render_pages_with(&tera, site, &values, theme, sources, memo),
        || generated_files(site),
    );
    let pages = pages?;
    let mut files = SiteFiles::default();
    for s in &theme.statics {
        files.insert(s.output.clone(), s.bytes.clone());
    }
    let mut diags = Vec::new();
    for asset in &site.assets {
        match std::fs::read(&asset.file) {
            Ok(bytes) => files.insert(asset.output.clone(), bytes),
            Err(e) => diags.push(Diagnostic::error(format!(
                "cannot read `content/{}`: {e}",
                asset.output
            ))),
        }
    }
    for (path, html) in pages {
        files.insert(path, Arc::<[u8]>::from(html));
    }
    for (path, text) in generated {
        files.insert(path, text.into_bytes());
    }
    // GitHub Pages runs Jekyll unless told not to, and Jekyll drops `_`-prefixed paths.
    files.insert(".nojekyll", Vec::new());
    if diags.is_empty() {
        Ok((files, tera, values))
    } else {
        Err(diags)
    }
}

/// Makes one file from the whole site.
type Generator = fn(&Site) -> String;

/// The files made from the whole site besides its pages, each in parallel.
fn generated_files(site: &Site) -> Vec<(&'static str, String)> {
    let makers: [(&str, Generator); 5] = [
        ("sitemap.xml", feeds::sitemap),
        ("robots.txt", feeds::robots),
        ("atom.xml", feeds::atom),
        ("search-index.json", feeds::search_index),
        ("data.json", feeds::data_json),
    ];
    makers
        .into_par_iter()
        .map(|(path, make)| (path, make(site)))
        .collect()
}

/// Refuses output folders that would overwrite the site's own sources.
pub fn check_output_folder(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        normalize(&p)
    };
    let root = abs(root);
    let out = abs(output);
    let shown = output.display();
    if root.starts_with(&out) {
        return Err(Diagnostic::error(format!(
            "the output folder `{shown}` contains the site itself"
        ))
        .help("choose a folder inside the site, such as `public`, or one outside it"));
    }
    for source in ["content", "templates", "static", "themes"] {
        if out.starts_with(root.join(source)) {
            return Err(Diagnostic::error(format!(
                "the output folder `{shown}` is inside `{source}/`"
            ))
            .help("building there would overwrite your sources; use the default `public/`"));
        }
    }
    if out == root.join(config::FILE) {
        return Err(Diagnostic::error(format!(
            "the output folder `{shown}` is the site's `site.yaml`"
        )));
    }
    Ok(())
}

/// Resolves `.` and `..` without touching the disk (the folder may not exist yet).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}
