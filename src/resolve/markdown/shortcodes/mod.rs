//! Shortcodes: the site's data embedded in prose (`{{ stance(...) }}`). Before a
//! body is parsed as Markdown, each shortcode outside code is found (`parse`),
//! checked (`check`) and replaced by a placeholder the Markdown parser keeps
//! whole: an HTML comment on its own line for a block, an autolink inside a
//! paragraph. The renderer turns each placeholder into a marker
//! (`<!--standpoint-embed-N-->`) that the render stage replaces with the
//! shortcode's template, once the site's data is known.

mod check;
mod parse;

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};

pub use parse::ArgValue;

use crate::diagnostics::Diagnostic;
use crate::load::content::Date;
use crate::resolve::markdown::Html;
pub(crate) use parse::Call;
use parse::Found;

/// What a shortcode shows, its ids checked.
#[derive(Debug, Clone)]
pub enum Embed {
    Stance {
        actor: String,
        question: String,
        as_of: Option<Date>,
    },
    Spectrum {
        question: String,
    },
    Matrix {
        actors: Option<Vec<String>>,
        questions: Option<Vec<String>>,
    },
    Card {
        id: String,
    },
    Timeline {
        question: Option<String>,
        actor: Option<String>,
        from: Option<Date>,
        to: Option<Date>,
        limit: Option<usize>,
    },
    Compare {
        actors: Vec<String>,
    },
    Figure {
        /// A site path or an external URL.
        src: String,
        alt: String,
        credit: Option<String>,
        caption: Option<Html>,
    },
    /// One of the site's `templates/shortcodes/<name>.html`.
    Site {
        name: String,
        args: Vec<(String, ArgValue)>,
        body: Option<Html>,
    },
}

impl Embed {
    /// The shortcode's name, which is also its template's: `shortcodes/<name>.html`.
    pub fn name(&self) -> &str {
        match self {
            Embed::Stance { .. } => "stance",
            Embed::Spectrum { .. } => "spectrum",
            Embed::Matrix { .. } => "matrix",
            Embed::Card { .. } => "card",
            Embed::Timeline { .. } => "timeline",
            Embed::Compare { .. } => "compare",
            Embed::Figure { .. } => "figure",
            Embed::Site { name, .. } => name,
        }
    }

    /// The ids its arguments name: the page mentions them.
    pub fn ids(&self) -> Vec<&str> {
        fn all(l: &Option<Vec<String>>) -> Vec<&str> {
            l.iter().flatten().map(String::as_str).collect()
        }
        match self {
            Embed::Stance {
                actor, question, ..
            } => vec![actor, question],
            Embed::Spectrum { question } => vec![question],
            Embed::Matrix { actors, questions } => [all(actors), all(questions)].concat(),
            Embed::Card { id } => vec![id],
            Embed::Timeline {
                question, actor, ..
            } => question.iter().chain(actor).map(String::as_str).collect(),
            Embed::Compare { actors } => actors.iter().map(String::as_str).collect(),
            Embed::Figure { .. } | Embed::Site { .. } => Vec::new(),
        }
    }
}

/// An embed and where it stands.
#[derive(Debug, Clone)]
pub struct Placed {
    pub embed: Embed,
    /// Inside a paragraph, rather than alone on its line.
    pub inline: bool,
}

/// The marker a rendered body holds for its embed `n`.
pub fn marker(n: usize) -> String {
    format!("<!--{MARKER}{n}-->")
}

/// What comes between `<!--` and the embed's number in a marker.
pub const MARKER: &str = "standpoint-embed-";

/// The scheme of the inline placeholder, an autolink: `<standpoint-slot:3>`.
pub(super) const INLINE_SCHEME: &str = "standpoint-slot:";
/// The block placeholder, an HTML comment alone on its line.
const BLOCK_SLOT: &str = "standpoint-slot-";

