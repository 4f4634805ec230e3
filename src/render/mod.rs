//! Render: the resolved site through the theme's templates (under the site's
//! overrides) into every file of the output, in memory: one context per page,
//! rendered in parallel, plus the feeds and data files and the static files.
//! [`render`] takes a [`PageReuse`] to keep pages that render the same (`serve`).

pub mod feeds;
pub mod links;
pub mod values;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Kwargs, State, Tera, Value};

use crate::diagnostics::{self, did_you_mean, Diagnostic, Sources};
use crate::resolve::{Actor, EntityRef, Event, Page, Question, Site};

use crate::load::theme::Theme;
use crate::render::values::{json, opt_date, opt_str, Obj, SiteValues};
use crate::resolve::markdown::Html;

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

/// Prefix under which the theme's templates are registered, behind the site's.
const THEME_PREFIX: &str = "theme/";

/// One page to render.
struct Job {
    /// Site path: `/actors/joe-biden/`.
    url: String,
    template: String,
    page: Value,
    /// The content file the page comes from, for error notes.
    source: Option<String>,
    /// Set when the template was chosen by the page's `template:` key.
    chosen: Option<String>,
}

/// Output path of a site path: `/actors/x/` -> `actors/x/index.html`.
pub fn output_path(url: &str) -> String {
    let trimmed = url.trim_start_matches('/');
    if trimmed.is_empty() {
        "index.html".to_string()
    } else if trimmed.ends_with(".html") || trimmed.ends_with(".xml") || trimmed.ends_with(".json")
    {
        trimmed.to_string()
    } else {
        format!("{}/index.html", trimmed.trim_end_matches('/'))
    }
}

/// Static files' site paths with a content hash, for `asset_url`: the file that is
/// written there (a file of the same name under `content/` wins over static files).
pub fn asset_urls(theme: &Theme, site: &Site) -> BTreeMap<String, String> {
    let mut latest: BTreeMap<&str, &[u8]> = BTreeMap::new();
    for s in &theme.statics {
        latest.insert(&s.output, &s.bytes);
    }
    for a in &site.assets {
        if let Some(bytes) = latest.get_mut(a.output.as_str()) {
            *bytes = &a.bytes;
        }
    }
    latest
        .into_iter()
        .map(|(path, bytes)| (path.to_string(), format!("/{path}?h={:016x}", fnv1a(bytes))))
        .collect()
}

