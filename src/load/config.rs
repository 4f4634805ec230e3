//! `site.yaml`: the site's configuration.

use std::ops::Range;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::load::content::{parse_yaml, Date};
use crate::load::served::Served;
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
    snapshots: Option<Vec<Date>>,
    #[serde(default)]
    markdown: MarkdownSettings,
    paginate: Option<u64>,
    feed_limit: Option<u64>,
    extra: Option<serde_json::Value>,
    #[serde(default = "yes")]
    search: bool,
    #[serde(default)]
    languages: std::collections::BTreeMap<String, RawLanguage>,
}

/// One entry of `languages:`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    title: Option<String>,
    description: Option<String>,
}

/// A language of the site besides the default one (`languages:` in site.yaml).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Language {
    pub code: String,
    /// The site's title in it; the default title when site.yaml gives none.
    pub title: String,
    pub description: Option<String>,
}

/// `markdown:` in site.yaml: how prose is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownSettings {
    /// Curly quotes, en and em dashes, ellipses.
    #[serde(default = "yes")]
    pub smart_punctuation: bool,
}

impl Default for MarkdownSettings {
    fn default() -> MarkdownSettings {
        MarkdownSettings {
            smart_punctuation: true,
        }
    }
}

fn yes() -> bool {
    true
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
    /// The days `/as-of/<date>/` shows the stances of (`snapshots:`), oldest first.
    pub snapshots: Vec<Date>,
    pub markdown: MarkdownSettings,
    /// Items a page of an index or folder list shows (`paginate:`, at least 1).
    pub paginate: usize,
    /// Entries the site feed keeps, the newest (`feed_limit:`, at least 1).
    pub feed_limit: usize,
    pub extra: serde_json::Value,
    /// `build` writes the full-text search index, `pagefind/` (`search:`, default true).
    pub search: bool,
    /// The other languages (`languages:`), by code.
    pub languages: Vec<Language>,
    /// Where this language's pages are served (set once the translations are known).
    #[serde(skip)]
    pub served: Served,
}

/// Items a page of a paginated list shows when site.yaml does not say.
pub const DEFAULT_PAGINATE: usize = 100;

/// Entries the site feed keeps when site.yaml does not say.
pub const DEFAULT_FEED_LIMIT: usize = 50;

impl Config {
    /// Absolute URL of a site path (`/actors/x/` -> `https://example.org/explainer/actors/x/`).
    pub fn permalink(&self, site_path: &str) -> String {
        let served = self.served.path(site_path);
        format!("{}{}", self.base_url, served.trim_start_matches('/'))
    }

    /// These settings for the pages of `lang`, one of `languages`: its title,
    /// description and code.
    pub fn in_language(&self, lang: &Language, served: Served) -> Config {
        Config {
            title: lang.title.clone(),
            description: lang
                .description
                .clone()
                .or_else(|| self.description.clone()),
            language: lang.code.clone(),
            served,
            ..self.clone()
        }
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
            snapshots: Vec::new(),
            markdown: MarkdownSettings::default(),
            paginate: DEFAULT_PAGINATE,
            feed_limit: DEFAULT_FEED_LIMIT,
            extra: serde_json::json!({}),
            search: true,
            languages: Vec::new(),
            served: Served::default(),
        }
    }

    pub fn with_base_url(mut self, base_url: &str) -> Result<Config, UrlError> {
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
        Err(e) => {
            errors.push(base_url_error(text, &raw.base_url, e));
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
    let mut count = |key: &str, value: Option<u64>, default: usize, what: &str| match value {
        None => default,
        Some(n @ 1..=1_000_000) => n as usize,
        Some(n) => {
            errors.push(
                Diagnostic::error(format!(
                    "`{key}` must be between 1 and 1000000 {what}, not {n}"
                ))
                .in_file(FILE)
                .at_opt(
                    crate::load::content::find_key_value(
                        text,
                        &(start..text.len()),
                        key,
                        &n.to_string(),
                        0,
                    )
                    .or_else(|| locate(key)),
                )
                .help(format!("leave it out for {default} {what}")),
            );
            default
        }
    };
    let paginate = count("paginate", raw.paginate, DEFAULT_PAGINATE, "items a page");
    let feed_limit = count(
        "feed_limit",
        raw.feed_limit,
        DEFAULT_FEED_LIMIT,
        "entries in the feed",
    );
    let snapshots = checked_snapshots(text, start, raw.snapshots.unwrap_or_default(), &mut errors);
    let language = raw.language.unwrap_or_else(|| "en".to_string());
    let languages = checked_languages(
        text,
        start,
        &language,
        &raw.title,
        raw.languages,
        &mut errors,
    );
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Config {
        title: raw.title,
        base_url,
        base_path,
        description: raw.description,
        language,
        theme,
        autolink: raw.autolink,
        snapshots,
        markdown: raw.markdown,
        paginate,
        feed_limit,
        extra: raw.extra.unwrap_or_else(|| serde_json::json!({})),
        search: raw.search,
        languages,
        served: Served::default(),
    })
}

