//! Save-to-reload latency of `standpoint serve`, for BENCHMARKS.md. Ignored by
//! default (it measures, it does not check); run it in release mode:
//!
//! ```text
//! cargo test --release --test serve_latency -- --ignored --nocapture
//! STANDPOINT_LATENCY_SITE=bench-work/10000/standpoint \
//!   cargo test --release --test serve_latency -- --ignored --nocapture
//! ```
//!
//! It serves a temporary copy of the site (the repository's example site unless
//! `STANDPOINT_LATENCY_SITE` names another), listens to the reload events as a
//! browser does, and times each edit from the moment the file is saved (renamed
//! into place) to the moment the reload message arrives.

#[path = "common/serve.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{copy_tree, save_atomically, Events, Server};

/// The first Markdown file under `content/<folder>/`, by name.
fn first_md(root: &Path, folder: &str) -> Option<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("content").join(folder))
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md") && !p.ends_with("_index.md"))
        .collect();
    files.sort();
    files.into_iter().next()
}

fn stats(label: &str, samples: &mut [Duration]) -> String {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    format!(
        "| {label} | {} | {:.1} | {:.1} | {:.1} | {:.1} |",
        samples.len(),
        ms(samples[0]),
        ms(at(0.5)),
        ms(at(0.9)),
        ms(samples[samples.len() - 1])
    )
}

/// Saves `path` with `edit` applied and returns the time to the next build's message.
fn timed_save(events: &mut Events, build: &mut String, path: &Path, text: &str) -> Duration {
    let started = Instant::now();
    save_atomically(path, text);
    let message = events.until("a new build", |m| m["build"] != build.as_str());
    let elapsed = started.elapsed();
    assert!(
        message["overlay"].is_null(),
        "the edit broke the site: {message}"
    );
    *build = message["build"].as_str().unwrap().to_string();
    elapsed
}

#[test]
#[ignore = "a measurement; run with --ignored --nocapture in release mode"]
fn save_to_reload_latency() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let source = std::env::var_os("STANDPOINT_LATENCY_SITE")
        .filter(|s| !s.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.to_path_buf());
    let runs: usize = std::env::var("STANDPOINT_LATENCY_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(20);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::copy(source.join("site.yaml"), root.join("site.yaml")).unwrap();
    for folder in ["content", "themes", "templates", "static"] {
        if source.join(folder).is_dir() {
            copy_tree(&source.join(folder), &root.join(folder));
        }
    }

    let started = Instant::now();
    let server = Server::start(&root, &[]);
    let startup = started.elapsed();
    let mut events = Events::connect(&server);
    let mut build = events.next()["build"].as_str().unwrap().to_string();
    let first_build = server
        .stderr()
        .lines()
        .find(|l| l.starts_with("Built "))
        .unwrap_or_default()
        .to_string();

    let mut rows = Vec::new();
    // Saves the first file of `folder` `runs` times, each time with `edit` applied
    // to its original text, and adds a row for them.
    let mut series = |label: &str, folder: &str, edit: &dyn Fn(&str, usize) -> String| {
        let Some(file) = first_md(&root, folder) else {
            return;
        };
        let original = std::fs::read_to_string(&file).unwrap();
        let mut samples: Vec<Duration> = (0..runs)
            .map(|i| timed_save(&mut events, &mut build, &file, &edit(&original, i)))
            .collect();
        rows.push(stats(label, &mut samples));
    };
    let body = |text: &str, i: usize| format!("{text}\nEdited for latency run {i}.\n");
    series("actor, body text", "actors", &body);
    series("question, body text", "questions", &body);
    series("actor, front matter (summary)", "actors", &|text, i| {
        text.replacen("summary: ", &format!("summary: Run {i}. "), 1)
    });
    // A question's title is on its cards, its stances, the timeline and the
    // matrix: the widest front-matter edit.
    series("question, front matter (title)", "questions", &|text, i| {
        text.replacen("title: \"", &format!("title: \"Run {i}: "), 1)
    });
    let css = server.get("/style.css").text();
    std::fs::create_dir_all(root.join("static")).unwrap();
    let mut samples: Vec<Duration> = (0..runs)
        .map(|i| {
            let text = format!("{css}\n/* latency run {i} */\n");
            timed_save(
                &mut events,
                &mut build,
                &root.join("static/style.css"),
                &text,
            )
        })
        .collect();
    // The first save creates the site's style.css, over the theme's: a full build.
    samples.remove(0);
    rows.push(stats("stylesheet (static/style.css)", &mut samples));

    println!("\nsite: {}", source.display());
    println!("{first_build}");
    println!("start to `Serving at`: {} ms", startup.as_millis());
    println!("\n| edit | runs | min ms | median ms | p90 ms | max ms |");
    println!("|---|---|---|---|---|---|");
    for row in rows {
        println!("{row}");
    }
}
