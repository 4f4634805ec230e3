//! The files a site writes, known before a page renders: every page, the theme's
//! and the site's static files, the files beside the Markdown and the generated
//! files. Two sources written to one path are an error naming both; every site
//! path and `#fragment` a body or a short text links to, and every actor `image:`,
//! must name one of them (DESIGN.md section 8).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use crate::diagnostics::{closest, Diagnostic};
use crate::load::config::Config;
use crate::load::content::{Asset, Date, Doc};
use crate::load::theme::Theme;
use crate::resolve::bodies::Bodies;
use crate::resolve::ids::Docs;
use crate::resolve::image_files;
use crate::resolve::markdown::{LinkRef, Rendered};
use crate::resolve::pictures::{Pictures, Role};
use crate::resolve::short_texts::TextLinks;
use crate::resolve::{index_template, INDEX_FOLDERS};

/// Files made from the whole site besides its pages (see `render::generated_files`).
pub const GENERATED_FILES: [&str; 10] = [
    "sitemap.xml",
    "robots.txt",
    "atom.xml",
    "search-index.json",
    "data.json",
    "data/actors.csv",
    "data/stances.csv",
    "data/events.csv",
    "data/popolo.json",
    ".nojekyll",
];

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

/// One page: its body (none for built-in pages without an intro) and the template
/// it renders with.
struct PageEntry<'a> {
    body: Option<&'a Rendered>,
    template: &'a str,
}

/// What writes an output: shown in messages, and the content file to point at.
struct Writer {
    shown: String,
    file: Option<String>,
}

/// Every output of the site, with what writes it.
#[derive(Default)]
struct Outputs<'a> {
    files: HashMap<String, Writer>,
    /// Page output path -> the page.
    pages: HashMap<String, PageEntry<'a>>,
    /// Ids the templates write literally, by template name.
    template_ids: HashMap<&'a str, BTreeSet<&'a str>>,
    /// Ids every page has: those of templates no page renders with (layouts, partials).
    layout_ids: BTreeSet<&'a str>,
}

/// The errors of the site's outputs: paths two sources write, then links of
/// bodies and short `texts` and images that name nothing the site writes or
/// nothing readable; and the pictures the pages show, planned.
pub(super) fn checked_outputs(
    docs: &Docs,
    bodies: &Bodies,
    texts: &[TextLinks],
    assets: &[Asset],
    theme: &Theme,
    config: &Config,
) -> (Vec<Diagnostic>, Pictures) {
    let mut diags = Vec::new();
    let mut outputs = outputs(docs, bodies, assets, theme, &mut diags);
    outputs.add_snapshots(&config.snapshots, &mut diags);
    let copied = image_files::copied(theme, assets);
    let mut pictures = Pictures::default();
    let mut check = |file: &str, url: &str, refs: &[LinkRef]| {
        for r in refs {
            let path = r.path.trim_start_matches('/');
            let found = outputs.check(url, r).or_else(|| {
                let bytes = copied.get(path)?;
                image_files::check(&r.written, path, bytes, false).or_else(|| {
                    let place = (file, Some(r.span.clone()));
                    let shown = r.image && r.fragment.is_none();
                    shown
                        .then(|| pictures.add(path, bytes, Role::Prose, place, &r.written))
                        .flatten()
                })
            });
            if let Some(d) = found {
                diags.push(d.in_file(file).at(r.span.clone()));
            }
        }
    };
    each_body(docs, bodies, |file, url, body| check(file, url, &body.refs));
    for t in texts {
        check(&t.path, &t.url, &t.refs);
    }
    for d in &docs.actors {
        if let Some(image) = d.meta.image.as_deref() {
            let path = image.split(['?', '#']).next().unwrap_or(image);
            let path = path.trim_start_matches('/');
            let span = d.value_span("image", image, 0);
            let unreadable = || {
                let bytes = copied.get(path)?;
                image_files::check(image, path, bytes, true).or_else(|| {
                    let place = (d.path.as_str(), span.clone());
                    pictures.add(path, bytes, Role::Portrait, place, image)
                })
            };
            if let Some(e) = outputs.check_image(image).or_else(unreadable) {
                diags.push(e.in_file(&d.path).at_opt(span));
            }
        }
    }
    (diags, pictures)
}

/// Calls `f` with (file, site path, body) for every document.
fn each_body<'a>(
    docs: &'a Docs,
    bodies: &'a Bodies,
    mut f: impl FnMut(&'a str, &'a str, &'a Rendered),
) {
    fn all<'a, M>(
        docs: &'a [Arc<Doc<M>>],
        bodies: &'a [Arc<Rendered>],
        f: &mut impl FnMut(&'a str, &'a str, &'a Rendered),
    ) {
        for (d, b) in docs.iter().zip(bodies) {
            f(&d.path, &d.url, b);
        }
    }
    all(&docs.actors, &bodies.actors, &mut f);
    all(&docs.questions, &bodies.questions, &mut f);
    all(&docs.events, &bodies.events, &mut f);
    all(&docs.pages, &bodies.pages, &mut f);
    all(&docs.indexes, &bodies.indexes, &mut f);
}

