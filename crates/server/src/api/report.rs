//! The report: the same page `rapport report --html` writes (`GET /report`), and its headline
//! numbers and monthly series as JSON (`GET /api/report`); the lists it also shows have their own
//! endpoints (`/api/today`, `/api/discover`, `/api/groups`, `/api/audit`).

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use rapport_engine::report::ReportData;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::state::AppState;

/// The report, kept until the data changes or an action is done or snoozed here (its today list
/// shows them), with the groups the Groups page keeps (the report's costliest part after its
/// 18 months of stages).
async fn data(state: &AppState) -> Result<Arc<ReportData>, ApiError> {
    let key = format!("report/{}", state.actions_done.load(Ordering::Relaxed));
    let view = state.current_view();
    let groups = super::groups::groups(state).await?;
    state.cached(&key, move |engine| Ok(engine.read()?.report_with(&view, groups.to_vec())?)).await
}

pub(crate) async fn get(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let d = data(&state).await?;
    let h = &d.headline;
    Ok(Json(json!({
        "title": d.title,
        "accounts": d.accounts,
        "as_of": super::at(d.as_of),
        "headline": {
            "people": h.people, "interactions": h.interactions, "posts": h.posts,
            "mutual": h.mutual, "close": h.close, "warming": h.warming, "cooling": h.cooling,
            "one_sided": h.one_sided,
        },
        "stages": d.stages.iter().map(|s| json!({
            "month": super::at(s.month),
            "stranger": s.counts.stranger, "aware": s.counts.aware, "engaged": s.counts.engaged,
            "mutual": s.counts.mutual, "close": s.counts.close,
        })).collect::<Vec<_>>(),
        "warming": movers(&d.warming),
        "cooling": movers(&d.cooling),
        "give_ask": d.give_ask.iter().map(|p| json!({
            "month": super::at(p.month), "given": p.given, "asked": p.asked,
        })).collect::<Vec<_>>(),
        "promotional": d.promotional.iter().map(|p| json!({
            "month": super::at(p.month), "posts": p.posts, "promotional": p.promotional,
        })).collect::<Vec<_>>(),
    })))
}

fn movers(movers: &[rapport_engine::report::Mover]) -> Vec<Value> {
    movers
        .iter()
        .map(|m| {
            json!({
                "name": m.name, "network": m.network, "stage": m.stage,
                "strength_now": m.strength_now, "strength_90d_ago": m.strength_90d_ago,
                "last_interaction": super::maybe_at(m.last_interaction), "note": m.note,
            })
        })
        .collect()
}

/// The report page. Its styles are inline (it is meant to open as a lone file), so its policy
/// allows exactly its style block and its bar widths by their hashes, and still no script at all.
pub(crate) async fn page(
    State(state): State<AppState>,
) -> Result<Response, crate::pages::PageError> {
    let data = data(&state).await?;
    let html = rapport_engine::report::render_html(&data);
    let policy = format!(
        "default-src 'none'; style-src {}; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        style_hashes(&html)
    );
    let mut response = Html(html).into_response();
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, value);
    }
    Ok(response)
}

/// `'sha256-...'` for every `<style>` block and every distinct `style="..."` attribute of the
/// page (the latter need `'unsafe-hashes'`, which allows only those exact declarations).
fn style_hashes(html: &str) -> String {
    let hash = |css: &str| format!("'sha256-{}'", base64(&Sha256::digest(css.as_bytes())));
    let mut hashes = Vec::new();
    for (open, close) in [("<style>", "</style>"), (" style=\"", "\"")] {
        let mut rest = html;
        while let Some(at) = rest.find(open) {
            let body = &rest[at + open.len()..];
            let Some(end) = body.find(close) else { break };
            let h = hash(&body[..end]);
            if !hashes.contains(&h) {
                hashes.push(h);
            }
            rest = &body[end..];
        }
    }
    if html.contains(" style=\"") {
        hashes.insert(0, "'unsafe-hashes'".to_owned());
    }
    if hashes.is_empty() { "'none'".to_owned() } else { hashes.join(" ") }
}

/// Standard base64 with padding, as CSP hashes are written.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard() {
        for (bytes, expected) in [
            (&b""[..], ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
            (b"foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(bytes), expected);
        }
    }

    #[test]
    fn every_style_block_is_hashed() {
        let page = "<style>a{}</style><p>x</p><style>b{}</style>";
        let policy = style_hashes(page);
        assert_eq!(policy.matches("'sha256-").count(), 2);
        let bars = r#"<style>a{}</style><span style="width:5%"></span><i style="width:5%"></i><b style="width:7%"></b>"#;
        let policy = style_hashes(bars);
        assert!(policy.starts_with("'unsafe-hashes' "), "{policy}");
        assert_eq!(policy.matches("'sha256-").count(), 3);
        assert_eq!(style_hashes("<p>no style</p>"), "'none'");
    }
}
