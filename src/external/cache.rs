//! The results of earlier checks, `.standpoint/links.json` under the site root:
//! a URL checked less than [`MAX_AGE`] ago is not requested again. The file is
//! git-ignored, sorted (a `BTreeMap`), written atomically; a file that does not
//! parse is reported and ignored, never fatal. [`read`] and [`write`] are the
//! only functions of `check --external` that touch the disk.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;

/// The folder under the site root that holds standpoint's own state.
pub const DIR: &str = ".standpoint";
/// The cache file, inside [`DIR`].
pub const FILE: &str = "links.json";
/// How long a result is trusted: seven days, in seconds.
pub const MAX_AGE: u64 = 7 * 24 * 60 * 60;
/// The format of the file; another version is ignored.
const VERSION: u32 = 1;

/// What one check of a URL found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The last status code received (after any redirects); none when no answer came.
    pub status: Option<u16>,
    /// When it was checked, in seconds since the Unix epoch.
    pub checked: u64,
    /// Where redirects led, when the URL redirected.
    pub final_url: Option<String>,
    /// Whether one of those redirects was permanent (301 or 308).
    #[serde(default)]
    pub permanent: bool,
    /// Why there was no usable answer: a refused connection, a timeout, ...
    pub error: Option<String>,
}

/// Every cached result, by URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cache {
    pub links: BTreeMap<String, Entry>,
}

/// The file: its format's version, then the results.
#[derive(Serialize, Deserialize)]
struct CacheFile<L> {
    version: u32,
    links: L,
}

impl Cache {
    /// The result for `url` if it is younger than [`MAX_AGE`] at `now`. One dated in
    /// the future (a clock set back) is not trusted.
    pub fn fresh(&self, url: &str, now: u64) -> Option<&Entry> {
        self.links
            .get(url)
            .filter(|e| e.checked <= now && now - e.checked < MAX_AGE)
    }

    /// Records `entry` for `url`.
    pub fn insert(&mut self, url: &str, entry: Entry) {
        self.links.insert(url.to_string(), entry);
    }

    /// Drops every result that is no longer fresh at `now`, so the file does not grow
    /// with URLs the site stopped citing.
    pub fn prune(&mut self, now: u64) {
        self.links
            .retain(|_, e| e.checked <= now && now - e.checked < MAX_AGE);
    }

    /// The file's text: sorted, indented, with a final newline.
    pub fn to_json(&self) -> String {
        let file = CacheFile {
            version: VERSION,
            links: &self.links,
        };
        let mut text = serde_json::to_string_pretty(&file).expect("a cache serialises");
        text.push('\n');
        text
    }

    /// The cache in `text`, or why it cannot be used.
    pub fn from_json(text: &str) -> Result<Cache, String> {
        let file: CacheFile<BTreeMap<String, Entry>> =
            serde_json::from_str(text).map_err(|e| e.to_string())?;
        if file.version != VERSION {
            return Err(format!(
                "it has version {}, this standpoint writes version {VERSION}",
                file.version
            ));
        }
        Ok(Cache { links: file.links })
    }
}

fn path(root: &Path) -> PathBuf {
    root.join(DIR).join(FILE)
}

fn shown() -> String {
    format!("{DIR}/{FILE}")
}

/// Refuses a `.standpoint` that is a symbolic link: the cache is never written
/// outside the site.
fn check_dir(root: &Path) -> Result<(), Diagnostic> {
    match std::fs::symlink_metadata(root.join(DIR)) {
        Ok(m) if m.file_type().is_symlink() => Err(Diagnostic::error(format!(
            "`{DIR}` is a symbolic link; standpoint keeps its cache only inside the site"
        ))
        .help(format!(
            "delete the link `{DIR}`; standpoint creates the folder"
        ))),
        _ => Ok(()),
    }
}

