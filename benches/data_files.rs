//! Loading the data files: a `data/stances.csv` of 10,000 rows (with a source each)
//! for 100 actors of `data/actors.csv`, read from the in-memory tree into stances
//! as the load stage does. Run with `cargo bench --bench data_files`.

use standpoint::load::content;
use standpoint::load::tree::{FileData, SourceTree};

fn main() {
    divan::main();
}

const ACTORS: usize = 100;
const ROWS: usize = 10_000;

fn tree() -> SourceTree {
    let mut actors = String::from("id,name,kind,role,affiliations,aliases,summary,image\n");
    for i in 0..ACTORS {
        actors.push_str(&format!(
            "actor-{i},Actor {i},person,Minister,actor-0,A{i},\"Actor {i}, in short\",\n"
        ));
    }
    let mut stances = String::from(
        "actor,question,position,date,summary,quote,source_title,source_publisher,source_url,source_date,source_archive_url\n",
    );
    for i in 0..ROWS {
        let (y, m, d) = (2000 + i % 24, 1 + i % 12, 1 + i % 28);
        stances.push_str(&format!(
            "actor-{},strikes,support,{y}-{m:02}-{d:02},Said so about [[actor-0]] in {i}.,\"A quote, {i}\",Report {i},The Paper,https://example.org/r/{i},{y}-{m:02}-{d:02},\n",
            i % ACTORS
        ));
    }
    let mut tree = SourceTree {
        has_content: true,
        ..SourceTree::default()
    };
    for (path, text) in [("data/actors.csv", actors), ("data/stances.csv", stances)] {
        tree.files
            .insert(path.to_string(), FileData::new(text.into_bytes()));
    }
    tree
}

#[divan::bench(sample_count = 20)]
fn load_10_000_stance_rows(bencher: divan::Bencher) {
    let tree = tree();
    bencher.bench(|| {
        let loaded = content::load(&tree, false, &mut ());
        assert_eq!(loaded.content.actors.len(), ACTORS);
        assert!(loaded.diagnostics.is_empty());
        loaded
    });
}
