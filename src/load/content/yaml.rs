//! YAML into typed front matter, and YAML errors into diagnostics an author can act
//! on: libyaml's syntax errors and serde's type errors reworded, placed in the
//! Markdown file (front-matter offset added), with hints for likely typos.

use std::ops::Range;

use serde::de::DeserializeOwned;

use super::locate::find_key;
use crate::diagnostics::{did_you_mean, Diagnostic};

/// Deserialises the YAML in `text[range]`. `top` is where errors about the whole
/// mapping point (a missing key): the front matter's opening `---`.
pub fn parse_yaml_at<M: DeserializeOwned>(
    path: &str,
    text: &str,
    range: &Range<usize>,
    top: Range<usize>,
    whole_file: bool,
) -> Result<M, Vec<Diagnostic>> {
    let yaml = text.get(range.clone()).unwrap_or("");
    // An empty front matter is an empty mapping (then: "missing required key").
    let source = if yaml.trim().is_empty() { "{}" } else { yaml };
    let frame = || Frame {
        path,
        text,
        range: range.clone(),
        top: top.clone(),
        whole_file,
    };
    // Only aliases expand, and only free-form values (`extra`) keep a repeated key
    // silently: other YAML needs no walk before the typed parse.
    let walk = source.contains('*') || source.contains("extra");
    if let Err(err) = if walk { within_budget(source) } else { Ok(()) } {
        // A syntax error found on the way is reported as such below.
        let message = err.to_string();
        if message.contains(TOO_LARGE) {
            return Err(vec![frame().too_large(&err)]);
        }
        // Free-form values (`extra`) would keep the last of two equal keys silently.
        if message.contains(DUPLICATE) {
            return Err(vec![frame().syntax(&err)]);
        }
    }
    match serde_yaml::from_str(source) {
        Ok(meta) => Ok(meta),
        Err(err) => {
            let at = Frame {
                path,
                text,
                range: if source == yaml {
                    range.clone()
                } else {
                    range.start..range.start
                },
                top,
                whole_file,
            };
            // serde stops at its first error, which may be a type error that comes
            // before a syntax error further down: report broken YAML as such. (A
            // number too large for any YAML value fails that check too, as a type.)
            let d = match serde_yaml::from_str::<serde_yaml::Value>(source) {
                Err(syntax) if !syntax.to_string().contains("invalid type: ") => at.syntax(&syntax),
                _ => at.typed(&err),
            };
            Err(vec![d])
        }
    }
}

/// How deep serde_yaml lets values nest (its fixed `remaining_depth`), the top
/// mapping counting as the first level: deeper, it stops with [`TOO_DEEP`].
const MAX_DEPTH: usize = 128;
/// serde_yaml's message when a value nests deeper than [`MAX_DEPTH`].
const TOO_DEEP: &str = "recursion limit exceeded";
/// How an expansion past the budget starts its message.
const TOO_LARGE: &str = "expands to more than";
/// How libyaml's loader says a mapping has a key twice; the walk says it the same way.
const DUPLICATE: &str = "duplicate entry with key ";

/// Walks the document as deserialising it would, aliases expanded, and fails once
/// it has met more values than the text could hold without aliases (two per byte,
/// and some room). YAML's aliases (`*name`) repeat the node an anchor (`&name`)
/// names: a few kilobytes of them can expand to gigabytes. The events are in memory
/// already (the text's size); only the walk repeats them, and it stops early.
fn within_budget(source: &str) -> Result<(), serde_yaml::Error> {
    use serde::de::DeserializeSeed;
    let budget = 2 * source.len() + 1_000;
    let seen = std::cell::Cell::new(0);
    for document in serde_yaml::Deserializer::from_str(source) {
        Walk {
            seen: &seen,
            budget,
        }
        .deserialize(document)?;
    }
    Ok(())
}

/// Counts the values of a document against a budget, keeping none of them.
#[derive(Clone, Copy)]
struct Walk<'a> {
    seen: &'a std::cell::Cell<usize>,
    budget: usize,
}

