//! Heading ids (DESIGN.md section 8): a heading's text as a slug, made unique in
//! the page with `-1`, `-2`; an explicit `{#id}` wins. Each heading gets a visible
//! self-link, and the page keeps its headings for checking `#fragment` links and as
//! its table of contents ([`Toc`], `page.toc`).

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag};
use tera::{Map, Value};

use crate::diagnostics::Diagnostic;

/// A heading of a page, as the table of contents and fragment links see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    pub id: String,
    /// Its text, without markup.
    pub title: String,
}

/// Where a heading sits in the event list of a body, while it is rendered.
pub(super) struct Slot {
    /// Index of its `Start(Heading)` event.
    pub start: usize,
    /// Index of the empty event that becomes its self-link.
    pub anchor: usize,
    pub explicit: Option<String>,
    pub span: Range<usize>,
}

/// `## Who said what?` -> `who-said-what`. Letters and digits of any script are
/// kept (lowercased), spaces, `-` and `_` become one `-`, the rest is dropped.
pub fn slug(text: &str) -> String {
    let out = slug_or_empty(text);
    if out.is_empty() {
        "section".to_string()
    } else {
        out
    }
}

/// [`slug`], or `""` for a text without letters or digits.
pub(super) fn slug_or_empty(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() || c == '-' || c == '_' {
            dash = true;
        }
    }
    out
}

