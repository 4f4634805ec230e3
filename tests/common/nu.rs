//! The Nu HTML Checker (vnu.jar, installed by `.ci/run` into `.ci/node/`), run over
//! built output.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn vnu_jar() -> PathBuf {
    let jar = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(".ci/node/node_modules/vnu-jar/build/dist/vnu.jar");
    assert!(
        jar.is_file(),
        "the Nu HTML Checker is missing at {}: run .ci/run, or \
         `npm install --prefix .ci/node vnu-jar axe-core`",
        jar.display()
    );
    jar
}

/// Runs the checker over `paths` (folders or files) under the output folder `out`;
/// its errors, with `out` shown as `public`, or an empty string.
pub fn nu_errors(out: &Path, paths: &[PathBuf]) -> String {
    let result = Command::new("java")
        .arg("-jar")
        .arg(vnu_jar())
        .args(["--errors-only", "--skip-non-html", "--format", "gnu"])
        .args(paths)
        .output()
        .expect("run java (install a JRE: .ci/run does)");
    let report = String::from_utf8_lossy(&result.stderr).replace(&*out.to_string_lossy(), "public");
    if result.status.success() && report.trim().is_empty() {
        String::new()
    } else {
        format!("{report}{}", String::from_utf8_lossy(&result.stdout))
    }
}
