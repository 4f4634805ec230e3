//! The layout of the share cards, as SVG: 1200x630, the site's title on top; a
//! question's card shows the question and, per position, the names of the actors
//! that hold it now; an actor's card its name, role, portrait (when its `image:`
//! is one of the site's files) and its current positions. Long texts wrap and end
//! in an ellipsis; what does not fit is counted ("+3").

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::escape;
use crate::load::i18n;
use crate::resolve::pictures::{Format, Role};
use crate::resolve::{Actor, Question, Site};

use super::raster::{HEIGHT, WIDTH};

/// The site's files by output path, as the render stage made them.
pub(crate) type Files = BTreeMap<String, Arc<[u8]>>;

const MARGIN: u32 = 60;
const INK: &str = "#1b1f24";
const MUTED: &str = "#57606a";
const ACCENT: &str = "#0b5cad";
/// Below this the card has no room for another row.
const BOTTOM: u32 = 590;

/// The output path of the card of the page at `url` (`/questions/x/`).
pub(crate) fn card_path(url: &str) -> String {
    let dir = url.trim_start_matches('/');
    if dir.is_empty() || dir.ends_with('/') {
        format!("{dir}card.png")
    } else {
        format!("{dir}/card.png")
    }
}

/// The SVG of every card of `site`, with its output path: beside each page this
/// language writes, under the language's folder.
pub(crate) fn all(site: &Site, files: &Files) -> Vec<(String, String)> {
    let served = &site.config.served;
    let path = |url: &str| served.writes(url).then(|| card_path(&served.path(url)));
    let questions = site
        .questions
        .iter()
        .filter_map(|q| Some((path(&q.url)?, question_svg(site, q))));
    let actors = site
        .actors
        .iter()
        .filter_map(|a| Some((path(&a.url)?, actor_svg(site, a, files))));
    questions.chain(actors).collect()
}

/// The names of the actors at each position of `q` now, in the positions' order.
fn holders<'a>(site: &'a Site, q: &Question) -> Vec<Vec<&'a str>> {
    let mut by_position = vec![Vec::new(); q.positions.len()];
    for &s in &q.stances {
        let stance = &site.stances[s];
        if stance.current {
            if let Some(names) = by_position.get_mut(stance.position) {
                names.push(site.actors[stance.actor].name.as_str());
            }
        }
    }
    by_position
}

/// The current positions of `a`: (question title, position label).
fn positions<'a>(site: &'a Site, a: &Actor) -> Vec<(&'a str, &'a str)> {
    a.stances
        .iter()
        .map(|&s| &site.stances[s])
        .filter(|s| s.current)
        .map(|s| {
            let q = &site.questions[s.question];
            let label = q.positions.get(s.position).map_or("", |p| p.label.as_str());
            (q.title.as_str(), label)
        })
        .collect()
}

fn question_text(q: &Question) -> &str {
    if q.question.is_empty() {
        &q.title
    } else {
        &q.question
    }
}

/// `og:image:alt` of a question's card.
pub(crate) fn question_alt(site: &Site, q: &Question) -> String {
    let mut alt = card_alt(site, question_text(q));
    for (p, names) in q.positions.iter().zip(holders(site, q)) {
        if !names.is_empty() {
            alt.push_str(&format!(" {}: {}.", p.label, names.join(", ")));
        }
    }
    alt
}

/// "Share card of {site}: {text}", in the site's language.
fn card_alt(site: &Site, text: &str) -> String {
    i18n::fill(&site.words.text("card_alt", None), |name| match name {
        "site" => Some(site.config.title.clone()),
        "text" => Some(text.to_string()),
        _ => None,
    })
}

/// `og:image:alt` of an actor's card.
pub(crate) fn actor_alt(site: &Site, a: &Actor) -> String {
    let mut alt = card_alt(site, &a.name);
    if let Some(role) = &a.role {
        alt.push_str(&format!(", {role}"));
    }
    alt.push('.');
    for (question, label) in positions(site, a) {
        alt.push_str(&format!(" {question}: {label}."));
    }
    alt
}