/// Collects every output, pushing an error for each path two sources write.
fn outputs<'a>(
    docs: &'a Docs,
    bodies: &'a Bodies,
    assets: &[Asset],
    theme: &'a Theme,
    diags: &mut Vec<Diagnostic>,
) -> Outputs<'a> {
    let mut out = Outputs::default();
    for name in GENERATED_FILES {
        out.add_file(name, format!("the generated `{name}`"), None, diags);
    }
    out.add_page("/", "index.html", None, "the home page".into(), None, diags);
    for folder in INDEX_FOLDERS {
        let shown = format!("the built-in {folder} page");
        out.add_page(
            &format!("/{folder}/"),
            index_template(folder),
            None,
            shown,
            None,
            diags,
        );
    }
    out.add_page(
        "/404.html",
        "404.html",
        None,
        "the 404 page".into(),
        None,
        diags,
    );
    add_docs(
        &mut out,
        &docs.actors,
        &bodies.actors,
        "actor.html",
        |m| m.template.as_deref(),
        diags,
    );
    add_docs(
        &mut out,
        &docs.questions,
        &bodies.questions,
        "question.html",
        |m| m.template.as_deref(),
        diags,
    );
    add_docs(
        &mut out,
        &docs.events,
        &bodies.events,
        "event.html",
        |m| m.template.as_deref(),
        diags,
    );
    add_docs(
        &mut out,
        &docs.pages,
        &bodies.pages,
        "page.html",
        |m| m.template.as_deref(),
        diags,
    );
    for (d, body) in docs.indexes.iter().zip(&bodies.indexes) {
        out.add_index(d, body, diags);
    }
    let embeds = theme.templates.iter().any(|t| t.name == "embed.html");
    add_reader_outputs(&mut out, docs, embeds, diags);
    for a in assets {
        let file = format!("content/{}", a.output);
        out.add_file(&a.output, format!("`{file}`"), Some(file.clone()), diags);
    }
    // The site's static files replace the theme's of the same name: only the last counts.
    let mut statics: BTreeMap<&str, &str> = BTreeMap::new();
    for s in &theme.statics {
        statics.insert(&s.output, &s.shown);
    }
    for (output, shown) in statics {
        out.add_file(output, shown.to_string(), None, diags);
    }
    out.add_template_ids(theme);
    out
}

/// The feed of every question and actor and, when the theme has `embed.html`, the
/// embed of each with its `oembed.json`, and the matrix embed (see
/// `render::entity_feeds` and `render::embed_pages`, which write them).
fn add_reader_outputs(
    out: &mut Outputs,
    docs: &Docs,
    with_embeds: bool,
    diags: &mut Vec<Diagnostic>,
) {
    let urls = docs
        .questions
        .iter()
        .map(|d| d.url.as_str())
        .chain(docs.actors.iter().map(|d| d.url.as_str()));
    let mut embeds = Vec::new();
    for url in urls {
        let feed = format!("{}atom.xml", url.trim_start_matches('/'));
        out.add_file(&feed, format!("the feed of `{url}`"), None, diags);
        embeds.push(format!("/embed{url}"));
    }
    embeds.push("/embed/matrix/".to_string());
    for url in embeds.into_iter().filter(|_| with_embeds) {
        out.add_page(
            &url,
            "embed.html",
            None,
            format!("the embed `{url}`"),
            None,
            diags,
        );
        let json = format!("{}oembed.json", url.trim_start_matches('/'));
        out.add_file(&json, format!("the oEmbed answer `/{json}`"), None, diags);
    }
}

fn add_docs<'a, M>(
    out: &mut Outputs<'a>,
    docs: &'a [Arc<Doc<M>>],
    bodies: &'a [Arc<Rendered>],
    template: &'a str,
    chosen: impl Fn(&'a M) -> Option<&'a str>,
    diags: &mut Vec<Diagnostic>,
) {
    for (d, body) in docs.iter().zip(bodies) {
        out.add_doc_page(d, chosen(&d.meta).unwrap_or(template), body, diags);
    }
}

impl<'a> Outputs<'a> {
    /// The pages `/as-of/<date>/` of `snapshots:`.
    fn add_snapshots(&mut self, snapshots: &[Date], diags: &mut Vec<Diagnostic>) {
        for d in snapshots {
            let shown = format!("the snapshot of {d} (`snapshots:` in site.yaml)");
            let file = Some(crate::load::config::FILE.to_string());
            self.add_page(
                &format!("/as-of/{d}/"),
                "as_of.html",
                None,
                shown,
                file,
                diags,
            );
        }
    }

