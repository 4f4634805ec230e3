//! Images made at build time: the share cards (`og:image`) of question and actor
//! pages. The pipeline calls [`share_cards`] after render, for each language's
//! site; the cards join the rendered files, so the write stage writes them.
//! The render stage uses this module for the cards' alt texts; this module uses
//! no stage but resolve's model.
//!
//! `cards` lays out each card as SVG from the resolved site, `raster` turns SVG
//! into PNG with the fonts the theme ships, `cache` keeps the PNGs under
//! `.standpoint/images/`, keyed by the SVG (which holds every input) and the
//! renderer's settings.

mod cache;
mod cards;
mod raster;

use std::path::Path;

use rayon::prelude::*;

use crate::resolve::Site;

pub(crate) use cards::{actor_alt, question_alt, Files};

/// What making the cards did: how many came from the cache, how many were drawn.
#[derive(Debug, Clone, Copy, Default)]
pub struct CardStats {
    pub cached: usize,
    pub rendered: usize,
}

/// Adds the share card of every question and actor page of `site` to `files`,
/// taking cards from the cache under `root` when their SVG is unchanged.
pub(crate) fn share_cards(site: &Site, files: &mut Files, root: &Path) -> CardStats {
    let svgs = cards::all(site, files);
    let cache = cache::Cache::at(root);
    let made: Vec<(String, Vec<u8>, bool)> = svgs
        .into_par_iter()
        .map(|(path, svg)| {
            let key = cache::key(&svg, raster::SETTINGS);
            match cache.as_ref().and_then(|c| c.get(&key)) {
                Some(png) => (path, png, true),
                None => {
                    let png = raster::png(&svg);
                    if let Some(cache) = &cache {
                        cache.put(&key, &png);
                    }
                    (path, png, false)
                }
            }
        })
        .collect();
    let mut stats = CardStats::default();
    for (path, png, hit) in made {
        if hit {
            stats.cached += 1;
        } else {
            stats.rendered += 1;
        }
        files.insert(path, png.into());
    }
    stats
}
