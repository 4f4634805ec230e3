//! Front-matter references: affiliations, the questions and positions of stances,
//! the actors and questions of events, and the checks of positions and dates.
//! Each reference becomes an index, or a diagnostic pointing at where it is given.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::load::content::{find_key, ActorMeta, Doc, EventMeta, QuestionMeta, StanceMeta};
use crate::resolve::ids::Docs;
use crate::resolve::markdown::{LinkTargets, Target};
use crate::resolve::short_texts::StanceTexts;
use crate::resolve::{Source, Stance};

/// The references of the front matter, as indexes into the sorted documents.
pub(super) struct References {
    /// For each actor, the actors it lists in `affiliations`.
    pub affiliations: Vec<Vec<usize>>,
    /// Every stance whose question and position exist, in file order; neither
    /// `current` nor `anchor` is set yet.
    pub stances: Vec<Stance>,
    /// For each event, its actors.
    pub event_actors: Vec<Vec<usize>>,
    /// For each event, its questions.
    pub event_questions: Vec<Vec<usize>>,
}

/// What the references of a document are looked up in.
struct Lookup<'a> {
    docs: &'a Docs,
    /// Positions of actors and questions by id.
    actors: HashMap<&'a str, usize>,
    questions: HashMap<&'a str, usize>,
    refs: RefCheck<'a>,
}

/// The references of every document, pushing to `diags` an error for each that
/// names nothing (and the warnings of stances without a source), file by file:
/// actors, then questions, then events. The stances take their rendered short
/// texts from `stance_texts` (by actor, then stance in file order).
pub(super) fn checked_references(
    docs: &Docs,
    targets: &LinkTargets,
    stance_texts: Vec<Vec<StanceTexts>>,
    diags: &mut Vec<Diagnostic>,
) -> References {
    let look = Lookup {
        docs,
        actors: docs
            .actors
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.as_str(), i))
            .collect(),
        questions: docs
            .questions
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.as_str(), i))
            .collect(),
        refs: RefCheck {
            ids: &targets.ids,
            drafts: &targets.drafts,
            broken: &targets.broken,
        },
    };
    let mut affiliations = vec![Vec::new(); docs.actors.len()];
    let mut stances: Vec<Stance> = Vec::new();
    for ((ai, d), texts) in docs.actors.iter().enumerate().zip(stance_texts) {
        let mut seen = Occurrences::default();
        affiliations[ai] = actor_affiliations(&look, ai, d, &mut seen, diags);
        // The n-th `sources:` list of the file, for the error of a stance with both.
        let mut lists = 0;
        for (s, texts) in d.meta.stances.iter().zip(texts) {
            if s.sources.is_some() {
                diags.extend(source_and_sources(d, s, lists));
                lists += 1;
            }
            let stance = actor_stance(&look, ai, d, s, &mut seen, diags);
            stances.extend(stance.map(|stance| stance.with_texts(s, texts)));
        }
    }
    for d in &docs.questions {
        diags.extend(position_errors(d));
    }
    let mut event_actors = Vec::with_capacity(docs.events.len());
    let mut event_questions = Vec::with_capacity(docs.events.len());
    for d in &docs.events {
        let refs = event_references(&look, d, diags);
        event_actors.push(refs.actors);
        event_questions.push(refs.questions);
    }
    References {
        affiliations,
        stances,
        event_actors,
        event_questions,
    }
}

/// The actors that the actor `ai` (file `d`) is affiliated with.
fn actor_affiliations<'a>(
    look: &Lookup,
    ai: usize,
    d: &'a Doc<ActorMeta>,
    seen: &mut Occurrences<'a>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<usize> {
    let mut affiliations = Vec::new();
    for aff in &d.meta.affiliations {
        let place = seen.next("affiliations", aff);
        match look.actors.get(aff.as_str()) {
            Some(&i) if i == ai => diags.push(
                Diagnostic::error(format!("`{aff}` lists itself in its affiliations"))
                    .in_file(&d.path)
                    .at_opt(place.span(d))
                    .help("remove it from `affiliations`"),
            ),
            Some(&i) => affiliations.push(i),
            None => diags.extend(look.refs.unknown(
                &d.path,
                place.span(d),
                aff,
                "affiliation",
                Some("actor"),
            )),
        }
    }
    affiliations
}

