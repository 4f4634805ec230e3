//! The repository's example site, built by the real binary for the tests that read
//! or serve its output.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Builds the example site into `out`, published at `base_url`; panics with the
/// diagnostics when the build fails.
pub fn build_example(out: &Path, base_url: &str) {
    let result = Command::new(env!("CARGO_BIN_EXE_standpoint"))
        .args(["--root", env!("CARGO_MANIFEST_DIR"), "build", "--base-url"])
        .arg(base_url)
        .arg("--output")
        .arg(out)
        .output()
        .expect("run standpoint build");
    assert!(
        result.status.success(),
        "building the example failed:\n{}",
        String::from_utf8_lossy(&result.stderr)
    );
}

/// Cargo's target folder, for outputs a test keeps (screenshots, served sites).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}