fn question_svg(site: &Site, q: &Question) -> String {
    let mut svg = frame(&site.config.title);
    let lines = wrap(question_text(q), 37, 4);
    let mut y = 145;
    for line in &lines {
        svg.push_str(&text(MARGIN, y, 46, true, INK, line));
        y += 56;
    }
    y += 20;
    let holders = holders(site, q);
    let rows: Vec<(Vec<String>, Vec<String>)> = q
        .positions
        .iter()
        .zip(&holders)
        .map(|(p, names)| (wrap(&p.label, 22, 2), names_in_lines(names, 46, 2)))
        .collect();
    let height = |(label, names): &(Vec<String>, Vec<String>)| {
        50 + 36 * (label.len().max(names.len()) as u32 - 1)
    };
    // Two lines a row when every row fits so; else one, and "+N" for the rest.
    if y + rows.iter().map(height).sum::<u32>() <= BOTTOM + 50 {
        for row in &rows {
            let (label, names) = row;
            for (i, line) in label.iter().enumerate() {
                svg.push_str(&text(MARGIN, y + 36 * i as u32, 28, true, ACCENT, line));
            }
            for (i, line) in names.iter().enumerate() {
                svg.push_str(&text(440, y + 36 * i as u32, 28, false, INK, line));
            }
            y += height(row);
        }
    } else {
        let fit = rows_that_fit(y, 50, q.positions.len());
        for (p, names) in q.positions.iter().zip(&holders).take(fit) {
            svg.push_str(&text(MARGIN, y, 28, true, ACCENT, &truncate(&p.label, 22)));
            let shown = names_in_lines(names, 46, 1).concat();
            svg.push_str(&text(440, y, 28, false, INK, &shown));
            y += 50;
        }
        more(&mut svg, site, y, q.positions.len() - fit);
    }
    svg.push_str(&footer(site));
    svg.push_str("</svg>");
    svg
}

/// The site's address at the card's foot, where a shared link's readers see
/// where it comes from.
fn footer(site: &Site) -> String {
    let url = &site.config.base_url;
    let host = url.split("://").nth(1).unwrap_or(url).trim_end_matches('/');
    if host.is_empty() || host.starts_with("127.0.0.1") || host.starts_with("localhost") {
        return String::new();
    }
    text(MARGIN, 612, 22, false, MUTED, &truncate(host, 80))
}

/// `names` joined by commas in at most `lines` lines of `max` characters, the
/// last ending in "+N" for those that do not fit; "—" for none.
fn names_in_lines(names: &[&str], max: usize, lines: usize) -> Vec<String> {
    if names.is_empty() {
        return vec!["—".to_string()];
    }
    let mut out = Vec::new();
    let mut rest = names;
    while out.len() + 1 < lines && !rest.is_empty() {
        let mut line = String::new();
        let mut taken = 0;
        for name in rest {
            let len = line.chars().count() + 2 + name.chars().count();
            if taken > 0 && len > max {
                break;
            }
            if taken > 0 {
                line.push_str(", ");
            }
            line.push_str(&truncate(name, max));
            taken += 1;
        }
        rest = &rest[taken..];
        if !rest.is_empty() {
            line.push(',');
        }
        out.push(line);
    }
    if !rest.is_empty() {
        out.push(names_that_fit(rest, max));
    }
    out
}

fn actor_svg(site: &Site, a: &Actor, files: &Files) -> String {
    let mut svg = frame(&site.config.title);
    let portrait = portrait(site, a, files);
    let chars = if portrait.is_some() { 24 } else { 34 };
    svg.push_str(&text(MARGIN, 160, 56, true, INK, &truncate(&a.name, chars)));
    if let Some(role) = &a.role {
        svg.push_str(&text(
            MARGIN,
            215,
            30,
            false,
            MUTED,
            &truncate(role, chars + 14),
        ));
    }
    if let Some(data) = portrait {
        svg.push_str(&format!(
            r#"<clipPath id="p"><rect x="880" y="90" width="260" height="260" rx="16"/></clipPath><image x="880" y="90" width="260" height="260" preserveAspectRatio="xMidYMid slice" clip-path="url(#p)" href="{data}"/>"#
        ));
    }
    let held = positions(site, a);
    let mut y = 300;
    let rows = rows_that_fit(y, 48, held.len());
    let width: usize = if svg.contains("<image") { 52 } else { 62 };
    for (question, label) in held.iter().take(rows) {
        let q = truncate(
            question,
            width.saturating_sub(label.chars().count() + 3).max(12),
        );
        svg.push_str(&format!(
            r#"<text x="{MARGIN}" y="{y}" font-family="DejaVu Sans" font-size="28" fill="{INK}">{}:<tspan font-weight="bold" fill="{ACCENT}">&#160;{}</tspan></text>"#,
            escape::html(&q),
            escape::html(label)
        ));
        y += 48;
    }
    more(&mut svg, site, y, held.len() - rows);
    svg.push_str(&footer(site));
    svg.push_str("</svg>");
    svg
}

