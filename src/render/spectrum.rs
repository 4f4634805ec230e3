//! Who stands where on a question: its positions in scale order, each with the
//! current stances on it (the question page, the `spectrum` shortcode, the embeds).

use tera::Value;

use crate::render::values::{self, SiteValues};
use crate::resolve::{Question, Site};

/// A question's positions in scale order, each with the current stances on it (by
/// actor name).
pub(super) fn question_positions(site: &Site, v: &SiteValues, q: &Question) -> Vec<Value> {
    let by_position = position_stances(site, q);
    positions_with(q, &by_position, |s| v.stances[s].clone())
}

/// For each position of `q`, the current stances on it, by actor name.
pub(super) fn position_stances(site: &Site, q: &Question) -> Vec<Vec<usize>> {
    (0..q.positions.len())
        .map(|pi| {
            let mut here: Vec<usize> = q
                .stances
                .iter()
                .copied()
                .filter(|&s| site.stances[s].current && site.stances[s].position == pi)
                .collect();
            here.sort_by(|&x, &y| {
                site.actors[site.stances[x].actor]
                    .name
                    .cmp(&site.actors[site.stances[y].actor].name)
            });
            here
        })
        .collect()
}

/// The positions of `q`, each with the values (`stance`) of its stances.
pub(super) fn positions_with(
    q: &Question,
    by_position: &[Vec<usize>],
    stance: impl Fn(usize) -> Value,
) -> Vec<Value> {
    by_position
        .iter()
        .enumerate()
        .map(|(pi, here)| {
            values::position_obj(q, pi)
                .set(
                    "actors",
                    here.iter().map(|&s| stance(s)).collect::<Vec<_>>(),
                )
                .build()
        })
        .collect()
}