impl Walk<'_> {
    fn tick<E: serde::de::Error>(self) -> Result<(), E> {
        self.seen.set(self.seen.get() + 1);
        if self.seen.get() > self.budget {
            return Err(E::custom(format!("{TOO_LARGE} {} values", self.budget)));
        }
        Ok(())
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Walk<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Walk<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        self.tick()
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        self.tick()
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        self.tick()
    }
    fn visit_i128<E: serde::de::Error>(self, _: i128) -> Result<(), E> {
        self.tick()
    }
    fn visit_u128<E: serde::de::Error>(self, _: u128) -> Result<(), E> {
        self.tick()
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        self.tick()
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<(), E> {
        self.tick()
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.tick()
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        self.tick()
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.tick()?;
        while seq.next_element_seed(self)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.tick()?;
        let mut keys = std::collections::HashSet::new();
        while let Some(key) = map.next_key_seed(Key(self))? {
            if let Some(key) = key {
                if !keys.insert(key.clone()) {
                    return Err(serde::de::Error::custom(format!("{DUPLICATE}\"{key}\"")));
                }
            }
            map.next_value_seed(self)?;
        }
        Ok(())
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        use serde::de::VariantAccess;
        // A tagged value (`!tag value`): the tag, then the value.
        let (_, value) = data.variant_seed(self)?;
        value.newtype_variant_seed(self)
    }
}

/// A mapping's key: its text when it is a string, walked like any value.
struct Key<'a>(Walk<'a>);

