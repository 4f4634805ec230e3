//! `site.yaml`: the site's configuration.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::load::content::parse_yaml;
use crate::load::tree::{FileData, SourceTree};

pub const FILE: &str = "site.yaml";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Autolink {
    #[default]
    First,
    All,
    None,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    base_url: String,
    description: Option<String>,
    language: Option<String>,
    theme: Option<String>,
    #[serde(default)]
    autolink: Autolink,
    extra: Option<serde_json::Value>,
}

/// The site's settings, checked and normalised (`base_url` always ends with `/`).
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    pub title: String,
    pub base_url: String,
    /// The path part of `base_url`: `/explainer/`, or `/`.
    pub base_path: String,
    pub description: Option<String>,
    pub language: String,
    pub theme: String,
    pub autolink: Autolink,
    pub extra: serde_json::Value,
}

impl Config {
    /// Absolute URL of a site path (`/actors/x/` -> `https://example.org/explainer/actors/x/`).
    pub fn permalink(&self, site_path: &str) -> String {
        format!("{}{}", self.base_url, site_path.trim_start_matches('/'))
    }

    /// Settings to resolve content with when `site.yaml` has errors, so that the
    /// content's own errors are still found.
    pub fn fallback() -> Config {
        Config {
            title: String::new(),
            base_url: "https://example.org/".into(),
            base_path: "/".into(),
            description: None,
            language: "en".into(),
            theme: "default".into(),
            autolink: Autolink::None,
            extra: serde_json::json!({}),
        }
    }

    pub fn with_base_url(mut self, base_url: &str) -> Result<Config, String> {
        let (url, path) = check_base_url(base_url)?;
        self.base_url = url;
        self.base_path = path;
        Ok(self)
    }
}

/// `site.yaml`, parsed: the configuration when it is valid, its text when it could be
/// read (for diagnostics), and what is wrong with it.
#[derive(Debug, Default)]
pub struct LoadedConfig {
    pub config: Option<Config>,
    pub text: Option<Arc<str>>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Checks the `site.yaml` of `tree`.
pub fn load(tree: &SourceTree) -> LoadedConfig {
    let failed = |d: Diagnostic| LoadedConfig {
        diagnostics: vec![d],
        ..LoadedConfig::default()
    };
    let data = match tree.files.get(FILE) {
        Some(FileData::Unreadable(why)) => {
            return failed(Diagnostic::error(format!("cannot read `{FILE}`: {why}")))
        }
        None => {
            return failed(Diagnostic::error(format!(
                "could not find `{FILE}` in `{}`",
                tree.root.display()
            ))
            .help("run `standpoint init` to create a new site here, or pass `--root DIR` to point at one"))
        }
        Some(data) => data,
    };
    let text = match crate::load::content::decode(FILE, data) {
        Ok(text) => text,
        Err((d, lossy)) => {
            return LoadedConfig {
                config: None,
                text: Some(lossy),
                diagnostics: vec![d],
            }
        }
    };
    match parse(&text) {
        Ok(config) => LoadedConfig {
            config: Some(config),
            text: Some(text),
            diagnostics: Vec::new(),
        },
        Err(diagnostics) => LoadedConfig {
            config: None,
            text: Some(text),
            diagnostics,
        },
    }
}

pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let raw: RawConfig = parse_yaml(FILE, text, &(start..text.len()))?;
    let locate = |key: &str| crate::load::content::find_key(text, &(start..text.len()), key, 0);
    let mut errors = Vec::new();
    let (base_url, base_path) = match check_base_url(&raw.base_url) {
        Ok(v) => v,
        Err(msg) => {
            let mut d = Diagnostic::error(msg)
                .in_file(FILE)
                .help("write the address the site will be published at, e.g. `https://example.org/explainer/`");
            if let Some(span) =
                crate::load::content::find_value(text, &(0..text.len()), &raw.base_url, 0)
                    .or_else(|| locate("base_url"))
            {
                d = d.at(span);
            }
            errors.push(d);
            (String::new(), String::new())
        }
    };
    let theme = raw.theme.unwrap_or_else(|| "default".to_string());
    if !is_theme_name(&theme) {
        let span = crate::load::content::find_value(text, &(0..text.len()), &theme, 0)
            .or_else(|| locate("theme"));
        errors.push(
            Diagnostic::error(format!("`theme` must be the name of a theme, not a path: `{theme}`"))
                .in_file(FILE)
                .at_opt(span)
                .help("a theme is a folder `themes/<name>/` of the site, or `default`, the embedded theme"),
        );
    }
    if raw.title.trim().is_empty() {
        let mut d = Diagnostic::error("`title` is empty").in_file(FILE);
        if let Some(span) = locate("title") {
            d = d.at(span);
        }
        errors.push(d);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Config {
        title: raw.title,
        base_url,
        base_path,
        description: raw.description,
        language: raw.language.unwrap_or_else(|| "en".to_string()),
        theme,
        autolink: raw.autolink,
        extra: raw.extra.unwrap_or_else(|| serde_json::json!({})),
    })
}

/// A theme's name is one folder name under `themes/`: no separators, no `.` or `..`.
fn is_theme_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Checks an `http(s)://host/path` URL; returns it with a trailing `/` and its path.
pub fn check_base_url(url: &str) -> Result<(String, String), String> {
    let bad = || format!("`base_url` is not a URL: `{url}`");
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("`base_url` must start with `https://` or `http://`: `{url}`"))?;
    if url
        .chars()
        .any(|c| c.is_whitespace() || c == '"' || c == '<' || c == '>')
        || url.contains('?')
        || url.contains('#')
    {
        return Err(bad());
    }
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']' | '_'));
    if !host_ok {
        return Err(bad());
    }
    let path = if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    };
    let scheme = &url[..url.len() - rest.len()];
    Ok((format!("{scheme}{host}{path}"), path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_is_normalised() {
        assert_eq!(
            check_base_url("https://example.org/explainer").unwrap(),
            (
                "https://example.org/explainer/".into(),
                "/explainer/".into()
            )
        );
        assert_eq!(
            check_base_url("http://localhost:1111").unwrap(),
            ("http://localhost:1111/".into(), "/".into())
        );
        assert!(check_base_url("example.org").is_err());
        assert!(check_base_url("https://").is_err());
        assert!(check_base_url("https://exa mple.org/").is_err());
    }

    #[test]
    fn a_theme_is_a_name_not_a_path() {
        for bad in ["/tmp/o", "../../../o", "a/b", "..", ".hidden", "a\\b", ""] {
            let text = format!("title: T\nbase_url: https://e.org/\ntheme: \"{bad}\"\n");
            let errors = parse(&text).unwrap_err();
            assert!(
                errors[0].message.contains("not a path"),
                "{bad}: {errors:?}"
            );
            let span = errors[0].span.clone().expect("placed");
            assert_eq!(
                crate::diagnostics::line_col(&text, span.start).0,
                3,
                "{bad}"
            );
        }
        for good in ["default", "my-theme", "theme_2", "v1.2"] {
            let text = format!("title: T\nbase_url: https://e.org/\ntheme: {good}\n");
            assert_eq!(parse(&text).unwrap().theme, good);
        }
    }

    #[test]
    fn defaults_apply() {
        let c = parse("title: T\nbase_url: https://e.org\n").unwrap();
        assert_eq!(c.language, "en");
        assert_eq!(c.theme, "default");
        assert_eq!(c.autolink, Autolink::First);
    }
}
