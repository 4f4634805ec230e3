//! Render: the resolved site through the theme's templates (under the site's
//! overrides) into every file of the output, in memory: one context per page,
//! rendered in parallel, plus the feeds and data files and the static files.
//! [`render`] takes a [`PageReuse`] to keep pages that render the same (`serve`).
//!
//! This file owns the stage's entry points ([`render`], [`render_some`]), what it
//! hands on ([`SiteFiles`], [`RenderedSite`]) and the reuse trait with what it is
//! told ([`PageReuse`], [`SharedInputs`], [`PageRecord`], [`PageReads`]). The
//! template engine and its functions are in `engine`, the pages' values in
//! `pages` (one page to render: `job`; who stands where on a question:
//! `spectrum`), template errors in `errors`.

mod citations;
pub mod embed_pages;
mod embeds;
mod engine;
pub mod entity_feeds;
mod errors;
pub mod exports;
pub mod feeds;
mod job;
pub mod links;
mod pages;
pub mod paginate;
mod pictures;
mod reader;
pub mod search;
mod spectrum;
pub mod values;

pub use engine::{asset_urls, engine, fnv1a, nav};
pub use errors::add_sources;
pub use links::output_path;
pub use pages::PageKey;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Tera, Value};

use crate::diagnostics::{Diagnostic, Sources};
use crate::load::i18n::Words;
use crate::load::theme::Theme;
use crate::render::embeds::EmbedHtml;
use crate::render::errors::{once_per_place, unknown_templates};
use crate::render::job::Job;
use crate::render::pages::{job, jobs, render_job};
use crate::render::values::SiteValues;
use crate::resolve::Site;

/// A whole site in memory: output path (relative, `/`-separated) -> bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteFiles {
    pub files: BTreeMap<String, Arc<[u8]>>,
}

impl SiteFiles {
    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Arc<[u8]>>) {
        self.files.insert(path.into(), bytes.into());
    }

    pub fn get(&self, path: &str) -> Option<&Arc<[u8]>> {
        self.files.get(path)
    }

    pub fn html_pages(&self) -> usize {
        self.files.keys().filter(|k| k.ends_with(".html")).count()
    }
}

/// What a page's templates read of the shared values through functions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum SharedReads {
    #[default]
    Nothing,
    /// The cards or URLs of these entities, by id.
    Cards(BTreeSet<String>),
    /// Any of it.
    Everything,
}

/// What rendering one page read besides its own values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageReads {
    pub shared: SharedReads,
    /// The static files `asset_url()` was called for, once per call, in order.
    pub assets: Vec<String>,
}

/// Every page rendered in one build, with what it was made from.
pub struct PageRecord {
    /// Site path: `/actors/joe-biden/`.
    pub url: String,
    pub template: String,
    pub page: Value,
    pub html: Arc<str>,
    /// What it read; `None` when its HTML was reused.
    pub reads: Option<PageReads>,
}

/// What every page of a build depends on besides its own values and reads. Names
/// every global of [`engine()`]: a new global must be added here.
pub struct SharedInputs {
    /// Name, whether the site's (not the theme's), text.
    pub templates: Vec<(String, bool, Arc<str>)>,
    /// The theme's words in the site's language (`t()`).
    pub words: Arc<Words>,
    pub config: serde_json::Value,
    pub nav: Value,
    pub values: Arc<SiteValues>,
    /// Static files' URLs (with their hash), by path.
    pub assets: Arc<BTreeMap<String, String>>,
    pub serve: bool,
}

/// Pages kept from earlier builds. [`render`] asks it for each page's HTML before it
/// renders the page, and hands it every page it made.
pub trait PageReuse: Send + Sync {
    /// The shared values of the last build, for this build's to share equal parts with.
    fn previous_values(&self) -> Option<Arc<SiteValues>>;
    /// Starts a build with these inputs; returns the shared values to render with
    /// (equal to `shared.values`, sharing what the last build had).
    fn begin(&mut self, shared: SharedInputs) -> Arc<SiteValues>;
    /// The HTML of the page at `url`, when it renders the same as when it was kept.
    fn reuse(&self, url: &str, template: &str, page: &Value) -> Option<Arc<str>>;
    /// Keeps this build's pages (every page of the site).
    fn keep(&mut self, pages: Vec<PageRecord>);
}