impl<'de> serde::de::DeserializeSeed<'de> for Key<'_> {
    type Value = Option<String>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Key<'_> {
    type Value = Option<String>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Option<String>, E> {
        self.0.tick()?;
        Ok(Some(v.to_string()))
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Option<String>, E> {
        self.0.tick().map(|()| None)
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Option<String>, E> {
        self.0.tick().map(|()| Some(v.to_string()))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Option<String>, E> {
        self.0.tick().map(|()| Some(v.to_string()))
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Option<String>, E> {
        self.0.tick().map(|()| None)
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Option<String>, E> {
        self.0.tick().map(|()| None)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Option<String>, A::Error> {
        serde::de::Visitor::visit_seq(self.0, seq).map(|()| None)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Option<String>, A::Error> {
        serde::de::Visitor::visit_map(self.0, map).map(|()| None)
    }
}

/// Where the YAML sits: its file, the file's text and the YAML's byte range in it.
struct Frame<'a> {
    path: &'a str,
    text: &'a str,
    range: Range<usize>,
    top: Range<usize>,
    /// True for a YAML file of its own (`site.yaml`) rather than front matter.
    whole_file: bool,
}

impl Frame<'_> {
    fn offset(&self, err: &serde_yaml::Error) -> usize {
        let local = err.location().map_or(0, |l| l.index());
        (self.range.start + local).min(self.range.end.max(self.range.start))
    }

    /// Offset in the file of a 1-based line and column (in characters) of the YAML.
    fn offset_of(&self, line: usize, column: usize) -> usize {
        let yaml = &self.text[self.range.clone()];
        let mut start = 0;
        for _ in 1..line {
            match yaml[start..].find('\n') {
                Some(i) => start += i + 1,
                None => return self.range.end,
            }
        }
        let rest = &yaml[start..];
        let col = rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i);
        self.range.start + start + col
    }

    /// The indentation of the line holding `at`, when that line is indented more
    /// than the line above it and that line's key already has a value.
    fn over_indented(&self, at: usize) -> Option<Range<usize>> {
        let start = line_start(self.text, at);
        let indent = |line: &str| line.len() - line.trim_start_matches(' ').len();
        let line = &self.text[start..line_end(self.text, start)];
        let above = self.text[self.range.start..start.saturating_sub(1).max(self.range.start)]
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())?;
        let (_, value) = above.split_once(": ")?;
        (indent(line) > indent(above) && !value.trim().is_empty())
            .then(|| start..start + indent(line))
    }

    fn error(&self, message: impl Into<String>, span: Range<usize>) -> Diagnostic {
        Diagnostic::error(message).in_file(self.path).at(span)
    }

    /// A document whose aliases expand past the budget: at the first alias of the
    /// anchor whose value was being repeated when the walk stopped.
    fn too_large(&self, err: &serde_yaml::Error) -> Diagnostic {
        let yaml = &self.text[self.range.clone()];
        let local = self.offset(err) - self.range.start;
        let alias = yaml[..local.min(yaml.len())]
            .rfind('&')
            .map(|i| &yaml[i + 1..token_end(yaml, i + 1)])
            .and_then(|name| yaml.find(&format!("*{name}")))
            .or_else(|| yaml.find('*'))
            .map_or(self.range.start + local, |i| self.range.start + i);
        let raw = strip_location(&err.to_string());
        let (_, message) = split_path(&raw);
        self.error(
            format!("the YAML {message}: its aliases repeat too much"),
            alias..token_end(self.text, alias),
        )
        .label("this alias, with the others, repeats an anchored value too often")
        .help("write the values out, or repeat fewer of them: an alias (`*name`) copies what an anchor (`&name`) names")
    }

    /// Values nested past [`MAX_DEPTH`]: at the value that opens one level too many
    /// (not an unclosed bracket, which is what the parser's stop looks like).
    fn too_deep(&self, at: usize) -> Diagnostic {
        let opener = at..(at + 1).min(self.text.len()).max(at);
        self.error(
            format!("the YAML nests deeper than {MAX_DEPTH} levels"),
            opener,
        )
        .label(format!("level {} starts here", MAX_DEPTH + 1))
        .help(format!("flatten the data: lists and mappings may sit inside one another at most {MAX_DEPTH} levels deep"))
    }

    /// A libyaml syntax error: `<problem> at line L column C[, while <context> at line L column C]`.
    fn syntax(&self, err: &serde_yaml::Error) -> Diagnostic {
        let raw = err.to_string();
        let (problem, context) = match raw.split_once(", while ") {
            Some((p, c)) => (p, Some(c)),
            None => (raw.as_str(), None),
        };
        let problem = strip_location(problem);
        let at = self.offset(err);
        if problem == TOO_DEEP {
            return self.too_deep(at);
        }
        let here = at..token_end(self.text, at);
        let context_at = context.and_then(|c| {
            let (_, place) = c.split_once(" at line ")?;
            let (line, column) = place.split_once(" column ")?;
            Some(self.offset_of(line.trim().parse().ok()?, column.trim().parse().ok()?))
        });
        let context = context.map(strip_location).unwrap_or_default();
        let opener = |c: usize| c..(c + 1).min(self.text.len());

        if context.starts_with("scanning a quoted scalar") {
            if let Some(c) = context_at {
                let quote = self.text[c..].chars().next().unwrap_or('"');
                return self
                    .error("invalid YAML: a quoted value is not closed", opener(c))
                    .label("this quote is never closed")
                    .help(format!(
                        "end the value with `{quote}` on the same line, or remove the opening quote"
                    ));
            }
        }
        for (what, open, close) in [
            ("parsing a flow sequence", '[', ']'),
            ("parsing a flow mapping", '{', '}'),
        ] {
            if context.starts_with(what) {
                if let Some(c) = context_at {
                    let kind = if open == '[' { "list" } else { "mapping" };
                    return self
                        .error(
                            format!("invalid YAML: a {kind} opened with `{open}` is not closed"),
                            opener(c),
                        )
                        .label(format!("this `{open}` has no matching `{close}`"))
                        .help(format!(
                            "close it with `{close}` on the same line, separating items with `,`; \
                             quote values that contain `,`, `[` or `{{`"
                        ));
                }
            }
        }
        // A quote left open on an earlier line swallows the lines after it, and
        // libyaml then complains far below: point at the quote instead.
        if let Some(q) = unclosed_quote(self.text, self.range.start..line_start(self.text, at)) {
            let quote = self.text[q..].chars().next().unwrap_or('"');
            return self
                .error("invalid YAML: a quoted value is not closed", opener(q))
                .label("this quote is not closed on its line")
                .help(format!(
                    "end the value with `{quote}` on the same line, or remove the opening quote"
                ))
                .note(format!(
                    "the YAML parser then stopped further down: {problem}"
                ));
        }
        if problem.starts_with("mapping values are not allowed") {
            if let Some(line) = self.over_indented(at) {
                return self
                    .error("invalid YAML: this line is indented more than the key above it", line)
                    .label("unexpected indentation")
                    .help("keys of one mapping line up at the same indentation; only the lines under a key with no value of its own are indented more");
            }
            return self
                .error("invalid YAML: unexpected `:` in a value", opener(at))
                .label("YAML reads `: ` as the start of another key")
                .help("put the whole value in quotes, e.g. `role: \"Minister: foreign affairs\"`");
        }
        if problem.contains("tab") {
            return self
                .error(
                    "invalid YAML: a tab character in the indentation",
                    opener(at),
                )
                .label("tab")
                .help("indent with spaces, not tabs");
        }
        if problem.starts_with("found character that cannot start any token") {
            let c = self.text[at.min(self.text.len())..]
                .chars()
                .next()
                .unwrap_or(' ');
            return self
                .error(
                    format!("invalid YAML: a value cannot start with `{c}`"),
                    at..at + c.len_utf8(),
                )
                .label("not allowed here")
                .help("put the whole value in quotes, e.g. `key: \"@handle\"`");
        }
        if problem.starts_with("unknown anchor") {
            return self
                .error("invalid YAML: a value cannot start with `*`", opener(at))
                .label("YAML reads `*` as a reference to an anchor")
                .help("put the whole value in quotes, e.g. `key: \"*note\"`");
        }
        if let Some((_, rest)) = problem.split_once(DUPLICATE) {
            let key = rest.trim_matches('"');
            let span = find_key(self.text, &self.range, key, 1).unwrap_or(here);
            return self
                .error(format!("the key `{key}` appears twice"), span)
                .label("second time")
                .help("keep only one of the two");
        }
        if let Some((b, open)) = unclosed_bracket(self.text, self.range.start..at) {
            let (kind, close) = if open == '[' {
                ("list", ']')
            } else {
                ("mapping", '}')
            };
            return self
                .error(
                    format!("invalid YAML: a {kind} opened with `{open}` is not closed"),
                    opener(b),
                )
                .label(format!("this `{open}` has no matching `{close}`"))
                .help(format!("close it with `{close}`"))
                .note(format!("the YAML parser stopped further down: {problem}"));
        }
        let mut d = self
            .error(format!("invalid YAML: {problem}"), here)
            .help("check the indentation and the quotes on this line and the line before: keys of one mapping line up, list items start with `- `");
        if !context.is_empty() {
            d = d.note(format!("the YAML parser stopped while {context}"));
        }
        d
    }

    /// A serde error: `[<path>: ]<message>[ at line L column C]`.
    fn typed(&self, err: &serde_yaml::Error) -> Diagnostic {
        let raw = strip_location(&err.to_string());
        let (path, message) = split_path(&raw);
        let at = self.offset(err);
        let place = describe(path);
        let in_place = place
            .as_deref()
            .map(|p| format!(" in {p}"))
            .unwrap_or_default();

        if let Some(rest) = message.strip_prefix("unknown field ") {
            let (wanted, expected) = split_expected(rest);
            let end = self.text[at..]
                .find([':', '\n', ',', '}'])
                .map_or(self.text.len(), |i| at + i);
            let span = at..(end.max(at + 1)).min(self.text.len());
            return self
                .error(format!("unknown key `{wanted}`{in_place}"), span)
                .label("unknown key")
                .help_opt(
                    did_you_mean(&wanted, expected.iter().map(String::as_str)).or_else(|| {
                        Some(format!(
                            "the keys allowed here are {}; put free-form data under `extra:`",
                            quoted_list(&expected)
                        ))
                    }),
                );
        }
        if let Some(rest) = message.strip_prefix("missing field ") {
            let key = rest.trim_matches('`');
            let (span, label) = match &place {
                None if self.whole_file => (self.top.clone(), "this file".to_string()),
                None => (self.top.clone(), "this front matter".to_string()),
                Some(p) => (at..line_end(self.text, at), p.clone()),
            };
            return self
                .error(format!("missing required key `{key}`{in_place}"), span)
                .label(format!("{label} has no `{key}`"))
                .help(format!("add `{key}: ...`"));
        }
        let field = place.as_deref().unwrap_or("the front matter");
        let value_span = at..token_end(self.text, at);
        if let Some(rest) = message.strip_prefix("unknown variant ") {
            let (wanted, expected) = split_expected(rest);
            return self
                .error(format!("unknown value `{wanted}` for {field}"), value_span)
                .label("unknown value")
                .help_opt(
                    did_you_mean(&wanted, expected.iter().map(String::as_str))
                        .or_else(|| Some(format!("use one of {}", quoted_list(&expected)))),
                );
        }
        if message.ends_with(super::model::NEVER_A_LINK) {
            return self
                .error(format!("{message}{in_place}"), value_span)
                .label("this link would run code or carry hidden content when clicked")
                .help("link to a web address (`https://...`); a script or inline data belongs in raw HTML in the body (see docs/content.md)");
        }
        if let Some(d) = self.out_of_range(message, field, value_span.clone()) {
            return d;
        }
        if let Some(rest) = message.strip_prefix("invalid type: ") {
            let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "?"));
            let expected = describe_expected(expected);
            let help = if expected.starts_with("a list") {
                "write a list as `[a, b]` or as lines starting with `- `"
            } else if expected.starts_with("a mapping") {
                "write a mapping as `{key: value}` or as indented `key: value` lines"
            } else if expected.starts_with("a date") {
                "write dates as `2024`, `2024-05` or `2024-05-30`"
            } else {
                "check the value: put text in quotes if it looks like a number, a list or a mapping"
            };
            return self
                .error(
                    format!("{field} must be {expected}, not {}", describe_found(found)),
                    value_span,
                )
                .label(format!("expected {expected}"))
                .help(help);
        }
        if let Some(rest) = message.strip_prefix("invalid date ") {
            // `invalid date `2024-13-45`: the month must be 01 to 12`
            let (value, why) = rest.split_once(": ").unwrap_or((rest, "not a date"));
            let d = self.error(
                format!("invalid date {value} for {field}: {why}"),
                value_span,
            );
            return if why.starts_with("expected") {
                d.label("not a date")
                    .help("write dates as `2024`, `2024-05` or `2024-05-30`")
            } else {
                d.label("no such day").help("check the month and the day")
            };
        }
        if let Some(rest) = message.strip_prefix("duplicate field ") {
            let key = rest.trim_matches('`');
            let span = find_key(self.text, &self.range, key, 1).unwrap_or(value_span);
            return self
                .error(format!("the key `{key}` appears twice{in_place}"), span)
                .label("second time")
                .help("keep only one of the two");
        }
        self.error(
            match &place {
                Some(p) => format!("{message} (in {p})"),
                None => message.to_string(),
            },
            value_span,
        )
    }

    /// A whole number too large for its key, or for any YAML value (serde then says
    /// `as u128`): the range allowed, in numbers.
    fn out_of_range(&self, message: &str, field: &str, span: Range<usize>) -> Option<Diagnostic> {
        // `extra` holds JSON values, whose reader words it so.
        let json = (message == "JSON number out of range").then_some(("integer ", "any value"));
        let (found, expected) = match json {
            Some(pair) => pair,
            None => message
                .strip_prefix("invalid type: ")?
                .split_once(", expected ")?,
        };
        let written = self.text.get(span.clone())?.trim();
        // Past u128, YAML reads the digits as a float; the text is still a whole number.
        let whole = found.starts_with("integer ")
            || found.starts_with("floating point ") && is_whole_number(written);
        if !whole {
            return None;
        }
        let d = match whole_number_range(expected) {
            Some((min, max)) => self
                .error(
                    format!("{field} must be a whole number from {min} to {max}, not {written}"),
                    span,
                )
                .help(if field == "`weight`" {
                    "use a smaller number: weights only order pages, so 1, 2, 3 (or 10, 20, 30) will do"
                } else {
                    "use a number in that range"
                }),
            // A free-form value (`extra`): YAML's own whole numbers.
            None if expected.starts_with("any ") => self
                .error(
                    format!(
                        "the number {written} in {field} is out of range: whole numbers run from {} to {}",
                        i64::MIN,
                        u64::MAX
                    ),
                    span,
                )
                .help(format!("to keep the number as it is written, quote it: `\"{written}\"`")),
            None => return None,
        };
        Some(d.label("out of range"))
    }
}