/// The entries of `languages:`, checked: codes as file names write them, none the
/// default language again.
fn checked_languages(
    text: &str,
    start: usize,
    default: &str,
    title: &str,
    raw: std::collections::BTreeMap<String, RawLanguage>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Language> {
    let whole = start..text.len();
    let mut languages = Vec::new();
    for (code, lang) in raw {
        let at = crate::load::content::find_key(text, &whole, &code, 0)
            .or_else(|| crate::load::content::find_key(text, &whole, "languages", 0));
        if code == default {
            errors.push(
                Diagnostic::error(format!("`{code}` is the default language already"))
                    .in_file(FILE)
                    .at_opt(at)
                    .help("`language:` is the language of the files without a language in their name; list only the others under `languages:`"),
            );
        } else if !crate::load::content::translation::is_language_code(&code) {
            errors.push(
                Diagnostic::error(format!("`{code}` is not a language code"))
                    .in_file(FILE)
                    .at_opt(at)
                    .help(format!(
                        "write a lowercase code such as `fr`, `uk` or `pt-br`: it names the files (`about.{}.md`) and the folder of the pages",
                        code.to_ascii_lowercase()
                    )),
            );
        } else {
            languages.push(Language {
                code,
                title: lang.title.unwrap_or_else(|| title.to_string()),
                description: lang.description,
            });
        }
    }
    languages
}

/// Snapshot dates a site may list: each is a page the size of the whole matrix and
/// every spectrum, so a long list would write gigabytes at scale.
pub const MAX_SNAPSHOTS: usize = 100;

/// The snapshot dates, oldest first; a date given twice is an error at its second place.
fn checked_snapshots(
    text: &str,
    start: usize,
    mut dates: Vec<Date>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Date> {
    let whole = start..text.len();
    if dates.len() > MAX_SNAPSHOTS {
        errors.push(
            Diagnostic::error(format!(
                "`snapshots` lists {} dates; at most {MAX_SNAPSHOTS} are allowed",
                dates.len()
            ))
            .in_file(FILE)
            .at_opt(crate::load::content::find_key(text, &whole, "snapshots", 0))
            .help("each date writes a page as large as the whole matrix and every spectrum: keep the dates readers ask about"),
        );
        return Vec::new();
    }
    let mut seen = std::collections::HashSet::new();
    let mut nth = std::collections::HashMap::new();
    for d in &dates {
        let shown = d.to_string();
        let occurrence = nth.entry(shown.clone()).or_insert(0usize);
        if !seen.insert(*d) {
            let span = crate::load::content::find_value(text, &whole, &shown, *occurrence)
                .or_else(|| crate::load::content::find_key(text, &whole, "snapshots", 0));
            errors.push(
                Diagnostic::error(format!("snapshot date `{shown}` is listed twice"))
                    .in_file(FILE)
                    .at_opt(span)
                    .help(
                        "each date in `snapshots` writes one page `/as-of/<date>/`: list it once",
                    ),
            );
        }
        *occurrence += 1;
    }
    dates.sort();
    dates.dedup();
    dates
}

/// A `base_url` error in `site.yaml`: at the very characters that are wrong when
/// the value is written as it reads (no YAML escapes), else at the whole value.
fn base_url_error(text: &str, url: &str, e: UrlError) -> Diagnostic {
    let whole = 0..text.len();
    let value = crate::load::content::find_value(text, &whole, url, 0);
    let span = match (value, e.at) {
        (Some(v), Some(at)) => Some(v.start + at.start..v.start + at.end),
        (Some(v), None) => Some(v),
        (None, _) => crate::load::content::find_key(text, &whole, "base_url", 0),
    };
    Diagnostic::error(e.message)
        .in_file(FILE)
        .at_opt(span)
        .help(e.help)
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

/// What is wrong with a base URL: what to say, where in the URL (a byte range of
/// it; `None`: the whole URL), and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlError {
    pub message: String,
    pub at: Option<Range<usize>>,
    pub help: &'static str,
}

const URL_HELP: &str =
    "write the address the site will be published at, e.g. `https://example.org/explainer/`";

fn url_error(message: String, at: Option<Range<usize>>, help: &'static str) -> UrlError {
    UrlError { message, at, help }
}

/// Checks an `http(s)://host[:port]/path` URL; returns it with a trailing `/` and
/// its path. Pages link with that path, so it must not reach another host.
pub fn check_base_url(url: &str) -> Result<(String, String), UrlError> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| {
            let message = format!("`base_url` must start with `https://` or `http://`: `{url}`");
            url_error(message, None, URL_HELP)
        })?;
    // Browsers read `\` as `/`: a path `/\evil.example/` would name another host.
    if let Some(i) = url.find(|c: char| {
        c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '?' | '#' | '\\')
    }) {
        let width = url[i..].chars().next().map_or(1, char::len_utf8);
        let message = format!("`base_url` is not a URL: `{url}`");
        return Err(url_error(message, Some(i..i + width), URL_HELP));
    }
    let scheme = url.len() - rest.len();
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    check_authority(url, scheme..scheme + authority.len())?;
    check_path(url, path, scheme + authority.len())?;
    let path = if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    };
    Ok((format!("{}{authority}{path}", &url[..scheme]), path))
}

