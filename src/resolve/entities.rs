//! Entities: the actors, questions, events and pages of the model, made from their
//! documents, resolved references and rendered bodies, before the derived views
//! (stances, members, events, backlinks) are added.

use std::sync::Arc;

use crate::load::config::Config;
use crate::load::content::{ActorMeta, Doc, EventMeta, PageMeta, QuestionMeta};
use crate::resolve::bodies::Bodies;
use crate::resolve::ids::Docs;
use crate::resolve::markdown::{InlineText, Rendered};
use crate::resolve::short_texts::EventTexts;
use crate::resolve::{Actor, Event, Page, Position, Question, Source};

/// The entities of the site, each in the order of its documents.
pub(super) struct Entities {
    pub actors: Vec<Actor>,
    pub questions: Vec<Question>,
    pub events: Vec<Event>,
    pub pages: Vec<Page>,
}

/// The entities of `docs`, with the affiliations of each actor, the position
/// descriptions of each question, and the actors, questions, summary and sources
/// of each event; their stance, member and event lists are empty.
pub(super) fn entities(
    docs: &Docs,
    bodies: &Bodies,
    affiliations: Vec<Vec<usize>>,
    descriptions: Vec<Vec<Option<InlineText>>>,
    event_actors: Vec<Vec<usize>>,
    event_questions: Vec<Vec<usize>>,
    event_texts: Vec<EventTexts>,
) -> Entities {
    Entities {
        actors: docs
            .actors
            .iter()
            .zip(&bodies.actors)
            .zip(affiliations)
            .map(|((d, md), affiliations)| actor(d, md, affiliations))
            .collect(),
        questions: docs
            .questions
            .iter()
            .zip(&bodies.questions)
            .zip(descriptions)
            .map(|((d, md), descriptions)| question(d, md, descriptions))
            .collect(),
        events: docs
            .events
            .iter()
            .zip(&bodies.events)
            .zip(event_actors.into_iter().zip(event_questions))
            .zip(event_texts)
            .map(|(((d, md), (actors, questions)), texts)| Event {
                actors,
                questions,
                summary: texts.summary,
                sources: (d.meta.sources.iter().zip(texts.source_titles))
                    .map(|(src, title)| Source::from_meta(src, title))
                    .collect(),
                ..event(d, md)
            })
            .collect(),
        pages: docs
            .pages
            .iter()
            .zip(&bodies.pages)
            .map(|(d, md)| page_from(d, d.meta.title.clone().unwrap_or_default(), md))
            .collect(),
    }
}

fn actor(d: &Doc<ActorMeta>, md: &Arc<Rendered>, affiliations: Vec<usize>) -> Actor {
    Actor {
        id: d.id.clone(),
        path: d.path.clone(),
        url: d.url.clone(),
        name: d.meta.name.clone(),
        kind: d.meta.kind,
        role: d.meta.role.clone(),
        aliases: d.meta.aliases.clone(),
        summary: d.meta.summary.clone(),
        image: d.meta.image.clone(),
        links: d.meta.links.clone(),
        affiliations,
        members: Vec::new(),
        stances: Vec::new(),
        events: Vec::new(),
        html: md.html.clone(),
        embeds: md.embeds.clone(),
        toc: md.toc.clone(),
        template: d.meta.template.clone(),
        extra: extra(&d.meta.extra),
    }
}

fn question(
    d: &Doc<QuestionMeta>,
    md: &Arc<Rendered>,
    descriptions: Vec<Option<InlineText>>,
) -> Question {
    Question {
        id: d.id.clone(),
        path: d.path.clone(),
        url: d.url.clone(),
        title: d.meta.title.clone(),
        question: d.meta.question.clone(),
        positions: d
            .meta
            .positions
            .iter()
            .zip(descriptions)
            .map(|(p, description)| Position {
                id: p.id.clone(),
                label: p.label.clone(),
                description,
            })
            .collect(),
        summary: d.meta.summary.clone(),
        stances: Vec::new(),
        events: Vec::new(),
        html: md.html.clone(),
        embeds: md.embeds.clone(),
        toc: md.toc.clone(),
        template: d.meta.template.clone(),
        extra: extra(&d.meta.extra),
    }
}

/// The event of `d`, without its actors, questions, summary and sources.
fn event(d: &Doc<EventMeta>, md: &Arc<Rendered>) -> Event {
    Event {
        id: d.id.clone(),
        path: d.path.clone(),
        url: d.url.clone(),
        title: d.meta.title.clone(),
        date: d.meta.date,
        end_date: d.meta.end_date,
        place: d.meta.place.clone(),
        actors: Vec::new(),
        questions: Vec::new(),
        summary: None,
        sources: Vec::new(),
        html: md.html.clone(),
        embeds: md.embeds.clone(),
        toc: md.toc.clone(),
        template: d.meta.template.clone(),
        extra: extra(&d.meta.extra),
    }
}

/// The title of an `_index.md` page: its own, the site's for the home page, else
/// its folder's name.
pub(super) fn index_title(config: &Config, d: &Doc<PageMeta>) -> String {
    d.meta.title.clone().unwrap_or_else(|| {
        if d.id.is_empty() {
            config.title.clone()
        } else {
            let last = d.id.rsplit('/').next().unwrap_or(&d.id);
            let mut t = last.replace('-', " ");
            if let Some(first) = t.get(..1) {
                t = first.to_uppercase() + &t[1..];
            }
            t
        }
    })
}

pub(super) fn page_from(d: &Doc<PageMeta>, title: String, md: &Rendered) -> Page {
    let folder = if d.path.ends_with("/_index.md") || d.path == "content/_index.md" {
        d.id.clone()
    } else {
        d.path
            .trim_start_matches("content/")
            .rsplit_once('/')
            .map_or(String::new(), |(f, _)| f.to_string())
    };
    Page {
        id: d.id.clone(),
        path: d.path.clone(),
        url: d.url.clone(),
        title,
        date: d.meta.date,
        summary: d.meta.summary.clone(),
        weight: d.meta.weight,
        folder,
        html: md.html.clone(),
        embeds: md.embeds.clone(),
        toc: md.toc.clone(),
        template: d.meta.template.clone(),
        extra: extra(&d.meta.extra),
    }
}

fn extra(v: &Option<serde_json::Value>) -> serde_json::Value {
    v.clone().unwrap_or_else(|| serde_json::json!({}))
}