/// The smallest and largest value of the integer type serde names (`i64`).
fn whole_number_range(expected: &str) -> Option<(String, String)> {
    let (min, max): (i128, u128) = match expected.trim() {
        "i32" => (i32::MIN.into(), i32::MAX as u128),
        "i64" => (i64::MIN.into(), i64::MAX as u128),
        "u8" => (0, u8::MAX.into()),
        "u16" => (0, u16::MAX.into()),
        "u32" => (0, u32::MAX.into()),
        "u64" | "usize" => (0, u64::MAX.into()),
        _ => return None,
    };
    Some((min.to_string(), max.to_string()))
}

/// `123`, `-45`, `+6`: digits with an optional sign.
fn is_whole_number(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// serde_yaml appends ` at line L column C`; diagnostics show the place themselves.
fn strip_location(message: &str) -> String {
    let message = match message.find(" at line ") {
        Some(i) => &message[..i],
        None => message,
    };
    message.trim_end_matches(':').to_string()
}

/// `stances[1]: missing field `date`` -> (Some("stances[1]"), "missing field `date`").
fn split_path(message: &str) -> (Option<&str>, &str) {
    match message.split_once(": ") {
        Some((path, rest))
            if !path.is_empty()
                && !path.contains(char::is_whitespace)
                && !path.contains('`')
                && path != "invalid type" =>
        {
            (Some(path), rest)
        }
        _ => (None, message),
    }
}

/// A serde path in words: `kind` -> "`kind`", `stances[1]` -> "stance 2",
/// `stances[1].source.date` -> "`source.date` of stance 2".
fn describe(path: Option<&str>) -> Option<String> {
    let path = path.filter(|p| *p != ".")?;
    let segments: Vec<&str> = path.split('.').collect();
    let last_item = segments.iter().rposition(|s| s.ends_with(']'));
    let Some(i) = last_item else {
        return Some(format!("`{path}`"));
    };
    let (list, index) = segments[i].split_once('[')?;
    let n: usize = index.trim_end_matches(']').parse().ok()?;
    let item = match list {
        "stances" => format!("stance {}", n + 1),
        "positions" => format!("position {}", n + 1),
        "links" => format!("link {}", n + 1),
        _ => format!("item {} of `{list}`", n + 1),
    };
    let rest = segments[i + 1..].join(".");
    if rest.is_empty() {
        Some(item)
    } else {
        Some(format!("`{rest}` of {item}"))
    }
}

fn describe_expected(expected: &str) -> String {
    let e = expected.trim();
    if e.starts_with("a sequence") {
        "a list".into()
    } else if e.starts_with("a map") || e.starts_with("struct ") {
        "a mapping of keys to values".into()
    } else if e.starts_with("a string") {
        "text".into()
    } else if e == "a boolean" {
        "`true` or `false`".into()
    } else if e.starts_with('i') || e.starts_with('u') {
        "a whole number".into()
    } else if e.starts_with("a date") {
        "a date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`)".into()
    } else {
        e.to_string()
    }
}

fn describe_found(found: &str) -> String {
    let f = found.trim();
    if let Some(s) = f.strip_prefix("string ") {
        format!("the text {s}")
    } else if f.starts_with("sequence") {
        "a list".into()
    } else if f.starts_with("map") {
        "a mapping".into()
    } else if f == "unit value" {
        "an empty value".into()
    } else if let Some(n) = f
        .strip_prefix("integer ")
        .or_else(|| f.strip_prefix("floating point "))
    {
        format!("the number {}", n.trim_matches('`'))
    } else if let Some(b) = f.strip_prefix("boolean ") {
        b.to_string()
    } else {
        f.to_string()
    }
}

/// "`nmae`, expected one of `name`, `kind`" -> ("nmae", ["name", "kind"]).
fn split_expected(rest: &str) -> (String, Vec<String>) {
    let mut pieces = rest.split('`').skip(1).step_by(2).map(str::to_string);
    let wanted = pieces.next().unwrap_or_default();
    (wanted, pieces.collect())
}

fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn line_start(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// The first value in `range` that opens a quote and does not close it on its line.
fn unclosed_quote(text: &str, range: Range<usize>) -> Option<usize> {
    let mut pos = range.start;
    for line in text.get(range)?.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let trimmed = line.trim_start_matches([' ', '-']);
        // The value after `key:`, or a list item's value.
        let value_at = match trimmed.find(": ") {
            Some(i) if !trimmed[..i].contains(['"', '\'']) => i + 2,
            _ if line.trim_start().starts_with("- ") => 0,
            _ => continue,
        };
        let value = trimmed[value_at..].trim_start();
        let Some(quote) = value.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let quote_at = start + (line.len() - value.len());
        let rest = value[1..].trim_end();
        let closed = if quote == '"' {
            let mut escaped = false;
            rest.chars().any(|c| {
                let end = c == '"' && !escaped;
                escaped = c == '\\' && !escaped;
                end
            })
        } else {
            // `''` is an escaped quote inside single quotes.
            rest.replace("''", "").contains('\'')
        };
        if !closed {
            return Some(quote_at);
        }
    }
    None
}

/// The first `[` or `{` in `range` that is never closed (quotes skipped).
fn unclosed_bracket(text: &str, range: Range<usize>) -> Option<(usize, char)> {
    let mut open: Vec<(usize, char)> = Vec::new();
    let mut quote: Option<char> = None;
    for (i, c) in text.get(range.clone())?.char_indices() {
        match (quote, c) {
            (Some('"'), '"') | (Some('\''), '\'') => quote = None,
            (Some(_), '\n') => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if open.is_empty() => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => open.push((range.start + i, c)),
            (None, ']' | '}') => {
                open.pop();
            }
            _ => {}
        }
    }
    open.first().copied()
}

fn line_end(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text[offset..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| offset + i)
        .max(offset)
}

/// End of the value starting at `offset`: a quoted string, a `[...]` or `{...}` on
/// its line, or a plain value up to the end of the line or the next `,` `]` `}`.
fn token_end(text: &str, offset: usize) -> usize {
    let mut start = offset.min(text.len());
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    let line = &text[start..line_end(text, start)];
    let len = match line.chars().next() {
        Some(q @ ('"' | '\'')) => line[1..].find(q).map_or(line.len(), |i| i + 2),
        Some(open @ ('[' | '{')) => {
            let close = if open == '[' { ']' } else { '}' };
            line.find(close).map_or(line.len(), |i| i + 1)
        }
        _ => line.find([',', ']', '}']).unwrap_or(line.len()),
    };
    let token = line[..len].trim_end();
    start + token.len().max(1).min(text.len() - start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alias_bomb_is_refused_at_its_alias() {
        let anchor = vec!["x"; 200].join(",");
        let aliases = vec!["*a"; 300].join(",");
        let text = format!("---\ntitle: Home\nextra:\n  a: &a [{anchor}]\n  b: [{aliases}]\n---\n");
        let range = 4..text.len() - 4;
        let err = parse_yaml_at::<serde_yaml::Value>("content/x.md", &text, &range, 0..3, false)
            .unwrap_err();
        assert!(
            err[0].message.contains("aliases repeat too much"),
            "{:?}",
            err[0]
        );
        let span = err[0].span.clone().unwrap();
        assert_eq!(&text[span.start..span.start + 2], "*a");
        assert_eq!(crate::diagnostics::line_col(&text, span.start).0, 5);
        // A few aliases are fine.
        let ok = "---\na: &a [1, 2]\nb: [*a, *a]\n---\n";
        assert!(
            parse_yaml_at::<serde_yaml::Value>("x", ok, &(4..ok.len() - 4), 0..3, false).is_ok()
        );
    }

    #[test]
    fn a_key_twice_under_extra_is_an_error_at_the_second() {
        let text = "---\ntitle: T\nextra:\n  color: red\n  color: blue\n---\n";
        let range = 4..text.len() - 4;
        let err = parse_yaml_at::<serde_yaml::Value>("content/x.md", text, &range, 0..3, false)
            .unwrap_err();
        assert_eq!(err[0].message, "the key `color` appears twice");
        let span = err[0].span.clone().unwrap();
        assert_eq!(crate::diagnostics::line_col(text, span.start), (5, 3));
    }

    fn front_matter_error(yaml: &str) -> (String, Diagnostic) {
        let text = format!("---\n{yaml}---\n");
        let range = 4..text.len() - 4;
        let mut err = parse_yaml_at::<crate::load::content::PageMeta>(
            "content/x.md",
            &text,
            &range,
            0..3,
            false,
        )
        .unwrap_err();
        (text, err.remove(0))
    }

    #[test]
    fn nesting_past_the_limit_is_reported_where_it_is_crossed() {
        // The top mapping and `extra` are two levels: 126 lists reach the limit.
        let nested = |lists: usize| {
            format!(
                "title: T\nextra:\n  a: {}{}\n",
                "[".repeat(lists),
                "]".repeat(lists)
            )
        };
        let text = format!("---\n{}---\n", nested(MAX_DEPTH - 2));
        let range = 4..text.len() - 4;
        assert!(
            parse_yaml_at::<crate::load::content::PageMeta>("x", &text, &range, 0..3, false)
                .is_ok()
        );
        let (text, d) = front_matter_error(&nested(MAX_DEPTH + 20));
        assert_eq!(d.message, "the YAML nests deeper than 128 levels");
        let at = d.span.unwrap().start;
        // At the list that opens level 129: the 127th `[`.
        assert_eq!(
            crate::diagnostics::line_col(&text, at),
            (4, 6 + MAX_DEPTH - 2)
        );
        // Block mappings count the same way.
        let block: String = (1..=MAX_DEPTH + 5)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect();
        let (_, d) = front_matter_error(&format!("title: T\nextra:\n{block}"));
        assert_eq!(d.message, "the YAML nests deeper than 128 levels");
    }

    #[test]
    fn numbers_out_of_range_say_the_range() {
        for (value, written) in [
            ("99999999999999999999999", "99999999999999999999999"),
            ("-99999999999999999999999", "-99999999999999999999999"),
            ("9223372036854775808", "9223372036854775808"),
            (
                "1000000000000000000000000000000000000000000",
                "1000000000000000000000000000000000000000000",
            ),
        ] {
            let (text, d) = front_matter_error(&format!("title: T\nweight: {value}\n"));
            assert_eq!(
                d.message,
                format!("`weight` must be a whole number from -9223372036854775808 to 9223372036854775807, not {written}")
            );
            assert_eq!(&text[d.span.unwrap()], value);
        }
        let (text, d) = front_matter_error("title: T\nextra: {n: 99999999999999999999999}\n");
        assert!(
            d.message
                .starts_with("the number 99999999999999999999999 in `extra.n` is out of range"),
            "{d:?}"
        );
        assert_eq!(&text[d.span.unwrap()], "99999999999999999999999");
        assert!(d.help.unwrap().contains("quote it"));
        // Not whole numbers: the usual type error.
        let (_, d) = front_matter_error("title: T\nweight: 1.5\n");
        assert_eq!(
            d.message,
            "`weight` must be a whole number, not the number 1.5"
        );
    }

    #[test]
    fn code_running_urls_in_front_matter_are_refused_at_the_value() {
        let text =
            "---\nname: N\nkind: group\nlinks:\n  - {title: x, url: \"vbscript:msgbox\"}\n---\n";
        let range = 4..text.len() - 4;
        let err = parse_yaml_at::<crate::load::content::ActorMeta>(
            "content/actors/n.md",
            text,
            &range,
            0..3,
            false,
        )
        .unwrap_err();
        assert_eq!(
            err[0].message,
            "a `vbscript:` URL is never written as a link in `url` of link 1"
        );
        assert_eq!(&text[err[0].span.clone().unwrap()], "\"vbscript:msgbox\"");
    }

    #[test]
    fn paths_in_words() {
        assert_eq!(describe(Some(".")), None);
        assert_eq!(describe(Some("kind")).as_deref(), Some("`kind`"));
        assert_eq!(describe(Some("stances[1]")).as_deref(), Some("stance 2"));
        assert_eq!(
            describe(Some("stances[0].source.date")).as_deref(),
            Some("`source.date` of stance 1")
        );
        assert_eq!(
            describe(Some("extra.items[2]")).as_deref(),
            Some("item 3 of `items`")
        );
    }

    #[test]
    fn tokens_end_where_values_end() {
        let text = "a: [1, 2] # c\nb: \"x, y\"\nc: plain, more\n";
        assert_eq!(&text[3..token_end(text, 3)], "[1, 2]");
        assert_eq!(&text[17..token_end(text, 17)], "\"x, y\"");
        assert_eq!(&text[27..token_end(text, 27)], "plain");
        assert_eq!(token_end("", 0), 0);
    }
}
