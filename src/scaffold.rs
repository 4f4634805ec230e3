//! `standpoint init` and `standpoint new`: files that give authors a working start.

use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::load::content::slugify;

/// What `new` can create.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    Actor,
    Question,
    Event,
    Page,
}

impl NewKind {
    pub fn folder(self) -> &'static str {
        match self {
            NewKind::Actor => "content/actors",
            NewKind::Question => "content/questions",
            NewKind::Event => "content/events",
            NewKind::Page => "content",
        }
    }
}

/// A double-quoted YAML scalar.
fn yaml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Today's date (UTC) as `YYYY-MM-DD`, for new events.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = (secs / 86_400) as i64;
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The skeleton of a new file, every field present or commented.
pub fn skeleton(kind: NewKind, title: &str, date: &str) -> String {
    let t = yaml_string(title);
    match kind {
        NewKind::Actor => format!(
            r#"---
name: {t}
kind: person                # person | state | organization | group
# role: "What they are, in a few words"
# affiliations: []          # ids of actors this one belongs to, e.g. [united-states]
# aliases: []               # other names to link automatically, e.g. [Biden]
# summary: "One line shown on cards and in search."
# image: /images/portrait.jpg
# links: [{{title: "Official site", url: "https://..."}}]
# stances:
#   - question: question-id   # the id of a question in content/questions/
#     position: position-id   # one of that question's position ids
#     date: {date}
#     summary: "What they said or did, in one sentence."  # inline Markdown: *emphasis*, [[id]]
#     quote: "Their own words, verbatim."
#     source: {{title: "...", publisher: "...", url: "https://...", date: {date}}}
#     # or several, each with an optional archive_url and accessed (a date):
#     # sources: [{{title: "...", url: "https://...", archive_url: "https://web.archive.org/..."}}]
# draft: true
---
Who {title} is, and why they matter to this story.
"#
        ),
        NewKind::Question => format!(
            r#"---
title: {t}
question: "The contested question, in full, ending with a question mark?"
positions:                  # in scale order, at least two
  - {{id: support, label: "Yes", description: "What this position means."}}
  - {{id: oppose, label: "No"}}
# summary: "One line shown on cards and in search."
# draft: true
---
Why {title} is contested.
"#
        ),
        NewKind::Event => format!(
            r#"---
title: {t}
date: {date}                # YYYY, YYYY-MM or YYYY-MM-DD
# end_date: {date}
# place: "Where it happened"
# actors: []                # actor ids, e.g. [joe-biden]
# questions: []             # question ids
# summary: "One line shown on cards and in the timeline."  # inline Markdown
# sources: [{{title: "...", publisher: "...", url: "https://...", date: {date}}}]
# draft: true
---
What happened.
"#
        ),
        NewKind::Page => format!(
            r#"---
title: {t}
# date: {date}
# summary: "One line shown in lists and in search."
# weight: 0                 # lower comes first in the navigation
# draft: true
---
Write the page here. Link to any actor, question, event or page with `[[its-id]]`.
"#
        ),
    }
}

/// Writes a new content file; never overwrites. Returns the path written.
pub fn new_file(root: &Path, kind: NewKind, title: &str) -> Result<PathBuf, Diagnostic> {
    if !root.join(crate::load::config::FILE).is_file() {
        return Err(Diagnostic::error(format!(
            "`{}` is not a standpoint site: it has no `site.yaml`",
            root.display()
        ))
        .help("run `standpoint init` to create a site, or pass `--root DIR`"));
    }
    let id = slugify(title);
    if id.is_empty() {
        return Err(
            Diagnostic::error(format!("cannot make an id from the title `{title}`")).help(
                "give a title with letters or digits, e.g. `standpoint new actor \"Joe Biden\"`",
            ),
        );
    }
    let rel = format!("{}/{id}.md", kind.folder());
    let path = root.join(&rel);
    let text = skeleton(kind, title.trim(), &today());
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Diagnostic::error(format!("cannot create `{}`: {e}", parent.display())))?;
    }
    // `create_new` refuses to replace a file, even one created a moment ago.
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path);
    match file {
        Ok(mut f) => {
            use std::io::Write;
            f.write_all(text.as_bytes())
                .map_err(|e| Diagnostic::error(format!("cannot write `{rel}`: {e}")))?;
            Ok(PathBuf::from(rel))
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(Diagnostic::error(format!(
            "`{rel}` already exists"
        ))
        .help("standpoint never overwrites: choose another title, or edit the existing file")),
        Err(e) => Err(Diagnostic::error(format!("cannot write `{rel}`: {e}"))),
    }
}

