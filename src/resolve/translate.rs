//! Translations over one graph: checks that each translation translates a file
//! and sets words only, and makes the content of one language: the default files
//! with the words of their translations laid over them. Every data value stays
//! the default file's, so the languages cannot disagree on a fact.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::load::config::Config;
use crate::load::content::translation::{data_key_error, ActorText, QuestionText};
use crate::load::content::{
    find_key, ActorMeta, Content, Doc, EventMeta, PageMeta, QuestionMeta, Texts, Translation,
};

type Tr = Arc<Doc<Translation>>;

/// Every error of the translations of `content`: a language the site does not
/// have, no file to translate, a data key, a list of another length.
pub fn check(content: &Content, config: &Config) -> Vec<Diagnostic> {
    let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    let defaults = Defaults::of(content);
    let mut diags = Vec::new();
    for t in &content.translations {
        let lang = &t.meta.lang;
        if !codes.contains(&lang.as_str()) {
            diags.push(unknown_language(t, config, &codes));
            continue;
        }
        let Some(default) = defaults.urls.get(t.url.as_str()) else {
            if !content.drafts.contains_key(&t.id) && !content.broken.contains_key(&t.id) {
                diags.push(no_default(t, &defaults));
            }
            continue;
        };
        for (key, n) in t.meta.texts.data_keys() {
            let span = find_key(&t.text, &t.front_matter, key, n);
            diags.push(data_key_error(key, &t.path, span, default.path));
        }
        diags.extend(length_error(t, default));
    }
    diags
}

/// The default file a translation may translate, by its page's site path.
struct Default<'a> {
    path: &'a str,
    /// Its stances (an actor) or positions (a question).
    items: usize,
}

struct Defaults<'a> {
    urls: HashMap<&'a str, Default<'a>>,
}

