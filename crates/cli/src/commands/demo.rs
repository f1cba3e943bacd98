//! `rapport demo`: the bundled sample account, end to end, in a store of its own: import,
//! relationships, today's actions, the audit, drafts checked, discovery, groups.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use rapport_engine::check::DraftKind;
use rapport_engine::sample::{self, SampleSpec};
use rapport_engine::{Config, DiscoverQuery, DraftQuery, Engine, PeopleQuery, SortKey, TodayQuery};

use crate::cli::Global;
use crate::output::Format;

#[derive(Debug, Args)]
pub(crate) struct DemoArgs {
    /// The sample's random seed
    #[arg(long, default_value_t = SampleSpec::default().seed)]
    seed: u64,
    /// How many people surround the sample account
    #[arg(long, default_value_t = SampleSpec::default().people)]
    people: usize,
}

/// What the sample business offers, for today's warm opportunities.
const OFFER: &str = "compost bins, soil testing kits, rainwater workshops, leaf mould cages";

/// Drafts the tour checks: a cold pitch, engagement bait, and a friendly reply.
const DRAFTS: [(DraftKind, Option<&str>, &str); 3] = [
    (
        DraftKind::Dm,
        Some("kirastone226@town.example"),
        "Hi! We sell premium compost bins. 20% off this week only if you order today: https://greenfork.example/shop",
    ),
    (
        DraftKind::Post,
        None,
        "Like and share if you love gardening! Tag 3 friends to win a compost bin!!!",
    ),
    (
        DraftKind::Reply,
        None,
        "Congratulations on the harvest! How did the no-dig beds do in the dry spell?",
    ),
];

pub(crate) fn run(global: &Global, args: &DemoArgs) -> anyhow::Result<ExitCode> {
    let config = match &global.db {
        // In PostgreSQL the demo keeps to a workspace of its own, unless --workspace names one;
        // its report goes where the store file would be, so that folder must exist.
        _ if global.database.is_some() => {
            let files = global.db.as_ref().map_or_else(Config::demo, Config::with_db);
            if let Some(dir) = files.db.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("creating the folder {}", dir.display()))?;
            }
            super::with_database(global, files, Some("demo"))
        }
        Some(db) => Config::with_db(db),
        None => {
            // The demo's own store, emptied first: the demo never writes into the user's data.
            let demo = Config::demo();
            demo.remove_store()
                .with_context(|| format!("emptying the demo store {}", demo.db.display()))?;
            demo
        }
    };
    let engine = Engine::open(&config)?;
    let spec = SampleSpec { seed: args.seed, people: args.people, ..SampleSpec::default() };
    let counts = engine.load_sample(&spec)?;
    engine.set_setting("offer", OFFER)?;
    let mut out = super::stdout();
    let rule = |out: &mut dyn Write, title: &str| {
        writeln!(out, "\n── {title} {}", "─".repeat(70usize.saturating_sub(title.len())))
    };

    writeln!(
        out,
        "Rapport demo: Greenfork Garden Supply, a small garden business on Mastodon and Bluesky."
    )?;
    let snapshot = engine.read()?;
    let view = global.view();
    let stats = snapshot.stats()?;
    writeln!(
        out,
        "Imported {} records ({} new): {} accounts, {} interactions, {} posts over 18 months, into {}",
        counts.read,
        counts.new,
        stats.accounts,
        stats.interactions,
        stats.posts,
        engine.db_path().display()
    )?;

    rule(&mut out, "Your strongest relationships")?;
    let query = PeopleQuery { limit: Some(8), ..PeopleQuery::default() };
    super::people::listing(&snapshot.people(&view, &query)?.people)
        .print(Format::Table, &mut out)?;
    rule(&mut out, "Going cold")?;
    let cooling =
        PeopleQuery { cooling: true, limit: Some(5), sort: SortKey::Cooling, ..query.clone() };
    super::people::listing(&snapshot.people(&view, &cooling)?.people)
        .print(Format::Table, &mut out)?;

    rule(&mut out, "Today")?;
    let today = snapshot.today(&view, &TodayQuery { limit: 6 })?;
    super::today::print(&today, &mut out)?;

    rule(&mut out, "Your habits")?;
    let audit = snapshot.audit(&view)?;
    super::audit::print(&audit, 4, &mut out)?;

    rule(&mut out, "Drafts, checked before sending")?;
    for (kind, to, text) in DRAFTS {
        let draft = DraftQuery { kind, to: to.map(str::to_owned), ..DraftQuery::default() };
        let report = snapshot.check_drafts(&view, &[text.to_owned()], &draft)?;
        let to = to.map(|t| format!(" to @{t}")).unwrap_or_default();
        writeln!(out, "\n{}{to}: \"{text}\"", kind.as_str())?;
        if let Some(report) = report.first() {
            super::check::print_detail(text, report, &mut out)?;
        }
    }

    rule(&mut out, "People who share your passions")?;
    let found =
        snapshot.discover(&view, &DiscoverQuery { limit: 5, ..DiscoverQuery::default() })?;
    super::discover::print(&found, &mut out)?;

    rule(&mut out, "Your groups")?;
    super::groups::listing(&snapshot.groups(&view)?).print(Format::Table, &mut out)?;

    let html = engine.db_path().with_file_name("report.html");
    super::report::write_html(&snapshot.report(&view)?, &html)?;
    writeln!(
        out,
        "\nExplore it yourself:  rapport --db {} people --sort trend",
        engine.db_path().display()
    )?;
    writeln!(
        out,
        "Sample owner: @{} (every command takes --as HANDLE to view another account)",
        sample::OWNER
    )?;
    writeln!(out, "\nThe full report, with charts, is in {}", html.display())?;
    Ok(ExitCode::SUCCESS)
}
