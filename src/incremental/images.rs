//! The images of the last build in memory: share cards and resized pictures by
//! their cache name, which names what they were made from. A rebuild takes them
//! from here instead of reading `.standpoint/images/` again.

use std::collections::HashMap;
use std::sync::Arc;

use crate::images::ImageReuse;

/// The images the last build used, by cache name.
#[derive(Debug, Default)]
pub struct ImageMemo {
    kept: HashMap<String, Arc<[u8]>>,
}

impl ImageReuse for ImageMemo {
    fn get(&self, name: &str) -> Option<Arc<[u8]>> {
        self.kept.get(name).cloned()
    }

    /// Keeps exactly the images this build used: one no page shows any more is
    /// let go (it stays on disk).
    fn keep(&mut self, used: Vec<(String, Arc<[u8]>)>) {
        self.kept = used.into_iter().collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_only_what_the_last_build_used() {
        let mut memo = ImageMemo::default();
        assert!(memo.get("a.png").is_none());
        memo.keep(vec![
            ("a.png".into(), Arc::from(&b"A"[..])),
            ("b.png".into(), Arc::from(&b"B"[..])),
        ]);
        assert_eq!(memo.get("a.png").as_deref(), Some(&b"A"[..]));
        assert_eq!(memo.get("b.png").as_deref(), Some(&b"B"[..]));
        memo.keep(vec![("b.png".into(), Arc::from(&b"B2"[..]))]);
        assert!(memo.get("a.png").is_none());
        assert_eq!(memo.get("b.png").as_deref(), Some(&b"B2"[..]));
    }
}
