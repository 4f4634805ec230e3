//! The pipeline, load -> resolve -> render, from a site's sources to a site in
//! memory: [`build`] runs the stages over a [`SourceTree`], each taking the value
//! the one before returned; [`run`] reads the tree first. `build` writes the
//! result, `check` discards it, `serve` serves it.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::diagnostics::{self, Diagnostic, Sources};
use crate::images::{self, ImageReuse};
use crate::load::config::{self, Config, LoadedConfig};
use crate::load::content::{self, Loaded, ParseReuse};
use crate::load::theme::{self, Theme};
use crate::load::tree::{self, SourceTree, SOURCE_FOLDERS};
use crate::render::SiteFiles;
use crate::render::{self, PageReuse, RenderedSite};
use crate::resolve::{self, BodyReuse, Resolved, Site};
use crate::write::real_path;

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
    /// Made by patching the last build: only Markdown bodies, or only existing
    /// static files, had changed.
    pub patched: bool,
    /// Share cards drawn in this build.
    pub cards_rendered: usize,
    /// Share cards taken from `.standpoint/images/`.
    pub cards_cached: usize,
    /// Pictures decoded (and resized) in this build.
    pub pictures_decoded: usize,
    /// Pictures whose every file came from `.standpoint/images/`.
    pub pictures_cached: usize,
}

/// What the images of a build did.
#[derive(Default)]
struct ImageStats {
    pictures: images::PictureStats,
    cards: images::CardStats,
}

impl Stats {
    fn add_images(&mut self, made: ImageStats) {
        self.cards_rendered += made.cards.rendered;
        self.cards_cached += made.cards.cached;
        self.pictures_decoded += made.pictures.decoded;
        self.pictures_cached += made.pictures.cached;
    }
}

impl Outcome {
    pub fn errors(&self) -> usize {
        diagnostics::count(&self.diagnostics).0
    }

    pub fn warnings(&self) -> usize {
        diagnostics::count(&self.diagnostics).1
    }
}

/// What the stages may take from earlier builds: one reuse per stage, each a value
/// or a `&mut` to one. A fresh build passes [`Reuse::none`].
pub struct Reuse<P, B, R, I> {
    pub parse: P,
    pub bodies: B,
    pub pages: R,
    pub images: I,
}

impl Reuse<(), (), (), ()> {
    /// Every stage does all of its work.
    pub fn none() -> Reuse<(), (), (), ()> {
        Reuse {
            parse: (),
            bodies: (),
            pages: (),
            images: (),
        }
    }
}

/// A build's outcome, and, when it succeeded, the values it was made of.
pub struct Built {
    pub outcome: Outcome,
    pub parts: Option<BuiltParts>,
}

/// The resolved site and what rendered it, for `serve` to patch later edits in.
pub struct BuiltParts {
    pub site: Site,
    pub theme: Theme,
    pub rendered: RenderedSite,
}

/// Reads the site at `options.root` and builds it from scratch.
pub fn run(options: &BuildOptions) -> Outcome {
    let tree = tree::read(&options.root);
    build(&tree, options, Reuse::none()).outcome
}

/// Reads the site at `options.root` and runs every check of [`build`], making no
/// image and writing nothing (`standpoint check`).
pub fn run_checks(options: &BuildOptions) -> Outcome {
    let tree = tree::read(&options.root);
    check(&tree, options).outcome
}

/// Runs the checks of [`build`] over `tree`, with no reuse and no image work
/// (images are checked by their headers in resolve): the files it returns lack
/// the share cards and the resized pictures.
pub fn check(tree: &SourceTree, options: &BuildOptions) -> Built {
    stages(tree, options, Reuse::none(), false)
}

/// Runs load -> resolve -> render over `tree`, then makes the pictures and draws
/// the share cards (from `.standpoint/images/` when they are there).
pub fn build(
    tree: &SourceTree,
    options: &BuildOptions,
    reuse: Reuse<impl ParseReuse, impl BodyReuse, impl PageReuse, impl ImageReuse>,
) -> Built {
    stages(tree, options, reuse, true)
}

