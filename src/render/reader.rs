//! The values of the reader tools' pages (DESIGN.md section 10): the full matrix
//! (`/matrix/`), the snapshots (`/as-of/<date>/`) and the time travel of question
//! pages. Every stance value carries `in_force` (`from`, `until`), so a page can
//! hold each stance's versions and a script can show the ones of a chosen day.

use tera::Value;

use crate::load::content::{ActorKind, Date};
use crate::render::values::{self, Obj, SiteValues, MATRIX_COLUMNS};
use crate::resolve::as_of::{self, Day};
use crate::resolve::{Question, Site};

/// Site path of the snapshot of `date`: `/as-of/2024-05-01/`.
pub fn snapshot_url(date: &Date) -> String {
    format!("/as-of/{date}/")
}

/// The snapshots of the site, oldest first: `date`, `url`.
pub fn snapshot_links(site: &Site) -> Vec<Value> {
    site.config
        .snapshots
        .iter()
        .map(|d| {
            Obj::new()
                .set("date", values::date(d, values::lang(site)))
                .set("url", snapshot_url(d))
                .build()
        })
        .collect()
}

/// The days on which one of `stances` came into force, oldest first, each once:
/// `day` (`YYYY-MM-DD`) and `label` (`31 May 2024`).
pub fn change_days(site: &Site, stances: impl IntoIterator<Item = usize>) -> Vec<Value> {
    let mut days: Vec<Day> = stances
        .into_iter()
        .filter(|&s| as_of::ever_in_force(site, s))
        .map(|s| as_of::effective_day(&site.stances[s].date))
        .collect();
    days.sort();
    days.dedup();
    days.into_iter()
        .map(|day| {
            let (year, month, d) = day;
            let shown = Date {
                year,
                month: Some(month),
                day: Some(d),
            };
            Obj::new()
                .set("day", as_of::iso_day(day))
                .set("label", shown.display_in(values::lang(site)))
                .build()
        })
        .collect()
}

/// The stances of `q` that are not current, by position, by actor name then date:
/// the earlier versions a question page's date control can show.
pub fn earlier_by_position(site: &Site, v: &SiteValues, q: &Question) -> Vec<Vec<Value>> {
    let mut by_position: Vec<Vec<usize>> = vec![Vec::new(); q.positions.len()];
    for &s in &q.stances {
        if !site.stances[s].current && as_of::ever_in_force(site, s) {
            by_position[site.stances[s].position].push(s);
        }
    }
    by_position
        .into_iter()
        .map(|mut here| {
            here.sort_by(|&x, &y| {
                let name = |s: usize| &site.actors[site.stances[s].actor].name;
                (name(x), site.stances[x].date).cmp(&(name(y), site.stances[y].date))
            });
            here.iter().map(|&s| v.stances[s].clone()).collect()
        })
        .collect()
}

/// `/matrix/`: every actor with stances (by name) against every question (by
/// title), each cell with every version of the actor's stance on the question,
/// oldest first; the actor kinds present, for the filter; the change days. The
/// rows are apart (`page.rows`): the page is paginated by them.
pub fn matrix_page(site: &Site, v: &SiteValues) -> (Obj, Vec<Value>) {
    let questions = v.matrix.questions_by_title();
    let actors = v.matrix.actors();
    // Most cells are empty (an actor takes a stance on few questions): they share
    // one value, where a map each made hundreds of thousands at 10,000 pages.
    let empty = Obj::new().set("versions", Vec::<Value>::new()).build();
    let rows: Vec<Value> = actors
        .iter()
        .map(|&a| {
            let stances = &site.actors[a].stances;
            let cells: Vec<Value> = questions
                .iter()
                .map(|&q| {
                    let versions: Vec<Value> = stances
                        .iter()
                        .filter(|&&s| {
                            site.stances[s].question == q && as_of::ever_in_force(site, s)
                        })
                        .map(|&s| v.stances[s].clone())
                        .collect();
                    if versions.is_empty() {
                        return empty.clone();
                    }
                    Obj::new().set("versions", versions).build()
                })
                .collect();
            Obj::new()
                .set("actor", v.actor_cards[a].clone())
                .set("actor_kind", site.actors[a].kind.as_str())
                .set("cells", cells)
                .build()
        })
        .collect();
    let matrix = Obj::new()
        .set("questions", cards(&v.question_cards, questions))
        .set("actors", rows.len())
        .set("kinds", kinds(site, &actors))
        .set("days", change_days(site, 0..site.stances.len()))
        .set("snapshots", snapshot_links(site));
    (matrix, rows)
}

