//! Writing, reading, changing and voting on one comment.

use super::site_id;
use crate::client::ClientAddr;
use crate::dto::{
    CommentView, EditCommentRequest, PostCommentRequest, PostedView, VoteRequest, VoteView,
};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use crate::rate::{limit, Action};
use crate::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rand::distr::{Alphanumeric, SampleString};
use rostra_core::{CommentId, EditToken};
use rostra_service::PostInput;

pub(crate) const EDIT_TOKEN: &str = "x-edit-token";
const VOTER_HEADER: &str = "x-rostra-voter";
const VOTER_COOKIE: &str = "rostra_voter";

pub(crate) fn edit_token(headers: &HeaderMap, body: Option<&str>) -> ApiResult<EditToken> {
    headers
        .get(EDIT_TOKEN)
        .and_then(|v| v.to_str().ok())
        .or(body)
        .filter(|t| !t.trim().is_empty())
        .map(EditToken::presented)
        .ok_or_else(|| {
            ApiError::bad_request(
                "edit_token_required",
                "send the comment's edit token in the X-Edit-Token header",
            )
            .field("X-Edit-Token")
        })
}

/// Posts a comment or a reply as a guest.
#[utoipa::path(
    post,
    path = "/api/v1/sites/{site}/comments",
    tag = "comments",
    params(("site" = String, Path, description = "Site id")),
    request_body = PostCommentRequest,
    responses(
        (status = 201, description = "Stored; `edit_token` is shown only now", body = PostedView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "The browser's origin is not allowed", body = ErrorBody),
        (status = 404, description = "No such site", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 403, description = "The author, address or e-mail domain is blocked or banned", body = ErrorBody),
        (status = 422, description = "A field is invalid (`field` names it), or `nudge`: the comment may break the site's guidelines; `reasons` says why, nothing was stored", body = ErrorBody),
        (status = 429, description = "Too many writes from this address; see Retry-After", body = ErrorBody),
    )
)]
pub async fn post_comment(
    State(state): State<AppState>,
    ApiPath(site): ApiPath<String>,
    ClientAddr(ip): ClientAddr,
    ApiJson(req): ApiJson<PostCommentRequest>,
) -> ApiResult<Response> {
    let site = site_id(&site)?;
    limit(&state, Action::Write, ip, site.as_str()).await?;
    let input = PostInput {
        url: req.url,
        title: req.title,
        parent: req.parent,
        name: req.author.name,
        email: req.author.email,
        website: req.author.website,
        body: req.body,
        address: Some(ip.to_string()),
        honeypot: req.homepage,
        elapsed_ms: req.elapsed_ms,
        acknowledge_nudge: req.acknowledge_nudge,
        notify: req.notify,
        cadence: req.cadence,
        lang: req.lang,
    };
    let posted = state.service.post_comment(&site, input).await?;
    state.metrics.comments_posted.inc();
    let window = state
        .service
        .sites()
        .get(&site)
        .await?
        .settings
        .edit_window_secs;
    let location = format!("/api/v1/sites/{site}/comments/{}", posted.comment.id);
    let mut response = (StatusCode::CREATED, Json(PostedView::new(posted, window))).into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    Ok(response)
}

/// One comment. With `X-Edit-Token`, its author sees it whatever its status
/// (a comment held for moderation is visible to its author only).
#[utoipa::path(
    get,
    path = "/api/v1/sites/{site}/comments/{id}",
    tag = "comments",
    params(
        ("site" = String, Path, description = "Site id"),
        ("id" = i64, Path, description = "Comment id"),
        ("X-Edit-Token" = Option<String>, Header, description = "The author's edit token"),
    ),
    responses(
        (status = 200, description = "The comment (without replies)", body = CommentView),
        (status = 403, description = "The edit token does not match", body = ErrorBody),
        (status = 404, description = "No such listed comment", body = ErrorBody),
    )
)]
pub async fn get_comment(
    State(state): State<AppState>,
    ApiPath((site, id)): ApiPath<(String, i64)>,
    headers: HeaderMap,
) -> ApiResult<Json<CommentView>> {
    let site = site_id(&site)?;
    Ok(Json(match headers.get(EDIT_TOKEN) {
        Some(_) => CommentView::for_author(
            &state
                .service
                .comment_for_author(&site, CommentId(id), &edit_token(&headers, None)?)
                .await?,
        ),
        None => CommentView::of(&state.service.public_comment(&site, CommentId(id)).await?),
    }))
}

