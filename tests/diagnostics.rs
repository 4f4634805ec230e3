//! Every authoring mistake gets a located diagnostic, and no build loses output.
//! The cases run through the harness in `common/error_cases.rs`.

#[path = "common/error_cases.rs"]
mod error_cases;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use error_cases::*;

cases! {
    // DESIGN.md section 11: a translation sets words only, of a file that exists,
    // in a language the site has, with as many stances and positions.
    // DESIGN.md section 11: the theme's words, and a site's own, in `i18n/<lang>.yaml`.
    a_word_that_is_not_text => Case {
        fixture: "words-not-text",
        message: "the word `questions` must be text (put it in quotes)",
        place: Some("i18n/en.yaml:2:1"),
        help: Some("a word is a text, or its plural forms: `{one: \"{n} actor\", other: \"{n} actors\"}`"),
        ..CASE
    };
    a_words_file_that_is_not_yaml => Case {
        fixture: "words-bad-yaml",
        message: "this words file is not valid YAML",
        place: Some("i18n/fr.yaml:2:13"),
        ..CASE
    };
    a_word_with_an_unknown_plural_form => Case {
        fixture: "words-bad-form",
        message: "the word `n_actors` has the plural form `lots`; forms are zero, one, two, few, many and other",
        place: Some("i18n/fr.yaml:2:1"),
        ..CASE
    };
    a_template_asks_for_a_word_the_theme_lacks => Case {
        fixture: "words-unknown-key",
        message: "template error: t(): the theme has no word `not_fund`: did you mean `not_found`?",
        place: Some("templates/404.html:2:21"),
        note: Some("while rendering the page `/404.html`"),
        ..CASE
    };
    a_words_file_not_named_after_a_language => Case {
        fixture: "words-file-name",
        message: "`i18n/french.yaml` is not a words file",
        help: Some("words files are named after their language: `i18n/fr.yaml`, `i18n/pt-BR.yaml`"),
        ..CASE
    };
    translation_sets_a_data_key => Case {
        fixture: "translation-data-key",
        message: "`kind` is data: a translation cannot set it",
        place: Some("content/actors/joe-biden.fr.md:3:1"),
        help: Some("remove `kind:` here; `content/actors/joe-biden.md` sets it once for every language (a translation sets only words: names, titles, summaries, labels, quotes and its body)"),
        ..CASE
    };
    translation_sets_a_stance_date => Case {
        fixture: "translation-stance-date",
        message: "`date` is data: a translation cannot set it",
        place: Some("content/actors/joe-biden.fr.md:6:5"),
        ..CASE
    };
    translation_sets_a_position_id => Case {
        fixture: "translation-position-id",
        message: "`id` is data: a translation cannot set it",
        place: Some("content/questions/strikes-inside-russia.fr.md:5:6"),
        ..CASE
    };
    translation_with_fewer_stances => Case {
        fixture: "translation-stance-count",
        message: "this translation lists 1 stance; `content/actors/joe-biden.md` has 2",
        place: Some("content/actors/joe-biden.fr.md:3:1"),
        help: Some("give one entry per stance of the default file, in its order (`- {}` keeps one in the default's words)"),
        ..CASE
    };
    translation_with_fewer_positions => Case {
        fixture: "translation-position-count",
        message: "this translation lists 2 positions; `content/questions/strikes-inside-russia.md` has 3",
        place: Some("content/questions/strikes-inside-russia.fr.md:3:1"),
        ..CASE
    };
    translation_without_its_default_file => Case {
        fixture: "translation-without-default",
        message: "`content/actors/joe-bidne.fr.md` translates `content/actors/joe-bidne.md`, which does not exist",
        place: Some("content/actors/joe-bidne.fr.md:1:1"),
        help: Some("did you mean `content/actors/joe-biden.md`? name the translation after it"),
        ..CASE
    };
    translation_in_a_language_the_site_lacks => Case {
        fixture: "translation-unknown-language",
        message: "`de` is not a language of this site",
        place: Some("content/about.de.md:1:1"),
        help: Some("this site's other languages are `fr`: add `de` under `languages:` in site.yaml, or rename the file"),
        ..CASE
    };
    translation_in_a_site_of_one_language => Case {
        fixture: "translation-no-languages",
        message: "`fr` is not a language of this site",
        place: Some("content/about.fr.md:1:1"),
        help: Some("add `fr` under `languages:` in site.yaml (the default language is `en`)"),
        ..CASE
    };
    languages_lists_the_default_language => Case {
        fixture: "languages-default-again",
        message: "`en` is the default language already",
        place: Some("site.yaml:5:3"),
        ..CASE
    };
    languages_with_a_code_that_is_not_one => Case {
        fixture: "languages-bad-code",
        message: "`French` is not a language code",
        place: Some("site.yaml:4:3"),
        help: Some("write a lowercase code such as `fr`, `uk` or `pt-br`: it names the files (`about.french.md`) and the folder of the pages"),
        ..CASE
    };
    // DESIGN.md section 7: short texts are inline Markdown, their links checked like
    // body links, and placed at the link inside the YAML value.
    short_text_wiki_link_to_nothing => Case {
        fixture: "stance-summary-wiki-link",
        message: "unknown id `natto` in wiki-link",
        place: Some("content/actors/joe-biden.md:10:48"),
        help: Some("did you mean `nato`?"),
        ..CASE
    };
    short_text_over_several_lines_points_at_its_start => Case {
        fixture: "stance-summary-folded",
        message: "unknown id `jens-stoltenberg` in wiki-link",
        place: Some("content/actors/joe-biden.md:15:7"),
        ..CASE
    };
    short_text_javascript_link => Case {
        fixture: "source-title-javascript-link",
        message: "a `javascript:` URL is never written as a link",
        place: Some("content/actors/nato.md:8:24"),
        help: Some("link to a page or a file instead: a short text writes raw HTML as text, so no `<a href>` gets around this"),
        ..CASE
    };
    short_text_fragment_that_names_nothing => Case {
        fixture: "position-description-fragment",
        message: "no id `stancs-h` on the page `/actors/joe-biden/`",
        place: Some("content/questions/strikes-inside-russia.md:6:74"),
        help: Some("did you mean `#stances-h`?"),
        ..CASE
    };
    short_text_site_path_that_is_not_written => Case {
        fixture: "event-summary-site-path",
        message: "no page or file at `/maps/prague/`",
        place: Some("content/events/prague-talks.md:4:27"),
        ..CASE
    };
    // DESIGN.md section 9: a stance's `source` or `sources`, an event's `sources`.
    stance_with_source_and_sources => Case {
        fixture: "stance-source-and-sources",
        message: "a stance on `strikes-inside-russia` has both `source` and `sources`",
        place: Some("content/actors/nato.md:9:5"),
        help: Some("move the `source` into the `sources` list, or keep only `source`"),
        ..CASE
    };
    source_archive_url_that_runs_code => Case {
        fixture: "sources-archive-url-javascript",
        message: "a `javascript:` URL is never written as a link in `archive_url` of item 2 of `sources`",
        place: Some("content/actors/nato.md:12:22"),
        ..CASE
    };
    source_title_link_in_the_second_item_of_a_list => Case {
        fixture: "sources-title-wiki-link",
        message: "unknown id `joe-bidem` in wiki-link",
        place: Some("content/actors/nato.md:10:30"),
        help: Some("did you mean `joe-biden`?"),
        ..CASE
    };
    event_source_title_link => Case {
        fixture: "event-sources-title-wiki-link",
        message: "unknown id `strikes-inside-rusia` in wiki-link",
        place: Some("content/events/prague-talks.md:8:22"),
        help: Some("did you mean `strikes-inside-russia`?"),
        ..CASE
    };
    event_source_unknown_key => Case {
        fixture: "event-sources-unknown-key",
        message: "unknown key `archived_url` in item 1 of `sources`",
        place: Some("content/events/prague-talks.md:7:46"),
        help: Some("did you mean `archive_url`?"),
        ..CASE
    };
    source_accessed_impossible_date => Case {
        fixture: "sources-accessed-impossible",
        message: "invalid date `2024-02-30` for `accessed` of item 1 of `sources`: February 2024 has days 01 to 29",
        place: Some("content/actors/nato.md:9:74"),
        ..CASE
    };
    // DESIGN.md section 8: every internal link resolves, or the build fails at its place.
    link_fragment_of_a_wiki_link => Case {
        fixture: "link-wiki-fragment",
        message: "no id `no-such-anchor` on the page `/actors/joe-biden/`",
        place: Some("content/about.md:8:5"),
        help: Some("a page's ids are the ids of its headings and footnotes, and those its template writes (docs/templates.md lists them)"),
        ..CASE
    };
    link_fragment_of_a_file_link => Case {
        fixture: "link-file-fragment",
        message: "no id `stancs-h` on the page `/actors/joe-biden/`",
        place: Some("content/about.md:4:5"),
        help: Some("did you mean `#stances-h`?"),
        ..CASE
    };
    link_fragment_of_the_page_itself => Case {
        fixture: "link-own-fragment",
        message: "no id `who-said-wat` on the page `/about/`",
        place: Some("content/about.md:6:4"),
        help: Some("did you mean `#who-said-what`?"),
        ..CASE
    };
    // `#fn-1` would name the note; `#fn-missing` names nothing.
    link_to_a_footnote_that_is_not_there => Case {
        fixture: "link-footnote-fragment",
        message: "no id `fn-missing` on the page `/about/`",
        place: Some("content/about.md:6:5"),
        help: Some("a page's ids are the ids of its headings and footnotes, and those its template writes (docs/templates.md lists them)"),
        ..CASE
    };
    footnote_defined_twice => Case {
        fixture: "footnote-defined-twice",
        message: "the footnote `Source` is defined twice",
        place: Some("content/about.md:8:1"),
        help: Some("give each footnote its own label, or merge the two"),
        ..CASE
    };
    link_to_a_site_path_that_is_not_written => Case {
        fixture: "link-site-path",
        message: "no page or file at `/no/such/page/`",
        place: Some("content/about.md:4:6"),
        ..CASE
    };
    image_at_a_site_path_that_is_not_written => Case {
        fixture: "image-site-path",
        message: "no page or file at `/missing.png`",
        place: Some("content/about.md:4:8"),
        ..CASE
    };
    site_path_to_a_source_file => Case {
        fixture: "link-site-path-to-source",
        message: "no page or file at `/actors/joe-biden.md`",
        place: Some("content/about.md:4:5"),
        help: Some("link to the page (`/actors/joe-biden/`), or to the source file by a relative path (`../actors/joe-biden.md`)"),
        ..CASE
    };
    actor_image_that_does_not_exist => Case {
        fixture: "actor-image-missing",
        message: "the image `/images/nato-flag.png` does not exist",
        place: Some("content/actors/nato.md:4:8"),
        help: Some("put the image at `static/images/nato-flag.png`, or beside the Markdown under `content/`"),
        ..CASE
    };
    actor_image_that_is_not_the_format_its_name_says => Case {
        fixture: "actor-image-unreadable",
        message: "the image `/images/nato-flag.png` cannot be read",
        place: Some("content/actors/nato.md:4:8"),
        help: Some("save it again from an image editor, or give it the extension of its format"),
        ..CASE
    };
    actor_image_in_a_format_that_is_not_supported => Case {
        fixture: "actor-image-unsupported",
        message: "the image `/images/nato-flag.tiff` is in a format that is not supported",
        place: Some("content/actors/nato.md:4:8"),
        help: Some("convert it to PNG, JPEG, WebP, GIF or SVG"),
        ..CASE
    };
    markdown_image_in_a_format_that_is_not_supported => Case {
        fixture: "image-unsupported",
        message: "the image `/map.tiff` is in a format that is not supported",
        place: Some("content/about.md:4:8"),
        help: Some("convert it to PNG, JPEG, WebP, GIF or SVG"),
        ..CASE
    };
    markdown_image_cut_short => Case {
        fixture: "image-cut-short",
        message: "the image `/map.png` cannot be read",
        place: Some("content/about.md:4:8"),
        help: Some("save it again from an image editor; a file cut short by a download is a common cause"),
        ..CASE
    };
    actor_image_too_large_to_resize => Case {
        fixture: "actor-image-too-large",
        message: "the image `/images/nato-flag.png` is too large to resize (20000x20000 pixels)",
        place: Some("content/actors/nato.md:4:8"),
        help: Some("make it smaller in an image editor: pages show it at most 1440 pixels wide"),
        ..CASE
    };
    figure_image_whose_pixels_do_not_decode => Case {
        fixture: "image-undecodable",
        message: "the image `/map.png` cannot be decoded",
        place: Some("content/about.md:6:15"),
        help: Some("save it again from an image editor; a file cut short by a download is a common cause"),
        build_only: true,
        ..CASE
    };
    folder_name_that_is_not_an_id => Case {
        fixture: "folder-name-invalid",
        message: "the folder name `a#b` is not a valid id",
        place: Some("content/a#b/pg.md:1:1"),
        help: Some("rename the folder to `a-b`"),
        note: Some("folder names, like ids, are made of lowercase letters, digits and `-`"),
        ..CASE
    };
    file_name_that_cannot_be_in_a_url => Case {
        fixture: "asset-name-invalid",
        message: "the file name `my photo.png` cannot be part of a URL",
        place: Some("content/my photo.png"),
        help: Some("rename it with letters, digits, `.`, `_` and `-` only"),
        ..CASE
    };
    page_over_a_built_in_page => Case {
        fixture: "output-clash-built-in",
        message: "`content/timeline.md` and the built-in timeline page are both written to `timeline/index.html`",
        place: Some("content/timeline.md:1:1"),
        help: Some("rename or move it: standpoint writes this path itself"),
        ..CASE
    };
    // `/sources/` is built in; `content/sources/_index.md` is its intro instead.
    output_clash_with_the_sources_page => Case {
        fixture: "output-clash-sources",
        message: "`content/sources.md` and the built-in sources page are both written to `sources/index.html`",
        place: Some("content/sources.md:1:1"),
        help: Some("rename or move it: standpoint writes this path itself"),
        ..CASE
    };
    page_and_folder_intro_at_one_path => Case {
        fixture: "output-clash-index",
        message: "`content/about/_index.md` and `content/about.md` are both written to `about/index.html`",
        place: Some("content/about/_index.md:1:1"),
        help: Some("keep one of the two, or rename one"),
        ..CASE
    };
    file_over_a_generated_file => Case {
        fixture: "output-clash-generated",
        message: "`content/sitemap.xml` and the generated `sitemap.xml` are both written to `sitemap.xml`",
        place: Some("content/sitemap.xml"),
        help: Some("rename or move it: standpoint writes this path itself"),
        ..CASE
    };
    file_over_a_theme_static_file => Case {
        fixture: "output-clash-static",
        message: "`content/style.css` and the default theme's `static/style.css` are both written to `style.css`",
        place: Some("content/style.css"),
        help: Some("a file that replaces a static file belongs in `static/`; otherwise rename it"),
        ..CASE
    };
    javascript_link => Case {
        fixture: "link-javascript",
        message: "a `javascript:` URL is never written as a link",
        place: Some("content/about.md:4:7"),
        help: Some("link to a page or a file instead; raw HTML (`<a href=\"...\">`) is written as it is, if you really mean it (docs/content.md)"),
        ..CASE
    };
    relative_link_out_of_content => Case {
        fixture: "link-outside-content",
        message: "the link `../../../etc/passwd` leads outside `content/`",
        place: Some("content/about.md:4:1"),
        help: Some("link to a site path instead (`/images/map.png` for `static/images/map.png`)"),
        ..CASE
    };
    heading_id_given_twice => Case {
        fixture: "heading-id-twice",
        message: "the heading id `part` is used twice in this page",
        place: Some("content/about.md:6:1"),
        help: Some("give each heading its own `{#id}`"),
        ..CASE
    };
    // 1.4 KB of front matter that aliases would expand to 40,000 values.
    yaml_alias_bomb => Case {
        fixture: "alias-bomb",
        message: "the YAML expands to more than 3874 values: its aliases repeat too much",
        place: Some("content/about.md:5:7"),
        help: Some("write the values out, or repeat fewer of them: an alias (`*name`) copies what an anchor (`&name`) names"),
        ..CASE
    };
    duplicate_key_under_extra => Case {
        fixture: "duplicate-extra-key",
        message: "the key `color` appears twice",
        place: Some("content/about.md:5:3"),
        help: Some("keep only one of the two"),
        ..CASE
    };
    malformed_yaml => Case {
        fixture: "malformed-yaml",
        message: "invalid YAML: a quoted value is not closed",
        place: Some("content/actors/joe-biden.md:4:7"),
        help: Some("end the value with `\"` on the same line, or remove the opening quote"),
        ..CASE
    };
    yaml_unclosed_list => Case {
        fixture: "yaml-unclosed-list",
        message: "invalid YAML: a list opened with `[` is not closed",
        place: Some("content/actors/joe-biden.md:5:15"),
        ..CASE
    };
    yaml_colon_in_value => Case {
        fixture: "yaml-colon-in-value",
        message: "invalid YAML: unexpected `:` in a value",
        place: Some("content/actors/joe-biden.md:4:16"),
        help: Some("put the whole value in quotes, e.g. `role: \"Minister: foreign affairs\"`"),
        ..CASE
    };
    yaml_tab_indent => Case {
        fixture: "yaml-tab-indent",
        message: "invalid YAML: a tab character in the indentation",
        place: Some("content/actors/joe-biden.md:4:1"),
        help: Some("indent with spaces, not tabs"),
        ..CASE
    };
    front_matter_not_closed => Case {
        fixture: "front-matter-not-closed",
        message: "the front matter is not closed",
        place: Some("content/about.md:1:1"),
        help: Some("add a line with only `---` after the front matter"),
        ..CASE
    };
    no_front_matter => Case {
        fixture: "no-front-matter",
        message: "the file has no front matter",
        place: Some("content/about.md:1:1"),
        ..CASE
    };
    empty_file => Case {
        fixture: "empty-file",
        message: "the file is empty",
        place: Some("content/about.md:1:1"),
        ..CASE
    };
    missing_required_key => Case {
        fixture: "missing-required-key",
        message: "missing required key `name`",
        place: Some("content/actors/joe-biden.md:1:1"),
        help: Some("add `name: ...`"),
        ..CASE
    };
    unknown_key => Case {
        fixture: "unknown-key",
        message: "unknown key `rol`",
        place: Some("content/actors/joe-biden.md:4:1"),
        help: Some("did you mean `role`?"),
        ..CASE
    };
    wrong_type => Case {
        fixture: "wrong-type",
        message: "`affiliations` must be a list, not the text \"nato\"",
        place: Some("content/actors/joe-biden.md:5:15"),
        help: Some("write a list as `[a, b]` or as lines starting with `- `"),
        ..CASE
    };
    unknown_kind => Case {
        fixture: "unknown-kind",
        message: "unknown value `persn` for `kind`",
        place: Some("content/actors/joe-biden.md:3:7"),
        help: Some("did you mean `person`?"),
        ..CASE
    };
    impossible_date => Case {
        fixture: "impossible-date",
        message: "invalid date `2024-13-45` for `date`: the month must be 01 to 12",
        place: Some("content/events/prague-talks.md:3:7"),
        ..CASE
    };
    unparseable_date => Case {
        fixture: "unparseable-date",
        message: "invalid date `May 2024` for `date`: expected `YYYY`, `YYYY-MM` or `YYYY-MM-DD`",
        place: Some("content/events/prague-talks.md:3:7"),
        help: Some("write dates as `2024`, `2024-05` or `2024-05-30`"),
        ..CASE
    };
    question_with_one_position => Case {
        fixture: "question-one-position",
        message: "the question `strikes-inside-russia` has 1 position; it needs at least two",
        place: Some("content/questions/strikes-inside-russia.md:4:1"),
        // Joe Biden's `oppose` stance is now outside the scale too.
        errors: 2,
        ..CASE
    };
    duplicate_position_ids => Case {
        fixture: "duplicate-position-ids",
        message: "duplicate position id `oppose`",
        place: Some("content/questions/strikes-inside-russia.md:7:10"),
        ..CASE
    };
    stance_to_unknown_question => Case {
        fixture: "stance-unknown-question",
        message: "unknown question `strikes-inside-rusia`",
        place: Some("content/actors/nato.md:5:15"),
        help: Some("did you mean `strikes-inside-russia`?"),
        ..CASE
    };
    stance_position_not_in_scale => Case {
        fixture: "stance-position-not-in-scale",
        message: "`limted` is not a position of the question `strikes-inside-russia`",
        place: Some("content/actors/joe-biden.md:12:15"),
        help: Some("did you mean `limited`?"),
        ..CASE
    };
    stance_missing_position => Case {
        fixture: "stance-missing-position",
        message: "missing required key `position` in stance 2",
        place: Some("content/actors/joe-biden.md:11:5"),
        ..CASE
    };
    stance_missing_date => Case {
        fixture: "stance-missing-date",
        message: "missing required key `date` in stance 2",
        place: Some("content/actors/joe-biden.md:11:5"),
        ..CASE
    };
    unknown_affiliation => Case {
        fixture: "unknown-affiliation",
        message: "unknown affiliation `natto`",
        place: Some("content/actors/joe-biden.md:5:16"),
        help: Some("did you mean `nato`?"),
        ..CASE
    };
    event_naming_unknown_actor => Case {
        fixture: "event-unknown-actor",
        message: "unknown actor `joe-bidn`",
        place: Some("content/events/prague-talks.md:4:16"),
        help: Some("did you mean `joe-biden`?"),
        ..CASE
    };
    event_naming_unknown_question => Case {
        fixture: "event-unknown-question",
        message: "unknown question `strikes-in-russia`",
        place: Some("content/events/prague-talks.md:5:13"),
        help: Some("did you mean `strikes-inside-russia`?"),
        ..CASE
    };
    wiki_link_to_nothing => Case {
        fixture: "wiki-link-to-nothing",
        message: "unknown id `joe-bidn` in wiki-link",
        place: Some("content/about.md:4:27"),
        help: Some("did you mean `joe-biden`?"),
        ..CASE
    };
    relative_link_to_nothing => Case {
        fixture: "relative-link-to-nothing",
        message: "link to a file that does not exist: `../questions/strikes.md`",
        place: Some("content/events/prague-talks.md:7:22"),
        help: Some("did you mean `../questions/strikes-inside-russia.md`?"),
        ..CASE
    };
    duplicate_id_across_folders => Case {
        fixture: "duplicate-id",
        message: "duplicate id `nato`: `content/actors/nato.md` and `content/notes/nato.md`",
        place: Some("content/notes/nato.md:1:1"),
        ..CASE
    };
    file_name_not_an_id => Case {
        fixture: "invalid-file-name",
        message: "the file name `About_Us.md` is not a valid id",
        place: Some("content/About_Us.md:1:1"),
        help: Some("rename the file to `about-us.md`"),
        ..CASE
    };
    file_not_utf8 => Case {
        fixture: "not-utf8",
        message: "the file is not valid UTF-8",
        place: Some("content/about.md:4:4"),
        help: Some("save the file as UTF-8 in your editor"),
        ..CASE
    };
    template_syntax_error_in_override => Case {
        fixture: "template-syntax-error",
        message: "template syntax error: found `}` but expected }}",
        place: Some("templates/page.html:3:19"),
        ..CASE
    };
    template_undefined_variable => Case {
        fixture: "template-undefined-variable",
        message: "template error: field `author` is not defined",
        place: Some("templates/page.html:4:27"),
        note: Some("while rendering `content/about.md`"),
        ..CASE
    };
    missing_site_yaml => Case {
        fixture: "missing-site-yaml",
        remove: &["site.yaml"],
        message: "could not find `site.yaml` in `{root}`",
        help: Some("run `standpoint init` to create a new site here, or pass `--root DIR` to point at one"),
        ..CASE
    };
    base_url_not_a_url => Case {
        fixture: "base-url-not-url",
        message: "`base_url` must start with `https://` or `http://`: `example.org/explainer`",
        place: Some("site.yaml:2:12"),
        ..CASE
    };
    paginate_zero => Case {
        fixture: "paginate-zero",
        message: "`paginate` must be between 1 and 1000000 items a page, not 0",
        place: Some("site.yaml:3:11"),
        help: Some("leave it out for 100 items a page"),
        ..CASE
    };
    snapshot_listed_twice => Case {
        fixture: "snapshot-twice",
        message: "snapshot date `2024-05-01` is listed twice",
        place: Some("site.yaml:3:37"),
        help: Some("each date in `snapshots` writes one page `/as-of/<date>/`: list it once"),
        ..CASE
    };
    snapshots_too_many => Case {
        fixture: "snapshots-too-many",
        message: "`snapshots` lists 101 dates; at most 100 are allowed",
        place: Some("site.yaml:3:1"),
        help: Some("each date writes a page as large as the whole matrix and every spectrum: keep the dates readers ask about"),
        ..CASE
    };
    snapshot_impossible_date => Case {
        fixture: "snapshot-invalid-date",
        message: "invalid date `2024-02-30` for item 2 of `snapshots`: February 2024 has days 01 to 29",
        place: Some("site.yaml:5:5"),
        help: Some("check the month and the day"),
        ..CASE
    };
    feed_limit_zero => Case {
        fixture: "feed-limit-zero",
        message: "`feed_limit` must be between 1 and 1000000 entries in the feed, not 0",
        place: Some("site.yaml:3:13"),
        help: Some("leave it out for 50 entries in the feed"),
        ..CASE
    };
    theme_does_not_exist => Case {
        fixture: "theme-does-not-exist",
        message: "the theme `defualt` does not exist",
        place: Some("site.yaml:3:8"),
        help: Some("did you mean `default`?"),
        ..CASE
    };
    output_inside_content => Case {
        fixture: "output-inside-content",
        output: Some("content/out"),
        message: "the output folder `{out}` is inside `content/`",
        build_only: true,
        ..CASE
    };
    root_does_not_exist => Case {
        fixture: "root-does-not-exist",
        root: "no-such-folder",
        message: "the site folder `{root}` does not exist",
        help: Some("pass the folder that holds `site.yaml` with `--root DIR`"),
        ..CASE
    };
    crlf_file_with_an_error => Case {
        fixture: "crlf-error",
        message: "`limted` is not a position of the question `strikes-inside-russia`",
        place: Some("content/actors/joe-biden.md:12:15"),
        ..CASE
    };
}

