//! A deterministic benchmark corpus: one explainer written twice, as a standpoint site
//! and as an equivalent Hugo site, so the two generators can be timed on the same work.
//!
//! ```text
//! cargo run --release --example synth -- --pages 10000 --out bench-work/10000 [--seed 42]
//! ```
//!
//! writes `OUT/standpoint/` and `OUT/hugo/`. Of the N pages, about 20% are actors
//! (1 to 3 dated stances each), 2% questions (3 positions), 10% events (2 to 5
//! actors), and the rest articles of about 500 words with headings, lists,
//! wiki-links and plain-text mentions of actor names for autolinking. The Hugo site
//! has the same pages and bodies; its cross-links are two taxonomies, `mentions`
//! (actor ids) and `topics` (question ids), whose term pages list the pages that name
//! each entity, as standpoint's backlinks do. The same seed gives byte-identical files.
//! With `--embeds`, each standpoint article ends with three shortcodes (the spectrum
//! of its question, a stance, the question's timeline); the rest is the same corpus.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Written into both sites so that a rerun may replace what an earlier run made,
/// and nothing else.
const MARKER: &str = ".synth-corpus";

/// splitmix64: small, fast, and the same on every platform and Rust release.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// `k` distinct values of `0..n`, in the order drawn.
    fn distinct(&mut self, n: usize, k: usize) -> Vec<usize> {
        let k = k.min(n);
        let mut out: Vec<usize> = Vec::with_capacity(k);
        while out.len() < k {
            let x = self.below(n);
            if !out.contains(&x) {
                out.push(x);
            }
        }
        out
    }
}

const FIRST_NAMES: &[&str] = &[
    "Ada", "Bela", "Cato", "Dara", "Emil", "Fenna", "Goran", "Hana", "Ilse", "Jonas", "Kira",
    "Lev", "Mara", "Nils", "Oona", "Pavel", "Quinn", "Rosa", "Soren", "Tove", "Ugo", "Vera", "Wim",
    "Xenia", "Yara", "Zeno", "Alma", "Bruno", "Clea", "Dario", "Elin", "Farid", "Greta", "Hugo",
    "Ines", "Jara", "Kemal", "Lina", "Milo", "Nora", "Otto", "Petra", "Rafa", "Sana", "Timo",
    "Una", "Vito", "Wanda",
];

/// Surnames are built from these so that every actor gets its own: capitalised and
/// made of syllables that no English word of the filler text matches.
const SYLLABLES: &[&str] = &[
    "vel", "kor", "tan", "mir", "dov", "sha", "lek", "bru", "zan", "qui", "rho", "fen", "gal",
    "hux", "jor", "kal", "lum", "nav", "oth", "pry", "ris", "sov", "tek", "urm", "vad", "wex",
    "yol", "zir", "bex", "cav", "dru", "esk", "fay", "gim", "hol", "ivo", "jun", "kez", "lor",
    "mav",
];

const ORG_SUFFIXES: &[&str] = &[
    "Council",
    "Union",
    "Front",
    "Alliance",
    "Institute",
    "League",
];

const WORDS: &[&str] = &[
    "the",
    "government",
    "said",
    "on",
    "tuesday",
    "that",
    "it",
    "would",
    "review",
    "its",
    "position",
    "after",
    "weeks",
    "of",
    "pressure",
    "from",
    "allies",
    "and",
    "critics",
    "in",
    "parliament",
    "officials",
    "argued",
    "a",
    "change",
    "could",
    "widen",
    "conflict",
    "while",
    "others",
    "warned",
    "delay",
    "carried",
    "risks",
    "own",
    "the",
    "decision",
    "followed",
    "talks",
    "between",
    "ministers",
    "at",
    "summit",
    "where",
    "several",
    "leaders",
    "called",
    "for",
    "clearer",
    "rules",
    "on",
    "use",
    "of",
    "supplied",
    "weapons",
    "near",
    "border",
    "analysts",
    "noted",
    "policy",
    "has",
    "shifted",
    "gradually",
    "since",
    "spring",
    "as",
    "front",
    "lines",
    "moved",
    "and",
    "new",
    "attacks",
    "began",
    "some",
    "diplomats",
    "described",
    "move",
    "cautious",
    "but",
    "significant",
    "step",
    "toward",
    "broader",
    "support",
    "defence",
    "budget",
    "vote",
    "expected",
    "next",
    "month",
    "public",
    "opinion",
    "remains",
    "divided",
    "over",
    "how",
    "far",
    "help",
    "should",
    "go",
    "without",
    "escalation",
    "commitments",
    "made",
    "earlier",
    "year",
    "were",
    "repeated",
    "by",
    "spokesperson",
    "who",
    "declined",
    "to",
    "give",
    "details",
    "timing",
    "or",
    "scope",
];

