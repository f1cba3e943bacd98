//! The elements of a top-level JSON array, one at a time, from a stream: an X archive's
//! `follower.js` can hold millions of them, and parsing it whole into a `serde_json::Value` took
//! 9 GB for 300 MB of text. A byte scanner finds where each element ends (tracking strings,
//! escapes and nesting), and only that element is parsed, with `serde_json::from_slice`, which is
//! several times faster than serde_json's own reader-based parsing.

use std::io::{self, BufRead, BufReader, Read};

use serde::de::IgnoredAny;
use serde_json::Value;

use crate::ImportError;

/// The largest element accepted: an item of an export's list is a few kilobytes.
pub(crate) const MAX_ITEM: usize = 64 << 20;

/// Why streaming stopped.
pub(crate) enum Stopped {
    /// The JSON is malformed at `line` (1-based, counted from where the JSON starts).
    Json { line: u64, what: String },
    /// The stream could not be read.
    Read(io::Error),
    /// An element was refused by the caller.
    Item(ImportError),
}

/// Hands each element of the array that starts `skip(head)` bytes into `reader` to `each`, with
/// its 1-based position, as soon as it has been read. `head` is what the first read returned (at
/// most 64 KiB). A document that is not an array is checked to be JSON and has no elements.
pub(crate) fn each_item(
    reader: &mut dyn Read,
    skip: fn(&[u8]) -> usize,
    each: &mut dyn FnMut(usize, Value) -> Result<(), ImportError>,
) -> Result<(), Stopped> {
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let head = reader.fill_buf().map_err(Stopped::Read)?;
    let start = skip(head).min(head.len());
    reader.consume(start);
    let mut split = Splitter { line: 1, ..Splitter::default() };
    loop {
        let chunk = reader.fill_buf().map_err(Stopped::Read)?;
        if chunk.is_empty() {
            return split.finish();
        }
        let n = chunk.len();
        split.feed(chunk, each)?;
        reader.consume(n);
    }
}

#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Before the opening `[`.
    #[default]
    Start,
    /// Between elements; `comma` when one was just passed, so an element must follow.
    Between { comma: bool },
    /// Inside an element.
    Item,
    /// After the closing `]`.
    End,
    /// The document is not an array: kept whole, to be checked.
    Other,
}

#[derive(Default)]
struct Splitter {
    phase: Phase,
    in_string: bool,
    escape: bool,
    depth: usize,
    item: Vec<u8>,
    item_line: u64,
    line: u64,
    count: usize,
}

impl Splitter {
    fn malformed(&self, what: impl Into<String>) -> Stopped {
        Stopped::Json { line: self.line, what: what.into() }
    }

    fn feed(
        &mut self,
        chunk: &[u8],
        each: &mut dyn FnMut(usize, Value) -> Result<(), ImportError>,
    ) -> Result<(), Stopped> {
        for &b in chunk {
            match self.phase {
                Phase::Item | Phase::Other => {}
                _ if b.is_ascii_whitespace() => {
                    if b == b'\n' {
                        self.line += 1;
                    }
                    continue;
                }
                _ => {}
            }
            match self.phase {
                Phase::Start if b == b'[' => self.phase = Phase::Between { comma: false },
                Phase::Start | Phase::Other => {
                    self.phase = Phase::Other;
                    self.push(b)?;
                }
                Phase::Between { comma } => match b {
                    b']' if !comma => self.phase = Phase::End,
                    b']' | b',' => {
                        return Err(self.malformed(format!("unexpected '{}'", b as char)));
                    }
                    _ if !comma && self.count > 0 => {
                        return Err(self.malformed("expected ',' or ']' between elements"));
                    }
                    _ => {
                        self.item.clear();
                        self.item_line = self.line;
                        self.phase = Phase::Item;
                        self.scan(b, each)?;
                    }
                },
                Phase::Item => self.scan(b, each)?,
                Phase::End => return Err(self.malformed("trailing characters after the array")),
            }
        }
        Ok(())
    }

