//! `standpoint init` and `standpoint new`: new sites and files that build at once,
//! and refusals that touch nothing.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_standpoint");

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().display().to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn init_makes_a_site_that_builds_without_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(tmp.path(), &["init", "my-explainer"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let site = tmp.path().join("my-explainer");
    for f in [
        "site.yaml",
        "content/_index.md",
        "content/actors/ada-lovelace.md",
        "content/questions/tabs-or-spaces.md",
        "content/events/style-debate.md",
    ] {
        assert!(site.join(f).is_file(), "init wrote {f}");
    }
    let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    assert!(yaml.starts_with("title: \"My explainer\""), "{yaml}");
    let build = run(&site, &["build"]);
    assert!(build.status.success(), "{}", stderr(&build));
    assert!(!stderr(&build).contains("warning"), "{}", stderr(&build));
    assert!(site.join("public/actors/ada-lovelace/index.html").is_file());
    assert!(site.join("public/events/style-debate/index.html").is_file());
    let check = run(&site, &["check", "--strict"]);
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_and_touches_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("taken");
    std::fs::create_dir_all(dir.join("content")).unwrap();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    let before = snapshot(&dir);
    let out = run(tmp.path(), &["init", "taken"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error: `taken` is not empty"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("nothing was written"),
        "{}",
        stderr(&out)
    );
    assert_eq!(snapshot(&dir), before);
}

#[test]
fn init_accepts_a_folder_holding_only_git() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("repo/.git")).unwrap();
    let out = run(tmp.path(), &["init", "repo"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(tmp.path().join("repo/site.yaml").is_file());
}

#[test]
fn new_writes_each_kind_in_its_folder_and_the_site_still_builds() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(run(tmp.path(), &["init", "site"]).status.success());
    let site = tmp.path().join("site");
    let cases = [
        (
            "actor",
            "Émile Zola",
            "content/actors/emile-zola.md",
            "name: \"Émile Zola\"",
        ),
        (
            "question",
            "Should bridges be free?",
            "content/questions/should-bridges-be-free.md",
            "title: \"Should bridges be free?\"",
        ),
        (
            "event",
            "Council vote",
            "content/events/council-vote.md",
            "title: \"Council vote\"",
        ),
        (
            "page",
            "How we work",
            "content/how-we-work.md",
            "title: \"How we work\"",
        ),
    ];
    for (kind, title, path, first_key) in cases {
        let out = run(&site, &["new", kind, title]);
        assert!(out.status.success(), "{kind}: {}", stderr(&out));
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            format!("Created {path}")
        );
        let text = std::fs::read_to_string(site.join(path)).unwrap();
        assert!(text.starts_with("---\n"), "{text}");
        assert!(text.contains(first_key), "{kind}: {text}");
    }
    // Every optional field is there, commented.
    let actor = std::fs::read_to_string(site.join("content/actors/emile-zola.md")).unwrap();
    for key in [
        "# role:",
        "# affiliations:",
        "# aliases:",
        "# stances:",
        "#     source:",
        "# draft:",
    ] {
        assert!(actor.contains(key), "actor skeleton lacks {key}");
    }
    let build = run(&site, &["build"]);
    assert!(build.status.success(), "{}", stderr(&build));
    assert!(site.join("public/actors/emile-zola/index.html").is_file());
    assert!(site.join("public/how-we-work/index.html").is_file());
}

#[test]
fn new_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(run(tmp.path(), &["init", "site"]).status.success());
    let site = tmp.path().join("site");
    let path = site.join("content/actors/ada-lovelace.md");
    let before = std::fs::read(&path).unwrap();
    let out = run(&site, &["new", "actor", "Ada Lovelace"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error: `content/actors/ada-lovelace.md` already exists"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn new_outside_a_site_suggests_init() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(tmp.path(), &["new", "actor", "Someone"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("has no `site.yaml`"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("standpoint init"), "{}", stderr(&out));
    assert!(snapshot(tmp.path()).is_empty());
}

#[test]
fn new_with_an_unknown_kind_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(tmp.path(), &["new", "person", "Someone"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("invalid value 'person'"),
        "{}",
        stderr(&out)
    );
}
