//! Template errors as diagnostics: Tera's errors mapped to the template file they
//! are in (the site's override or the theme's) and reworded, pages naming a
//! template that does not exist, and one report per broken place, not per page.

use crate::diagnostics::{self, did_you_mean, Diagnostic, Sources};
use crate::load::theme::{TemplateFile, Theme};
use crate::render::engine::THEME_PREFIX;
use crate::render::job::Job;

/// Adds the template texts to `sources`, under the paths diagnostics show.
pub fn add_sources(theme: &Theme, sources: &mut Sources) {
    for t in &theme.templates {
        sources.insert(t.origin.shown(), t.text.clone());
    }
    for w in &theme.word_files {
        sources.insert(&w.shown, w.text.clone());
    }
}

/// Errors for pages whose `template:` names no template.
pub(super) fn unknown_templates(
    tera: &tera::Tera,
    jobs: &[Job],
    sources: &Sources,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for job in jobs {
        let Some(chosen) = &job.chosen else {
            continue;
        };
        if tera.contains_template(chosen) {
            continue;
        }
        let names: Vec<String> = tera
            .get_template_names()
            .map(|n| n.trim_start_matches(THEME_PREFIX).to_string())
            .collect();
        let file = job.source.clone().unwrap_or_default();
        let span = sources.get(&file).and_then(|text| {
            crate::load::content::find_key_value(text, &(0..text.len()), "template", chosen, 0)
        });
        diags.push(
            Diagnostic::error(format!("the template `{chosen}` does not exist"))
                .in_file(file)
                .at_opt(span)
                .help_opt(did_you_mean(chosen, names.iter().map(String::as_str))),
        );
    }
    diags
}

/// One broken template fails many pages: reports each error once, naming the first
/// page and counting the others.
pub(super) fn once_per_place(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics::sort(&mut diags);
    let mut out: Vec<(Diagnostic, usize)> = Vec::new();
    for d in diags {
        match out.last_mut() {
            Some((last, n))
                if last.file == d.file && last.span == d.span && last.message == d.message =>
            {
                *n += 1;
            }
            _ => out.push((d, 0)),
        }
    }
    out.into_iter()
        .map(|(mut d, others)| {
            if others > 0 {
                if let Some(note) = d
                    .notes
                    .iter_mut()
                    .rfind(|n| n.starts_with("while rendering"))
                {
                    let s = if others == 1 { "" } else { "s" };
                    note.push_str(&format!(" (and {others} other page{s})"));
                }
            }
            d
        })
        .collect()
}

/// Functions templates may call, for "did you mean" hints.
const FUNCTIONS: [&str; 10] = [
    "url_for",
    "entity",
    "asset_url",
    "matrix",
    "timeline",
    "actors",
    "questions",
    "events",
    "range",
    "throw",
];

/// Tera's errors as diagnostics in the template's file (the site's override or the
/// theme's), with the page being rendered for errors that happen while rendering.
pub(super) fn template_errors(
    e: &tera::Error,
    theme: &Theme,
    page: Option<&str>,
) -> Vec<Diagnostic> {
    let mut diags = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let syntax = matches!(e.kind(), tera::ErrorKind::SyntaxError(_));
            vec![report_error(e, r, syntax, theme)]
        }
        tera::ErrorKind::MissingParent { current, parent } => {
            vec![missing_parent(current, parent, theme)]
        }
        // Tera finds these when the templates are added, before anything renders.
        tera::ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => {
            let chain: Vec<&str> = std::iter::once(tpl.as_str())
                .chain(inheritance_chain.iter().map(String::as_str))
                .collect();
            vec![cycle(&chain, "extend", theme)]
        }
        tera::ErrorKind::CircularInclude { include_chain, .. } => {
            let chain: Vec<&str> = include_chain.iter().map(String::as_str).collect();
            vec![cycle(&chain, "include", theme)]
        }
        tera::ErrorKind::Msg(text) if text.contains("\n --> ") || text.contains("\n  --> ") => {
            check_errors(text, theme)
        }
        _ => {
            let mut message = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                message = format!("{message}: {s}");
                source = s.source();
            }
            vec![Diagnostic::error(format!("template error: {message}"))]
        }
    };
    if let Some(page) = page {
        for d in &mut diags {
            d.notes.push(format!("while rendering {page}"));
        }
    }
    diags
}

/// The template file registered as `name`: the site's for a bare name, the theme's
/// under [`THEME_PREFIX`], either when that one is missing.
fn file_of<'a>(theme: &'a Theme, name: &str) -> Option<&'a TemplateFile> {
    let (bare, from_site) = match name.strip_prefix(THEME_PREFIX) {
        Some(b) => (b, false),
        None => (name, true),
    };
    theme
        .templates
        .iter()
        .find(|t| t.name == bare && t.from_site == from_site)
        .or_else(|| theme.templates.iter().find(|t| t.name == bare))
}

