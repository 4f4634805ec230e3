//! Where each language's pages are served. The model knows one set of site paths
//! (`/actors/joe-biden/`); a language other than the default serves its pages
//! under `/<code>/` (`/fr/actors/joe-biden/`), except what it does not write: the
//! pages of entities without a translation in it, and what every language shares
//! (static files, the search bundle, `404.html`). Rendering asks [`Served`] at its
//! ends only (output paths, links, permalinks), so the stages in between stay the
//! same for every language.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;

/// One language of a site, as its pages are served.
#[derive(Debug, Clone, Default)]
pub struct ServedLanguage {
    pub code: String,
    /// Its own name for itself: `Українська`, shown in the language switcher.
    pub name: String,
    /// `""` for the default language, `fr/` for the others.
    pub prefix: String,
    /// Site paths of the pages it does not write: entities without a translation.
    pub untranslated: HashSet<String>,
}

/// Every language of a site, and the site paths they all share.
#[derive(Debug, Clone, Default)]
pub struct Languages {
    /// The default language first.
    pub list: Vec<ServedLanguage>,
    /// Site paths served at the root in every language (static files, assets).
    pub shared: HashSet<String>,
}

/// The paths of one language of a site: the identity for a site of one language.
#[derive(Debug, Clone, Default)]
pub struct Served {
    all: Option<Arc<Languages>>,
    current: usize,
}

/// Outputs every language shares, besides static files: one search bundle (it
/// holds an index per language), one not-found page, one sitemap and robots.txt.
const SHARED_PREFIXES: [&str; 1] = ["/pagefind/"];
const SHARED_FILES: [&str; 4] = ["/404.html", "/robots.txt", "/sitemap.xml", "/.nojekyll"];

impl Served {
    /// The paths of language `current` (an index into `all.list`, 0 the default).
    pub fn new(all: Arc<Languages>, current: usize) -> Served {
        Served {
            all: Some(all),
            current,
        }
    }

    /// Whether the site has more than one language.
    pub fn is_multilingual(&self) -> bool {
        self.all.as_ref().is_some_and(|a| a.list.len() > 1)
    }

    pub fn is_default(&self) -> bool {
        self.current == 0
    }

    /// The languages, default first (empty for a site of one language).
    pub fn languages(&self) -> &[ServedLanguage] {
        self.all.as_deref().map_or(&[], |a| a.list.as_slice())
    }

    /// Whether this language writes the output at `site_path`.
    pub fn writes(&self, site_path: &str) -> bool {
        self.is_default() || self.localized_in(self.current, site_path)
    }

    /// Whether language `lang` serves `site_path` under its own prefix.
    fn localized_in(&self, lang: usize, site_path: &str) -> bool {
        let Some(all) = &self.all else { return false };
        let Some(language) = all.list.get(lang) else {
            return false;
        };
        if language.prefix.is_empty() {
            return false;
        }
        let key = site_path.split(['?', '#']).next().unwrap_or(site_path);
        if all.shared.contains(key)
            || SHARED_FILES.contains(&key)
            || SHARED_PREFIXES.iter().any(|p| key.starts_with(p))
        {
            return false;
        }
        !owned_by(key).any(|owner| language.untranslated.contains(owner))
    }

    /// The site path `site_path` is served at in this language: itself, or under
    /// the language's prefix.
    pub fn path<'a>(&self, site_path: &'a str) -> Cow<'a, str> {
        self.path_in(self.current, site_path)
    }

    fn path_in<'a>(&self, lang: usize, site_path: &'a str) -> Cow<'a, str> {
        if !self.localized_in(lang, site_path) {
            return Cow::Borrowed(site_path);
        }
        let prefix = &self.languages()[lang].prefix;
        Cow::Owned(format!("/{prefix}{}", site_path.trim_start_matches('/')))
    }

    /// The language whose page a link to `site_path` opens, when it is not this
    /// one's: the default language's code, for an entity without a translation.
    pub fn other_language_of(&self, site_path: &str) -> Option<&str> {
        let all = self.all.as_ref()?;
        let key = site_path.split(['?', '#']).next().unwrap_or(site_path);
        let untranslated = &all.list.get(self.current)?.untranslated;
        (!self.is_default() && owned_by(key).any(|o| untranslated.contains(o)))
            .then(|| all.list[0].code.as_str())
    }

    /// The page at `site_path` in every language that writes it: (code, name,
    /// served site path, whether it is this language).
    pub fn alternates(&self, site_path: &str) -> Vec<(&str, &str, String, bool)> {
        let list = self.languages();
        (0..list.len())
            .filter(|&l| l == 0 || self.localized_in(l, site_path))
            .map(|l| {
                let lang = &list[l];
                let path = self.path_in(l, site_path).into_owned();
                (
                    lang.code.as_str(),
                    lang.name.as_str(),
                    path,
                    l == self.current,
                )
            })
            .collect()
    }
}

