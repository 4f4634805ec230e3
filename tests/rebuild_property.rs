//! A property of `serve`: whatever is edited, its rebuild gives the very files a
//! fresh build of the same files on disk gives (or both fail, with as many errors),
//! and it takes the path it should: a body edit patches the last build, anything
//! else rebuilds.
//!
//! Each seed generates a site of a few hundred pages (`common/site_gen.rs`), then
//! applies a seeded sequence of random edits of every kind, each as an editor and
//! the file watcher would make and report it (atomic saves through temporary files,
//! real renames, whole folders), and checks every rebuild: its files against a
//! fresh build's, its path (patched or rebuilt) against the rule the model of the
//! site works out from what changed, and whether the build fails against what the
//! model broke on purpose.
//!
//! - `cargo test --test rebuild_property` runs the fixed seeds, one test each
//!   (every third seed's site is in two languages, with translated files);
//! - `STANDPOINT_REBUILD_SEEDS=N` runs N more, the seeds `0x5eed0000 + i`
//!   (printed in decimal: 1592590336, 1592590337, ...);
//! - `STANDPOINT_REBUILD_SEED=S` runs seed S alone (to replay a failure: the
//!   failure prints the command);
//! - `STANDPOINT_REBUILD_STEPS` and `STANDPOINT_REBUILD_PAGES` change the number
//!   of edits per seed and the size of the site;
//! - `STANDPOINT_REBUILD_VERBOSE=1` prints every step, its expected path and why,
//!   and the times of the rebuild and the fresh build (with `--nocapture`).

#[path = "common/site_gen.rs"]
mod site_gen;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use site_gen::{File, Hints, Model, Rng};

/// The fixed seeds, the size of their sites and the edits per seed: about 2 min
/// for all of them in the debug profile on two cores.
const SEEDS: [u64; 6] = [1, 2, 3, 4, 5, 6];
const PAGES: usize = 300;
const STEPS: usize = 30;
/// Where `STANDPOINT_REBUILD_SEEDS` starts counting.
const EXTRA_BASE: u64 = 0x5eed_0000;

/// The API under test, in one place.
mod api {
    use std::path::{Path, PathBuf};

    use standpoint::incremental::{Changes, Session};
    use standpoint::pipeline::{self, BuildOptions, Outcome};

    pub use standpoint::SiteFiles;
    pub type Result = Outcome;

    pub fn options(root: &Path) -> BuildOptions {
        BuildOptions {
            root: root.to_path_buf(),
            base_url: Some("http://127.0.0.1:1111/".into()),
            drafts: false,
            serve: true,
        }
    }

    /// What `serve` keeps between builds.
    pub struct Server {
        root: PathBuf,
        session: Session,
    }

    impl Server {
        pub fn new(root: &Path) -> Server {
            Server {
                root: root.to_path_buf(),
                session: Session::new(options(root)),
            }
        }

        pub fn first(&mut self) -> Outcome {
            self.session.build(&Changes::everything())
        }

        /// A rebuild after the watcher reported `paths` (absolute).
        pub fn rebuild(&mut self, paths: &[PathBuf]) -> Outcome {
            self.session
                .build(&Changes::of(&self.root, paths.iter().cloned()))
        }
    }

    /// A fresh build, without anything kept.
    pub fn fresh(root: &Path) -> Outcome {
        pipeline::run(&options(root))
    }

    pub fn patched(o: &Outcome) -> bool {
        o.stats.patched
    }

    pub fn report(o: &Outcome) -> String {
        standpoint::diagnostics::render(&o.diagnostics, &o.sources, false)
    }
}

fn env_usize(name: &str) -> Option<usize> {
    let v = std::env::var(name).ok()?;
    Some(
        v.trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v} is not a number")),
    )
}

fn env_seed(name: &str) -> Option<u64> {
    let v = std::env::var(name).ok()?;
    let v = v.trim();
    let parsed = match v.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => v.parse(),
    };
    Some(parsed.unwrap_or_else(|_| panic!("{name}={v} is not a seed")))
}

fn sizes() -> (usize, usize) {
    (
        env_usize("STANDPOINT_REBUILD_PAGES").unwrap_or(PAGES),
        env_usize("STANDPOINT_REBUILD_STEPS").unwrap_or(STEPS),
    )
}

