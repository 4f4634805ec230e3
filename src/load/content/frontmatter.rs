//! Splitting a Markdown file into its YAML front matter and its body, keeping the
//! byte offsets of both so that every later error can point into the file.

use std::ops::Range;

use crate::diagnostics::Diagnostic;

/// Byte ranges of the two parts of a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts {
    /// The opening `---` (without its line ending), where errors about the whole
    /// front matter point.
    pub opener: Range<usize>,
    /// The YAML between the `---` lines.
    pub front_matter: Range<usize>,
    /// Everything after the closing `---` line.
    pub body: Range<usize>,
}

/// Splits `text` (the whole file, a UTF-8 byte-order mark allowed) into its parts.
pub fn split(text: &str, path: &str) -> Result<Parts, Diagnostic> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[start..];
    if rest.trim().is_empty() {
        return Err(Diagnostic::error("the file is empty")
            .in_file(path)
            .at(start..start)
            .label("nothing here")
            .help("start it with a `---` line, its front matter (`title: \"A title\"`), and a closing `---` line; or delete the file"));
    }
    let mut lines = LineIter { text, pos: start };
    let first = lines.next().expect("a non-empty file has a line");
    if text[first.clone()].trim_end() != "---" {
        return Err(Diagnostic::error("the file has no front matter")
            .in_file(path)
            .at(first.start..first.start + text[first.clone()].trim_end().len().max(1))
            .label("expected `---` here")
            .help("a standpoint file starts with a `---` line, its YAML front matter, and a closing `---` line"));
    }
    let fm_start = first.end;
    for line in lines {
        if text[line.clone()].trim_end() == "---" {
            return Ok(Parts {
                opener: first.start..first.start + 3,
                front_matter: fm_start..line.start,
                body: line.end..text.len(),
            });
        }
    }
    Err(Diagnostic::error("the front matter is not closed")
        .in_file(path)
        .at(first.start..first.start + 3)
        .label("opened here")
        .help("add a line with only `---` after the front matter"))
}

/// Lines as byte ranges including their line ending.
struct LineIter<'a> {
    text: &'a str,
    pos: usize,
}

impl Iterator for LineIter<'_> {
    type Item = Range<usize>;
    fn next(&mut self) -> Option<Range<usize>> {
        if self.pos >= self.text.len() {
            return None;
        }
        let start = self.pos;
        let end = match self.text[start..].find('\n') {
            Some(i) => start + i + 1,
            None => self.text.len(),
        };
        self.pos = end;
        Some(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lf_crlf_and_bom() {
        for text in [
            "---\ntitle: A\n---\nBody\n",
            "---\r\ntitle: A\r\n---\r\nBody\r\n",
            "\u{feff}---\ntitle: A\n---\nBody\n",
        ] {
            let parts = split(text, "x.md").unwrap();
            assert_eq!(text[parts.front_matter].trim(), "title: A");
            assert_eq!(text[parts.body].trim(), "Body");
        }
    }

    #[test]
    fn reports_missing_and_unclosed_front_matter() {
        assert!(split("", "x.md").unwrap_err().message.contains("empty"));
        assert!(split("# Hello\n", "x.md")
            .unwrap_err()
            .message
            .contains("no front matter"));
        assert!(split("---\ntitle: A\n", "x.md")
            .unwrap_err()
            .message
            .contains("not closed"));
    }
}
