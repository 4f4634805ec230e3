//! The site in each of its other languages: one [`Site`] per language, resolved
//! from the content with that language's words laid over it
//! ([`translate::content_in`]), and the paths each language serves its pages at.

use std::sync::Arc;

use crate::diagnostics::Diagnostic;
use crate::load::content::Content;
use crate::load::served::{Languages, Served, ServedLanguage};
use crate::load::theme::Theme;
use crate::resolve::{resolve, translate, Resolved, Site};

/// The other languages' sites, and what resolving them found.
pub struct Translated {
    pub sites: Vec<Site>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Resolves `content` in each language of `default.config.languages`, and sets
/// where the default language's pages are served. Only the diagnostics about the
/// translations themselves are kept (the rest repeat the default language's).
pub fn other_languages(default: &mut Site, content: &Content, theme: &Theme) -> Translated {
    let config = default.config.clone();
    let mut list = vec![ServedLanguage {
        code: config.language.clone(),
        name: native_name(&config.language).to_string(),
        ..ServedLanguage::default()
    }];
    for lang in &config.languages {
        list.push(ServedLanguage {
            code: lang.code.clone(),
            name: native_name(&lang.code).to_string(),
            prefix: format!("{}/", lang.code),
            untranslated: translate::untranslated(content, &lang.code),
        });
    }
    let shared = theme
        .statics
        .iter()
        .map(|s| format!("/{}", s.output))
        .chain(default.assets.iter().map(|a| format!("/{}", a.output)))
        .collect();
    let all = Arc::new(Languages { list, shared });
    default.config.served = Served::new(all.clone(), 0);
    let mut translated = Translated {
        sites: Vec::new(),
        diagnostics: Vec::new(),
    };
    for (i, lang) in config.languages.iter().enumerate() {
        let own = format!(".{}.md", lang.code);
        let config = config.in_language(lang, Served::new(all.clone(), i + 1));
        let Resolved { site, diagnostics } = resolve(
            config,
            translate::content_in(content, &lang.code),
            theme,
            &mut (),
        );
        translated.diagnostics.extend(
            diagnostics
                .into_iter()
                .filter(|d| d.is_error() || d.file.as_deref().is_some_and(|f| f.ends_with(&own))),
        );
        translated.sites.extend(site);
    }
    translated
}

/// The name a language calls itself, for the language switcher; the code for
/// languages not listed.
pub fn native_name(code: &str) -> &str {
    let base = code.split('-').next().unwrap_or(code);
    match base {
        "ar" => "العربية",
        "cs" => "Čeština",
        "da" => "Dansk",
        "de" => "Deutsch",
        "el" => "Ελληνικά",
        "en" => "English",
        "es" => "Español",
        "fa" => "فارسی",
        "fi" => "Suomi",
        "fr" => "Français",
        "he" => "עברית",
        "hi" => "हिन्दी",
        "hu" => "Magyar",
        "it" => "Italiano",
        "ja" => "日本語",
        "ko" => "한국어",
        "nl" => "Nederlands",
        "no" | "nb" => "Norsk",
        "pl" => "Polski",
        "pt" => "Português",
        "ro" => "Română",
        "ru" => "Русский",
        "sv" => "Svenska",
        "tr" => "Türkçe",
        "uk" => "Українська",
        "zh" => "中文",
        _ => code,
    }
}
