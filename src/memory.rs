//! The allocator settings of the programs that build sites (the `standpoint`
//! command, `examples/rebuild`): both allocate with mimalloc.

/// `mi_option_purge_delay`: its place in `mi_option_e` of the mimalloc 3 that
/// libmimalloc-sys builds, which names no constant for it (a test checks that
/// the option here has purge delay's default).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Keeps freed memory for the process's next use instead of handing it back to
/// the system: `serve` rebuilds the site after each save, every build about the
/// size of the last, and memory handed back and taken again is zeroed page by
/// page (about 4,650 page faults, a fifth of a rebuild's samples, at 10,000
/// pages; see BENCHMARKS.md). The process keeps its largest build's memory instead.
pub fn keep_freed_memory() {
    // SAFETY: the call stores a number that the allocator reads when it
    // decides whether to purge; it takes no pointer.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_option_set_is_the_purge_delay() {
        // mimalloc 3's purge delay defaults to 1,000 ms (unless the environment
        // sets it); no neighbouring option has that default.
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            let delay = unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
            assert_eq!(delay, 1000);
        }
    }
}
