//! The one error type of the pipeline: a message with a place (file and byte span),
//! an optional hint, and a severity; rendered rustc-style with the source line.
//!
//! Rendering goes through codespan-reporting: two small dependencies, a stable API,
//! rustc's own layout in plain ASCII, colour only when asked. (miette's fancy mode
//! pulls in some seventy crates; ariadne's layout is not rustc's; annotate-snippets
//! changes its API between minor versions.) What each message means and how to fix
//! it is documented in `docs/diagnostics.md`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::sync::Arc;

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{self as csfiles, Files, SimpleFiles};
use codespan_reporting::term;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// Path relative to the site root, with `/` separators.
    pub file: Option<String>,
    /// Byte range into the file's text.
    pub span: Option<Range<usize>>,
    /// Short text printed under the caret.
    pub label: Option<String>,
    pub help: Option<String>,
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            message: message.into(),
            file: None,
            span: None,
            label: None,
            help: None,
            notes: Vec::new(),
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(message)
        }
    }

    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    pub fn at(mut self, span: Range<usize>) -> Self {
        self.span = Some(span);
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn at_opt(self, span: Option<Range<usize>>) -> Self {
        match span {
            Some(s) => self.at(s),
            None => self,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The text of every file a diagnostic may point into, by site-relative path.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    texts: BTreeMap<String, Arc<str>>,
}

impl Sources {
    pub fn insert(&mut self, path: impl Into<String>, text: Arc<str>) {
        self.texts.insert(path.into(), text);
    }

    pub fn get(&self, path: &str) -> Option<&Arc<str>> {
        self.texts.get(path)
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, path: &str, offset: usize) -> Option<(usize, usize)> {
        let text = self.texts.get(path)?;
        Some(line_col(text, offset))
    }
}

pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// All diagnostics of one run, in report order: by file, then position; errors
/// without a file first (they concern the whole site).
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (
            &a.file,
            a.span.as_ref().map(|s| s.start),
            a.severity,
            &a.message,
        )
            .cmp(&(
                &b.file,
                b.span.as_ref().map(|s| s.start),
                b.severity,
                &b.message,
            ))
    });
}

/// At most this many diagnostics are printed for one file; a note counts the rest
/// (a broken paste can hold thousands of the same mistake).
pub const SHOWN_PER_FILE: usize = 50;

/// Renders diagnostics the way rustc does, followed by nothing: the caller prints
/// the summary line (see [`tally`]). Each file's line index is made once.
pub fn render(diagnostics: &[Diagnostic], sources: &Sources, color: bool) -> String {
    let mut out = String::new();
    let config = term::Config {
        chars: term::Chars::ascii(),
        ..term::Config::default()
    };
    let mut files = SimpleFiles::new();
    let mut ids: BTreeMap<&str, usize> = BTreeMap::new();
    let mut shown: BTreeMap<Option<&str>, usize> = BTreeMap::new();
    for d in diagnostics {
        let count = shown.entry(d.file.as_deref()).or_default();
        *count += 1;
        if *count > SHOWN_PER_FILE && d.file.is_some() {
            continue;
        }
        let rendered = match (&d.file, &d.span) {
            (Some(file), Some(span)) => sources.get(file).and_then(|text| {
                let start = floor_char_boundary(text, span.start.min(text.len()));
                let end = floor_char_boundary(text, span.end.clamp(start, text.len()));
                if let Some(window) = Window::around(file, text, start..end) {
                    let span = window.span.clone();
                    return render_with_snippet(d, (), span, &window, &config, color);
                }
                let id = *ids
                    .entry(file.as_str())
                    .or_insert_with(|| files.add(file.clone(), text.clone()));
                render_with_snippet(d, id, start..end, &files, &config, color)
            }),
            _ => None,
        };
        match rendered {
            // codespan ends its report with a blank line already.
            Some(text) => out.push_str(&text),
            None => {
                out.push_str(&render_plain(d, color));
                out.push('\n');
            }
        }
    }
    for (file, count) in shown {
        if let (Some(file), true) = (file, count > SHOWN_PER_FILE) {
            let more = count - SHOWN_PER_FILE;
            let s = if more == 1 { "" } else { "s" };
            let _ = writeln!(
                out,
                "{}: {more} more diagnostic{s} in `{file}` not shown (the first {SHOWN_PER_FILE} are above)\n",
                if color { "\x1b[1mnote\x1b[0m" } else { "note" }
            );
        }
    }
    out
}

