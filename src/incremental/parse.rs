//! Parsed files kept between builds ([`ParseCache`], the load stage's [`ParseReuse`]).

use std::collections::HashMap;
use std::sync::Arc;

use crate::load::content::{FileParse, ParseReuse};
use crate::load::tree::SourceTree;

/// Each Markdown file's last parse, by path, with the bytes it was parsed from. The
/// source tree keeps the same bytes for files nobody changed, so most look-ups
/// compare addresses only.
#[derive(Debug, Default)]
pub struct ParseCache {
    entries: HashMap<String, (Arc<[u8]>, FileParse)>,
}

impl ParseReuse for ParseCache {
    fn reuse(&self, path: &str, bytes: &Arc<[u8]>) -> Option<FileParse> {
        let (kept, parse) = self.entries.get(path)?;
        (Arc::ptr_eq(kept, bytes) || kept == bytes).then(|| parse.clone())
    }

    fn keep(&mut self, path: &str, bytes: &Arc<[u8]>, parse: &FileParse) {
        let fresh = match self.entries.get(path) {
            Some((kept, _)) => !Arc::ptr_eq(kept, bytes),
            None => true,
        };
        if fresh {
            self.entries
                .insert(path.to_string(), (bytes.clone(), parse.clone()));
        }
    }
}

impl ParseCache {
    /// The last parse of `path`.
    pub fn get(&self, path: &str) -> Option<&FileParse> {
        self.entries.get(path).map(|(_, p)| p)
    }

    /// Forgets the files that are no longer in `tree`.
    pub fn retain(&mut self, tree: &SourceTree) {
        self.entries.retain(|path, _| tree.files.contains_key(path));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::content::parse_bytes;

    #[test]
    fn reuses_a_parse_only_for_the_same_bytes() {
        let mut cache = ParseCache::default();
        let path = "content/actors/a.md";
        let bytes: Arc<[u8]> = Arc::from(&b"---\nname: A\nkind: person\n---\n"[..]);
        assert!(cache.reuse(path, &bytes).is_none());
        let parse = parse_bytes(path, &bytes);
        cache.keep(path, &bytes, &parse);
        let again = cache.reuse(path, &bytes).expect("kept");
        assert!(Arc::ptr_eq(&again.text, &parse.text));
        // Equal bytes in another allocation (a file saved unchanged) count too.
        let copy: Arc<[u8]> = Arc::from(&bytes[..]);
        assert!(cache.reuse(path, &copy).is_some());
        let other: Arc<[u8]> = Arc::from(&b"---\nname: B\nkind: person\n---\n"[..]);
        assert!(cache.reuse(path, &other).is_none());
        assert!(cache.reuse("content/actors/b.md", &bytes).is_none());
        // Gone from the tree, gone from the cache.
        cache.retain(&SourceTree::default());
        assert!(cache.get(path).is_none());
    }
}
