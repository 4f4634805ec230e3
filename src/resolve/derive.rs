//! Derived views: the [`Site`] assembled from its entities, with the stances in
//! order (current and anchored), each actor's members, stances and events, each
//! question's stances and events, the home page, intros and list pages, the index
//! of ids and the backlinks.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;

use crate::load::config::Config;
use crate::load::content::{Asset, Doc, PageMeta};
use crate::resolve::bodies::Bodies;
use crate::resolve::entities::{entities, index_title, page_from, Entities};
use crate::resolve::ids::Docs;
use crate::resolve::markdown::{Html, LinkTargets, Rendered, Toc};
use crate::resolve::references::References;
use crate::resolve::short_texts::{ShortTexts, TextLinks};
use crate::resolve::{
    Actor, EntityRef, Event, ListPage, Page, Question, Site, Stance, INDEX_FOLDERS,
};

/// What the site holds besides what resolving derives.
pub(super) struct Given {
    pub config: Config,
    pub link_targets: LinkTargets,
    pub assets: Vec<Asset>,
}

/// The site of `docs`, from their checked references, rendered bodies and the
/// short texts of their front matter (the stances' are in `references` already).
pub(super) fn site(
    given: Given,
    docs: &Docs,
    references: References,
    bodies: &Bodies,
    texts: ShortTexts,
) -> Site {
    let Given {
        config,
        link_targets,
        assets,
    } = given;
    let References {
        affiliations,
        stances,
        event_actors,
        event_questions,
    } = references;
    let ShortTexts {
        positions,
        events: event_texts,
        links: text_links,
        ..
    } = texts;
    let Entities {
        mut actors,
        mut questions,
        events,
        pages,
    } = entities(
        docs,
        bodies,
        affiliations,
        positions,
        event_actors,
        event_questions,
        event_texts,
    );
    let stances = ordered_stances(stances, &questions);
    let actor_stances = stances_by_actor(&stances, &questions, actors.len());
    let question_stances = stances_by_question(&stances, &actors, questions.len());
    let members = members(&actors, docs);
    let event_lists = event_lists(&events, actors.len(), questions.len());
    let actor_lists = actor_stances
        .into_iter()
        .zip(members)
        .zip(event_lists.by_actor);
    for (a, ((stances, members), events)) in actors.iter_mut().zip(actor_lists) {
        a.stances = stances;
        a.members = members;
        a.events = events;
    }
    let question_lists = question_stances.into_iter().zip(event_lists.by_question);
    for (q, (stances, events)) in questions.iter_mut().zip(question_lists) {
        q.stances = stances;
        q.events = events;
    }
    let IndexPages {
        home,
        intros,
        lists,
    } = index_pages(&config, &docs.indexes, &bodies.indexes, &pages);
    let index = entity_index(&actors, &questions, &events, &pages);
    let backlinks = backlinks(&index, bodies, &text_links);
    let mut site = Site {
        config,
        actors,
        questions,
        events,
        pages,
        lists,
        home,
        intros,
        stances,
        index,
        backlinks: HashMap::new(),
        text_links: text_links
            .into_iter()
            .filter(|t| !t.ids.is_empty())
            .map(|t| (t.from, t.ids))
            .collect(),
        assets,
        link_targets,
        words: Default::default(),
        pictures: Default::default(),
    };
    site.backlinks = sorted_backlinks(&site, backlinks);
    site
}

/// The stances sorted by actor, question, date; the last of each pair is current.
/// Each has an anchor unique on its actor's page.
fn ordered_stances(mut stances: Vec<Stance>, questions: &[Question]) -> Vec<Stance> {
    stances.sort_by_key(|s| (s.actor, s.question, s.date));
    let mut anchors_used: HashMap<(usize, String), usize> = HashMap::new();
    for i in 0..stances.len() {
        let next_same = stances
            .get(i + 1)
            .is_some_and(|n| n.actor == stances[i].actor && n.question == stances[i].question);
        stances[i].current = !next_same;
        let base = format!(
            "stance-{}-{}",
            questions[stances[i].question].id, stances[i].date
        );
        let n = anchors_used
            .entry((stances[i].actor, base.clone()))
            .or_insert(0);
        *n += 1;
        stances[i].anchor = if *n == 1 { base } else { format!("{base}-{n}") };
    }
    stances
}