/// Edits one's own comment within the edit window.
#[utoipa::path(
    patch,
    path = "/api/v1/sites/{site}/comments/{id}",
    tag = "comments",
    params(
        ("site" = String, Path, description = "Site id"),
        ("id" = i64, Path, description = "Comment id"),
        ("X-Edit-Token" = String, Header, description = "The edit token given at posting"),
    ),
    request_body = EditCommentRequest,
    responses(
        (status = 200, description = "The edited comment", body = CommentView),
        (status = 400, description = "No edit token", body = ErrorBody),
        (status = 403, description = "Wrong token (`edit_token_mismatch`) or window closed (`edit_window_closed`)", body = ErrorBody),
        (status = 404, description = "No such comment", body = ErrorBody),
        (status = 422, description = "The new body is invalid", body = ErrorBody),
        (status = 429, description = "Too many writes", body = ErrorBody),
    )
)]
pub async fn edit_comment(
    State(state): State<AppState>,
    ApiPath((site, id)): ApiPath<(String, i64)>,
    ClientAddr(ip): ClientAddr,
    headers: HeaderMap,
    ApiJson(req): ApiJson<EditCommentRequest>,
) -> ApiResult<Json<CommentView>> {
    let site = site_id(&site)?;
    limit(&state, Action::Write, ip, site.as_str()).await?;
    let token = edit_token(&headers, req.edit_token.as_deref())?;
    let comment = state
        .service
        .edit_comment(&site, CommentId(id), &token, &req.body)
        .await?;
    Ok(Json(CommentView::of(&comment)))
}

/// Deletes one's own comment within the edit window. With replies, a
/// tombstone stays in its place.
#[utoipa::path(
    delete,
    path = "/api/v1/sites/{site}/comments/{id}",
    tag = "comments",
    params(
        ("site" = String, Path, description = "Site id"),
        ("id" = i64, Path, description = "Comment id"),
        ("X-Edit-Token" = String, Header, description = "The edit token given at posting"),
    ),
    responses(
        (status = 200, description = "What remains (a tombstone)", body = CommentView),
        (status = 400, description = "No edit token", body = ErrorBody),
        (status = 403, description = "Wrong token or window closed", body = ErrorBody),
        (status = 404, description = "No such comment", body = ErrorBody),
        (status = 429, description = "Too many writes", body = ErrorBody),
    )
)]
pub async fn delete_comment(
    State(state): State<AppState>,
    ApiPath((site, id)): ApiPath<(String, i64)>,
    ClientAddr(ip): ClientAddr,
    headers: HeaderMap,
) -> ApiResult<Json<CommentView>> {
    let site = site_id(&site)?;
    limit(&state, Action::Write, ip, site.as_str()).await?;
    let token = edit_token(&headers, None)?;
    let comment = state
        .service
        .delete_comment(&site, CommentId(id), &token)
        .await?;
    Ok(Json(CommentView::of(&comment)))
}

fn voter_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == VOTER_COOKIE)
        .map(|(_, v)| v.to_owned())
}

/// Votes up (1), down (-1) or retracts (0). The voter is the id in the
/// `X-Rostra-Voter` header or the `rostra_voter` cookie; a browser with
/// neither is given a cookie.
#[utoipa::path(
    post,
    path = "/api/v1/sites/{site}/comments/{id}/vote",
    tag = "comments",
    params(
        ("site" = String, Path, description = "Site id"),
        ("id" = i64, Path, description = "Comment id"),
        ("X-Rostra-Voter" = Option<String>, Header, description = "The voter id the browser keeps (16-128 of A-Za-z0-9_-)"),
    ),
    request_body = VoteRequest,
    responses(
        (status = 200, description = "Counters after the vote", body = VoteView),
        (status = 404, description = "No such comment", body = ErrorBody),
        (status = 409, description = "The comment does not take votes (not approved)", body = ErrorBody),
        (status = 422, description = "Value not 1, -1 or 0, or a malformed voter id", body = ErrorBody),
        (status = 429, description = "Too many votes", body = ErrorBody),
    )
)]
pub async fn vote(
    State(state): State<AppState>,
    ApiPath((site, id)): ApiPath<(String, i64)>,
    ClientAddr(ip): ClientAddr,
    headers: HeaderMap,
    ApiJson(req): ApiJson<VoteRequest>,
) -> ApiResult<Response> {
    let site = site_id(&site)?;
    limit(&state, Action::Vote, ip, site.as_str()).await?;
    let given = headers
        .get(VOTER_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| voter_cookie(&headers));
    let (voter, fresh) = match given {
        Some(v) => (v, false),
        None => (Alphanumeric.sample_string(&mut rand::rng(), 32), true),
    };
    let tally = state
        .service
        .vote(&site, CommentId(id), &voter, req.value)
        .await?;
    let mut response = Json(VoteView::new(tally, req.value)).into_response();
    if fresh {
        let cookie =
            format!("{VOTER_COOKIE}={voter}; Path=/; Max-Age=63072000; HttpOnly; SameSite=Lax");
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            response.headers_mut().insert(header::SET_COOKIE, v);
        }
    }
    Ok(response)
}