/// Runs the seeds and fails with every failure's report.
fn run_seeds(seeds: &[u64]) {
    let (pages, steps) = sizes();
    let mut failures = Vec::new();
    for &seed in seeds {
        let started = Instant::now();
        match run_seed(seed, pages, steps) {
            Ok(tally) => eprintln!(
                "seed {seed}: {steps} edits on {pages} pages in {:.1} s: {tally}",
                started.elapsed().as_secs_f64()
            ),
            Err(report) => failures.push(report),
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

macro_rules! fixed_seed {
    ($name:ident, $i:expr) => {
        #[test]
        fn $name() {
            if std::env::var_os("STANDPOINT_REBUILD_SEED").is_some() {
                return;
            }
            run_seeds(&[SEEDS[$i]]);
        }
    };
}

fixed_seed!(rebuilds_match_fresh_builds_seed_1, 0);
fixed_seed!(rebuilds_match_fresh_builds_seed_2, 1);
fixed_seed!(rebuilds_match_fresh_builds_seed_3, 2);
fixed_seed!(rebuilds_match_fresh_builds_seed_4, 3);
fixed_seed!(rebuilds_match_fresh_builds_seed_5, 4);
fixed_seed!(rebuilds_match_fresh_builds_seed_6, 5);

/// Every third seed's site has a second language: a third of its files are
/// translated (`*.uk.md`), and its edits include translations'.
fn is_translated(seed: u64) -> bool {
    seed % 3 == 0
}

/// `STANDPOINT_REBUILD_SEED=S` (one seed) or `STANDPOINT_REBUILD_SEEDS=N` (N more).
#[test]
fn rebuilds_match_fresh_builds_more_seeds() {
    if let Some(seed) = env_seed("STANDPOINT_REBUILD_SEED") {
        return run_seeds(&[seed]);
    }
    let n = env_usize("STANDPOINT_REBUILD_SEEDS").unwrap_or(0) as u64;
    let seeds: Vec<u64> = (0..n).map(|i| EXTRA_BASE + i).collect();
    run_seeds(&seeds);
}

/// How a rebuild was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Made {
    Patched,
    Rebuilt,
}

/// What the steps of one seed did, for the summary line.
#[derive(Default)]
struct Tally {
    patched: usize,
    rebuilt: usize,
    failed: usize,
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} patched, {} rebuilt, {} failing builds",
            self.patched, self.rebuilt, self.failed
        )
    }
}

