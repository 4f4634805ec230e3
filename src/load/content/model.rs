//! The typed front matter of each kind of file. Unknown keys are errors, so a typo
//! never vanishes silently; free-form data goes under `extra:`.

use std::ops::Range;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize};

use super::date::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ActorKind {
    Person,
    State,
    Organization,
    Group,
}

impl ActorKind {
    pub const ALL: [ActorKind; 4] = [
        ActorKind::Person,
        ActorKind::State,
        ActorKind::Organization,
        ActorKind::Group,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::Person => "person",
            ActorKind::State => "state",
            ActorKind::Organization => "organization",
            ActorKind::Group => "group",
        }
    }

    /// The theme's word for actors of this kind (`People`, `States`, ...).
    pub fn plural_word(self) -> &'static str {
        match self {
            ActorKind::Person => "people",
            ActorKind::State => "states",
            ActorKind::Organization => "organizations",
            ActorKind::Group => "groups",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub title: String,
    #[serde(deserialize_with = "link_url")]
    pub url: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub title: String,
    pub publisher: Option<String>,
    #[serde(default, deserialize_with = "optional_link_url")]
    pub url: Option<String>,
    pub date: Option<Date>,
    /// A copy kept by an archive (the Wayback Machine, archive.today), checked as `url`.
    #[serde(default, deserialize_with = "optional_link_url")]
    pub archive_url: Option<String>,
    /// When the author last read the source, for pages that change.
    pub accessed: Option<Date>,
}

/// How the error about a URL that must not be a link ends (yaml.rs adds its help).
pub const NEVER_A_LINK: &str = "URL is never written as a link";

/// The scheme of `url` as a browser reads it, lowercase, when it is one that runs
/// code or carries a whole document when clicked (`javascript:`, `vbscript:`,
/// `data:`). Browsers drop leading spaces and control characters and every tab
/// and line break first, so ` java\tscript:` counts.
pub fn code_scheme(url: &str) -> Option<String> {
    let scheme: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take_while(|&c| c != ':')
        .collect::<String>()
        .to_ascii_lowercase();
    let has_colon = url.contains(':');
    (has_colon && matches!(scheme.as_str(), "javascript" | "vbscript" | "data")).then_some(scheme)
}

/// A URL written into a link's `href`: never one that runs code when clicked.
/// Checked while the value is read, so that the error points at the value.
fn link_url<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    d.deserialize_str(LinkUrl)
}

fn optional_link_url<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    struct Checked(#[serde(deserialize_with = "link_url")] String);
    Ok(Option::<Checked>::deserialize(d)?.map(|Checked(url)| url))
}

struct LinkUrl;