/// `host`, `host:port`, `[ipv6]` or `[ipv6]:port`, at `range` of `url`.
fn check_authority(url: &str, range: Range<usize>) -> Result<(), UrlError> {
    let authority = &url[range.clone()];
    let (host, port) = if authority.starts_with('[') {
        split_ipv6(url, range.clone())?
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let name_ok = |h: &str| {
        h.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'))
    };
    if host.is_empty() || !host.starts_with('[') && !name_ok(host) {
        let message = format!("`base_url` is not a URL: `{url}`");
        return Err(url_error(message, Some(range), URL_HELP));
    }
    match port {
        Some(port) => check_port(port, range.start + host.len()..range.end),
        None => Ok(()),
    }
}

/// `[ipv6]` or `[ipv6]:port` at `range` of `url`: the bracketed host and the port.
fn split_ipv6(url: &str, range: Range<usize>) -> Result<(&str, Option<&str>), UrlError> {
    let authority = &url[range.clone()];
    let example = "write an IPv6 address in brackets, e.g. `http://[::1]:1111/`";
    let Some(close) = authority.find(']') else {
        let message = format!("the IPv6 address in `base_url` is not closed with `]`: `{url}`");
        return Err(url_error(message, Some(range), example));
    };
    let (host, rest) = authority.split_at(close + 1);
    if host[1..close].parse::<std::net::Ipv6Addr>().is_err() {
        let message = format!("`{host}` in `base_url` is not an IPv6 address");
        return Err(url_error(
            message,
            Some(range.start..range.start + host.len()),
            example,
        ));
    }
    match rest.strip_prefix(':') {
        Some(port) => Ok((host, Some(port))),
        None if rest.is_empty() => Ok((host, None)),
        None => {
            let message = format!("`base_url` is not a URL: `{url}`");
            Err(url_error(
                message,
                Some(range.start + host.len()..range.end),
                example,
            ))
        }
    }
}

/// The port after `host:`, whose `:port` is at `at` of the URL.
fn check_port(port: &str, at: Range<usize>) -> Result<(), UrlError> {
    let digits = !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit());
    if digits && matches!(port.parse::<u32>(), Ok(1..=65535)) {
        return Ok(());
    }
    let shown = if port.is_empty() {
        "nothing".to_string()
    } else {
        format!("`{port}`")
    };
    let message = format!("the port in `base_url` must be a number from 1 to 65535, not {shown}");
    let help =
        "write a port from 1 to 65535, or none for the scheme's own (80 for http, 443 for https)";
    Err(url_error(message, Some(at), help))
}

