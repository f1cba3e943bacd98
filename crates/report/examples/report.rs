//! Writes the example report to a file, to look at the design without a store:
//! `cargo run -p rapport-report --example report -- report.html`, or with `--empty` to see what a
//! new user with nothing imported sees.

use std::path::PathBuf;

use rapport_report::{ReportData, example, render_html};

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let empty = args.iter().any(|a| a == "--empty");
    let path = args.iter().find(|a| *a != "--empty").map_or("report.html", String::as_str);
    let data = if empty { ReportData::default() } else { example() };
    let path = PathBuf::from(path);
    std::fs::write(&path, render_html(&data))?;
    println!("wrote {}", path.display());
    Ok(())
}
