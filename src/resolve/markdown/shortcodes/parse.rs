//! The shortcode syntax, Zola's: `{{ name(arg=value, ...) }}`, the body form
//! `{% name(...) %}body{% end %}`, and `{{/* ... */}}` (or `{%/* ... */%}`) for
//! writing one literally. Values are strings in double or single quotes, integers,
//! `true`/`false`, and lists of those. The scanner only reads: what a call means is
//! checked in `check`.

use std::ops::Range;

use crate::diagnostics::Diagnostic;

/// A value as written, with its place (relative to the scanned text).
#[derive(Debug, Clone, PartialEq)]
pub enum ArgValue {
    Str(String),
    Int(i64),
    Bool(bool),
    List(Vec<(ArgValue, Range<usize>)>),
}

impl ArgValue {
    /// What the value is, for messages: `a string`, `a list`.
    pub fn kind(&self) -> &'static str {
        match self {
            ArgValue::Str(_) => "a string",
            ArgValue::Int(_) => "an integer",
            ArgValue::Bool(_) => "a boolean",
            ArgValue::List(_) => "a list",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    pub name: String,
    pub name_span: Range<usize>,
    pub value: ArgValue,
    pub span: Range<usize>,
}

/// One shortcode call.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub name: String,
    pub name_span: Range<usize>,
    pub args: Vec<Arg>,
    /// The text between `%}` and `{% end %}` of the body form.
    pub body: Option<Range<usize>>,
    /// From `{{` or `{%` to the closing `}}` or `{% end %}`.
    pub span: Range<usize>,
}

impl Call {
    /// The place of the value of the argument `name`, when given.
    pub fn arg_span(&self, name: &str) -> Option<Range<usize>> {
        self.args
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.span.clone())
    }
}

/// What the scanner found.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    Call(Call),
    /// `{{/* x */}}`: to be written as `{{ x }}`.
    Literal {
        text: String,
        span: Range<usize>,
    },
}

impl Found {
    pub fn span(&self) -> &Range<usize> {
        match self {
            Found::Call(c) => &c.span,
            Found::Literal { span, .. } => span,
        }
    }
}

/// Lists nest at most this deep: nothing needs more, and a hostile `[[[[...` must
/// not recurse without end.
const MAX_DEPTH: usize = 4;

/// The shortcodes of `text`, outside the byte ranges `code` (sorted), with the
/// errors of the malformed ones. Spans are offsets into `text` plus `base`.
pub fn scan(text: &str, base: usize, code: &[Range<usize>]) -> (Vec<Found>, Vec<Diagnostic>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let marks = Landmarks::of(text, code);
    let mut at = 0;
    while let Some(i) = next_opening(text, at) {
        if in_ranges(code, i) {
            at = i + 2;
            continue;
        }
        let mut p = Parser {
            text,
            pos: i + 2,
            base,
        };
        let body_form = text[i..].starts_with("{%");
        match p.shortcode(i, body_form, &marks) {
            Ok(Some(f)) => {
                at = f.span().end - base;
                found.push(f);
            }
            Ok(None) => at = i + 2,
            Err(e) => {
                errors.push(e);
                at = p.pos.max(i + 2);
            }
        }
    }
    (found, errors)
}

/// Where the closing parts of a text are, found once: a text of many unclosed
/// `{% x() %}` or `{{/*` must not be searched to its end for each of them.
struct Landmarks {
    /// (start, end) of each `{% end %}` outside code, in order.
    ends: Vec<(usize, usize)>,
    /// The start of each `*/`, in order.
    closes: Vec<usize>,
}

impl Landmarks {
    fn of(text: &str, code: &[Range<usize>]) -> Landmarks {
        let mut ends = Vec::new();
        for (open, _) in text.match_indices("{%") {
            if in_ranges(code, open) {
                continue;
            }
            let rest = text[open + 2..].trim_start();
            let Some(after) = rest.strip_prefix("end").map(str::trim_start) else {
                continue;
            };
            if let Some(after_close) = after.strip_prefix("%}") {
                ends.push((open, text.len() - after_close.len()));
            }
        }
        let closes = text.match_indices("*/").map(|(k, _)| k).collect();
        Landmarks { ends, closes }
    }

    /// The first `{% end %}` at or after `from`: the body's range and its end.
    fn end_after(&self, from: usize) -> Option<(Range<usize>, usize)> {
        let k = self.ends.partition_point(|&(open, _)| open < from);
        self.ends.get(k).map(|&(open, end)| (from..open, end))
    }

