//! The theme's words: `i18n/<lang>.yaml` of the theme, under the site's own
//! `i18n/<lang>.yaml`, merged into one [`Words`] per language of the site. English
//! is the fallback of every language, and its keys are the ones a theme has.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::load::config::Config;

mod plural;

pub use plural::{category, needed, Plural};

/// One `i18n/<lang>.yaml` file, as loaded with the theme.
#[derive(Debug, Clone)]
pub struct WordsFile {
    /// The file's stem: `en`, `fr`, `fr-CA`.
    pub lang: String,
    /// Its name in messages: `i18n/fr.yaml`, `(default theme) i18n/fr.yaml`.
    pub shown: String,
    pub text: Arc<str>,
    /// True for the site's `i18n/`, false for the theme's.
    pub from_site: bool,
}

/// One entry: a text, or its plural forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Word {
    Text(String),
    Forms(BTreeMap<Plural, String>),
}

/// The words of one language, English where it has none.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Words {
    lang: String,
    entries: BTreeMap<String, Word>,
}

impl Words {
    pub fn lang(&self) -> &str {
        &self.lang
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// The text of `key` for the count `n` (its plural form), `None` for an unknown key.
    pub fn pick(&self, key: &str, n: Option<i64>) -> Option<&str> {
        let wanted = n.map_or(Plural::Other, |n| category(&self.lang, n.unsigned_abs()));
        self.form(key, wanted)
    }

    /// The text of `key` with `{n}` filled in; the key itself when the theme has no
    /// such word (for the few words the generator writes itself: titles, navigation).
    pub fn text(&self, key: &str, n: Option<i64>) -> String {
        match self.pick(key, n) {
            Some(text) => fill(text, |name| {
                (name == "n").then(|| n.unwrap_or(0).to_string())
            }),
            None => key.to_string(),
        }
    }

    /// Every form of `key` the language uses, for scripts to choose from with
    /// `Intl.PluralRules`: a text alone is its `other` form.
    pub fn forms(&self, key: &str) -> Option<Vec<(Plural, &str)>> {
        match self.entries.get(key)? {
            Word::Text(text) => Some(vec![(Plural::Other, text.as_str())]),
            Word::Forms(_) => {
                let mut forms: Vec<(Plural, &str)> = needed(&self.lang)
                    .iter()
                    .filter_map(|&p| Some((p, self.form(key, p)?)))
                    .collect();
                forms.dedup();
                Some(forms)
            }
        }
    }

    /// The `form` of `key`: its `other` form (or any) when it has not that one, and
    /// a text alone for every form.
    fn form(&self, key: &str, form: Plural) -> Option<&str> {
        match self.entries.get(key)? {
            Word::Text(text) => Some(text),
            Word::Forms(forms) => forms
                .get(&form)
                .or_else(|| forms.get(&Plural::Other))
                .or_else(|| forms.values().next())
                .map(String::as_str),
        }
    }
}

/// `text` with each `{name}` replaced by `value(name)`; unknown names stay as written.
pub fn fill(text: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').map(|close| (&after[..close], close)) {
            Some((name, close)) if is_name(name) => {
                match value(name) {
                    Some(v) => out.push_str(&v),
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// The words of every language of the site (its `language` and `languages:`).
pub fn for_site(
    files: &[WordsFile],
    config: &Config,
) -> (BTreeMap<String, Arc<Words>>, Vec<Diagnostic>) {
    let mut all = BTreeMap::new();
    let mut diagnostics = Vec::new();
    let parsed: Vec<Parsed> = files.iter().map(|f| parse(f, &mut diagnostics)).collect();
    let theme_en = parsed
        .iter()
        .find(|p| !p.file.from_site && p.file.lang.eq_ignore_ascii_case("en"));
    diagnostics.extend(unknown_keys(&parsed, theme_en));
    let langs = std::iter::once(config.language.as_str())
        .chain(config.languages.iter().map(|l| l.code.as_str()));
    for lang in langs {
        let (words, mut found) = merge(&parsed, lang);
        diagnostics.append(&mut found);
        all.insert(lang.to_string(), Arc::new(words));
    }
    (all, diagnostics)
}

/// One file's entries, each with the place of its key.
struct Parsed<'a> {
    file: &'a WordsFile,
    entries: BTreeMap<String, (Word, Range<usize>)>,
}

/// A file's entries; what cannot be read is an error at its place.
fn parse<'a>(file: &'a WordsFile, diagnostics: &mut Vec<Diagnostic>) -> Parsed<'a> {
    let mut entries = BTreeMap::new();
    let map: serde_yaml::Mapping = match serde_yaml::from_str(&file.text) {
        Ok(serde_yaml::Value::Null) => serde_yaml::Mapping::new(),
        Ok(serde_yaml::Value::Mapping(map)) => map,
        Ok(_) => {
            diagnostics.push(
                Diagnostic::error("a words file must be a mapping of keys to texts")
                    .in_file(&file.shown)
                    .at(0..file.text.len().min(1))
                    .help("write one `key: \"text\"` a line, e.g. `actors: \"Actors\"`"),
            );
            serde_yaml::Mapping::new()
        }
        Err(e) => {
            let at = e.location().map_or(0, |l| l.index()).min(file.text.len());
            let why = e.to_string();
            let why = why
                .split(" at line ")
                .next()
                .unwrap_or_default()
                .to_string();
            diagnostics.push(
                Diagnostic::error("this words file is not valid YAML")
                    .in_file(&file.shown)
                    .at(at..at)
                    .label(why),
            );
            serde_yaml::Mapping::new()
        }
    };
    for (key, value) in map {
        let Some(key) = key.as_str().map(str::to_string) else {
            continue;
        };
        let span = key_span(&file.text, &key);
        match word(&value) {
            Ok(w) => {
                entries.insert(key, (w, span));
            }
            Err(why) => diagnostics.push(
                Diagnostic::error(format!("the word `{key}` {why}"))
                    .in_file(&file.shown)
                    .at(span)
                    .help("a word is a text, or its plural forms: `{one: \"{n} actor\", other: \"{n} actors\"}`"),
            ),
        }
    }
    Parsed { file, entries }
}

/// The word a YAML value gives, or why it gives none.
fn word(value: &serde_yaml::Value) -> Result<Word, String> {
    match value {
        serde_yaml::Value::String(s) => Ok(Word::Text(s.clone())),
        serde_yaml::Value::Mapping(map) => {
            let mut forms = BTreeMap::new();
            for (k, v) in map {
                let name = k.as_str().unwrap_or("");
                let form = Plural::named(name).ok_or_else(|| {
                    format!("has the plural form `{name}`; forms are zero, one, two, few, many and other")
                })?;
                let text = v
                    .as_str()
                    .ok_or_else(|| format!("has a `{name}` form that is not text"))?;
                forms.insert(form, text.to_string());
            }
            if forms.is_empty() {
                return Err("has no forms".into());
            }
            Ok(Word::Forms(forms))
        }
        _ => Err("must be text (put it in quotes)".into()),
    }
}

/// The span of `key:` at the start of a line of `text` (quoted or not).
fn key_span(text: &str, key: &str) -> Range<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_start_matches(['"', '\'']);
        if bare.starts_with(key)
            && bare[key.len()..]
                .trim_start_matches(['"', '\''])
                .starts_with(':')
        {
            let start = offset + (line.len() - bare.len());
            return start..start + key.len();
        }
        offset += line.len();
    }
    0..0
}

