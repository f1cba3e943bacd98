//! `rapport eval strength`: how well investment (what "strongest" means) ranks the pairs that
//! keep up sustained two-way contact over the next 90 days, beside the 30-day forecast and three
//! simple baselines on the same pairs, on the public suite.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;
use rapport_engine::eval::{StrengthRow, evaluate_strength};
use rapport_engine::model::time;
use rapport_engine::score::{HALF_LIFE_MONTHS, HALF_LIVES};

use crate::output::{Cell, Format, Listing};
use crate::progress::Bar;

#[derive(Debug, Args)]
pub(crate) struct StrengthEvalArgs {
    /// The folder holding the public suite
    #[arg(long, env = "RAPPORT_DATA", value_name = "DIR", default_value = "../shared/data")]
    data_dir: PathBuf,
    /// Also print investment at every half-life tried, not only the shipped one
    #[arg(long)]
    half_lives: bool,
    /// Output format of the table
    #[arg(long, value_enum, default_value_t)]
    output: Format,
}

pub(crate) fn run(args: &StrengthEvalArgs) -> anyhow::Result<ExitCode> {
    let rows = evaluate_strength(&args.data_dir, &mut Bar::new())
        .with_context(|| super::data_hint("--data-dir", &args.data_dir))?;
    let mut listing = Listing::new(&[
        "dataset",
        "cutoff",
        "split",
        "pairs",
        "positives",
        "score",
        "roc_auc",
        "average_precision",
    ]);
    for row in &rows {
        push_rows(&mut listing, row, args.half_lives);
    }
    listing.print(args.output, &mut crate::commands::stdout())?;
    Ok(ExitCode::SUCCESS)
}

/// One row per score: investment (at the shipped half-life, or at each tried), the forecast, then
/// the baselines.
fn push_rows(listing: &mut Listing, row: &StrengthRow, every_half_life: bool) {
    let eval = &row.eval;
    let mut scores: Vec<(String, _)> = HALF_LIVES
        .iter()
        .zip(eval.investment)
        .filter(|(h, _)| every_half_life || **h == HALF_LIFE_MONTHS)
        .map(|(h, m)| {
            let name = if h.is_finite() {
                format!("investment (half-life {h} months)")
            } else {
                "investment (no fading)".to_owned()
            };
            (name, m)
        })
        .collect();
    scores.extend([
        ("forecast 30d (strength)".to_owned(), eval.forecast),
        ("count".to_owned(), eval.count),
        ("recency".to_owned(), eval.recency),
        ("decayed count".to_owned(), eval.decayed),
    ]);
    for (score, m) in scores {
        listing.push(vec![
            row.dataset.into(),
            time::format_date(row.cutoff).into(),
            if row.tuning { "tuning" } else { "held out" }.into(),
            Cell::Int(eval.pairs as i64),
            Cell::Int(eval.positives as i64),
            score.into(),
            Cell::Float(m.roc_auc, 4),
            Cell::Float(m.average_precision, 4),
        ]);
    }
}
