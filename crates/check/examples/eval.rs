//! Retrains the model on the cross-source splits and prints its metrics; `--train FILE` writes the
//! shipped model from all the data instead; `--splits DIR` also writes the split files.

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut data = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"));
    let mut splits = None;
    let mut train = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--data" => data = args.next().ok_or("--data needs a folder")?.into(),
            "--splits" => {
                splits = Some(PathBuf::from(args.next().ok_or("--splits needs a folder")?))
            }
            "--train" => train = Some(PathBuf::from(args.next().ok_or("--train needs a file")?)),
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    if let Some(out) = train {
        let model = rapport_check::train_from_data(&data)?;
        std::fs::write(&out, model.to_bytes())?;
        println!("wrote {}", out.display());
        return Ok(());
    }
    println!("split\ttrain\ttest\tpositives\tprecision\trecall\tf1\tauc\tc\tcv_auc");
    for r in rapport_check::eval::eval(&data, splits.as_deref())? {
        let m = r.metrics;
        let (c, cv_auc) = r.choice.map_or((0.0, 0.0), |c| (c.c, c.cv_auc.unwrap_or(f64::NAN)));
        println!(
            "{}\t{}\t{}\t{}\t{:.4}\t{:.4}\t{:.4}\t{:.4}\t{c}\t{cv_auc:.4}",
            r.name, r.train_size, r.test_size, r.test_positives, m.precision, m.recall, m.f1, m.auc
        );
    }
    Ok(())
}