/// The card's opening: size, background, accent bar and the site's title.
fn frame(site_title: &str) -> String {
    let mut svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}"><rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/><rect width="{WIDTH}" height="14" fill="{ACCENT}"/>"##
    );
    svg.push_str(&text(
        MARGIN,
        72,
        26,
        true,
        MUTED,
        &truncate(site_title, 70),
    ));
    svg
}

/// How many of `wanted` rows of `step` pixels fit from `y`, keeping one for "+N"
/// when not all do.
fn rows_that_fit(y: u32, step: u32, wanted: usize) -> usize {
    let room = (BOTTOM.saturating_sub(y) / step + 1) as usize;
    if wanted <= room {
        wanted
    } else {
        room.saturating_sub(1)
    }
}

fn more(svg: &mut String, site: &Site, y: u32, left: usize) {
    if left > 0 {
        let n = left as i64;
        let words = site.words.text("card_more_positions", Some(n));
        let what = i18n::fill(&words, |name| (name == "n").then(|| n.to_string()));
        svg.push_str(&text(MARGIN, y, 26, false, MUTED, &what));
    }
}

fn text(x: u32, y: u32, size: u32, bold: bool, fill: &str, body: &str) -> String {
    let weight = if bold { r#" font-weight="bold""# } else { "" };
    format!(
        r#"<text x="{x}" y="{y}" font-family="DejaVu Sans" font-size="{size}"{weight} fill="{fill}">{}</text>"#,
        escape::html(body)
    )
}

/// `text` cut to `max` characters, the last an ellipsis when cut.
fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// `text` in lines of at most `width` characters, broken between words, at most
/// `lines` of them, the last ending in an ellipsis when text is left over.
fn wrap(text: &str, width: usize, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut words = text.split_whitespace().peekable();
    while let Some(word) = words.next() {
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width {
            out.push(std::mem::take(&mut line));
            if out.len() == lines {
                let last = out.pop().unwrap_or_default();
                out.push(if last.chars().count() < width {
                    format!("{last}…")
                } else {
                    truncate(&last, width)
                });
                return out;
            }
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        if words.peek().is_none() {
            out.push(truncate(&line, width));
        }
    }
    out
}

/// As many of `names` as fit in `max` characters, joined by commas, then "+N"
/// for the others.
fn names_that_fit(names: &[&str], max: usize) -> String {
    let mut shown = String::new();
    for (i, name) in names.iter().enumerate() {
        let left = names.len() - i - 1;
        let tail = if left > 0 {
            format!(" +{left}")
        } else {
            String::new()
        };
        let sep = if shown.is_empty() { "" } else { ", " };
        let len = shown.chars().count() + sep.len() + name.chars().count() + tail.len();
        if len > max && !shown.is_empty() {
            return format!("{shown} +{}", names.len() - i);
        }
        shown.push_str(sep);
        shown.push_str(&truncate(name, max));
    }
    shown
}

/// The portrait of `a` as a data URL, when its `image:` is a file of the site in
/// a format the renderer reads: its largest portrait width when it was resized.
fn portrait(site: &Site, a: &Actor, files: &Files) -> Option<String> {
    let image = a.image.as_deref()?;
    let path = match site.pictures.get(image) {
        Some(p) => {
            let width = *p.widths_for(Role::Portrait).last()?;
            p.variant(width, p.format).output
        }
        None => image.trim_start_matches('/').to_string(),
    };
    // A GIF is not resized (it has no `Format`), but a card can still show it.
    let gif = path.to_ascii_lowercase().ends_with(".gif");
    let mime = match Format::of_path(&path) {
        Some(format) => format.mime(),
        None if gif => "image/gif",
        None => return None,
    };
    let bytes = files.get(&path)?;
    Some(format!("data:{mime};base64,{}", base64(bytes)))
}

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_and_cuts_with_an_ellipsis() {
        let lines = wrap("one two three four five six seven", 9, 2);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0], "one two");
        assert!(lines[1].ends_with('…'), "{lines:?}");
        assert_eq!(wrap("short", 9, 2), vec!["short".to_string()]);
    }

    #[test]
    fn counts_the_names_that_do_not_fit() {
        assert_eq!(names_that_fit(&["Aa", "Bb", "Cc"], 30), "Aa, Bb, Cc");
        assert_eq!(names_that_fit(&["Alpha", "Beta", "Gamma"], 12), "Alpha +2");
    }

    #[test]
    fn names_take_a_second_line_then_count_the_rest() {
        let names = [
            "Emmanuel Macron",
            "Jens Stoltenberg",
            "Ukraine",
            "Bbbbbbbbbbbbbbbbbbbb",
        ];
        assert_eq!(
            names_in_lines(&names, 40, 2),
            [
                "Emmanuel Macron, Jens Stoltenberg,",
                "Ukraine, Bbbbbbbbbbbbbbbbbbbb"
            ]
        );
        assert_eq!(
            names_in_lines(&names, 40, 1),
            ["Emmanuel Macron, Jens Stoltenberg +2"]
        );
        assert_eq!(names_in_lines(&[], 40, 2), ["—"]);
    }

    /// The site of one question with `positions` positions (none held), at
    /// `base_url`, resolved from files in memory.
    fn site_with_positions(positions: usize, base_url: &str) -> Site {
        let mut question =
            String::from("---\ntitle: \"Q\"\nquestion: \"Which one?\"\npositions:\n");
        for i in 0..positions {
            question.push_str(&format!("  - id: p{i}\n    label: \"Position {i}\"\n"));
        }
        question.push_str("---\n");
        let config = format!("title: T\nbase_url: {base_url}\n");
        let tree = crate::incremental::tests::tree(&[
            ("site.yaml", &config),
            ("content/_index.md", "---\ntitle: Home\n---\n"),
            ("content/questions/q.md", &question),
        ]);
        let built = crate::pipeline::check(&tree, &crate::pipeline::BuildOptions::default());
        built.parts.expect("the site builds").site
    }

    #[test]
    fn a_question_card_counts_the_positions_that_do_not_fit() {
        let site = site_with_positions(12, "https://news.example.org/");
        let svg = question_svg(&site, &site.questions[0]);
        let shown = (0..12)
            .filter(|i| svg.contains(&format!(">Position {i}<")))
            .count();
        assert!((1..12).contains(&shown), "{shown} of 12 shown");
        assert!(
            svg.contains(&format!(">+{} more positions<", 12 - shown)),
            "{svg}"
        );
        // Three positions fit: no count.
        let site = site_with_positions(3, "https://news.example.org/");
        let svg = question_svg(&site, &site.questions[0]);
        assert!(!svg.contains("more position"), "{svg}");
        assert!(svg.contains(">Position 2<"));
    }

    #[test]
    fn the_footer_names_the_sites_host_but_not_a_local_one() {
        let site = site_with_positions(2, "https://news.example.org/explainer/");
        let svg = question_svg(&site, &site.questions[0]);
        assert!(svg.contains(">news.example.org/explainer<"), "{svg}");
        let local = site_with_positions(2, "http://127.0.0.1:1111/");
        let svg = question_svg(&local, &local.questions[0]);
        assert!(!svg.contains("127.0.0.1"), "{svg}");
    }

    #[test]
    fn encodes_base64() {
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(base64(b"M"), "TQ==");
    }

    #[test]
    fn card_paths_sit_beside_their_page() {
        assert_eq!(card_path("/questions/x/"), "questions/x/card.png");
        assert_eq!(card_path("/uk/actors/y/"), "uk/actors/y/card.png");
    }
}
