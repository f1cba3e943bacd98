//! Terminal safety: names, handles, texts and servers' error messages come from other people, and a
//! control character in them must never reach the terminal as a command. An escape sequence could
//! write the clipboard (OSC 52), forge a link (OSC 8), clear the screen or rewrite earlier lines.
//!
//! [`neutralise`] (`rapport_model::text`) is the one rule; [`Neutralised`] applies it to everything a command prints on
//! stdout, and `main` to the error messages on stderr. Each hostile character becomes one visible
//! character, so aligned tables stay aligned.

use std::io::{self, Write};

pub(crate) use rapport_engine::model::text::neutralise;

/// A writer that neutralises everything written through it. Writers above it (the CSV writer, JSON
/// serialisers) may split a character across two writes, so an unfinished UTF-8 sequence waits
/// for the next write; bytes that are not UTF-8 at all are shown as `�`.
pub(crate) struct Neutralised<W: Write> {
    inner: W,
    /// The start of a character whose remaining bytes have not been written yet (at most 3 bytes).
    pending: Vec<u8>,
}

impl<W: Write> Neutralised<W> {
    pub(crate) fn new(inner: W) -> Neutralised<W> {
        Neutralised { inner, pending: Vec::new() }
    }
}

impl<W: Write> Write for Neutralised<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        let joined;
        let mut data = if self.pending.is_empty() {
            buf
        } else {
            let mut bytes = std::mem::take(&mut self.pending);
            bytes.extend_from_slice(buf);
            joined = bytes;
            joined.as_slice()
        };
        loop {
            match std::str::from_utf8(data) {
                Ok(text) => return self.inner.write_all(neutralise(text).as_bytes()),
                Err(e) => {
                    let (valid, rest) = data.split_at(e.valid_up_to());
                    // The prefix was just checked, so this cannot fail.
                    let text = std::str::from_utf8(valid).unwrap_or_default();
                    self.inner.write_all(neutralise(text).as_bytes())?;
                    match e.error_len() {
                        None => {
                            self.pending.extend_from_slice(rest);
                            return Ok(());
                        }
                        Some(bad) => {
                            self.inner.write_all("\u{fffd}".as_bytes())?;
                            data = &rest[bad..];
                        }
                    }
                }
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> Drop for Neutralised<W> {
    fn drop(&mut self) {
        // A character cut short at the very end was never finished: show that it was there.
        if !self.pending.is_empty() {
            let _ = self.inner.write_all("\u{fffd}".as_bytes());
        }
        let _ = self.inner.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_split_across_writes_are_judged_whole() {
        let text = "a\u{9b}b\u{202e}c\u{e9}\u{1b}";
        let bytes = text.as_bytes();
        for cut in 0..=bytes.len() {
            let mut out = Vec::new();
            {
                let mut w = Neutralised::new(&mut out);
                w.write_all(&bytes[..cut]).unwrap();
                w.write_all(&bytes[cut..]).unwrap();
            }
            assert_eq!(String::from_utf8(out).unwrap(), neutralise(text), "cut at {cut}");
        }
    }

    #[test]
    fn bytes_that_are_not_utf8_are_shown_as_replacement() {
        let mut out = Vec::new();
        Neutralised::new(&mut out).write_all(b"a\xff\x1bb\xc2").unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "a\u{fffd}\u{241b}b\u{fffd}");
    }
}