/// No reuse: every page is rendered.
impl PageReuse for () {
    fn previous_values(&self) -> Option<Arc<SiteValues>> {
        None
    }
    fn begin(&mut self, shared: SharedInputs) -> Arc<SiteValues> {
        shared.values
    }
    fn reuse(&self, _: &str, _: &str, _: &Value) -> Option<Arc<str>> {
        None
    }
    fn keep(&mut self, pages: Vec<PageRecord>) {
        drop_in_background(pages);
    }
}

/// A stage borrows the reuse a session keeps.
impl<T: PageReuse> PageReuse for &mut T {
    fn previous_values(&self) -> Option<Arc<SiteValues>> {
        (**self).previous_values()
    }
    fn begin(&mut self, shared: SharedInputs) -> Arc<SiteValues> {
        (**self).begin(shared)
    }
    fn reuse(&self, url: &str, template: &str, page: &Value) -> Option<Arc<str>> {
        (**self).reuse(url, template, page)
    }
    fn keep(&mut self, pages: Vec<PageRecord>) {
        (**self).keep(pages)
    }
}

/// Drops `value` on another thread: freeing thousands of page values takes
/// milliseconds that a build need not wait for.
pub fn drop_in_background<T: Send + 'static>(value: T) {
    // Should the thread not start, the closure and the value are dropped here.
    let _ = std::thread::Builder::new()
        .name("standpoint-drop".into())
        .spawn(move || drop(value));
}

/// A rendered site: its files, and the engine and shared values its pages were
/// rendered with (for `serve` to render single pages again).
pub struct RenderedSite {
    pub files: SiteFiles,
    pub tera: Tera,
    pub values: Arc<SiteValues>,
}

/// Renders every page and generated file of a resolved site, taking the pages that
/// render the same from `reuse`.
pub fn render(
    site: &Site,
    theme: &Theme,
    serve: bool,
    sources: &Sources,
    reuse: &mut impl PageReuse,
) -> Result<RenderedSite, Vec<Diagnostic>> {
    let previous = reuse.previous_values();
    let fresh = Arc::new(SiteValues::sharing(site, previous.as_deref()));
    drop(previous);
    let assets = Arc::new(asset_urls(theme, site));
    let values = reuse.begin(SharedInputs {
        templates: theme
            .templates
            .iter()
            .map(|t| (t.name.clone(), t.from_site, t.text.clone()))
            .collect(),
        words: site.words.clone(),
        config: serde_json::to_value(&site.config).unwrap_or_default(),
        nav: nav(site),
        values: fresh,
        assets: assets.clone(),
        serve,
    });
    let tera = engine(theme, site, values.clone(), assets, serve)?;
    // The feeds need the site only: they are made while the pages render.
    // A theme of the site's own from before embeds has no `embed.html`: no embeds.
    let embeds = tera.contains_template(embed_pages::TEMPLATE);
    let (pages, (generated, readers)) = rayon::join(
        || render_pages(&tera, site, &values, theme, sources, embeds, reuse),
        || rayon::join(|| generated_files(site), || reader_files(site, embeds)),
    );
    let pages = pages?;
    let served = &site.config.served;
    let mut files = SiteFiles::default();
    // The other languages share the default's static files, at the root.
    if served.is_default() {
        for s in &theme.statics {
            files.insert(s.output.clone(), s.bytes.clone());
        }
        for asset in &site.assets {
            files.insert(asset.output.clone(), asset.bytes.clone());
        }
    }
    for (path, html) in pages {
        files.insert(path, Arc::<[u8]>::from(html));
    }
    let made = generated.into_iter().map(|(p, t)| (p.to_string(), t));
    for (path, text) in made.chain(readers) {
        let site_path = format!("/{path}");
        if served.writes(&site_path) {
            let out = served.path(&site_path)[1..].to_string();
            files.insert(out, text.into_bytes());
        }
    }
    if !served.is_default() {
        return Ok(RenderedSite {
            files,
            tera,
            values,
        });
    }
    // GitHub Pages runs Jekyll unless told not to, and Jekyll drops `_`-prefixed paths.
    files.insert(".nojekyll", Vec::new());
    Ok(RenderedSite {
        files,
        tera,
        values,
    })
}

/// Makes one file from the whole site.
type Generator = fn(&Site) -> String;

