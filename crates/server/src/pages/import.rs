//! Import: drop an export on the page (or choose it); it is uploaded, imported as `rapport import`
//! would, with progress, and ends with the same summary.

use axum::extract::State;
use maud::{Markup, html};

use super::layout;
use crate::state::AppState;

pub(crate) async fn page(State(state): State<AppState>) -> Markup {
    let limit_mib = state.upload_limit / (1024 * 1024);
    layout("Import", "/import", &state.frame(), render(limit_mib))
}

fn render(limit_mib: u64) -> Markup {
    html! {
        h1 { "Import an export" }
        p.lead {
            "An X, Facebook, Mastodon, Bluesky (CAR) or LinkedIn export, or a table (CSV, JSON Lines, SNAP), plain or gzip; up to "
            (limit_mib) " MiB here (larger ones with " code { "rapport import" } "). Each file is imported whole or not at all."
        }
        form #import-form.dropzone {
            label for="import-file" { "Drop the file here, or choose it" }
            input #import-file type="file" name="file" required;
            button type="submit" { "Import" }
        }
        div #import-progress hidden {
            progress #import-bar max="100" value="0" aria-label="Import progress" {}
            span #import-state aria-live="polite" {}
        }
        div #import-summary aria-live="polite" {}
    }
}
