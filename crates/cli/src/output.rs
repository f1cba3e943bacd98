//! Listings in the output formats every listing command takes: an aligned table for people, JSON
//! and CSV for programs.
//!
//! Cells hold other people's text. In a table a line break in a cell becomes a space, so a name
//! cannot forge rows; control characters are neutralised for every format on the way to stdout
//! (`terminal`). CSV is opened in spreadsheets, which run a cell starting with `=`, `+`, `-`, `@`,
//! a tab or a carriage return as a formula (`=HYPERLINK(…)`, `+cmd|…`), so such text cells get a
//! leading `'`, as OWASP's advice on CSV injection says; `csv-raw` prints them as they are.

use std::io::{self, Write};

use clap::ValueEnum;
use serde_json::{Map, Value as Json};

/// How to print a listing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Aligned columns for reading
    #[default]
    Table,
    /// A JSON array of objects
    Json,
    /// CSV with a header row; text cells that a spreadsheet would run as a formula start with '
    Csv,
    /// CSV with every cell exactly as stored, for programs (never open it in a spreadsheet)
    CsvRaw,
}

/// One cell of a listing.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Cell {
    Text(String),
    Int(i64),
    /// A number and the decimals to show in a table.
    Float(f64, usize),
    Empty,
    /// A value no source can show (the other side of a one-sided export): `—` in a table, empty
    /// in CSV, null in JSON.
    Unknown,
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Float(x, decimals) => format!("{x:.decimals$}"),
            Cell::Empty => String::new(),
            Cell::Unknown => "—".to_owned(),
        }
    }

    /// The text of a CSV cell that spreadsheets open without running it: text that starts like
    /// a formula gets a leading `'`. Numbers are numbers, negative ones included.
    fn spreadsheet_text(&self) -> String {
        match self {
            Cell::Text(s) if starts_like_formula(s) => format!("'{s}"),
            Cell::Unknown => String::new(),
            other => other.text(),
        }
    }

    fn json(&self) -> Json {
        match self {
            Cell::Text(s) => Json::String(s.clone()),
            Cell::Int(n) => Json::from(*n),
            Cell::Float(x, _) => serde_json::Number::from_f64(*x).map_or(Json::Null, Json::Number),
            Cell::Empty | Cell::Unknown => Json::Null,
        }
    }
}

/// True when a spreadsheet would take `text` for a formula: its first character is one of
/// `= + - @`, a tab or a carriage return (OWASP's list), or a full-width `＝ ＋ － ＠`, which some
/// spreadsheets read the same way.
fn starts_like_formula(text: &str) -> bool {
    text.chars().next().is_some_and(|c| {
        matches!(
            c,
            '=' | '+' | '-' | '@' | '\t' | '\r' | '\u{ff1d}' | '\u{ff0b}' | '\u{ff0d}' | '\u{ff20}'
        )
    })
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }
}

impl From<u32> for Cell {
    fn from(n: u32) -> Cell {
        Cell::Int(i64::from(n))
    }
}