/// FNV-1a: a stable hash for cache busting (std's hasher may change between releases).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// Creates the template engine with every function bound to this build's data.
pub fn engine(
    theme: &Theme,
    site: &Site,
    shared: Arc<SiteValues>,
    assets: Arc<BTreeMap<String, String>>,
    serve: bool,
) -> Result<Tera, Vec<Diagnostic>> {
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    register_functions(&mut tera, shared, assets);
    tera.register_filter("json_encode", json_encode);
    if let Err(e) = tera.set_fallback_prefixes([THEME_PREFIX]) {
        return Err(vec![Diagnostic::error(format!(
            "template setup failed: {e}"
        ))]);
    }
    let names: Vec<(String, &str)> = theme
        .templates
        .iter()
        .map(|t| {
            let name = if t.from_site {
                t.name.clone()
            } else {
                format!("{THEME_PREFIX}{}", t.name)
            };
            (name, &*t.text)
        })
        .collect();
    if let Err(e) = tera.add_raw_templates(names.iter().map(|(n, t)| (n.as_str(), *t))) {
        return Err(template_errors(&e, theme, None));
    }
    let config = &site.config;
    let site_value = Obj::new()
        .set("title", config.title.as_str())
        .set("base_url", config.base_url.as_str())
        .set("base_path", config.base_path.as_str())
        .set("description", opt_str(&config.description))
        .set("language", config.language.as_str())
        .set("theme", config.theme.as_str())
        .set(
            "autolink",
            match config.autolink {
                crate::load::config::Autolink::First => "first",
                crate::load::config::Autolink::All => "all",
                crate::load::config::Autolink::None => "none",
            },
        )
        .set("extra", json(&config.extra))
        .build();
    // Pages are reused while these globals' sources are the same: see [`SharedInputs`].
    tera.global_context().insert_value("site", site_value);
    tera.global_context().insert_value("nav", nav(site));
    tera.global_context()
        .insert_value("serve", Value::from(serve));
    Ok(tera)
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

thread_local! {
    /// What the page being rendered read through functions.
    static READS: std::cell::RefCell<PageReads> = std::cell::RefCell::new(PageReads::default());
}

/// Notes that the page being rendered read all the shared values (a list, the
/// matrix, the timeline).
fn note_shared_read() {
    READS.with(|r| r.borrow_mut().shared = SharedReads::Everything);
}

/// Notes that the page being rendered read one entity's card or URL.
fn note_card_read(id: &str) {
    READS.with(|r| {
        if let SharedReads::Cards(ids) = &mut r.borrow_mut().shared {
            ids.insert(id.to_string());
        }
    });
}

/// Notes that the page being rendered asked for a static file's URL.
fn note_asset_read(path: &str) {
    READS.with(|r| r.borrow_mut().assets.push(path.to_string()));
}

/// Every function that reads `shared` notes what it read first.
fn register_functions(
    tera: &mut Tera,
    shared: Arc<SiteValues>,
    assets: Arc<BTreeMap<String, String>>,
) {
    fn id_arg(kwargs: &Kwargs, function: &str) -> tera::TeraResult<String> {
        kwargs
            .must_get::<&str>("id")
            .map(str::to_string)
            .map_err(|_| {
                tera::Error::message(format!(
                    "{function}() needs an `id` argument, e.g. {function}(id=\"joe-biden\")"
                ))
            })
    }
    fn unknown(shared: &SiteValues, function: &str, id: &str) -> tera::Error {
        let hint = did_you_mean(id, shared.urls.keys().map(String::as_str))
            .map(|h| format!(": {h}"))
            .unwrap_or_default();
        tera::Error::message(format!("{function}(): unknown id `{id}`{hint}"))
    }
    let s = shared.clone();
    tera.register_function(
        "url_for",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let id = id_arg(&kwargs, "url_for")?;
            note_card_read(&id);
            s.urls
                .get(&id)
                .cloned()
                .ok_or_else(|| unknown(&s, "url_for", &id))
        },
    );
    let s = shared.clone();
    tera.register_function(
        "entity",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
            let id = id_arg(&kwargs, "entity")?;
            note_card_read(&id);
            s.card_by_id(&id).ok_or_else(|| unknown(&s, "entity", &id))
        },
    );
    tera.register_function(
        "asset_url",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let path: &str = kwargs.must_get("path")?;
            let path = path.trim_start_matches('/');
            note_asset_read(path);
            assets.get(path).cloned().ok_or_else(|| {
                let hint = did_you_mean(path, assets.keys().map(String::as_str))
                    .map(|h| format!(": {h}"))
                    .unwrap_or_default();
                tera::Error::message(format!("asset_url(): no static file `{path}`{hint}"))
            })
        },
    );
    let s = shared.clone();
    tera.register_function(
        "matrix",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
            note_shared_read();
            let questions: Option<i64> = kwargs.get("questions")?;
            Ok(s.matrix(questions.map(|n| usize::try_from(n).unwrap_or(0))))
        },
    );
    let s = shared.clone();
    tera.register_function(
        "timeline",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
            note_shared_read();
            let limit: Option<i64> = kwargs.get("limit")?;
            let newest_first: Option<bool> = kwargs.get("newest_first")?;
            let mut entries: Vec<Value> = if newest_first.unwrap_or(false) {
                s.timeline.iter().rev().cloned().collect()
            } else {
                s.timeline.clone()
            };
            if let Some(limit) = limit {
                entries.truncate(usize::try_from(limit).unwrap_or(0));
            }
            Ok(Value::from(entries))
        },
    );
    let s = shared.clone();
    tera.register_function("actors", move |_: Kwargs, _: &State| {
        note_shared_read();
        s.actors.clone()
    });
    let s = shared.clone();
    tera.register_function("questions", move |_: Kwargs, _: &State| {
        note_shared_read();
        s.questions.clone()
    });
    let s = shared;
    tera.register_function("events", move |_: Kwargs, _: &State| {
        note_shared_read();
        s.events.clone()
    });
}

/// `{{ value | json_encode }}`: JSON that is safe inside `<script>` (JSON-LD): `<`, `>`
/// and `&` are escaped so no content can close the element or open a comment, and
/// U+2028/U+2029 so older JavaScript parsers accept it too.
fn json_encode(value: Value, _: Kwargs, _: &State) -> tera::TeraResult<Value> {
    let json = serde_json::to_string(&value)
        .map_err(|e| tera::Error::message(format!("json_encode: {e}")))?;
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    Ok(Value::safe_string(&out))
}