/// The words of `lang`: the theme's English, the site's English, then the theme's
/// and the site's words of the language (its primary subtag's first: `fr` before
/// `fr-CA`), each over the one before. Warns of keys it has no words for.
fn merge(parsed: &[Parsed], lang: &str) -> (Words, Vec<Diagnostic>) {
    let primary = lang.split(['-', '_']).next().unwrap_or(lang);
    let base = files_of(parsed, &["en"]);
    let mut codes: Vec<&str> = vec![primary, lang];
    codes.retain(|c| !c.eq_ignore_ascii_case("en"));
    codes.dedup();
    let own = files_of(parsed, &codes);
    let mut entries = BTreeMap::new();
    for p in base.iter().chain(&own) {
        for (k, (w, _)) in &p.entries {
            entries.insert(k.clone(), w.clone());
        }
    }
    let mut diagnostics = Vec::new();
    if !primary.eq_ignore_ascii_case("en") {
        diagnostics.extend(missing(&base, &own, lang));
    }
    let words = Words {
        lang: lang.to_string(),
        entries,
    };
    (words, diagnostics)
}

/// The files of `codes`, the theme's before the site's, in the order of `codes`
/// within each.
fn files_of<'a, 'f>(parsed: &'a [Parsed<'f>], codes: &[&str]) -> Vec<&'a Parsed<'f>> {
    [false, true]
        .into_iter()
        .flat_map(|site| {
            codes.iter().flat_map(move |code| {
                parsed.iter().filter(move |p| {
                    p.file.from_site == site && p.file.lang.eq_ignore_ascii_case(code)
                })
            })
        })
        .collect()
}