    fn add_file(
        &mut self,
        path: &str,
        shown: String,
        file: Option<String>,
        diags: &mut Vec<Diagnostic>,
    ) {
        match self.files.get(path) {
            Some(first) => diags.push(clash(path, first, &Writer { shown, file })),
            None => {
                self.files.insert(path.to_string(), Writer { shown, file });
            }
        }
    }

    fn add_page(
        &mut self,
        url: &str,
        template: &'a str,
        body: Option<&'a Rendered>,
        shown: String,
        file: Option<String>,
        diags: &mut Vec<Diagnostic>,
    ) {
        let path = output_path(url);
        if !self.files.contains_key(&path) {
            self.pages
                .insert(path.clone(), PageEntry { body, template });
        }
        self.add_file(&path, shown, file, diags);
    }

    /// The page of the document `d`, written with `template`.
    fn add_doc_page<M>(
        &mut self,
        d: &Doc<M>,
        template: &'a str,
        body: &'a Rendered,
        diags: &mut Vec<Diagnostic>,
    ) {
        let shown = format!("`{}`", d.path);
        self.add_page(
            &d.url,
            template,
            Some(body),
            shown,
            Some(d.path.clone()),
            diags,
        );
    }

    /// An `_index.md`: the intro of the home page or of a built-in index page, or a
    /// folder's list page.
    fn add_index(
        &mut self,
        d: &'a Doc<crate::load::content::PageMeta>,
        body: &'a Rendered,
        diags: &mut Vec<Diagnostic>,
    ) {
        let path = output_path(&d.url);
        let built_in = d.id.is_empty() || INDEX_FOLDERS.contains(&d.id.as_str());
        match self.pages.get_mut(&path) {
            Some(page) if built_in => {
                page.body = Some(body);
                if let Some(t) = d.meta.template.as_deref() {
                    page.template = t;
                }
            }
            _ => {
                let template = d.meta.template.as_deref().unwrap_or("list.html");
                self.add_doc_page(d, template, body, diags);
            }
        }
    }

    fn add_template_ids(&mut self, theme: &'a Theme) {
        // The site's templates come after the theme's and replace them.
        let mut by_name: HashMap<&str, &str> = HashMap::new();
        for t in &theme.templates {
            by_name.insert(&t.name, &t.text);
        }
        let used: BTreeSet<&str> = self.pages.values().map(|p| p.template).collect();
        for (name, text) in by_name {
            let ids: BTreeSet<&str> = literal_ids(text).collect();
            if used.contains(name) {
                self.template_ids.insert(name, ids);
            } else {
                self.layout_ids.extend(ids);
            }
        }
    }

    /// The output a site path names: the file itself, or the page of its folder.
    fn find(&self, site_path: &str) -> Option<String> {
        let p = site_path.trim_start_matches('/');
        let candidates = if p.is_empty() || p.ends_with('/') {
            vec![format!("{p}index.html")]
        } else {
            vec![p.to_string(), format!("{p}/index.html")]
        };
        candidates.into_iter().find(|c| self.files.contains_key(c))
    }

    /// The error of the link `r` on the page at `url`, if it names nothing.
    fn check(&self, url: &str, r: &LinkRef) -> Option<Diagnostic> {
        let target = if r.path.is_empty() {
            output_path(url)
        } else {
            match self.find(&r.path) {
                Some(t) => t,
                None => return Some(self.missing(r)),
            }
        };
        let fragment = r.fragment.as_deref()?;
        let page = self.pages.get(&target)?;
        if fragment.is_empty() || fragment == "top" || self.has_id(page, fragment) {
            return None;
        }
        Some(self.missing_fragment(&target, page, fragment, r))
    }

    fn has_id(&self, page: &PageEntry, id: &str) -> bool {
        page.body.is_some_and(|b| b.anchors().any(|a| a == id))
            || self.layout_ids.contains(id)
            || self
                .template_ids
                .get(page.template)
                .is_some_and(|ids| ids.contains(id))
    }

    fn ids_of<'p>(&'p self, page: &'p PageEntry) -> impl Iterator<Item = &'p str> {
        page.body
            .into_iter()
            .flat_map(|b| b.anchors())
            .chain(
                self.template_ids
                    .get(page.template)
                    .into_iter()
                    .flatten()
                    .copied(),
            )
            .chain(self.layout_ids.iter().copied())
    }