const PLACES: &[&str] = &[
    "Prague", "Vilnius", "Brussels", "Warsaw", "Geneva", "Oslo", "Madrid", "Lisbon", "Vienna",
    "Helsinki", "Tallinn", "Riga",
];

const EVENT_KINDS: &[&str] = &[
    "summit",
    "talks",
    "vote",
    "press conference",
    "ministerial meeting",
    "hearing",
];

struct Actor {
    id: String,
    name: String,
    alias: Option<String>,
    kind: &'static str,
    role: String,
    affiliation: Option<usize>,
    /// (question, position, date)
    stances: Vec<(usize, usize, String)>,
}

struct Question {
    id: String,
    title: String,
    topic: String,
}

const POSITIONS: [(&str, &str); 3] = [
    ("support", "Yes"),
    ("limited", "Only in limited cases"),
    ("oppose", "No"),
];

/// A cross-reference in a body, written as each generator expects it: a wiki-link
/// or a relative link to the source file in standpoint, a link to the page's URL in
/// Hugo (whose Markdown knows neither).
struct Link {
    /// `actors` or `questions`.
    folder: &'static str,
    id: String,
    title: String,
    /// Own link text (`[[id|text]]`); without it standpoint fills in the title.
    text: Option<String>,
    /// `[text](../actors/id.md)` rather than a wiki-link.
    file: bool,
}

/// A Markdown body with its links kept apart, so each site gets its own syntax.
enum Piece {
    Text(String),
    Link(Link),
    /// Shortcodes: standpoint's only (Hugo's site has nothing to embed).
    Embed(String),
}

#[derive(Default)]
struct Body {
    pieces: Vec<Piece>,
    /// Actor and question indexes the body names, for Hugo's taxonomies.
    mentions: Vec<usize>,
    topics: Vec<usize>,
}

impl Body {
    fn text(&mut self, s: &str) {
        match self.pieces.last_mut() {
            Some(Piece::Text(t)) => t.push_str(s),
            _ => self.pieces.push(Piece::Text(s.to_string())),
        }
    }

    fn mention(&mut self, a: usize) {
        if !self.mentions.contains(&a) {
            self.mentions.push(a);
        }
    }

    fn topic(&mut self, q: usize) {
        if !self.topics.contains(&q) {
            self.topics.push(q);
        }
    }

    fn standpoint(&self) -> String {
        let mut out = String::new();
        for p in &self.pieces {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Link(l) => {
                    let text = l.text.as_deref().unwrap_or(&l.title);
                    if l.file {
                        write!(out, "[{text}](../{}/{}.md)", l.folder, l.id).unwrap();
                    } else if let Some(text) = &l.text {
                        write!(out, "[[{}|{text}]]", l.id).unwrap();
                    } else {
                        write!(out, "[[{}]]", l.id).unwrap();
                    }
                }
                Piece::Embed(e) => out.push_str(e),
            }
        }
        out
    }

    fn hugo(&self) -> String {
        let mut out = String::new();
        for p in &self.pieces {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Link(l) => {
                    let text = l.text.as_deref().unwrap_or(&l.title);
                    write!(out, "[{text}](/{}/{}/)", l.folder, l.id).unwrap();
                }
                Piece::Embed(_) => {}
            }
        }
        out
    }
}

struct Corpus {
    actors: Vec<Actor>,
    questions: Vec<Question>,
    rng: Rng,
}

impl Corpus {
    fn sentence(&mut self, body: &mut Body, min: usize, max: usize, mention: bool) {
        let n = self.rng.range(min, max);
        let at = if mention {
            Some(self.rng.below(n))
        } else {
            None
        };
        for i in 0..n {
            if i > 0 {
                body.text(" ");
            }
            if Some(i) == at {
                let a = self.rng.below(self.actors.len());
                body.mention(a);
                let actor = &self.actors[a];
                let name = match &actor.alias {
                    Some(alias) if self.rng.chance(40) => alias.clone(),
                    _ => actor.name.clone(),
                };
                body.text(&name);
                continue;
            }
            let w = *self.rng.pick(WORDS);
            if i == 0 {
                let mut c = w.chars();
                let first = c.next().unwrap().to_ascii_uppercase();
                body.text(&format!("{first}{}", c.as_str()));
            } else {
                body.text(w);
            }
        }
        body.text(".");
    }

