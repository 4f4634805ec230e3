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
//! every input and the settings; [`Store`] looks in the memory of the last build
//! ([`ImageReuse`]) before that cache.

mod cache;
mod cards;
mod raster;
mod resize;
mod strip;

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::resolve::pictures::{self as resolve_pictures, Picture, Pictures};
use crate::resolve::Site;

pub(crate) use cards::{actor_alt, question_alt, Files};

/// Images made by earlier builds, kept in memory by their cache name (`serve`):
/// a build looks here before it reads `.standpoint/images/`, which at 10,000
/// pages (2,200 cards) was a quarter of a rebuild.
pub trait ImageReuse: Send + Sync {
    /// The bytes of the image named `name` (`<key>.png`, `<key>-360w.webp`).
    fn get(&self, name: &str) -> Option<Arc<[u8]>>;
    /// Ends a build: `used` is every image it made or found, by name.
    fn keep(&mut self, used: Vec<(String, Arc<[u8]>)>);
}

/// No reuse: every image comes from the disk cache or is made.
impl ImageReuse for () {
    fn get(&self, _: &str) -> Option<Arc<[u8]>> {
        None
    }
    fn keep(&mut self, _: Vec<(String, Arc<[u8]>)>) {}
}

/// A stage borrows the reuse a session keeps.
impl<T: ImageReuse> ImageReuse for &mut T {
    fn get(&self, name: &str) -> Option<Arc<[u8]>> {
        (**self).get(name)
    }
    fn keep(&mut self, used: Vec<(String, Arc<[u8]>)>) {
        (**self).keep(used)
    }
}

/// Where a build finds images made before: in memory, then on disk. It notes
/// every image the build uses, for the next build's memory.
pub(crate) struct Store<'a, R> {
    memory: &'a R,
    disk: Option<cache::Cache>,
    used: std::sync::Mutex<Vec<(String, Arc<[u8]>)>>,
}

impl<'a, R: ImageReuse> Store<'a, R> {
    /// The store of the site at `root`, over what `memory` kept.
    pub(crate) fn new(root: &Path, memory: &'a R) -> Store<'a, R> {
        Store {
            memory,
            disk: cache::Cache::at(root),
            used: std::sync::Mutex::default(),
        }
    }

    fn get(&self, name: &str) -> Option<Arc<[u8]>> {
        let bytes = self.memory.get(name).or_else(|| {
            let bytes = self.disk.as_ref()?.get(name)?;
            Some(Arc::from(bytes))
        })?;
        self.note(name, &bytes);
        Some(bytes)
    }

    /// Keeps a newly made image on disk.
    fn put(&self, name: &str, bytes: &Arc<[u8]>) {
        if let Some(disk) = &self.disk {
            disk.put(name, bytes);
        }
        self.note(name, bytes);
    }

    fn note(&self, name: &str, bytes: &Arc<[u8]>) {
        if let Ok(mut used) = self.used.lock() {
            used.push((name.to_string(), bytes.clone()));
        }
    }

    /// Every image this build used, by name.
    pub(crate) fn used(self) -> Vec<(String, Arc<[u8]>)> {
        self.used.into_inner().unwrap_or_default()
    }
}

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
/// format; the original, stripped, at its own path), from the `store`
/// when all of a picture's files are there: then it is not decoded. An original
/// that does not decode is an error at the first place that shows it.
pub(crate) fn pictures(
    pictures: &Pictures,
    files: &mut Files,
    store: &Store<impl ImageReuse>,
) -> Result<PictureStats, Vec<Diagnostic>> {
    let made: Vec<Result<Made, Diagnostic>> = pictures
        .by_output
        .par_iter()
        .map(|(_, p)| picture_files(p, store))
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
                files.extend(made);
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
    files: Vec<(String, Arc<[u8]>)>,
    cached: bool,
}

fn picture_files(p: &Picture, store: &Store<impl ImageReuse>) -> Result<Made, Diagnostic> {
    let variants = p.variants();
    let key = cache::key(&p.bytes, resize::SETTINGS);
    let name =
        |v: &resolve_pictures::Variant| format!("{key}-{}w.{}", v.width, v.format.extension());
    let kept: Option<Vec<(String, Arc<[u8]>)>> = variants
        .iter()
        .map(|v| Some((v.output.clone(), store.get(&name(v))?)))
        .collect();
    if let Some(files) = kept {
        return Ok(Made {
            files,
            cached: true,
        });
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
        let bytes = Arc::<[u8]>::from(bytes);
        store.put(&name(v), &bytes);
        out.push((v.output.clone(), bytes));
    }
    Ok(Made {
        files: out,
        cached: false,
    })
}

/// Adds the share card of every question and actor page of `site` to `files`,
/// taking cards from the `store` when their SVG is unchanged.
pub(crate) fn share_cards(
    site: &Site,
    files: &mut Files,
    store: &Store<impl ImageReuse>,
) -> CardStats {
    let svgs = cards::all(site, files);
    let made: Vec<(String, Arc<[u8]>, bool)> = svgs
        .into_par_iter()
        .map(|(path, svg)| {
            let key = format!("{}.png", cache::key(svg.as_bytes(), raster::SETTINGS));
            match store.get(&key) {
                Some(png) => (path, png, true),
                None => {
                    let png = Arc::<[u8]>::from(raster::png(&svg));
                    store.put(&key, &png);
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
        files.insert(path, png);
    }
    stats
}
