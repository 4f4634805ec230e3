//! Full-text search: once the pages are rendered, every page whose template marks
//! its content with `data-pagefind-body` goes through Pagefind's indexer, in
//! memory, and the files it makes (`pagefind/`: the entry file, index chunks, one
//! fragment per page, the wasm and `pagefind.js`) join the site's files, so they
//! are written with the rest of it. A query in the browser then downloads only
//! the chunks and fragments it needs.
//!
//! Pagefind's API is async; it runs here on a small current-thread runtime.

use std::sync::Arc;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::render::SiteFiles;

/// The folder of the index in the output.
pub const FOLDER: &str = "pagefind";

/// Pages that are never results, marked or not: the not-found page, and embeds (for
/// other sites' frames, while a result should open the full page).
const UNLISTED: [&str; 2] = ["404.html", "embed/"];

/// The attribute a template puts on the content a page is found by.
const MARK: &[u8] = b"data-pagefind-body";

/// Adds the search index of the marked pages of `files` to them, under
/// [`FOLDER`]; returns how many pages it indexed (none: no files added). Files
/// already under [`FOLDER`] are replaced.
pub fn index(files: &mut SiteFiles) -> Result<usize, String> {
    let pages = marked_pages(files);
    let count = pages.len();
    if count == 0 {
        // A theme that marks nothing has no full-text search: no bundle to load.
        return Ok(0);
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("could not start the search indexer: {e}"))?;
    let made = runtime.block_on(make_index(pages))?;
    let prefix = format!("{FOLDER}/");
    files.files.retain(|path, _| !path.starts_with(&prefix));
    for (path, bytes) in made {
        files.insert(format!("{prefix}{path}"), bytes);
    }
    Ok(count)
}

/// The (site path, HTML) of every page that marks content to index, in path order.
fn marked_pages(files: &SiteFiles) -> Vec<(String, Arc<[u8]>)> {
    files
        .files
        .iter()
        .filter(|(path, _)| {
            path.ends_with(".html") && !UNLISTED.iter().any(|u| path.starts_with(u))
        })
        .filter(|(_, bytes)| contains(bytes, MARK))
        .map(|(path, bytes)| (site_path(path), bytes.clone()))
        .collect()
}

/// `actors/x/index.html` -> `/actors/x/`; `index.html` -> `/`.
fn site_path(output: &str) -> String {
    let dir = output.strip_suffix("index.html").unwrap_or(output);
    format!("/{dir}")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Indexes `pages` in order and returns the index's files (relative path, bytes),
/// sorted by path.
async fn make_index(pages: Vec<(String, Arc<[u8]>)>) -> Result<Vec<(String, Arc<[u8]>)>, String> {
    let config = PagefindServiceConfig::builder()
        .keep_index_url(false)
        .write_playground(false)
        .build();
    let mut index = PagefindIndex::new(Some(config)).map_err(|e| e.to_string())?;
    for (url, bytes) in pages {
        // Pagefind takes a `String`: one page's copy at a time.
        let html = String::from_utf8_lossy(&bytes).into_owned();
        index
            .add_html_file(None, Some(url.clone()), html)
            .await
            .map_err(|e| format!("could not index `{url}` for search: {e}"))?;
    }
    let made = index
        .get_files()
        .await
        .map_err(|e| format!("could not build the search index: {e}"))?;
    let mut out: Vec<(String, Arc<[u8]>)> = made
        .into_iter()
        .filter_map(|f| {
            let path = f.filename.to_str()?.replace('\\', "/");
            let kept = !is_ui_file(&path);
            kept.then(|| (path, Arc::from(f.contents)))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// Pagefind's own search interfaces: the theme's search box queries
/// `pagefind.js` itself, so this half megabyte is not written.
fn is_ui_file(path: &str) -> bool {
    path.contains("-ui.") || path == "pagefind-highlight.js"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str) -> Arc<[u8]> {
        let html = format!(
            "<!doctype html><html lang=\"en\"><head><title>T</title></head><body>\
             <nav>Frame words</nav><main data-pagefind-body><h1>Title</h1><p>{body}</p></main></body></html>"
        );
        Arc::from(html.into_bytes())
    }

    #[test]
    fn a_site_that_marks_nothing_gets_no_bundle() {
        let mut files = SiteFiles::default();
        files.insert(
            "index.html",
            Arc::<[u8]>::from(&b"<html><main>x</main></html>"[..]),
        );
        assert_eq!(index(&mut files), Ok(0));
        assert_eq!(files.files.len(), 1);
    }

    #[test]
    fn site_paths_drop_index_html() {
        assert_eq!(site_path("index.html"), "/");
        assert_eq!(
            site_path("actors/joe-biden/index.html"),
            "/actors/joe-biden/"
        );
    }

    #[test]
    fn only_marked_pages_are_indexed_and_the_bundle_is_added() {
        let mut files = SiteFiles::default();
        files.insert("index.html", page("home words"));
        files.insert("actors/a/index.html", page("quixotic"));
        files.insert("404.html", page("not found"));
        files.insert("embed/actors/a/index.html", page("quixotic"));
        files.insert(
            "actors/index.html",
            Arc::<[u8]>::from(&b"<html></html>"[..]),
        );
        let n = index(&mut files).expect("indexes");
        assert_eq!(n, 2);
        assert!(files.get("pagefind/pagefind.js").is_some());
        assert!(files.get("pagefind/pagefind-entry.json").is_some());
        assert!(files.get("pagefind/pagefind-ui.js").is_none());
        let fragments = files
            .files
            .keys()
            .filter(|k| k.starts_with("pagefind/fragment/"))
            .count();
        assert_eq!(fragments, 2);
    }
}