    fn paragraph(&mut self, body: &mut Body, sentences: usize, mentions: usize) {
        let mut with: Vec<bool> = (0..sentences).map(|i| i < mentions).collect();
        // Mentions land in varying sentences.
        for i in (1..with.len()).rev() {
            let j = self.rng.below(i + 1);
            with.swap(i, j);
        }
        for (i, m) in with.into_iter().enumerate() {
            if i > 0 {
                body.text(" ");
            }
            self.sentence(body, 8, 18, m);
        }
        body.text("\n\n");
    }

    fn wiki_actor(&mut self, body: &mut Body) {
        let a = self.rng.below(self.actors.len());
        body.mention(a);
        let style = self.rng.below(3);
        let actor = &self.actors[a];
        body.pieces.push(Piece::Link(Link {
            folder: "actors",
            id: actor.id.clone(),
            title: actor.name.clone(),
            text: (style == 1).then(|| "this actor".to_string()),
            file: style == 2,
        }));
    }

    fn article(&mut self) -> Body {
        let mut body = Body::default();
        self.paragraph(&mut body, 4, 2);
        let q = self.rng.below(self.questions.len());
        body.topic(q);
        let question = &self.questions[q];
        body.text("The dispute turns on ");
        body.pieces.push(Piece::Link(Link {
            folder: "questions",
            id: question.id.clone(),
            title: question.title.clone(),
            text: Some(format!("the question of {}", question.topic.to_lowercase())),
            file: false,
        }));
        body.text(", which ");
        self.wiki_actor(&mut body);
        body.text(" raised again this week.\n\n");
        for _ in 0..2 {
            let mut heading = Body::default();
            self.sentence(&mut heading, 3, 6, false);
            let h = heading.standpoint();
            body.text(&format!("## {}\n\n", h.trim_end_matches('.')));
            self.paragraph(&mut body, 5, 2);
            for _ in 0..3 {
                body.text("- ");
                let mention = self.rng.chance(30);
                self.sentence(&mut body, 5, 10, mention);
                body.text("\n");
            }
            body.text("\n");
            self.paragraph(&mut body, 4, 1);
            body.text("Asked about it, ");
            self.wiki_actor(&mut body);
            body.text(" would not comment.\n\n");
        }
        self.paragraph(&mut body, 3, 1);
        body
    }
}

/// Three shortcodes at the end of an article: the spectrum of its question, an
/// actor's stance on it, and its latest timeline entries. Drawn from their own
/// random numbers, so that the corpus is otherwise the one without `--embeds`.
fn add_embeds(body: &mut Body, c: &Corpus, seed: u64) {
    let mut rng = Rng(seed);
    let q = &c.questions[body.topics[0]].id;
    let a = &c.actors[rng.below(c.actors.len())].id;
    body.pieces.push(Piece::Embed(format!(
        "\n{{{{ spectrum(question=\"{q}\") }}}}\n\n\
         Where one of them stands: {{{{ stance(actor=\"{a}\", question=\"{q}\") }}}}.\n\n\
         {{{{ timeline(question=\"{q}\", limit=5) }}}}\n"
    )));
}

