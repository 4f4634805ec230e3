//! The Markdown stage on a fixed input: parse, resolve wiki-links and file links, and
//! autolink actor names, as `graph::resolve` does for every body, and render one
//! short text (inline Markdown). Run with `cargo bench --bench markdown`; compare
//! the numbers before and after a change.
//!
//! The input is an article of about 500 words with headings, a list, wiki-links, a
//! relative file link and plain mentions, rendered against the link targets of a site
//! of 10,000 pages (2,000 actors with 3,400 names and aliases, 200 questions).

use std::collections::{BTreeMap, HashMap};

use standpoint::load::config::Autolink;
use standpoint::resolve::markdown::{self, Autolinker, Linker, Target, TargetKind};

fn main() {
    divan::main();
}

const SURNAMES: [&str; 10] = [
    "Velkor", "Tanmir", "Dovsha", "Lekbru", "Zanqui", "Rhofen", "Galhux", "Jorkal", "Lumnav",
    "Othpry",
];
const FIRST: [&str; 5] = ["Ada", "Bela", "Cato", "Dara", "Emil"];

/// Actor `i`: (id, name, alias). Names are unique: a first name and a surname with a
/// number-derived suffix.
fn actor(i: usize) -> (String, String, Option<String>) {
    let surname = format!(
        "{}{}",
        SURNAMES[i % 10],
        ["an", "ix", "or", "um"][(i / 10) % 4]
    );
    let surname = format!("{surname}{}", i / 40);
    let name = format!("{} {surname}", FIRST[i % 5]);
    let id = name.to_lowercase().replace(' ', "-");
    let alias = (i % 10 < 7).then_some(surname);
    (id, name, alias)
}

struct Site {
    ids: HashMap<String, Target>,
    files: HashMap<String, Target>,
    drafts: BTreeMap<String, String>,
    broken: BTreeMap<String, String>,
    autolinker: Autolinker,
}

fn site(actors: usize, questions: usize) -> Site {
    let mut ids = HashMap::new();
    let mut files = HashMap::new();
    let mut names = Vec::new();
    for i in 0..actors {
        let (id, name, alias) = actor(i);
        let t = Target {
            id: id.clone(),
            url: format!("/actors/{id}/"),
            title: name.clone(),
            kind: TargetKind::Actor,
        };
        files.insert(format!("content/actors/{id}.md"), t.clone());
        ids.insert(id.clone(), t);
        names.push((id.clone(), name));
        if let Some(alias) = alias {
            names.push((id, alias));
        }
    }
    for q in 0..questions {
        let id = format!("question-{q}");
        let t = Target {
            id: id.clone(),
            url: format!("/questions/{id}/"),
            title: format!("Question {q}"),
            kind: TargetKind::Question,
        };
        files.insert(format!("content/questions/{id}.md"), t.clone());
        ids.insert(id, t);
    }
    Site {
        ids,
        files,
        drafts: BTreeMap::new(),
        broken: BTreeMap::new(),
        autolinker: Autolinker::new(&names),
    }
}

const FILLER: &str = "the government said on tuesday that it would review its position after weeks of pressure from allies and critics in parliament while officials argued a change could widen the conflict";

/// The article: about 500 words, mentioning actors spread over the whole list.
fn article() -> String {
    let words: Vec<&str> = FILLER.split(' ').collect();
    let mut out = String::from("---\ntitle: \"A fixed article\"\n---\n");
    let mut w = 0;
    let mut sentence = |out: &mut String, mention: Option<usize>, n: usize| {
        for k in 0..n {
            if k > 0 {
                out.push(' ');
            }
            if Some(k) == mention.map(|_| n / 2) {
                let (_, name, alias) = actor(mention.unwrap());
                out.push_str(&alias.unwrap_or(name));
                continue;
            }
            let word = words[w % words.len()];
            w += 7;
            if k == 0 {
                out.push_str(&word[..1].to_uppercase());
                out.push_str(&word[1..]);
            } else {
                out.push_str(word);
            }
        }
        out.push_str(". ");
    };
    for section in 0..3 {
        if section > 0 {
            out.push_str(&format!("## Section {section} of the story\n\n"));
        }
        for p in 0..2 {
            for s in 0..4 {
                let mention = (s % 2 == 0).then_some((section * 677 + p * 311 + s * 97) % 2000);
                sentence(&mut out, mention, 12);
            }
            out.push_str("\n\n");
        }
        let (id, _, _) = actor(section * 500 + 3);
        out.push_str(&format!(
            "- First point, raised by [[{id}]].\n- Second point, on [[question-{section}|the question]].\n- Third point, see [the profile](../actors/{id}.md).\n\n"
        ));
    }
    out
}

fn linker(s: &Site) -> Linker<'_> {
    Linker {
        ids: &s.ids,
        files: &s.files,
        drafts: &s.drafts,
        broken: &s.broken,
        autolinker: &s.autolinker,
        mode: Autolink::First,
        smart_punctuation: true,
        shortcodes: &[],
    }
}

#[divan::bench]
fn render_article(bencher: divan::Bencher) {
    let s = site(2000, 200);
    let text = article();
    let body = text.find("\n---\n").unwrap() + 5..text.len();
    let linker = linker(&s);
    let once = markdown::render("content/articles/a.md", &text, body.clone(), None, &linker);
    assert!(once.diagnostics.is_empty() && once.mentions.len() >= 10 && once.links.len() >= 4);
    bencher.bench_local(|| {
        markdown::render(
            "content/articles/a.md",
            divan::black_box(&text),
            body.clone(),
            Some("article"),
            &linker,
        )
    });
}

/// One short text, as a stance summary: `resolve` renders tens of thousands of them.
/// Plain ones (apostrophes included) skip the parser; Markdown takes it.
#[divan::bench(args = ["plain", "apostrophe", "markdown"])]
fn render_short_text(bencher: divan::Bencher, kind: &str) {
    let s = site(2000, 200);
    let text = match kind {
        "plain" => "Took the view that the answer is only in limited cases, after weeks of talks.",
        "apostrophe" => {
            "Took Kyiv's view that the answer is only in limited cases, after weeks of talks."
        }
        _ => "Took the view that the answer is *only in limited cases*, see [[question-3]].",
    };
    let linker = linker(&s);
    bencher.bench_local(|| {
        markdown::render_inline(
            "content/actors/a.md",
            "/actors/a/",
            divan::black_box(text),
            &linker,
        )
    });
}

#[divan::bench]
fn build_autolinker(bencher: divan::Bencher) {
    let names: Vec<(String, String)> = (0..2000)
        .flat_map(|i| {
            let (id, name, alias) = actor(i);
            std::iter::once((id.clone(), name)).chain(alias.map(|a| (id, a)))
        })
        .collect();
    bencher.bench_local(|| Autolinker::new(divan::black_box(&names)));
}
