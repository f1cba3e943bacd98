//! Posting on Mastodon (`POST /api/v1/statuses`): a reply goes under the status answered, found on
//! the own instance by its URI (`GET /api/v2/search` with `resolve`, since `in_reply_to_id` takes
//! the instance's local id); a new message names its people by `@user@domain`, which the instance
//! turns into mentions, and a private one is a `direct` status (Mastodon's private message: only
//! the people mentioned see it). The status the instance answers with is mapped as sync maps the
//! own statuses, with its URI as id, so the next sync or an archive meets it without a duplicate.

use rapport_model::Record;
use serde::Deserialize;
use serde_json::json;

use super::api::Status;
use super::map::{self, Me};
use super::{App, Client};
use crate::http::{self, Body, Http, Limits, Request};
use crate::outgoing::{Mention, Outgoing};
use crate::{Result, SyncError};

/// `GET /api/v2/search`'s answer, the part read.
#[derive(Deserialize)]
struct Search {
    #[serde(default)]
    statuses: Vec<Status>,
}

/// Posts `outgoing` from the account of `app` and returns the records of the sent status. The
/// author of a status replied to is named too (Mastodon notifies by mention). Nothing is retried:
/// a status that may have been made is never made twice.
pub fn post(app: &App, outgoing: &Outgoing, limits: Limits) -> Result<Vec<Record>> {
    const ENDPOINT: &str = "POST /api/v1/statuses";
    if outgoing.text.trim().is_empty() {
        return Err(SyncError::Input("the message is empty; write it first".into()));
    }
    let mut http = Http::new(Limits { retries: 0, ..limits });
    let mut outgoing = outgoing.clone();
    let parent = match &outgoing.reply_to {
        Some(uri) => Some(find(app, &mut http, uri)?),
        None => None,
    };
    if let Some(parent) = &parent {
        let author = &parent.account;
        let mine = author.acct == app.acct || author.id == app.account_id;
        let named = outgoing.mentions.iter().any(|m| Some(&m.id) == author.uri.as_ref());
        if !mine && !named {
            let id = author.uri.clone().unwrap_or_default();
            outgoing.mentions.insert(0, Mention { handle: author.acct.clone(), id });
        }
    }
    let visibility = match &parent {
        _ if outgoing.private => "direct",
        // Never wider than what is answered: a reply to a private status stays private.
        Some(p) => match p.visibility.as_str() {
            v @ ("unlisted" | "private" | "direct") => v,
            _ => "public",
        },
        None => "public",
    };
    let mut body = json!({ "status": outgoing.text(), "visibility": visibility });
    if let Some(parent) = &parent {
        body["in_reply_to_id"] = parent.id.clone().into();
    }
    let url = format!("{}/api/v1/statuses", app.instance);
    let answer = http.call(&Request {
        endpoint: ENDPOINT,
        url: &url,
        query: &[],
        bearer: Some(&app.token),
        body: Body::Json(&body),
    });
    let answer = match answer {
        // An account connected before messages could be sent holds a read-only token.
        Err(SyncError::Status { status: 401 | 403, code, message, .. }) => {
            return Err(SyncError::Unauthorized {
                endpoint: ENDPOINT.to_owned(),
                account: app.instance.clone(),
                network: "mastodon",
                code,
                message,
            });
        }
        other => other?,
    };
    let sent: Status = http::json(ENDPOINT, &answer.body)?;
    let home = rapport_import::mastodon::host(&app.instance).unwrap_or("").to_owned();
    let me = Me { home, local_id: app.account_id.clone(), actor: app.actor.clone() };
    map::status(&sent, &me, outgoing.reply_to.as_deref()).map_err(|why| {
        SyncError::Input(format!(
            "the message was sent as {} but cannot be stored ({why}); the next sync reads it",
            sent.uri
        ))
    })
}

/// The status with URI `uri` as the own instance knows it.
fn find(app: &App, http: &mut Http, uri: &str) -> Result<Status> {
    let query = [("q", uri), ("type", "statuses"), ("resolve", "true"), ("limit", "5")];
    let (found, _, _): (Search, _, _) = Client { app, http }.get("/api/v2/search", &query)?;
    found.statuses.into_iter().find(|s| s.uri == uri).ok_or_else(|| {
        SyncError::Input(format!(
            "{} cannot find {} (deleted, or hidden from this account); nothing was sent",
            app.instance,
            crate::quote(uri)
        ))
    })
}
