//! `rapport eval check`: the draft checker's model retrained on cross-source splits of the public
//! data and scored on a source it never saw; `--train` retrains the shipped model from all of it
//! and confirms it is the embedded one, bit for bit.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use clap::Args;
use rapport_engine::eval::{evaluate_check, retrain_check_model};

use crate::output::{Cell, Format, Listing};

#[derive(Debug, Args)]
pub(crate) struct CheckEvalArgs {
    /// Retrain the shipped model from all the data and compare it with the embedded one
    #[arg(long)]
    train: bool,
    /// With --train, write the retrained model file here (crates/check/model/check-model.bin)
    #[arg(long, value_name = "PATH", requires = "train")]
    write: Option<PathBuf>,
    /// Also write each split as <DIR>/<split>/{train,test}.tsv, for other tools
    #[arg(long, value_name = "DIR", conflicts_with = "train")]
    splits: Option<PathBuf>,
    /// The folder holding uci-youtube-spam, uci-sms-spam and clickbait-headlines-chakraborty
    #[arg(long, env = "RAPPORT_DATA", value_name = "DIR", default_value = "../shared/data")]
    data_dir: PathBuf,
    /// Output format of the table
    #[arg(long, value_enum, default_value_t)]
    output: Format,
}

pub(crate) fn run(args: &CheckEvalArgs) -> anyhow::Result<ExitCode> {
    let hint = || super::data_hint("--data-dir", &args.data_dir);
    if args.train {
        let retrained = retrain_check_model(&args.data_dir).with_context(hint)?;
        let bytes = &retrained.bytes;
        if let Some(path) = &args.write {
            std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))?;
        }
        if !retrained.identical {
            bail!(
                "the retrained model ({} bytes) differs from the shipped one ({} bytes); \
                 rerun with --write crates/check/model/check-model.bin and rebuild to ship it",
                bytes.len(),
                retrained.shipped_len
            );
        }
        println!("the retrained model is identical to the shipped one ({} bytes)", bytes.len());
        return Ok(ExitCode::SUCCESS);
    }

    let results = evaluate_check(&args.data_dir, args.splits.as_deref()).with_context(hint)?;
    let mut listing = Listing::new(&[
        "split",
        "train",
        "test",
        "positives",
        "precision",
        "recall",
        "f1",
        "roc_auc",
        "c",
        "description",
    ]);
    for r in results {
        let m = r.metrics;
        listing.push(vec![
            r.name.into(),
            Cell::Int(r.train_size as i64),
            Cell::Int(r.test_size as i64),
            Cell::Int(r.test_positives as i64),
            Cell::Float(m.precision, 4),
            Cell::Float(m.recall, 4),
            Cell::Float(m.f1, 4),
            Cell::Float(m.auc, 4),
            // The penalty cross-validation over the training sources chose.
            Cell::Float(r.choice.map_or(0.0, |c| c.c), 0),
            r.description.into(),
        ]);
    }
    listing.print(args.output, &mut crate::commands::stdout())?;
    Ok(ExitCode::SUCCESS)
}