impl<'a> Defaults<'a> {
    fn of(content: &'a Content) -> Defaults<'a> {
        let mut urls = HashMap::new();
        let mut add = |url: &'a str, path: &'a str, items: usize| {
            urls.insert(url, Default { path, items });
        };
        content
            .actors
            .iter()
            .for_each(|d| add(&d.url, &d.path, d.meta.stances.len()));
        content
            .questions
            .iter()
            .for_each(|d| add(&d.url, &d.path, d.meta.positions.len()));
        content.events.iter().for_each(|d| add(&d.url, &d.path, 0));
        content.pages.iter().for_each(|d| add(&d.url, &d.path, 0));
        content.indexes.iter().for_each(|d| add(&d.url, &d.path, 0));
        Defaults { urls }
    }
}

fn unknown_language(t: &Tr, config: &Config, codes: &[&str]) -> Diagnostic {
    let lang = &t.meta.lang;
    let d = Diagnostic::error(format!("`{lang}` is not a language of this site"))
        .in_file(&t.path)
        .at(0..0)
        .label(format!("the name of this file says it is in `{lang}`"));
    let hint = if codes.is_empty() {
        format!(
            "add `{lang}` under `languages:` in site.yaml (the default language is `{}`)",
            config.language
        )
    } else {
        let listed: Vec<String> = codes.iter().map(|c| format!("`{c}`")).collect();
        format!(
            "this site's other languages are {}: add `{lang}` under `languages:` in site.yaml, or rename the file",
            listed.join(", ")
        )
    };
    d.help(hint)
}

fn no_default(t: &Tr, defaults: &Defaults) -> Diagnostic {
    let wanted = format!("{}.md", t.path.rsplitn(3, '.').nth(2).unwrap_or(&t.path));
    let d = Diagnostic::error(format!(
        "`{}` translates `{wanted}`, which does not exist",
        t.path
    ))
    .in_file(&t.path)
    .at(0..0)
    .label("a translation sits beside the file it translates");
    let siblings = defaults.urls.values().map(|d| d.path);
    match did_you_mean(&wanted, siblings) {
        Some(hint) => d.help(format!("{hint} name the translation after it")),
        None => d.help(format!(
            "create `{wanted}` in the default language first: it holds the data every language shares"
        )),
    }
}

/// The error for a stance or position list whose length is not the default file's.
fn length_error(t: &Tr, default: &Default) -> Option<Diagnostic> {
    let (key, what, given) = match &t.meta.texts {
        Texts::Actor(ActorText {
            stances: Some(s), ..
        }) => ("stances", "stance", s.len()),
        Texts::Question(QuestionText {
            positions: Some(p), ..
        }) => ("positions", "position", p.len()),
        _ => return None,
    };
    (given != default.items).then(|| {
        let plural = |n: usize| if n == 1 { what.to_string() } else { format!("{what}s") };
        Diagnostic::error(format!(
            "this translation lists {given} {}; `{}` has {}",
            plural(given),
            default.path,
            default.items
        ))
        .in_file(&t.path)
        .at_opt(find_key(&t.text, &t.front_matter, key, 0))
        .label(format!("{what}s are matched by their place in the list"))
        .help(format!(
            "give one entry per {what} of the default file, in its order (`- {{}}` keeps one in the default's words)"
        ))
    })
}

/// The content of language `lang`: each file with a translation in `lang` takes
/// its words and body; the others keep their words but no body (their pages are
/// not written in `lang`; their names still show in lists and tables).
pub fn content_in(content: &Content, lang: &str) -> Content {
    let by_url: HashMap<&str, &Tr> = content
        .translations
        .iter()
        .filter(|t| t.meta.lang == lang)
        .map(|t| (t.url.as_str(), t))
        .collect();
    let find = |url: &str| by_url.get(url).copied();
    Content {
        actors: content
            .actors
            .iter()
            .map(|d| lay(d, find(&d.url), actor))
            .collect(),
        questions: content
            .questions
            .iter()
            .map(|d| lay(d, find(&d.url), question))
            .collect(),
        events: content
            .events
            .iter()
            .map(|d| lay(d, find(&d.url), event))
            .collect(),
        pages: content
            .pages
            .iter()
            .map(|d| lay(d, find(&d.url), page))
            .collect(),
        indexes: content
            .indexes
            .iter()
            .map(|d| lay(d, find(&d.url), page))
            .collect(),
        translations: Vec::new(),
        assets: content.assets.clone(),
        drafts: content.drafts.clone(),
        broken: content.broken.clone(),
    }
}

/// The site paths of the pages `lang` does not write: entities without a
/// translation in it. Folder lists and the home page are written in every language.
pub fn untranslated(content: &Content, lang: &str) -> HashSet<String> {
    let translated: HashSet<&str> = content
        .translations
        .iter()
        .filter(|t| t.meta.lang == lang)
        .map(|t| t.url.as_str())
        .collect();
    let urls = content
        .actors
        .iter()
        .map(|d| &d.url)
        .chain(content.questions.iter().map(|d| &d.url))
        .chain(content.events.iter().map(|d| &d.url))
        .chain(content.pages.iter().map(|d| &d.url));
    urls.filter(|u| !translated.contains(u.as_str()))
        .cloned()
        .collect()
}

/// `d` in another language: with `t`'s words, text and body, or with no body.
fn lay<M: Clone>(d: &Arc<Doc<M>>, t: Option<&Tr>, words: fn(&mut M, &Texts)) -> Arc<Doc<M>> {
    let mut doc = (**d).clone();
    match t {
        Some(t) => {
            words(&mut doc.meta, &t.meta.texts);
            doc.path = t.path.clone();
            doc.text = t.text.clone();
            doc.front_matter = t.front_matter.clone();
            doc.body = t.body.clone();
            doc.row = None;
        }
        None => doc.body = doc.body.end..doc.body.end,
    }
    Arc::new(doc)
}

fn set(field: &mut String, value: &Option<String>) {
    if let Some(v) = value {
        field.clone_from(v);
    }
}

fn set_opt(field: &mut Option<String>, value: &Option<String>) {
    if value.is_some() {
        field.clone_from(value);
    }
}

fn actor(meta: &mut ActorMeta, texts: &Texts) {
    let Texts::Actor(t) = texts else { return };
    set(&mut meta.name, &t.name);
    set_opt(&mut meta.role, &t.role);
    set_opt(&mut meta.summary, &t.summary);
    if let Some(aliases) = &t.aliases {
        meta.aliases.clone_from(aliases);
    }
    for (s, w) in meta.stances.iter_mut().zip(t.stances.iter().flatten()) {
        set_opt(&mut s.summary, &w.summary);
        set_opt(&mut s.quote, &w.quote);
    }
}

fn question(meta: &mut QuestionMeta, texts: &Texts) {
    let Texts::Question(t) = texts else { return };
    set(&mut meta.title, &t.title);
    set(&mut meta.question, &t.question);
    set_opt(&mut meta.summary, &t.summary);
    for (p, w) in meta.positions.iter_mut().zip(t.positions.iter().flatten()) {
        set(&mut p.label, &w.label);
        set_opt(&mut p.description, &w.description);
    }
}

fn event(meta: &mut EventMeta, texts: &Texts) {
    let Texts::Event(t) = texts else { return };
    set(&mut meta.title, &t.title);
    set_opt(&mut meta.place, &t.place);
    set_opt(&mut meta.summary, &t.summary);
}

fn page(meta: &mut PageMeta, texts: &Texts) {
    let Texts::Page(t) = texts else { return };
    set_opt(&mut meta.title, &t.title);
    set_opt(&mut meta.summary, &t.summary);
}
