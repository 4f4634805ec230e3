use super::*;

fn file(lang: &str, from_site: bool, text: &str) -> WordsFile {
    let shown = if from_site {
        format!("i18n/{lang}.yaml")
    } else {
        format!("(theme) i18n/{lang}.yaml")
    };
    WordsFile {
        lang: lang.into(),
        shown,
        text: Arc::from(text),
        from_site,
    }
}

fn words_of(files: &[WordsFile], lang: &str) -> (Words, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let parsed: Vec<Parsed> = files.iter().map(|f| parse(f, &mut diagnostics)).collect();
    let (words, found) = merge(&parsed, lang);
    diagnostics.extend(found);
    (words, diagnostics)
}

const EN: &str = "actors: \"Actors\"\ncount: {one: \"{n} actor\", other: \"{n} actors\"}\n";

#[test]
fn fill_replaces_known_names_only() {
    let v = |name: &str| (name == "n").then(|| "3".to_string());
    assert_eq!(fill("{n} actors", v), "3 actors");
    assert_eq!(fill("{who} and {n}", v), "{who} and 3");
    assert_eq!(fill("a { b } {", v), "a { b } {");
    assert_eq!(fill("{}", v), "{}");
    assert_eq!(fill("é{n}é", v), "é3é");
}

#[test]
fn plural_forms_follow_the_language() {
    let files = [
        file("en", false, EN),
        file(
            "uk",
            false,
            "actors: \"Учасники\"\ncount: {one: \"{n} учасник\", few: \"{n} учасники\", many: \"{n} учасників\"}\n",
        ),
    ];
    let (uk, diagnostics) = words_of(&files, "uk");
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(uk.text("count", Some(1)), "1 учасник");
    assert_eq!(uk.text("count", Some(3)), "3 учасники");
    assert_eq!(uk.text("count", Some(11)), "11 учасників");
    let (en, _) = words_of(&files, "en");
    assert_eq!(en.text("count", Some(1)), "1 actor");
    assert_eq!(en.text("count", Some(0)), "0 actors");
    assert_eq!(en.text("no such key", None), "no such key");
    let forms = uk.forms("count").unwrap();
    let names: Vec<&str> = forms.iter().map(|(p, _)| p.name()).collect();
    assert_eq!(names, ["one", "few", "many"]);
}

#[test]
fn the_site_overrides_the_theme_and_regions_fall_back_to_their_language() {
    let files = [
        file("en", false, EN),
        file("fr", false, "actors: \"Acteurs\"\ncount: \"{n} acteurs\"\n"),
        file("fr-CA", true, "actors: \"Intervenants\"\n"),
    ];
    let (ca, diagnostics) = words_of(&files, "fr-CA");
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(ca.text("actors", None), "Intervenants");
    assert_eq!(ca.text("count", Some(2)), "2 acteurs");
    let (fr, _) = words_of(&files, "fr");
    assert_eq!(fr.text("actors", None), "Acteurs");
}

#[test]
fn a_missing_word_falls_back_to_english_with_a_warning_naming_it() {
    let files = [
        file("en", false, EN),
        file("de", false, "actors: \"Akteure\"\n"),
    ];
    let (de, diagnostics) = words_of(&files, "de");
    assert_eq!(de.text("count", Some(2)), "2 actors");
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert!(!diagnostics[0].is_error());
    assert!(
        diagnostics[0].message.contains("`count`"),
        "{:?}",
        diagnostics[0]
    );
}

#[test]
fn a_language_without_words_is_one_warning() {
    let (ar, diagnostics) = words_of(&[file("en", false, EN)], "ar");
    assert_eq!(ar.text("actors", None), "Actors");
    assert_eq!(diagnostics.len(), 1);
    assert!(diagnostics[0].message.contains("`ar`"));
}

#[test]
fn a_plural_word_without_a_needed_form_warns() {
    let files = [
        file("en", false, EN),
        file(
            "ru",
            false,
            "actors: \"Участники\"\ncount: {one: \"{n} участник\"}\n",
        ),
    ];
    let (_, diagnostics) = words_of(&files, "ru");
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert!(
        diagnostics[0].message.contains("`few`, `many`"),
        "{:?}",
        diagnostics[0]
    );
}

#[test]
fn bad_values_are_errors_at_their_key() {
    let text = "actors: \"Actors\"\ncount: 3\nother: {lots: \"x\"}\n";
    let mut diagnostics = Vec::new();
    let f = file("en", true, text);
    let parsed = parse(&f, &mut diagnostics);
    assert_eq!(parsed.entries.len(), 1);
    assert_eq!(diagnostics.len(), 2, "{diagnostics:?}");
    assert!(diagnostics.iter().all(Diagnostic::is_error));
    assert!(diagnostics[0].message.contains("`count`"));
    assert_eq!(diagnostics[0].span, Some(17..22));
    assert!(diagnostics[1].message.contains("`lots`"));
    let mut diagnostics = Vec::new();
    parse(&file("en", true, "a: [\n"), &mut diagnostics);
    assert_eq!(diagnostics.len(), 1);
    assert!(diagnostics[0].message.contains("not valid YAML"));
}

#[test]
fn site_keys_the_theme_lacks_are_warned_of_with_a_suggestion() {
    let files = [
        file("en", false, EN),
        file("en", true, "actor: \"People\"\n"),
    ];
    let mut diagnostics = Vec::new();
    let parsed: Vec<Parsed> = files.iter().map(|f| parse(f, &mut diagnostics)).collect();
    let found = unknown_keys(&parsed, parsed.first());
    assert_eq!(found.len(), 1);
    assert!(found[0].message.contains("`actor`"));
    assert!(found[0].help.as_deref().unwrap_or("").contains("actors"));
    assert_eq!(found[0].span, Some(0..5));
}
