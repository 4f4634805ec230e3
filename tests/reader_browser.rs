//! The reader tools in Debian's headless Chromium, on the example site served under
//! a sub-path: the date control of a question page and of `/matrix/` (keyboard,
//! what it shows, what it announces), the matrix's kind filter, and `/compare/`
//! (the choice read from and kept in the query string; without JavaScript, a note).

#[path = "common/browser.rs"]
mod browser;
#[path = "common/example.rs"]
mod example;
#[path = "common/static_server.rs"]
mod static_server;

use std::sync::OnceLock;
use std::time::Duration;

use browser::{Browser, Page};
use serde_json::{json, Value};
use static_server::StaticServer;

const SUB_PATH: &str = "/desk/reader/";
const WAIT: Duration = Duration::from_secs(10);

fn server() -> &'static StaticServer {
    static SERVER: OnceLock<StaticServer> = OnceLock::new();
    SERVER.get_or_init(|| {
        let out = example::target_dir().join("reader-browser-site");
        example::build_example(&out, &format!("https://news.example.com{SUB_PATH}"));
        StaticServer::start(&out, SUB_PATH)
    })
}

fn open(path: &str) -> (Browser, Page) {
    let mut browser = Browser::launch();
    let mut page = browser.new_page();
    page.set_viewport(375, 900);
    page.navigate(&server().url(path));
    (browser, page)
}

/// The names of the actors each band of the spectrum shows, and its count.
const BANDS: &str = "[...document.querySelectorAll('.spectrum .band')].map(b => ({
    count: b.querySelector('[data-asof-count]').firstChild.nodeValue,
    actors: [...b.querySelectorAll('li[data-from]')].filter(li => !li.hidden)
        .map(li => li.querySelector('h4').textContent.trim()),
    empty: !b.querySelector('[data-asof-empty]').hidden}))";

#[test]
fn the_date_control_of_a_question_page_moves_through_time_by_keyboard() {
    let (_b, mut page) = open("questions/strikes-inside-russia/");
    page.wait_for("!document.querySelector('[data-asof]').hidden", WAIT);
    let latest = page.eval(BANDS);
    page.eval("document.getElementById('asof-range').focus()");
    page.press_key("Home");
    page.wait_for("document.getElementById('asof-range').value === '0'", WAIT);
    // 30 May 2024: only the stances dated that day; the May ones count from the 31st.
    let early = page.eval(BANDS);
    assert_eq!(
        early,
        json!([
            {"count": "0", "actors": [], "empty": true},
            {"count": "2", "actors": ["Joe Biden", "United States"], "empty": false},
            {"count": "0", "actors": [], "empty": true},
        ]),
        "latest was {latest}"
    );
    let said = page.eval(
        "({out: document.getElementById('asof-out').textContent,
           text: document.getElementById('asof-range').getAttribute('aria-valuetext'),
           status: document.querySelector('[data-asof-status]').textContent})",
    );
    assert_eq!(said["out"], "30 May 2024");
    assert_eq!(said["text"], "30 May 2024");
    assert_eq!(said["status"], "As of 30 May 2024: 2 positions shown.");
    page.press_key("ArrowRight");
    page.wait_for("document.getElementById('asof-range').value === '1'", WAIT);
    assert_eq!(page.eval(BANDS), latest);
    assert_eq!(
        page.eval("document.getElementById('asof-out').textContent"),
        "31 May 2024 (latest)"
    );
}

#[test]
fn the_matrix_filters_by_kind_and_travels_in_time() {
    let (_b, mut page) = open("matrix/");
    page.wait_for("!document.querySelector('[data-kind-filter]').hidden", WAIT);
    let rows = "[...document.querySelectorAll('#matrix-table tbody tr')].filter(r => !r.hidden)
        .map(r => r.querySelector('th a').textContent)";
    let all = page.eval(rows);
    page.eval(
        "const s = document.getElementById('matrix-kind'); s.value = 'state';
         s.dispatchEvent(new Event('change'))",
    );
    assert_eq!(
        page.eval(rows),
        json!(["Netherlands", "United Kingdom", "United States"]),
        "of {all}"
    );
    assert_eq!(
        page.eval("document.querySelector('[data-kind-status]').textContent"),
        "3 actors shown."
    );
    // On 30 May only the United States row of these has a position; its cell keeps
    // its colour, the others show a dash.
    page.eval("document.getElementById('asof-range').focus()");
    page.press_key("Home");
    page.wait_for("document.getElementById('asof-range').value === '0'", WAIT);
    let cells: Value = page.eval(
        "[...document.querySelectorAll('#matrix-table tbody tr')].filter(r => !r.hidden).map(r => {
           const td = r.querySelectorAll('td')[1];
           const shown = [...td.querySelectorAll('a[data-from]')].filter(a => !a.hidden);
           return [td.className, shown.map(a => a.querySelector('.label').textContent)];
         })",
    );
    assert_eq!(
        cells,
        json!([
            ["empty", []],
            ["empty", []],
            ["pos pos-s2 pos-1-of-3", ["Only in limited cases"]],
        ])
    );
}

