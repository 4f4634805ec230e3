//! Parsed files kept between builds ([`ParseCache`], the load stage's [`ParseReuse`]).

use std::collections::HashMap;

use crate::load::content::{FileParse, ParseReuse};
use crate::load::tree::{FileData, SourceTree};

/// Each Markdown file's last parse, by path, with the data it was parsed from. The
/// source tree keeps the same data for files nobody changed, so most look-ups
/// compare addresses only.
#[derive(Debug, Default)]
pub struct ParseCache {
    entries: HashMap<String, (FileData, FileParse)>,
}

impl ParseReuse for ParseCache {
    fn reuse(&self, path: &str, data: &FileData) -> Option<FileParse> {
        let (kept, parse) = self.entries.get(path)?;
        kept.same(data).then(|| parse.clone())
    }

    fn keep(&mut self, path: &str, data: &FileData, parse: &FileParse) {
        let kept = self.entries.get(path).is_some_and(|(k, _)| k.same(data));
        if !kept {
            self.entries
                .insert(path.to_string(), (data.clone(), parse.clone()));
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
    use std::sync::Arc;

    use super::*;
    use crate::load::content::parse_data;

    #[test]
    fn reuses_a_parse_only_for_the_same_bytes() {
        let mut cache = ParseCache::default();
        let path = "content/actors/a.md";
        let text = "---\nname: A\nkind: person\n---\n";
        let data = FileData::new(text.into());
        assert!(cache.reuse(path, &data).is_none());
        let parse = parse_data(path, &data);
        cache.keep(path, &data, &parse);
        let again = cache.reuse(path, &data).expect("kept");
        assert!(Arc::ptr_eq(&again.text, &parse.text));
        // The parse shares the tree's text.
        assert!(matches!(&data, FileData::Text(t) if Arc::ptr_eq(t, &parse.text)));
        // Equal bytes in another allocation (a file saved unchanged) count too.
        assert!(cache.reuse(path, &FileData::new(text.into())).is_some());
        let other = FileData::new("---\nname: B\nkind: person\n---\n".into());
        assert!(cache.reuse(path, &other).is_none());
        assert!(cache.reuse("content/actors/b.md", &data).is_none());
        // Gone from the tree, gone from the cache.
        cache.retain(&SourceTree::default());
        assert!(cache.get(path).is_none());
    }
}
