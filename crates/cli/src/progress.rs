//! A progress bar on a terminal, silence in a pipe.

use std::io::IsTerminal;
use std::path::Path;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rapport_engine::Progress;

/// Draws one bar per file on stderr when stderr is a terminal; draws nothing otherwise.
pub(crate) struct Bar {
    bar: Option<ProgressBar>,
    visible: bool,
}

impl Bar {
    pub(crate) fn new() -> Bar {
        Bar { bar: None, visible: std::io::stderr().is_terminal() }
    }
}

impl Progress for Bar {
    fn start(&mut self, file: &Path, total: u64) {
        if !self.visible {
            return;
        }
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(
            "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {eta}",
        )
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.set_message(
            file.file_name()
                .map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into_owned()),
        );
        self.bar = Some(bar);
    }

    fn advance(&mut self, done: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(done);
        }
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
