//! Times a build in process, stage by stage, then the rebuild `serve` does after one
//! file is saved: an `incremental::Session`'s build, as `serve` runs it, after
//! appending a sentence to one article. For profiling and for BENCHMARKS.md.
//!
//! ```text
//! cargo run --release --example rebuild -- SITE_DIR [EDITED_FILE] [--runs N] [--front-matter [--key KEY]] [--no-cold] [--pause MS]
//! ```
//!
//! EDITED_FILE is relative to SITE_DIR (default: the first file of content/articles/).
//! `--front-matter` edits the file's `summary:` (or `--key`'s value, which must be
//! quoted) instead of its body: a full rebuild, where a body edit patches the last
//! build. The file is restored afterwards.
//! `--runs 0` times the cold build only; `--no-cold` skips it (to profile rebuilds).
//! `--pause MS` waits that long before each save, as an author does between saves
//! (an idle `serve` process may hand freed memory back to the system meanwhile).

use std::path::{Path, PathBuf};
use std::time::Instant;

use standpoint::incremental::{Changes, Session};
use standpoint::load::{config, content, theme, tree};
use standpoint::pipeline::BuildOptions;
use standpoint::{render, resolve};

// Building a site allocates and frees many small values across threads, where
// mimalloc is markedly faster than the system allocator (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut root: Option<PathBuf> = None;
    let mut edited: Option<String> = None;
    let mut runs = 5usize;
    let mut front_matter = false;
    let mut key = "summary".to_string();
    let mut cold = true;
    let mut pause = 0u64;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(runs),
            "--front-matter" => front_matter = true,
            "--key" => key = args.next().unwrap_or(key),
            "--no-cold" => cold = false,
            "--pause" => pause = args.next().and_then(|n| n.parse().ok()).unwrap_or(pause),
            _ if root.is_none() => root = Some(PathBuf::from(a)),
            _ => edited = Some(a),
        }
    }
    let Some(root) = root else {
        eprintln!("usage: rebuild SITE_DIR [EDITED_FILE] [--runs N] [--front-matter]");
        std::process::exit(2);
    };
    if cold {
        stages(&root);
    }
    if runs > 0 {
        let edited = edited.unwrap_or_else(|| first_article(&root));
        let edit = Edit {
            file: &edited,
            front_matter: front_matter.then_some(key.as_str()),
            pause: std::time::Duration::from_millis(pause),
        };
        rebuilds(&root, &edit, runs);
    }
}

/// One cold build, timed per stage (the same calls `pipeline::run` makes).
fn stages(root: &Path) {
    let total = Instant::now();
    let t = Instant::now();
    let tree = tree::read(root);
    let read = ms(t);
    let t = Instant::now();
    let config = config::load(&tree).config.expect("site.yaml");
    let (theme, _) = theme::load(&tree, &config.theme)
        .expect("theme")
        .with_words(&config);
    let loaded = content::load(&tree, false, &mut ());
    assert!(
        loaded.diagnostics.iter().all(|d| !d.is_error()),
        "content errors"
    );
    let load = ms(t);
    let t = Instant::now();
    let site = resolve::resolve(config, loaded.content, &theme, &mut ())
        .site
        .expect("the site resolves");
    let resolve = ms(t);
    let t = Instant::now();
    let mut sources = standpoint::Sources::default();
    for (path, text) in loaded.texts {
        sources.insert(path, text);
    }
    let files = render::render(&site, &theme, false, &sources, &mut ())
        .expect("renders")
        .files;
    let render = ms(t);
    let out = std::env::temp_dir().join(format!("standpoint-rebuild-{}", std::process::id()));
    let t = Instant::now();
    standpoint::write(&files, &out).expect("writes");
    let write = ms(t);
    let total = ms(total);
    let _ = std::fs::remove_dir_all(&out);
    println!(
        "cold build: read {read:.0} ms, load {load:.0} ms, resolve {resolve:.0} ms, render {render:.0} ms, write {write:.0} ms, total {total:.0} ms ({} files)",
        files.files.len()
    );
}

/// The edit each rebuild follows.
struct Edit<'a> {
    /// The edited file, from the site folder.
    file: &'a str,
    /// The front-matter key whose value changes; `None` for a body edit.
    front_matter: Option<&'a str>,
    /// The time between a rebuild and the next save, as an author's pause.
    pause: std::time::Duration,
}

/// `runs` warm rebuilds, each after a one-file edit, as `serve` does them.
fn rebuilds(root: &Path, edit: &Edit, runs: usize) {
    let Edit {
        file: edited,
        front_matter,
        pause,
    } = *edit;
    let options = BuildOptions {
        root: root.to_path_buf(),
        base_url: Some("http://127.0.0.1:1111/".into()),
        drafts: false,
        serve: true,
    };
    // As `standpoint serve` sets it.
    standpoint::memory::keep_freed_memory();
    let mut session = Session::new(options);
    let t = Instant::now();
    let first = session.build(&Changes::everything());
    assert!(first.files.is_some(), "the site builds");
    println!("serve: first build {:.0} ms", ms(t));
    let path = root.join(edited);
    let original = std::fs::read_to_string(&path).expect("the edited file");
    let mut times = Vec::new();
    for i in 0..runs {
        let text = if let Some(key) = front_matter {
            let at = format!("{key}: \"");
            assert!(original.contains(&at), "{edited} has no quoted {key}");
            original.replacen(&at, &format!("{at}Edit {i}. "), 1)
        } else {
            format!("{original}\nEdit number {i}.\n")
        };
        std::thread::sleep(pause);
        std::fs::write(&path, text).expect("write");
        let t = Instant::now();
        // As `serve` does: its watcher says which file changed.
        let outcome = session.build(&Changes::of(root, [path.clone()]));
        times.push(ms(t));
        assert!(outcome.files.is_some(), "the edited site builds");
        assert_eq!(
            outcome.stats.patched,
            front_matter.is_none(),
            "how the rebuild was made"
        );
    }
    std::fs::write(&path, &original).expect("restore");
    times.sort_by(f64::total_cmp);
    println!(
        "serve: rebuild after editing {edited} ({}): median {:.0} ms, min {:.0} ms, max {:.0} ms over {runs} runs",
        front_matter.map_or("body".to_string(), |key| format!("front matter: {key}")),
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
}

fn first_article(root: &Path) -> String {
    let dir = root.join("content/articles");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("content/articles/")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md") && !n.starts_with('_'))
        .collect();
    names.sort();
    format!("content/articles/{}", names[0])
}
