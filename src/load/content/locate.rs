//! Finding keys and values in YAML text by reading it as lines, so that errors found
//! after parsing (an unknown id, a duplicate) point at the very text that is wrong.
//! serde keeps no spans; this reads just enough YAML (block and flow mappings and
//! lists) to tell `id: limited` from the word "limited" in a label.

use std::ops::Range;

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}

/// Byte ranges (absolute) of every whole-word occurrence of `value` in `range`.
fn words<'a>(
    text: &'a str,
    range: Range<usize>,
    value: &'a str,
) -> impl Iterator<Item = Range<usize>> + 'a {
    let hay = text.get(range.clone()).unwrap_or("");
    hay.match_indices(value)
        .filter(move |(i, _)| {
            let before = hay[..*i].chars().next_back();
            let after = hay[i + value.len()..].chars().next();
            !value.is_empty() && !before.is_some_and(is_word) && !after.is_some_and(is_word)
        })
        .map(move |(i, _)| range.start + i..range.start + i + value.len())
}

/// Byte span of the `n`-th whole-word occurrence of `value` inside `range` of `text`
/// (or of its first occurrence anywhere in `range`).
pub fn find_value(text: &str, range: &Range<usize>, value: &str, n: usize) -> Option<Range<usize>> {
    if value.is_empty() || text.get(range.clone()).is_none() {
        return None;
    }
    words(text, range.clone(), value).nth(n).or_else(|| {
        let hay = &text[range.clone()];
        let i = hay.find(value)?;
        Some(range.start + i..range.start + i + value.len())
    })
}

/// One `key:` in the text: where the key is and where its value runs.
struct KeyAt {
    key: Range<usize>,
    value: Range<usize>,
    /// In a flow mapping (`{key: value}`), where a plain value ends at `,` or `}`.
    flow: bool,
    /// A key of the top mapping: a block key at the start of its line.
    top: bool,
}

/// Every place where `key` is written as a mapping key inside `range`, in order.
fn keys(text: &str, range: &Range<usize>, key: &str) -> Vec<KeyAt> {
    let Some(hay) = text.get(range.clone()) else {
        return Vec::new();
    };
    if key.is_empty() {
        return Vec::new();
    }
    let mut found = Vec::new();
    for (i, _) in hay.match_indices(key) {
        let line_start = hay[..i].rfind('\n').map_or(0, |p| p + 1);
        // A block key has only indentation and `- ` before it; a flow key, `{` or `,`.
        let raw = &hay[line_start..i];
        let block = raw.chars().all(|c| matches!(c, ' ' | '\t' | '-'))
            && (!raw.contains('-') || raw.ends_with([' ', '\t']));
        let before = raw.trim_end_matches([' ', '\t']);
        let flow = before.ends_with('{') || before.ends_with(',');
        if !block && !flow {
            continue;
        }
        let after = &hay[i + key.len()..];
        let spaces = after.len() - after.trim_start_matches([' ', '\t']).len();
        let rest = &after[spaces..];
        if !rest.starts_with(':') || !rest[1..].chars().next().is_none_or(|c| c.is_whitespace()) {
            continue;
        }
        let value_start = i + key.len() + spaces + 1;
        let value_end = value_end(hay, line_start, i, value_start, flow);
        found.push(KeyAt {
            key: range.start + i..range.start + i + key.len(),
            value: range.start + value_start..range.start + value_end,
            flow,
            top: block && raw.is_empty(),
        });
    }
    found
}