/// Keys of the site's files that the theme's English does not have: a typo, most
/// likely. Nothing to compare with when the theme has no English words.
fn unknown_keys(parsed: &[Parsed], theme_en: Option<&Parsed>) -> Vec<Diagnostic> {
    let Some(theme_en) = theme_en else {
        return Vec::new();
    };
    let known = || theme_en.entries.keys().map(String::as_str);
    let mut diagnostics = Vec::new();
    for p in parsed.iter().filter(|p| p.file.from_site) {
        for (key, (_, span)) in &p.entries {
            if !theme_en.entries.contains_key(key) {
                diagnostics.push(
                    Diagnostic::warning(format!("the theme has no word `{key}`: it is not used"))
                        .in_file(&p.file.shown)
                        .at(span.clone())
                        .help_opt(did_you_mean(key, known()).or_else(|| {
                            Some(format!(
                                "the theme's words are in `{}`",
                                theme_en.file.shown
                            ))
                        })),
                );
            }
        }
    }
    diagnostics
}

/// Warnings for the English keys that `lang` has no words for, and for plural
/// words without a form the language needs.
fn missing(base: &[&Parsed], own: &[&Parsed], lang: &str) -> Vec<Diagnostic> {
    let english: BTreeMap<&str, &Word> = base
        .iter()
        .flat_map(|p| p.entries.iter().map(|(k, (w, _))| (k.as_str(), w)))
        .collect();
    let Some(file) = own.iter().find(|p| !p.file.from_site).or(own.first()) else {
        return if english.is_empty() {
            Vec::new()
        } else {
            vec![Diagnostic::warning(format!(
                "the theme has no words in `{lang}`: its pages show the English ones"
            ))
            .help(format!(
                "translate the keys of `{}` into `i18n/{lang}.yaml` of the site",
                base[0].file.shown
            ))]
        };
    };
    let mut diagnostics = Vec::new();
    let mut lacking_words = Vec::new();
    for (key, en) in &english {
        let found = own
            .iter()
            .rev()
            .find_map(|p| p.entries.get(*key).map(|(w, s)| (p, w, s)));
        match found {
            None => lacking_words.push((*key, *en)),
            Some((p, Word::Forms(forms), span)) => {
                let lacking: Vec<&str> = needed(lang)
                    .iter()
                    .filter(|f| !forms.contains_key(f) && !forms.contains_key(&Plural::Other))
                    .map(|f| f.name())
                    .collect();
                if !lacking.is_empty() {
                    diagnostics.push(
                        Diagnostic::warning(format!(
                            "the word `{key}` has no `{}` form, which `{lang}` needs",
                            lacking.join("`, `")
                        ))
                        .in_file(&p.file.shown)
                        .at(span.clone()),
                    );
                }
            }
            Some(_) => {}
        }
    }
    diagnostics.extend(missing_words(&lacking_words, lang, &file.file.shown));
    diagnostics
}

/// One warning per English word `lang` lacks, or one for all when there are many:
/// a language begun but not finished should not bury every other message.
fn missing_words(lacking: &[(&str, &Word)], lang: &str, file: &str) -> Vec<Diagnostic> {
    const EACH: usize = 5;
    if lacking.len() <= EACH {
        return lacking
            .iter()
            .map(|(key, en)| {
                Diagnostic::warning(format!(
                    "no `{lang}` word for `{key}`: the English one is shown"
                ))
                .in_file(file)
                .help(format!(
                    "add `{key}: \"...\"` (English: {})",
                    english_text(en)
                ))
            })
            .collect();
    }
    let named: Vec<String> = lacking
        .iter()
        .take(EACH)
        .map(|(k, _)| format!("`{k}`"))
        .collect();
    vec![Diagnostic::warning(format!(
        "no `{lang}` words for {} and {} more: the English ones are shown",
        named.join(", "),
        lacking.len() - EACH
    ))
    .in_file(file)
    .help("translate the keys of the theme's `i18n/en.yaml` into this file")]
}

fn english_text(word: &Word) -> String {
    match word {
        Word::Text(t) => format!("\"{t}\""),
        Word::Forms(forms) => forms
            .iter()
            .map(|(p, t)| format!("{}: \"{t}\"", p.name()))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

#[cfg(test)]
mod tests;
