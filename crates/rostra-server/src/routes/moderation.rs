//! The moderator API of a site: the queue, actions on comments, bans and
//! the audit log. Every handler needs a signed-in owner or moderator of the
//! site (401 otherwise, 403 for a member of another site only).

use crate::auth::Moderator;
use crate::dto_moderation::{
    ActionRequest, ActionResponse, ActionResultView, AuditEntryView, AuditParams, AuditView,
    BanRequest, BanView, BansView, LiftBanRequest, QueueItemView, QueueParams, QueueView,
};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::routes::site_id;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use rostra_core::{CommentId, FieldError, ModAction, QueueFilter, QueueOrder};
use rostra_service::{BanInput, QueueSelect};

/// Queue rows unless the request asks otherwise.
const DEFAULT_PAGE: u32 = 50;

/// `by`, a comment id, if given.
pub(crate) fn parse_by(raw: Option<&str>) -> Result<Option<CommentId>, FieldError> {
    match raw {
        None | Some("") => Ok(None),
        Some(raw) => match raw.parse::<i64>() {
            Ok(id) if id > 0 => Ok(Some(CommentId(id))),
            _ => Err(FieldError::new("by", "by names a comment by its id")),
        },
    }
}

/// Held and reported comments of the site, with their pages, the policy's
/// findings and the readers' reports.
#[utoipa::path(
    get,
    path = "/api/v1/sites/{site}/moderation/queue",
    tag = "moderation",
    params(
        ("site" = String, Path, description = "Site id"),
        ("filter" = Option<String>, Query, description = "`all` (default: held and reported), `held`, `reported`, `published` (the latest 1,000 published comments: post-moderation's review) or `rejected` (rejected and spam, to undo a refusal)"),
        ("order" = Option<String>, Query, description = "`newest` (default) or `urgent`: most reports, then the highest toxicity score"),
        ("limit" = Option<u32>, Query, description = "1-100, default 50"),
        ("after" = Option<String>, Query, description = "The `next` of the previous page"),
        ("by" = Option<i64>, Query, description = "A comment id: lists every comment of its author on the site instead (known by e-mail, else by address hash), whatever its status, deleted ones aside"),
    ),
    responses(
        (status = 200, description = "A page of the queue", body = QueueView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a moderator of this site", body = ErrorBody),
        (status = 422, description = "A bad filter, order, limit, after or by", body = ErrorBody),
    ),
    security(("session" = []), ("token" = []))
)]
pub async fn queue(
    State(state): State<AppState>,
    ApiPath(site): ApiPath<String>,
    Moderator(p): Moderator,
    ApiQuery(params): ApiQuery<QueueParams>,
) -> ApiResult<Json<QueueView>> {
    let site = site_id(&site)?;
    let filter = params
        .filter
        .as_deref()
        .map(QueueFilter::parse)
        .transpose()?
        .unwrap_or_default();
    let order = params
        .order
        .as_deref()
        .map(QueueOrder::parse)
        .transpose()?
        .unwrap_or_default();
    let after = match params.after.as_deref() {
        None | Some("") => 0,
        Some(raw) => raw
            .parse::<u32>()
            .map_err(|_| FieldError::new("after", "not the `next` of a queue page"))?,
    };
    let limit = params.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=rostra_service::queue::MAX_QUEUE_PAGE).contains(&limit) {
        return Err(FieldError::new("limit", "a page holds 1 to 100 comments").into());
    }
    let by = parse_by(params.by.as_deref())?;
    let select = QueueSelect { filter, order, by };
    let page = state
        .service
        .moderation_queue(&p, &site, select, after, limit)
        .await?;
    Ok(Json(QueueView {
        items: page.items.iter().map(QueueItemView::of).collect(),
        next: page.next.map(|n| n.to_string()),
    }))
}

/// Approves, rejects, marks as spam or deletes comments, each on its own:
/// the answer says what happened to each id. Every change is audited.
#[utoipa::path(
    post,
    path = "/api/v1/sites/{site}/moderation/actions",
    tag = "moderation",
    params(("site" = String, Path, description = "Site id")),
    request_body = ActionRequest,
    responses(
        (status = 200, description = "One result per id, in order", body = ActionResponse),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a moderator of this site, or a cookie write from another origin", body = ErrorBody),
        (status = 404, description = "Every id is unknown", body = ErrorBody),
        (status = 422, description = "A bad action, ids or reason", body = ErrorBody),
    ),
    security(("session" = []), ("token" = []))
)]
pub async fn actions(
    State(state): State<AppState>,
    ApiPath(site): ApiPath<String>,
    Moderator(p): Moderator,
    ApiJson(req): ApiJson<ActionRequest>,
) -> ApiResult<Json<ActionResponse>> {
    let site = site_id(&site)?;
    let action = ModAction::parse(&req.action)?;
    let outcomes = state
        .service
        .moderate(&p, &site, action, &req.ids, req.reason.as_deref())
        .await?;
    if outcomes
        .iter()
        .all(|(_, o)| *o == rostra_service::ActionOutcome::NotFound)
    {
        return Err(ApiError::not_found("comment"));
    }
    Ok(Json(ActionResponse {
        results: outcomes
            .iter()
            .map(|(id, o)| ActionResultView::of(*id, o))
            .collect(),
    }))
}

