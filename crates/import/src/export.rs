//! What every platform importer shares: the open archive, the owner ("me"), JSON parsing with
//! positions, and record emission that drops repeats and self-interactions with a reason.

use std::collections::HashSet;

use rapport_model::{Account, Interaction, Post, Record};
use serde_json::Value;

use crate::archive::Archive;
use crate::json_stream::{self, Stopped};
use crate::sink::Context;
use crate::{ErrorKind, FieldReport, ImportError, Location};

/// One export being imported.
pub(crate) struct Export<'c, 'a> {
    ctx: &'c mut Context<'a>,
    pub(crate) archive: Archive,
    me: String,
    /// Account facts already emitted, so each (id, handle, name) is written once.
    accounts: HashSet<(String, Option<String>, Option<String>)>,
    done: u64,
    total: u64,
}

impl<'c, 'a> Export<'c, 'a> {
    pub(crate) fn new(ctx: &'c mut Context<'a>, archive: Archive) -> Export<'c, 'a> {
        let total = archive.entries().iter().map(|e| e.size).sum();
        Export { ctx, archive, me: String::new(), accounts: HashSet::new(), done: 0, total }
    }

    /// An error at `location` in the archive.
    pub(crate) fn error(&self, location: Location, kind: ErrorKind) -> ImportError {
        self.ctx.error(Some(location), kind)
    }

    /// Reads member `index`, advancing the progress bar.
    pub(crate) fn read(&mut self, index: usize) -> Result<Vec<u8>, ImportError> {
        let bytes = self.archive.read(index).map_err(|(at, kind)| self.ctx.error(at, kind))?;
        self.done += self.archive.entries()[index].size;
        self.ctx.progress(self.done, self.total);
        Ok(bytes)
    }

    /// Parses JSON text that starts at byte `start` of member `name`; an error names the member,
    /// line and column, and says when the text is cut short.
    pub(crate) fn json(
        &self,
        name: &str,
        bytes: &[u8],
        start: usize,
    ) -> Result<Value, ImportError> {
        serde_json::from_slice(&bytes[start..]).map_err(|e| self.json_error(name, bytes, start, &e))
    }

    /// The error for bad JSON in a member, with its position in the whole member.
    pub(crate) fn json_error(
        &self,
        name: &str,
        bytes: &[u8],
        start: usize,
        e: &serde_json::Error,
    ) -> ImportError {
        // serde_json counts from `start`; lines before it (a `window.YTD…` prefix) shift the count.
        let before = bytes[..start].iter().filter(|b| **b == b'\n').count() as u64;
        let line = e.line() as u64 + before;
        let what = if e.is_eof() {
            format!(
                "the JSON ends too early, at column {}: the file is cut short; export or copy it again",
                e.column()
            )
        } else {
            format!("{e}")
        };
        let at =
            Location::Member { name: name.to_owned(), at: Some(Box::new(Location::Line(line))) };
        self.error(at, ErrorKind::Malformed(what))
    }

    /// Streams the elements of the JSON array in member `index` to `f` one at a time, with their
    /// 1-based position, so a list of millions of followers never sits in memory whole. The JSON
    /// starts after the first `skip(head)` bytes of the member (`head` is at most its first 64 KiB;
    /// X puts `window.YTD.follower.part0 = ` there). A member that holds no array has no elements.
    pub(crate) fn each_item(
        &mut self,
        index: usize,
        skip: fn(&[u8]) -> usize,
        mut f: impl FnMut(&mut Self, usize, Value) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        let name = self.archive.entries()[index].name.clone();
        let mut archive = self.archive.detach();
        let streamed = archive.stream(index, |reader| {
            json_stream::each_item(reader, skip, &mut |n, value| f(self, n, value))
        });
        self.archive = archive;
        let at = |line| Location::Member {
            name: name.clone(),
            at: Some(Box::new(Location::Line(line))),
        };
        match streamed {
            Err((at, kind)) => Err(self.ctx.error(at, kind)),
            Ok(Err(Stopped::Json { line, what })) => {
                Err(self.error(at(line), ErrorKind::Malformed(what)))
            }
            Ok(Err(Stopped::Read(e))) => Err(self.error(at(1), ErrorKind::Io(e))),
            Ok(Err(Stopped::Item(e))) => Err(e),
            Ok(Ok(())) => {
                self.done += self.archive.entries()[index].size;
                self.ctx.progress(self.done, self.total);
                Ok(())
            }
        }
    }