/// The path, at `offset` in `url`: no empty folder, since a path that starts with
/// `//` names another host (the 404 page would link off-site).
fn check_path(url: &str, path: &str, offset: usize) -> Result<(), UrlError> {
    match path.find("//") {
        Some(i) => {
            let message = format!("the path of `base_url` has an empty folder (`//`): `{url}`");
            let at = offset + i..offset + i + 2;
            let help = "write each `/` once, e.g. `https://example.org/explainer/`: a link that starts with `//` leads to another host";
            Err(url_error(message, Some(at), help))
        }
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_limit_defaults_to_50_and_refuses_0() {
        let yaml = "title: T\nbase_url: https://example.org/\n";
        assert_eq!(parse(yaml).unwrap().feed_limit, DEFAULT_FEED_LIMIT);
        let three = format!("{yaml}feed_limit: 3\n");
        assert_eq!(parse(&three).unwrap().feed_limit, 3);
        let errors = parse(&format!("{yaml}feed_limit: 0\npaginate: 0\n")).unwrap_err();
        let messages: Vec<&str> = errors.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`paginate` must be between 1 and 1000000 items a page, not 0",
                "`feed_limit` must be between 1 and 1000000 entries in the feed, not 0",
            ]
        );
    }

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
    fn base_urls_that_would_lead_elsewhere_are_refused_at_the_fault() {
        for (url, message, at) in [
            ("https://e.org//x/", "empty folder (`//`)", "//"),
            ("https://e.org/a/b//", "empty folder (`//`)", "//"),
            (
                "http://[::1/x/",
                "IPv6 address in `base_url` is not closed",
                "[::1",
            ),
            (
                "http://[::g]/",
                "`[::g]` in `base_url` is not an IPv6 address",
                "[::g]",
            ),
            ("http://[::1]x/", "not a URL", "x"),
            ("https://e.org:99999/", "not `99999`", ":99999"),
            ("https://e.org:0/", "not `0`", ":0"),
            ("https://e.org:+80/", "not `+80`", ":+80"),
            ("https://e.org:/", "not nothing", ":"),
            ("https://a:b:c/", "not `b:c`", ":b:c"),
            ("https://e.org/\\evil.example/", "not a URL", "\\"),
            ("https://e.org/a\u{1b}b/", "not a URL", "\u{1b}"),
            ("https://e]x.org/", "not a URL", "e]x.org"),
        ] {
            let e = check_base_url(url).unwrap_err();
            assert!(e.message.contains(message), "{url}: {e:?}");
            assert_eq!(e.at.map(|r| &url[r]), Some(at), "{url}");
        }
        for (url, normal) in [
            ("http://[::1]:1111", "http://[::1]:1111/"),
            ("http://[::1]/x", "http://[::1]/x/"),
            ("https://e.org:65535/a/b", "https://e.org:65535/a/b/"),
            ("https://e.org:1/", "https://e.org:1/"),
        ] {
            assert_eq!(check_base_url(url).unwrap().0, normal);
        }
    }

    #[test]
    fn a_base_url_error_in_site_yaml_points_at_the_fault() {
        let text = "title: T\nbase_url: \"https://e.org:99999/x/\"\n";
        let errors = parse(text).unwrap_err();
        let span = errors[0].span.clone().unwrap();
        assert_eq!(&text[span.clone()], ":99999");
        assert_eq!(crate::diagnostics::line_col(text, span.start), (2, 25));
        assert!(errors[0].help.as_deref().unwrap().contains("1 to 65535"));
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