/// The navigation every page gets as `nav`.
pub fn nav(site: &Site) -> Value {
    let mut items = vec![
        Obj::new()
            .set("title", "Actors")
            .set("url", "/actors/")
            .build(),
        Obj::new()
            .set("title", "Questions")
            .set("url", "/questions/")
            .build(),
        Obj::new()
            .set("title", "Timeline")
            .set("url", "/timeline/")
            .build(),
    ];
    let mut top: Vec<(i64, &str, &str)> = site
        .pages
        .iter()
        .filter(|p| p.folder.is_empty())
        .map(|p| (p.weight, p.title.as_str(), p.url.as_str()))
        .chain(
            site.lists
                .iter()
                .filter(|l| !l.page.folder.contains('/'))
                .map(|l| (l.page.weight, l.page.title.as_str(), l.page.url.as_str())),
        )
        .collect();
    top.sort();
    items.extend(
        top.into_iter()
            .map(|(_, title, url)| Obj::new().set("title", title).set("url", url).build()),
    );
    Value::from(items)
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
/// every global of [`engine`]: a new global must be added here.
pub struct SharedInputs {
    /// Name, whether the site's (not the theme's), text.
    pub templates: Vec<(String, bool, Arc<str>)>,
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
        config: serde_json::to_value(&site.config).unwrap_or_default(),
        nav: nav(site),
        values: fresh,
        assets: assets.clone(),
        serve,
    });
    let tera = engine(theme, site, values.clone(), assets, serve)?;
    // The feeds need the site only: they are made while the pages render.
    let (pages, generated) = rayon::join(
        || render_pages(&tera, site, &values, theme, sources, reuse),
        || generated_files(site),
    );
    let pages = pages?;
    let mut files = SiteFiles::default();
    for s in &theme.statics {
        files.insert(s.output.clone(), s.bytes.clone());
    }
    for asset in &site.assets {
        files.insert(asset.output.clone(), asset.bytes.clone());
    }
    for (path, html) in pages {
        files.insert(path, Arc::<[u8]>::from(html));
    }
    for (path, text) in generated {
        files.insert(path, text.into_bytes());
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

/// Renders every page, taking the HTML of pages that render the same from `reuse`
/// (the caller has told it what all pages share). Returns (output path, HTML)
/// pairs or every error found.
fn render_pages(
    tera: &Tera,
    site: &Site,
    v: &SiteValues,
    theme: &Theme,
    sources: &Sources,
    reuse: &mut impl PageReuse,
) -> Result<Vec<(String, Arc<str>)>, Vec<Diagnostic>> {
    let jobs = jobs(site, v);
    let mut diags = unknown_templates(tera, &jobs, sources);
    if !diags.is_empty() {
        return Err(diags);
    }
    let cache = &*reuse;
    let results: Vec<Result<_, Vec<Diagnostic>>> = jobs
        .par_iter()
        .map(|job| {
            if let Some(html) = cache.reuse(&job.url, &job.template, &job.page) {
                return Ok((output_path(&job.url), html, None));
            }
            render_job(tera, site, theme, job).map(|(out, html, reads)| (out, html, Some(reads)))
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

/// Errors for pages whose `template:` names no template.
fn unknown_templates(tera: &Tera, jobs: &[Job], sources: &Sources) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for job in jobs {
        let Some(chosen) = &job.chosen else {
            continue;
        };
        if tera.contains_template(chosen) {
            continue;
        }
        let names: Vec<String> = tera
            .get_template_names()
            .map(|n| n.trim_start_matches(THEME_PREFIX).to_string())
            .collect();
        let file = job.source.clone().unwrap_or_default();
        let span = sources.get(&file).and_then(|text| {
            crate::load::content::find_key_value(text, &(0..text.len()), "template", chosen, 0)
        });
        diags.push(
            Diagnostic::error(format!("the template `{chosen}` does not exist"))
                .in_file(file)
                .at_opt(span)
                .help_opt(did_you_mean(chosen, names.iter().map(String::as_str))),
        );
    }
    diags
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
    let jobs: Vec<Job> = keys.iter().map(|key| job(site, v, *key)).collect();
    let results: Vec<_> = jobs
        .par_iter()
        .map(|job| render_job(tera, site, theme, job))
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

/// Renders one page: its output path, its HTML, and what its templates read of
/// the shared values.
fn render_job(
    tera: &Tera,
    site: &Site,
    theme: &Theme,
    job: &Job,
) -> Result<(String, Arc<str>, PageReads), Vec<Diagnostic>> {
    let out = output_path(&job.url);
    READS.with(|r| {
        *r.borrow_mut() = PageReads {
            shared: SharedReads::Cards(BTreeSet::new()),
            assets: Vec::new(),
        }
    });
    let mut context = Context::new();
    context.insert_value("page", job.page.clone());
    let page = match &job.source {
        Some(file) => format!("`{file}`"),
        None => format!("the page `{}`", job.url),
    };
    let html = tera
        .render(&job.template, &context)
        .map_err(|e| template_errors(&e, theme, Some(&page)))?;
    let prefix = if out == "404.html" {
        site.config.base_path.clone()
    } else {
        links::prefix_for(&out)
    };
    let read_shared = READS.with(|r| std::mem::take(&mut *r.borrow_mut()));
    Ok((
        out,
        Arc::from(links::rewrite_site_paths(&html, &prefix)),
        read_shared,
    ))
}

/// One broken template fails many pages: reports each error once, naming the first
/// page and counting the others.
fn once_per_place(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics::sort(&mut diags);
    let mut out: Vec<(Diagnostic, usize)> = Vec::new();
    for d in diags {
        match out.last_mut() {
            Some((last, n))
                if last.file == d.file && last.span == d.span && last.message == d.message =>
            {
                *n += 1;
            }
            _ => out.push((d, 0)),
        }
    }
    out.into_iter()
        .map(|(mut d, others)| {
            if others > 0 {
                if let Some(note) = d
                    .notes
                    .iter_mut()
                    .rfind(|n| n.starts_with("while rendering"))
                {
                    let s = if others == 1 { "" } else { "s" };
                    note.push_str(&format!(" (and {others} other page{s})"));
                }
            }
            d
        })
        .collect()
}

/// Adds the template texts to `sources`, under the paths diagnostics show.
pub fn add_sources(theme: &Theme, sources: &mut Sources) {
    for t in &theme.templates {
        sources.insert(t.origin.shown(), t.text.clone());
    }
}

/// Functions templates may call, for "did you mean" hints.
const FUNCTIONS: [&str; 10] = [
    "url_for",
    "entity",
    "asset_url",
    "matrix",
    "timeline",
    "actors",
    "questions",
    "events",
    "range",
    "throw",
];

/// Tera's errors as diagnostics in the template's file (the site's override or the
/// theme's), with the page being rendered for errors that happen while rendering.
fn template_errors(e: &tera::Error, theme: &Theme, page: Option<&str>) -> Vec<Diagnostic> {
    let file_of = |name: &str| {
        let (bare, from_site) = match name.strip_prefix(THEME_PREFIX) {
            Some(b) => (b, false),
            None => (name, true),
        };
        theme
            .templates
            .iter()
            .find(|t| t.name == bare && t.from_site == from_site)
            .or_else(|| theme.templates.iter().find(|t| t.name == bare))
    };
    let located = |message: String, name: &str, span: Option<std::ops::Range<usize>>| {
        let mut d = Diagnostic::error(message);
        match file_of(name) {
            Some(t) => d = d.in_file(t.origin.shown()).at_opt(span),
            None => d = d.note(format!("in template `{name}`")),
        }
        d
    };
    let mut diags = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let syntax = matches!(e.kind(), tera::ErrorKind::SyntaxError(_));
            let mut message = r.message().to_string();
            if let Some(source) = std::error::Error::source(e) {
                message = format!("{message}: {source}");
            }
            let (message, help) = reword(&message);
            let kind = if syntax {
                "template syntax error"
            } else {
                "template error"
            };
            let d = located(
                format!("{kind}: {message}"),
                r.filename(),
                Some(r.span().range.clone()),
            );
            vec![d.help_opt(help)]
        }
        tera::ErrorKind::MissingParent { current, parent } => {
            let span = file_of(current).and_then(|t| {
                let quoted = format!("\"{parent}\"");
                let i = t
                    .text
                    .find(&quoted)
                    .or_else(|| t.text.find(parent.as_str()))?;
                Some(i..i + quoted.len().min(t.text.len() - i))
            });
            let names: Vec<&str> = theme.templates.iter().map(|t| t.name.as_str()).collect();
            vec![located(
                format!("template error: `{current}` extends `{parent}`, which does not exist"),
                current,
                span,
            )
            .help_opt(did_you_mean(parent, names))]
        }
        tera::ErrorKind::Msg(text) if text.contains("\n --> ") || text.contains("\n  --> ") => {
            reports(text)
                .into_iter()
                .map(|(message, name, line, col, width)| {
                    let span = file_of(&name).map(|t| {
                        let start = offset_of(&t.text, line, col);
                        let end = t.text[start..]
                            .char_indices()
                            .nth(width)
                            .map_or(t.text.len(), |(i, _)| start + i);
                        start..end
                    });
                    let help = message
                        .strip_prefix("Unknown function `")
                        .and_then(|f| did_you_mean(f.trim_end_matches('`'), FUNCTIONS));
                    located(
                        format!("template error: {}", lower_first(&message)),
                        &name,
                        span,
                    )
                    .help_opt(help)
                })
                .collect()
        }
        _ => {
            let mut message = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                message = format!("{message}: {s}");
                source = s.source();
            }
            vec![Diagnostic::error(format!("template error: {message}"))]
        }
    };
    if let Some(page) = page {
        for d in &mut diags {
            d.notes.push(format!("while rendering {page}"));
        }
    }
    diags
}

/// `Unknown filter` -> `unknown filter`, as in every other message.
fn lower_first(message: &str) -> String {
    let mut chars = message.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => first
            .to_lowercase()
            .chain(message.chars().skip(1))
            .collect(),
        _ => message.to_string(),
    }
}

