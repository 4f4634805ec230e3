//! Embeds: the values each shortcode of a body shows (`page.embeds`, made from the
//! shared values like the rest of a page's values, so that `serve` renders a page
//! again exactly when something it embeds changed), and the page's HTML with each
//! marker replaced by its shortcode's template, `shortcodes/<name>.html`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tera::{Context, Tera, Value};

use crate::load::content::Date;
use crate::render::engine::{note_reads, reads_of};
use crate::render::pictures;
use crate::render::spectrum::question_positions;
use crate::render::values::{lang, opt_date, opt_str, Obj, SiteValues};
use crate::render::PageReads;
use crate::resolve::markdown::shortcodes::{self, ArgValue, Embed, Placed};
use crate::resolve::pictures::Role;
use crate::resolve::{EntityRef, Site, TimelineItem};

/// The values of `embeds`, in order: what `page.embeds` holds.
pub fn values(site: &Site, v: &SiteValues, embeds: &[Placed]) -> Value {
    let list: Vec<Value> = embeds.iter().map(|p| value(site, v, p)).collect();
    Value::from(list)
}

fn value(site: &Site, v: &SiteValues, placed: &Placed) -> Value {
    let obj = Obj::with_capacity(8)
        .set("shortcode", placed.embed.name())
        .set("inline", placed.inline);
    let actor = |id: &str| match site.index.get(id) {
        Some(EntityRef::Actor(i)) => Some(*i),
        _ => None,
    };
    let question = |id: &str| match site.index.get(id) {
        Some(EntityRef::Question(i)) => Some(*i),
        _ => None,
    };
    match &placed.embed {
        Embed::Stance {
            actor: a,
            question: q,
            as_of,
        } => match (actor(a), question(q)) {
            (Some(a), Some(q)) => stance(site, v, obj, a, q, as_of),
            _ => obj.build(),
        },
        Embed::Spectrum { question: q } => match question(q) {
            Some(q) => obj
                .set("question", v.question_cards[q].clone())
                .set("positions", question_positions(site, v, &site.questions[q]))
                .build(),
            None => obj.build(),
        },
        Embed::Matrix { actors, questions } => {
            let actors = actors
                .as_ref()
                .map(|l| l.iter().filter_map(|id| actor(id)).collect());
            let questions = questions
                .as_ref()
                .map(|l| l.iter().filter_map(|id| question(id)).collect());
            matrix(site, v, obj, actors, questions)
        }
        Embed::Card { id } => match site.index.get(id) {
            Some(r) => obj.set("entity", v.card(*r)).build(),
            None => obj.build(),
        },
        Embed::Timeline {
            question: q,
            actor: a,
            from,
            to,
            limit,
        } => {
            let filter = Window {
                question: q.as_deref().and_then(question),
                actor: a.as_deref().and_then(actor),
                from: *from,
                to: *to,
            };
            timeline(site, v, obj, &filter, *limit)
        }
        Embed::Compare { actors } => {
            let actors: Vec<usize> = actors.iter().filter_map(|id| actor(id)).collect();
            compare(site, v, obj, &actors)
        }
        Embed::Figure {
            src,
            alt,
            credit,
            caption,
        } => obj
            .set("src", src.as_str())
            .set(
                "picture",
                pictures::value(&site.pictures, Some(src), Role::Prose),
            )
            .set("alt", alt.as_str())
            .set("credit", opt_str(credit))
            .set(
                "caption",
                caption
                    .as_ref()
                    .map_or_else(Value::none, |c| c.value().clone()),
            )
            .build(),
        Embed::Site { args, body, .. } => {
            let mut obj = obj.set(
                "body",
                body.as_ref()
                    .map_or_else(Value::none, |b| b.value().clone()),
            );
            for (name, arg) in args {
                obj = obj.set_named(name, arg_value(arg));
            }
            obj.build()
        }
    }
}

fn arg_value(arg: &ArgValue) -> Value {
    match arg {
        ArgValue::Str(s) => Value::from(s.as_str()),
        ArgValue::Int(n) => Value::from(*n),
        ArgValue::Bool(b) => Value::from(*b),
        ArgValue::List(items) => {
            Value::from(items.iter().map(|(a, _)| arg_value(a)).collect::<Vec<_>>())
        }
    }
}