fn render_with_snippet<'f, F: Files<'f>>(
    d: &Diagnostic,
    id: F::FileId,
    span: Range<usize>,
    files: &'f F,
    config: &term::Config,
    color: bool,
) -> Option<String> {
    let mut label = cs::Label::primary(id, span);
    if let Some(l) = &d.label {
        label = label.with_message(l.clone());
    }
    let mut notes: Vec<String> = d.notes.iter().map(|n| format!("note: {n}")).collect();
    if let Some(h) = &d.help {
        notes.push(format!("help: {h}"));
    }
    let diagnostic = match d.severity {
        Severity::Error => cs::Diagnostic::error(),
        Severity::Warning => cs::Diagnostic::warning(),
    }
    .with_message(d.message.clone())
    .with_labels(vec![label])
    .with_notes(notes);
    if color {
        let mut buffer = term::termcolor::Buffer::ansi();
        term::emit_to_write_style(&mut buffer, config, files, &diagnostic).ok()?;
        String::from_utf8(buffer.into_inner()).ok()
    } else {
        term::emit_into_string(config, files, &diagnostic).ok()
    }
}

/// Source lines longer than this many characters are shown cut around the span:
/// a minified paste with thousands of errors on one line would print the whole
/// line for each of them.
const LONG_LINE: usize = 200;
/// Characters kept on each side of the span in a cut line.
const CONTEXT: usize = 60;

/// One long source line cut to a window around a span, as the only line of a
/// file for codespan: the report still gives the line and column in the real file.
struct Window {
    name: String,
    /// `...` + the window + `...`.
    text: String,
    /// The span, in `text`.
    span: Range<usize>,
    line: usize,
    /// The real column of `text`'s first character after the leading `...`.
    column: usize,
    /// Bytes of the leading `...` (0 when the window starts the line).
    lead: usize,
}

impl Window {
    /// The window for `span` of `text` when its line is long; `None` otherwise.
    fn around(name: &str, text: &str, span: Range<usize>) -> Option<Window> {
        let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[span.start..]
            .find(['\n', '\r'])
            .map_or(text.len(), |i| span.start + i);
        let line = &text[line_start..line_end];
        // Char indices, so that the cut never splits a character.
        let chars: Vec<usize> = line.char_indices().map(|(i, _)| i).collect();
        if chars.len() <= LONG_LINE {
            return None;
        }
        let at = |byte: usize| chars.partition_point(|&i| i < byte);
        let first = at(span.start - line_start);
        let last = at(span.end.min(line_end) - line_start)
            .clamp(first + 1, first + LONG_LINE - 2 * CONTEXT);
        let from = first.saturating_sub(CONTEXT);
        let to = (last + CONTEXT).min(chars.len());
        let byte = |c: usize| chars.get(c).map_or(line.len(), |&i| i);
        let lead = if from > 0 { "..." } else { "" };
        let tail = if to < chars.len() { "..." } else { "" };
        let window = &line[byte(from)..byte(to)];
        let shift = |b: usize| lead.len() + b - byte(from);
        Some(Window {
            name: name.to_string(),
            text: format!("{lead}{window}{tail}"),
            span: shift(byte(first))..shift(byte(last).min(byte(to))),
            line: text[..line_start].matches('\n').count() + 1,
            column: from + 1,
            lead: lead.len(),
        })
    }
}

