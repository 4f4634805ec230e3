//! Templates and static files: the theme's (on disk, or the embedded default theme)
//! under the site's own `templates/` and `static/`, which win.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use include_dir::{include_dir, Dir};

use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::load::i18n::{Words, WordsFile};
use crate::load::tree::{FileData, SourceTree};

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Where a template comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A file of the site, with its path from the site root.
    Disk { shown: String },
    /// Part of the binary's default theme.
    Embedded { shown: String },
}

impl Origin {
    pub fn shown(&self) -> &str {
        match self {
            Origin::Disk { shown } | Origin::Embedded { shown } => shown,
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
    /// Where it comes from, for messages: `static/style.css`.
    pub shown: String,
}

#[derive(Debug, Clone, Default)]
pub struct Theme {
    pub templates: Vec<TemplateFile>,
    /// Theme static files first, then the site's (later ones win).
    pub statics: Vec<StaticFile>,
    /// The theme's `i18n/*.yaml`, then the site's.
    pub word_files: Vec<WordsFile>,
    /// The words of each language of the site, made from `word_files` once the
    /// site's languages are known ([`crate::load::i18n::for_site`]).
    pub words: BTreeMap<String, Arc<Words>>,
}

impl Theme {
    /// The theme with the words of each language of the site, and what is wrong
    /// with its words files.
    pub fn with_words(mut self, config: &crate::load::config::Config) -> (Theme, Vec<Diagnostic>) {
        let (words, diagnostics) = crate::load::i18n::for_site(&self.word_files, config);
        self.words = words;
        (self, diagnostics)
    }

    /// The words of `lang`; none (so every word shows its key) when the site has no
    /// such language.
    pub fn words_for(&self, lang: &str) -> Arc<Words> {
        self.words.get(lang).cloned().unwrap_or_default()
    }
}

/// The named theme under the site's overrides, from `tree`. A theme is a folder
/// `themes/<name>/` of the site, or the embedded default theme.
pub fn load(tree: &SourceTree, name: &str) -> Result<Theme, Vec<Diagnostic>> {
    let mut theme = Theme::default();
    let mut diagnostics = Vec::new();
    let theme_dir = format!("themes/{name}");
    if tree.has_folder(&theme_dir) {
        add_folder(
            tree,
            &format!("{theme_dir}/templates"),
            false,
            &mut theme,
            &mut diagnostics,
        );
        add_folder(
            tree,
            &format!("{theme_dir}/static"),
            false,
            &mut theme,
            &mut diagnostics,
        );
        add_words(
            tree,
            &format!("{theme_dir}/i18n"),
            false,
            &mut theme,
            &mut diagnostics,
        );
    } else if name == "default" {
        theme = embedded().clone();
    } else {
        return Err(vec![unknown_theme(tree, name)]);
    }
    add_folder(tree, "templates", true, &mut theme, &mut diagnostics);
    add_folder(tree, "static", true, &mut theme, &mut diagnostics);
    add_words(tree, "i18n", true, &mut theme, &mut diagnostics);
    if diagnostics.is_empty() {
        Ok(theme)
    } else {
        Err(diagnostics)
    }
}

fn unknown_theme(tree: &SourceTree, name: &str) -> Diagnostic {
    let mut available: Vec<&str> = tree
        .below("themes")
        .filter_map(|(path, _)| path.split_once('/').map(|(theme, _)| theme))
        .chain(["default"])
        .collect();
    available.sort();
    available.dedup();
    let span = tree
        .files
        .get(crate::load::config::FILE)
        .and_then(|data| match data {
            FileData::Text(t) => Some(t),
            _ => None,
        })
        .and_then(|t| {
            let key = t.find("theme:")?;
            crate::load::content::find_value(t, &(key..t.len()), name, 0)
        });
    Diagnostic::error(format!("the theme `{name}` does not exist"))
        .in_file(crate::load::config::FILE)
        .at_opt(span)
        .help_opt(did_you_mean(name, available.iter().copied()).or_else(|| {
            Some(format!(
                "themes live in `themes/<name>/`; available: {}",
                available.join(", ")
            ))
        }))
}

/// The fonts the default theme ships (`fonts/*.ttf`), for the images made at
/// build time.
pub(crate) fn embedded_fonts() -> Vec<&'static [u8]> {
    let Some(dir) = DEFAULT_THEME.get_dir("fonts") else {
        return Vec::new();
    };
    let mut fonts: Vec<_> = dir
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "ttf"))
        .collect();
    fonts.sort_by_key(|f| f.path());
    fonts.iter().map(|f| f.contents()).collect()
}

/// The embedded default theme, made once per process.
fn embedded() -> &'static Theme {
    static THEME: OnceLock<Theme> = OnceLock::new();
    THEME.get_or_init(|| {
        let mut theme = Theme::default();
        embedded_into(&mut theme);
        theme
    })
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
        } else if let Some(lang) = path
            .strip_prefix("i18n/")
            .and_then(|n| n.strip_suffix(".yaml"))
        {
            theme.word_files.push(WordsFile {
                lang: lang.to_string(),
                shown: format!("(default theme) i18n/{lang}.yaml"),
                text: Arc::from(String::from_utf8_lossy(bytes).as_ref()),
                from_site: false,
            });
        } else if let Some(name) = path.strip_prefix("static/") {
            theme.statics.push(StaticFile {
                output: name.to_string(),
                bytes: Arc::from(bytes),
                shown: format!("the default theme's `static/{name}`"),
            });
        }
    }
}

/// Adds the templates (a `templates` folder) or static files below `folder`.
fn add_folder(
    tree: &SourceTree,
    folder: &str,
    from_site: bool,
    theme: &mut Theme,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let templates = folder.ends_with("templates");
    for (path, why) in &tree.unlisted {
        if path.starts_with(folder) {
            diagnostics.push(Diagnostic::error(format!("cannot read `{path}`: {why}")));
        }
    }
    for (name, data) in tree.below(folder) {
        let shown = format!("{folder}/{name}");
        if !templates {
            match data.bytes() {
                Some(bytes) => theme.statics.push(StaticFile {
                    output: name.to_string(),
                    bytes,
                    shown: format!("`{shown}`"),
                }),
                None => diagnostics.push(Diagnostic::error(format!("cannot read `{shown}`"))),
            }
            continue;
        }
        match crate::load::content::decode(&shown, data) {
            Ok(text) => theme.templates.push(TemplateFile {
                name: name.to_string(),
                text,
                origin: Origin::Disk { shown },
                from_site,
            }),
            Err((d, _)) => diagnostics.push(d),
        }
    }
}

/// The words files (`<lang>.yaml`) directly in `folder`; other files there are
/// errors, so that a misnamed file is not silently left out.
fn add_words(
    tree: &SourceTree,
    folder: &str,
    from_site: bool,
    theme: &mut Theme,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (name, data) in tree.below(folder) {
        let shown = format!("{folder}/{name}");
        let lang = name.strip_suffix(".yaml").filter(|l| !l.contains('/'));
        let Some(lang) = lang.filter(|l| crate::load::content::translation::is_language_code(l))
        else {
            diagnostics.push(
                Diagnostic::error(format!("`{shown}` is not a words file")).help(
                    "words files are named after their language: `i18n/fr.yaml`, `i18n/pt-BR.yaml`",
                ),
            );
            continue;
        };
        match crate::load::content::decode(&shown, data) {
            Ok(text) => theme.word_files.push(WordsFile {
                lang: lang.to_string(),
                shown,
                text,
                from_site,
            }),
            Err((d, _)) => diagnostics.push(d),
        }
    }
}
