//! Warnings: content that builds but is probably unfinished (actors without
//! stances, questions nobody takes a position on, pages nothing links to).

use std::collections::BTreeSet;

use crate::diagnostics::Diagnostic;
use crate::resolve::bodies::Bodies;
use crate::resolve::ids::Docs;
use crate::resolve::{EntityRef, Site};

/// Content that builds but is probably unfinished.
pub(super) fn warnings(site: &Site, docs: &Docs, bodies: &Bodies) -> Vec<Diagnostic> {
    let mut out = actors_without_stances(site, docs);
    out.extend(questions_without_stances(site, docs));
    out.extend(unlinked_pages(site, docs, bodies));
    out
}

fn actors_without_stances(site: &Site, docs: &Docs) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (a, d) in site.actors.iter().zip(&docs.actors) {
        if a.stances.is_empty() {
            out.push(
                Diagnostic::warning(format!("the actor `{}` has no stances", a.id))
                    .in_file(&a.path)
                    .at_opt(d.key_span("name", 0))
                    .label("no stance on any question")
                    .help("add a `stances:` list, or leave it if this actor only gives context"),
            );
        }
    }
    out
}

fn questions_without_stances(site: &Site, docs: &Docs) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (q, d) in site.questions.iter().zip(&docs.questions) {
        if q.stances.is_empty() {
            out.push(
                Diagnostic::warning(format!("nobody has a stance on the question `{}`", q.id))
                    .in_file(&q.path)
                    .at_opt(d.key_span("title", 0))
                    .label("no actor takes a position on this question")
                    .help(format!(
                        "add a stance with `question: {}` to an actor",
                        q.id
                    )),
            );
        }
    }
    out
}

fn unlinked_pages(site: &Site, docs: &Docs, bodies: &Bodies) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Pages reachable from the navigation (top level) or a list page are linked.
    let mut linked: BTreeSet<&str> = BTreeSet::new();
    for r in bodies.indexes.iter().chain(&bodies.pages) {
        linked.extend(r.links.iter().map(String::as_str));
    }
    // A set: asking every list for every page would grow with the square of the site.
    let listed_pages: BTreeSet<usize> = site
        .lists
        .iter()
        .flat_map(|l| l.pages.iter().copied())
        .collect();
    for (i, (p, d)) in site.pages.iter().zip(&docs.pages).enumerate() {
        let listed = listed_pages.contains(&i);
        let in_nav = p.folder.is_empty();
        let backlinked = site
            .backlinks
            .get(&EntityRef::Page(i))
            .is_some_and(|b| !b.is_empty());
        if !listed && !in_nav && !backlinked && !linked.contains(p.id.as_str()) {
            out.push(
                Diagnostic::warning(format!("nothing links to the page `{}`", p.id))
                    .in_file(&p.path)
                    .at_opt(d.key_span("title", 0))
                    .label("this page is not in the navigation, a list or a link")
                    .help(format!(
                        "link to it with `[[{}]]`, or add `content/{}/_index.md` to list its folder",
                        p.id, p.folder
                    )),
            );
        }
    }
    out
}