/// The cache of the site at `root`: empty when there is none, and with a warning
/// when the file cannot be read or parsed (it is then replaced on write).
pub fn read(root: &Path) -> Result<(Cache, Option<Diagnostic>), Diagnostic> {
    check_dir(root)?;
    let text = match std::fs::read_to_string(path(root)) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Cache::default(), None)),
        Err(e) => {
            let d = Diagnostic::warning(format!("could not read `{}`: {e}", shown()))
                .help("every link is checked again and the file is rewritten");
            return Ok((Cache::default(), Some(d)));
        }
    };
    match Cache::from_json(&text) {
        Ok(cache) => Ok((cache, None)),
        Err(e) => {
            let d = Diagnostic::warning(format!("ignored the link cache `{}`: {e}", shown()))
                .help("every link is checked again and the file is rewritten");
            Ok((Cache::default(), Some(d)))
        }
    }
}

/// Writes `cache` for the site at `root`: to a temporary file beside it, then
/// renamed over the old one, so that an interrupted write leaves the old cache.
pub fn write(root: &Path, cache: &Cache) -> Result<(), Diagnostic> {
    check_dir(root)?;
    let fail = |e: std::io::Error| Diagnostic::error(format!("could not write `{}`: {e}", shown()));
    std::fs::create_dir_all(root.join(DIR)).map_err(fail)?;
    let tmp = root
        .join(DIR)
        .join(format!("{FILE}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, cache.to_json()).map_err(fail)?;
    std::fs::rename(&tmp, path(root)).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(checked: u64) -> Entry {
        Entry {
            status: Some(200),
            checked,
            final_url: None,
            permanent: false,
            error: None,
        }
    }

    #[test]
    fn a_result_is_fresh_for_seven_days_and_not_a_second_more() {
        let mut cache = Cache::default();
        cache.insert("https://a.org/", entry(1_000));
        assert!(cache.fresh("https://a.org/", 1_000).is_some());
        assert!(cache.fresh("https://a.org/", 1_000 + MAX_AGE - 1).is_some());
        assert!(cache.fresh("https://a.org/", 1_000 + MAX_AGE).is_none());
        assert!(cache.fresh("https://b.org/", 1_000).is_none());
        // Checked "in the future": the clock moved back, so the result is not trusted.
        assert!(cache.fresh("https://a.org/", 999).is_none());
    }

    #[test]
    fn pruning_keeps_only_fresh_results() {
        let mut cache = Cache::default();
        cache.insert("https://old.org/", entry(0));
        cache.insert("https://new.org/", entry(MAX_AGE));
        cache.prune(MAX_AGE + 10);
        let urls: Vec<&String> = cache.links.keys().collect();
        assert_eq!(urls, ["https://new.org/"]);
    }

    #[test]
    fn the_file_is_sorted_and_reads_back() {
        let mut cache = Cache::default();
        cache.insert("https://b.org/", entry(2));
        cache.insert("https://a.org/", entry(1));
        let text = cache.to_json();
        assert!(text.find("https://a.org/").unwrap() < text.find("https://b.org/").unwrap());
        let back = Cache::from_json(&text).unwrap();
        assert_eq!(back.links, cache.links);
        assert!(Cache::from_json("{not json").is_err());
        assert!(Cache::from_json(r#"{"version": 99, "links": {}}"#).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_corrupt_file_is_a_warning_and_a_symlinked_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(DIR)).unwrap();
        std::fs::write(path(dir.path()), "{\"links\": 3").unwrap();
        let (cache, warning) = read(dir.path()).unwrap();
        assert!(cache.links.is_empty());
        assert!(warning.unwrap().message.contains("ignored the link cache"));
        let mut cache = Cache::default();
        cache.insert("https://a.org/", entry(5));
        write(dir.path(), &cache).unwrap();
        assert_eq!(read(dir.path()).unwrap(), (cache.clone(), None));

        let other = tempfile::tempdir().unwrap();
        let site = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(other.path(), site.path().join(DIR)).unwrap();
        assert!(write(site.path(), &cache).is_err());
        assert!(read(site.path()).is_err());
        assert_eq!(std::fs::read_dir(other.path()).unwrap().count(), 0);
    }
}
