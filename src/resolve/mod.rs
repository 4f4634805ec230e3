//! Resolving: turns the loaded files into one checked graph. Every reference is
//! resolved (or reported with its place), Markdown is rendered with its links, and
//! the derived views are computed: stances per actor and question, members, events,
//! backlinks, the stance matrix and the timeline.
//!
//! This file owns the stage's entry point, [`resolve`], which runs the steps in
//! order, and [`BodyReuse`]; the model it produces is in `model`, the steps in
//! `ids` (duplicate ids, link targets), `short_texts` (the inline Markdown of front
//! matter), `references` (front matter), `bodies` (Markdown), `outputs` (what the
//! site writes, and the links into it), `entities` and `derive` (the site) and
//! `warnings`.

pub mod as_of;
mod bodies;
mod derive;
mod entities;
mod ids;
mod image_files;
pub mod languages;
pub mod markdown;
mod model;
mod outputs;
pub mod pictures;
mod references;
mod short_texts;
pub mod translate;
mod warnings;

pub use model::*;
pub use outputs::{output_path, GENERATED_FILES};

use std::ops::Range;
use std::sync::Arc;

use crate::diagnostics::Diagnostic;
use crate::load::config::Config;
use crate::load::content::Content;
use crate::load::theme::Theme;
use crate::resolve::bodies::rendered_bodies;
use crate::resolve::derive::Given;
use crate::resolve::ids::{
    autolink_names, duplicate_ids, link_targets, site_shortcodes, sorted_docs, Docs,
};
use crate::resolve::markdown::{Linker, Rendered};
use crate::resolve::references::checked_references;
use crate::resolve::short_texts::short_texts;

/// Markdown output kept from earlier builds. [`resolve`] tells it the link targets
/// of the build, asks it for each body's output, and says when all are done.
pub trait BodyReuse: Send + Sync {
    /// Starts a build whose link targets are `linker`, its autolinker made from the
    /// actor `names` (id, name or alias).
    fn begin(&mut self, linker: &Linker, names: &[(String, String)]);
    /// The output for one body: a kept one when nothing it depends on changed, else
    /// `render()`'s.
    fn body(
        &self,
        path: &str,
        text: &Arc<str>,
        body: Range<usize>,
        id: Option<&str>,
        render: impl FnOnce() -> Rendered,
    ) -> Arc<Rendered>;
    /// Ends the build: its bodies are the ones to keep.
    fn finish(&mut self);
}

/// No reuse: every body is rendered.
impl BodyReuse for () {
    fn begin(&mut self, _: &Linker, _: &[(String, String)]) {}
    fn body(
        &self,
        _: &str,
        _: &Arc<str>,
        _: Range<usize>,
        _: Option<&str>,
        render: impl FnOnce() -> Rendered,
    ) -> Arc<Rendered> {
        Arc::new(render())
    }
    fn finish(&mut self) {}
}

/// A stage borrows the reuse a session keeps.
impl<T: BodyReuse> BodyReuse for &mut T {
    fn begin(&mut self, linker: &Linker, names: &[(String, String)]) {
        (**self).begin(linker, names)
    }
    fn body(
        &self,
        path: &str,
        text: &Arc<str>,
        body: Range<usize>,
        id: Option<&str>,
        render: impl FnOnce() -> Rendered,
    ) -> Arc<Rendered> {
        (**self).body(path, text, body, id, render)
    }
    fn finish(&mut self) {
        (**self).finish()
    }
}

/// What resolving gives: the site, when there was no error, and every error and
/// warning found.
#[derive(Debug)]
pub struct Resolved {
    pub site: Option<Site>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Resolves `content` into a [`Site`], checking its links against every file the
/// site and the `theme` write, and taking the Markdown output of unchanged bodies
/// from `bodies`.
pub fn resolve(
    config: Config,
    content: Content,
    theme: &Theme,
    bodies: &mut impl BodyReuse,
) -> Resolved {
    let Content {
        actors,
        questions,
        events,
        pages,
        indexes,
        assets,
        drafts,
        broken,
        // Each language resolves its own content (`translate::content_in`).
        translations: _,
    } = content;
    let docs = sorted_docs(Docs {
        actors,
        questions,
        events,
        pages,
        indexes,
    });
    let mut diagnostics = duplicate_ids(&docs);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Resolved {
            site: None,
            diagnostics,
        };
    }
    let names = autolink_names(&docs);
    let shortcodes = site_shortcodes(theme);
    let link_targets = link_targets(&config, &docs, &names, drafts, broken, shortcodes);
    let mut texts = short_texts(&docs, &link_targets);
    diagnostics.append(&mut texts.diagnostics);
    let stance_texts = std::mem::take(&mut texts.stances);
    let references = checked_references(&docs, &link_targets, stance_texts, &mut diagnostics);
    let rendered = rendered_bodies(&docs, &link_targets, &names, bodies);
    diagnostics.extend(rendered.diagnostics().cloned());
    let (checked, pictures) =
        outputs::checked_outputs(&docs, &rendered, &texts.links, &assets, theme, &config);
    diagnostics.extend(checked);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Resolved {
            site: None,
            diagnostics,
        };
    }
    let given = Given {
        config,
        link_targets,
        assets,
    };
    let mut site = derive::site(given, &docs, references, &rendered, texts);
    site.words = theme.words_for(&site.config.language);
    site.pictures = Arc::new(pictures);
    diagnostics.extend(warnings::warnings(&site, &docs, &rendered));
    Resolved {
        site: Some(site),
        diagnostics,
    }
}
