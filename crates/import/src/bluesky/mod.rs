//! Bluesky repositories: the `repo.car` of "Export my data" or of `com.atproto.sync.getRepo`.
//!
//! A repository is a CAR file (v1, or v1 wrapped in v2) of DAG-CBOR blocks: a signed commit, the
//! Merkle search tree under it, and the records. The whole file is checked before anything is
//! emitted (the header, every block's CID against its bytes, the commit, the tree's invariants and
//! key syntax, and for a download the commit's signature against the account's key), so a corrupt,
//! truncated or forged repository is refused with the byte offset of the fault and nothing reaches
//! the store. A file names no key, so for a file the summary says the signature was not checked. Records are then read in key
//! order and reduced to accounts, posts and interactions from the owner's point of view.

#[cfg(any(test, feature = "test-utils"))]
pub mod build;
mod car;
mod fetch;
mod firehose;
mod identity;
mod names;
mod post;
mod received;
mod records;
mod repo;
mod signature;
mod syntax;
mod values;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use ipld_core::ipld::Ipld;
use rapport_model::{Account, Network, Record};

pub use fetch::{DEFAULT_SERVICE, FetchLimits, Fetched, fetch_repo, fetch_repo_within, name_met};
pub use firehose::{Commit, Frame, FrameError, decode_frame};
pub use identity::DEFAULT_DIRECTORY;
pub use names::{MAX_NAMED, NAMES_REPORT, Names};
pub use received::{Mapped, map_json};
pub use signature::Key;
pub use syntax::{did as valid_did, handle as valid_handle};

use crate::input::open_file;
use crate::sink::{Context, Sink, SinkError, Skipped};
use crate::{ErrorKind, FieldReport, ImportError, Location, ReadOptions};
use records::{Outcome, Source};

/// The collection of the owner's profile record.
const PROFILE: &str = "app.bsky.actor.profile";

/// True when `path` is a file that starts like a CAR file; detection reads its first bytes only.
pub(crate) fn is_car_file(path: &Path) -> bool {
    let mut head = Vec::with_capacity(16);
    let Ok(file) = std::fs::File::open(path) else { return false };
    file.take(16).read_to_end(&mut head).is_ok() && car::looks_like_car(&head)
}

/// Reads the repository file of `ctx`.
pub(crate) fn read(ctx: &mut Context<'_>) -> Result<(), ImportError> {
    let mut bytes = Vec::new();
    open_file(ctx.path)
        .and_then(|mut f| f.read_to_end(&mut bytes).map_err(ErrorKind::Io))
        .map_err(|kind| ctx.error(None, kind))?;
    import(ctx, &bytes, None)
}

/// Reads a repository held in memory; `origin` names it in errors and skips.
pub fn read_bytes(
    bytes: &[u8],
    origin: &Path,
    options: &ReadOptions,
    sink: &mut dyn Sink,
) -> Result<(), ImportError> {
    let mut ctx = Context::new(origin, options, sink);
    import(&mut ctx, bytes, None)
}

/// Reads a repository downloaded with [`fetch_repo`]: it must be the account asked for, whose
/// handle then joins "me".
pub fn read_fetched(
    fetched: &Fetched,
    options: &ReadOptions,
    sink: &mut dyn Sink,
) -> Result<(), ImportError> {
    let origin = fetched.origin();
    let mut ctx = Context::new(&origin, options, sink);
    import(&mut ctx, &fetched.car, Some(fetched))
}

/// Parses a repository into records, for fuzzing and tests: any input gives `Ok` or `Err`.
pub fn parse(bytes: &[u8]) -> Result<Vec<Record>, ImportError> {
    let mut sink = Collect::default();
    read_bytes(bytes, Path::new("repo.car"), &ReadOptions::default(), &mut sink)?;
    Ok(sink.0)
}

/// A structural fault of the file, as the error that names its byte offset.
fn corrupt(ctx: &Context<'_>, e: car::CarError) -> ImportError {
    ctx.error(Some(Location::Offset(e.offset)), ErrorKind::BadRepository(e.why))
}