/// One seed: a generated site, then `steps` edits, each checked.
fn run_seed(seed: u64, pages: usize, steps: usize) -> Result<Tally, String> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let mut rng = Rng::new(seed);
    let mut model = Model::generate(&mut rng, pages);
    if is_translated(seed) {
        model.translate(&mut rng);
    }
    let mut files = model.files();
    for (path, file) in &files {
        write(&root.join(path), &file.text);
    }
    let mut server = api::Server::new(&root);
    let first = server.first();
    let fresh = api::fresh(&root);
    let replay = format!(
        "replay: STANDPOINT_REBUILD_SEED={seed} STANDPOINT_REBUILD_PAGES={pages} \
         STANDPOINT_REBUILD_STEPS={steps} cargo test --test rebuild_property"
    );
    if fresh.errors() > 0 {
        return Err(format!(
            "seed {seed}: the generated site does not build:\n{}\n{replay}",
            api::report(&fresh)
        ));
    }
    if let Some(diff) = compare(&first, &fresh) {
        return Err(format!(
            "seed {seed}: the first build differs from a fresh build: {diff}\n{replay}"
        ));
    }

    let mut tally = Tally::default();
    let mut history: Vec<String> = Vec::new();
    let mut last_ok = true;
    // Steps left before the deliberate error is fixed.
    let mut fix_in = 0;
    for step in 1..=steps {
        // Draw an edit that changes files, and leaves a broken file alone.
        let (next, what, hints) = loop {
            let mut next = model.clone();
            let drawn = if model.broken.is_some() && fix_in == 0 {
                Some((next.fix(), Hints::default()))
            } else if model.broken.is_none() && rng.chance(5) {
                next.break_something(&mut rng).map(|w| {
                    fix_in = rng.range(1, 2);
                    (w, Hints::default())
                })
            } else if rng.chance(10) {
                // Two saves before the watcher reports them: one rebuild for both.
                match (next.random_edit(&mut rng), next.random_edit(&mut rng)) {
                    (Some((a, ha)), Some((b, hb))) if ha.is_empty() && hb.is_empty() => {
                        Some((format!("{a}, and {b}"), Hints::default()))
                    }
                    _ => None,
                }
            } else {
                next.random_edit(&mut rng)
            };
            let Some((what, hints)) = drawn else {
                continue;
            };
            let after = next.files();
            let changed = changed_paths(&files, &after);
            if changed.is_empty() {
                continue;
            }
            // Other edits leave the broken file as the error made it.
            if let Some(broken) = model.broken_path() {
                let moved = hints
                    .renames
                    .iter()
                    .flat_map(|(a, b)| [a, b])
                    .chain(&hints.deleted_folders);
                let touched = changed
                    .iter()
                    .chain(moved)
                    .any(|p| is_under(p, &broken) || is_under(&broken, p));
                if next.broken.is_some() && (touched || !next.still_fails()) {
                    continue;
                }
                if next.broken.is_none() {
                    fix_in = 0;
                }
            }
            break (next, what, hints);
        };
        if model.broken.is_some() && next.broken.is_some() {
            fix_in -= 1;
        }
        let after = next.files();
        let reported = apply(&root, &files, &after, &hints, &mut rng);
        if let Some(stray) = disk_differs(&root, &after) {
            return Err(format!(
                "seed {seed}, step {step}: {what}: the files on disk are not the model's ({stray}): \
                 a bug in the test\n{replay}"
            ));
        }
        let expected_ok = next.broken.is_none();
        let expected = match why_rebuilt(last_ok, expected_ok, &model, &files, &after, &hints) {
            None => (Made::Patched, String::new()),
            Some(why) => (Made::Rebuilt, why),
        };

        let started = Instant::now();
        let rebuilt = server.rebuild(&reported);
        let millis = started.elapsed().as_millis();
        let fresh_started = Instant::now();
        let fresh = api::fresh(&root);
        if std::env::var_os("STANDPOINT_REBUILD_VERBOSE").is_some() {
            eprintln!(
                "seed {seed} step {step}: {what}: {:?} {} (rebuild {millis} ms, fresh build {} ms)",
                expected.0,
                expected.1,
                fresh_started.elapsed().as_millis()
            );
        }
        let made = if api::patched(&rebuilt) {
            Made::Patched
        } else {
            Made::Rebuilt
        };

        let mut problems = Vec::new();
        if (fresh.errors() == 0) != expected_ok {
            problems.push(format!(
                "the model expected the site to {}, but a fresh build has {} errors \
                 (a bug in the test's model):\n{}",
                if expected_ok { "build" } else { "fail" },
                fresh.errors(),
                api::report(&fresh)
            ));
        }
        let why = if expected.1.is_empty() {
            "only bodies changed, their links only to actors, questions or events".to_string()
        } else {
            expected.1.clone()
        };
        let path = format!(
            "expected {:?} ({why}); it was {made:?} ({millis} ms)",
            expected.0
        );
        if made != expected.0 {
            problems.push(format!("wrong path: {path}"));
        }
        if let Some(diff) = compare(&rebuilt, &fresh) {
            problems.push(diff);
        }
        history.push(format!("{step}: {what} [{made:?}]"));
        if !problems.is_empty() {
            let shown: Vec<String> = reported
                .iter()
                .map(|p| p.strip_prefix(&root).unwrap().display().to_string())
                .collect();
            let earlier = history.len().saturating_sub(11);
            return Err(format!(
                "seed {seed}, step {step} of {steps}: {what}\n  reported to the rebuild: {}\n  \
                 path: {path}\n  - {}\n  the steps so far:\n    {}\n{replay}",
                shown.join(", "),
                problems.join("\n  - "),
                history[earlier..].join("\n    ")
            ));
        }
        match (made, expected_ok) {
            (_, false) => tally.failed += 1,
            (Made::Patched, _) => tally.patched += 1,
            (Made::Rebuilt, _) => tally.rebuilt += 1,
        }
        model = next;
        files = after;
        last_ok = expected_ok;
    }
    Ok(tally)
}

