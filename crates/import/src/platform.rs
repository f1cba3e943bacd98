//! Platform exports (X, Facebook, Mastodon, LinkedIn): recognised from the names of their members,
//! whatever the container (zip, tar.gz, folder), and handed to the platform's importer.

use std::path::Path;

use rapport_model::Network;

use crate::archive::{self, Archive, Container};
use crate::export::Export;
use crate::sink::Context;
use crate::{ErrorKind, Format, ImportError, ReadOptions, Sink, facebook, linkedin, mastodon, x};

/// The platform format of the archive at `path`: `Ok(None)` when `path` is not an archive, an error
/// when it is one but holds no export this version reads.
pub(crate) fn detect(path: &Path, ctx: &Context<'_>) -> Result<Option<Format>, ImportError> {
    let Some(container) = archive::sniff(path).map_err(|kind| ctx.error(None, kind))? else {
        return Ok(None);
    };
    let archive = Archive::open(path, container).map_err(|(at, kind)| ctx.error(at, kind))?;
    match classify(&archive) {
        Some(format) => Ok(Some(format)),
        None if container == Container::Folder => Err(ctx.error(None, ErrorKind::Folder)),
        None => Err(ctx.error(
            None,
            ErrorKind::UnknownFormat(
                "an archive with no X, Facebook, Mastodon or LinkedIn export in it".into(),
            ),
        )),
    }
}

/// The platform whose member names the archive matches best, if any matches.
fn classify(archive: &Archive) -> Option<Format> {
    let names: Vec<&str> = archive.entries().iter().map(|e| e.name.as_str()).collect();
    let scores = [
        (x::score(&names), Format::XArchive),
        (facebook::score(&names), Format::Facebook),
        (mastodon::score(&names), Format::Mastodon),
        (linkedin::score(&names), Format::LinkedIn),
    ];
    let best = scores.iter().max_by_key(|(score, _)| *score)?;
    (best.0 > 0).then_some(best.1)
}

/// Reads the archive at `path` as `format`.
pub(crate) fn read(ctx: &mut Context<'_>, format: Format) -> Result<(), ImportError> {
    let container = archive::sniff(ctx.path).map_err(|kind| ctx.error(None, kind))?;
    let Some(container) = container else {
        let kind = if ctx.path.exists() {
            ErrorKind::UnknownFormat(format!(
                "this is not a zip, tar.gz or folder, which a {format} export is"
            ))
        } else {
            ErrorKind::NotFound
        };
        return Err(ctx.error(None, kind));
    };
    let archive = Archive::open(ctx.path, container).map_err(|(at, kind)| ctx.error(at, kind))?;
    dispatch(ctx, archive, format)
}

fn dispatch(ctx: &mut Context<'_>, archive: Archive, format: Format) -> Result<(), ImportError> {
    // A Bluesky repository is a CAR file, read by its own module, not an archive of members.
    let network = match format.network() {
        Some(network) if format != Format::BlueskyCar => network,
        _ => {
            return Err(ctx.error(
                None,
                ErrorKind::UnknownFormat(format!("{format} is not an archive format")),
            ));
        }
    };
    let mut ex = Export::new(ctx, archive);
    match network {
        Network::X => x::read(&mut ex),
        Network::Facebook => facebook::read(&mut ex),
        Network::Mastodon => mastodon::read(&mut ex),
        _ => linkedin::read(&mut ex),
    }
}

/// Reads an export held in memory, a zip or a tar(.gz): for fuzzing and for callers that download.
/// `format` `None` detects it from the member names. Errors name the path `<memory>`.
pub fn read_bytes(
    bytes: &[u8],
    format: Option<Format>,
    options: &ReadOptions,
    sink: &mut dyn Sink,
) -> Result<Format, ImportError> {
    let path = Path::new("<memory>");
    let mut ctx = Context::new(path, options, sink);
    let archive = Archive::from_bytes(bytes.to_vec()).map_err(|(at, kind)| ctx.error(at, kind))?;
    read_archive(&mut ctx, archive, format)
}

/// Reads an export given as (member path, content) pairs, as if they were the files of an extracted
/// folder: for fuzzing single members and for tests. Member paths are checked like any other.
pub fn read_members(
    members: Vec<(String, Vec<u8>)>,
    format: Option<Format>,
    options: &ReadOptions,
    sink: &mut dyn Sink,
) -> Result<Format, ImportError> {
    let path = Path::new("<memory>");
    let mut ctx = Context::new(path, options, sink);
    let archive = Archive::from_members(members).map_err(|(at, kind)| ctx.error(at, kind))?;
    read_archive(&mut ctx, archive, format)
}

fn read_archive(
    ctx: &mut Context<'_>,
    archive: Archive,
    format: Option<Format>,
) -> Result<Format, ImportError> {
    let format = match format.or_else(|| classify(&archive)) {
        Some(f) => f,
        None => {
            return Err(ctx.error(
                None,
                ErrorKind::UnknownFormat(
                    "no X, Facebook, Mastodon or LinkedIn export in it".into(),
                ),
            ));
        }
    };
    dispatch(ctx, archive, format)?;
    Ok(format)
}