    /// The first `*/` at or after `from`.
    fn close_after(&self, from: usize) -> Option<usize> {
        let k = self.closes.partition_point(|&c| c < from);
        self.closes.get(k).copied()
    }
}

/// The next `{{` or `{%` at or after `from`.
fn next_opening(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = from;
    while let Some(k) = text.get(i..)?.find('{') {
        let j = i + k;
        if matches!(bytes.get(j + 1), Some(b'{' | b'%')) {
            return Some(j);
        }
        i = j + 1;
    }
    None
}

fn in_ranges(ranges: &[Range<usize>], at: usize) -> bool {
    let k = ranges.partition_point(|r| r.end <= at);
    ranges.get(k).is_some_and(|r| r.start <= at)
}

struct Parser<'t> {
    text: &'t str,
    pos: usize,
    base: usize,
}

type Parsed<T> = Result<T, Diagnostic>;

impl<'t> Parser<'t> {
    fn rest(&self) -> &'t str {
        &self.text[self.pos..]
    }

    fn at(&self, range: Range<usize>) -> Range<usize> {
        self.base + range.start..self.base + range.end
    }

    fn error(&self, message: impl Into<String>, range: Range<usize>) -> Diagnostic {
        Diagnostic::error(message).at(self.at(range))
    }

    fn skip_space(&mut self) {
        let rest = self.rest();
        self.pos += rest.len() - rest.trim_start().len();
    }

    fn eat(&mut self, s: &str) -> bool {
        if self.rest().starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    fn ident(&mut self) -> Option<Range<usize>> {
        let start = self.pos;
        let len = self
            .rest()
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-')
            .count();
        let first = self.rest().bytes().next()?;
        if len == 0 || !(first.is_ascii_alphabetic() || first == b'_') {
            return None;
        }
        self.pos += len;
        Some(start..self.pos)
    }

    /// A shortcode opened at `open`, `{%` when `body_form`; `None` when the
    /// braces start no shortcode (`{{ x }}` in prose stays text).
    fn shortcode(
        &mut self,
        open: usize,
        body_form: bool,
        marks: &Landmarks,
    ) -> Parsed<Option<Found>> {
        let close = if body_form { "%}" } else { "}}" };
        self.skip_space();
        if self.eat("/*") {
            return Ok(self.literal(open, body_form, marks));
        }
        let Some(name) = self.ident() else {
            return Ok(None);
        };
        self.skip_space();
        let name_text = &self.text[name.clone()];
        if body_form && name_text == "end" && self.rest().starts_with(close) {
            return Err(self
                .error(
                    "`{% end %}` without a shortcode to close",
                    open..self.pos + 2,
                )
                .label("no `{% name(...) %}` is open here")
                .help("remove it, or open the body with `{% name(...) %}` before it"));
        }
        if !self.eat("(") {
            return Ok(None);
        }
        let args = self.args()?;
        self.skip_space();
        if !self.eat(close) {
            let here = self.pos..self.pos + self.rest().chars().next().map_or(0, char::len_utf8);
            return Err(self
                .error(
                    format!("expected `{close}` to close the shortcode `{name_text}`"),
                    here,
                )
                .label(format!("`{close}` expected here")));
        }
        let mut call = Call {
            name: name_text.to_string(),
            name_span: self.at(name),
            args,
            body: None,
            span: self.at(open..self.pos),
        };
        if body_form {
            let Some((body, end)) = marks.end_after(self.pos) else {
                let mut e = self
                    .error(
                        format!("`{{% {name_text}(...) %}}` has no `{{% end %}}`"),
                        open..self.pos,
                    )
                    .label("the body opened here is never closed");
                e = e.help("end the body with `{% end %}`; a shortcode without a body is written `{{ name(...) }}`");
                return Err(e);
            };
            call.body = Some(self.at(body));
            call.span = self.at(open..end);
            self.pos = end;
        }
        Ok(Some(Found::Call(call)))
    }

    /// `{{/* x */}}` after the `/*`: `None` when it is not closed as one.
    fn literal(&mut self, open: usize, body_form: bool, marks: &Landmarks) -> Option<Found> {
        let (l, r) = if body_form {
            ("{%", "%}")
        } else {
            ("{{", "}}")
        };
        let rest = self.rest();
        let k = marks.close_after(self.pos)? - self.pos;
        let after_star = &rest[k + 2..];
        let trimmed = after_star.trim_start();
        if !trimmed.starts_with(r) {
            return None;
        }
        let inner = &rest[..k];
        let after = self.pos + k + 2 + (after_star.len() - trimmed.len()) + 2;
        let text = format!("{l}{inner}{r}");
        self.pos = after;
        Some(Found::Literal {
            text,
            span: self.at(open..after),
        })
    }

    /// Arguments up to and including the closing `)`.
    fn args(&mut self) -> Parsed<Vec<Arg>> {
        let mut args = Vec::new();
        loop {
            self.skip_space();
            if self.eat(")") {
                return Ok(args);
            }
            let Some(name) = self.ident() else {
                let here =
                    self.pos..self.pos + self.rest().chars().next().map_or(0, char::len_utf8);
                return Err(self
                    .error("expected an argument name or `)`", here)
                    .label("arguments are named: `name=value`"));
            };
            self.skip_space();
            if !self.eat("=") {
                let here =
                    self.pos..self.pos + self.rest().chars().next().map_or(0, char::len_utf8);
                return Err(self
                    .error(
                        format!(
                            "expected `=` after the argument `{}`",
                            &self.text[name.clone()]
                        ),
                        here,
                    )
                    .label("`=` expected here"));
            }
            self.skip_space();
            let start = self.pos;
            let value = self.value(0)?;
            args.push(Arg {
                name: self.text[name.clone()].to_string(),
                name_span: self.at(name),
                value,
                span: self.at(start..self.pos),
            });
            self.skip_space();
            if self.eat(",") {
                continue;
            }
            if self.eat(")") {
                return Ok(args);
            }
            let here = self.pos..self.pos + self.rest().chars().next().map_or(0, char::len_utf8);
            return Err(self
                .error("expected `,` or `)` after an argument", here)
                .label("`,` or `)` expected here"));
        }
    }

    fn value(&mut self, depth: usize) -> Parsed<ArgValue> {
        let start = self.pos;
        let rest = self.rest();
        if rest.starts_with('"') || rest.starts_with('\'') {
            return self.string();
        }
        if rest.starts_with('[') {
            if depth >= MAX_DEPTH {
                return Err(self
                    .error("lists nest too deep", start..start + 1)
                    .label(format!("at most {MAX_DEPTH} levels")));
            }
            return self.list(depth);
        }
        for (word, b) in [("true", true), ("false", false)] {
            if rest.starts_with(word)
                && !rest[word.len()..].starts_with(|c: char| c.is_ascii_alphanumeric())
            {
                self.pos += word.len();
                return Ok(ArgValue::Bool(b));
            }
        }
        let len = rest
            .char_indices()
            .take_while(|&(k, c)| c.is_ascii_digit() || (k == 0 && c == '-'))
            .count();
        if len > 0 {
            let digits = &rest[..len];
            self.pos += len;
            return digits.parse().map(ArgValue::Int).map_err(|_| {
                self.error(
                    format!("`{digits}` is not an integer shortcodes can take"),
                    start..self.pos,
                )
                .label("expected a whole number")
            });
        }
        let end = start + rest.chars().next().map_or(0, char::len_utf8);
        Err(self
            .error("expected a value", start..end)
            .label("a value is a string in quotes, an integer, `true`, `false` or a list `[...]`"))
    }

    fn string(&mut self) -> Parsed<ArgValue> {
        let start = self.pos;
        let quote = self.rest().chars().next().unwrap_or('"');
        self.pos += 1;
        let mut out = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((k, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, e)) if e == quote || e == '\\' => out.push(e),
                    Some((_, 'n')) => out.push('\n'),
                    Some((_, e)) => {
                        out.push('\\');
                        out.push(e);
                    }
                    None => break,
                },
                c if c == quote => {
                    self.pos += k + 1;
                    return Ok(ArgValue::Str(out));
                }
                c => out.push(c),
            }
        }
        Err(self
            .error("this string is never closed", start..start + 1)
            .label(format!("no closing {quote} after this"))
            .help(format!(
                "end the string with {quote}; write \\{quote} for a {quote} inside it"
            )))
    }

    fn list(&mut self, depth: usize) -> Parsed<ArgValue> {
        let open = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_space();
            if self.eat("]") {
                return Ok(ArgValue::List(items));
            }
            let start = self.pos;
            let v = self.value(depth + 1)?;
            items.push((v, self.at(start..self.pos)));
            self.skip_space();
            if self.eat(",") {
                continue;
            }
            if self.eat("]") {
                return Ok(ArgValue::List(items));
            }
            return Err(self
                .error("this list is never closed", open..open + 1)
                .label("expected `,` or `]` after an item"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Found {
        let (found, errors) = scan(text, 0, &[]);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(found.len(), 1, "{found:?}");
        found.into_iter().next().unwrap()
    }

    fn error(text: &str) -> Diagnostic {
        let (_, errors) = scan(text, 0, &[]);
        assert_eq!(errors.len(), 1, "{errors:?}");
        errors.into_iter().next().unwrap()
    }

    #[test]
    fn reads_every_kind_of_value() {
        let text = r#"a {{ m(s="x \"y\"", t='it\'s', n=-12, b=true, l=["a", 2, [false]]) }} b"#;
        let Found::Call(c) = one(text) else { panic!() };
        assert_eq!(c.name, "m");
        let values: Vec<_> = c
            .args
            .iter()
            .map(|a| (a.name.as_str(), a.value.clone()))
            .collect();
        assert_eq!(values[0], ("s", ArgValue::Str("x \"y\"".into())));
        assert_eq!(values[2], ("n", ArgValue::Int(-12)));
        assert_eq!(values[3], ("b", ArgValue::Bool(true)));
        let ArgValue::List(items) = &values[4].1 else {
            panic!()
        };
        assert_eq!(items.len(), 3);
        assert_eq!(values[1], ("t", ArgValue::Str("it's".into())));
        assert_eq!(c.span, 2..text.len() - 2);
    }

    #[test]
    fn single_quoted_strings_stop_at_their_quote() {
        let (found, errors) = scan("{{ m(t='it') }}", 0, &[]);
        assert!(errors.is_empty());
        let Found::Call(c) = &found[0] else { panic!() };
        assert_eq!(c.args[0].value, ArgValue::Str("it".into()));
    }

    #[test]
    fn body_form_ends_at_end() {
        let text = "{% figure(src=\"a.png\") %}Caption *x*{% end %} after";
        let Found::Call(c) = one(text) else { panic!() };
        assert_eq!(&text[c.body.clone().unwrap()], "Caption *x*");
        assert_eq!(
            &text[c.span.clone()],
            "{% figure(src=\"a.png\") %}Caption *x*{% end %}"
        );
    }

    #[test]
    fn literals_are_written_as_given() {
        let Found::Literal { text, span } = one("x {{/* stance(actor=\"a\") */}} y") else {
            panic!()
        };
        assert_eq!(text, "{{ stance(actor=\"a\") }}");
        assert_eq!(span, 2..29);
    }

    #[test]
    fn braces_without_a_call_are_text() {
        let (found, errors) = scan("{{ x }} and {{ } and {%%} and {", 0, &[]);
        assert!(found.is_empty() && errors.is_empty());
    }

    #[test]
    fn code_ranges_are_skipped() {
        let text = "`{{ card(id=\"x\") }}` {{ card(id=\"y\") }}";
        let code: Vec<_> = std::iter::once(0..20).collect();
        let (found, _) = scan(text, 0, &code);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span().start, 21);
    }

    #[test]
    fn malformed_calls_say_where() {
        let e = error("{{ card(id=\"x) }}");
        assert!(e.message.contains("never closed"), "{e:?}");
        assert_eq!(e.span, Some(11..12));
        let e = error("{{ card(id \"x\") }}");
        assert!(e.message.contains("expected `=`"), "{e:?}");
        let e = error("{{ card(id=x) }}");
        assert!(e.message.contains("expected a value"), "{e:?}");
        assert_eq!(e.span, Some(11..12));
        let e = error("{{ card(id=\"x\" }}");
        assert!(e.message.contains("`,` or `)`"), "{e:?}");
        let e = error("{{ card(id=\"x\") }");
        assert!(e.message.contains("expected `}}`"), "{e:?}");
        let e = error("{% figure(src=\"a\") %} no end");
        assert!(e.message.contains("has no `{% end %}`"), "{e:?}");
        assert_eq!(e.span, Some(0..21));
        let e = error("text {% end %}");
        assert!(e.message.contains("without a shortcode"), "{e:?}");
        let e = error("{{ m(l=[[[[[1]]]]]) }}");
        assert!(e.message.contains("too deep"), "{e:?}");
    }

    #[test]
    fn never_panics_on_cut_input() {
        let text = r#"{% f(a="x", b=[1, 'y'], c=true) %}body{% end %} {{ g() }} {{/* h() */}}"#;
        for end in 0..=text.len() {
            if text.is_char_boundary(end) {
                let _ = scan(&text[..end], 3, &[]);
            }
        }
        for c in [
            "{{",
            "{%",
            "{{ a(",
            "{{ a(b=",
            "{{ a(b=[",
            "{{ a(b='",
            "{{/*",
            "{% a() %}{%",
        ] {
            let _ = scan(c, 0, &[]);
        }
    }
}
