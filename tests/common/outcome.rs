//! Building a fixture site in memory and reading its files, for the tests that
//! look at what a build made.

// Each test uses the part it needs.
#![allow(dead_code)]

use std::path::Path;

use standpoint::{BuildOptions, Outcome};

/// The build options of the site at `root`: `build`'s defaults.
pub fn options(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        ..BuildOptions::default()
    }
}

/// Builds the site at `root` in memory; fails the test on any error.
pub fn build(root: &Path) -> Outcome {
    let outcome = standpoint::build(&options(root));
    assert_eq!(outcome.errors(), 0, "{:?}", outcome.diagnostics);
    outcome
}

/// The bytes of the output file at `path`; fails the test when there is none.
pub fn file<'a>(outcome: &'a Outcome, path: &str) -> &'a [u8] {
    outcome
        .files
        .as_ref()
        .expect("the site built")
        .get(path)
        .unwrap_or_else(|| panic!("no {path}"))
}
