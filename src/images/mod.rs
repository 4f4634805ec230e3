//! Images made at build time: the resized pictures the pages show ([`pictures`],
//! planned in `resolve::pictures`) and the share cards (`og:image`) of question
//! and actor pages ([`share_cards`]). The pipeline calls both after render; what
//! they make joins the rendered files, so the write stage writes it. The render
//! stage uses this module for the cards' alt texts; this module uses no stage but
//! resolve's model.
//!
//! `resize` and `strip` make a picture's files, `cards` lays out each card as SVG
//! from the resolved site, `raster` turns SVG into PNG with the fonts the theme
//! ships, `cache` keeps what they make under `.standpoint/images/`, keyed by
//! every input and the settings.

mod cache;
mod cards;
mod raster;
mod resize;
mod strip;

use std::path::Path;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::resolve::pictures::{self as resolve_pictures, Picture, Pictures};
use crate::resolve::Site;

pub(crate) use cards::{actor_alt, question_alt, Files};

/// What making the cards did: how many came from the cache, how many were drawn.
#[derive(Debug, Clone, Copy, Default)]
pub struct CardStats {
    pub cached: usize,
    pub rendered: usize,
}

/// What making the pictures did: how many were decoded, how many came whole
/// from the cache.
#[derive(Debug, Clone, Copy, Default)]
pub struct PictureStats {
    pub decoded: usize,
    pub cached: usize,
}

/// Adds the files of every picture to `files` (its widths in WebP and in its
/// format; the original, stripped, at its own path), from the cache under `root`
/// when all of a picture's files are there: then it is not decoded. An original
/// that does not decode is an error at the first place that shows it.
pub(crate) fn pictures(
    pictures: &Pictures,
    files: &mut Files,
    root: &Path,
) -> Result<PictureStats, Vec<Diagnostic>> {
    let cache = cache::Cache::at(root);
    let made: Vec<Result<Made, Diagnostic>> = pictures
        .by_output
        .par_iter()
        .map(|(_, p)| picture_files(p, cache.as_ref()))
        .collect();
    let mut stats = PictureStats::default();
    let mut errors = Vec::new();
    for result in made {
        match result {
            Ok(Made {
                files: made,
                cached,
            }) => {
                if cached {
                    stats.cached += 1;
                } else {
                    stats.decoded += 1;
                }
                for (output, bytes) in made {
                    files.insert(output, bytes.into());
                }
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(stats)
    } else {
        Err(errors)
    }
}

/// The files of one picture by output path, and whether they all came from the
/// cache.
struct Made {
    files: Vec<(String, Vec<u8>)>,
    cached: bool,
}

fn picture_files(p: &Picture, cache: Option<&cache::Cache>) -> Result<Made, Diagnostic> {
    let variants = p.variants();
    let key = cache::key(&p.bytes, resize::SETTINGS);
    let name =
        |v: &resolve_pictures::Variant| format!("{key}-{}w.{}", v.width, v.format.extension());
    if let Some(cache) = cache {
        let kept: Option<Vec<(String, Vec<u8>)>> = variants
            .iter()
            .map(|v| Some((v.output.clone(), cache.get(&name(v))?)))
            .collect();
        if let Some(files) = kept {
            return Ok(Made {
                files,
                cached: true,
            });
        }
    }
    let made = resize::make(p, &variants).map_err(|why| {
        Diagnostic::error(format!("the image `/{}` cannot be decoded", p.output))
            .in_file(&p.file)
            .at_opt(p.span.clone())
            .label(format!("its decoder says: {why}"))
            .help("save it again from an image editor; a file cut short by a download is a common cause")
    })?;
    let mut out = Vec::with_capacity(made.len());
    for (v, bytes) in variants.iter().zip(made) {
        if let Some(cache) = cache {
            cache.put(&name(v), &bytes);
        }
        out.push((v.output.clone(), bytes));
    }
    Ok(Made {
        files: out,
        cached: false,
    })
}

/// Adds the share card of every question and actor page of `site` to `files`,
/// taking cards from the cache under `root` when their SVG is unchanged.
pub(crate) fn share_cards(site: &Site, files: &mut Files, root: &Path) -> CardStats {
    let svgs = cards::all(site, files);
    let cache = cache::Cache::at(root);
    let made: Vec<(String, Vec<u8>, bool)> = svgs
        .into_par_iter()
        .map(|(path, svg)| {
            let key = format!("{}.png", cache::key(svg.as_bytes(), raster::SETTINGS));
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
