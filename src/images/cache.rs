//! The on-disk cache of made images: `.standpoint/images/<key>.<ext>`, one file
//! per image, named by the hash of everything it was made from. A file that cannot be
//! read or written is made again: the cache only ever saves work.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The cache folder of a site.
pub(crate) struct Cache {
    dir: PathBuf,
}

/// The cache key of an image made from `input` with `settings`: two hashes of
/// both, so that a collision needs both to collide.
pub(crate) fn key(input: &[u8], settings: &str) -> String {
    let mut bytes = Vec::with_capacity(input.len() + settings.len() + 1);
    bytes.extend_from_slice(settings.as_bytes());
    bytes.push(0);
    bytes.extend_from_slice(input);
    let a = fnv1a(&bytes);
    bytes.reverse();
    let b = fnv1a(&bytes);
    format!("{a:016x}{b:016x}")
}

/// FNV-1a, 64 bits: stable across Rust versions, unlike `DefaultHasher`.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash: u64, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl Cache {
    /// The cache of the site at `root`; none when `.standpoint` or its `images`
    /// is a symbolic link (as for `links.json`, the cache writes only inside the
    /// site): then every image is made anew and none is kept.
    pub(crate) fn at(root: &Path) -> Option<Cache> {
        let base = root.join(".standpoint");
        let dir = base.join("images");
        let linked = |p: &Path| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_symlink());
        (!linked(&base) && !linked(&dir)).then_some(Cache { dir })
    }

    /// The bytes kept as `name` (a key and an extension, `<key>.png`).
    pub(crate) fn get(&self, name: &str) -> Option<Vec<u8>> {
        std::fs::read(self.file(name)).ok()
    }

    /// Keeps `bytes` as `name`, through a temporary file so that a reader never
    /// sees half an image.
    pub(crate) fn put(&self, name: &str, bytes: &[u8]) {
        if std::fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        // Unique per process and call: two threads may keep the same image.
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let tmp = self
            .dir
            .join(format!("{name}.tmp{}-{n}", std::process::id()));
        if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, self.file(name)).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}
