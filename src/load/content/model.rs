//! The typed front matter of each kind of file. Unknown keys are errors, so a typo
//! never vanishes silently; free-form data goes under `extra:`.

use serde::{Deserialize, Serialize};

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

    pub fn plural_label(self) -> &'static str {
        match self {
            ActorKind::Person => "People",
            ActorKind::State => "States",
            ActorKind::Organization => "Organizations",
            ActorKind::Group => "Groups",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub title: String,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub date: Option<Date>,
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
    pub draft: bool,
    pub template: Option<String>,
    pub extra: Option<serde_json::Value>,
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