/// The files of a new site, relative to its folder.
pub fn starter_files(title: &str) -> Vec<(&'static str, String)> {
    let t = yaml_string(title);
    let site = format!(
        r#"title: {t}
base_url: "https://example.org/"   # where the site will be published
description: "Who stands where on the questions of this story."
language: en
autolink: first
"#
    );
    let home = format!(
        r#"---
title: {t}
---
This is the lede of your explainer. [[ada-lovelace]] has a position on
[[tabs-or-spaces]]; the [[style-debate]] is on the timeline.
"#
    );
    let actor = r#"---
name: Ada Lovelace
kind: person
role: Example actor
aliases: [Lovelace]
summary: "An example actor: replace her with the people of your story."
stances:
  - question: tabs-or-spaces
    position: spaces
    date: 1843
    summary: An example stance, with its date and its source.
    source: {title: "Example source", url: "https://example.org/source"}
---
Each actor has a page listing where they stand, and when.
"#;
    let question = r#"---
title: Tabs or spaces
question: Should code be indented with tabs or with spaces?
positions:
  - {id: tabs, label: "Tabs"}
  - {id: either, label: "Either, if consistent"}
  - {id: spaces, label: "Spaces"}
---
An example question. Positions are listed in scale order.
"#;
    let event = r#"---
title: The great style debate
date: 1843-09
place: London
actors: [ada-lovelace]
questions: [tabs-or-spaces]
---
An example event: events and stances together make the timeline.
"#;
    vec![
        ("site.yaml", site),
        // `.standpoint/`: the link cache of `check --external`.
        (".gitignore", "/public\n/.standpoint/\n".to_string()),
        ("content/_index.md", home),
        ("content/actors/ada-lovelace.md", actor.to_string()),
        ("content/questions/tabs-or-spaces.md", question.to_string()),
        ("content/events/style-debate.md", event.to_string()),
    ]
}

/// Creates a new site in `dir`, which must be empty or absent.
pub fn init(dir: &Path) -> Result<Vec<&'static str>, Diagnostic> {
    if dir.exists() {
        if !dir.is_dir() {
            return Err(Diagnostic::error(format!(
                "`{}` exists and is not a folder",
                dir.display()
            )));
        }
        let entries: Vec<String> = std::fs::read_dir(dir)
            .map_err(|e| Diagnostic::error(format!("cannot read `{}`: {e}", dir.display())))?
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n != ".git")
            .collect();
        if !entries.is_empty() {
            return Err(
                Diagnostic::error(format!("`{}` is not empty", dir.display())).help(
                    "choose a new folder, e.g. `standpoint init my-explainer`; nothing was written",
                ),
            );
        }
    }
    let title = dir
        .canonicalize()
        .ok()
        .or_else(|| Some(dir.to_path_buf()))
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .filter(|n| !n.is_empty() && n != ".")
        .map(|n| {
            let words = n.replace(['-', '_'], " ");
            let mut chars = words.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
                .unwrap_or_default()
        })
        .unwrap_or_else(|| "My explainer".to_string());
    let files = starter_files(&title);
    let mut written = Vec::new();
    for (rel, text) in &files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                Diagnostic::error(format!("cannot create `{}`: {e}", parent.display()))
            })?;
        }
        std::fs::write(&path, text)
            .map_err(|e| Diagnostic::error(format!("cannot write `{}`: {e}", path.display())))?;
        written.push(*rel);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_a_valid_date() {
        let d = today();
        assert!(crate::load::content::Date::parse(&d).is_ok(), "{d}");
    }

    #[test]
    fn yaml_strings_are_quoted() {
        assert_eq!(yaml_string(r#"Say "hi" \ bye"#), r#""Say \"hi\" \\ bye""#);
    }

    #[test]
    fn skeletons_parse() {
        for kind in [
            NewKind::Actor,
            NewKind::Question,
            NewKind::Event,
            NewKind::Page,
        ] {
            let text = skeleton(kind, "Émile \"Q\" Zola: 1", "2024-05-30");
            let folder = kind
                .folder()
                .trim_start_matches("content")
                .trim_start_matches('/');
            let rel = if folder.is_empty() {
                "x.md".to_string()
            } else {
                format!("{folder}/x.md")
            };
            let parsed =
                crate::load::content::parse_file(&rel, std::sync::Arc::from(text.as_str()));
            assert!(parsed.is_ok(), "{kind:?}: {:?}", parsed.err());
        }
    }
}