/// An error at `span` in the template `name`, or naming it when it has no file.
fn located(
    theme: &Theme,
    message: String,
    name: &str,
    span: Option<std::ops::Range<usize>>,
) -> Diagnostic {
    let mut d = Diagnostic::error(message);
    match file_of(theme, name) {
        Some(t) => d = d.in_file(t.origin.shown()).at_opt(span),
        None => d = d.note(format!("in template `{name}`")),
    }
    d
}

/// A syntax or rendering error Tera located itself.
fn report_error(e: &tera::Error, r: &tera::ReportError, syntax: bool, theme: &Theme) -> Diagnostic {
    let mut message = r.message().to_string();
    if let Some(source) = std::error::Error::source(e) {
        message = format!("{message}: {source}");
    }
    let (message, help) = reword(&message);
    let kind = if syntax {
        "template syntax error"
    } else {
        "template error"
    };
    let d = located(
        theme,
        format!("{kind}: {message}"),
        r.filename(),
        Some(r.span().range.clone()),
    );
    d.help_opt(help)
}

/// `current` extends `parent`, which does not exist: points at the parent's name.
fn missing_parent(current: &str, parent: &str, theme: &Theme) -> Diagnostic {
    let span = file_of(theme, current).and_then(|t| {
        let quoted = format!("\"{parent}\"");
        let i = t.text.find(&quoted).or_else(|| t.text.find(parent))?;
        Some(i..i + quoted.len().min(t.text.len() - i))
    });
    let names: Vec<&str> = theme.templates.iter().map(|t| t.name.as_str()).collect();
    located(
        theme,
        format!("template error: `{current}` extends `{parent}`, which does not exist"),
        current,
        span,
    )
    .help_opt(did_you_mean(parent, names))
}

/// Templates that extend or include each other in a circle (`chain` ends with a
/// template met before): named by their files, at the first one's tag that
/// names the next. `tag` is `extend` or `include`.
fn cycle(chain: &[&str], tag: &str, theme: &Theme) -> Diagnostic {
    let last = chain.last().copied().unwrap_or_default();
    let from = chain.iter().position(|n| *n == last).unwrap_or(0);
    let circle = &chain[from..];
    let shown = |name: &str| match file_of(theme, name) {
        Some(t) => format!("`{}`", t.origin.shown()),
        None => format!("`{name}`"),
    };
    let (first, next) = (circle[0], circle.get(1).copied().unwrap_or(circle[0]));
    let message = if circle.len() <= 2 {
        format!("template error: {} {tag}s itself", shown(first))
    } else {
        let names: Vec<String> = circle.iter().map(|n| shown(n)).collect();
        format!(
            "template error: templates {tag} each other in a circle: {}",
            names.join(" -> ")
        )
    };
    // A site's override that extends "its" name meant the theme's file of that name.
    let themes_own = theme
        .templates
        .iter()
        .any(|t| t.name == next && !t.from_site);
    let help = match tag {
        "extend" if themes_own => {
            format!("to build on the theme's `{next}`, extend `{THEME_PREFIX}{next}`")
        }
        "extend" => "remove one `{% extends %}` of the circle".to_string(),
        _ => "remove one `{% include %}` of the circle".to_string(),
    };
    let span = file_of(theme, first).and_then(|t| tag_naming(&t.text, next));
    located(theme, message, first, span).help(help)
}

/// Where `text` names the template `name` in quotes (as written: with or
/// without the theme's prefix).
fn tag_naming(text: &str, name: &str) -> Option<std::ops::Range<usize>> {
    let bare = name.strip_prefix(THEME_PREFIX).unwrap_or(name);
    [name, bare]
        .iter()
        .flat_map(|n| [format!("\"{n}\""), format!("'{n}'")])
        .find_map(|quoted| text.find(&quoted).map(|i| i..i + quoted.len()))
}

/// The errors Tera found checking the templates, one diagnostic each.
fn check_errors(text: &str, theme: &Theme) -> Vec<Diagnostic> {
    reports(text)
        .into_iter()
        .map(|(message, name, line, col, width)| {
            let span = file_of(theme, &name).map(|t| {
                let start = offset_of(&t.text, line, col);
                let end = t.text[start..]
                    .char_indices()
                    .nth(width)
                    .map_or(t.text.len(), |(i, _)| start + i);
                start..end
            });
            let help = message
                .strip_prefix("Unknown function `")
                .and_then(|f| did_you_mean(f.trim_end_matches('`'), FUNCTIONS));
            located(
                theme,
                format!("template error: {}", lower_first(&message)),
                &name,
                span,
            )
            .help_opt(help)
        })
        .collect()
}