/// The stance of actor `a` on question `q` in force on `as_of` (the current one
/// without it), and the current one beside it.
fn stance(
    site: &Site,
    v: &SiteValues,
    obj: Obj,
    a: usize,
    q: usize,
    as_of: &Option<Date>,
) -> Value {
    let on_q = site.actors[a]
        .stances
        .iter()
        .copied()
        .filter(|&s| site.stances[s].question == q);
    let current = on_q.clone().find(|&s| site.stances[s].current);
    // An actor's stances on a question are sorted by date: the last one on or
    // before the date is in force. A partial `as_of` counts as its last day; a
    // stance's partial date sorts before the full dates of its period, so counts
    // as its first.
    let shown = match as_of {
        None => current,
        Some(d) => on_q
            .rev()
            .find(|&s| site.stances[s].date.first_day() <= d.last_day()),
    };
    let of = |s: Option<usize>| s.map_or_else(Value::none, |s| v.stances[s].clone());
    obj.set("actor", v.actor_cards[a].clone())
        .set("question", v.question_cards[q].clone())
        .set("stance", of(shown))
        .set("current", of(current))
        .set("as_of", opt_date(as_of, lang(site)))
        .build()
}

/// The current stance of each of `actors` (by default every actor with a stance,
/// by name) on each of `questions` (by default those any of them holds, by title).
pub(super) fn matrix(
    site: &Site,
    v: &SiteValues,
    obj: Obj,
    actors: Option<Vec<usize>>,
    questions: Option<Vec<usize>>,
) -> Value {
    let actors = actors.unwrap_or_else(|| v.matrix.actors());
    let questions = questions.unwrap_or_else(|| held_questions(site, v, &actors));
    let rows: Vec<Value> = actors
        .iter()
        .map(|&a| {
            let cells: Vec<Value> = questions.iter().map(|&q| current(site, v, a, q)).collect();
            Obj::new()
                .set("actor", v.actor_cards[a].clone())
                .set("cells", cells)
                .build()
        })
        .collect();
    obj.set("questions", cards(&v.question_cards, &questions))
        .set("rows", rows)
        .build()
}

/// Two to four actors side by side: a row per question any of them holds a
/// current stance on (by title), a cell per actor.
fn compare(site: &Site, v: &SiteValues, obj: Obj, actors: &[usize]) -> Value {
    let questions = held_questions(site, v, actors);
    let rows: Vec<Value> = questions
        .iter()
        .map(|&q| {
            let cells: Vec<Value> = actors.iter().map(|&a| current(site, v, a, q)).collect();
            Obj::new()
                .set("question", v.question_cards[q].clone())
                .set("cells", cells)
                .build()
        })
        .collect();
    obj.set("actors", cards(&v.actor_cards, actors))
        .set("rows", rows)
        .build()
}

fn current(site: &Site, v: &SiteValues, a: usize, q: usize) -> Value {
    site.current_stance_index(a, q)
        .map_or_else(Value::none, |s| v.stances[s].clone())
}

/// The questions any of `actors` holds a current stance on, by title.
fn held_questions(site: &Site, v: &SiteValues, actors: &[usize]) -> Vec<usize> {
    let mut held = vec![false; site.questions.len()];
    for &a in actors {
        for &s in &site.actors[a].stances {
            if site.stances[s].current {
                held[site.stances[s].question] = true;
            }
        }
    }
    v.matrix
        .questions_by_title()
        .iter()
        .copied()
        .filter(|&q| held[q])
        .collect()
}

fn cards(all: &[Value], indexes: &[usize]) -> Vec<Value> {
    indexes.iter().map(|&i| all[i].clone()).collect()
}

/// Which timeline entries a `timeline` embed shows.
struct Window {
    question: Option<usize>,
    actor: Option<usize>,
    from: Option<Date>,
    to: Option<Date>,
}

impl Window {
    fn shows(&self, site: &Site, item: &TimelineItem) -> bool {
        let (about, by, start, end) = match *item {
            TimelineItem::Event(i, _) => {
                let e = &site.events[i];
                let end = e.end_date.unwrap_or(e.date);
                (
                    self.question.is_none_or(|q| e.questions.contains(&q)),
                    self.actor.is_none_or(|a| e.actors.contains(&a)),
                    e.date,
                    end,
                )
            }
            TimelineItem::Stance(i, d) => {
                let s = &site.stances[i];
                (
                    self.question.is_none_or(|q| s.question == q),
                    self.actor.is_none_or(|a| s.actor == a),
                    d,
                    d,
                )
            }
        };
        // Periods overlap: a partial date covers its whole month or year.
        about
            && by
            && self.from.is_none_or(|f| end.last_day() >= f.first_day())
            && self.to.is_none_or(|t| start.first_day() <= t.last_day())
    }
}