/// Tera's "not defined" messages list every available name; keep the message short
/// and suggest the closest name instead.
fn reword(message: &str) -> (String, Option<String>) {
    for (marker, what) in [
        (". Available fields: ", "field"),
        (". Available variables: ", "variable"),
    ] {
        if let Some((head, list)) = message.split_once(marker) {
            let names: Vec<&str> = list.split(", ").map(str::trim).collect();
            let wanted = head.split('`').nth(1).unwrap_or("");
            let help = did_you_mean(wanted, names.iter().copied())
                .unwrap_or_else(|| format!("the {what}s here are {}", names.join(", ")));
            return (format!("{what} `{wanted}` is not defined"), Some(help));
        }
    }
    let message = message.trim_end_matches('.');
    if let Some(rest) = message.strip_prefix("Variable ") {
        return (format!("variable {rest}"), None);
    }
    if let Some(rest) = message.strip_prefix("Field ") {
        return (format!("field {rest}"), None);
    }
    (lower_first(message), None)
}

/// Reports Tera pre-renders when checking templates ("error: MSG", "--> name:L:C",
/// the source line, a `^^^` underline), as (message, template, line, column, width).
fn reports(text: &str) -> Vec<(String, String, usize, usize, usize)> {
    let mut out = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let Some(message) = line.strip_prefix("error: ") else {
            continue;
        };
        let Some(place) = lines
            .get(i + 1)
            .and_then(|l| l.trim_start().strip_prefix("--> "))
        else {
            continue;
        };
        let mut parts = place.rsplitn(3, ':');
        let (Some(col), Some(line_no), Some(name)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let (Ok(line_no), Ok(col)) = (line_no.parse(), col.parse()) else {
            continue;
        };
        let width = lines
            .get(i + 4)
            .map_or(1, |l| l.matches('^').count().max(1));
        out.push((message.to_string(), name.to_string(), line_no, col, width));
    }
    out
}