/// For each actor, its stances by question title, then date.
fn stances_by_actor(stances: &[Stance], questions: &[Question], actors: usize) -> Vec<Vec<usize>> {
    let mut lists = vec![Vec::new(); actors];
    for (i, s) in stances.iter().enumerate() {
        lists[s.actor].push(i);
    }
    for list in &mut lists {
        list.sort_by(|&x, &y| {
            let (sx, sy) = (&stances[x], &stances[y]);
            questions[sx.question]
                .title
                .cmp(&questions[sy.question].title)
                .then(sx.date.cmp(&sy.date))
        });
    }
    lists
}

/// For each question, its stances by date, then actor name.
fn stances_by_question(stances: &[Stance], actors: &[Actor], questions: usize) -> Vec<Vec<usize>> {
    let mut lists = vec![Vec::new(); questions];
    for (i, s) in stances.iter().enumerate() {
        lists[s.question].push(i);
    }
    for list in &mut lists {
        list.sort_by(|&x, &y| {
            let (sx, sy) = (&stances[x], &stances[y]);
            sx.date
                .cmp(&sy.date)
                .then_with(|| actors[sx.actor].name.cmp(&actors[sy.actor].name))
        });
    }
    lists
}

/// For each actor, the actors affiliated with it, by name.
fn members(actors: &[Actor], docs: &Docs) -> Vec<Vec<usize>> {
    let mut lists = vec![Vec::new(); actors.len()];
    for (ai, a) in actors.iter().enumerate() {
        for &aff in &a.affiliations {
            lists[aff].push(ai);
        }
    }
    for list in &mut lists {
        list.sort_by_key(|&m| docs.actors[m].meta.name.clone());
    }
    lists
}

/// The events of each actor and question, by date, then title.
struct EventLists {
    by_actor: Vec<Vec<usize>>,
    by_question: Vec<Vec<usize>>,
}

fn event_lists(events: &[Event], actors: usize, questions: usize) -> EventLists {
    let mut lists = EventLists {
        by_actor: vec![Vec::new(); actors],
        by_question: vec![Vec::new(); questions],
    };
    let mut by_date: Vec<usize> = (0..events.len()).collect();
    by_date.sort_by(|&a, &b| {
        events[a]
            .date
            .cmp(&events[b].date)
            .then(events[a].title.cmp(&events[b].title))
    });
    for &ei in &by_date {
        for &a in &events[ei].actors {
            lists.by_actor[a].push(ei);
        }
        for &q in &events[ei].questions {
            lists.by_question[q].push(ei);
        }
    }
    lists
}

/// The pages of the `_index.md` files.
struct IndexPages {
    home: Page,
    intros: BTreeMap<String, Page>,
    lists: Vec<ListPage>,
}

/// Home, built-in intros and folder list pages.
fn index_pages(
    config: &Config,
    indexes: &[Arc<Doc<PageMeta>>],
    index_md: &[Arc<Rendered>],
    pages: &[Page],
) -> IndexPages {
    let mut home = None;
    let mut intros = BTreeMap::new();
    let mut lists = Vec::new();
    for (d, md) in indexes.iter().zip(index_md) {
        let page = page_from(d, index_title(config, d), md);
        if d.id.is_empty() {
            home = Some(page);
        } else if INDEX_FOLDERS.contains(&d.id.as_str()) {
            intros.insert(d.id.clone(), page);
        } else {
            lists.push(ListPage {
                page,
                pages: list_members(&d.id, pages),
            });
        }
    }
    IndexPages {
        home: home.unwrap_or_else(|| default_home(config)),
        intros,
        lists,
    }
}

/// The pages of `folder`, in list order: by weight, newest first, then by title.
fn list_members(folder: &str, pages: &[Page]) -> Vec<usize> {
    let mut members: Vec<usize> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.folder == folder)
        .map(|(i, _)| i)
        .collect();
    members.sort_by(|&a, &b| {
        let (pa, pb) = (&pages[a], &pages[b]);
        pa.weight
            .cmp(&pb.weight)
            .then(pb.date.cmp(&pa.date))
            .then_with(|| pa.title.cmp(&pb.title))
    });
    members
}