fn slug(name: &str) -> String {
    name.to_lowercase().replace(' ', "-")
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

fn date(rng: &mut Rng) -> String {
    format!(
        "{}-{:02}-{:02}",
        rng.range(2019, 2025),
        rng.range(1, 12),
        rng.range(1, 28)
    )
}

/// YAML double-quoted string.
fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn yaml_list(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

struct Sizes {
    actors: usize,
    questions: usize,
    events: usize,
    articles: usize,
}

fn sizes(pages: usize) -> Sizes {
    let actors = (pages / 5).max(2);
    let questions = (pages / 50).max(1);
    let events = (pages / 10).max(1);
    let articles = pages.saturating_sub(actors + questions + events).max(1);
    Sizes {
        actors,
        questions,
        events,
        articles,
    }
}

fn corpus(sizes: &Sizes, seed: u64) -> Corpus {
    let mut rng = Rng(seed);
    // Unique surnames: distinct 3-syllable combinations, drawn in seeded order.
    let combos = SYLLABLES.len().pow(3);
    assert!(sizes.actors <= combos, "at most {combos} actors");
    let mut taken = vec![false; combos];
    let mut surnames = Vec::with_capacity(sizes.actors);
    while surnames.len() < sizes.actors {
        let c = rng.below(combos);
        if taken[c] {
            continue;
        }
        taken[c] = true;
        let n = SYLLABLES.len();
        surnames.push(capitalised(&format!(
            "{}{}{}",
            SYLLABLES[c / (n * n)],
            SYLLABLES[(c / n) % n],
            SYLLABLES[c % n]
        )));
    }
    let questions: Vec<Question> = (0..sizes.questions)
        .map(|i| {
            let topic = capitalised(&format!(
                "{} {}",
                rng.pick(WORDS),
                SYLLABLES[i % SYLLABLES.len()]
            ));
            Question {
                id: format!("question-{i}"),
                title: format!("{topic} policy {i}"),
                topic,
            }
        })
        .collect();
    let mut actors: Vec<Actor> = surnames
        .into_iter()
        .enumerate()
        .map(|(i, surname)| {
            let roll = rng.below(100);
            let (kind, name, alias, role) = if roll < 70 {
                let first = rng.pick(FIRST_NAMES);
                (
                    "person",
                    format!("{first} {surname}"),
                    Some(surname.clone()),
                    format!("Minister of {}", rng.pick(WORDS)),
                )
            } else if roll < 85 {
                let suffix = rng.pick(ORG_SUFFIXES);
                (
                    "organization",
                    format!("{surname} {suffix}"),
                    None,
                    "Organization".to_string(),
                )
            } else if roll < 95 {
                ("state", format!("{surname}ia"), None, "State".to_string())
            } else {
                (
                    "group",
                    format!("{surname} Group"),
                    None,
                    "Group".to_string(),
                )
            };
            let n_stances = rng.range(1, 3);
            let mut stances = Vec::new();
            for k in 0..n_stances {
                // The first actors cover every question, so none is left without stances.
                let question = if k == 0 && i < sizes.questions {
                    i
                } else {
                    rng.below(sizes.questions)
                };
                let mut d = date(&mut rng);
                while stances
                    .iter()
                    .any(|(sq, _, sd): &(usize, usize, String)| *sq == question && *sd == d)
                {
                    d = date(&mut rng);
                }
                stances.push((question, rng.below(3), d));
            }
            Actor {
                id: slug(&name),
                name,
                alias,
                kind,
                role,
                affiliation: None,
                stances,
            }
        })
        .collect();
    let groups: Vec<usize> = actors
        .iter()
        .enumerate()
        .filter(|(_, a)| a.kind != "person")
        .map(|(i, _)| i)
        .collect();
    if !groups.is_empty() {
        for a in &mut actors {
            if a.kind == "person" && rng.chance(50) {
                a.affiliation = Some(*rng.pick(&groups));
            }
        }
    }
    Corpus {
        actors,
        questions,
        rng,
    }
}

/// One file of both sites: the front matter of each and the shared body.
struct Out {
    sp: PathBuf,
    hugo: PathBuf,
}

impl Out {
    fn write(&self, rel: &str, sp_front: &str, hugo_front: &str, body: &Body) {
        write_file(
            &self.sp.join("content").join(rel),
            &format!("---\n{sp_front}---\n{}", body.standpoint()),
        );
        write_file(
            &self.hugo.join("content").join(rel),
            &format!("---\n{hugo_front}---\n{}", body.hugo()),
        );
    }
}

fn write_file(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .unwrap_or_else(|e| die(&format!("{}: {e}", parent.display())));
    }
    std::fs::write(path, text).unwrap_or_else(|e| die(&format!("{}: {e}", path.display())));
}

fn die(msg: &str) -> ! {
    eprintln!("synth: {msg}");
    std::process::exit(2)
}

/// Empties `dir` if an earlier run made it; refuses to touch anything else.
fn fresh(dir: &Path) {
    if dir.exists() {
        if !dir.join(MARKER).exists() {
            die(&format!(
                "`{}` exists and was not made by synth; choose another --out",
                dir.display()
            ));
        }
        std::fs::remove_dir_all(dir).unwrap_or_else(|e| die(&format!("{}: {e}", dir.display())));
    }
    write_file(&dir.join(MARKER), "made by examples/synth.rs\n");
}

fn names_of(corpus: &Corpus, ids: &[usize]) -> Vec<String> {
    let mut v: Vec<String> = ids.iter().map(|&a| corpus.actors[a].id.clone()).collect();
    v.sort();
    v.dedup();
    v
}

fn topics_of(corpus: &Corpus, ids: &[usize]) -> Vec<String> {
    let mut v: Vec<String> = ids
        .iter()
        .map(|&q| corpus.questions[q].id.clone())
        .collect();
    v.sort();
    v.dedup();
    v
}

fn generate(pages: usize, seed: u64, embeds: bool, out: &Path) -> Sizes {
    let sizes = sizes(pages);
    let mut c = corpus(&sizes, seed);
    let o = Out {
        sp: out.join("standpoint"),
        hugo: out.join("hugo"),
    };
    fresh(&o.sp);
    fresh(&o.hugo);

    let title = format!("Synthetic explainer of {pages} pages");
    write_file(
        &o.sp.join("site.yaml"),
        &format!(
            "title: {}\nbase_url: \"https://example.org/\"\ndescription: \"A generated explainer for benchmarks.\"\nautolink: first\n",
            q(&title)
        ),
    );
    write_file(
        &o.hugo.join("hugo.toml"),
        &format!(
            "baseURL = \"https://example.org/\"\ntitle = {}\n\
             relativeURLs = true\nenableRobotsTXT = true\nbuildFuture = true\n\
             disableKinds = []\n\n[taxonomies]\nmention = \"mentions\"\ntopic = \"topics\"\n\n\
             [outputs]\nhome = [\"html\", \"rss\"]\nsection = [\"html\"]\ntaxonomy = [\"html\"]\nterm = [\"html\"]\npage = [\"html\"]\n\n\
             [markup.goldmark.renderer]\nunsafe = false\n",
            q(&title)
        ),
    );
    for (file, text) in HUGO_LAYOUTS {
        write_file(&o.hugo.join("layouts").join(file), text);
    }

    let mut lede = Body::default();
    c.paragraph(&mut lede, 4, 2);
    o.write(
        "_index.md",
        &format!("title: {}\n", q(&title)),
        &format!("title: {}\n", q(&title)),
        &lede,
    );
    for (folder, name) in [
        ("actors", "Actors"),
        ("questions", "Questions"),
        ("events", "Events"),
        ("articles", "Articles"),
    ] {
        let mut intro = Body::default();
        intro.text(&format!("Every one of the {folder} of this explainer.\n"));
        let front = format!("title: {name}\n");
        o.write(&format!("{folder}/_index.md"), &front, &front, &intro);
    }

    for i in 0..c.questions.len() {
        let mut body = Body::default();
        c.paragraph(&mut body, 5, 3);
        c.paragraph(&mut body, 4, 1);
        let qn = &c.questions[i];
        let mut sp = format!(
            "title: {}\nquestion: {}\nsummary: {}\npositions:\n",
            q(&qn.title),
            q(&format!(
                "Should the {} be allowed?",
                qn.topic.to_lowercase()
            )),
            q(&format!(
                "Where the actors stand on {}.",
                qn.topic.to_lowercase()
            ))
        );
        let mut hugo = format!(
            "title: {}\nsummary: {}\nquestion: {}\npositions:\n",
            q(&qn.title),
            q(&format!(
                "Where the actors stand on {}.",
                qn.topic.to_lowercase()
            )),
            q(&format!(
                "Should the {} be allowed?",
                qn.topic.to_lowercase()
            ))
        );
        for (id, label) in POSITIONS {
            writeln!(sp, "  - {{id: {id}, label: {}}}", q(label)).unwrap();
            writeln!(hugo, "  - {{id: {id}, label: {}}}", q(label)).unwrap();
        }
        writeln!(
            hugo,
            "mentions: {}",
            yaml_list(&names_of(&c, &body.mentions))
        )
        .unwrap();
        o.write(&format!("questions/{}.md", qn.id), &sp, &hugo, &body);
    }

    for i in 0..c.actors.len() {
        let mut body = Body::default();
        c.paragraph(&mut body, 3, 1);
        let a = &c.actors[i];
        let summary = format!("{} in this explainer.", a.role);
        let mut sp = format!(
            "name: {}\nkind: {}\nrole: {}\nsummary: {}\n",
            q(&a.name),
            a.kind,
            q(&a.role),
            q(&summary)
        );
        let mut hugo = format!(
            "title: {}\nkind: {}\nrole: {}\nsummary: {}\n",
            q(&a.name),
            a.kind,
            q(&a.role),
            q(&summary)
        );
        if let Some(alias) = &a.alias {
            writeln!(sp, "aliases: [{}]", q(alias)).unwrap();
            writeln!(hugo, "names: [{}]", q(alias)).unwrap();
        }
        if let Some(g) = a.affiliation {
            writeln!(sp, "affiliations: [{}]", c.actors[g].id).unwrap();
            writeln!(hugo, "affiliations: [{}]", c.actors[g].id).unwrap();
        }
        sp.push_str("stances:\n");
        hugo.push_str("stances:\n");
        let mut topics = Vec::new();
        for (qi, p, d) in &a.stances {
            topics.push(*qi);
            let qn = &c.questions[*qi];
            let (pid, label) = POSITIONS[*p];
            let summary = format!("Took the view that the answer is {}.", label.to_lowercase());
            write!(
                sp,
                "  - question: {}\n    position: {pid}\n    date: {d}\n    summary: {}\n    source: {{title: {}, publisher: \"Daily Record\", url: \"https://example.com/{}/{d}\"}}\n",
                qn.id,
                q(&summary),
                q(&format!("Interview on {}", qn.topic.to_lowercase())),
                a.id,
            )
            .unwrap();
            write!(
                hugo,
                "  - question: {}\n    question_title: {}\n    position: {pid}\n    label: {}\n    date: {d}\n    summary: {}\n    source: {{title: {}, publisher: \"Daily Record\", url: \"https://example.com/{}/{d}\"}}\n",
                qn.id,
                q(&qn.title),
                q(label),
                q(&summary),
                q(&format!("Interview on {}", qn.topic.to_lowercase())),
                a.id,
            )
            .unwrap();
        }
        writeln!(hugo, "topics: {}", yaml_list(&topics_of(&c, &topics))).unwrap();
        let mentions: Vec<usize> = body.mentions.iter().copied().filter(|&m| m != i).collect();
        writeln!(hugo, "mentions: {}", yaml_list(&names_of(&c, &mentions))).unwrap();
        let id = c.actors[i].id.clone();
        o.write(&format!("actors/{id}.md"), &sp, &hugo, &body);
    }

    for i in 0..sizes.events {
        let mut body = Body::default();
        c.paragraph(&mut body, 4, 2);
        let n = c.rng.range(2, 5);
        let actors = c.rng.distinct(c.actors.len(), n);
        let k = c.rng.range(0, 2);
        let qs = c.rng.distinct(c.questions.len(), k);
        let place = *c.rng.pick(PLACES);
        let kind = *c.rng.pick(EVENT_KINDS);
        let word = capitalised(c.rng.pick::<&str>(WORDS));
        let title = format!("{word} {kind} in {place} ({i})");
        let d = date(&mut c.rng);
        let summary = format!("A {kind} in {place}.");
        let actor_ids = names_of(&c, &actors);
        let question_ids = topics_of(&c, &qs);
        let sp = format!(
            "title: {}\ndate: {d}\nplace: {place}\nsummary: {}\nactors: {}\nquestions: {}\n",
            q(&title),
            q(&summary),
            yaml_list(&actor_ids),
            yaml_list(&question_ids)
        );
        let mut mentions = actors.clone();
        mentions.extend(&body.mentions);
        let mut topics = qs.clone();
        topics.extend(&body.topics);
        let hugo = format!(
            "title: {}\ndate: {d}\nplace: {place}\nsummary: {}\nactors: {}\nquestions: {}\nmentions: {}\ntopics: {}\n",
            q(&title),
            q(&summary),
            yaml_list(&actor_ids),
            yaml_list(&question_ids),
            yaml_list(&names_of(&c, &mentions)),
            yaml_list(&topics_of(&c, &topics))
        );
        o.write(&format!("events/event-{i}.md"), &sp, &hugo, &body);
    }

    for i in 0..sizes.articles {
        let mut body = c.article();
        if embeds {
            add_embeds(&mut body, &c, seed ^ ((i as u64) << 20));
        }
        let mut heading = Body::default();
        c.sentence(&mut heading, 4, 8, false);
        let title = format!("{} ({i})", heading.standpoint().trim_end_matches('.'));
        let d = date(&mut c.rng);
        let summary = format!("Article {i} of the explainer.");
        let sp = format!(
            "title: {}\ndate: {d}\nsummary: {}\n",
            q(&title),
            q(&summary)
        );
        let hugo = format!(
            "title: {}\ndate: {d}\nsummary: {}\nmentions: {}\ntopics: {}\n",
            q(&title),
            q(&summary),
            yaml_list(&names_of(&c, &body.mentions)),
            yaml_list(&topics_of(&c, &body.topics))
        );
        o.write(&format!("articles/article-{i}.md"), &sp, &hugo, &body);
    }
    sizes
}

/// Minimal Hugo templates doing what standpoint's default theme does, page for page.
/// The navigation is the same on every page, so it is a `partialCached`.
const HUGO_LAYOUTS: [(&str, &str); 11] = [
    (
        "baseof.html",
        r#"<!doctype html>
<html lang="{{ site.Language.Lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title>
{{- with .Summary }}
<meta name="description" content="{{ . | plainify }}">
{{- end }}
<link rel="canonical" href="{{ .Permalink }}">
<link rel="stylesheet" href="/style.css">
</head>
<body class="kind-{{ .Kind }}">
<header class="site-header">
<a class="brand" href="/">{{ site.Title }}</a>
{{ partialCached "nav.html" . }}
</header>
<main id="main">
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer">
<p><a href="/">{{ site.Title }}</a></p>
{{ partialCached "nav.html" . }}
</footer>
</body>
</html>
"#,
    ),
    (
        "_partials/nav.html",
        r#"<nav class="site-nav" aria-label="Sections">
<ul>
{{- range site.Sections }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{- end }}
<li><a href="/mentions/">Mentions</a></li>
<li><a href="/topics/">Topics</a></li>
</ul>
</nav>
"#,
    ),
    (
        "single.html",
        r#"{{ define "main" }}
<article class="plain-page">
<h1>{{ .Title }}</h1>
{{- with .Params.summary }}<p class="dek">{{ . }}</p>{{ end }}
<p class="meta"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
<div class="prose">
{{ .Content }}
</div>
</article>
{{ end }}
"#,
    ),
    (
        "actors/single.html",
        r#"{{ define "main" }}
<article class="actor">
<p class="kicker"><a href="/actors/">Actors</a> · {{ .Params.kind }}</p>
<h1>{{ .Title }}</h1>
<p class="role">{{ .Params.role }}</p>
{{- with .Params.affiliations }}
<dl class="facts"><dt>Part of</dt><dd>{{ range . }}{{ with site.GetPage (printf "/actors/%s" .) }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}{{ end }}</dd></dl>
{{- end }}
<div class="prose">
{{ .Content }}
</div>
<section class="block">
<h2>Where {{ .Title }} stands</h2>
{{- range .Params.stances }}
<article class="stance-card pos-{{ .position }}">
<h3><a href="/questions/{{ .question }}/">{{ .question_title }}</a></h3>
<p class="stance-now"><span class="badge">{{ .label }}</span> <span class="meta">as of <time datetime="{{ .date }}">{{ .date }}</time></span></p>
<p class="stance-summary">{{ .summary }}</p>
{{- with .source }}<p class="source">Source: {{ .publisher }}, <a href="{{ .url }}" rel="noopener">{{ .title }}</a></p>{{ end }}
</article>
{{- end }}
</section>
<p class="more"><a href="/mentions/{{ .File.ContentBaseName }}/">Pages that mention {{ .Title }}</a></p>
</article>
{{ end }}
"#,
    ),
    (
        "questions/single.html",
        r#"{{ define "main" }}
<article class="question">
<p class="kicker"><a href="/questions/">Questions</a></p>
<h1>{{ .Title }}</h1>
<p class="the-question">{{ .Params.question }}</p>
<ol class="spectrum">
{{- range $i, $p := .Params.positions }}
<li class="pos pos-{{ $i }}">{{ $p.label }}</li>
{{- end }}
</ol>
<div class="prose">
{{ .Content }}
</div>
<p class="more"><a href="/topics/{{ .File.ContentBaseName }}/">Actors, events and articles on this question</a></p>
</article>
{{ end }}
"#,
    ),
    (
        "events/single.html",
        r#"{{ define "main" }}
<article class="event">
<p class="kicker"><a href="/events/">Events</a></p>
<h1>{{ .Title }}</h1>
<p class="event-when"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time> · {{ .Params.place }}</p>
<div class="prose">
{{ .Content }}
</div>
<h2>Who was involved</h2>
<ul class="cards">
{{- range .Params.actors }}{{ with site.GetPage (printf "/actors/%s" .) }}
<li class="card"><h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3><p class="card-role">{{ .Params.role }}</p></li>
{{- end }}{{ end }}
</ul>
{{- with .Params.questions }}
<h2>Questions at stake</h2>
<ul class="cards">
{{- range . }}{{ with site.GetPage (printf "/questions/%s" .) }}
<li class="card"><h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3><p>{{ .Params.question }}</p></li>
{{- end }}{{ end }}
</ul>
{{- end }}
</article>
{{ end }}
"#,
    ),
    (
        "list.html",
        r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
<div class="prose">
{{ .Content }}
</div>
<ul class="page-list">
{{- range .Pages }}
<li><h2 class="page-list-title"><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
{{- with .Params.summary }}<p>{{ . }}</p>{{ end }}</li>
{{- end }}
</ul>
{{ end }}
"#,
    ),
    (
        "taxonomy.html",
        r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul class="link-list">
{{- range .Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{- end }}
</ul>
{{ end }}
"#,
    ),
    (
        "term.html",
        r#"{{ define "main" }}
{{- $target := site.GetPage (printf "/%s/%s" (cond (eq .Data.Plural "mentions") "actors" "questions") .Data.Term) }}
<h1>{{ with $target }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ else }}{{ .Title }}{{ end }}</h1>
<section class="block backlinks">
<h2>Mentioned in</h2>
<ul class="link-list">
{{- range .Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <span class="meta">{{ .Section }}</span></li>
{{- end }}
</ul>
</section>
{{ end }}
"#,
    ),
    (
        "home.html",
        r#"{{ define "main" }}
<h1>{{ site.Title }}</h1>
<div class="prose lede">
{{ .Content }}
</div>
<section class="block">
<h2>Latest developments</h2>
<ol class="tl">
{{- range first 8 (where site.RegularPages "Section" "events").ByDate.Reverse }}
<li><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time> <a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{- end }}
</ol>
</section>
<section class="block">
<h2>The questions</h2>
<ul class="cards">
{{- range (where site.RegularPages "Section" "questions") }}
<li class="card"><h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3><p>{{ .Params.question }}</p></li>
{{- end }}
</ul>
</section>
{{ end }}
"#,
    ),
    (
        "404.html",
        r#"{{ define "main" }}
<h1>Page not found</h1>
<p><a href="/">Back to the start</a></p>
{{ end }}
"#,
    ),
];

fn main() {
    let mut pages: Option<usize> = None;
    let mut out: Option<PathBuf> = None;
    let mut seed: u64 = 42;
    let mut embeds = false;
    let mut args = std::env::args().skip(1);
    let usage = "usage: synth --pages N --out DIR [--seed S] [--embeds]";
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| die(usage));
        match a.as_str() {
            "--pages" => pages = Some(value().parse().unwrap_or_else(|_| die(usage))),
            "--out" => out = Some(PathBuf::from(value())),
            "--seed" => seed = value().parse().unwrap_or_else(|_| die(usage)),
            "--embeds" => embeds = true,
            "-h" | "--help" => {
                println!("{usage}");
                return;
            }
            _ => die(usage),
        }
    }
    let (Some(pages), Some(out)) = (pages, out) else {
        die(usage)
    };
    if pages < 10 {
        die("--pages must be at least 10");
    }
    let s = generate(pages, seed, embeds, &out);
    println!(
        "synth: {} pages ({} actors, {} questions, {} events, {} articles) in {}/standpoint and {}/hugo",
        s.actors + s.questions + s.events + s.articles,
        s.actors,
        s.questions,
        s.events,
        s.articles,
        out.display(),
        out.display()
    );
}