fn is_under(path: &str, folder: &str) -> bool {
    path == folder || path.starts_with(&format!("{folder}/"))
}

fn changed_paths(
    before: &BTreeMap<String, File>,
    after: &BTreeMap<String, File>,
) -> BTreeSet<String> {
    let keys: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    keys.into_iter()
        .filter(|k| before.get(*k).map(|f| &f.text) != after.get(*k).map(|f| &f.text))
        .cloned()
        .collect()
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Makes the files on disk those of `after`, as an editor would: moves with a
/// real rename, some saves through a temporary file renamed over the real one.
/// Returns the paths the watcher reports (absolute).
fn apply(
    root: &Path,
    before: &BTreeMap<String, File>,
    after: &BTreeMap<String, File>,
    hints: &Hints,
    rng: &mut Rng,
) -> Vec<PathBuf> {
    let mut reported: BTreeSet<String> = BTreeSet::new();
    for (from, to) in &hints.renames {
        write_parent(&root.join(to));
        std::fs::rename(root.join(from), root.join(to)).unwrap();
        reported.insert(from.clone());
        reported.insert(to.clone());
    }
    for folder in &hints.deleted_folders {
        std::fs::remove_dir_all(root.join(folder)).unwrap();
        reported.insert(folder.clone());
    }
    // A folder made with its files, reported alone: moved in from elsewhere.
    let whole: Vec<&String> = hints
        .created_folders
        .iter()
        .filter(|_| rng.chance(50))
        .collect();
    for folder in &whole {
        reported.insert(folder.to_string());
    }
    // What is on disk now, to compare with what must be.
    let now = |path: &str| -> Option<String> { std::fs::read_to_string(root.join(path)).ok() };
    let keys: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    for path in keys {
        let want = after.get(path).map(|f| &f.text);
        let have = now(path);
        if have.as_ref() == want {
            continue;
        }
        let file = root.join(path);
        match want {
            None => std::fs::remove_file(&file).unwrap(),
            Some(text) if rng.chance(25) => {
                // An atomic save: a temporary file renamed over the real one.
                let n = rng.range(1000, 9999);
                let tmp = format!("{path}.tmp.{n}");
                write(&root.join(&tmp), text);
                std::fs::rename(root.join(&tmp), &file).unwrap();
                reported.insert(tmp);
            }
            Some(text) => {
                write(&file, text);
                if rng.chance(10) {
                    // An editor's swap file beside it, which is ignored.
                    let name = path.rsplit('/').next().unwrap();
                    let swap = format!("{}.{name}.swp", &path[..path.len() - name.len()]);
                    reported.insert(swap);
                }
            }
        }
        if !whole.iter().any(|f| is_under(path, f)) {
            reported.insert(path.clone());
        }
    }
    reported.into_iter().map(|p| root.join(p)).collect()
}

/// A file on disk that the model does not have, or the other way round.
fn disk_differs(root: &Path, files: &BTreeMap<String, File>) -> Option<String> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            // The share cards' cache, not the site's sources.
            if path == root.join(".standpoint") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            match files.get(&rel) {
                Some(f) if std::fs::read_to_string(&path).ok().as_ref() == Some(&f.text) => {}
                Some(_) => return Some(format!("{rel} differs")),
                None => return Some(format!("{rel} is on disk only")),
            }
            seen.insert(rel);
        }
    }
    files
        .keys()
        .find(|k| !seen.contains(*k))
        .map(|k| format!("{k} is missing"))
}

fn write_parent(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
}