fn stages(
    tree: &SourceTree,
    options: &BuildOptions,
    reuse: Reuse<impl ParseReuse, impl BodyReuse, impl PageReuse, impl ImageReuse>,
    images: bool,
) -> Built {
    let Reuse {
        mut parse,
        mut bodies,
        mut pages,
        images: mut made,
    } = reuse;
    let started = Instant::now();
    let mut run = Run::default();
    let Some(loaded) = load(tree, options, &mut parse, &mut run) else {
        return run.finish(None, started);
    };
    let Stage {
        config,
        theme,
        content,
    } = loaded;
    // After errors above, still look for reference errors (references to files that
    // failed to load are not reported), but not for warnings, which may only echo
    // those errors.
    if !content.translations.is_empty() {
        run.diags
            .extend(resolve::translate::check(&content, &config));
    }
    // Each other language resolves the same content with its own words.
    let multilingual = (!config.languages.is_empty()).then(|| content.clone());
    let failed = run.failed();
    let Resolved { site, diagnostics } = resolve::resolve(config, content, &theme, &mut bodies);
    if failed {
        run.diags
            .extend(diagnostics.into_iter().filter(Diagnostic::is_error));
        return run.finish(None, started);
    }
    run.diags.extend(diagnostics);
    let Some(mut site) = site else {
        return run.finish(None, started);
    };
    let others = match &multilingual {
        Some(content) => {
            let translated = resolve::languages::other_languages(&mut site, content, &theme);
            // A warning about data (no stances, say) comes again from each translation.
            let known: std::collections::HashSet<&str> =
                run.diags.iter().map(|d| d.message.as_str()).collect();
            let new: Vec<Diagnostic> = translated
                .diagnostics
                .into_iter()
                .filter(|d| d.is_error() || !known.contains(d.message.as_str()))
                .collect();
            run.diags.extend(new);
            translated.sites
        }
        None => Vec::new(),
    };
    if run.failed() {
        return run.finish(None, started);
    }
    run.stats.actors = site.actors.len();
    let rendered = render::render(&site, &theme, options.serve, &run.sources, &mut pages)
        .and_then(|rendered| {
            render_languages(rendered, &site, &others, &theme, options, &run.sources)
        })
        .and_then(|mut rendered| {
            if images {
                let files = &mut rendered.files.files;
                let stats = made_images(&site, &others, files, &options.root, &mut made)?;
                run.stats.add_images(stats);
            }
            Ok(rendered)
        });
    match rendered {
        Ok(rendered) => {
            let parts = BuiltParts {
                site,
                theme,
                rendered,
            };
            run.finish(Some(parts), started)
        }
        Err(ds) => {
            run.diags.extend(ds);
            run.finish(None, started)
        }
    }
}

/// Adds the pages of the other languages (`others`) to the default language's,
/// and one sitemap of every language.
fn render_languages(
    mut rendered: RenderedSite,
    site: &Site,
    others: &[Site],
    theme: &Theme,
    options: &BuildOptions,
    sources: &Sources,
) -> Result<RenderedSite, Vec<Diagnostic>> {
    if others.is_empty() {
        return Ok(rendered);
    }
    for other in others {
        let files = render::render(other, theme, options.serve, sources, &mut ())?.files;
        rendered.files.files.extend(files.files);
    }
    let all: Vec<&Site> = std::iter::once(site).chain(others).collect();
    rendered.files.insert(
        "sitemap.xml",
        render::feeds::sitemap_languages(&all).into_bytes(),
    );
    Ok(rendered)
}

/// Adds the images of every language's pages to `files`: the pictures, once for
/// all languages, then each language's share cards (which show the portraits).
fn made_images(
    site: &Site,
    others: &[Site],
    files: &mut images::Files,
    root: &Path,
    reuse: &mut impl ImageReuse,
) -> Result<ImageStats, Vec<Diagnostic>> {
    let store = images::Store::new(root, &*reuse);
    let mut pictures = (*site.pictures).clone();
    for other in others {
        pictures.merge(&other.pictures);
    }
    let mut stats = ImageStats {
        pictures: images::pictures(&pictures, files, &store)?,
        ..ImageStats::default()
    };
    for s in std::iter::once(site).chain(others) {
        let cards = images::share_cards(s, files, &store);
        stats.cards.cached += cards.cached;
        stats.cards.rendered += cards.rendered;
    }
    let used = store.used();
    reuse.keep(used);
    Ok(stats)
}