#[test]
fn every_error_at_once_sorted_by_file_and_line() {
    let site = Site::with("many-errors");
    let build = site.cmd("build", &[]);
    assert_eq!(build.code, Some(1));
    let heads: Vec<String> = build
        .stderr
        .lines()
        .collect::<Vec<_>>()
        .windows(2)
        .filter(|w| w[0].starts_with("error: ") && w[1].trim().starts_with("--> "))
        .map(|w| format!("{} {}", w[1].trim(), w[0]))
        .collect();
    assert_eq!(
        heads,
        [
            "--> content/about.md:4:5 error: unknown id `natto` in wiki-link",
            "--> content/actors/joe-biden.md:3:7 error: unknown value `persn` for `kind`",
            // `joe-biden.md` failed to load, yet the hint still knows its id.
            "--> content/events/prague-talks.md:4:16 error: unknown actor `joe-bidn`",
            "--> site.yaml:2:12 error: `base_url` must start with `https://` or `http://`: `example.org/explainer`",
        ],
        "{}",
        build.stderr
    );
    assert!(build.stderr.contains("= help: did you mean `joe-biden`?"));
    assert!(
        !build.stderr.contains("`joe-biden` in wiki-link"),
        "a link to a file that failed to load is not an error of its own:\n{}",
        build.stderr
    );
    assert!(build
        .stderr
        .ends_with("\nerror: could not build: 4 errors\n"));
}

