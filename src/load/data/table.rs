//! Reading one data file: the `csv` crate reads the values of each record, and
//! [`cell_ranges`] finds where each cell is written, so that errors point at it.
//! Lines are counted as the records come, so a file of any size is read in one pass.

use std::ops::Range;
use std::sync::Arc;

use super::Columns;
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::load::content::Row;

/// One row as read: where its cells are, and the value of each cell not empty.
pub(super) struct Record {
    pub row: Arc<Row>,
    pub values: Vec<(&'static str, String)>,
}

impl Record {
    /// The value of `column`, when its cell is not empty.
    pub fn get(&self, column: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, v)| v.as_str())
    }
}

/// The records of a data file's `text`, with the errors of its header and rows.
/// The `csv` crate reads the values; [`cell_ranges`] finds where each is written.
/// The flag is false when the rows cannot all be read as meant; their errors are
/// then left out, as the file's own error is the one to fix.
pub(super) fn read_table(cols: &Columns, text: &Arc<str>) -> (Vec<Record>, Vec<Diagnostic>, bool) {
    let mut diags = Vec::new();
    let mut usable = true;
    let mut unreported = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut header: Option<Vec<Option<&'static str>>> = None;
    let mut out = Vec::new();
    // Lines are counted as the records come, from the end of the last one counted.
    let (mut line, mut counted) = (1, 0);
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let d = Diagnostic::error(format!("cannot read `{}`: {e}", cols.path))
                    .in_file(cols.path);
                diags.push(d);
                break;
            }
        }
        // The reader places a record after a `\r` of the line end before it.
        let at = record.position().map_or(0, |p| p.byte() as usize);
        let start = at + text[at..].len() - text[at..].trim_start_matches(['\r', '\n']).len();
        line += text[counted..start].bytes().filter(|&b| b == b'\n').count();
        counted = start;
        let cells = match cell_ranges(text, start) {
            Ok(cells) if cells.len() == record.len() => cells,
            Ok(_) => {
                let d = Diagnostic::error("this row cannot be split into cells")
                    .in_file(cols.path)
                    .at(start..start)
                    .help("quote every cell that holds `,`, `\"` or a line break");
                diags.push(d);
                continue;
            }
            // Never closed: the rest of the file is one cell, so nothing after it
            // can be read as meant.
            Err(open) => {
                diags.push(
                    Diagnostic::error("a quoted cell is never closed")
                        .in_file(cols.path)
                        .at(open..open + 1)
                        .label("this `\"` opens a cell that runs to the end of the file")
                        .help("close the cell with `\"`; a `\"` inside a quoted cell is written `\"\"`"),
                );
                usable = false;
                // Its id, at least, is the id its author meant.
                out.extend(header.as_deref().map(|h| ids_only(cols, text, h, &record)));
                break;
            }
        };
        match &header {
            None => {
                let (columns, complete) = read_header(cols, text, &record, &cells, &mut diags);
                header = Some(columns);
                usable = complete;
            }
            Some(h) => {
                let row = Row {
                    path: cols.path.to_string(),
                    line,
                    text: text.clone(),
                    cells: Vec::new(),
                };
                let sink = if usable { &mut diags } else { &mut unreported };
                out.extend(read_row(row, h, &record, &cells, sink));
            }
        }
    }
    (out, diags, usable)
}

/// The header's columns (`None` for an unknown one), and whether it has every
/// required column (without one, no row can be read).
fn read_header(
    cols: &Columns,
    text: &str,
    record: &csv::StringRecord,
    cells: &[Range<usize>],
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Option<&'static str>>, bool) {
    let mut columns: Vec<Option<&'static str>> = Vec::with_capacity(record.len());
    for (name, cell) in record.iter().zip(cells) {
        let name = name.trim_start_matches('\u{feff}').trim();
        let known = cols.all.iter().copied().find(|c| *c == name);
        let error = match known {
            Some(c) if columns.contains(&Some(c)) => Some(
                Diagnostic::error(format!("the column `{c}` is given twice"))
                    .help("remove one of the two columns"),
            ),
            Some(_) => None,
            None => Some(
                Diagnostic::error(format!("unknown column `{name}`"))
                    .label("not a column of this file")
                    .note(format!(
                        "the columns of `{}` are {}",
                        cols.path,
                        quoted(cols.all)
                    ))
                    .help_opt(did_you_mean(name, cols.all.iter().copied())),
            ),
        };
        if let Some(d) = error {
            diags.push(d.in_file(cols.path).at(cell.clone()));
        }
        columns.push(known.filter(|c| !columns.contains(&Some(c))));
    }
    let header_end = text.find(['\r', '\n']).unwrap_or(text.len());
    let mut complete = true;
    for required in cols.required {
        if !columns.contains(&Some(required)) {
            complete = false;
            diags.push(
                Diagnostic::error(format!("missing required column `{required}`"))
                    .in_file(cols.path)
                    .at(0..header_end)
                    .label("the header row names the columns")
                    .help(format!("add a `{required}` column")),
            );
        }
    }
    (columns, complete)
}

