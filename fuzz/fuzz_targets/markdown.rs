//! Markdown bodies with wiki-links, relative links and autolinks, in every autolink
//! mode, with every diagnostic rendered against the file's text.
#![no_main]

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use standpoint::load::config::Autolink;
use standpoint::diagnostics::{self, Sources};
use standpoint::resolve::markdown::{self, Autolinker, Linker, Target, TargetKind};

const PATH: &str = "content/actors/joe-biden.md";
const FRONT_MATTER: &str = "---\nname: Joe Biden\nkind: person\n---\n";

fn target(id: &str, url: &str, title: &str) -> Target {
    Target {
        id: id.into(),
        url: url.into(),
        title: title.into(),
        kind: if url.starts_with("/questions/") {
            TargetKind::Question
        } else {
            TargetKind::Actor
        },
    }
}

/// The link targets and the autolinker, built once: building them is not under test.
struct World {
    ids: HashMap<String, Target>,
    files: HashMap<String, Target>,
    drafts: BTreeMap<String, String>,
    broken: BTreeMap<String, String>,
    autolinker: Autolinker,
}

static WORLD: LazyLock<World> = LazyLock::new(|| {
    let entities = [
        (
            "joe-biden",
            "/actors/joe-biden/",
            "Joe Biden",
            "content/actors/joe-biden.md",
        ),
        ("nato", "/actors/nato/", "NATO", "content/actors/nato.md"),
        (
            "über",
            "/actors/über/",
            "Über <b>&",
            "content/actors/über.md",
        ),
        ("about", "/about/", "About", "content/about.md"),
    ];
    let mut ids = HashMap::new();
    let mut files = HashMap::new();
    for (id, url, title, file) in entities {
        ids.insert(id.to_string(), target(id, url, title));
        files.insert(file.to_string(), target(id, url, title));
    }
    let mut drafts = BTreeMap::new();
    drafts.insert("draft".to_string(), "content/draft.md".to_string());
    let mut broken = BTreeMap::new();
    broken.insert("broken".to_string(), "content/actors/broken.md".to_string());
    let names: Vec<(String, String)> = [
        ("joe-biden", "Joe Biden"),
        ("joe-biden", "Biden"),
        ("nato", "NATO"),
        ("über", "Ü"),
        ("über", "e"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    World {
        ids,
        files,
        drafts,
        broken,
        autolinker: Autolinker::new(&names),
    }
});

fuzz_target!(|data: &[u8]| {
    let Some((&mode, body)) = data.split_first() else {
        return;
    };
    let Ok(body) = std::str::from_utf8(body) else {
        return;
    };
    let mode = match mode % 3 {
        0 => Autolink::First,
        1 => Autolink::All,
        _ => Autolink::None,
    };
    let world = &*WORLD;
    let linker = Linker {
        ids: &world.ids,
        files: &world.files,
        drafts: &world.drafts,
        broken: &world.broken,
        autolinker: &world.autolinker,
        mode,
        smart_punctuation: true,
        shortcodes: &[],
    };
    let text = format!("{FRONT_MATTER}{body}");
    let range = FRONT_MATTER.len()..text.len();
    let rendered = markdown::render(PATH, &text, range, Some("joe-biden"), &linker);
    let mut sources = Sources::default();
    sources.insert(PATH, text.into());
    let _ = diagnostics::render(&rendered.diagnostics, &sources, false);
});