#[test]
fn a_broken_template_is_reported_once_for_all_its_pages() {
    let site = Site::base();
    let base = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/base.html"),
    )
    .unwrap();
    assert!(base.contains("{{ site.title }}"));
    site_write(
        &site,
        "templates/base.html",
        &base.replacen("{{ site.title }}", "{{ site.titel }}", 1),
    );
    let build = site.cmd("build", &[]);
    assert_eq!(build.code, Some(1), "{}", build.stderr);
    assert_eq!(
        build
            .stderr
            .matches("error: template error: field `titel` is not defined")
            .count(),
        1,
        "{}",
        build.stderr
    );
    assert!(
        build.stderr.contains("--> templates/base.html:"),
        "{}",
        build.stderr
    );
    assert!(
        build.stderr.contains("= help: did you mean `title`?"),
        "{}",
        build.stderr
    );
    assert!(
        build.stderr.contains("other pages)"),
        "names one page and counts the others:\n{}",
        build.stderr
    );
}

fn site_write(site: &Site, rel: &str, text: &str) {
    let path = site.root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn crlf_line_endings_and_a_byte_order_mark_build_the_same_site() {
    let fixture = fixtures().join("crlf-and-bom");
    let yaml = std::fs::read(fixture.join("site.yaml")).unwrap();
    assert!(
        yaml.starts_with("\u{feff}".as_bytes()),
        "the fixture keeps its BOM"
    );
    assert!(
        yaml.windows(2).any(|w| w == b"\r\n"),
        "the fixture keeps its CRLF"
    );
    let plain = Site::base();
    let crlf = Site::with("crlf-and-bom");
    for site in [&plain, &crlf] {
        let build = site.cmd("build", &[]);
        assert_eq!(build.code, Some(0), "{}", build.stderr);
        assert_eq!(build.stderr, "", "no diagnostics for valid input");
    }
    assert!(
        snapshot(&plain.root.join("public")) == snapshot(&crlf.root.join("public")),
        "CRLF and a BOM change nothing in the output"
    );
}

#[test]
fn warnings_are_reported_and_fail_only_strict_checks() {
    let site = Site::with("warnings");
    let expected = [
        (
            "warning: a stance on `strikes-inside-russia` has no source",
            "content/actors/nato.md:5:15",
        ),
        (
            "warning: the actor `olaf-scholz` has no stances",
            "content/actors/olaf-scholz.md:2:1",
        ),
        (
            "warning: nothing links to the page `unlinked`",
            "content/notes/unlinked.md:2:1",
        ),
        (
            "warning: the footnote `nte` is not defined",
            "content/notes/unlinked.md:4:19",
        ),
        (
            "warning: the footnote `note` is never referenced",
            "content/notes/unlinked.md:6:1",
        ),
        (
            "warning: nobody has a stance on the question `long-range-strikes`",
            "content/questions/long-range-strikes.md:2:1",
        ),
    ];
    let assert_warnings = |stderr: &str| {
        let lines: Vec<&str> = stderr.lines().collect();
        let found: Vec<(&str, &str)> = lines
            .windows(2)
            .filter(|w| w[0].starts_with("warning: "))
            .map(|w| (w[0], w[1].trim().trim_start_matches("--> ")))
            .collect();
        assert_eq!(found, expected, "{stderr}");
    };

    let build = site.cmd("build", &[]);
    assert_eq!(build.code, Some(0), "{}", build.stderr);
    assert_warnings(&build.stderr);
    assert!(build.stdout.ends_with("(6 warnings)\n"), "{}", build.stdout);

    let check = site.cmd("check", &[]);
    assert_eq!(check.code, Some(0), "{}", check.stderr);
    assert_warnings(&check.stderr);

    let strict = site.cmd("check", &["--strict"]);
    assert_eq!(strict.code, Some(1), "{}", strict.stderr);
    assert_warnings(&strict.stderr);
    assert!(
        strict
            .stderr
            .ends_with("\nerror: failed on warnings (--strict): 6 warnings\n"),
        "{}",
        strict.stderr
    );

    let clean = Site::base().cmd("check", &["--strict"]);
    assert_eq!(
        clean.code,
        Some(0),
        "the base site has no warnings:\n{}",
        clean.stderr
    );
}

#[test]
fn check_writes_nothing() {
    let site = Site::base();
    let check = site.cmd("check", &[]);
    assert_eq!(check.code, Some(0), "{}", check.stderr);
    assert!(!site.root.join("public").exists());
    assert_eq!(leftovers(&site.root.join("public")), Vec::<String>::new());
}

#[test]
fn a_successful_build_leaves_nothing_stale() {
    let site = Site::base();
    let out = site.root.join("public");
    std::fs::create_dir_all(out.join("old-section/page")).unwrap();
    std::fs::write(out.join("old-section/page/index.html"), "stale").unwrap();
    std::fs::write(out.join("index.html"), "stale home").unwrap();
    let build = site.cmd("build", &[]);
    assert_eq!(build.code, Some(0), "{}", build.stderr);

    let fresh = site.root.parent().unwrap().join("fresh");
    let reference = site.cmd("build", &["--output", fresh.to_str().unwrap()]);
    assert_eq!(reference.code, Some(0), "{}", reference.stderr);
    assert!(
        snapshot(&out) == snapshot(&fresh),
        "the output holds exactly the new site"
    );
    assert_eq!(leftovers(&out), Vec::<String>::new());
}

/// Writes `n` plain pages, big enough that writing them takes a while.
fn grow(site: &Site, n: usize) {
    site_write(
        site,
        "content/notes/_index.md",
        "---\ntitle: Notes\n---\nAll notes.\n",
    );
    let body = "Notes on [[joe-biden]] and the alliance, NATO. ".repeat(40);
    for i in 0..n {
        site_write(
            site,
            &format!("content/notes/note-{i}.md"),
            &format!("---\ntitle: Note {i}\n---\n{body}\n"),
        );
    }
}

#[test]
fn a_killed_build_leaves_the_previous_output_and_does_not_break_the_next() {
    let site = Site::base();
    grow(&site, 1500);
    let out = site.root.join("public");
    let first = site.cmd("build", &[]);
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let before = snapshot(&out);

    // Every page changes, so a half-written new site would show.
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site_write(
        &site,
        "site.yaml",
        &yaml.replace("Test explainer", "Renamed explainer"),
    );

    let mut killed_mid_write = false;
    for _ in 0..5 {
        let mut child = Command::new(BIN)
            .arg("--root")
            .arg(&site.root)
            .arg("build")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        // Kill (SIGKILL) as soon as the staging folder appears: the build is writing.
        let staging = loop {
            if let Some(name) = leftovers(&out)
                .into_iter()
                .find(|n| n.starts_with(".public.staging-"))
            {
                child.kill().unwrap();
                break Some(name);
            }
            if child.try_wait().unwrap().is_some() {
                break None;
            }
            assert!(started.elapsed() < Duration::from_secs(120), "build hangs");
            std::thread::sleep(Duration::from_millis(1));
        };
        child.wait().unwrap();
        let Some(staging) = staging else {
            // The build won the race and finished: put the old site back and retry.
            site_write(&site, "site.yaml", &yaml);
            assert_eq!(site.cmd("build", &[]).code, Some(0));
            site_write(
                &site,
                "site.yaml",
                &yaml.replace("Test explainer", "Renamed explainer"),
            );
            continue;
        };
        assert!(
            site.root.join(&staging).exists(),
            "the kill hit before the swap"
        );
        assert!(
            snapshot(&out) == before,
            "a killed build must leave the previous output exactly as it was"
        );
        killed_mid_write = true;
        break;
    }
    assert!(
        killed_mid_write,
        "never caught the build while it was writing"
    );

    // The next build cleans up after the killed one and writes the whole new site.
    let next = site.cmd("build", &[]);
    assert_eq!(next.code, Some(0), "{}", next.stderr);
    assert_eq!(leftovers(&out), Vec::<String>::new());
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains("Renamed explainer"));
    let fresh = site.root.parent().unwrap().join("fresh");
    assert_eq!(
        site.cmd("build", &["--output", fresh.to_str().unwrap()])
            .code,
        Some(0)
    );
    assert!(snapshot(&out) == snapshot(&fresh), "exactly the new site");
}

#[test]
fn references_to_files_that_failed_to_load_are_not_reported_again() {
    let site = Site::base();
    site_write(
        &site,
        "content/notes/_index.md",
        "Notes, without front matter.\n",
    );
    site_write(
        &site,
        "content/events/prague-talks.md",
        "---\ntitle: [\n---\n",
    );
    site_write(
        &site,
        "content/about.md",
        "---\ntitle: About\n---\nSee [the notes](notes/_index.md) and [[prague-talks]].\n",
    );
    let build = site.cmd("build", &[]);
    assert_eq!(build.code, Some(1), "{}", build.stderr);
    let errors: Vec<&str> = build
        .stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(
        errors,
        [
            "error: invalid YAML: a list opened with `[` is not closed",
            "error: the file has no front matter",
            "error: could not build: 2 errors",
        ],
        "{}",
        build.stderr
    );
}