impl From<u64> for Cell {
    fn from(n: u64) -> Cell {
        Cell::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Cell {
        v.map_or(Cell::Empty, Into::into)
    }
}

/// A listing: named columns and rows of cells.
#[derive(Debug, Default)]
pub(crate) struct Listing {
    pub(crate) columns: Vec<&'static str>,
    pub(crate) rows: Vec<Vec<Cell>>,
}

impl Listing {
    pub(crate) fn new(columns: &[&'static str]) -> Listing {
        Listing { columns: columns.to_vec(), rows: Vec::new() }
    }

    pub(crate) fn push(&mut self, row: Vec<Cell>) {
        self.rows.push(row);
    }

    /// Prints the listing in `format` to `out`.
    pub(crate) fn print(&self, format: Format, out: &mut dyn Write) -> io::Result<()> {
        match format {
            Format::Table => self.table(out),
            Format::Json => {
                let rows: Vec<Json> = self
                    .rows
                    .iter()
                    .map(|row| {
                        let object: Map<String, Json> = self
                            .columns
                            .iter()
                            .zip(row)
                            .map(|(c, v)| ((*c).to_owned(), v.json()))
                            .collect();
                        Json::Object(object)
                    })
                    .collect();
                serde_json::to_writer_pretty(&mut *out, &rows)?;
                writeln!(out)
            }
            Format::Csv | Format::CsvRaw => {
                let mut w = csv::Writer::from_writer(out);
                w.write_record(&self.columns)?;
                for row in &self.rows {
                    if format == Format::Csv {
                        w.write_record(row.iter().map(Cell::spreadsheet_text))?;
                    } else {
                        w.write_record(row.iter().map(Cell::text))?;
                    }
                }
                w.flush()
            }
        }
    }

    fn table(&self, out: &mut dyn Write) -> io::Result<()> {
        // A line break inside a cell would start what looks like a row of its own.
        let one_line = |c: &Cell| c.text().replace(['\n', '\r', '\t'], " ");
        let texts: Vec<Vec<String>> =
            self.rows.iter().map(|r| r.iter().map(one_line).collect()).collect();
        let widths: Vec<usize> = (0..self.columns.len())
            .map(|c| {
                texts
                    .iter()
                    .map(|r| r.get(c).map_or(0, |t| t.chars().count()))
                    .chain([self.columns[c].chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let numeric: Vec<bool> = (0..self.columns.len())
            .map(|c| {
                self.rows
                    .iter()
                    .all(|r| matches!(r.get(c), Some(Cell::Int(_) | Cell::Float(..) | Cell::Empty)))
            })
            .collect();
        let line = |cells: &[String]| -> String {
            let parts: Vec<String> = cells
                .iter()
                .enumerate()
                .map(|(c, t)| {
                    let pad = widths[c].saturating_sub(t.chars().count());
                    if numeric[c] {
                        format!("{}{t}", " ".repeat(pad))
                    } else {
                        format!("{t}{}", " ".repeat(pad))
                    }
                })
                .collect();
            parts.join("  ").trim_end().to_owned()
        };
        let header: Vec<String> = self.columns.iter().map(|c| (*c).to_owned()).collect();
        writeln!(out, "{}", line(&header))?;
        for row in &texts {
            writeln!(out, "{}", line(row))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Listing {
        let mut l = Listing::new(&["who", "n", "score"]);
        l.push(vec!["@ada".into(), Cell::Int(12), Cell::Float(0.5, 2)]);
        l.push(vec!["@bram, \"b\"".into(), Cell::Int(3), Cell::Empty]);
        l
    }

    fn render(format: Format) -> String {
        let mut out = Vec::new();
        sample().print(format, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn formats() {
        assert_eq!(
            render(Format::Table),
            "who          n  score\n@ada        12   0.50\n@bram, \"b\"   3\n"
        );
        assert_eq!(render(Format::CsvRaw), "who,n,score\n@ada,12,0.50\n\"@bram, \"\"b\"\"\",3,\n");
        // `@` starts a formula in some spreadsheets, so handles are quoted in plain CSV.
        assert_eq!(render(Format::Csv), "who,n,score\n'@ada,12,0.50\n\"'@bram, \"\"b\"\"\",3,\n");
        let json: Json = serde_json::from_str(&render(Format::Json)).unwrap();
        assert_eq!(json[0]["n"], 12);
        assert_eq!(json[1]["score"], Json::Null);
    }

    #[test]
    fn csv_cells_that_look_like_formulas_are_quoted() {
        let mut l = Listing::new(&["who", "n"]);
        for text in [
            "=HYPERLINK(\"http://x\")",
            "+cmd|' /C calc'!A0",
            "@SUM(A1)",
            "-2+3",
            "\tx",
            "\u{ff1d}1+1",
        ] {
            l.push(vec![text.into(), Cell::Int(-2)]);
        }
        l.push(vec!["ada = bram".into(), Cell::Float(-0.5, 1)]);
        let mut out = Vec::new();
        l.print(Format::Csv, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let cells: Vec<&str> = text.lines().skip(1).collect();
        assert_eq!(
            cells,
            [
                "\"'=HYPERLINK(\"\"http://x\"\")\",-2",
                "'+cmd|' /C calc'!A0,-2",
                "'@SUM(A1),-2",
                "'-2+3,-2",
                "'\tx,-2",
                "'\u{ff1d}1+1,-2",
                "ada = bram,-0.5",
            ]
        );
        let mut raw = Vec::new();
        l.print(Format::CsvRaw, &mut raw).unwrap();
        assert!(String::from_utf8(raw).unwrap().contains("\n@SUM(A1),-2\n"));
    }

    #[test]
    fn table_cells_cannot_forge_rows() {
        let mut l = Listing::new(&["who"]);
        l.push(vec!["ada\nbram  0.99".into()]);
        let mut out = Vec::new();
        l.print(Format::Table, &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "who\nada bram  0.99\n");
    }
}
