//! Data files (DESIGN.md section 9): rows of `data/actors.csv`, `data/stances.csv`
//! and `data/events.csv` are checked like front matter, every error at its
//! `data/<file>.csv:ROW:COLUMN`. The cases run through `common/error_cases.rs`.

#[path = "common/error_cases.rs"]
mod error_cases;

use error_cases::*;

cases! {
    // The header.
    data_unknown_column => Case {
        fixture: "data-unknown-column",
        message: "unknown column `postion`",
        place: Some("data/stances.csv:1:16"),
        help: Some("did you mean `position`?"),
        // The required `position` is missing too.
        errors: 2,
        ..CASE
    };
    data_missing_column => Case {
        fixture: "data-missing-column",
        message: "missing required column `date`",
        place: Some("data/stances.csv:1:1"),
        help: Some("add a `date` column"),
        ..CASE
    };
    data_unknown_file => Case {
        fixture: "data-unknown-file",
        message: "unknown data file `data/stance.csv`",
        help: Some("did you mean `stances.csv`?"),
        place: Some("data/stance.csv"),
        ..CASE
    };
    // The cells, while loading.
    data_empty_required_cell => Case {
        fixture: "data-empty-cell",
        message: "missing required value `position`",
        place: Some("data/stances.csv:2:33"),
        help: Some("fill in `position` in this row"),
        ..CASE
    };
    data_invalid_id => Case {
        fixture: "data-invalid-id",
        message: "`Jens Stoltenberg` is not a valid id",
        place: Some("data/actors.csv:2:1"),
        help: Some("write `jens-stoltenberg`"),
        ..CASE
    };
    data_invalid_date => Case {
        fixture: "data-invalid-date",
        message: "invalid date `2024-06-31`: June 2024 has days 01 to 30",
        place: Some("data/events.csv:2:21"),
        ..CASE
    };
    data_unknown_kind => Case {
        fixture: "data-unknown-kind",
        message: "unknown kind `persn`",
        place: Some("data/actors.csv:2:35"),
        help: Some("did you mean `person`?"),
        ..CASE
    };
    data_source_url_that_runs_code => Case {
        fixture: "data-source-url-javascript",
        message: "a `javascript:` URL is never written as a link",
        place: Some("data/stances.csv:2:64"),
        ..CASE
    };
    data_source_without_title => Case {
        fixture: "data-source-without-title",
        message: "a source without a title",
        place: Some("data/stances.csv:2:55"),
        help: Some("fill in `source_title` in this row"),
        ..CASE
    };
    data_unknown_actor_of_a_stance => Case {
        fixture: "data-unknown-actor",
        message: "unknown actor `joe-bidn`",
        place: Some("data/stances.csv:2:1"),
        help: Some("did you mean `joe-biden`?"),
        ..CASE
    };
    // The file.
    data_wrong_number_of_cells => Case {
        fixture: "data-cell-count",
        message: "this row has 12 cells, the header has 11",
        place: Some("data/stances.csv:2:105"),
        help: Some("a cell holding `,` must be quoted: `\"Paris, France\"`"),
        ..CASE
    };
    data_not_utf8 => Case {
        fixture: "data-not-utf8",
        message: "the file is not valid UTF-8",
        place: Some("data/stances.csv:2:55"),
        ..CASE
    };
    data_quote_never_closed => Case {
        fixture: "data-quote-not-closed",
        message: "a quoted cell is never closed",
        place: Some("data/stances.csv:2:52"),
        ..CASE
    };
    // References, checked after loading, still at their cells.
    data_unknown_question => Case {
        fixture: "data-unknown-question",
        message: "unknown question `strikes-inside-rusia`",
        place: Some("data/stances.csv:2:11"),
        help: Some("did you mean `strikes-inside-russia`?"),
        ..CASE
    };
    data_unknown_position_for_a_markdown_actor => Case {
        fixture: "data-unknown-position",
        message: "`suport` is not a position of the question `strikes-inside-russia`",
        place: Some("data/stances.csv:2:33"),
        help: Some("did you mean `support`?"),
        ..CASE
    };
    data_unknown_affiliation => Case {
        fixture: "data-unknown-affiliation",
        message: "unknown affiliation `natto`",
        place: Some("data/actors.csv:2:49"),
        help: Some("did you mean `nato`?"),
        ..CASE
    };
    data_event_unknown_actor => Case {
        fixture: "data-event-unknown-actor",
        message: "unknown actor `jens-stoltenbrg`",
        place: Some("data/events.csv:2:60"),
        ..CASE
    };
    data_event_unknown_question => Case {
        fixture: "data-event-unknown-question",
        message: "unknown question `strikes-inside-rusia`",
        place: Some("data/events.csv:2:50"),
        help: Some("did you mean `strikes-inside-russia`?"),
        ..CASE
    };
    data_summary_wiki_link_to_nothing => Case {
        fixture: "data-summary-wiki-link",
        message: "unknown id `natto` in wiki-link",
        place: Some("data/stances.csv:2:58"),
        help: Some("did you mean `nato`?"),
        ..CASE
    };
    data_duplicate_id_names_row_and_file => Case {
        fixture: "data-duplicate-id",
        message: "duplicate id `nato`: `content/actors/nato.md` and `data/actors.csv:2`",
        place: Some("data/actors.csv:2:1"),
        ..CASE
    };
}