/// The stance `s` of the actor `ai` (file `d`), when its question and position
/// exist.
fn actor_stance<'a>(
    look: &Lookup,
    ai: usize,
    d: &'a Doc<ActorMeta>,
    s: &'a StanceMeta,
    seen: &mut Occurrences<'a>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Stance> {
    // Every stance advances the counters, so that the n-th stance naming a
    // question points at the n-th `question:` with that id.
    let question_place = seen.next("question", &s.question);
    let position_place = seen.next("position", &s.position);
    let Some(&qi) = look.questions.get(s.question.as_str()) else {
        let (file, span) = question_place.in_stance(d, s);
        diags.extend(
            look.refs
                .unknown(&file, span, &s.question, "question", Some("question")),
        );
        return None;
    };
    let q = &look.docs.questions[qi].meta;
    let Some(pi) = q.positions.iter().position(|p| p.id == s.position) else {
        diags.push(unknown_position(d, s, q, position_place));
        return None;
    };
    if s.all_sources().next().is_none() {
        let (file, span) = question_place.in_stance(d, s);
        diags.push(
            Diagnostic::warning(format!("a stance on `{}` has no source", s.question))
                .in_file(file)
                .at_opt(span)
                .label("this stance has no `source`")
                .help("add `source: {title: \"...\", url: \"...\"}` so readers can check it"),
        );
    }
    Some(Stance {
        actor: ai,
        question: qi,
        position: pi,
        date: s.date,
        summary: None,
        quote: s.quote.clone(),
        sources: Vec::new(),
        current: false,
        anchor: String::new(),
    })
}

impl Stance {
    /// The stance with its summary and source from the front matter `s`, their
    /// short texts rendered as `texts`.
    fn with_texts(self, s: &StanceMeta, texts: StanceTexts) -> Stance {
        let sources = s
            .all_sources()
            .zip(texts.source_titles)
            .map(|(src, title)| Source::from_meta(src, title))
            .collect();
        Stance {
            summary: texts.summary,
            sources,
            ..self
        }
    }
}

/// The error for a stance with both `source` and `sources`, whose list is the
/// `n`-th `sources:` of the file: which one the author meant is not ours to guess.
fn source_and_sources(d: &Doc<ActorMeta>, s: &StanceMeta, n: usize) -> Option<Diagnostic> {
    s.source.as_ref()?;
    Some(
        Diagnostic::error(format!(
            "a stance on `{}` has both `source` and `sources`",
            s.question
        ))
        .in_file(&d.path)
        .at_opt(find_key(&d.text, &d.front_matter, "sources", n))
        .label("give its sources in one place")
        .help("move the `source` into the `sources` list, or keep only `source`"),
    )
}

