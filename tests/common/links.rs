//! Following the relative links of generated pages, for the tests that check
//! where a link leads.

// Each test uses the part it needs.
#![allow(dead_code)]

/// The path that the relative `href` (no query or fragment) reaches from the
/// folder `dir` (`actors/x/`), without leading or trailing `/`: `..` climbs a
/// folder, `.` and empty segments stay (`questions/q` for `../../questions/q/`).
pub fn joined(dir: &str, href: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in href.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Whether `href` names a folder (its page is the folder's `index.html`).
pub fn names_folder(href: &str) -> bool {
    href.is_empty() || href == "." || href.ends_with('/') || href.ends_with("/.")
}
