//! Templates and static files: the theme's (on disk, or the embedded default theme)
//! under the site's own `templates/` and `static/`, which win.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use include_dir::{include_dir, Dir};

use crate::content::{is_ignored_name, rel_path};
use crate::diagnostics::{did_you_mean, Diagnostic};

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Where a template or static file comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A file on disk, with its path relative to the site root for diagnostics.
    Disk { path: PathBuf, shown: String },
    /// Part of the binary's default theme.
    Embedded { shown: String },
}

impl Origin {
    pub fn shown(&self) -> &str {
        match self {
            Origin::Disk { shown, .. } | Origin::Embedded { shown } => shown,
        }
    }
}

#[derive(Debug, Clone)]
pub struct TemplateFile {
    /// Name templates use for it: `actor.html`, `partials/card.html`.
    pub name: String,
    pub text: Arc<str>,
    pub origin: Origin,
    /// True for the site's `templates/`, false for the theme's.
    pub from_site: bool,
}

#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Output path relative to the site root: `style.css`.
    pub output: String,
    pub bytes: Arc<[u8]>,
}

#[derive(Debug, Clone, Default)]
pub struct Theme {
    pub templates: Vec<TemplateFile>,
    /// Theme static files first, then the site's (later ones win).
    pub statics: Vec<StaticFile>,
}

/// Loads the named theme and the site's overrides.
pub fn load(root: &Path, name: &str) -> Result<Theme, Vec<Diagnostic>> {
    let mut theme = Theme::default();
    let mut diagnostics = Vec::new();
    let theme_dir = root.join("themes").join(name);
    if theme_dir.is_dir() {
        read_dir_into(
            root,
            &theme_dir.join("templates"),
            false,
            &mut theme,
            &mut diagnostics,
            true,
        );
        read_dir_into(
            root,
            &theme_dir.join("static"),
            false,
            &mut theme,
            &mut diagnostics,
            false,
        );
    } else if name == "default" {
        embedded_into(&mut theme);
    } else {
        let mut available = vec!["default".to_string()];
        if let Ok(entries) = std::fs::read_dir(root.join("themes")) {
            for e in entries.flatten() {
                if e.path().is_dir() {
                    available.push(e.file_name().to_string_lossy().into_owned());
                }
            }
        }
        available.sort();
        available.dedup();
        let span = std::fs::read_to_string(root.join(crate::config::FILE))
            .ok()
            .and_then(|t| {
                let key = t.find("theme:")?;
                crate::content::find_value(&t, &(key..t.len()), name, 0)
            });
        let mut d = Diagnostic::error(format!("the theme `{name}` does not exist"))
            .in_file(crate::config::FILE)
            .help_opt(
                did_you_mean(name, available.iter().map(String::as_str)).or_else(|| {
                    Some(format!(
                        "themes live in `themes/<name>/`; available: {}",
                        available.join(", ")
                    ))
                }),
            );
        if let Some(span) = span {
            d = d.at(span);
        }
        return Err(vec![d]);
    }
    read_dir_into(
        root,
        &root.join("templates"),
        true,
        &mut theme,
        &mut diagnostics,
        true,
    );
    read_dir_into(
        root,
        &root.join("static"),
        true,
        &mut theme,
        &mut diagnostics,
        false,
    );
    if diagnostics.is_empty() {
        Ok(theme)
    } else {
        Err(diagnostics)
    }
}

fn embedded_into(theme: &mut Theme) {
    fn walk(dir: &Dir<'static>, out: &mut Vec<(String, &'static [u8])>) {
        for f in dir.files() {
            out.push((f.path().to_string_lossy().replace('\\', "/"), f.contents()));
        }
        for d in dir.dirs() {
            walk(d, out);
        }
    }
    let mut files = Vec::new();
    walk(&DEFAULT_THEME, &mut files);
    files.sort();
    for (path, bytes) in files {
        if let Some(name) = path.strip_prefix("templates/") {
            theme.templates.push(TemplateFile {
                name: name.to_string(),
                text: Arc::from(String::from_utf8_lossy(bytes).as_ref()),
                origin: Origin::Embedded {
                    shown: format!("(default theme) templates/{name}"),
                },
                from_site: false,
            });
        } else if let Some(name) = path.strip_prefix("static/") {
            theme.statics.push(StaticFile {
                output: name.to_string(),
                bytes: Arc::from(bytes),
            });
        }
    }
}

fn read_dir_into(
    root: &Path,
    dir: &Path,
    from_site: bool,
    theme: &mut Theme,
    diagnostics: &mut Vec<Diagnostic>,
    templates: bool,
) {
    if !dir.is_dir() {
        return;
    }
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                diagnostics.push(Diagnostic::error(format!(
                    "cannot read a theme file: {err}"
                )));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let shown = rel_path(root, entry.path());
        let name = rel_path(dir, entry.path());
        let bytes = match std::fs::read(entry.path()) {
            Ok(b) => b,
            Err(err) => {
                diagnostics.push(Diagnostic::error(format!("cannot read `{shown}`: {err}")));
                continue;
            }
        };
        if templates {
            match crate::content::decode(&shown, bytes) {
                Ok(text) => theme.templates.push(TemplateFile {
                    name,
                    text,
                    origin: Origin::Disk {
                        path: entry.path().to_path_buf(),
                        shown,
                    },
                    from_site,
                }),
                Err((d, _)) => diagnostics.push(d),
            }
        } else {
            theme.statics.push(StaticFile {
                output: name,
                bytes: Arc::from(bytes),
            });
        }
    }
}