/// The home page of a site without `content/_index.md`.
fn default_home(config: &Config) -> Page {
    Page {
        id: String::new(),
        path: String::new(),
        url: "/".into(),
        title: config.title.clone(),
        date: None,
        summary: config.description.clone(),
        weight: 0,
        folder: String::new(),
        html: Html::default(),
        embeds: Default::default(),
        toc: Toc::default(),
        template: None,
        extra: serde_json::json!({}),
    }
}

/// Every entity by id.
fn entity_index(
    actors: &[Actor],
    questions: &[Question],
    events: &[Event],
    pages: &[Page],
) -> HashMap<String, EntityRef> {
    let mut index = HashMap::new();
    for (i, a) in actors.iter().enumerate() {
        index.insert(a.id.clone(), EntityRef::Actor(i));
    }
    for (i, q) in questions.iter().enumerate() {
        index.insert(q.id.clone(), EntityRef::Question(i));
    }
    for (i, e) in events.iter().enumerate() {
        index.insert(e.id.clone(), EntityRef::Event(i));
    }
    for (i, p) in pages.iter().enumerate() {
        index.insert(p.id.clone(), EntityRef::Page(i));
    }
    index
}

/// For each entity, the entities whose bodies link to or mention it, or whose
/// short texts link to it, unsorted and with repeats.
fn backlinks(
    index: &HashMap<String, EntityRef>,
    bodies: &Bodies,
    texts: &[TextLinks],
) -> HashMap<EntityRef, Vec<EntityRef>> {
    let mut backlinks: HashMap<EntityRef, Vec<EntityRef>> = HashMap::new();
    let sources = bodies
        .actors
        .iter()
        .enumerate()
        .map(|(i, r)| (EntityRef::Actor(i), r))
        .chain(
            bodies
                .questions
                .iter()
                .enumerate()
                .map(|(i, r)| (EntityRef::Question(i), r)),
        )
        .chain(
            bodies
                .events
                .iter()
                .enumerate()
                .map(|(i, r)| (EntityRef::Event(i), r)),
        )
        .chain(
            bodies
                .pages
                .iter()
                .enumerate()
                .map(|(i, r)| (EntityRef::Page(i), r)),
        );
    let mut add = |from: EntityRef, id: &String| {
        if let Some(&to) = index.get(id) {
            if to != from {
                backlinks.entry(to).or_default().push(from);
            }
        }
    };
    for (from, r) in sources {
        for id in r.links.iter().chain(&r.mentions) {
            add(from, id);
        }
    }
    for t in texts {
        for id in &t.ids {
            add(t.from, id);
        }
    }
    backlinks
}

/// `backlinks` of `site`, each list in backlink order and without repeats.
fn sorted_backlinks(
    site: &Site,
    backlinks: HashMap<EntityRef, Vec<EntityRef>>,
) -> HashMap<EntityRef, Vec<EntityRef>> {
    // Sorting every entity once by title, then each list by that rank, compares
    // each title a few times instead of once per backlink and comparison.
    let mut all: Vec<EntityRef> = site.index.values().copied().collect();
    all.par_sort_unstable_by(|a, b| site.backlink_order(*a, *b));
    // By kind, then index: looked up for every comparison, so no hashing.
    let mut ranks = [
        vec![0; site.actors.len()],
        vec![0; site.questions.len()],
        vec![0; site.events.len()],
        vec![0; site.pages.len()],
    ];
    let slot = |r: EntityRef| match r {
        EntityRef::Actor(i) => (0, i),
        EntityRef::Question(i) => (1, i),
        EntityRef::Event(i) => (2, i),
        EntityRef::Page(i) => (3, i),
    };
    for (rank, r) in all.into_iter().enumerate() {
        let (kind, i) = slot(r);
        ranks[kind][i] = rank;
    }
    backlinks
        .into_par_iter()
        .map(|(k, mut v)| {
            v.sort_unstable_by_key(|r| {
                let (kind, i) = slot(*r);
                ranks[kind][i]
            });
            v.dedup();
            (k, v)
        })
        .collect()
}
