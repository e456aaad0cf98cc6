//! Readers' e-mail subscriptions: the API the widget subscribes through,
//! and the pages a message's links open: confirm the address, unsubscribe
//! (one click: `POST` with `List-Unsubscribe=One-Click`, RFC 8058; a
//! browser's `GET` asks first, since link scanners follow links), and
//! manage every subscription of the address on the site. The links carry
//! their own signed token, so these pages need no sign-in and no Origin
//! check: only the link's holder can act.

use crate::client::ClientAddr;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::rate::limit;
use crate::rate::Action;
use crate::routes::site_id;
use crate::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rostra_core::{Cadence, SubscriptionKind};
use rostra_service::mail::strings::{fill, strings, MailStrings};
use rostra_service::mail::{ManageChange, Managed, SubscribeInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A subscription to a page's comments.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SubscribeRequest {
    /// The page's URL.
    pub url: String,
    /// The page's title.
    #[serde(default)]
    pub title: Option<String>,
    /// The reader's address; mail goes to it only once it is confirmed.
    pub email: String,
    /// `thread` (every new comment, the default) or `replies`.
    #[serde(default)]
    pub notify: Option<String>,
    /// `instant` (the default) or `digest`.
    #[serde(default)]
    pub cadence: Option<String>,
    /// The language of the mail.
    #[serde(default)]
    pub lang: Option<String>,
}

/// The same answer whether or not the address was known.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubscribeAccepted {
    /// Always `accepted`.
    pub status: &'static str,
}

/// Subscribes an address to a page. An unconfirmed address is sent one
/// confirmation link (at most one per address every ten minutes, and three
/// unanswered in all); nothing else is mailed before it is confirmed.
#[utoipa::path(
    post,
    path = "/api/v1/sites/{site}/subscriptions",
    tag = "subscriptions",
    params(("site" = String, Path, description = "Site id")),
    request_body = SubscribeRequest,
    responses(
        (status = 202, description = "Accepted", body = SubscribeAccepted),
        (status = 422, description = "A bad address, page, notify or cadence", body = ErrorBody),
        (status = 429, description = "Too many subscriptions from this address", body = ErrorBody),
    )
)]
pub async fn subscribe(
    State(state): State<AppState>,
    ApiPath(site): ApiPath<String>,
    ClientAddr(ip): ClientAddr,
    ApiJson(req): ApiJson<SubscribeRequest>,
) -> ApiResult<(StatusCode, Json<SubscribeAccepted>)> {
    let site = site_id(&site)?;
    limit(&state, Action::Subscribe, ip, site.as_str()).await?;
    state
        .service
        .subscribe(
            &site,
            SubscribeInput {
                url: req.url,
                title: req.title,
                email: req.email,
                notify: req.notify,
                cadence: req.cadence,
                lang: req.lang,
            },
        )
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(SubscribeAccepted { status: "accepted" }),
    ))
}

/// A link's token.
#[derive(Debug, Deserialize)]
pub struct LinkQuery {
    t: String,
}

#[derive(Template)]
#[template(path = "subscriptions.html")]
struct Page<'a> {
    s: &'static MailStrings,
    heading: String,
    note: &'a str,
    ask: bool,
    manage: bool,
    action: String,
    subscriptions: Vec<(i64, String, String, &'static str, &'static str)>,
}

fn page(m: &Managed, note: &str, ask: bool, manage: bool, action: String) -> ApiResult<Response> {
    let s = strings(&m.subscriber.lang);
    let subscriptions = m
        .subscriptions
        .iter()
        .map(|sub| {
            let kind = match sub.kind {
                SubscriptionKind::Thread => s.kinds[0],
                SubscriptionKind::Replies => s.kinds[1],
            };
            let cadence = match sub.cadence {
                Cadence::Instant => s.kinds[2],
                Cadence::Digest => s.kinds[3],
            };
            let title = sub.title.clone().unwrap_or_else(|| sub.url.as_str().into());
            (sub.id, title, sub.url.as_str().to_string(), kind, cadence)
        })
        .collect();
    let html = Page {
        s,
        heading: fill(s.page_subscriptions, &m.site.name, "", ""),
        note,
        ask,
        manage,
        action,
        subscriptions,
    }
    .render()
    .map_err(|e| ApiError::internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            (header::REFERRER_POLICY, "no-referrer"),
        ],
        html,
    )
        .into_response())
}

fn here(path: &str, token: &str) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    q.append_pair("t", token);
    format!("/subscriptions/{path}?{}", q.finish())
}

/// Confirms an address (the link of the confirmation request).
pub async fn confirm(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<LinkQuery>,
) -> ApiResult<Response> {
    let m = state.service.confirm_subscriber(&q.t).await?;
    let s = strings(&m.subscriber.lang);
    let action = here("manage", &m.manage_token);
    page(&m, s.page_confirmed, false, true, action)
}

/// Asks before unsubscribing (a browser following the link).
pub async fn unsubscribe_page(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<LinkQuery>,
) -> ApiResult<Response> {
    let m = state.service.unsubscribe_preview(&q.t).await?;
    let s = strings(&m.subscriber.lang);
    page(
        &m,
        s.page_unsubscribe_ask,
        true,
        false,
        here("unsubscribe", &q.t),
    )
}

/// Unsubscribes: the one-click `POST` of a mail client, or the page's
/// button.
pub async fn unsubscribe(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<LinkQuery>,
) -> ApiResult<Response> {
    let m = state.service.unsubscribe_link(&q.t).await?;
    let s = strings(&m.subscriber.lang);
    let action = here("manage", &m.manage_token);
    page(&m, s.page_unsubscribed, false, true, action)
}

/// The manage page.
pub async fn manage_page(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<LinkQuery>,
) -> ApiResult<Response> {
    let m = state.service.manage_subscriptions(&q.t, None).await?;
    page(&m, "", false, true, here("manage", &q.t))
}

/// The manage page's forms.
#[derive(Debug, Deserialize)]
struct ManageForm {
    remove: Option<i64>,
    remove_all: Option<String>,
    cadence_of: Option<i64>,
    cadence: Option<String>,
}

/// A change from the manage page, then the page again.
pub async fn manage(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<LinkQuery>,
    body: Bytes,
) -> ApiResult<Response> {
    let form: ManageForm = serde_html_form::from_bytes(&body).map_err(|e| {
        ApiError::bad_request("invalid_form", format!("the form is malformed: {e}"))
    })?;
    let change = match (form.remove, form.remove_all, form.cadence_of) {
        (Some(id), _, _) => ManageChange::Remove(id),
        (_, Some(_), _) => ManageChange::RemoveAll,
        (_, _, Some(id)) => ManageChange::Cadence(
            id,
            Cadence::parse(form.cadence.as_deref().unwrap_or(""), "cadence")?,
        ),
        _ => {
            return Err(ApiError::bad_request(
                "invalid_form",
                "the form names no change",
            ))
        }
    };
    let m = state
        .service
        .manage_subscriptions(&q.t, Some(change))
        .await?;
    let s = strings(&m.subscriber.lang);
    let note = if m.removed > 0 {
        s.page_unsubscribed
    } else {
        ""
    };
    page(&m, note, false, true, here("manage", &q.t))
}
