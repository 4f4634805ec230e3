//! Open data besides `data.json` (DESIGN.md section 9): `/data/actors.csv`,
//! `/data/stances.csv` and `/data/events.csv`, with exactly the columns the data
//! files of a site read (so an export read back as data files gives the same
//! site), and `/data/popolo.json`, the actors in the Popolo standard. All sorted by
//! id, like `data.json`: the same site gives the same bytes.

use serde::Serialize;

use crate::load::content::Date;
// The data files' columns: an export reads back as data files.
use crate::load::data::{ACTOR_COLUMNS, EVENT_COLUMNS, STANCE_COLUMNS};
use crate::resolve::markdown::InlineText;
use crate::resolve::{Site, Source};

/// A CSV file of `rows` under `header`: RFC 4180, quoted where a cell needs it.
fn csv_file(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing into memory fails only on a row of another length, which cannot be.
    let _ = w.write_record(header);
    for row in rows {
        let _ = w.write_record(&row);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

fn date(d: &Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// A short text as written, Markdown included.
fn written(t: &Option<InlineText>) -> String {
    t.as_ref().map(|t| t.source.clone()).unwrap_or_default()
}

/// Ids joined with `;`, the data files' list separator.
fn list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items.collect::<Vec<_>>().join(";")
}

pub fn actors_csv(site: &Site) -> String {
    let rows = site.actors.iter().map(|a| {
        vec![
            a.id.clone(),
            a.name.clone(),
            a.kind.as_str().to_string(),
            opt(&a.role),
            list(a.affiliations.iter().map(|&x| site.actors[x].id.as_str())),
            list(a.aliases.iter().map(String::as_str)),
            opt(&a.summary),
            opt(&a.image),
        ]
    });
    csv_file(ACTOR_COLUMNS, rows)
}

/// Every stance; a stance with several sources gives its first (the data files
/// hold one source a stance; several need the Markdown file).
pub fn stances_csv(site: &Site) -> String {
    let rows = site.stances.iter().map(|s| {
        let q = &site.questions[s.question];
        let src: Option<&Source> = s.sources.first();
        vec![
            site.actors[s.actor].id.clone(),
            q.id.clone(),
            q.positions[s.position].id.clone(),
            s.date.to_string(),
            written(&s.summary),
            opt(&s.quote),
            src.map(|x| x.title.source.clone()).unwrap_or_default(),
            src.map(|x| opt(&x.publisher)).unwrap_or_default(),
            src.map(|x| opt(&x.url)).unwrap_or_default(),
            src.map(|x| date(&x.date)).unwrap_or_default(),
            src.map(|x| opt(&x.archive_url)).unwrap_or_default(),
        ]
    });
    csv_file(STANCE_COLUMNS, rows)
}

pub fn events_csv(site: &Site) -> String {
    let rows = site.events.iter().map(|e| {
        vec![
            e.id.clone(),
            e.title.clone(),
            e.date.to_string(),
            date(&e.end_date),
            opt(&e.place),
            list(e.actors.iter().map(|&x| site.actors[x].id.as_str())),
            list(e.questions.iter().map(|&x| site.questions[x].id.as_str())),
            written(&e.summary),
        ]
    });
    csv_file(EVENT_COLUMNS, rows)
}

#[derive(Serialize)]
struct Popolo<'a> {
    persons: Vec<PopoloEntity<'a>>,
    organizations: Vec<PopoloEntity<'a>>,
    memberships: Vec<Membership<'a>>,
}

/// A Popolo person or organization: its id, name, aliases, summary, image and a
/// link to its page on the site.
#[derive(Serialize)]
struct PopoloEntity<'a> {
    id: &'a str,
    name: &'a str,
    /// An organization's kind: `state`, `organization` or `group`.
    #[serde(skip_serializing_if = "Option::is_none")]
    classification: Option<&'a str>,
    other_names: Vec<OtherName<'a>>,
    summary: Option<&'a str>,
    image: Option<String>,
    links: Vec<PopoloLink>,
}

#[derive(Serialize)]
struct OtherName<'a> {
    name: &'a str,
}

#[derive(Serialize)]
struct PopoloLink {
    url: String,
    note: String,
}

/// An affiliation: `member_id` is a member of `organization_id`; `person_id` names
/// the member too when it is a person (organizations are members of others too).
#[derive(Serialize)]
struct Membership<'a> {
    id: String,
    member_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    person_id: Option<&'a str>,
    organization_id: &'a str,
}

/// `/data/popolo.json`: persons (the actors of kind person), organizations (every
/// other kind), memberships (from affiliations), each with the page's URL.
pub fn popolo_json(site: &Site) -> String {
    let c = &site.config;
    let mut persons = Vec::new();
    let mut organizations = Vec::new();
    let mut memberships = Vec::new();
    for a in &site.actors {
        let person = a.kind.as_str() == "person";
        let mut links = vec![PopoloLink {
            url: c.permalink(&a.url),
            note: format!("{}: {}", c.title, a.name),
        }];
        links.extend(a.links.iter().map(|l| PopoloLink {
            url: l.url.clone(),
            note: l.title.clone(),
        }));
        let entity = PopoloEntity {
            id: &a.id,
            name: &a.name,
            classification: (!person).then(|| a.kind.as_str()),
            other_names: a.aliases.iter().map(|n| OtherName { name: n }).collect(),
            summary: a.summary.as_deref(),
            image: a.image.as_deref().map(|i| match i.strip_prefix('/') {
                Some(_) => c.permalink(i),
                None => i.to_string(),
            }),
            links,
        };
        if person {
            persons.push(entity);
        } else {
            organizations.push(entity);
        }
        for &x in &a.affiliations {
            let org = site.actors[x].id.as_str();
            memberships.push(Membership {
                id: format!("{}--{org}", a.id),
                member_id: &a.id,
                person_id: person.then_some(a.id.as_str()),
                organization_id: org,
            });
        }
    }
    memberships.sort_by(|a, b| a.id.cmp(&b.id));
    let popolo = Popolo {
        persons,
        organizations,
        memberships,
    };
    let mut out = serde_json::to_string_pretty(&popolo).unwrap_or_else(|_| "{}".into());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_with_commas_quotes_and_line_breaks_are_quoted() {
        let out = csv_file(
            &["a", "b"],
            [vec!["x, y".to_string(), "say \"no\"\nthen".to_string()]].into_iter(),
        );
        assert_eq!(out, "a,b\n\"x, y\",\"say \"\"no\"\"\nthen\"\n");
    }
}