    /// The owner's account id; empty until [`Export::set_me`].
    pub(crate) fn me(&self) -> &str {
        &self.me
    }

    /// Declares the owner and emits it.
    pub(crate) fn set_me(&mut self, account: Account, at: Location) -> Result<(), ImportError> {
        self.me.clone_from(&account.id);
        self.accounts.insert((
            account.id.clone(),
            account.handle.clone(),
            account.display_name.clone(),
        ));
        self.ctx.emit(Record::Me(account), at)
    }

    /// Emits what the archive says about an account, once per distinct fact.
    pub(crate) fn account(&mut self, account: Account, at: &Location) -> Result<(), ImportError> {
        if account.id.is_empty() {
            return Ok(());
        }
        let key = (account.id.clone(), account.handle.clone(), account.display_name.clone());
        if self.accounts.contains(&key) {
            return Ok(());
        }
        self.accounts.insert(key);
        self.ctx.emit(Record::Account(account), at.clone())
    }

    /// Emits an interaction; one with an empty end is an error upstream, one of an account with
    /// itself says nothing about a relationship and is skipped with the reason.
    pub(crate) fn interaction(&mut self, i: Interaction, at: &Location) -> Result<(), ImportError> {
        if i.source == i.target {
            let reason =
                format!("{} {} {}: an account acting on itself", i.source, i.kind, i.target);
            self.ctx.skip(at.clone(), reason);
            return Ok(());
        }
        self.ctx.emit(Record::Interaction(i), at.clone())
    }

    /// Emits a post.
    pub(crate) fn post(&mut self, post: Post, at: &Location) -> Result<(), ImportError> {
        self.ctx.emit(Record::Post(post), at.clone())
    }

    /// A malformed item: an error, or a skip when the user asked to skip invalid records.
    pub(crate) fn invalid(&mut self, at: &Location, kind: ErrorKind) -> Result<(), ImportError> {
        self.ctx.invalid(at.clone(), kind)
    }

    /// Reports a record read but not imported, with the reason.
    pub(crate) fn skip(&mut self, at: &Location, reason: impl Into<String>) {
        self.ctx.skip(at.clone(), reason);
    }

    /// Hands a member's field report to the sink.
    pub(crate) fn report(&mut self, report: &FieldReport) {
        self.ctx.fields(report);
    }
}

/// The location of item `n` (1-based) of member `name`.
pub(crate) fn item(name: &str, n: usize) -> Location {
    Location::Member { name: name.to_owned(), at: Some(Box::new(Location::Item(n as u64))) }
}

/// A string field of a JSON object, when present and not empty.
pub(crate) fn text<'v>(value: &'v Value, key: &str) -> Option<&'v str> {
    value.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// The last path component of a member name.
pub(crate) fn base(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

/// Hashtags in plain text (`#word`), lower-cased, for formats that do not list them.
pub(crate) fn hashtags(text: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for (i, _) in text.match_indices('#') {
        let before = text[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '&') {
            continue;
        }
        let tag: String =
            text[i + 1..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if !tag.is_empty() && !tag.chars().all(|c| c.is_ascii_digit()) {
            let tag = tag.to_lowercase();
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
    }
    tags
}

/// Links in plain text, for formats that do not list them.
pub(crate) fn links(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in text.split(|c: char| c.is_whitespace() || matches!(c, '"' | '<' | '>' | '(')) {
        if word.starts_with("https://") || word.starts_with("http://") {
            let link = word.trim_end_matches(['.', ',', ')', ';', '!', '?']).to_owned();
            if !out.contains(&link) {
                out.push(link);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_hashtags_and_links_in_text() {
        assert_eq!(hashtags("Hi #Rust and #rust, not a#b or #123 #über_x"), ["rust", "über_x"]);
        assert_eq!(
            links("see https://a.example/x. and (http://b.example)"),
            ["https://a.example/x", "http://b.example"]
        );
    }
}