/// What a placeholder stands for.
#[derive(Debug)]
pub(super) enum Slot {
    /// A call to check, standing inline or alone on its line.
    Call { call: Call, inline: bool },
    /// Text to write as it is (`{{/* ... */}}`).
    Literal(String),
}

/// A body's text with its shortcodes replaced by placeholders, and the way back
/// from the new text's offsets to the file's.
pub(super) struct Prepared<'t> {
    pub text: Cow<'t, str>,
    pub slots: Vec<Slot>,
    /// (start in `text`, start in the file, length in `text`, length in the file) of
    /// each placeholder, in order.
    swaps: Vec<(usize, usize, usize, usize)>,
    /// The file offset of `text`'s start.
    base: usize,
}

impl Prepared<'_> {
    /// The file offset of offset `at` of `text` (a placeholder maps to its shortcode).
    pub fn file_offset(&self, at: usize) -> usize {
        let k = self.swaps.partition_point(|s| s.0 <= at);
        let Some(&(start, file_start, len, _)) = k.checked_sub(1).map(|k| &self.swaps[k]) else {
            return self.base + at;
        };
        if at < start + len {
            return file_start;
        }
        // Past a placeholder, the file is as far on as its shortcode's end.
        file_start + self.swaps[k - 1].3 + (at - start - len)
    }

    pub fn file_range(&self, r: Range<usize>) -> Range<usize> {
        if self.swaps.is_empty() {
            return self.base + r.start..self.base + r.end;
        }
        self.file_offset(r.start)..self.file_offset(r.end).max(self.file_offset(r.start))
    }

    /// The slot of a block placeholder comment `<!--standpoint-slot-N-->`, if `html`
    /// holds one, with its range in `html`.
    pub fn block_slots(html: &str) -> Vec<(Range<usize>, usize)> {
        let open = format!("<!--{BLOCK_SLOT}");
        let mut found = Vec::new();
        let mut at = 0;
        while let Some(k) = html[at..].find(&open) {
            let start = at + k;
            let digits = &html[start + open.len()..];
            let n: String = digits.chars().take_while(char::is_ascii_digit).collect();
            let end = start + open.len() + n.len();
            if html[end..].starts_with("-->") {
                if let Ok(n) = n.parse() {
                    found.push((start..end + 3, n));
                }
            }
            at = end.max(start + 1);
        }
        found
    }
}

/// The shortcodes of `source` (a body starting at file offset `base`), replaced by
/// placeholders; malformed ones are reported and left as text. `nested` bodies
/// (a shortcode's own body) may hold none.
pub(super) fn prepare<'t>(
    source: &'t str,
    base: usize,
    nested: bool,
    errors: &mut Vec<Diagnostic>,
) -> Prepared<'t> {
    let mut prepared = Prepared {
        text: Cow::Borrowed(source),
        slots: Vec::new(),
        swaps: Vec::new(),
        base,
    };
    if !source.contains("{{") && !source.contains("{%") {
        return prepared;
    }
    let code = code_ranges(source);
    let (found, scan_errors) = parse::scan(source, base, &code);
    errors.extend(scan_errors);
    if found.is_empty() {
        return prepared;
    }
    let mut text = String::with_capacity(source.len());
    let mut last = 0;
    for f in found {
        let span = f.span().start - base..f.span().end - base;
        if let (true, Found::Call(c)) = (nested, &f) {
            errors.push(nested_error(c));
            continue;
        }
        let n = prepared.slots.len();
        let (slot, placeholder) = match f {
            Found::Literal { text, .. } => (Slot::Literal(text), format!("<{INLINE_SCHEME}{n}>")),
            Found::Call(call) => {
                let inline = !alone_on_its_lines(source, &span);
                let placeholder = if inline {
                    format!("<{INLINE_SCHEME}{n}>")
                } else {
                    format!("<!--{BLOCK_SLOT}{n}-->")
                };
                (Slot::Call { call, inline }, placeholder)
            }
        };
        text.push_str(&source[last..span.start]);
        prepared
            .swaps
            .push((text.len(), base + span.start, placeholder.len(), span.len()));
        text.push_str(&placeholder);
        prepared.slots.push(slot);
        last = span.end;
    }
    if prepared.slots.is_empty() {
        return prepared;
    }
    text.push_str(&source[last..]);
    prepared.text = Cow::Owned(text);
    prepared
}