    /// One byte of an element: kept, and the element emitted where it ends.
    fn scan(
        &mut self,
        b: u8,
        each: &mut dyn FnMut(usize, Value) -> Result<(), ImportError>,
    ) -> Result<(), Stopped> {
        if b == b'\n' {
            self.line += 1;
        }
        if self.in_string {
            if self.escape {
                self.escape = false;
            } else if b == b'\\' {
                self.escape = true;
            } else if b == b'"' {
                self.in_string = false;
            }
            return self.push(b);
        }
        match b {
            b'"' => self.in_string = true,
            b'{' | b'[' => self.depth += 1,
            b'}' | b']' if self.depth > 0 => self.depth -= 1,
            b']' | b',' if self.depth == 0 => {
                self.emit(each)?;
                self.phase = if b == b']' { Phase::End } else { Phase::Between { comma: true } };
                return Ok(());
            }
            _ => {}
        }
        self.push(b)
    }

    fn push(&mut self, b: u8) -> Result<(), Stopped> {
        if self.item.len() >= MAX_ITEM {
            return Err(self.malformed(format!(
                "an element is longer than {MAX_ITEM} bytes, which no item of an export is"
            )));
        }
        self.item.push(b);
        Ok(())
    }

    fn emit(
        &mut self,
        each: &mut dyn FnMut(usize, Value) -> Result<(), ImportError>,
    ) -> Result<(), Stopped> {
        let value: Value = serde_json::from_slice(&self.item).map_err(|e| self.parse_error(&e))?;
        self.count += 1;
        each(self.count, value).map_err(Stopped::Item)
    }

    fn parse_error(&self, e: &serde_json::Error) -> Stopped {
        let line = self.item_line + (e.line() as u64).saturating_sub(1);
        Stopped::Json { line, what: e.to_string() }
    }

    fn finish(self) -> Result<(), Stopped> {
        match self.phase {
            Phase::End => Ok(()),
            Phase::Other => serde_json::from_slice::<IgnoredAny>(&self.item)
                .map(|_| ())
                .map_err(|e| Stopped::Json { line: e.line() as u64, what: e.to_string() }),
            _ => Err(self.malformed(
                "the JSON ends too early: the file is cut short; export or copy it again",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(text: &str) -> Result<Vec<Value>, String> {
        let mut out = Vec::new();
        let mut reader = text.as_bytes();
        each_item(&mut reader, |_| 0, &mut |n, v| {
            assert_eq!(n, out.len() + 1);
            out.push(v);
            Ok(())
        })
        .map(|()| out)
        .map_err(|e| match e {
            Stopped::Json { line, what } => format!("line {line}: {what}"),
            Stopped::Read(e) => e.to_string(),
            Stopped::Item(e) => e.to_string(),
        })
    }

    #[test]
    fn splits_arrays_into_their_elements() {
        let cases: [(&str, &str, Result<usize, &str>); 12] = [
            ("empty array", " [ ] ", Ok(0)),
            ("objects", "[{\"a\":[1,{\"b\":\"],}\"}]},\n {\"c\":\"\\\"]\"}]", Ok(2)),
            ("scalars", "[1, \"x\", null, true, [2]]\n", Ok(5)),
            ("escaped backslash", r#"[{"a":"\\"}, 2]"#, Ok(2)),
            ("not an array", "{\"a\": [1, 2]}", Ok(0)),
            ("cut short", "[{\"a\":1},\n{\"b\":", Err("line 2: the JSON ends too early")),
            ("empty", "", Err("ends too early")),
            ("bad element", "[1,\n\n{\"a\" 2}]", Err("line 3: expected `:`")),
            ("trailing comma", "[1,]", Err("unexpected ']'")),
            ("missing comma", "[1 2]", Err("line 1: trailing characters")),
            ("after the array", "[1]\nx", Err("line 2: trailing characters after the array")),
            ("bad other", "{\"a\" 1}", Err("expected `:`")),
        ];
        for (name, text, expected) in cases {
            match (items(text), expected) {
                (Ok(v), Ok(n)) => assert_eq!(v.len(), n, "{name}"),
                (Err(e), Err(fragment)) => assert!(e.contains(fragment), "{name}: {e}"),
                (got, _) => panic!("{name}: {got:?}"),
            }
        }
    }

    #[test]
    fn elements_match_a_whole_parse() {
        let text = r#"[{"follower":{"accountId":"1","userLink":"https://x/1"}},{"t":"a,]}\"{"}]"#;
        let whole: Vec<Value> = serde_json::from_str(text).unwrap();
        assert_eq!(items(text).unwrap(), whole);
    }
}