/// Byte offset of a 1-based line and column (in characters) in `text`.
fn offset_of(text: &str, line: usize, col: usize) -> usize {
    let start = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>()
        .min(text.len());
    let rest = &text[start..];
    start
        + rest
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i)
}

fn backlinks(site: &Site, v: &SiteValues, r: EntityRef) -> Value {
    let list: Vec<Value> = site
        .backlinks
        .get(&r)
        .map(|b| b.iter().map(|&from| v.card(from)).collect())
        .unwrap_or_default();
    Value::from(list)
}

/// The fields every page has.
struct Head<'a> {
    kind: &'static str,
    id: &'a str,
    title: &'a str,
    url: &'a str,
    html: &'a Html,
    summary: &'a Option<String>,
    extra: &'a serde_json::Value,
}

fn base(site: &Site, h: Head) -> Obj {
    // Every page adds a few keys to these.
    Obj::with_capacity(16)
        .set("kind", h.kind)
        .set("id", h.id)
        .set("title", h.title)
        .set("url", h.url)
        .set("permalink", site.config.permalink(h.url))
        .set("content", h.html.value().clone())
        .set("summary", opt_str(h.summary))
        .set("extra", json(h.extra))
}

fn page_obj(site: &Site, kind: &'static str, p: &Page) -> Obj {
    base(
        site,
        Head {
            kind,
            id: &p.id,
            title: &p.title,
            url: &p.url,
            html: &p.html,
            summary: &p.summary,
            extra: &p.extra,
        },
    )
    .set("date", opt_date(&p.date))
    .set("weight", p.weight)
}