/// The scripts speak the page's language: their words come from the template, in
/// the plural form `Intl.PluralRules` picks.
#[test]
fn the_reader_tools_speak_the_language_of_a_translated_page() {
    let (_b, mut page) = open("uk/questions/strikes-inside-russia/");
    page.wait_for("!document.querySelector('[data-asof]').hidden", WAIT);
    page.eval("document.getElementById('asof-range').focus()");
    page.press_key("Home");
    page.wait_for("document.getElementById('asof-range').value === '0'", WAIT);
    assert_eq!(
        page.eval("document.querySelector('[data-asof-status]').textContent"),
        "Станом на 30 травня 2024 показано позицій: 2."
    );
    page.press_key("ArrowRight");
    page.wait_for("document.getElementById('asof-range').value === '1'", WAIT);
    assert_eq!(
        page.eval("document.getElementById('asof-out').textContent"),
        "31 травня 2024 (зараз)"
    );
    page.navigate(&server().url("uk/matrix/"));
    page.wait_for("!document.querySelector('[data-kind-filter]').hidden", WAIT);
    page.eval(
        "const s = document.getElementById('matrix-kind'); s.value = 'state';
         s.dispatchEvent(new Event('change'))",
    );
    assert_eq!(
        page.eval("document.querySelector('[data-kind-status]').textContent"),
        "Показано учасників: 3."
    );
}

#[test]
fn compare_reads_and_keeps_the_choice_in_the_query_string() {
    let (_b, mut page) = open("compare/?a=joe-biden&b=olaf-scholz");
    page.wait_for(
        "document.querySelector('[data-compare-result] table')",
        WAIT,
    );
    let heads =
        "[...document.querySelectorAll('[data-compare-result] thead th')].map(t => t.textContent)";
    assert_eq!(
        page.eval(heads),
        json!(["Question", "Joe Biden", "Olaf Scholz"])
    );
    assert_eq!(
        page.eval("document.querySelector('[data-compare-nojs]').hidden"),
        true
    );
    page.eval(
        "const s = document.getElementById('compare-c'); s.value = 'united-states';
         s.dispatchEvent(new Event('change', {bubbles: true}))",
    );
    assert_eq!(
        page.eval("location.search"),
        "?a=joe-biden&b=olaf-scholz&c=united-states"
    );
    assert_eq!(
        page.eval(heads),
        json!(["Question", "Joe Biden", "Olaf Scholz", "United States"])
    );
    // Biden's cells, question by question, link into this copy of the site.
    let biden: Value = page.eval(
        "[...document.querySelectorAll('[data-compare-result] tbody tr')].map(r => {
           const a = r.querySelectorAll('td')[0].querySelector('a');
           return [r.querySelector('th').textContent, a.querySelector('.label').textContent,
                   new URL(a.href).pathname];
         })",
    );
    let path = format!("{SUB_PATH}actors/joe-biden/");
    assert_eq!(
        biden,
        json!([
            ["Long-range strikes inside Russia", "No", path],
            [
                "Strikes on Russian territory",
                "Only in limited cases",
                path
            ],
        ])
    );
    assert_eq!(
        page.eval("document.querySelector('[data-compare-status]').textContent"),
        "Comparing Joe Biden, Olaf Scholz, United States on 2 questions."
    );
}

#[test]
fn compare_asks_for_two_actors_and_ignores_unknown_ids() {
    let (_b, mut page) = open("compare/?a=nobody&b=olaf-scholz");
    page.wait_for(
        "!document.querySelector('[data-compare-form]').hidden",
        WAIT,
    );
    assert_eq!(page.eval("document.getElementById('compare-a').value"), "");
    assert_eq!(
        page.eval("document.querySelector('[data-compare-result]').textContent"),
        "Choose at least two actors to compare their positions."
    );
}

#[test]
fn without_javascript_compare_says_so_and_links_to_the_matrix() {
    let mut browser = Browser::launch();
    let mut page = browser.new_page();
    page.set_javascript_enabled(false);
    page.navigate(&server().url("compare/?a=joe-biden&b=olaf-scholz"));
    let r = page.eval(
        "({note: getComputedStyle(document.querySelector('[data-compare-nojs]')).display,
           form: getComputedStyle(document.querySelector('[data-compare-form]')).display,
           link: new URL(document.querySelector('[data-compare-nojs] a').href).pathname})",
    );
    assert_eq!(
        r,
        json!({"note": "block", "form": "none", "link": format!("{SUB_PATH}matrix/")})
    );
}
