//! The harness of the error-fixture tests: a case is a folder under
//! `tests/fixtures/errors/<case>/` holding the files that differ from the valid site
//! in `tests/fixtures/errors/base/`. [`check_case`] builds the base site first (the
//! "previous output"), lays the case over it, builds again with the real binary, and
//! checks the message, its `--> path:line:col`, its help, the final count, exit code
//! 1, that `check` reports exactly the same, and that the previous output is
//! byte-identical with nothing left beside it.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const BIN: &str = env!("CARGO_BIN_EXE_standpoint");

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/errors")
}

/// Copies `from` into `to`, over what is there (`.keep` files only keep folders in git).
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else if entry.file_name() != ".keep" {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir`, by relative path, with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap();
            files.insert(
                rel.to_string_lossy().into_owned(),
                std::fs::read(entry.path()).unwrap(),
            );
        }
    }
    files
}

/// Folders a build leaves beside the output folder `out` (staging, old output).
pub fn leftovers(out: &Path) -> Vec<String> {
    let prefix = format!(".{}.", out.file_name().unwrap().to_string_lossy());
    let mut found: Vec<String> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&prefix))
        .collect();
    found.sort();
    found
}

pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

pub fn run<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: Into<OsString>,
{
    let out = Command::new(BIN)
        .args(args.into_iter().map(Into::into))
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A copy of the base site in a temporary folder.
pub struct Site {
    pub _dir: tempfile::TempDir,
    pub root: PathBuf,
}

impl Site {
    pub fn base() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        copy_dir(&fixtures().join("base"), &root);
        Site { _dir: dir, root }
    }

    pub fn with(fixture: &str) -> Site {
        let site = Site::base();
        site.apply(fixture);
        site
    }

    pub fn apply(&self, fixture: &str) {
        let dir = fixtures().join(fixture);
        assert!(dir.is_dir(), "no fixture folder {}", dir.display());
        copy_dir(&dir, &self.root);
    }

    pub fn cmd(&self, command: &str, extra: &[&str]) -> Run {
        let mut args: Vec<OsString> = vec!["--root".into(), self.root.clone().into()];
        args.push(command.into());
        args.extend(extra.iter().map(OsString::from));
        run(args)
    }
}

/// One authoring mistake and what standpoint must say about it.
pub struct Case {
    /// Folder under `tests/fixtures/errors/`.
    pub fixture: &'static str,
    /// Files of the base site the case deletes.
    pub remove: &'static [&'static str],
    /// `--root` relative to the site folder (`""`: the site folder itself).
    pub root: &'static str,
    /// `--output` relative to the site folder; `None`: the default `public/`.
    pub output: Option<&'static str>,
    /// The first line of the diagnostic, after `error: `; `{root}` and `{out}` stand
    /// for the `--root` and output folders as given on the command line.
    pub message: &'static str,
    /// The line after it, after `--> `: `path:line:col`, relative to the site root.
    pub place: Option<&'static str>,
    /// The `= help:` line of that diagnostic.
    pub help: Option<&'static str>,
    /// A `= note:` line of that diagnostic.
    pub note: Option<&'static str>,
    /// Errors in the final count.
    pub errors: usize,
    /// Only `build` sees this error (it is about the output folder).
    pub build_only: bool,
}

pub const CASE: Case = Case {
    fixture: "",
    remove: &[],
    root: "",
    output: None,
    message: "",
    place: None,
    help: None,
    note: None,
    errors: 1,
    build_only: false,
};

pub fn check_case(case: &Case) {
    let site = Site::base();
    // The previous output: the valid base site, built.
    let first = site.cmd("build", &[]);
    assert_eq!(
        first.code,
        Some(0),
        "the base site must build:\n{}",
        first.stderr
    );
    let out = match case.output {
        Some(rel) => {
            let out = site.root.join(rel);
            copy_dir(&site.root.join("public"), &out);
            out
        }
        None => site.root.join("public"),
    };
    let before = snapshot(&out);
    assert!(before.contains_key("index.html"));

    site.apply(case.fixture);
    for rel in case.remove {
        std::fs::remove_file(site.root.join(rel)).unwrap();
    }
    let root = site.root.join(case.root);
    let mut args: Vec<OsString> = vec!["--root".into(), root.clone().into(), "build".into()];
    if case.output.is_some() || !case.root.is_empty() {
        args.push("--output".into());
        args.push(out.clone().into());
    }
    let build = run(args);
    let stderr = &build.stderr;
    assert_eq!(
        build.code,
        Some(1),
        "exit code of a failed build:\n{stderr}"
    );
    assert_eq!(
        build.stdout, "",
        "a failed build prints no summary on stdout"
    );
    assert!(
        !stderr.contains('\x1b'),
        "no colour when stderr is not a terminal"
    );

    let lines: Vec<&str> = stderr.lines().collect();
    let header = format!(
        "error: {}",
        case.message
            .replace("{root}", &root.display().to_string())
            .replace("{out}", &out.display().to_string())
    );
    let at = lines
        .iter()
        .position(|l| *l == header)
        .unwrap_or_else(|| panic!("no line `{header}` in:\n{stderr}"));
    match case.place {
        Some(place) => assert_eq!(
            lines.get(at + 1).map(|l| l.trim()),
            Some(format!("--> {place}").as_str()),
            "place of `{header}` in:\n{stderr}"
        ),
        None => assert!(
            !lines.get(at + 1).is_some_and(|l| l.contains("-->")),
            "no place expected for `{header}` in:\n{stderr}"
        ),
    }
    // The rest of this diagnostic runs to the next blank line.
    let body: Vec<&str> = lines[at..]
        .iter()
        .take_while(|l| !l.is_empty())
        .map(|l| l.trim())
        .collect();
    if let Some(help) = case.help {
        let want = format!("= help: {help}");
        assert!(body.contains(&want.as_str()), "no `{want}` in:\n{stderr}");
    }
    if let Some(note) = case.note {
        let want = format!("= note: {note}");
        assert!(body.contains(&want.as_str()), "no `{want}` in:\n{stderr}");
    }
    let s = if case.errors == 1 { "" } else { "s" };
    assert_eq!(
        lines.last().copied(),
        Some(format!("error: could not build: {} error{s}", case.errors).as_str()),
        "final count in:\n{stderr}"
    );

    assert!(
        snapshot(&out) == before,
        "the previous output changed after a failed build"
    );
    assert_eq!(leftovers(&out), Vec::<String>::new());

    if !case.build_only {
        let check = run(["--root".into(), OsString::from(&root), "check".into()]);
        assert_eq!(
            check.code,
            Some(1),
            "check must fail too:\n{}",
            check.stderr
        );
        assert_eq!(
            &check.stderr, stderr,
            "check and build must report the same"
        );
    }
}

#[macro_export]
macro_rules! cases {
    ($($name:ident => $case:expr;)*) => {
        $(
            #[test]
            fn $name() {
                $crate::error_cases::check_case(&$case);
            }
        )*
    };
}