/// Checks the whole repository, then emits its records; `fetched` is set for a download.
fn import(
    ctx: &mut Context<'_>,
    bytes: &[u8],
    fetched: Option<&Fetched>,
) -> Result<(), ImportError> {
    let total = bytes.len() as u64;
    let car =
        car::parse(bytes, &mut |done| ctx.progress(done, total)).map_err(|e| corrupt(ctx, e))?;
    let repo = repo::open(&car).map_err(|e| corrupt(ctx, e))?;
    let root_offset = car.blocks.get(&car.roots[0]).map_or(0, |b| b.offset);
    if let Some(f) = fetched.filter(|f| f.did != repo.did) {
        let why = format!("the server sent the repository of {}, not of {}", repo.did, f.did);
        return Err(ctx.error(Some(Location::Offset(root_offset)), ErrorKind::BadRepository(why)));
    }
    let mut commit = FieldReport::new("commit");
    commit.items = 1;
    match fetched {
        Some(f) => {
            signature::verify(&repo.commit, &f.key).map_err(|why| {
                ctx.error(Some(Location::Offset(root_offset)), ErrorKind::BadRepository(why))
            })?;
            commit.outcome("signature verified with the key of the account's DID document");
        }
        None => commit.outcome(
            "signature not verified: a file does not say which key is the account's (import bsky:DID to verify it)",
        ),
    }
    let me = Account {
        handle: fetched.and_then(|f| f.handle.clone()),
        url: Some(format!("https://bsky.app/profile/{}", repo.did)),
        ..Account::new(Network::Bluesky, &repo.did)
    };
    if !repo.entries.iter().any(|e| e.collection == PROFILE) {
        ctx.emit(Record::Me(me.clone()), Location::Offset(root_offset))?;
    }
    // Every record block is found before anything is emitted: a record the tree names but the file
    // lacks means an incomplete download, refused unless the user asked to skip what cannot be read.
    let mut reached = repo.reached;
    let mut found = Vec::with_capacity(repo.entries.len());
    for entry in &repo.entries {
        let block = match repo::block(&car, &entry.cid, "record", entry.node) {
            Ok(b) => {
                reached[b.index] = true;
                Ok(b)
            }
            Err(e) if !ctx.options.skip_invalid => return Err(corrupt(ctx, e)),
            Err(e) => Err(e),
        };
        found.push(block);
    }
    let mut reports: BTreeMap<String, FieldReport> = BTreeMap::new();
    for (entry, block) in repo.entries.iter().zip(found) {
        let report = reports
            .entry(entry.collection.clone())
            .or_insert_with(|| FieldReport::new(&entry.collection));
        report.items += 1;
        let uri = format!("at://{}/{}/{}", repo.did, entry.collection, entry.rkey);
        record(
            ctx,
            &me,
            &uri,
            block.and_then(|b| Ok((b.offset, repo::decode(&entry.cid, &b)?))),
            report,
        )?;
    }
    unreached(ctx, &car, &reached, &mut reports);
    // The accounts met, with the handles and names found for them after the download.
    if let Some(names) = fetched.and_then(|f| f.names.as_ref()) {
        for account in &names.accounts {
            ctx.emit(Record::Account(account.clone()), Location::Offset(root_offset))?;
        }
        ctx.fields(&names.report);
    }
    ctx.fields(&commit);
    for report in reports.values() {
        ctx.fields(report);
    }
    ctx.progress(total, total);
    Ok(())
}

/// Maps one record (its block's offset and decoded value, or why it could not be read) and emits,
/// skips or refuses it, counting its fields in `report`.
fn record(
    ctx: &mut Context<'_>,
    me: &Account,
    uri: &str,
    decoded: Result<(u64, Ipld), car::CarError>,
    report: &mut FieldReport,
) -> Result<(), ImportError> {
    let (offset, value) = match decoded {
        Ok(found) => found,
        Err(e) => {
            report.outcome("invalid");
            return ctx.invalid(Location::Offset(e.offset), ErrorKind::BadRepository(e.why));
        }
    };
    let at = Location::Offset(offset);
    let (outcome, mapped) = records::map(&Source { me, uri, value: &value });
    values::account(report, &value, mapped);
    match outcome {
        Outcome::Import(records, what) => {
            report.outcome(what);
            for record in records {
                ctx.emit(record, at.clone())?;
            }
        }
        Outcome::Skip(why) => {
            report.outcome(&format!("skipped: {why}"));
            ctx.skip(at, format!("{uri}: {why}"));
        }
        Outcome::Invalid(why) => {
            report.outcome("invalid");
            ctx.invalid(at, ErrorKind::Malformed(format!("{uri}: {why}")))?;
        }
    }
    Ok(())
}

/// Accounts for the records the file carries but the current tree no longer holds (older versions
/// and deleted records, which exports with history keep): each is skipped with the reason. Blocks
/// that are not records (older commits and tree nodes) are structure, not data.
fn unreached(
    ctx: &mut Context<'_>,
    car: &car::Car<'_>,
    reached: &[bool],
    reports: &mut BTreeMap<String, FieldReport>,
) {
    let unreached = car.order.iter().zip(reached).filter(|(_, reached)| !**reached);
    for (cid, _) in unreached {
        let Some(block) = car.blocks.get(cid) else { continue };
        let Ok(value) = repo::decode(cid, block) else { continue };
        let Some(kind) = values::text(values::field(Some(&value), "$type")) else { continue };
        let why = "no longer in the repository (deleted, or an older version of a record)";
        let report = reports.entry(kind.to_owned()).or_insert_with(|| FieldReport::new(kind));
        report.items += 1;
        report.outcome(&format!("skipped: {why}"));
        ctx.skip(Location::Offset(block.offset), format!("{kind} {cid}: {why}"));
    }
}

/// A sink that keeps the records, for [`parse`].
#[derive(Default)]
struct Collect(Vec<Record>);

impl Sink for Collect {
    fn record(&mut self, record: Record) -> Result<(), SinkError> {
        self.0.push(record);
        Ok(())
    }
    fn skipped(&mut self, _: Skipped) {}
    fn progress(&mut self, _: u64, _: u64) {}
}