/// The loaded inputs of the later stages.
struct Stage {
    config: Config,
    theme: Theme,
    content: content::Content,
}

/// What a build collects on its way.
#[derive(Default)]
struct Run {
    diags: Vec<Diagnostic>,
    sources: Sources,
    stats: Stats,
}

impl Run {
    fn failed(&self) -> bool {
        self.diags.iter().any(Diagnostic::is_error)
    }

    fn finish(mut self, parts: Option<BuiltParts>, started: Instant) -> Built {
        diagnostics::sort(&mut self.diags);
        self.diags.dedup();
        let mut stats = self.stats;
        stats.millis = started.elapsed().as_millis();
        let parts = parts.filter(|_| !self.failed());
        if let Some(p) = &parts {
            stats.html_files = p.rendered.files.html_pages();
            stats.files = p.rendered.files.files.len();
        }
        Built {
            outcome: Outcome {
                files: parts.as_ref().map(|p| p.rendered.files.clone()),
                diagnostics: self.diags,
                sources: self.sources,
                stats,
            },
            parts,
        }
    }
}

/// The load stage: site.yaml, the theme, the content. `None` when there is no site
/// to check further.
fn load(
    tree: &SourceTree,
    options: &BuildOptions,
    parse: &mut impl ParseReuse,
    run: &mut Run,
) -> Option<Stage> {
    if !tree.root_exists {
        run.diags.push(
            Diagnostic::error(format!(
                "the site folder `{}` does not exist",
                tree.root.display()
            ))
            .help("pass the folder that holds `site.yaml` with `--root DIR`"),
        );
        return None;
    }
    let LoadedConfig {
        config,
        text,
        diagnostics,
    } = config::load(tree);
    run.diags.extend(diagnostics);
    // No site.yaml at all: most likely not a site folder, so nothing more to check.
    run.sources.insert(config::FILE, text?);
    let config = match (config, &options.base_url) {
        (Some(config), Some(url)) => match config.with_base_url(url) {
            Ok(c) => Some(c),
            Err(e) => {
                let d = Diagnostic::error(format!("--base-url: {}", e.message)).help(e.help);
                run.diags.push(d);
                return None;
            }
        },
        (config, _) => config,
    };
    let theme = match config.as_ref().map(|c| theme::load(tree, &c.theme)) {
        Some(Ok(t)) => t,
        Some(Err(ds)) => {
            run.diags.extend(ds);
            Theme::default()
        }
        None => Theme::default(),
    };
    let theme = match &config {
        Some(config) => {
            let (theme, diagnostics) = theme.with_words(config);
            run.diags.extend(diagnostics);
            theme
        }
        None => theme,
    };
    render::add_sources(&theme, &mut run.sources);
    let Loaded {
        content,
        texts,
        diagnostics,
    } = content::load(tree, options.drafts, parse);
    for (path, text) in texts {
        run.sources.insert(path, text);
    }
    run.diags.extend(diagnostics);
    run.stats = Stats {
        actors: content.actors.len(),
        questions: content.questions.len(),
        events: content.events.len(),
        pages: content.pages.len(),
        ..Stats::default()
    };
    Some(Stage {
        config: config.unwrap_or_else(Config::fallback),
        theme,
        content,
    })
}

/// Refuses output folders that would overwrite the site's own sources. Both paths
/// are compared where they really are, symbolic links resolved: a link into
/// `content/` is inside `content/`.
pub fn check_output_folder(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let root = real_path(root);
    let out = real_path(output);
    let shown = output.display();
    if root.starts_with(&out) {
        return Err(Diagnostic::error(format!(
            "the output folder `{shown}` contains the site itself"
        ))
        .help("choose a folder inside the site, such as `public`, or one outside it"));
    }
    for source in SOURCE_FOLDERS {
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