/// The files made from the whole site besides its pages, each in parallel.
fn generated_files(site: &Site) -> Vec<(&'static str, String)> {
    let makers: [(&str, Generator); 9] = [
        ("sitemap.xml", feeds::sitemap),
        ("robots.txt", feeds::robots),
        ("atom.xml", feeds::atom),
        ("search-index.json", feeds::search_index),
        ("data.json", feeds::data_json),
        ("data/actors.csv", exports::actors_csv),
        ("data/stances.csv", exports::stances_csv),
        ("data/events.csv", exports::events_csv),
        ("data/popolo.json", exports::popolo_json),
    ];
    makers
        .into_par_iter()
        .map(|(path, make)| (path, make(site)))
        .collect()
}

/// The per-entity feeds and, with `embeds`, the embeds' oEmbed answers: (output
/// path, text).
fn reader_files(site: &Site, embeds: bool) -> Vec<(String, String)> {
    let mut files = entity_feeds::files(site);
    if embeds {
        files.extend(embed_pages::oembed_files(site));
    }
    files
}

/// Renders every page (with `embeds`, the embed pages too), taking the HTML of
/// pages that render the same from `reuse` (the caller has told it what all pages
/// share). Returns (output path, HTML) pairs or every error found.
fn render_pages(
    tera: &Tera,
    site: &Site,
    v: &SiteValues,
    theme: &Theme,
    sources: &Sources,
    embeds: bool,
    reuse: &mut impl PageReuse,
) -> Result<Vec<(String, Arc<str>)>, Vec<Diagnostic>> {
    let mut jobs = jobs(site, v);
    if embeds {
        jobs.extend(embed_pages::jobs(site, v));
    }
    let served = &site.config.served;
    if served.is_multilingual() {
        jobs.retain(|job| served.writes(&job.url));
        for job in &mut jobs {
            job.page = pages::with_translations(&job.page, served, &site.config, &job.url);
        }
    }
    let mut diags = unknown_templates(tera, &jobs, sources);
    if !diags.is_empty() {
        return Err(diags);
    }
    let cache = &*reuse;
    let embed_html = EmbedHtml::default();
    let results: Vec<Result<_, Vec<Diagnostic>>> = jobs
        .par_iter()
        .map(|job| {
            if let Some(html) = cache.reuse(&job.url, &job.template, &job.page) {
                return Ok((output_path(&served.path(&job.url)), html, None));
            }
            render_job(tera, site, theme, job, &embed_html)
                .map(|(out, html, reads)| (out, html, Some(reads)))
        })
        .collect();
    let mut pages = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(p) => pages.push(p),
            Err(ds) => diags.extend(ds),
        }
    }
    if !diags.is_empty() {
        return Err(once_per_place(diags));
    }
    let mut out = Vec::with_capacity(pages.len());
    let mut records = Vec::with_capacity(pages.len());
    for (job, (path, html, reads)) in jobs.into_iter().zip(pages) {
        out.push((path, html.clone()));
        records.push(PageRecord {
            url: job.url,
            template: job.template,
            page: job.page,
            html,
            reads,
        });
    }
    reuse.keep(records);
    Ok(out)
}

/// Renders the pages `keys` of a site whose other pages are rendered already, with
/// the engine and shared values they were rendered with (`serve`, after an edit
/// that changed no shared value).
pub fn render_some(
    tera: &Tera,
    site: &Site,
    v: &SiteValues,
    theme: &Theme,
    keys: &[PageKey],
) -> Result<Vec<(String, PageRecord)>, Vec<Diagnostic>> {
    let jobs: Vec<Job> = keys.iter().flat_map(|key| job(site, v, *key)).collect();
    let embed_html = EmbedHtml::default();
    let results: Vec<_> = jobs
        .par_iter()
        .map(|job| render_job(tera, site, theme, job, &embed_html))
        .collect();
    let mut pages = Vec::with_capacity(jobs.len());
    let mut diags = Vec::new();
    for (job, result) in jobs.into_iter().zip(results) {
        match result {
            Ok((out, html, reads)) => pages.push((
                out,
                PageRecord {
                    url: job.url,
                    template: job.template,
                    page: job.page,
                    html,
                    reads: Some(reads),
                },
            )),
            Err(ds) => diags.extend(ds),
        }
    }
    if diags.is_empty() {
        Ok(pages)
    } else {
        Err(once_per_place(diags))
    }
}
