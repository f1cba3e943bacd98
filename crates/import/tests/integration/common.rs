//! A sink that keeps everything, and a compact text rendering of it for snapshots.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rapport_import::{FieldReport, ImportError, ReadOptions, Sink, SinkError, Skipped};
use rapport_model::{InteractionKind, Record, time};

/// Everything an import produced.
#[derive(Debug, Default)]
pub(crate) struct Collected {
    pub(crate) records: Vec<Record>,
    pub(crate) skipped: Vec<Skipped>,
    pub(crate) reports: Vec<FieldReport>,
}

impl Sink for Collected {
    fn record(&mut self, record: Record) -> Result<(), SinkError> {
        self.records.push(record);
        Ok(())
    }
    fn skipped(&mut self, skipped: Skipped) {
        self.skipped.push(skipped);
    }
    fn progress(&mut self, _: u64, _: u64) {}
    fn fields(&mut self, report: &FieldReport) {
        self.reports.push(report.clone());
    }
}

impl Collected {
    pub(crate) fn posts(&self) -> usize {
        self.records.iter().filter(|r| matches!(r, Record::Post(_))).count()
    }
    pub(crate) fn private_posts(&self) -> usize {
        self.records.iter().filter(|r| matches!(r, Record::Post(p) if p.private)).count()
    }
    pub(crate) fn interactions(&self, kind: InteractionKind) -> usize {
        self.records
            .iter()
            .filter(|r| matches!(r, Record::Interaction(i) if i.kind == kind))
            .count()
    }
    pub(crate) fn me(&self) -> Option<&str> {
        self.records.iter().find_map(|r| match r {
            Record::Me(a) => Some(a.id.as_str()),
            _ => None,
        })
    }
    /// The report of the member whose path ends with `suffix`.
    pub(crate) fn report(&self, suffix: &str) -> &FieldReport {
        self.reports
            .iter()
            .find(|r| r.member.ends_with(suffix))
            .unwrap_or_else(|| panic!("no report for {suffix}"))
    }
}

/// The committed fixture folder of a platform case.
pub(crate) fn fixture(platform: &str, case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures").join(platform).join(case)
}

/// Imports `path` with detection.
pub(crate) fn import(path: &Path) -> Result<Collected, ImportError> {
    let mut sink = Collected::default();
    rapport_import::read(path, &ReadOptions::default(), &mut sink)?;
    Ok(sink)
}

/// One line per record, skip and field report: stable, readable snapshots.
pub(crate) fn render(c: &Collected) -> String {
    let mut out = String::new();
    let opt = |s: &Option<String>| s.clone().unwrap_or_else(|| "-".into());
    let at = |t: Option<i64>| t.map_or_else(|| "undated".to_owned(), time::format);
    for r in &c.records {
        let _ = match r {
            Record::Me(a) => writeln!(
                out,
                "me {} @{} {:?} {}",
                a.id,
                opt(&a.handle),
                opt(&a.display_name),
                opt(&a.url)
            ),
            Record::Account(a) => writeln!(
                out,
                "account {} @{} {:?} {}",
                a.id,
                opt(&a.handle),
                opt(&a.display_name),
                opt(&a.url)
            ),
            Record::Interaction(i) => writeln!(
                out,
                "{} {} -> {} {} native={} post={} reply_to={} text={:?}",
                i.kind,
                i.source,
                i.target,
                at(i.at),
                opt(&i.native_id),
                opt(&i.post_id),
                opt(&i.reply_to),
                opt(&i.text)
            ),
            Record::Post(p) => writeln!(
                out,
                "post {} by {} {} private={} reply_to={}/{} quote={} tags={:?} mentions={:?} links={:?} text={:?}",
                p.id,
                p.author,
                at(p.at),
                p.private,
                opt(&p.reply_to),
                opt(&p.reply_to_author),
                opt(&p.quote_of),
                p.hashtags,
                p.mentions,
                p.links,
                p.text
            ),
        };
    }
    for s in &c.skipped {
        let _ = writeln!(out, "skipped {}: {}", s.location, s.reason);
    }
    for r in &c.reports {
        let _ = writeln!(out, "report {} items={} unread={:?}", r.member, r.items, r.unread);
        for (k, v) in &r.mapped {
            let _ = writeln!(out, "  mapped {k} {v}");
        }
        for (k, v) in &r.ignored {
            let _ = writeln!(out, "  ignored {k} {v}");
        }
        for (k, v) in &r.outcomes {
            let _ = writeln!(out, "  outcome {k} {v}");
        }
    }
    out
}

/// Every file under `dir`, as (path relative to `dir`, content) pairs, for tests that rename,
/// drop or cut members of a fixture before reading it with [`import_members`].
pub(crate) fn members_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let mut entries: Vec<_> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let name = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
                out.push((name, std::fs::read(&path).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out
}

/// Imports an export given as members, detecting its format unless `format` is set.
pub(crate) fn import_members(
    members: Vec<(String, Vec<u8>)>,
    format: Option<rapport_import::Format>,
) -> Result<Collected, ImportError> {
    let mut sink = Collected::default();
    rapport_import::read_members(members, format, &ReadOptions::default(), &mut sink)?;
    Ok(sink)
}