/// A page of the site, by what it is made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageKey {
    Entity(EntityRef),
    /// A folder's list page, by its index in `Site::lists`.
    List(usize),
    Home,
    /// A built-in index page: `actors`, `questions`, `events` or `timeline`.
    Index(&'static str),
    NotFound,
}

/// The folders of the built-in index pages.
const INDEX_FOLDERS: [&str; 4] = ["actors", "questions", "events", "timeline"];

impl PageKey {
    /// The built-in index page of `folder`, if it has one.
    pub fn index(folder: &str) -> Option<PageKey> {
        INDEX_FOLDERS
            .iter()
            .find(|f| **f == folder)
            .map(|f| PageKey::Index(f))
    }
}

/// Every page of the site.
fn all_pages(site: &Site) -> Vec<PageKey> {
    let entities = (0..site.actors.len())
        .map(EntityRef::Actor)
        .chain((0..site.questions.len()).map(EntityRef::Question))
        .chain((0..site.events.len()).map(EntityRef::Event))
        .chain((0..site.pages.len()).map(EntityRef::Page))
        .map(PageKey::Entity);
    entities
        .chain((0..site.lists.len()).map(PageKey::List))
        .chain([PageKey::Home])
        .chain(INDEX_FOLDERS.iter().map(|f| PageKey::Index(f)))
        .chain([PageKey::NotFound])
        .collect()
}

fn jobs(site: &Site, v: &SiteValues) -> Vec<Job> {
    all_pages(site)
        .par_iter()
        .map(|key| job(site, v, *key))
        .collect()
}

/// The page `key`: its URL, template and values.
fn job(site: &Site, v: &SiteValues, key: PageKey) -> Job {
    let job =
        |url: &str, default: &str, template: &Option<String>, page: Value, source: Option<&str>| {
            Job {
                url: url.to_string(),
                template: template.clone().unwrap_or_else(|| default.to_string()),
                page,
                source: source.map(str::to_string),
                chosen: template.clone(),
            }
        };
    let empty = || Value::from(Vec::<Value>::new());
    match key {
        PageKey::Entity(r @ EntityRef::Actor(i)) => {
            let a = &site.actors[i];
            job(
                &a.url,
                "actor.html",
                &a.template,
                actor_page(site, v, r, a),
                Some(&a.path),
            )
        }
        PageKey::Entity(r @ EntityRef::Question(i)) => {
            let q = &site.questions[i];
            job(
                &q.url,
                "question.html",
                &q.template,
                question_page(site, v, r, q),
                Some(&q.path),
            )
        }
        PageKey::Entity(r @ EntityRef::Event(i)) => {
            let e = &site.events[i];
            job(
                &e.url,
                "event.html",
                &e.template,
                event_page(site, v, r, e),
                Some(&e.path),
            )
        }
        PageKey::Entity(r @ EntityRef::Page(i)) => {
            let p = &site.pages[i];
            let page = page_obj(site, "page", p)
                .set("backlinks", backlinks(site, v, r))
                .build();
            job(&p.url, "page.html", &p.template, page, Some(&p.path))
        }
        PageKey::List(i) => {
            let l = &site.lists[i];
            let page = page_obj(site, "list", &l.page)
                .set(
                    "pages",
                    l.pages
                        .iter()
                        .map(|&i| v.page_cards[i].clone())
                        .collect::<Vec<_>>(),
                )
                .set("backlinks", empty())
                .build();
            job(
                &l.page.url,
                "list.html",
                &l.page.template,
                page,
                Some(&l.page.path),
            )
        }
        PageKey::Home => {
            let home = page_obj(site, "home", &site.home)
                .set("backlinks", empty())
                .build();
            let home_file = Some(site.home.path.as_str()).filter(|p| !p.is_empty());
            job("/", "index.html", &site.home.template, home, home_file)
        }
        PageKey::Index(folder) => {
            let (page, template, source) = intro(site, folder);
            let (default, page) = match folder {
                "actors" => (
                    "actors.html",
                    page.set("groups", values::kind_groups(site, v)),
                ),
                "questions" => ("questions.html", page.set("questions", v.questions.clone())),
                "events" => ("list.html", page.set("pages", v.events.clone())),
                _ => ("timeline.html", timeline_page(site, v, page)),
            };
            let page = page.set("backlinks", empty()).build();
            job(
                &format!("/{folder}/"),
                default,
                &template,
                page,
                source.as_deref(),
            )
        }
        PageKey::NotFound => {
            let not_found = base(
                site,
                Head {
                    kind: "not_found",
                    id: "404",
                    title: "Page not found",
                    url: "/404.html",
                    html: &Html::default(),
                    summary: &None,
                    extra: &serde_json::json!({}),
                },
            )
            .set("backlinks", empty())
            .build();
            job("/404.html", "404.html", &None, not_found, None)
        }
    }
}

