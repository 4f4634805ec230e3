//! The template engine of a build: Tera with the theme's templates behind the
//! site's, the globals every page sees (`site`, `nav`, `serve`), the functions and
//! filters templates call, and the tracker of what each page read through them.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use tera::{Kwargs, State, Tera, Value};

use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::load::i18n::{self, Words};
use crate::load::theme::Theme;
use crate::render::errors::template_errors;
use crate::render::values::{json, opt_str, Obj, SiteValues};
use crate::render::{PageReads, SharedReads};
use crate::resolve::Site;

/// Prefix under which the theme's templates are registered, behind the site's.
pub(super) const THEME_PREFIX: &str = "theme/";

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
    register_words(&mut tera, site.words.clone());
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
    // Pages are reused while these globals' sources are the same: see [`SharedInputs`].
    tera.global_context().insert_value("site", site_value(site));
    tera.global_context().insert_value("nav", nav(site));
    tera.global_context()
        .insert_value("serve", Value::from(serve));
    Ok(tera)
}

/// `rtl` for languages written right to left, none otherwise (the `dir` of `<html>`).
fn text_direction(language: &str) -> Value {
    let primary = language.split(['-', '_']).next().unwrap_or("");
    match primary.to_ascii_lowercase().as_str() {
        "ar" | "he" | "fa" | "ur" | "yi" => Value::from("rtl"),
        _ => Value::none(),
    }
}

/// The site's configuration as the `site` global.
fn site_value(site: &Site) -> Value {
    let config = &site.config;
    Obj::new()
        .set("title", config.title.as_str())
        .set("base_url", config.base_url.as_str())
        .set("base_path", config.base_path.as_str())
        .set("description", opt_str(&config.description))
        .set("language", config.language.as_str())
        .set("dir", text_direction(&config.language))
        .set("theme", config.theme.as_str())
        .set(
            "autolink",
            match config.autolink {
                crate::load::config::Autolink::First => "first",
                crate::load::config::Autolink::All => "all",
                crate::load::config::Autolink::None => "none",
            },
        )
        .set("search", config.search)
        .set("extra", json(&config.extra))
        .build()
}

thread_local! {
    /// What the page being rendered read through functions.
    static READS: std::cell::RefCell<PageReads> = std::cell::RefCell::new(PageReads::default());
}

/// Starts noting what the page about to be rendered on this thread reads.
pub(super) fn begin_reads() {
    READS.with(|r| {
        *r.borrow_mut() = PageReads {
            shared: SharedReads::Cards(BTreeSet::new()),
            assets: Vec::new(),
        }
    });
}

/// What the page just rendered on this thread read.
pub(super) fn take_reads() -> PageReads {
    READS.with(|r| std::mem::take(&mut *r.borrow_mut()))
}

/// Runs `render` noting apart what it reads, and adds that to the page's reads
/// too: the reads of one embed, kept with its HTML for the pages that reuse it.
pub(super) fn reads_of<T>(render: impl FnOnce() -> T) -> (T, PageReads) {
    let before = READS.with(|r| {
        std::mem::replace(
            &mut *r.borrow_mut(),
            PageReads {
                shared: SharedReads::Cards(BTreeSet::new()),
                assets: Vec::new(),
            },
        )
    });
    let out = render();
    let own = READS.with(|r| std::mem::replace(&mut *r.borrow_mut(), before));
    note_reads(&own);
    (out, own)
}

/// Adds `reads` to what the page being rendered read.
pub(super) fn note_reads(reads: &PageReads) {
    READS.with(|r| {
        let mut page = r.borrow_mut();
        page.assets.extend(reads.assets.iter().cloned());
        match (&mut page.shared, &reads.shared) {
            (SharedReads::Everything, _) | (_, SharedReads::Nothing) => {}
            (shared, SharedReads::Everything) => *shared = SharedReads::Everything,
            (SharedReads::Cards(ids), SharedReads::Cards(more)) => ids.extend(more.iter().cloned()),
            (shared @ SharedReads::Nothing, more) => *shared = more.clone(),
        }
    });
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
    register_lookups(tera, shared.clone(), assets);
    register_lists(tera, shared);
}

/// The `id` argument of `function`.
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

/// `function` was called with an id no entity has.
fn unknown(shared: &SiteValues, function: &str, id: &str) -> tera::Error {
    let hint = did_you_mean(id, shared.urls.keys().map(String::as_str))
        .map(|h| format!(": {h}"))
        .unwrap_or_default();
    tera::Error::message(format!("{function}(): unknown id `{id}`{hint}"))
}

/// The functions that look one thing up: `url_for`, `entity`, `asset_url`.
fn register_lookups(
    tera: &mut Tera,
    shared: Arc<SiteValues>,
    assets: Arc<BTreeMap<String, String>>,
) {
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
    let s = shared;
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
}

/// The functions that read all the shared values: `matrix`, `timeline`, `actors`,
/// `questions`, `events`.
fn register_lists(tera: &mut Tera, shared: Arc<SiteValues>) {
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

/// `t(key=..., n=...)`: the theme's word `key` in the page's language, in the plural
/// form for `n`, with each `{name}` filled from the argument of that name (`{n}`
/// too), as HTML. `t_forms(key=...)`: every plural form the language uses, as `{form, text}`,
/// for scripts that count on the reader's side (`Intl.PluralRules`).
fn register_words(tera: &mut Tera, words: Arc<Words>) {
    let w = words.clone();
    tera.register_function(
        "t",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
            let key: &str = kwargs.must_get("key")?;
            let n: Option<i64> = kwargs.get("n")?;
            let text = w.pick(key, n).ok_or_else(|| unknown_word(&w, "t", key))?;
            // The word is text; an argument may be HTML already (a component's
            // `<time>`): each is escaped on its own, and the whole is safe.
            let html = i18n::fill(&crate::escape::html(text), |name| {
                let v = kwargs.iter().find(|(k, _)| k.as_str() == Some(name))?.1;
                let shown = v.as_str().map_or_else(|| v.to_string(), str::to_string);
                Some(if v.is_safe() {
                    shown
                } else {
                    crate::escape::html(&shown)
                })
            });
            Ok(Value::safe_string(&html))
        },
    );
    tera.register_function(
        "t_forms",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
            let key: &str = kwargs.must_get("key")?;
            let forms = words
                .forms(key)
                .ok_or_else(|| unknown_word(&words, "t_forms", key))?;
            Ok(Value::from(
                forms
                    .into_iter()
                    .map(|(form, text)| {
                        Obj::new()
                            .set("form", form.name())
                            .set("text", text)
                            .build()
                    })
                    .collect::<Vec<_>>(),
            ))
        },
    );
}

fn unknown_word(words: &Words, function: &str, key: &str) -> tera::Error {
    let hint = did_you_mean(key, words.keys())
        .map(|h| format!(": {h}"))
        .unwrap_or_else(|| format!(": the theme's words are in `i18n/{}.yaml`", words.lang()));
    tera::Error::message(format!("{function}(): the theme has no word `{key}`{hint}"))
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
    let words = &site.words;
    let mut items: Vec<Value> = ["actors", "questions", "timeline"]
        .into_iter()
        .map(|folder| {
            Obj::new()
                .set("title", words.text(folder, None))
                .set("url", format!("/{folder}/"))
                .build()
        })
        .collect();
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
