//! Time travel: which stance was in force on a given day (DESIGN.md section 10).
//! A stance is in force from the last day of its date's period (`2024-05` from
//! 31 May 2024) until the next stance of its actor on its question takes over.

use crate::load::content::Date;
use crate::resolve::{Question, Site};

/// A calendar day, `YYYY-MM-DD`: ISO days compare as strings do, in scripts too.
pub type Day = (u16, u8, u8);

/// The day a stance dated `d` comes into force: the last day of its period.
pub fn effective_day(d: &Date) -> Day {
    d.last_day()
}

/// `2024-05-31`.
pub fn iso_day(day: Day) -> String {
    format!("{:04}-{:02}-{:02}", day.0, day.1, day.2)
}

/// The day stance `s` stops being in force: the earliest day a later stance of its
/// actor on its question comes into force (stances are sorted by actor, question,
/// date; with partial dates a later stance can come into force first). `None` while
/// it holds. A stance whose `until` is not after its `from` is never in force.
pub fn until(site: &Site, s: usize) -> Option<Day> {
    let this = &site.stances[s];
    site.stances[s + 1..]
        .iter()
        .take_while(|t| t.actor == this.actor && t.question == this.question)
        .map(|t| effective_day(&t.date))
        .min()
}

/// Whether stance `s` was in force on `day`: it is the latest of its actor's on
/// its question that had come into force by then.
pub fn in_force_on(site: &Site, s: usize, day: Day) -> bool {
    effective_day(&site.stances[s].date) <= day && until(site, s).is_none_or(|u| u > day)
}

/// Whether stance `s` is in force on any day: not when a later stance (dated more
/// precisely in the same period) comes into force first.
pub fn ever_in_force(site: &Site, s: usize) -> bool {
    until(site, s).is_none_or(|u| u > effective_day(&site.stances[s].date))
}

/// The stances of `q` in force on `day`, by position, each position's by actor name.
pub fn positions_on(site: &Site, q: &Question, day: Day) -> Vec<Vec<usize>> {
    let mut by_position = vec![Vec::new(); q.positions.len()];
    for &s in &q.stances {
        if in_force_on(site, s, day) {
            by_position[site.stances[s].position].push(s);
        }
    }
    for here in &mut by_position {
        here.sort_by(|&x, &y| {
            site.actors[site.stances[x].actor]
                .name
                .cmp(&site.actors[site.stances[y].actor].name)
        });
    }
    by_position
}

/// The stance of actor `a` on question `q` in force on `day`, if any.
pub fn stance_on(site: &Site, a: usize, q: usize, day: Day) -> Option<usize> {
    site.actors[a]
        .stances
        .iter()
        .copied()
        .filter(|&s| site.stances[s].question == q)
        .find(|&s| in_force_on(site, s, day))
}
