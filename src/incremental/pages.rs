//! Rendered pages kept between builds ([`RenderMemo`], the render stage's
//! [`PageReuse`]).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use tera::Value;

use crate::incremental::share::{intern, Interned};
use crate::render::values::{same, SiteValues};
use crate::render::{
    drop_in_background, PageReads, PageRecord, PageReuse, SharedInputs, SharedReads,
};

/// Rendered pages by URL. A page renders the same when its template and its values
/// are the same, so is everything all pages share (the templates, the site's
/// configuration, the navigation), and so is what its templates read through
/// functions: the cards and URLs of the entities it asked `entity()` and
/// `url_for()` for, or, after `matrix()`, `timeline()` and the lists, all of them.
///
/// A static file's URL carries its content hash, so an edited stylesheet changes
/// every page that links to it, and only in those URLs: such a page takes the new
/// URLs into its kept HTML instead of rendering again (`with_new_assets`).
#[derive(Default)]
pub struct RenderMemo {
    shared: Option<SharedInputs>,
    /// Whether this build's shared values equal the last build's.
    values_same: bool,
    /// Ids whose card or URL differs from the last build's.
    changed_ids: HashSet<String>,
    /// Static files whose URL differs from the last build's: (old URL, new URL).
    changed_assets: HashMap<String, (String, String)>,
    pages: HashMap<String, MemoPage>,
}

struct MemoPage {
    template: String,
    page: Value,
    html: Arc<str>,
    reads: PageReads,
}

impl SharedInputs {
    /// Everything but the shared values and the static files' URLs, which pages
    /// read through functions.
    fn same_frame(&self, other: &SharedInputs) -> bool {
        self.templates == other.templates
            && self.words == other.words
            && self.config == other.config
            && self.serve == other.serve
            && same(&self.nav, &other.nav)
    }
}

/// The static files whose URL differs between `old` and `new`, or is in only one.
fn changed_assets(
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
) -> HashMap<String, (String, String)> {
    let mut changed = HashMap::new();
    for (path, url) in new {
        match old.get(path) {
            Some(o) if o == url => {}
            o => {
                let o = o.cloned().unwrap_or_default();
                changed.insert(path.clone(), (o, url.clone()));
            }
        }
    }
    for (path, url) in old {
        if !new.contains_key(path) {
            changed.insert(path.clone(), (url.clone(), String::new()));
        }
    }
    changed
}

/// `html` with the new URLs of the changed static files it links to, when each old
/// URL appears exactly as often as the page asked for it (so every occurrence is
/// one the template wrote); `None` when the page must render again.
fn with_new_assets(
    html: &str,
    assets: &[String],
    changed: &HashMap<String, (String, String)>,
) -> Option<Arc<str>> {
    let mut calls: BTreeMap<&str, usize> = BTreeMap::new();
    for path in assets.iter().filter(|p| changed.contains_key(*p)) {
        *calls.entry(path).or_default() += 1;
    }
    let mut out = html.to_string();
    for (path, count) in calls {
        let (old, new) = &changed[path];
        // Pages link to static files by relative URLs: `../../style.css?h=…`.
        let (old, new) = (old.trim_start_matches('/'), new.trim_start_matches('/'));
        if old.is_empty() || new.is_empty() || out.matches(old).count() != count {
            return None;
        }
        out = out.replace(old, new);
    }
    Some(Arc::from(out))
}

impl PageReuse for RenderMemo {
    fn previous_values(&self) -> Option<Arc<SiteValues>> {
        self.shared.as_ref().map(|s| s.values.clone())
    }

    /// Forgets every page if anything all pages depend on changed. Returns the
    /// shared values to render with: the last build's where they are the same.
    fn begin(&mut self, shared: SharedInputs) -> Arc<SiteValues> {
        let Some(old) = self.shared.take().filter(|old| old.same_frame(&shared)) else {
            self.pages.clear();
            self.values_same = false;
            self.changed_ids.clear();
            self.changed_assets.clear();
            let values = shared.values.clone();
            self.shared = Some(shared);
            return values;
        };
        let SharedInputs {
            templates,
            words,
            config,
            nav,
            values,
            assets,
            serve,
        } = shared;
        // The caller made `values` for this build: it is not shared, so no copy.
        let Interned {
            values: new,
            all_same,
            changed_ids,
        } = intern(&old.values, Arc::unwrap_or_clone(values));
        let values = if all_same {
            old.values.clone()
        } else {
            Arc::new(new)
        };
        self.values_same = all_same;
        self.changed_ids = changed_ids;
        self.changed_assets = changed_assets(&old.assets, &assets);
        self.shared = Some(SharedInputs {
            templates,
            words,
            config,
            nav,
            values: values.clone(),
            assets,
            serve,
        });
        values
    }

