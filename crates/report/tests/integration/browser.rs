//! The page in a real browser: Debian's headless Chromium, driven by the Node script in
//! `tests/report-browser`, renders `example()`, takes screenshots and reports what the page holds.
//!
//! Gated behind `RAPPORT_BROWSER_TEST=1` because it needs `/usr/bin/chromium` and `npm ci` in
//! `tests/report-browser`; without it the test says loudly that it did not run, and passes.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// Writes straight to stderr, which the test harness does not capture, so the note is always seen.
fn note(message: &str) {
    let _ = writeln!(std::io::stderr(), "{message}");
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Whether the browser tests were asked for; says so loudly when they were not.
fn enabled(test: &str) -> bool {
    let on = std::env::var("RAPPORT_BROWSER_TEST").as_deref() == Ok("1");
    if !on {
        note(&format!(
            "report browser test `{test}` NOT RUN: set RAPPORT_BROWSER_TEST=1 \
             (needs /usr/bin/chromium and `npm ci` in tests/report-browser)"
        ));
    }
    on
}

/// Renders `data` to `NAME.html` under the test's temporary folder, runs the Node script on it and
/// returns its summary and the screenshot's path.
fn check_in_browser(name: &str, data: &rapport_report::ReportData) -> (Value, PathBuf) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-browser");
    std::fs::create_dir_all(&dir).expect("create the output folder");
    let html = dir.join(format!("{name}.html"));
    let png = dir.join(format!("{name}.png"));
    std::fs::write(&html, rapport_report::render_html(data)).expect("write the report");
    let script = workspace_root().join("tests/report-browser/check.mjs");
    let output = Command::new("node")
        .arg(&script)
        .arg(&html)
        .arg(&png)
        .output()
        .expect("run node (is Node.js installed?)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{} failed: {}\n{stdout}",
        script.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let summary: Value = serde_json::from_str(&stdout).expect("the script prints JSON");
    note(&format!("report browser test: {name} screenshots in {}", dir.display()));
    (summary, png)
}

/// What every page must satisfy in a browser: nothing logged, nothing fetched, nothing too wide.
fn assert_clean(summary: &Value) {
    assert_eq!(summary["consoleErrors"], Value::Array(Vec::new()), "no console errors");
    assert_eq!(summary["externalRequests"], Value::Array(Vec::new()), "the page requests nothing");
    assert_eq!(
        summary["phone"]["overflow"],
        Value::Bool(false),
        "no sideways scrolling at 390 px: {summary:#}"
    );
}

#[test]
fn example_report_in_headless_chromium() {
    if !enabled("example") {
        return;
    }
    let (summary, png) = check_in_browser("report", &rapport_report::example());

    let charts = summary["chartsWithMarks"].as_u64().unwrap_or(0);
    assert!(charts >= 3, "at least three charts hold data marks: {summary:#}");
    let tables = summary["tables"].as_array().expect("tables");
    assert!(tables.len() >= 3, "the warming, cooling and discover tables are there: {summary:#}");
    for table in tables {
        assert!(table["rows"].as_u64().unwrap_or(0) > 0, "every table holds rows: {table}");
    }
    assert_clean(&summary);
    assert!(png.exists(), "the screenshot was written");
}

#[test]
fn long_hostile_strings_still_fit_a_phone() {
    if !enabled("stress") {
        return;
    }
    let (summary, _) = check_in_browser("stress", &crate::fixture::stress_report_data());
    assert_clean(&summary);
}