    fn missing(&self, r: &LinkRef) -> Diagnostic {
        let help = if r.path.ends_with(".md") {
            Some("link to the page (`/actors/joe-biden/`), or to the source file by a relative path (`../actors/joe-biden.md`)".to_string())
        } else {
            let paths: Vec<String> = self.files.keys().map(|f| site_path_of(f)).collect();
            closest(&r.path, paths.iter().map(String::as_str))
                .map(|c| format!("did you mean `{c}`?"))
        };
        Diagnostic::error(format!("no page or file at `{}`", r.written))
            .label(format!("the site writes nothing at `{}`", r.path))
            .help_opt(help)
    }

    fn missing_fragment(
        &self,
        target: &str,
        page: &PageEntry,
        fragment: &str,
        r: &LinkRef,
    ) -> Diagnostic {
        let help = closest(fragment, self.ids_of(page))
            .map(|c| format!("did you mean `#{c}`?"))
            .unwrap_or_else(|| {
                "a page's ids are the ids of its headings and footnotes, and those its template writes (docs/templates.md lists them)".to_string()
            });
        Diagnostic::error(format!(
            "no id `{fragment}` on the page `{}`",
            site_path_of(target)
        ))
        .label(format!(
            "`{}` names no heading or element of that page",
            r.written
        ))
        .help(help)
    }

    /// The error of an actor `image:` that names no file the site writes.
    fn check_image(&self, image: &str) -> Option<Diagnostic> {
        if image.contains("://") || image.starts_with("//") || image.starts_with("data:") {
            return None;
        }
        let path = image
            .split(['?', '#'])
            .next()
            .unwrap_or(image)
            .trim_start_matches('/');
        if self.files.contains_key(path) {
            return None;
        }
        let files: Vec<String> = self
            .files
            .keys()
            .filter(|f| !f.ends_with(".html"))
            .map(|f| site_path_of(f))
            .collect();
        let help = closest(&format!("/{path}"), files.iter().map(String::as_str))
            .map(|c| format!("did you mean `{c}`?"))
            .unwrap_or_else(|| {
                format!("put the image at `static/{path}`, or beside the Markdown under `content/`")
            });
        Some(
            Diagnostic::error(format!("the image `{image}` does not exist"))
                .label("no static file or file under `content/` has this path")
                .help(help),
        )
    }
}

/// `actors/x/index.html` -> `/actors/x/`; `map.png` -> `/map.png`.
fn site_path_of(output: &str) -> String {
    match output.strip_suffix("index.html") {
        Some(folder) if folder.is_empty() || folder.ends_with('/') => format!("/{folder}"),
        _ => format!("/{output}"),
    }
}

/// The error for `second` written where `first` already is.
fn clash(path: &str, first: &Writer, second: &Writer) -> Diagnostic {
    let help = if first.file.is_some() && second.file.is_some() {
        "keep one of the two, or rename one"
    } else if first.shown.contains("static/") || second.shown.contains("static/") {
        "a file that replaces a static file belongs in `static/`; otherwise rename it"
    } else {
        "rename or move it: standpoint writes this path itself"
    };
    // The content file first: it is the one to rename.
    let (a, b) = if second.file.is_some() || first.file.is_none() {
        (second, first)
    } else {
        (first, second)
    };
    let d = Diagnostic::error(format!(
        "{} and {} are both written to `{path}`",
        a.shown, b.shown
    ))
    .help(help);
    match second.file.as_ref().or(first.file.as_ref()) {
        // A Markdown file is pointed at its start; other files have no lines.
        Some(file) if file.ends_with(".md") => d.in_file(file).at(0..0),
        Some(file) => d.in_file(file),
        None => d,
    }
}

/// The ids a template writes literally (`id="main"`); ids made by expressions are
/// not known before rendering.
fn literal_ids(template: &str) -> impl Iterator<Item = &str> {
    template
        .match_indices("id=")
        .filter(|(i, _)| template[..*i].ends_with(|c: char| c.is_ascii_whitespace()))
        .filter_map(move |(i, _)| {
            let rest = &template[i + 3..];
            let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
            let value = &rest[1..rest[1..].find(quote)? + 1];
            (!value.is_empty() && !value.contains(['{', '}', ' '])).then_some(value)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_and_site_paths() {
        assert_eq!(output_path("/"), "index.html");
        assert_eq!(output_path("/actors/x/"), "actors/x/index.html");
        assert_eq!(output_path("/404.html"), "404.html");
        assert_eq!(site_path_of("actors/x/index.html"), "/actors/x/");
        assert_eq!(site_path_of("index.html"), "/");
        assert_eq!(site_path_of("img/a.png"), "/img/a.png");
        assert_eq!(site_path_of("xindex.html"), "/xindex.html");
    }

    #[test]
    fn literal_ids_skip_expressions() {
        let t = r#"<main id="main"><h2 id='a-h'>x</h2><p data-id="no" id="{{ x }}" id="">"#;
        assert_eq!(literal_ids(t).collect::<Vec<_>>(), ["main", "a-h"]);
    }
}
