//! Replying on Mastodon: the status replied to is found on the own instance by its URI
//! (`GET /api/v2/search` with `resolve`, since `in_reply_to_id` takes the instance's local id),
//! then `POST /api/v1/statuses` with `in_reply_to_id`. The status the instance answers with is
//! mapped as sync maps the own statuses, with its URI as id, so the next sync or an archive meets
//! the sent reply without a duplicate.

use rapport_model::Record;
use serde::Deserialize;
use serde_json::json;

use super::api::Status;
use super::map::{self, Me};
use super::{App, Client};
use crate::http::{self, Body, Http, Limits, Request};
use crate::{Result, SyncError};

/// `GET /api/v2/search`'s answer, the part read.
#[derive(Deserialize)]
struct Search {
    #[serde(default)]
    statuses: Vec<Status>,
}

/// Posts `text` as a reply to the status whose URI is `reply_to`, from the account of `app`, and
/// returns the records of the sent reply. The author replied to is mentioned first when the text
/// does not mention them (Mastodon notifies by mention). Nothing is retried: a status that may
/// have been made is never made twice.
pub fn post_reply(app: &App, reply_to: &str, text: &str, limits: Limits) -> Result<Vec<Record>> {
    const ENDPOINT: &str = "POST /api/v1/statuses";
    if text.trim().is_empty() {
        return Err(SyncError::Input("the reply is empty; write it first".into()));
    }
    let mut http = Http::new(Limits { retries: 0, ..limits });
    let query = [("q", reply_to), ("type", "statuses"), ("resolve", "true"), ("limit", "5")];
    let (found, _, _): (Search, _, _) =
        Client { app, http: &mut http }.get("/api/v2/search", &query)?;
    let Some(parent) = found.statuses.into_iter().find(|s| s.uri == reply_to) else {
        return Err(SyncError::Input(format!(
            "{} cannot find {} (deleted, or hidden from this account); nothing was sent",
            app.instance,
            crate::quote(reply_to)
        )));
    };
    let mention = format!("@{}", parent.account.acct);
    let text = if parent.account.acct == app.acct
        || parent.account.id == app.account_id
        || text.contains(&mention)
    {
        text.to_owned()
    } else {
        format!("{mention} {text}")
    };
    // Never wider than what is answered: a reply to a private status stays private.
    let visibility = match parent.visibility.as_str() {
        v @ ("unlisted" | "private" | "direct") => v,
        _ => "public",
    };
    let body = json!({ "status": text, "in_reply_to_id": parent.id, "visibility": visibility });
    let url = format!("{}/api/v1/statuses", app.instance);
    let answer = http.call(&Request {
        endpoint: ENDPOINT,
        url: &url,
        query: &[],
        bearer: Some(&app.token),
        body: Body::Json(&body),
    });
    let answer = match answer {
        // An account connected before replies could be sent holds a read-only token.
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
    map::status(&sent, &me, Some(reply_to)).map_err(|why| {
        SyncError::Input(format!(
            "the reply was sent as {} but cannot be stored ({why}); the next sync reads it",
            sent.uri
        ))
    })
}
