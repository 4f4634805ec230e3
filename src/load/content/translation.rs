//! Translations: `joe-biden.fr.md` beside `joe-biden.md`. A translation sets only
//! the words of its default file (names, titles, summaries, labels, quotes, its
//! body); every data key (kind, affiliations, question, position, date, sources,
//! ids) comes from the default file, so two languages never disagree on a fact.
//! The front matter of each kind is parsed here; data keys are named in the types
//! so that the error can say why they are refused.

use std::ops::Range;

use serde::de::IgnoredAny;
use serde::Deserialize;

use crate::diagnostics::Diagnostic;

/// One translation file, parsed.
#[derive(Debug, Clone)]
pub struct Translation {
    /// The language code of its name: `fr` for `joe-biden.fr.md`.
    pub lang: String,
    /// What it translates: the kind's folder (`actors`, `questions`, `events`,
    /// or `""` for a page) and the default file's id (a folder for `_index`).
    pub of: TranslationOf,
    pub texts: Texts,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TranslationOf {
    Actor(String),
    Question(String),
    Event(String),
    Page(String),
    /// `_index.md` of a folder (`""`: the home page).
    Index(String),
}

/// The words a translation gives, by kind of file.
#[derive(Debug, Clone)]
pub enum Texts {
    Actor(ActorText),
    Question(QuestionText),
    Event(EventText),
    Page(PageText),
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorText {
    pub name: Option<String>,
    pub role: Option<String>,
    pub aliases: Option<Vec<String>>,
    pub summary: Option<String>,
    /// Matched with the default file's stances by their place in the list.
    pub stances: Option<Vec<StanceText>>,
    kind: Option<IgnoredAny>,
    affiliations: Option<IgnoredAny>,
    image: Option<IgnoredAny>,
    links: Option<IgnoredAny>,
    draft: Option<IgnoredAny>,
    template: Option<IgnoredAny>,
    extra: Option<IgnoredAny>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StanceText {
    pub summary: Option<String>,
    pub quote: Option<String>,
    question: Option<IgnoredAny>,
    position: Option<IgnoredAny>,
    date: Option<IgnoredAny>,
    source: Option<IgnoredAny>,
    sources: Option<IgnoredAny>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionText {
    pub title: Option<String>,
    pub question: Option<String>,
    pub summary: Option<String>,
    /// Matched with the default file's positions by their place in the list.
    pub positions: Option<Vec<PositionText>>,
    draft: Option<IgnoredAny>,
    template: Option<IgnoredAny>,
    extra: Option<IgnoredAny>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PositionText {
    pub label: Option<String>,
    pub description: Option<String>,
    id: Option<IgnoredAny>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventText {
    pub title: Option<String>,
    pub place: Option<String>,
    pub summary: Option<String>,
    date: Option<IgnoredAny>,
    end_date: Option<IgnoredAny>,
    actors: Option<IgnoredAny>,
    questions: Option<IgnoredAny>,
    sources: Option<IgnoredAny>,
    draft: Option<IgnoredAny>,
    template: Option<IgnoredAny>,
    extra: Option<IgnoredAny>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageText {
    pub title: Option<String>,
    pub summary: Option<String>,
    date: Option<IgnoredAny>,
    weight: Option<IgnoredAny>,
    draft: Option<IgnoredAny>,
    template: Option<IgnoredAny>,
    extra: Option<IgnoredAny>,
}

/// A data key a translation gives: its name and which of the keys of that name
/// in the front matter it is (the second stance's `date` is `("date", 1)`).
pub type DataKey = (&'static str, usize);

/// The names of the `Some` fields among `fields`, each with its occurrence.
fn present(fields: &[(&'static str, bool)], seen: &mut Vec<&'static str>) -> Vec<DataKey> {
    let mut keys = Vec::new();
    for &(name, set) in fields {
        if set {
            keys.push((name, seen.iter().filter(|n| **n == name).count()));
            seen.push(name);
        }
    }
    keys
}

impl Texts {
    /// Every data key this translation gives, in file order by kind of key.
    pub fn data_keys(&self) -> Vec<DataKey> {
        let mut seen = Vec::new();
        match self {
            Texts::Actor(a) => {
                let mut keys = present(
                    &[
                        ("kind", a.kind.is_some()),
                        ("affiliations", a.affiliations.is_some()),
                        ("image", a.image.is_some()),
                        ("links", a.links.is_some()),
                        ("draft", a.draft.is_some()),
                        ("template", a.template.is_some()),
                        ("extra", a.extra.is_some()),
                    ],
                    &mut seen,
                );
                for s in a.stances.iter().flatten() {
                    keys.extend(present(
                        &[
                            ("question", s.question.is_some()),
                            ("position", s.position.is_some()),
                            ("date", s.date.is_some()),
                            ("source", s.source.is_some()),
                            ("sources", s.sources.is_some()),
                        ],
                        &mut seen,
                    ));
                }
                keys
            }
            Texts::Question(q) => {
                let mut keys = present(
                    &[
                        ("draft", q.draft.is_some()),
                        ("template", q.template.is_some()),
                        ("extra", q.extra.is_some()),
                    ],
                    &mut seen,
                );
                for p in q.positions.iter().flatten() {
                    keys.extend(present(&[("id", p.id.is_some())], &mut seen));
                }
                keys
            }
            Texts::Event(e) => present(
                &[
                    ("date", e.date.is_some()),
                    ("end_date", e.end_date.is_some()),
                    ("actors", e.actors.is_some()),
                    ("questions", e.questions.is_some()),
                    ("sources", e.sources.is_some()),
                    ("draft", e.draft.is_some()),
                    ("template", e.template.is_some()),
                    ("extra", e.extra.is_some()),
                ],
                &mut seen,
            ),
            Texts::Page(p) => present(
                &[
                    ("date", p.date.is_some()),
                    ("weight", p.weight.is_some()),
                    ("draft", p.draft.is_some()),
                    ("template", p.template.is_some()),
                    ("extra", p.extra.is_some()),
                ],
                &mut seen,
            ),
        }
    }
}

/// `joe-biden.fr` -> (`joe-biden`, `fr`), when the stem names a translation: an id,
/// a dot, and a language code. Ids have no dots, so nothing else has this shape.
pub fn split_stem(stem: &str) -> Option<(&str, &str)> {
    let (id, lang) = stem.split_once('.')?;
    (is_language_code(lang) && (id == "_index" || super::is_valid_id(id))).then_some((id, lang))
}

/// The file a translation translates: `content/a/x.fr.md` -> `content/a/x.md`.
pub fn default_path(path: &str) -> Option<String> {
    let stem = path.strip_suffix(".md")?;
    let (dir, name) = stem.rsplit_once('/').unwrap_or(("", stem));
    let (id, _) = split_stem(name)?;
    Some(if dir.is_empty() {
        format!("{id}.md")
    } else {
        format!("{dir}/{id}.md")
    })
}

/// A language code as site.yaml and file names write it: `fr`, `pt-br`, `zh-hant`:
/// two or three lowercase letters, then subtags of letters and digits.
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The error for a data key at `span` of a translation of `default_file`.
pub fn data_key_error(
    key: &str,
    path: &str,
    span: Option<Range<usize>>,
    default_file: &str,
) -> Diagnostic {
    Diagnostic::error(format!("`{key}` is data: a translation cannot set it"))
        .in_file(path)
        .at_opt(span)
        .label("data comes from the default file only")
        .help(format!(
            "remove `{key}:` here; `{default_file}` sets it once for every language (a translation sets only words: names, titles, summaries, labels, quotes and its body)"
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_that_name_translations() {
        assert_eq!(split_stem("joe-biden.fr"), Some(("joe-biden", "fr")));
        assert_eq!(split_stem("_index.uk"), Some(("_index", "uk")));
        assert_eq!(split_stem("x.pt-br"), Some(("x", "pt-br")));
        assert_eq!(
            default_path("content/actors/x.fr.md").as_deref(),
            Some("content/actors/x.md")
        );
        assert_eq!(
            default_path("content/_index.uk.md").as_deref(),
            Some("content/_index.md")
        );
        assert_eq!(default_path("content/actors/x.md"), None);
        for not in [
            "joe-biden",
            "joe.biden.fr",
            "Joe.fr",
            "x.FR",
            "x.f",
            "x.fren",
            "x.fr-",
        ] {
            assert_eq!(split_stem(not), None, "{not}");
        }
    }

    #[test]
    fn data_keys_are_found_with_their_occurrence() {
        let a: ActorText = serde_yaml::from_str(
            "name: N\nkind: person\nstances:\n  - summary: s\n    date: 2024-01-01\n  - date: 2024-02-02\n    quote: q\n",
        )
        .unwrap();
        assert_eq!(
            Texts::Actor(a).data_keys(),
            vec![("kind", 0), ("date", 0), ("date", 1)]
        );
        let q: QuestionText =
            serde_yaml::from_str("title: T\npositions:\n  - label: a\n  - id: b\n    label: b\n")
                .unwrap();
        assert_eq!(Texts::Question(q).data_keys(), vec![("id", 0)]);
        let p: PageText = serde_yaml::from_str("title: T\nsummary: s\n").unwrap();
        assert!(Texts::Page(p).data_keys().is_empty());
    }
}
