//! Front matter: splitting, typed parsing of every kind of file, `site.yaml`, the
//! data files (`data/*.csv`), and resolving a parsed file against a small site, with
//! every diagnostic rendered (spans into arbitrary text must never panic the reporter).
#![no_main]

use std::sync::{Arc, LazyLock};

use libfuzzer_sys::fuzz_target;
use standpoint::diagnostics::{self, Diagnostic, Sources};
use standpoint::load::config;
use standpoint::load::content::{self, Content, Parsed};
use standpoint::load::theme::Theme;
use standpoint::load::tree::{FileData, SourceTree};
use standpoint::resolve;

const QUESTION: &str = "---\ntitle: Strikes\nquestion: Should they?\npositions:\n  - {id: support, label: Yes}\n  - {id: oppose, label: No}\n---\nBody [[joe-biden]].\n";
const ACTOR: &str = "---\nname: Joe Biden\nkind: person\nstances:\n  - {question: strikes-inside-russia, position: oppose, date: 2024-05}\n---\nSee [[strikes-inside-russia]].\n";

fn report(diags: &[Diagnostic], sources: &Sources) {
    let _ = diagnostics::render(diags, sources, false);
    let _ = diagnostics::render(diags, sources, true);
    for d in diags {
        let _ = diagnostics::one_line(d, sources);
    }
}

/// A valid question and actor, parsed once, for the fuzzed file to refer to.
static BASE: LazyLock<(Content, Sources)> = LazyLock::new(|| {
    let mut content = Content::default();
    let mut sources = Sources::default();
    for (rel, text) in [
        ("questions/strikes-inside-russia.md", QUESTION),
        ("actors/joe-biden.md", ACTOR),
    ] {
        let text: Arc<str> = Arc::from(text);
        sources.insert(format!("content/{rel}"), text.clone());
        match content::parse_file(rel, text) {
            Ok(Parsed::Actor(d)) => content.actors.push(d),
            Ok(Parsed::Question(d)) => content.questions.push(d),
            _ => unreachable!("the base site is valid"),
        }
    }
    (content, sources)
});

fn resolve(parsed: Parsed, text: Arc<str>) {
    let (mut content, mut sources) = BASE.clone();
    sources.insert(parsed.path().to_string(), text);
    match parsed {
        Parsed::Actor(d) => content.actors.push(d),
        Parsed::Question(d) => content.questions.push(d),
        Parsed::Event(d) => content.events.push(d),
        Parsed::Page(d) => content.pages.push(d),
        Parsed::Index(d) => content.indexes.push(d),
    }
    let config = config::parse("title: T\nbase_url: https://example.org/\n").expect("valid");
    // No templates: the theme only adds ids a fragment may name, and shortcodes.
    let diags = resolve::resolve(config, content, &Theme::default(), &mut ()).diagnostics;
    report(&diags, &sources);
}

/// `data` as the data file `path`, loaded beside the base site and resolved.
fn data_file(path: &str, data: &[u8]) {
    let mut tree = SourceTree {
        has_content: true,
        ..SourceTree::default()
    };
    for (rel, text) in [
        ("questions/strikes-inside-russia.md", QUESTION),
        ("actors/joe-biden.md", ACTOR),
    ] {
        let file = FileData::new(text.as_bytes().to_vec());
        tree.files.insert(format!("content/{rel}"), file);
    }
    tree.files
        .insert(path.to_string(), FileData::new(data.to_vec()));
    let loaded = content::load(&tree, false, &mut ());
    let mut sources = Sources::default();
    for (path, text) in loaded.texts {
        sources.insert(path, text);
    }
    report(&loaded.diagnostics, &sources);
    let config = config::parse("title: T\nbase_url: https://example.org/\n").expect("valid");
    let diags = resolve::resolve(config, loaded.content, &Theme::default(), &mut ()).diagnostics;
    report(&diags, &sources);
}

fuzz_target!(|data: &[u8]| {
    for path in ["data/actors.csv", "data/stances.csv", "data/events.csv"] {
        data_file(path, data);
    }
    let text = match content::decode("content/x.md", &FileData::new(data.to_vec())) {
        Ok(t) => t,
        Err((d, lossy)) => {
            let mut sources = Sources::default();
            sources.insert("content/x.md", lossy);
            report(&[d], &sources);
            return;
        }
    };
    for rel in [
        "actors/x.md",
        "questions/x.md",
        "events/x.md",
        "about.md",
        "_index.md",
        "notes/Bad Name.md",
    ] {
        match content::parse_file(rel, text.clone()) {
            Ok(parsed) => resolve(parsed, text.clone()),
            Err(diags) => {
                let mut sources = Sources::default();
                sources.insert(format!("content/{rel}"), text.clone());
                report(&diags, &sources);
            }
        }
    }
    if let Err(diags) = config::parse(&text) {
        let mut sources = Sources::default();
        sources.insert(config::FILE, text.clone());
        report(&diags, &sources);
    }
});