/// The site's bans, newest first (expired ones too).
#[utoipa::path(
    get,
    path = "/api/v1/sites/{site}/moderation/bans",
    tag = "moderation",
    params(("site" = String, Path, description = "Site id")),
    responses(
        (status = 200, description = "The bans", body = BansView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a moderator of this site", body = ErrorBody),
    ),
    security(("session" = []), ("token" = []))
)]
pub async fn list_bans(
    State(state): State<AppState>,
    ApiPath(site): ApiPath<String>,
    Moderator(p): Moderator,
) -> ApiResult<Json<BansView>> {
    let site = site_id(&site)?;
    let bans = state.service.list_bans(&p, &site).await?;
    Ok(Json(BansView {
        bans: bans.iter().map(BanView::of).collect(),
    }))
}

/// Bans an e-mail, an address or a name from the site, for a while or for
/// ever (audited).
#[utoipa::path(
    post,
    path = "/api/v1/sites/{site}/moderation/bans",
    tag = "moderation",
    params(("site" = String, Path, description = "Site id")),
    request_body = BanRequest,
    responses(
        (status = 201, description = "The ban", body = BanView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a moderator of this site", body = ErrorBody),
        (status = 422, description = "A bad kind, value, duration or reason", body = ErrorBody),
    ),
    security(("session" = []), ("token" = []))
)]
pub async fn create_ban(
    State(state): State<AppState>,
    ApiPath(site): ApiPath<String>,
    Moderator(p): Moderator,
    ApiJson(req): ApiJson<BanRequest>,
) -> ApiResult<(StatusCode, Json<BanView>)> {
    let site = site_id(&site)?;
    let ban = state
        .service
        .create_ban(
            &p,
            &site,
            BanInput {
                kind: req.kind,
                value: req.value,
                duration_secs: req.duration_secs,
                reason: req.reason,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(BanView::of(&ban))))
}

/// Lifts a ban (audited).
#[utoipa::path(
    delete,
    path = "/api/v1/sites/{site}/moderation/bans",
    tag = "moderation",
    params(("site" = String, Path, description = "Site id")),
    request_body = LiftBanRequest,
    responses(
        (status = 200, description = "The ban lifted", body = BanView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a moderator of this site", body = ErrorBody),
        (status = 404, description = "No such ban on this site", body = ErrorBody),
    ),
    security(("session" = []), ("token" = []))
)]
pub async fn lift_ban(
    State(state): State<AppState>,
    ApiPath(site): ApiPath<String>,
    Moderator(p): Moderator,
    ApiJson(req): ApiJson<LiftBanRequest>,
) -> ApiResult<Json<BanView>> {
    let site = site_id(&site)?;
    let ban = state
        .service
        .lift_ban(&p, &site, req.id, req.reason.as_deref())
        .await?;
    Ok(Json(BanView::of(&ban)))
}

/// The site's audit log, newest first: every moderator action.
#[utoipa::path(
    get,
    path = "/api/v1/sites/{site}/moderation/audit",
    tag = "moderation",
    params(
        ("site" = String, Path, description = "Site id"),
        ("before" = Option<i64>, Query, description = "Entries older than this id"),
        ("limit" = Option<u32>, Query, description = "1-200, default 50"),
    ),
    responses(
        (status = 200, description = "A page of the log", body = AuditView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a moderator of this site", body = ErrorBody),
    ),
    security(("session" = []), ("token" = []))
)]
pub async fn audit(
    State(state): State<AppState>,
    ApiPath(site): ApiPath<String>,
    Moderator(p): Moderator,
    ApiQuery(params): ApiQuery<AuditParams>,
) -> ApiResult<Json<AuditView>> {
    let site = site_id(&site)?;
    let limit = params.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=rostra_service::queue::MAX_QUEUE_PAGE * 2).contains(&limit) {
        return Err(FieldError::new("limit", "a page holds 1 to 200 entries").into());
    }
    let entries = state
        .service
        .audit_log(&p, &site, params.before, limit)
        .await?;
    Ok(Json(AuditView {
        entries: entries.iter().map(AuditEntryView::of).collect(),
    }))
}