/// Why the rebuild after this edit may not patch the last build, or `None` when it
/// must: the last build succeeded and so does this one, and every changed file is
/// a Markdown file under `content/` that the last build made a page of, its front
/// matter unchanged to the byte, its links changed only to actors, questions and
/// events.
fn why_rebuilt(
    last_ok: bool,
    now_ok: bool,
    before_model: &Model,
    before: &BTreeMap<String, File>,
    after: &BTreeMap<String, File>,
    hints: &Hints,
) -> Option<String> {
    if !last_ok {
        return Some("the last build failed".into());
    }
    if !now_ok {
        return Some("this build fails".into());
    }
    if before_model.translations.is_some() {
        return Some("a site with languages: rebuilds every language".into());
    }
    if !hints.is_empty() {
        return Some("files were moved, or folders made or deleted whole".into());
    }
    let changed = changed_paths(before, after);
    // Existing static files edited in place: pages take the new URLs.
    let is_static = |p: &str| {
        p.starts_with("static/")
            || (p.starts_with("themes/") && p.split('/').nth(2) == Some("static"))
    };
    // A static file added or removed keeps the site's static files the same when it
    // replaces (or uncovers) the default theme's file of the same name.
    let theme_has = |p: &str| {
        let name = p.strip_prefix("static/").unwrap_or("");
        !name.is_empty()
            && Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("themes/default/static")
                .join(name)
                .is_file()
    };
    if !changed.is_empty()
        && changed.iter().all(|p| {
            is_static(p) && ((before.contains_key(p) && after.contains_key(p)) || theme_has(p))
        })
    {
        return None;
    }
    let targets = before_model.patchable_targets();
    for path in changed {
        let (Some(old), Some(new)) = (before.get(&path), after.get(&path)) else {
            return Some(format!("{path} is new or deleted"));
        };
        let (Some(old_md), Some(new_md)) = (&old.md, &new.md) else {
            return Some(format!("{path} is not a Markdown file under content/"));
        };
        if !old_md.page {
            return Some(format!("{path} is a draft"));
        }
        if old.text[..old_md.body_start] != new.text[..new_md.body_start] {
            return Some(format!("the front matter of {path} changed"));
        }
        // Heading ids are link targets checked across the site.
        let headings = |text: &str, start: usize| -> Vec<String> {
            text[start..]
                .lines()
                .filter(|l| l.starts_with("## "))
                .map(str::to_string)
                .collect()
        };
        if headings(&old.text, old_md.body_start) != headings(&new.text, new_md.body_start) {
            return Some(format!("the headings of {path} changed"));
        }
        for id in old_md.links.symmetric_difference(&new_md.links) {
            if !targets.contains(id) {
                return Some(format!(
                    "{path} gains or loses a link to `{id}`, not an actor, question or event"
                ));
            }
        }
    }
    None
}

/// How a rebuild differs from a fresh build, if it does.
fn compare(rebuilt: &api::Result, fresh: &api::Result) -> Option<String> {
    let mut out = String::new();
    if rebuilt.errors() != fresh.errors() {
        let _ = write!(
            out,
            "the rebuild has {} errors, a fresh build {}; ",
            rebuilt.errors(),
            fresh.errors()
        );
    }
    if rebuilt.warnings() != fresh.warnings() {
        let _ = write!(
            out,
            "the rebuild has {} warnings, a fresh build {}; ",
            rebuilt.warnings(),
            fresh.warnings()
        );
    }
    match (&rebuilt.files, &fresh.files) {
        (Some(a), Some(b)) if a != b => out.push_str(&diff_files(a, b)),
        (Some(_), None) => out.push_str("the rebuild has files, a fresh build none"),
        (None, Some(_)) => out.push_str("a fresh build has files, the rebuild none"),
        _ => {}
    }
    (!out.is_empty()).then(|| format!("the rebuild differs from a fresh build: {out}"))
}