/// Where the value of a key at `key_start` (starting at `from`) ends inside `hay`.
fn value_end(hay: &str, line_start: usize, key_start: usize, from: usize, flow: bool) -> usize {
    let line_end = hay[from..].find('\n').map_or(hay.len(), |p| from + p);
    let inline = hay[from..line_end].trim();
    if let Some(open) = inline.chars().next().filter(|c| *c == '[' || *c == '{') {
        let close = if open == '[' { ']' } else { '}' };
        let start = from + hay[from..].find(open).unwrap_or(0);
        return matching(hay, start, open, close);
    }
    if flow {
        // `{id: x, label: y}`: the value ends at the next `,` or `}`.
        return hay[from..line_end]
            .find([',', '}'])
            .map_or(line_end, |p| from + p);
    }
    if !inline.is_empty() && !inline.starts_with('#') {
        return line_end;
    }
    // A block below the key: every line indented more, and `- ` items at the same indent.
    let indent = key_start - line_start;
    let mut end = line_end;
    let mut pos = line_end;
    while pos < hay.len() {
        let start = pos + 1;
        if start > hay.len() {
            break;
        }
        let next_end = hay[start..].find('\n').map_or(hay.len(), |p| start + p);
        let line = &hay[start..next_end];
        let body = line.trim_start_matches(' ');
        let this_indent = line.len() - body.len();
        let blank = body.trim().is_empty();
        if !blank && this_indent < indent
            || !blank && this_indent == indent && !body.starts_with("- ") && body != "-"
        {
            break;
        }
        if !blank {
            end = next_end;
        }
        pos = next_end;
    }
    end
}

/// Index just after the bracket that closes the one at `start` (or the end of `hay`).
fn matching(hay: &str, start: usize, open: char, close: char) -> usize {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in hay[start..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, c) if c == open => depth += 1,
            (None, c) if c == close => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return start + i + c.len_utf8();
                }
            }
            _ => {}
        }
    }
    hay.len()
}

/// Byte span of the `n`-th `key:` written as a mapping key in `range`.
pub fn find_key(text: &str, range: &Range<usize>, key: &str, n: usize) -> Option<Range<usize>> {
    keys(text, range, key).into_iter().nth(n).map(|k| k.key)
}

/// Byte span of the `n`-th occurrence of `value` inside the values of `key` (a scalar,
/// a flow list or a block list), falling back to any whole-word occurrence.
pub fn find_key_value(
    text: &str,
    range: &Range<usize>,
    key: &str,
    value: &str,
    n: usize,
) -> Option<Range<usize>> {
    if value.is_empty() {
        return None;
    }
    keys(text, range, key)
        .into_iter()
        .flat_map(|k| words(text, k.value, value).collect::<Vec<_>>())
        .nth(n)
        .or_else(|| find_value(text, range, value, n))
}

/// The value of the first `key:` of the top mapping in `range`: a scalar, or a
/// flow or block list or mapping (`stances:` and the items below it).
pub fn find_top_value(text: &str, range: &Range<usize>, key: &str) -> Option<Range<usize>> {
    keys(text, range, key)
        .into_iter()
        .find(|k| k.top)
        .map(|k| k.value)
}

/// Where a string value is written, to place what is found inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextAt {
    /// Where the value starts.
    start: usize,
    /// The file offset of each byte of the value, and of its end, when the value is
    /// written on one line (plain or quoted) and reads back as parsed.
    places: Option<Vec<usize>>,
}

impl TextAt {
    /// The span in the file of the bytes `r` of the value: exact for a value on
    /// one line, else the value's start.
    pub fn span(&self, r: Range<usize>) -> Range<usize> {
        match &self.places {
            Some(places) => {
                let last = places.len() - 1;
                places[r.start.min(last)]..places[r.end.min(last)]
            }
            None => self.start..self.start,
        }
    }
}

/// Where a string value of a key starts, before it is known what it parsed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextValue {
    start: usize,
    /// In a flow mapping, where a plain value ends at `,` or `}`.
    flow: bool,
}

impl TextValue {
    /// Where the bytes of this value, which parsed to `value`, are in `text`.
    pub fn place(&self, text: &str, value: &str) -> TextAt {
        TextAt {
            start: self.start,
            places: one_line_places(text, self.start, self.flow, value),
        }
    }
}

/// The values of every `key:` in `range`, in order (of keys of the top mapping
/// only, with `top`).
pub fn text_values(text: &str, range: &Range<usize>, key: &str, top: bool) -> Vec<TextValue> {
    keys(text, range, key)
        .into_iter()
        .filter(|k| k.top || !top)
        .map(|k| TextValue {
            start: value_start(text, k.value.start),
            flow: k.flow,
        })
        .collect()
}

