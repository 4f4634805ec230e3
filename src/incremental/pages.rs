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
/// URLs into its kept HTML instead of rendering again (see [`with_new_assets`]).
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
