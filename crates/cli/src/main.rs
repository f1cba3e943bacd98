//! The `rapport` command: parses the command line, runs one command against the engine, prints the
//! result, and owns exit codes (1 for an error of the user's input, 2 for a usage error, 3 for a
//! failure inside Rapport or the machine). All behaviour lives in `rapport-engine`.

mod cli;
mod commands;
mod hints;
mod output;
mod progress;
mod terminal;

use std::io::ErrorKind;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    init_tracing();
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(err) => {
            // A closed pipe (`rapport people | head`) is a normal way for output to end.
            if err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            // Error messages quote files and servers, which may hold terminal escapes.
            eprintln!("error: {}", terminal::neutralise(&format!("{err:#}")));
            let engine_error = err.chain().find_map(|e| e.downcast_ref::<rapport_engine::Error>());
            if let Some(hint) = engine_error.and_then(hints::hint) {
                eprintln!("hint: {hint}");
            }
            hints::exit_code(&err)
        }
    }
}

/// Prints the engine's spans with their durations to stderr when `RAPPORT_LOG` names a level or
/// filter (`RAPPORT_LOG=debug`, `RAPPORT_LOG=rapport_engine=debug`): where a slow command spends its
/// time, without a profiler. Unset, nothing is installed and spans cost nothing.
fn init_tracing() {
    use tracing_subscriber::{EnvFilter, fmt::format::FmtSpan};
    let Ok(filter) = EnvFilter::try_from_env("RAPPORT_LOG") else { return };
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_span_events(FmtSpan::CLOSE)
        .with_writer(std::io::stderr)
        .init();
}
