//! Bodies: the Markdown of every document rendered with the link targets, through
//! [`BodyReuse`] so that unchanged bodies keep their earlier output.

use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::load::content::Doc;
use crate::resolve::ids::Docs;
use crate::resolve::markdown::{self, LinkTargets, Rendered};
use crate::resolve::BodyReuse;

/// The rendered body of every document, in the order of [`Docs`].
pub(super) struct Bodies {
    pub actors: Vec<Arc<Rendered>>,
    pub questions: Vec<Arc<Rendered>>,
    pub events: Vec<Arc<Rendered>>,
    pub pages: Vec<Arc<Rendered>>,
    pub indexes: Vec<Arc<Rendered>>,
}

impl Bodies {
    /// The broken links of every body: actors, questions, events, pages, indexes.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.actors
            .iter()
            .chain(&self.questions)
            .chain(&self.events)
            .chain(&self.pages)
            .chain(&self.indexes)
            .flat_map(|r| r.diagnostics.iter())
    }
}

/// The bodies of `docs`, taken from `memo` or rendered with `targets` and the
/// autolinker of the actor `names`.
pub(super) fn rendered_bodies(
    docs: &Docs,
    targets: &LinkTargets,
    names: &[(String, String)],
    memo: &mut impl BodyReuse,
) -> Bodies {
    // Markdown bodies, in parallel: each is independent once the targets are known.
    let linker = targets.linker();
    memo.begin(&linker, names);
    let cache = &*memo;
    let render = |path: &str, text: &Arc<str>, body: Range<usize>, id: Option<&str>| {
        cache.body(path, text, body.clone(), id, || {
            markdown::render(path, text, body, id, &linker)
        })
    };
    let bodies = Bodies {
        actors: rendered(&docs.actors, true, &render),
        questions: rendered(&docs.questions, true, &render),
        events: rendered(&docs.events, true, &render),
        pages: rendered(&docs.pages, true, &render),
        indexes: rendered(&docs.indexes, false, &render),
    };
    memo.finish();
    bodies
}

/// The bodies of `docs`, each rendered with its id when `with_id`.
fn rendered<M: Send + Sync>(
    docs: &[Arc<Doc<M>>],
    with_id: bool,
    render: &(impl Fn(&str, &Arc<str>, Range<usize>, Option<&str>) -> Arc<Rendered> + Sync),
) -> Vec<Arc<Rendered>> {
    docs.par_iter()
        .map(|d| {
            let id = with_id.then_some(d.id.as_str());
            render(&d.path, &d.text, d.body.clone(), id)
        })
        .collect()
}