impl serde::de::Visitor<'_> for LinkUrl {
    type Value = String;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: serde::de::Error>(self, url: &str) -> Result<String, E> {
        match code_scheme(url) {
            Some(scheme) => Err(E::custom(format!("a `{scheme}:` {NEVER_A_LINK}"))),
            None => Ok(url.to_string()),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StanceMeta {
    pub question: String,
    pub position: String,
    pub date: Date,
    pub summary: Option<String>,
    pub quote: Option<String>,
    pub source: Option<Source>,
    /// Several sources; a stance gives `source` or `sources`, not both.
    pub sources: Option<Vec<Source>>,
    /// The row of `data/stances.csv` it came from, whose cells its errors point at
    /// (the actor's own file may be Markdown).
    #[serde(skip)]
    pub row: Option<Arc<Row>>,
}

impl StanceMeta {
    /// Its sources in file order, from `source` or `sources`.
    pub fn all_sources(&self) -> impl Iterator<Item = &Source> {
        self.source.iter().chain(self.sources.iter().flatten())
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorMeta {
    pub name: String,
    pub kind: ActorKind,
    pub role: Option<String>,
    #[serde(default)]
    pub affiliations: Vec<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub summary: Option<String>,
    pub image: Option<String>,
    #[serde(default)]
    pub links: Vec<Link>,
    #[serde(default)]
    pub stances: Vec<StanceMeta>,
    #[serde(default)]
    pub draft: bool,
    pub template: Option<String>,
    pub extra: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PositionMeta {
    pub id: String,
    pub label: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionMeta {
    pub title: String,
    pub question: String,
    pub positions: Vec<PositionMeta>,
    pub summary: Option<String>,
    #[serde(default)]
    pub draft: bool,
    pub template: Option<String>,
    pub extra: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventMeta {
    pub title: String,
    pub date: Date,
    pub end_date: Option<Date>,
    pub place: Option<String>,
    #[serde(default)]
    pub actors: Vec<String>,
    #[serde(default)]
    pub questions: Vec<String>,
    pub summary: Option<String>,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub draft: bool,
    pub template: Option<String>,
    pub extra: Option<serde_json::Value>,
}

/// Where the cells of one row of a data file (`data/*.csv`) are, so that errors
/// found after loading point at a cell rather than at a YAML key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// `data/stances.csv`.
    pub path: String,
    /// The line the row starts on (the header is line 1).
    pub line: usize,
    /// The whole file's text, which the cells are ranges of.
    pub text: Arc<str>,
    /// Each column's name and the byte range of its cell in the file's text.
    pub cells: Vec<(&'static str, Range<usize>)>,
}

impl Row {
    /// The cell of `column`, when the file has that column.
    pub fn cell(&self, column: &str) -> Option<Range<usize>> {
        self.cells
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, r)| r.clone())
    }

    /// Where `value`, one item of the cell of `column`, is written in `text`; the
    /// whole cell when it is not written as it reads (quoted with `""`).
    pub fn value(&self, column: &str, value: &str) -> Option<Range<usize>> {
        let cell = self.cell(column)?;
        let within = self.text.get(cell.clone())?;
        let mut at = 0;
        for item in within.split(';') {
            let start = at + (item.len() - item.trim_start().len());
            if item.trim() == value {
                return Some(cell.start + start..cell.start + start + value.len());
            }
            at += item.len() + 1;
        }
        Some(cell)
    }

    /// `data/stances.csv:12`, to name the row in messages.
    pub fn name(&self) -> String {
        format!("{}:{}", self.path, self.line)
    }
}

/// Plain pages and `_index.md` files. `title` is required for plain pages only.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageMeta {
    pub title: Option<String>,
    pub date: Option<Date>,
    pub summary: Option<String>,
    #[serde(default)]
    pub weight: i64,
    #[serde(default)]
    pub draft: bool,
    pub template: Option<String>,
    pub extra: Option<serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_that_run_code_are_found_as_browsers_read_them() {
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " \u{1}javascript:x",
            "java\tscr\nipt:x",
            "vbscript:msgbox",
            "data:text/html,<script>x</script>",
        ] {
            assert!(code_scheme(bad).is_some(), "{bad:?}");
        }
        for good in [
            "https://example.org/javascript:x",
            "/javascript",
            "javascript",
            "mailto:a@b.org",
            "../data/x.csv",
            "",
        ] {
            assert_eq!(code_scheme(good), None, "{good:?}");
        }
    }

    #[test]
    fn links_and_sources_refuse_them() {
        let link: Result<Link, _> = serde_yaml::from_str("{title: x, url: \"javascript:x\"}");
        assert!(link
            .unwrap_err()
            .to_string()
            .contains("a `javascript:` URL is never written as a link"));
        let source: Source = serde_yaml::from_str("{title: x}").unwrap();
        assert_eq!(source.url, None);
        let source: Source = serde_yaml::from_str("{title: x, url: null}").unwrap();
        assert_eq!(source.url, None);
        let source: Source = serde_yaml::from_str("{title: x, url: \"https://e.org/\"}").unwrap();
        assert_eq!(source.url.as_deref(), Some("https://e.org/"));
        assert!(serde_yaml::from_str::<Source>("{title: x, url: \"data:,x\"}").is_err());
        let archived = "{title: x, archive_url: \"javascript:x\"}";
        assert!(serde_yaml::from_str::<Source>(archived).is_err());
    }
}
