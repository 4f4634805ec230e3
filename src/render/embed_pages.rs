//! Embeds for other sites (DESIGN.md section 10): `/embed/questions/<id>/`,
//! `/embed/actors/<id>/` and `/embed/matrix/`, the spectrum, the actor's card and
//! the stance matrix without the site's frame, rendered with `embed.html`; the
//! `oembed.json` beside each; and the `<iframe>` code the full pages offer to copy.
//! Everything here is made from front matter and data files, never from bodies:
//! `serve` patches bodies without making these again.

use std::sync::Arc;

use serde_json::json;
use tera::Value;

use crate::escape;
use crate::render::embeds;
use crate::render::job::Job;
use crate::render::spectrum::question_positions;
use crate::render::values::{self, opt_str, Obj, SiteValues};
use crate::resolve::{EntityRef, Site};

/// The template of every embed page.
pub const TEMPLATE: &str = "embed.html";

/// Site path of the matrix embed.
pub const MATRIX_URL: &str = "/embed/matrix/";

/// Width the oEmbed answer gives (the `<iframe>` itself is 100% wide).
const OEMBED_WIDTH: u32 = 640;

/// What one embed page is of.
struct Embedded<'a> {
    /// `question`, `actor` or `matrix`.
    kind: &'static str,
    id: &'a str,
    title: &'a str,
    /// Site path of the full page: `/questions/x/`.
    full_url: &'a str,
    summary: &'a Option<String>,
    /// Starting height of the `<iframe>`, before the embed reports its own.
    height: u32,
}

/// Site path of the embed of the entity page at `url`: `/embed/questions/x/`.
pub fn embed_url(url: &str) -> String {
    format!("/embed{url}")
}

fn question(site: &Site, i: usize) -> Embedded<'_> {
    let q = &site.questions[i];
    Embedded {
        kind: "question",
        id: &q.id,
        title: &q.title,
        full_url: &q.url,
        summary: &q.summary,
        // A band a position, stacked on a phone: a guess the script corrects.
        height: 200 + 60 * q.positions.len().min(10) as u32,
    }
}

fn actor(site: &Site, i: usize) -> Embedded<'_> {
    let a = &site.actors[i];
    let current = a.stances.iter().filter(|&&s| site.stances[s].current);
    Embedded {
        kind: "actor",
        id: &a.id,
        title: &a.name,
        full_url: &a.url,
        summary: &a.summary,
        height: 180 + 36 * current.count().min(12) as u32,
    }
}

fn matrix(site: &Site) -> Embedded<'_> {
    Embedded {
        kind: "matrix",
        id: "matrix",
        title: "Stance matrix",
        full_url: "/matrix/",
        summary: &None,
        height: 160 + 44 * site.actors.len().min(12) as u32,
    }
}

/// Every embedded thing: the questions, the actors, the matrix.
fn all(site: &Site) -> Vec<Embedded<'_>> {
    (0..site.questions.len())
        .map(|i| question(site, i))
        .chain((0..site.actors.len()).map(|i| actor(site, i)))
        .chain([matrix(site)])
        .collect()
}

impl Embedded<'_> {
    fn url(&self) -> String {
        if self.kind == "matrix" {
            MATRIX_URL.to_string()
        } else {
            embed_url(self.full_url)
        }
    }

    /// The `<iframe>` code to paste in another site's page.
    fn iframe(&self, site: &Site) -> String {
        let c = &site.config;
        let title = format!("{} · {}", self.title, c.title);
        format!(
            "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"{}\" style=\"border:0;width:100%\" loading=\"lazy\"></iframe>",
            escape::html(&c.permalink(&self.url())),
            escape::html(&title),
            self.height
        )
    }

    /// `page.embed` of the full page: where the embed is, and its code.
    fn info(&self, site: &Site) -> Value {
        let url = self.url();
        Obj::new()
            .set("url", url.as_str())
            .set("permalink", site.config.permalink(&url))
            .set(
                "oembed",
                site.config.permalink(&format!("{url}oembed.json")),
            )
            .set("code", self.iframe(site))
            .set("height", self.height)
            .build()
    }
}

/// `page.embed` of the page of `r`, a question or an actor (none for others).
pub(super) fn info_for(site: &Site, r: EntityRef) -> Value {
    match r {
        EntityRef::Question(i) => question(site, i).info(site),
        EntityRef::Actor(i) => actor(site, i).info(site),
        _ => Value::none(),
    }
}

/// What `/matrix/` says about its embed (`page.embed`).
pub(super) fn matrix_info(site: &Site) -> Value {
    matrix(site).info(site)
}

/// The embed pages to render.
pub(super) fn jobs(site: &Site, v: &SiteValues) -> Vec<Job> {
    let questions = site.questions.iter().enumerate().map(|(i, q)| {
        let spectrum = Obj::new()
            .set("question", v.question_cards[i].clone())
            .set("positions", question_positions(site, v, q))
            .build();
        job(
            site,
            &question(site, i),
            "spectrum",
            spectrum,
            Some(&q.path),
        )
    });
    let actors = site.actors.iter().enumerate().map(|(i, a)| {
        let card = v.actor_cards[i].clone();
        job(site, &actor(site, i), "card", card, Some(&a.path))
    });
    // As on the home page: a wider table is unreadable, and its size would grow
    // with actors × questions (47 MB at 10,000 pages).
    let (columns, rows) = v.matrix.limited(values::MATRIX_COLUMNS);
    let table = embeds::matrix(site, v, Obj::new(), Some(rows), Some(columns));
    let table_job = job(site, &matrix(site), "matrix", table, None);
    questions.chain(actors).chain([table_job]).collect()
}

fn job(site: &Site, e: &Embedded, key: &str, shown: Value, source: Option<&str>) -> Job {
    let url = e.url();
    let info = e.info(site);
    let page = Obj::new()
        .set("kind", "embed")
        .set("embed_kind", e.kind)
        .set("id", e.id)
        .set("title", e.title)
        .set("url", url.as_str())
        .set("permalink", site.config.permalink(&url))
        .set("full_url", e.full_url)
        .set("full_permalink", site.config.permalink(e.full_url))
        .set("summary_text", opt_str(e.summary))
        .set("embed", info)
        .set_named(key, shown)
        .build();
    Job {
        url,
        template: TEMPLATE.to_string(),
        page,
        source: source.map(str::to_string),
        chosen: None,
        embeds: Arc::default(),
    }
}

/// Every embed's `oembed.json` (oEmbed 1.0, type `rich`): (output path, JSON).
pub fn oembed_files(site: &Site) -> Vec<(String, String)> {
    let c = &site.config;
    all(site)
        .iter()
        .map(|e| {
            let answer = json!({
                "version": "1.0",
                "type": "rich",
                "title": e.title,
                "provider_name": c.title,
                "provider_url": c.base_url,
                "html": e.iframe(site),
                "width": OEMBED_WIDTH,
                "height": e.height,
            });
            let mut text = serde_json::to_string_pretty(&answer).unwrap_or_default();
            text.push('\n');
            let path = format!("{}oembed.json", e.url());
            (path.trim_start_matches('/').to_string(), text)
        })
        .collect()
}