/// The site paths an output at `key` belongs to: itself, the page it is an embed
/// of (`/embed/actors/x/` -> `/actors/x/`), and the page folder a file is in
/// (`/actors/x/atom.xml`, `/embed/actors/x/oembed.json`).
fn owned_by(key: &str) -> impl Iterator<Item = &str> {
    // The folder of a file; none for a page, whose path ends with `/`.
    let folder = |p: &str| {
        (!p.ends_with('/'))
            .then(|| p.rfind('/').map(|i| i + 1))
            .flatten()
    };
    let mut owners: Vec<&str> = vec![key];
    if let Some(i) = folder(key) {
        owners.push(&key[..i]);
    }
    if let Some(page) = key.strip_prefix("/embed").filter(|p| p.starts_with('/')) {
        owners.push(page);
        if let Some(i) = folder(page) {
            owners.push(&page[..i]);
        }
    }
    owners.into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn served(current: usize) -> Served {
        let fr = ServedLanguage {
            code: "fr".into(),
            name: "Français".into(),
            prefix: "fr/".into(),
            untranslated: ["/actors/b/".to_string()].into_iter().collect(),
        };
        let en = ServedLanguage {
            code: "en".into(),
            name: "English".into(),
            ..ServedLanguage::default()
        };
        let all = Languages {
            list: vec![en, fr],
            shared: ["/style.css".to_string()].into_iter().collect(),
        };
        Served::new(Arc::new(all), current)
    }

    #[test]
    fn one_language_serves_every_path_as_it_is() {
        let s = Served::default();
        assert_eq!(s.path("/actors/a/"), "/actors/a/");
        assert!(s.writes("/actors/a/") && !s.is_multilingual());
        assert!(s.alternates("/actors/a/").is_empty());
        assert_eq!(served(0).path("/actors/a/#x"), "/actors/a/#x");
    }

    #[test]
    fn another_language_serves_what_it_translates_under_its_prefix() {
        let fr = served(1);
        assert_eq!(fr.path("/actors/a/#x"), "/fr/actors/a/#x");
        assert_eq!(fr.path("/"), "/fr/");
        assert_eq!(fr.path("/matrix/?q=1"), "/fr/matrix/?q=1");
        assert_eq!(fr.path("/actors/b/"), "/actors/b/");
        assert_eq!(fr.path("/actors/b/atom.xml"), "/actors/b/atom.xml");
        assert_eq!(fr.path("/embed/actors/b/"), "/embed/actors/b/");
        assert_eq!(fr.path("/embed/actors/a/"), "/fr/embed/actors/a/");
        assert!(fr.writes("/embed/actors/a/") && fr.writes("/embed/matrix/"));
        assert_eq!(
            fr.path("/embed/actors/a/oembed.json"),
            "/fr/embed/actors/a/oembed.json"
        );
        assert_eq!(fr.path("/style.css?h=1"), "/style.css?h=1");
        assert_eq!(fr.path("/pagefind/pagefind.js"), "/pagefind/pagefind.js");
        assert!(!fr.writes("/actors/b/") && fr.writes("/actors/a/") && !fr.writes("/404.html"));
        assert_eq!(fr.other_language_of("/actors/b/#s"), Some("en"));
        assert_eq!(fr.other_language_of("/actors/a/"), None);
        assert_eq!(served(0).other_language_of("/actors/b/"), None);
    }

    #[test]
    fn alternates_list_the_languages_that_write_a_page() {
        let langs = |s: &Served, p: &str| -> Vec<(String, String, bool)> {
            s.alternates(p)
                .into_iter()
                .map(|(c, _, p, here)| (c.to_string(), p, here))
                .collect()
        };
        assert_eq!(
            langs(&served(1), "/actors/a/"),
            vec![
                ("en".into(), "/actors/a/".into(), false),
                ("fr".into(), "/fr/actors/a/".into(), true)
            ]
        );
        assert_eq!(
            langs(&served(0), "/actors/b/"),
            vec![("en".into(), "/actors/b/".into(), true)]
        );
    }
}
