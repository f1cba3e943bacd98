//! Listings in the three output formats every listing command takes: an aligned table for people,
//! JSON and CSV for programs.

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
    /// CSV with a header row
    Csv,
}

/// One cell of a listing.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Cell {
    Text(String),
    Int(i64),
    /// A number and the decimals to show in a table.
    Float(f64, usize),
    Empty,
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Float(x, decimals) => format!("{x:.decimals$}"),
            Cell::Empty => String::new(),
        }
    }

    fn json(&self) -> Json {
        match self {
            Cell::Text(s) => Json::String(s.clone()),
            Cell::Int(n) => Json::from(*n),
            Cell::Float(x, _) => serde_json::Number::from_f64(*x).map_or(Json::Null, Json::Number),
            Cell::Empty => Json::Null,
        }
    }
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
            Format::Csv => {
                let mut w = csv::Writer::from_writer(out);
                w.write_record(&self.columns)?;
                for row in &self.rows {
                    w.write_record(row.iter().map(Cell::text))?;
                }
                w.flush()
            }
        }
    }

    fn table(&self, out: &mut dyn Write) -> io::Result<()> {
        let texts: Vec<Vec<String>> =
            self.rows.iter().map(|r| r.iter().map(Cell::text).collect()).collect();
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
        assert_eq!(render(Format::Csv), "who,n,score\n@ada,12,0.50\n\"@bram, \"\"b\"\"\",3,\n");
        let json: Json = serde_json::from_str(&render(Format::Json)).unwrap();
        assert_eq!(json[0]["n"], 12);
        assert_eq!(json[1]["score"], Json::Null);
    }
}