impl<'a> Files<'a> for Window {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;
    fn name(&'a self, (): ()) -> Result<&'a str, csfiles::Error> {
        Ok(&self.name)
    }
    fn source(&'a self, (): ()) -> Result<&'a str, csfiles::Error> {
        Ok(&self.text)
    }
    fn line_index(&'a self, (): (), _: usize) -> Result<usize, csfiles::Error> {
        Ok(0)
    }
    fn line_number(&'a self, (): (), _: usize) -> Result<usize, csfiles::Error> {
        Ok(self.line)
    }
    fn column_number(&'a self, (): (), _: usize, byte: usize) -> Result<usize, csfiles::Error> {
        let shown = self.text.get(self.lead..byte.max(self.lead)).unwrap_or("");
        Ok(self.column + shown.chars().count())
    }
    fn line_range(&'a self, (): (), index: usize) -> Result<Range<usize>, csfiles::Error> {
        match index {
            0 => Ok(0..self.text.len()),
            given => Err(csfiles::Error::LineTooLarge { given, max: 0 }),
        }
    }
}

/// Whether standard error shows colours: a terminal, and `NO_COLOR` unset.
pub fn stderr_color() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// `error` or `warning`, in rustc's colours when `color`.
pub fn label(severity: Severity, color: bool) -> String {
    let (head, reset) = match (color, severity) {
        (false, _) => ("", ""),
        (true, Severity::Error) => ("\x1b[1;31m", "\x1b[0m"),
        (true, Severity::Warning) => ("\x1b[1;33m", "\x1b[0m"),
    };
    let word = match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    format!("{head}{word}{reset}")
}

/// ` (2 warnings)`, for the end of a summary line; empty without warnings.
pub fn warnings_suffix(diagnostics: &[Diagnostic]) -> String {
    match count(diagnostics).1 {
        0 => String::new(),
        n => format!(" ({})", tally(0, n)),
    }
}

fn render_plain(d: &Diagnostic, color: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", label(d.severity, color), d.message);
    if let Some(file) = &d.file {
        let _ = writeln!(out, "  --> {file}");
    }
    for n in &d.notes {
        let _ = writeln!(out, "  = note: {n}");
    }
    if let Some(h) = &d.help {
        let _ = writeln!(out, "  = help: {h}");
    }
    out
}

/// `path:line:col: message` on one line, for the browser overlay and logs.
pub fn one_line(d: &Diagnostic, sources: &Sources) -> String {
    let word = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    match (&d.file, &d.span) {
        (Some(f), Some(s)) => match sources.line_col(f, s.start) {
            Some((l, c)) => format!("{word}: {f}:{l}:{c}: {}", d.message),
            None => format!("{word}: {f}: {}", d.message),
        },
        (Some(f), None) => format!("{word}: {f}: {}", d.message),
        _ => format!("{word}: {}", d.message),
    }
}

pub fn count(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    (errors, diagnostics.len() - errors)
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `3 errors, 1 warning`
pub fn tally(errors: usize, warnings: usize) -> String {
    match (errors, warnings) {
        (e, 0) => plural(e, "error"),
        (0, w) => plural(w, "warning"),
        (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
    }
}

/// Edit distance counting a swap of two neighbours as one edit (typos like
/// `nmae` for `name`), for "did you mean" hints.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        d[i * width] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

/// The candidate closest to `wanted`, if it is close enough to be a likely typo.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (wanted.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (levenshtein(wanted, c), c))
        .filter(|(d, c)| *d <= limit || is_long_prefix(wanted, c))
        .min()
        .map(|(_, c)| c)
}

/// Whether one of `a` and `b` starts the other and says enough to be meant: four
/// characters or half the other (`strikes` for `strikes-inside-russia`, `g7` for
/// `g7s`), but not `/` for `/no/such/page/`.
fn is_long_prefix(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    long.starts_with(short) && (short.chars().count() >= 4 || short.len() * 2 >= long.len())
}

/// `did you mean `x`?`, when a candidate is close.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(wanted, candidates).map(|c| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\ncdé f", 7), (2, 4));
        assert_eq!(line_col("", 0), (1, 1));
    }

    #[test]
    fn closest_finds_typos_only() {
        let ids = ["strikes-inside-russia", "long-range-strikes"];
        assert_eq!(
            closest("strikes-inside-rusia", ids),
            Some("strikes-inside-russia")
        );
        assert_eq!(closest("weather", ids), None);
    }

    #[test]
    fn a_file_shows_its_first_diagnostics_and_counts_the_rest() {
        let text: String = (0..60).map(|i| format!("line {i}\n")).collect();
        let mut sources = Sources::default();
        sources.insert("content/a.md", Arc::from(text.as_str()));
        let diags: Vec<Diagnostic> = (0..60)
            .map(|i| {
                let at = text.find(&format!("line {i}\n")).unwrap();
                Diagnostic::error(format!("broken {i}"))
                    .in_file("content/a.md")
                    .at(at..at + 4)
            })
            .chain([Diagnostic::error("about the site")])
            .collect();
        let out = render(&diags, &sources, false);
        assert_eq!(out.matches("error: broken").count(), SHOWN_PER_FILE);
        assert!(out.contains("--> content/a.md:50:1"));
        assert!(!out.contains("broken 50"));
        assert!(out.contains("note: 10 more diagnostics in `content/a.md` not shown"));
        assert!(out.contains("error: about the site"));
    }

    #[test]
    fn a_long_line_is_cut_around_the_span_with_the_real_place() {
        // 300 characters before the span, two-byte ones among them.
        let line = format!("{}[[bad]]{}", "é".repeat(150).repeat(2), "x".repeat(500));
        let text = format!("---\n{line}\n");
        let at = text.find("[[bad]]").unwrap();
        let mut sources = Sources::default();
        sources.insert("content/a.md", Arc::from(text.as_str()));
        let d = Diagnostic::error("broken")
            .in_file("content/a.md")
            .at(at..at + 7)
            .label("here");
        let out = render(&[d], &sources, false);
        assert!(out.contains("--> content/a.md:2:301\n"), "{out}");
        let shown = out.lines().find(|l| l.contains("[[bad]]")).unwrap();
        assert!(shown.chars().count() < LONG_LINE, "{shown}");
        assert!(
            shown.contains(" | ...é") && shown.ends_with("x..."),
            "{shown}"
        );
        // The caret is under the span.
        let caret = out.lines().find(|l| l.contains("^^^^^^^ here")).unwrap();
        let col = |l: &str, pat: &str| l[..l.find(pat).unwrap()].chars().count();
        assert_eq!(col(caret, "^"), col(shown, "[[bad]]"), "{out}");
        // Short lines are shown whole.
        let short = Diagnostic::error("b").in_file("content/a.md").at(0..3);
        assert!(render(&[short], &sources, false).contains("1 | ---\n"));
    }

    #[test]
    fn tally_pluralises() {
        assert_eq!(tally(3, 1), "3 errors, 1 warning");
        assert_eq!(tally(1, 0), "1 error");
        assert_eq!(tally(0, 2), "2 warnings");
    }
}
