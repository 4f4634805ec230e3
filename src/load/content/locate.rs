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
}