fn actor_page(site: &Site, v: &SiteValues, r: EntityRef, a: &Actor) -> Value {
    let current: Vec<Value> = a
        .stances
        .iter()
        .filter(|&&s| site.stances[s].current)
        .map(|&s| v.stances[s].clone())
        .collect();
    let mut history: Vec<Value> = Vec::new();
    let mut k = 0;
    while k < a.stances.len() {
        let q = site.stances[a.stances[k]].question;
        let mut group = Vec::new();
        while k < a.stances.len() && site.stances[a.stances[k]].question == q {
            group.push(v.stances[a.stances[k]].clone());
            k += 1;
        }
        history.push(
            Obj::new()
                .set("question", v.question_cards[q].clone())
                .set("stances", group)
                .build(),
        );
    }
    base(
        site,
        Head {
            kind: "actor",
            id: &a.id,
            title: &a.name,
            url: &a.url,
            html: &a.html,
            summary: &a.summary,
            extra: &a.extra,
        },
    )
    .set("name", a.name.as_str())
    .set("actor_kind", a.kind.as_str())
    .set("role", opt_str(&a.role))
    .set("aliases", a.aliases.clone())
    .set("image", opt_str(&a.image))
    .set(
        "links",
        a.links
            .iter()
            .map(|l| {
                Obj::new()
                    .set("title", l.title.as_str())
                    .set("url", l.url.as_str())
                    .build()
            })
            .collect::<Vec<_>>(),
    )
    .set(
        "affiliations",
        a.affiliations
            .iter()
            .map(|&x| v.actor_cards[x].clone())
            .collect::<Vec<_>>(),
    )
    .set(
        "members",
        a.members
            .iter()
            .map(|&x| v.actor_cards[x].clone())
            .collect::<Vec<_>>(),
    )
    .set("stances", current)
    .set("history", history)
    .set(
        "events",
        a.events
            .iter()
            .map(|&e| v.event_cards[e].clone())
            .collect::<Vec<_>>(),
    )
    .set("backlinks", backlinks(site, v, r))
    .build()
}