    fn reuse(&self, url: &str, template: &str, page: &Value) -> Option<Arc<str>> {
        let memo = self.pages.get(url)?;
        let reads_same = self.values_same
            || match &memo.reads.shared {
                SharedReads::Nothing => true,
                SharedReads::Cards(ids) => ids.iter().all(|id| !self.changed_ids.contains(id)),
                SharedReads::Everything => false,
            };
        if memo.template != template || !reads_same || !same(&memo.page, page) {
            return None;
        }
        let assets = &memo.reads.assets;
        if assets.iter().all(|p| !self.changed_assets.contains_key(p)) {
            return Some(memo.html.clone());
        }
        with_new_assets(&memo.html, assets, &self.changed_assets)
    }

    fn keep(&mut self, pages: Vec<PageRecord>) {
        let all_known = pages.iter().all(|p| self.pages.contains_key(&p.url));
        if !all_known || self.pages.len() != pages.len() {
            let urls: HashSet<&str> = pages.iter().map(|p| p.url.as_str()).collect();
            self.pages.retain(|url, _| urls.contains(url.as_str()));
        }
        let mut unused = Vec::with_capacity(pages.len());
        for record in pages {
            match record.reads {
                Some(_) => self.update(record),
                // Reused: the memo holds an equal page value already, and the
                // HTML, unless static files' URLs were taken into it.
                None => {
                    if let Some(memo) = self.pages.get_mut(&record.url) {
                        if !Arc::ptr_eq(&memo.html, &record.html) {
                            memo.html = record.html.clone();
                        }
                    }
                    unused.push(record);
                }
            }
        }
        drop_in_background(unused);
    }
}

impl RenderMemo {
    /// Takes the static files' new URLs into every kept page that links to one that
    /// changed; returns those pages' new HTML by URL. `None` (and nothing changed)
    /// when the set of static files differs, or a page must render again.
    pub fn take_new_assets(
        &mut self,
        assets: Arc<BTreeMap<String, String>>,
    ) -> Option<Vec<(String, Arc<str>)>> {
        use rayon::prelude::*;
        let shared = self.shared.as_mut()?;
        if !shared.assets.keys().eq(assets.keys()) {
            return None;
        }
        let changed = changed_assets(&shared.assets, &assets);
        let updated: Vec<(String, Arc<str>)> = self
            .pages
            .par_iter()
            .filter(|(_, memo)| memo.reads.assets.iter().any(|p| changed.contains_key(p)))
            .map(|(url, memo)| {
                with_new_assets(&memo.html, &memo.reads.assets, &changed).map(|h| (url.clone(), h))
            })
            .collect::<Option<_>>()?;
        for (url, html) in &updated {
            if let Some(memo) = self.pages.get_mut(url) {
                memo.html = html.clone();
            }
        }
        shared.assets = assets;
        Some(updated)
    }

    /// Records one page rendered with what it read.
    pub fn update(&mut self, record: PageRecord) {
        let PageRecord {
            url,
            template,
            page,
            html,
            reads,
        } = record;
        let memo = MemoPage {
            template,
            page,
            html,
            reads: reads.unwrap_or_default(),
        };
        self.pages.insert(url, memo);
    }
}