/// The error for a stance whose position is not one of its question `q`'s.
fn unknown_position(
    d: &Doc<ActorMeta>,
    s: &StanceMeta,
    q: &QuestionMeta,
    place: Place,
) -> Diagnostic {
    let mut ids: Vec<&str> = Vec::new();
    for p in &q.positions {
        if !ids.contains(&p.id.as_str()) {
            ids.push(&p.id);
        }
    }
    let (file, span) = place.in_stance(d, s);
    Diagnostic::error(format!(
        "`{}` is not a position of the question `{}`",
        s.position, s.question
    ))
    .in_file(file)
    .at_opt(span)
    .label("unknown position")
    .help(
        did_you_mean(&s.position, ids.iter().copied()).unwrap_or_else(|| {
            format!(
                "the positions of `{}` are {}",
                s.question,
                ids.iter()
                    .map(|i| format!("`{i}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }),
    )
}

/// The errors of a question's positions: fewer than two, duplicate or invalid ids.
fn position_errors(d: &Doc<QuestionMeta>) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let positions = &d.meta.positions;
    if positions.len() < 2 {
        diags.push(
            Diagnostic::error(format!(
                "the question `{}` has {} position{}; it needs at least two",
                d.id,
                positions.len(),
                if positions.len() == 1 { "" } else { "s" }
            ))
            .in_file(&d.path)
            .at_opt(find_key(&d.text, &d.front_matter, "positions", 0))
            .help("list the answers in scale order, e.g. `- {id: support, label: \"Yes\"}` and `- {id: oppose, label: \"No\"}`"),
        );
    }
    let mut seen_ids = BTreeSet::new();
    let mut seen = Occurrences::default();
    for p in positions {
        let place = seen.next("id", &p.id);
        if !seen_ids.insert(p.id.as_str()) {
            diags.push(
                Diagnostic::error(format!("duplicate position id `{}`", p.id))
                    .in_file(&d.path)
                    .at_opt(place.span(d))
                    .help("each position of a question needs its own id"),
            );
        } else if !crate::load::content::is_valid_id(&p.id) {
            diags.push(
                Diagnostic::error(format!("the position id `{}` is not a valid id", p.id))
                    .in_file(&d.path)
                    .at_opt(place.span(d))
                    .help(format!(
                        "use lowercase letters, digits and `-`, e.g. `{}`",
                        crate::load::content::slugify(&p.id)
                    )),
            );
        }
    }
    diags
}

/// The actors and questions of one event.
struct EventRefs {
    actors: Vec<usize>,
    questions: Vec<usize>,
}

/// The actors and questions of the event `d`, and the error of its dates.
fn event_references(look: &Lookup, d: &Doc<EventMeta>, diags: &mut Vec<Diagnostic>) -> EventRefs {
    let mut refs = EventRefs {
        actors: Vec::new(),
        questions: Vec::new(),
    };
    let mut seen = Occurrences::default();
    for a in &d.meta.actors {
        let place = seen.next("actors", a);
        match look.actors.get(a.as_str()) {
            Some(&i) => refs.actors.push(i),
            None => {
                diags.extend(
                    look.refs
                        .unknown(&d.path, place.span(d), a, "actor", Some("actor")),
                )
            }
        }
    }
    for q in &d.meta.questions {
        let place = seen.next("questions", q);
        match look.questions.get(q.as_str()) {
            Some(&i) => refs.questions.push(i),
            None => diags.extend(look.refs.unknown(
                &d.path,
                place.span(d),
                q,
                "question",
                Some("question"),
            )),
        }
    }
    diags.extend(end_before_date(d));
    refs
}

/// The error for an event whose `end_date` is before its `date`.
fn end_before_date(d: &Doc<EventMeta>) -> Option<Diagnostic> {
    let end = d.meta.end_date?;
    if end >= d.meta.date {
        return None;
    }
    Some(
        Diagnostic::error(format!("`end_date` {end} is before `date` {}", d.meta.date))
            .in_file(&d.path)
            .at_opt(
                d.value_span("end_date", &end.to_string(), 0)
                    .or_else(|| d.key_span("end_date", 0)),
            )
            .help("swap the two dates, or remove `end_date`"),
    )
}

/// Counts how often each value was already given for a key in a file, so that
/// repeated values point at successive occurrences.
#[derive(Default)]
struct Occurrences<'a> {
    counts: HashMap<(&'static str, &'a str), usize>,
}

impl<'a> Occurrences<'a> {
    /// The next place where `value` is given for `key`.
    fn next(&mut self, key: &'static str, value: &'a str) -> Place<'a> {
        let n = self.counts.entry((key, value)).or_insert(0);
        let place = Place { key, value, n: *n };
        *n += 1;
        place
    }
}

/// The `n`-th time `value` is given for `key` in a file's front matter. Found in
/// the text only when a diagnostic points at it: most references are fine.
#[derive(Clone, Copy)]
struct Place<'a> {
    key: &'static str,
    value: &'a str,
    n: usize,
}

impl Place<'_> {
    fn span<M>(&self, d: &Doc<M>) -> Option<Range<usize>> {
        d.value_span(self.key, self.value, self.n)
    }

    /// The file and span of this place in the stance `s` of `d`: a stance from a
    /// row of `data/stances.csv` is placed in its cell, whatever file its actor has.
    fn in_stance<M>(&self, d: &Doc<M>, s: &StanceMeta) -> (String, Option<Range<usize>>) {
        match &s.row {
            Some(row) => (row.path.clone(), row.value(self.key, self.value)),
            None => (d.path.clone(), self.span(d)),
        }
    }
}

struct RefCheck<'a> {
    ids: &'a HashMap<String, Target>,
    drafts: &'a BTreeMap<String, String>,
    broken: &'a BTreeMap<String, String>,
}

impl RefCheck<'_> {
    /// The error for an id in front matter that names nothing; none when it names
    /// a file that failed to load (that file's error is the one to fix).
    fn unknown(
        &self,
        file: &str,
        span: Option<Range<usize>>,
        id: &str,
        what: &str,
        kind: Option<&str>,
    ) -> Option<Diagnostic> {
        if self.broken.contains_key(id) {
            return None;
        }
        if let Some(file) = self.drafts.get(id) {
            return Some(
                Diagnostic::error(format!("the {what} `{id}` is a draft"))
                    .in_file(file)
                    .at_opt(span)
                    .help(format!(
                        "publish `{file}` (remove `draft: true`) or build with `--drafts`"
                    )),
            );
        }
        let prefix = kind.map(|k| format!("{k}s/")).unwrap_or_default();
        // Files that failed to load still have the ids their authors meant.
        let candidates = self
            .ids
            .iter()
            .filter(|(_, t)| t.url.starts_with(&format!("/{prefix}")))
            .map(|(k, _)| k.as_str())
            .chain(
                self.broken
                    .iter()
                    .filter(|(id, path)| {
                        crate::load::content::is_valid_id(id)
                            && path.starts_with(&format!("content/{prefix}"))
                    })
                    .map(|(k, _)| k.as_str()),
            );
        Some(
            Diagnostic::error(format!("unknown {what} `{id}`"))
                .in_file(file)
                .at_opt(span)
                .label(format!("no {} has this id", kind.unwrap_or("entity")))
                .help_opt(did_you_mean(id, candidates).or_else(|| {
                    kind.map(|k| format!("create `content/{k}s/{id}.md`, or check the id"))
                })),
        )
    }
}
