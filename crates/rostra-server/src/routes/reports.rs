//! Readers' reports on comments.

use crate::auth::cookie;
use crate::client::ClientAddr;
use crate::dto_moderation::{ReportRequest, ReportedView};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use crate::rate::limit;
use crate::rate::Action;
use crate::routes::site_id;
use crate::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use rostra_core::CommentId;

/// Reports a public comment to the site's moderators, once per reader (the
/// voter id the browser keeps, else the address). Past the site's
/// `report_threshold` the comment is held until a moderator decides.
#[utoipa::path(
    post,
    path = "/api/v1/sites/{site}/comments/{id}/report",
    tag = "comments",
    params(
        ("site" = String, Path, description = "Site id"),
        ("id" = i64, Path, description = "Comment id"),
        ("X-Rostra-Voter" = Option<String>, Header, description = "The voter id the browser keeps"),
    ),
    request_body = ReportRequest,
    responses(
        (status = 200, description = "Recorded (or already recorded)", body = ReportedView),
        (status = 404, description = "No such public comment", body = ErrorBody),
        (status = 422, description = "A bad reason or text", body = ErrorBody),
        (status = 429, description = "Too many reports", body = ErrorBody),
    )
)]
pub async fn report(
    State(state): State<AppState>,
    ApiPath((site, id)): ApiPath<(String, i64)>,
    ClientAddr(ip): ClientAddr,
    headers: HeaderMap,
    ApiJson(req): ApiJson<ReportRequest>,
) -> ApiResult<Json<ReportedView>> {
    let site = site_id(&site)?;
    limit(&state, Action::Report, ip, site.as_str()).await?;
    let reader = headers
        .get("x-rostra-voter")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| cookie(&headers, "rostra_voter"));
    let outcome = state
        .service
        .report_comment(
            &site,
            CommentId(id),
            reader.as_deref(),
            Some(&ip.to_string()),
            &req.reason,
            req.text.as_deref(),
        )
        .await?;
    Ok(Json(ReportedView {
        recorded: outcome.added,
    }))
}