impl std::fmt::Debug for RenderMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RenderMemo")
            .field("pages", &self.pages.len())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(entries: &[(&str, &str)]) -> BTreeMap<String, String> {
        entries
            .iter()
            .map(|(p, u)| (p.to_string(), u.to_string()))
            .collect()
    }

    #[test]
    fn changed_assets_cover_edits_additions_and_removals() {
        let old = urls(&[
            ("a.css", "/a.css?h=1"),
            ("b.js", "/b.js?h=2"),
            ("c.svg", "/c.svg?h=3"),
        ]);
        let new = urls(&[
            ("a.css", "/a.css?h=9"),
            ("b.js", "/b.js?h=2"),
            ("d.png", "/d.png?h=4"),
        ]);
        let changed = changed_assets(&old, &new);
        assert_eq!(changed["a.css"], ("/a.css?h=1".into(), "/a.css?h=9".into()));
        assert_eq!(changed["c.svg"], ("/c.svg?h=3".into(), String::new()));
        assert_eq!(changed["d.png"], (String::new(), "/d.png?h=4".into()));
        assert!(!changed.contains_key("b.js"));
    }

    #[test]
    fn a_page_takes_new_asset_urls_only_where_its_template_wrote_them() {
        let changed: HashMap<String, (String, String)> = [(
            "a.css".to_string(),
            ("/a.css?h=1".to_string(), "/a.css?h=9".to_string()),
        )]
        .into();
        let html = r#"<link href="../a.css?h=1"><p>x</p>"#;
        let read = vec!["a.css".to_string(), "b.js".to_string()];
        assert_eq!(
            with_new_assets(html, &read, &changed).as_deref(),
            Some(r#"<link href="../a.css?h=9"><p>x</p>"#)
        );
        // The old URL once more in the text than the page asked for it: the page
        // may quote it, so it renders again.
        let quoted = r#"<link href="../a.css?h=1"><code>a.css?h=1</code>"#;
        assert_eq!(with_new_assets(quoted, &read, &changed), None);
        // Asked for twice, written twice.
        let twice = r#"<link href="a.css?h=1"><link href="a.css?h=1">"#;
        let read_twice = vec!["a.css".to_string(), "a.css".to_string()];
        assert_eq!(
            with_new_assets(twice, &read_twice, &changed).as_deref(),
            Some(r#"<link href="a.css?h=9"><link href="a.css?h=9">"#)
        );
        // A file gone: the page must render again (and fail there).
        let gone: HashMap<String, (String, String)> = [(
            "a.css".to_string(),
            ("/a.css?h=1".to_string(), String::new()),
        )]
        .into();
        assert_eq!(with_new_assets(html, &read, &gone), None);
    }

    /// The shared values of a small site.
    fn values() -> SiteValues {
        let tree = crate::incremental::tests::tree(&[
            ("site.yaml", "title: T\nbase_url: https://example.org/\n"),
            ("content/_index.md", "---\ntitle: Home\n---\n"),
        ]);
        let options = crate::pipeline::BuildOptions::default();
        let built = crate::pipeline::build(&tree, &options, crate::pipeline::Reuse::none());
        let parts = built.parts.expect("the site builds");
        Arc::unwrap_or_clone(parts.rendered.values)
    }

    fn inputs(values: SiteValues, assets: &[(&str, &str)], config: &str) -> SharedInputs {
        SharedInputs {
            templates: vec![("page.html".into(), false, Arc::from("{{ page.title }}"))],
            words: Arc::default(),
            config: serde_json::json!({ "title": config }),
            nav: Value::from(Vec::<Value>::new()),
            values: Arc::new(values),
            assets: Arc::new(urls(assets)),
            serve: true,
        }
    }

    fn record(url: &str, page: &Value, html: &str, reads: Option<PageReads>) -> PageRecord {
        PageRecord {
            url: url.into(),
            template: "page.html".into(),
            page: page.clone(),
            html: Arc::from(html),
            reads,
        }
    }

    #[test]
    fn pages_are_reused_until_what_they_read_changes() {
        let mut memo = RenderMemo::default();
        let page = Value::from("the page");
        let reads = PageReads {
            shared: SharedReads::Cards(Default::default()),
            assets: vec!["a.css".into()],
        };
        memo.begin(inputs(values(), &[("a.css", "/a.css?h=1")], "T"));
        assert!(memo.reuse("/x/", "page.html", &page).is_none());
        memo.keep(vec![record(
            "/x/",
            &page,
            "<a href=\"a.css?h=1\">",
            Some(reads),
        )]);

        // Nothing changed: the kept HTML, the very same bytes.
        memo.begin(inputs(values(), &[("a.css", "/a.css?h=1")], "T"));
        let kept = memo.reuse("/x/", "page.html", &page).expect("reused");
        assert_eq!(&*kept, "<a href=\"a.css?h=1\">");
        // Another template or other values: rendered again.
        assert!(memo.reuse("/x/", "other.html", &page).is_none());
        assert!(memo
            .reuse("/x/", "page.html", &Value::from("edited"))
            .is_none());
        memo.keep(vec![record("/x/", &page, &kept, None)]);

        // The stylesheet changed: the new URL, taken into the kept HTML and kept.
        memo.begin(inputs(values(), &[("a.css", "/a.css?h=2")], "T"));
        let patched = memo.reuse("/x/", "page.html", &page).expect("patched");
        assert_eq!(&*patched, "<a href=\"a.css?h=2\">");
        memo.keep(vec![record("/x/", &page, &patched, None)]);
        memo.begin(inputs(values(), &[("a.css", "/a.css?h=2")], "T"));
        assert_eq!(
            memo.reuse("/x/", "page.html", &page).as_deref(),
            Some("<a href=\"a.css?h=2\">")
        );

        // The configuration all pages share changed: every page is forgotten.
        memo.begin(inputs(values(), &[("a.css", "/a.css?h=2")], "U"));
        assert!(memo.reuse("/x/", "page.html", &page).is_none());
    }

    #[test]
    fn pages_not_in_a_build_are_forgotten() {
        let mut memo = RenderMemo::default();
        let page = Value::from("p");
        memo.begin(inputs(values(), &[], "T"));
        memo.keep(vec![
            record("/a/", &page, "a", Some(PageReads::default())),
            record("/b/", &page, "b", Some(PageReads::default())),
        ]);
        memo.begin(inputs(values(), &[], "T"));
        memo.keep(vec![record("/a/", &page, "a", None)]);
        memo.begin(inputs(values(), &[], "T"));
        assert!(memo.reuse("/a/", "page.html", &page).is_some());
        assert!(memo.reuse("/b/", "page.html", &page).is_none());
    }
}
