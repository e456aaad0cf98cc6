//! A site's webhook endpoints, managed by its owners.

use crate::auth::Moderator;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use crate::routes::site_id;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use rostra_core::Role;
use rostra_service::mail::WebhookInput;
use rostra_store::outbox::Webhook;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An endpoint to register.
#[derive(Debug, Deserialize, ToSchema)]
pub struct WebhookRequest {
    /// An `https://` URL.
    pub url: String,
    /// `comment.created`, `comment.approved`, `comment.rejected`; none: all.
    #[serde(default)]
    pub events: Vec<String>,
}

/// A registered endpoint.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookView {
    /// Identifier.
    pub id: i64,
    /// Where deliveries go.
    pub url: String,
    /// What is delivered.
    pub events: Vec<&'static str>,
    /// When it was registered.
    pub created_at: String,
    /// The signing secret: shown when the endpoint is registered, never
    /// again. Deliveries carry `Rostra-Signature: t=SECONDS,v1=HEX`, the
    /// HMAC-SHA256 of `"{t}.{body}"` under it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

impl WebhookView {
    fn of(w: &Webhook, secret: bool) -> Self {
        Self {
            id: w.id,
            url: w.url.clone(),
            events: w.events.iter().map(|e| e.as_str()).collect(),
            created_at: w.created_at.to_rfc3339(),
            secret: secret.then(|| w.secret.clone()),
        }
    }
}

/// Registers an endpoint (owners only).
#[utoipa::path(
    post,
    path = "/api/v1/sites/{site}/webhooks",
    tag = "webhooks",
    params(("site" = String, Path, description = "Site id")),
    request_body = WebhookRequest,
    responses(
        (status = 201, description = "Registered; the secret is shown once", body = WebhookView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an owner of the site", body = ErrorBody),
        (status = 422, description = "A bad URL or event", body = ErrorBody),
    ),
    security(("session" = []), ("token" = []))
)]
pub async fn create(
    State(state): State<AppState>,
    ApiPath(site): ApiPath<String>,
    Moderator(p): Moderator,
    ApiJson(req): ApiJson<WebhookRequest>,
) -> ApiResult<(StatusCode, Json<WebhookView>)> {
    let site = site_id(&site)?;
    state.service.authorize(&p, &site, Role::Owner)?;
    let hook = state
        .service
        .add_webhook(
            &site,
            WebhookInput {
                url: req.url,
                events: req.events,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(WebhookView::of(&hook, true))))
}

/// The site's endpoints (owners only; secrets are not shown).
#[utoipa::path(
    get,
    path = "/api/v1/sites/{site}/webhooks",
    tag = "webhooks",
    params(("site" = String, Path, description = "Site id")),
    responses(
        (status = 200, description = "The endpoints", body = [WebhookView]),
        (status = 403, description = "Not an owner of the site", body = ErrorBody),
    ),
    security(("session" = []), ("token" = []))
)]
pub async fn list(
    State(state): State<AppState>,
    ApiPath(site): ApiPath<String>,
    Moderator(p): Moderator,
) -> ApiResult<Json<Vec<WebhookView>>> {
    let site = site_id(&site)?;
    state.service.authorize(&p, &site, Role::Owner)?;
    let hooks = state.service.webhooks(&site).await?;
    Ok(Json(
        hooks.iter().map(|h| WebhookView::of(h, false)).collect(),
    ))
}

/// Removes an endpoint (owners only).
#[utoipa::path(
    delete,
    path = "/api/v1/sites/{site}/webhooks/{id}",
    tag = "webhooks",
    params(
        ("site" = String, Path, description = "Site id"),
        ("id" = i64, Path, description = "Webhook id"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "Not an owner of the site", body = ErrorBody),
        (status = 404, description = "No such endpoint", body = ErrorBody),
    ),
    security(("session" = []), ("token" = []))
)]
pub async fn delete(
    State(state): State<AppState>,
    ApiPath((site, id)): ApiPath<(String, i64)>,
    Moderator(p): Moderator,
) -> ApiResult<StatusCode> {
    let site = site_id(&site)?;
    state.service.authorize(&p, &site, Role::Owner)?;
    state.service.remove_webhook(&site, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