/// The timeline entries in the window, the newest `limit` of them, oldest first.
fn timeline(site: &Site, v: &SiteValues, obj: Obj, window: &Window, limit: Option<usize>) -> Value {
    // Only the entries about the question or the actor, when the window names one.
    let all: Vec<usize>;
    let candidates: &[usize] = match (window.question, window.actor) {
        (Some(q), _) => &v.timeline_index.by_question[q],
        (None, Some(a)) => &v.timeline_index.by_actor[a],
        (None, None) => {
            all = (0..v.timeline.len()).collect();
            &all
        }
    };
    let mut entries: Vec<Value> = candidates
        .iter()
        .filter(|&&k| window.shows(site, &v.timeline_items[k]))
        .map(|&k| v.timeline[k].clone())
        .collect();
    if let Some(limit) = limit.filter(|&l| l < entries.len()) {
        entries.drain(..entries.len() - limit);
    }
    let of = |i: Option<usize>, all: &[Value]| i.map_or_else(Value::none, |i| all[i].clone());
    obj.set("entries", entries)
        .set("question", of(window.question, &v.question_cards))
        .set("actor", of(window.actor, &v.actor_cards))
        .set("from", opt_date(&window.from, lang(site)))
        .set("to", opt_date(&window.to, lang(site)))
        .build()
}

/// The HTML of each distinct embed of one build, with what its template read:
/// the pages that embed the same spectrum share one rendering of it (an embed
/// shows the same wherever it stands; site paths are made relative per page later).
#[derive(Default)]
pub struct EmbedHtml(Mutex<HashMap<String, (Arc<str>, PageReads)>>);

impl EmbedHtml {
    /// The HTML of `placed`, whose values are `value`: rendered once per build.
    fn get(&self, tera: &Tera, placed: &Placed, value: &Value) -> tera::TeraResult<Arc<str>> {
        let key = format!("{placed:?}");
        let kept = self.0.lock().ok().and_then(|m| m.get(&key).cloned());
        if let Some((html, reads)) = kept {
            note_reads(&reads);
            return Ok(html);
        }
        let (html, reads) = reads_of(|| render_one(tera, value));
        let html: Arc<str> = Arc::from(html?);
        if let Ok(mut m) = self.0.lock() {
            m.insert(key, (html.clone(), reads));
        }
        Ok(html)
    }
}

/// `html` with each embed marker replaced by its shortcode's template rendered
/// with the embed's values (`values`, the page's `page.embeds`; `placed`, what they
/// were made from).
pub fn expand(
    tera: &Tera,
    html: String,
    values: Option<&Value>,
    placed: &[Placed],
    cache: &EmbedHtml,
) -> tera::TeraResult<String> {
    let Some(list) = values.and_then(Value::as_array).filter(|l| !l.is_empty()) else {
        return Ok(html);
    };
    let open = format!("<!--{}", shortcodes::MARKER);
    if !html.contains(&open) || placed.len() != list.len() {
        return Ok(html);
    }
    let mut out = String::with_capacity(html.len() + 4096 * list.len());
    let mut last = 0;
    let mut at = 0;
    while let Some(k) = html[at..].find(&open) {
        let start = at + k;
        let digits: &str = &html[start + open.len()..];
        let len = digits.bytes().take_while(u8::is_ascii_digit).count();
        let end = start + open.len() + len;
        at = end.max(start + 1);
        let n = digits[..len]
            .parse::<usize>()
            .ok()
            .filter(|&n| n < list.len());
        let (Some(n), true) = (n, html[end..].starts_with("-->")) else {
            continue;
        };
        out.push_str(&html[last..start]);
        out.push_str(&cache.get(tera, &placed[n], &list[n])?);
        last = end + 3;
        at = last;
    }
    out.push_str(&html[last..]);
    Ok(out)
}

/// One embed through `shortcodes/<name>.html`, its values as the variables.
fn render_one(tera: &Tera, embed: &Value) -> tera::TeraResult<String> {
    let mut context = Context::new();
    let mut name = "";
    if let Some(map) = embed.as_map() {
        for (key, value) in map {
            if let Some(key) = key.as_str() {
                if key == "shortcode" {
                    name = value.as_str().unwrap_or_default();
                }
                context.insert_value(key.to_string(), value.clone());
            }
        }
    }
    let html = tera.render(&format!("shortcodes/{name}.html"), &context)?;
    Ok(html.trim().to_string())
}