/// The first paths that differ between two sites, and the first differing line of
/// the first differing HTML (or other text) file.
fn diff_files(rebuilt: &api::SiteFiles, fresh: &api::SiteFiles) -> String {
    let paths: BTreeSet<&String> = rebuilt.files.keys().chain(fresh.files.keys()).collect();
    let differ: Vec<(&String, &str)> = paths
        .into_iter()
        .filter_map(|p| match (rebuilt.files.get(p), fresh.files.get(p)) {
            (Some(a), Some(b)) if a != b => Some((p, "differs")),
            (Some(_), None) => Some((p, "only in the rebuild")),
            (None, Some(_)) => Some((p, "only in the fresh build")),
            _ => None,
        })
        .collect();
    let mut out = format!("{} output files differ: ", differ.len());
    let shown: Vec<String> = differ
        .iter()
        .take(8)
        .map(|(p, how)| format!("{p} ({how})"))
        .collect();
    out.push_str(&shown.join(", "));
    if differ.len() > 8 {
        out.push_str(", ...");
    }
    let first = differ
        .iter()
        .filter(|(_, how)| *how == "differs")
        .min_by_key(|(p, _)| !p.ends_with(".html"));
    if let Some((path, _)) = first {
        let a = String::from_utf8_lossy(&rebuilt.files[path.as_str()]).into_owned();
        let b = String::from_utf8_lossy(&fresh.files[path.as_str()]).into_owned();
        if let Some(line) = first_difference(&a, &b) {
            let _ = write!(out, "\n    {path}, {line}");
        }
    }
    out
}

/// The first line where two texts differ, around the first differing character.
fn first_difference(a: &str, b: &str) -> Option<String> {
    let (mut la, mut lb) = (a.lines(), b.lines());
    let mut n = 0;
    loop {
        n += 1;
        match (la.next(), lb.next()) {
            (None, None) => return None,
            (x, y) if x == y => continue,
            (x, y) => {
                let (x, y) = (x.unwrap_or("<end of file>"), y.unwrap_or("<end of file>"));
                let at = x
                    .char_indices()
                    .zip(y.chars())
                    .find(|((_, c), d)| c != d)
                    .map_or(x.len().min(y.len()), |((i, _), _)| i);
                let clip = |s: &str| -> String {
                    let start = s.floor_char_boundary_compat(at.saturating_sub(80));
                    let end = s.floor_char_boundary_compat((at + 160).min(s.len()));
                    format!(
                        "{}{}{}",
                        if start > 0 { "..." } else { "" },
                        &s[start..end],
                        if end < s.len() { "..." } else { "" }
                    )
                };
                return Some(format!(
                    "line {n}:\n      rebuild: {}\n      fresh:   {}",
                    clip(x),
                    clip(y)
                ));
            }
        }
    }
}

trait FloorCharBoundary {
    fn floor_char_boundary_compat(&self, i: usize) -> usize;
}

impl FloorCharBoundary for str {
    fn floor_char_boundary_compat(&self, i: usize) -> usize {
        let mut i = i.min(self.len());
        while !self.is_char_boundary(i) {
            i -= 1;
        }
        i
    }
}

/// The comparison itself can fail: a site before a stylesheet edit is not the site
/// after it (every page links the stylesheet with its hash), and the report names
/// the files and the line.
#[test]
fn the_comparison_sees_a_stale_stylesheet_hash() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let mut rng = Rng::new(7);
    let model = Model::generate(&mut rng, 40);
    for (path, file) in model.files() {
        write(&root.join(path), &file.text);
    }
    let before = api::fresh(&root);
    assert_eq!(before.errors(), 0, "{}", api::report(&before));
    assert!(compare(&before, &api::fresh(&root)).is_none());
    let css = root.join("static/style.css");
    let text = std::fs::read_to_string(&css).unwrap();
    std::fs::write(&css, format!("{text}\n.new {{}}\n")).unwrap();
    let report = compare(&before, &api::fresh(&root)).expect("the sites differ");
    assert!(
        report.contains("output files differ: 404.html (differs)"),
        "{report}"
    );
    assert!(report.contains("style.css?h="), "{report}");
}

/// Writes the site of a seed to `STANDPOINT_REBUILD_DUMP` (a folder), to look at
/// it or build it: `cargo run -- --root DIR build`.
#[test]
#[ignore]
fn dump_generated_site() {
    let Some(dir) = std::env::var_os("STANDPOINT_REBUILD_DUMP") else {
        return;
    };
    let seed = env_seed("STANDPOINT_REBUILD_SEED").unwrap_or(SEEDS[0]);
    let (pages, _) = sizes();
    let model = Model::generate(&mut Rng::new(seed), pages);
    for (path, file) in model.files() {
        write(&PathBuf::from(&dir).join(path), &file.text);
    }
}