/// Gives every heading in `slots` its id and self-link, in `events`; returns the
/// headings in order, and an error for each explicit id used twice. No slug is made
/// one of the `reserved` ids (the footnotes'); an explicit id may be, and the
/// footnotes report that.
pub(super) fn assign_ids(
    slots: &[Slot],
    events: &mut [Event],
    reserved: &HashSet<String>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Heading> {
    // Explicit ids are taken first, so that a slug never takes one of them.
    let mut used: HashSet<String> = reserved.clone();
    let mut explicit: HashSet<&str> = HashSet::new();
    for slot in slots {
        if let Some(id) = &slot.explicit {
            used.insert(id.clone());
            if !explicit.insert(id) {
                diagnostics.push(
                    Diagnostic::error(format!("the heading id `{id}` is used twice in this page"))
                        .at(slot.span.clone())
                        .label("a second heading with this id")
                        .help("give each heading its own `{#id}`"),
                );
            }
        }
    }
    let mut headings = Vec::with_capacity(slots.len());
    for slot in slots {
        let title = plain_text(&events[slot.start + 1..slot.anchor]);
        let id = match &slot.explicit {
            Some(id) => id.clone(),
            None => unique(slug(&title), &mut used),
        };
        let level = match &mut events[slot.start] {
            Event::Start(Tag::Heading {
                level, id: slot_id, ..
            }) => {
                *slot_id = Some(CowStr::from(id.clone()));
                level_number(*level)
            }
            _ => 1,
        };
        events[slot.anchor] = Event::InlineHtml(CowStr::from(self_link(&id)));
        headings.push(Heading { level, id, title });
    }
    headings
}

/// `base`, or `base-1`, `base-2`, ... whichever is free first; marks it used.
fn unique(base: String, used: &mut HashSet<String>) -> String {
    let mut id = base.clone();
    let mut n = 0;
    while used.contains(&id) {
        n += 1;
        id = format!("{base}-{n}");
    }
    used.insert(id.clone());
    id
}

/// The text of heading events, without markup.
fn plain_text(events: &[Event]) -> String {
    let mut text = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_string()
}

/// The self-link of the heading `id`: visible through the theme's CSS, named for
/// screen readers.
fn self_link(id: &str) -> String {
    format!(
        r##"<a class="anchor" href="#{}" aria-label="Link to this section"></a>"##,
        crate::escape::html(id)
    )
}

/// A page's table of contents, `page.toc`: `[{level, id, title, children}]`, each
/// heading with the deeper ones that follow it as its children. Held as the template
/// value it becomes, made once per body like its HTML ([`super::Html`]).
#[derive(Debug, Clone)]
pub struct Toc(Value);

impl Toc {
    pub fn new(headings: &[Heading]) -> Toc {
        Toc(Value::from(toc_entries(headings)))
    }

    pub fn value(&self) -> &Value {
        &self.0
    }
}

impl Default for Toc {
    fn default() -> Toc {
        Toc::new(&[])
    }
}

/// The entries of `headings`: each heading takes the headings after it, up to the
/// next one of its level or higher, as children. A skipped level (h2, then h4) nests
/// the h4 under the h2. Recursion is as deep as the six levels at most.
fn toc_entries(headings: &[Heading]) -> Vec<Value> {
    let mut entries = Vec::new();
    let mut i = 0;
    while i < headings.len() {
        let h = &headings[i];
        let end = headings[i + 1..]
            .iter()
            .position(|next| next.level <= h.level)
            .map_or(headings.len(), |n| i + 1 + n);
        let mut entry = Map::with_capacity(4);
        entry.insert("level".into(), Value::from(h.level));
        entry.insert("id".into(), Value::from(h.id.as_str()));
        entry.insert("title".into(), Value::from(h.title.as_str()));
        entry.insert(
            "children".into(),
            Value::from(toc_entries(&headings[i + 1..end])),
        );
        entries.push(Value::from(entry));
        i = end;
    }
    entries
}

fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("Who said what"), "who-said-what");
        assert_eq!(slug("  What's next?  "), "whats-next");
        assert_eq!(slug("Kharkiv — and after"), "kharkiv-and-after");
        assert_eq!(slug("Позиція США"), "позиція-сша");
        assert_eq!(slug("!!!"), "section");
        assert_eq!(slug("a_b--c"), "a-b-c");
    }

    fn heading(level: u8, id: &str) -> Heading {
        Heading {
            level,
            id: id.into(),
            title: id.to_uppercase(),
        }
    }

    /// A toc as `id(children...)` text.
    fn shape(entries: &Value) -> String {
        let list = entries.as_array().unwrap();
        let parts: Vec<String> = list
            .iter()
            .map(|e| {
                let e = e.as_map().unwrap();
                let get = |k: &'static str| e.get(&tera::value::Key::from(k)).unwrap().clone();
                let id = get("id").as_str().unwrap().to_string();
                let kids = get("children");
                if kids.as_array().unwrap().is_empty() {
                    id
                } else {
                    format!("{id}({})", shape(&kids))
                }
            })
            .collect();
        parts.join(" ")
    }

    #[test]
    fn the_toc_nests_deeper_headings_even_across_skipped_levels() {
        let hs = [
            heading(2, "a"),
            heading(4, "a1"),
            heading(3, "a2"),
            heading(4, "a2x"),
            heading(2, "b"),
            heading(1, "c"),
            heading(6, "c1"),
        ];
        assert_eq!(shape(Toc::new(&hs).value()), "a(a1 a2(a2x)) b c(c1)");
        // A page that starts deeper than it goes on: each is at the top.
        let hs = [heading(3, "x"), heading(2, "y"), heading(3, "z")];
        assert_eq!(shape(Toc::new(&hs).value()), "x y(z)");
        assert_eq!(shape(Toc::default().value()), "");
        let one = Toc::new(&hs[..1]);
        let first = &one.value().as_array().unwrap()[0];
        let first = first.as_map().unwrap();
        assert_eq!(
            first.get(&tera::value::Key::from("title")),
            Some(&Value::from("X"))
        );
        assert_eq!(
            first.get(&tera::value::Key::from("level")),
            Some(&Value::from(3u8))
        );
    }

    #[test]
    fn unique_ids_count_up() {
        let mut used = HashSet::from(["intro-1".to_string()]);
        assert_eq!(unique("intro".into(), &mut used), "intro");
        assert_eq!(unique("intro".into(), &mut used), "intro-2");
        assert_eq!(unique("intro".into(), &mut used), "intro-3");
    }
}