/// The actor kinds among `actors`, in the order of [`ActorKind::ALL`]: `id`,
/// `label` (plural) and `count`.
fn kinds(site: &Site, actors: &[usize]) -> Vec<Value> {
    ActorKind::ALL
        .iter()
        .filter_map(|&kind| {
            let count = actors
                .iter()
                .filter(|&&a| site.actors[a].kind == kind)
                .count();
            (count > 0).then(|| {
                Obj::new()
                    .set("id", kind.as_str())
                    .set("label", site.words.text(kind.plural_word(), None))
                    .set("count", count)
                    .build()
            })
        })
        .collect()
}

fn cards(all: &[Value], order: &[usize]) -> Vec<Value> {
    order.iter().map(|&i| all[i].clone()).collect()
}

/// `/as-of/<date>/`: the matrix (of the [`MATRIX_COLUMNS`] questions the most
/// actors held a position on) and every question's spectrum as they stood at the
/// end of `date` (a partial date: the last day of its period).
pub fn snapshot_page(site: &Site, v: &SiteValues, date: &Date) -> Obj {
    let day = as_of::effective_day(date);
    let all = v.matrix.questions_by_title();
    let questions = &most_held_on(site, all, day)[..];
    let rows: Vec<Value> = v
        .matrix
        .actors()
        .into_iter()
        .filter_map(|a| {
            let found: Vec<Option<usize>> = questions
                .iter()
                .map(|&q| as_of::stance_on(site, a, q, day))
                .collect();
            found.iter().any(Option::is_some).then(|| {
                let cells: Vec<Value> = found
                    .iter()
                    .map(|s| s.map_or_else(Value::none, |s| v.stances[s].clone()))
                    .collect();
                Obj::new()
                    .set("actor", v.actor_cards[a].clone())
                    .set("cells", cells)
                    .build()
            })
        })
        .collect();
    let spectra: Vec<Value> = all
        .iter()
        .map(|&q| {
            let question = &site.questions[q];
            let positions: Vec<Value> = as_of::positions_on(site, question, day)
                .iter()
                .enumerate()
                .map(|(pi, here)| {
                    values::position_obj(question, pi)
                        .set(
                            "actors",
                            here.iter()
                                .map(|&s| v.stances[s].clone())
                                .collect::<Vec<_>>(),
                        )
                        .build()
                })
                .collect();
            Obj::new()
                .set("question", v.question_cards[q].clone())
                .set("positions", positions)
                .build()
        })
        .collect();
    Obj::new()
        .set("date", values::date(date, values::lang(site)))
        .set("day", as_of::iso_day(day))
        .set(
            "matrix",
            Obj::new()
                .set("questions", cards(&v.question_cards, questions))
                .set("rows", rows)
                .set("total_questions", all.len())
                .build(),
        )
        .set("spectra", spectra)
        .set("snapshots", snapshot_links(site))
}

/// The questions of `by_title` the most actors held a position on on `day`, at most
/// [`MATRIX_COLUMNS`], in title order.
fn most_held_on(site: &Site, by_title: &[usize], day: Day) -> Vec<usize> {
    let mut held = vec![0; site.questions.len()];
    for &q in by_title {
        held[q] = site.questions[q]
            .stances
            .iter()
            .filter(|&&s| as_of::in_force_on(site, s, day))
            .count();
    }
    let shown = values::most_held(by_title, &held, Some(MATRIX_COLUMNS));
    by_title.iter().copied().filter(|&q| shown[q]).collect()
}