/// One row under `header`; none for a row of empty cells (spreadsheets export
/// their blank rows as commas) or one whose cells do not match the header.
fn read_row(
    mut row: Row,
    header: &[Option<&'static str>],
    record: &csv::StringRecord,
    cells: &[Range<usize>],
    diags: &mut Vec<Diagnostic>,
) -> Option<Record> {
    if record.iter().all(|v| v.trim().is_empty()) {
        return None;
    }
    if record.len() != header.len() {
        let at = match cells.get(header.len()) {
            Some(extra) => extra.start..cells.last().map_or(extra.end, |c| c.end),
            None => cells.last().map_or(0..0, |c| c.end..c.end),
        };
        diags.push(
            Diagnostic::error(format!(
                "this row has {} cells, the header has {}",
                record.len(),
                header.len()
            ))
            .in_file(&row.path)
            .at(at)
            .label(if record.len() > header.len() {
                "extra cells"
            } else {
                "cells missing after this"
            })
            .help("a cell holding `,` must be quoted: `\"Paris, France\"`"),
        );
        return None;
    }
    let mut values = Vec::new();
    for ((column, value), cell) in header.iter().zip(record.iter()).zip(cells) {
        let Some(column) = *column else { continue };
        row.cells.push((column, cell.clone()));
        let value = value.trim();
        if !value.is_empty() {
            values.push((column, value.to_string()));
        }
    }
    Some(Record {
        row: Arc::new(row),
        values,
    })
}

/// A record of which only the values are known, not where they are written.
fn ids_only(
    cols: &Columns,
    text: &Arc<str>,
    header: &[Option<&'static str>],
    record: &csv::StringRecord,
) -> Record {
    let values = header
        .iter()
        .zip(record.iter())
        .filter_map(|(c, v)| Some(((*c)?, v.trim().to_string())))
        .collect();
    let row = Row {
        path: cols.path.to_string(),
        line: 0,
        text: text.clone(),
        cells: Vec::new(),
    };
    Record {
        row: Arc::new(row),
        values,
    }
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where each cell of the record starting at byte `start` is written: inside its
/// quotes for a quoted cell. `Err` with the offset of a quote that is never closed.
fn cell_ranges(text: &str, mut start: usize) -> Result<Vec<Range<usize>>, usize> {
    if text[start..].starts_with('\u{feff}') {
        start += '\u{feff}'.len_utf8();
    }
    let bytes = text.as_bytes();
    let end_of_cell = |from: usize| {
        bytes[from..]
            .iter()
            .position(|b| matches!(b, b',' | b'\n' | b'\r'))
            .map_or(bytes.len(), |i| from + i)
    };
    let mut cells = Vec::new();
    let mut i = start;
    loop {
        if bytes.get(i) == Some(&b'"') {
            let open = i;
            let mut j = i + 1;
            let close = loop {
                match text[j..].find('"') {
                    None => return Err(open),
                    Some(k) if bytes.get(j + k + 1) == Some(&b'"') => j += k + 2,
                    Some(k) => break j + k,
                }
            };
            cells.push(open + 1..close);
            // What follows a closing quote up to the delimiter belongs to the cell.
            i = end_of_cell(close + 1);
        } else {
            let end = end_of_cell(i);
            cells.push(i..end);
            i = end;
        }
        if bytes.get(i) != Some(&b',') {
            return Ok(cells);
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::super::ACTORS;
    use super::super::STANCES;
    use super::*;

    #[test]
    fn cells_are_found_where_they_are_written() {
        let text = "a,\"b,\"\"c\"\"\",,d\r\nx";
        let cells = cell_ranges(text, 0).unwrap();
        let written: Vec<&str> = cells.iter().map(|c| &text[c.clone()]).collect();
        assert_eq!(written, ["a", "b,\"\"c\"\"", "", "d"]);
        assert_eq!(cell_ranges("\u{feff}id,name", 0).unwrap()[0], 3..5);
        assert_eq!(cell_ranges("a,\"never closed\nb,c", 0), Err(2));
        assert_eq!(
            cell_ranges("", 0).unwrap(),
            vec![Range { start: 0, end: 0 }]
        );
    }

    #[test]
    fn rows_know_their_lines_through_crlf_bom_and_quoted_line_breaks() {
        let text: Arc<str> = Arc::from(
            "\u{feff}id,name,kind\r\na,\"A\r\nwith a line break\",person\r\n,,\r\n\r\nb,B,group\r\n",
        );
        let (records, diags, usable) = read_table(&ACTORS, &text);
        assert!(usable);
        assert_eq!(diags, []);
        let lines: Vec<usize> = records.iter().map(|r| r.row.line).collect();
        assert_eq!(lines, [2, 6]);
        assert_eq!(records[0].get("name"), Some("A\r\nwith a line break"));
        let cell = records[1].row.cell("kind").unwrap();
        assert_eq!(&text[cell], "group");
    }

    #[test]
    fn hostile_files_end_in_errors_not_in_panics_or_long_waits() {
        let header = "actor,question,position,date\n";
        let many_empty = format!("{header}{}", ",,,\n\n".repeat(500_000));
        let big_cell = format!("{header}a,\"{}\",p,2024\n", "x".repeat(1 << 20));
        let unclosed = format!("{header}a,\"{}", "x,\n".repeat(100_000));
        let started = std::time::Instant::now();
        for text in [many_empty, big_cell, unclosed, "\"".into(), ",".into()] {
            let text: Arc<str> = Arc::from(text);
            let _ = read_table(&STANCES, &text);
        }
        assert!(started.elapsed().as_secs() < 10);
    }
}