fn question_page(site: &Site, v: &SiteValues, r: EntityRef, q: &Question) -> Value {
    let positions: Vec<Value> = (0..q.positions.len())
        .map(|pi| {
            let mut here: Vec<usize> = q
                .stances
                .iter()
                .copied()
                .filter(|&s| site.stances[s].current && site.stances[s].position == pi)
                .collect();
            here.sort_by(|&x, &y| {
                site.actors[site.stances[x].actor]
                    .name
                    .cmp(&site.actors[site.stances[y].actor].name)
            });
            values::position_obj(q, pi)
                .set(
                    "actors",
                    here.iter()
                        .map(|&s| v.stances[s].clone())
                        .collect::<Vec<_>>(),
                )
                .build()
        })
        .collect();
    // A change is a stance whose actor held another position on this question before.
    let mut changes: Vec<(crate::load::content::Date, String, Value)> = Vec::new();
    for &s in &q.stances {
        let st = &site.stances[s];
        if s > 0 {
            let prev = &site.stances[s - 1];
            if prev.actor == st.actor
                && prev.question == st.question
                && prev.position != st.position
            {
                let actor = &site.actors[st.actor];
                changes.push((
                    st.date,
                    actor.name.clone(),
                    Obj::new()
                        .set(
                            "actor",
                            Obj::new()
                                .set("id", actor.id.as_str())
                                .set("title", actor.name.as_str())
                                .set("url", actor.url.as_str())
                                .build(),
                        )
                        .set("from", v.stances[s - 1].clone())
                        .set("to", v.stances[s].clone())
                        .build(),
                ));
            }
        }
    }
    changes.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    base(
        site,
        Head {
            kind: "question",
            id: &q.id,
            title: &q.title,
            url: &q.url,
            html: &q.html,
            summary: &q.summary,
            extra: &q.extra,
        },
    )
    .set("question", q.question.as_str())
    .set("positions", positions)
    .set(
        "changes",
        changes.into_iter().map(|c| c.2).collect::<Vec<_>>(),
    )
    .set(
        "stances",
        q.stances
            .iter()
            .map(|&s| v.stances[s].clone())
            .collect::<Vec<_>>(),
    )
    .set(
        "events",
        q.events
            .iter()
            .map(|&e| v.event_cards[e].clone())
            .collect::<Vec<_>>(),
    )
    .set("backlinks", backlinks(site, v, r))
    .build()
}

fn event_page(site: &Site, v: &SiteValues, r: EntityRef, e: &Event) -> Value {
    base(
        site,
        Head {
            kind: "event",
            id: &e.id,
            title: &e.title,
            url: &e.url,
            html: &e.html,
            summary: &e.summary,
            extra: &e.extra,
        },
    )
    .set("date", values::date(&e.date))
    .set("end_date", opt_date(&e.end_date))
    .set("place", opt_str(&e.place))
    .set(
        "actors",
        e.actors
            .iter()
            .map(|&a| v.actor_cards[a].clone())
            .collect::<Vec<_>>(),
    )
    .set(
        "questions",
        e.questions
            .iter()
            .map(|&q| v.question_cards[q].clone())
            .collect::<Vec<_>>(),
    )
    .set("backlinks", backlinks(site, v, r))
    .build()
}

/// The timeline page's values: every entry, and the entries by month.
fn timeline_page(site: &Site, v: &SiteValues, page: Obj) -> Obj {
    let mut months: Vec<(String, String, Vec<Value>)> = Vec::new();
    for (item, value) in site.timeline().iter().zip(&v.timeline) {
        let d = item.date();
        match months.last_mut() {
            Some(m) if m.0 == d.month_key() => m.2.push(value.clone()),
            _ => months.push((d.month_key(), d.month_label(), vec![value.clone()])),
        }
    }
    let months: Vec<Value> = months
        .into_iter()
        .map(|(key, label, entries)| {
            Obj::new()
                .set("key", key)
                .set("label", label)
                .set("entries", entries)
                .build()
        })
        .collect();
    page.set("entries", v.timeline.clone())
        .set("months", months)
}

/// The head of a built-in index page: from its `_index.md` when there is one.
fn intro(site: &Site, folder: &'static str) -> (Obj, Option<String>, Option<String>) {
    match site.intros.get(folder) {
        Some(p) => (
            page_obj(site, folder_kind(folder), p),
            p.template.clone(),
            Some(p.path.clone()),
        ),
        None => {
            let title = match folder {
                "actors" => "Actors",
                "questions" => "Questions",
                "events" => "Events",
                _ => "Timeline",
            };
            (
                base(
                    site,
                    Head {
                        kind: folder_kind(folder),
                        id: folder,
                        title,
                        url: &format!("/{folder}/"),
                        html: &Html::default(),
                        summary: &None,
                        extra: &serde_json::json!({}),
                    },
                ),
                None,
                None,
            )
        }
    }
}

fn folder_kind(folder: &str) -> &'static str {
    match folder {
        "actors" => "actors",
        "questions" => "questions",
        "timeline" => "timeline",
        _ => "list",
    }
}