/// The first character of a value whose key's `:` ends at `from`: on the key's line,
/// or on the next line with text for a block scalar (`|`, `>`) or a value below.
fn value_start(text: &str, from: usize) -> usize {
    let line_end = text[from..].find('\n').map_or(text.len(), |i| from + i);
    let on_line = text[from..line_end].trim_start_matches([' ', '\t']);
    let at = line_end - on_line.len();
    let below = on_line.trim_end().is_empty()
        || on_line.starts_with('#')
        || on_line.starts_with(['|', '>'])
            && on_line[1..]
                .trim_start_matches(['+', '-', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
                .trim()
                .is_empty();
    if !below {
        return at;
    }
    let mut pos = line_end;
    while pos < text.len() {
        let start = pos + 1;
        let end = text[start.min(text.len())..]
            .find('\n')
            .map_or(text.len(), |i| start + i);
        let line = &text[start.min(end)..end];
        if !line.trim().is_empty() {
            return end - line.trim_start().len();
        }
        pos = end;
    }
    at
}

/// The place of each byte of the one-line scalar at `start` (a plain value, or one
/// in quotes with YAML's escapes), and of its end, when it reads back as `value`.
fn one_line_places(text: &str, start: usize, flow: bool, value: &str) -> Option<Vec<usize>> {
    let line_end = text[start..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| start + i);
    let line = &text[start..line_end];
    let mut read = Read::default();
    match line.chars().next()? {
        '"' => read.double_quoted(line, start)?,
        '\'' => read.single_quoted(line, start)?,
        _ => read.plain(line, start, flow),
    }
    (read.text == value).then_some(read.places)
}

/// A scalar as it is read: its text, and where each of its bytes comes from.
#[derive(Default)]
struct Read {
    text: String,
    places: Vec<usize>,
}

impl Read {
    fn push(&mut self, c: char, at: usize) {
        self.text.push(c);
        self.places.extend(std::iter::repeat_n(at, c.len_utf8()));
    }

    /// A plain value: to the end of the line, a comment, or (in a flow mapping)
    /// the next `,` or `}`, less the spaces before that.
    fn plain(&mut self, line: &str, start: usize, flow: bool) {
        let mut end = line.len();
        let mut before = ' ';
        for (i, c) in line.char_indices() {
            if (c == '#' && matches!(before, ' ' | '\t')) || (flow && matches!(c, ',' | '}' | ']'))
            {
                end = i;
                break;
            }
            before = c;
        }
        let kept = line[..end].trim_end_matches([' ', '\t']);
        for (i, c) in kept.char_indices() {
            self.push(c, start + i);
        }
        self.places.push(start + kept.len());
    }

    /// `'...'`, where `''` is one quote; `None` when it does not close on its line.
    fn single_quoted(&mut self, line: &str, start: usize) -> Option<()> {
        let mut chars = line.char_indices().skip(1).peekable();
        while let Some((i, c)) = chars.next() {
            if c == '\'' {
                if chars.peek().is_some_and(|(_, n)| *n == '\'') {
                    chars.next();
                } else {
                    self.places.push(start + i);
                    return Some(());
                }
            }
            self.push(c, start + i);
        }
        None
    }

    /// `"..."` with YAML's escapes; `None` when it does not close on its line.
    fn double_quoted(&mut self, line: &str, start: usize) -> Option<()> {
        let mut chars = line.char_indices().skip(1);
        while let Some((i, c)) = chars.next() {
            let c = match c {
                '"' => {
                    self.places.push(start + i);
                    return Some(());
                }
                '\\' => {
                    let (_, e) = chars.next()?;
                    let hex = |n: usize, chars: &mut dyn Iterator<Item = (usize, char)>| {
                        let digits: String = chars.take(n).map(|(_, c)| c).collect();
                        u32::from_str_radix(&digits, 16)
                            .ok()
                            .and_then(char::from_u32)
                    };
                    match e {
                        'x' => hex(2, &mut chars)?,
                        'u' => hex(4, &mut chars)?,
                        'U' => hex(8, &mut chars)?,
                        _ => simple_escape(e)?,
                    }
                }
                c => c,
            };
            self.push(c, start + i);
        }
        None
    }
}

/// The character a one-letter YAML escape (`\\n`, `\\"`) stands for.
fn simple_escape(e: char) -> Option<char> {
    Some(match e {
        '0' => '\0',
        'a' => '\u{7}',
        'b' => '\u{8}',
        't' | '\t' => '\t',
        'n' => '\n',
        'v' => '\u{b}',
        'f' => '\u{c}',
        'r' => '\r',
        'e' => '\u{1b}',
        'N' => '\u{85}',
        '_' => '\u{a0}',
        'L' => '\u{2028}',
        'P' => '\u{2029}',
        ' ' | '"' | '/' | '\\' => e,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, span: Option<Range<usize>>) -> (&str, usize) {
        let span = span.expect("found");
        (
            &text[span.clone()],
            crate::diagnostics::line_col(text, span.start).0,
        )
    }

    #[test]
    fn finds_a_value_of_a_key_not_the_same_word_elsewhere() {
        let text = "positions:\n  - {id: support, label: \"Only limited\"}\n  - {id: limited, label: \"Limited\"}\n  - {id: limited, label: x}\n";
        let all = 0..text.len();
        assert_eq!(
            at(text, find_key_value(text, &all, "id", "limited", 0)),
            ("limited", 3)
        );
        assert_eq!(
            at(text, find_key_value(text, &all, "id", "limited", 1)),
            ("limited", 4)
        );
    }

    #[test]
    fn reads_block_and_flow_lists() {
        let text = "name: nato\nactors:\n- nato\n- natto\nquestions: [nato, q]\nsummary: nato\n";
        let all = 0..text.len();
        assert_eq!(
            at(text, find_key_value(text, &all, "actors", "nato", 0)),
            ("nato", 3)
        );
        assert_eq!(
            at(text, find_key_value(text, &all, "questions", "nato", 0)),
            ("nato", 5)
        );
        assert_eq!(
            find_key_value(text, &all, "questions", "nato", 1),
            find_value(text, &all, "nato", 1)
        );
    }

    #[test]
    fn finds_keys_in_block_items_and_flow_mappings() {
        let text = "stances:\n  - question: a\n    position: b\n  - {question: a, position: c}\nsummary: \"question: a\"\n";
        let all = 0..text.len();
        assert_eq!(
            at(text, find_key_value(text, &all, "question", "a", 1)),
            ("a", 4)
        );
        assert_eq!(find_key(text, &all, "question", 2), None);
        assert_eq!(at(text, find_key(text, &all, "summary", 0)), ("summary", 5));
    }

    #[test]
    fn places_bytes_of_one_line_values_and_the_start_of_others() {
        let text = "summary: top\nstances:\n  - summary: Plain [[x]] # note\n  - {question: q, summary: \"Esc\\u00e9 \\\"[[x]]\\\"\", date: 2024}\n  - summary: 'It''s [[x]]'\n  - summary: >\n      Folded [[x]]\n      text\nextra: {summary: no}\n";
        let all = 0..text.len();
        let block = find_top_value(text, &all, "stances").unwrap();
        let values = text_values(text, &block, "summary", false);
        let link = |n: usize, value: &str| {
            let at = values[n].place(text, value);
            let i = value.find("[[x]]").unwrap();
            let span = at.span(i..i + 5);
            (
                &text[span.clone()],
                crate::diagnostics::line_col(text, span.start),
            )
        };
        assert_eq!(link(0, "Plain [[x]]"), ("[[x]]", (3, 20)));
        assert_eq!(link(1, "Esc\u{e9} \"[[x]]\""), ("[[x]]", (4, 41)));
        assert_eq!(link(2, "It's [[x]]"), ("[[x]]", (5, 21)));
        // Folded over lines: the value's start.
        assert_eq!(link(3, "Folded [[x]] text\n"), ("", (7, 7)));
        // Not what was parsed (another value, the same key): the value's start.
        assert_eq!(link(0, "Other [[x]]"), ("", (3, 14)));
        let top = text_values(text, &all, "summary", true);
        assert_eq!(top.len(), 1, "`extra:` holds no value of the top mapping");
        assert_eq!(top[0].place(text, "top").span(0..3), 9..12);
    }
}