fn nested_error(c: &Call) -> Diagnostic {
    Diagnostic::error(format!(
        "the shortcode `{}` stands inside another shortcode's body",
        c.name
    ))
    .at(c.name_span.clone())
    .label("shortcodes do not nest")
    .help("move it out of the `{% ... %}` body")
}

/// Whether only spaces stand before `span` on its first line and after it on its last.
fn alone_on_its_lines(text: &str, span: &Range<usize>) -> bool {
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[span.end..]
        .find('\n')
        .map_or(text.len(), |i| span.end + i);
    text[line_start..span.start].trim().is_empty() && text[span.end..line_end].trim().is_empty()
}

/// The byte ranges of code spans and code blocks in `text`, in order: shortcodes
/// there are shown, not expanded.
fn code_ranges(text: &str) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for (event, range) in Parser::new_ext(text, super::options(false)).into_offset_iter() {
        if matches!(event, Event::Code(_) | Event::Start(Tag::CodeBlock(_))) {
            ranges.push(range);
        }
    }
    ranges.sort_by_key(|r| r.start);
    ranges
}

pub(crate) use check::check;

/// Whether `name` is a built-in shortcode.
pub fn is_built_in(name: &str) -> bool {
    check::built_in(name).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prepared(text: &str) -> (String, Vec<Slot>, Vec<Diagnostic>) {
        let mut errors = Vec::new();
        let p = prepare(text, 10, false, &mut errors);
        (p.text.into_owned(), p.slots, errors)
    }

    #[test]
    fn blocks_and_inline_calls_get_their_placeholders() {
        let (text, slots, errors) =
            prepared("Lede.\n\n{{ spectrum(question=\"q\") }}\n\nAs {{ card(id=\"a\") }} said.\n");
        assert!(errors.is_empty());
        assert_eq!(
            text,
            "Lede.\n\n<!--standpoint-slot-0-->\n\nAs <standpoint-slot:1> said.\n"
        );
        assert!(matches!(&slots[0], Slot::Call { inline: false, .. }));
        assert!(matches!(&slots[1], Slot::Call { inline: true, .. }));
    }

    #[test]
    fn code_keeps_its_shortcodes() {
        let text = "`{{ card(id=\"a\") }}`\n\n```\n{{ card(id=\"a\") }}\n```\n\n    {{ card(id=\"a\") }}\n";
        let (out, slots, _) = prepared(text);
        assert_eq!(out, text);
        assert!(slots.is_empty());
    }

    #[test]
    fn offsets_map_back_to_the_file() {
        let source = "ab {{ card(id=\"x\") }} cd";
        let mut errors = Vec::new();
        let p = prepare(source, 100, false, &mut errors);
        assert_eq!(&*p.text, "ab <standpoint-slot:0> cd");
        // Before, inside and after the placeholder.
        assert_eq!(p.file_offset(1), 101);
        assert_eq!(p.file_offset(5), 103);
        let after = p.text.find(" cd").unwrap();
        assert_eq!(p.file_offset(after), 100 + source.find(" cd").unwrap());
    }

    #[test]
    fn nested_shortcodes_are_errors() {
        let mut errors = Vec::new();
        let _ = prepare("x {{ card(id=\"a\") }}", 0, true, &mut errors);
        assert!(errors[0].message.contains("inside another shortcode"));
    }

    #[test]
    fn finds_block_slots_in_html() {
        let html = "<div><!--standpoint-slot-12--></div><!--standpoint-slot-x-->";
        assert_eq!(Prepared::block_slots(html), vec![(5..30, 12)]);
    }
}