/// `Unknown filter` -> `unknown filter`, as in every other message.
fn lower_first(message: &str) -> String {
    let mut chars = message.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => first
            .to_lowercase()
            .chain(message.chars().skip(1))
            .collect(),
        _ => message.to_string(),
    }
}

/// Tera's "not defined" messages list every available name; keep the message short
/// and suggest the closest name instead.
fn reword(message: &str) -> (String, Option<String>) {
    for (marker, what) in [
        (". Available fields: ", "field"),
        (". Available variables: ", "variable"),
    ] {
        if let Some((head, list)) = message.split_once(marker) {
            let names: Vec<&str> = list.split(", ").map(str::trim).collect();
            let wanted = head.split('`').nth(1).unwrap_or("");
            let help = did_you_mean(wanted, names.iter().copied())
                .unwrap_or_else(|| format!("the {what}s here are {}", names.join(", ")));
            return (format!("{what} `{wanted}` is not defined"), Some(help));
        }
    }
    let message = message.trim_end_matches('.');
    if let Some(rest) = message.strip_prefix("Variable ") {
        return (format!("variable {rest}"), None);
    }
    if let Some(rest) = message.strip_prefix("Field ") {
        return (format!("field {rest}"), None);
    }
    (lower_first(message), None)
}

/// Reports Tera pre-renders when checking templates ("error: MSG", "--> name:L:C",
/// the source line, a `^^^` underline), as (message, template, line, column, width).
fn reports(text: &str) -> Vec<(String, String, usize, usize, usize)> {
    let mut out = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let Some(message) = line.strip_prefix("error: ") else {
            continue;
        };
        let Some(place) = lines
            .get(i + 1)
            .and_then(|l| l.trim_start().strip_prefix("--> "))
        else {
            continue;
        };
        let mut parts = place.rsplitn(3, ':');
        let (Some(col), Some(line_no), Some(name)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let (Ok(line_no), Ok(col)) = (line_no.parse(), col.parse()) else {
            continue;
        };
        let width = lines
            .get(i + 4)
            .map_or(1, |l| l.matches('^').count().max(1));
        out.push((message.to_string(), name.to_string(), line_no, col, width));
    }
    out
}

/// Byte offset of a 1-based line and column (in characters) in `text`.
fn offset_of(text: &str, line: usize, col: usize) -> usize {
    let start = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>()
        .min(text.len());
    let rest = &text[start..];
    start
        + rest
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::theme::Origin;

    fn file(name: &str, text: &str, from_site: bool) -> TemplateFile {
        let shown = if from_site {
            format!("templates/{name}")
        } else {
            format!("themes/t/templates/{name}")
        };
        TemplateFile {
            name: name.to_string(),
            text: text.into(),
            origin: Origin::Disk { shown },
            from_site,
        }
    }

    /// The diagnostics of adding `theme`'s templates as the engine does.
    fn errors_of(theme: &Theme) -> Vec<Diagnostic> {
        let mut tera = tera::Tera::new();
        tera.set_fallback_prefixes([THEME_PREFIX]).unwrap();
        let names: Vec<(String, &str)> = theme
            .templates
            .iter()
            .map(|t| match t.from_site {
                true => (t.name.clone(), &*t.text),
                false => (format!("{THEME_PREFIX}{}", t.name), &*t.text),
            })
            .collect();
        let e = tera
            .add_raw_templates(names.iter().map(|(n, t)| (n.as_str(), *t)))
            .unwrap_err();
        template_errors(&e, theme, None)
    }

    #[test]
    fn cycles_name_their_files_at_the_tag_that_closes_them() {
        let theme = Theme {
            templates: vec![
                file("page.html", "<main></main>", false),
                file("page.html", "{% extends \"page.html\" %}", true),
            ],
            statics: Vec::new(),
            ..Theme::default()
        };
        let d = &errors_of(&theme)[0];
        assert_eq!(
            d.message,
            "template error: `templates/page.html` extends itself"
        );
        assert_eq!(d.file.as_deref(), Some("templates/page.html"));
        assert_eq!(d.span, Some(11..22));
        assert!(d
            .help
            .as_deref()
            .unwrap()
            .contains("extend `theme/page.html`"));

        let theme = Theme {
            templates: vec![
                file("a.html", "{% include \"b.html\" %}", true),
                file("b.html", "{% include 'c.html' %}", false),
                file("c.html", "x {% include \"b.html\" %}", true),
            ],
            statics: Vec::new(),
            ..Theme::default()
        };
        let d = &errors_of(&theme)[0];
        assert_eq!(
            d.message,
            "template error: templates include each other in a circle: \
             `themes/t/templates/b.html` -> `templates/c.html` -> `themes/t/templates/b.html`"
        );
        assert_eq!(d.file.as_deref(), Some("themes/t/templates/b.html"));
        assert_eq!(d.span, Some(11..19));
    }
}
