//! Donation campaigns, the public side: a campaign's totals as JSON, its
//! bar as an HTML fragment, its live totals over Server-Sent Events, and the
//! payment providers' webhooks that record donations.

use super::html::{html_response, language};
use super::site_id;
use crate::dto_campaigns::{CampaignView, DonationResult};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiPath, ApiQuery};
use crate::html::campaign;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::sse::{Event as SseEvent, Sse};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rostra_core::campaign::countdown::MAX_OFFSET_MINUTES;
use rostra_core::{CampaignSlug, FieldError, SiteId, Timestamp};
use rostra_service::campaigns::webhooks::Delivery;
use rostra_service::CampaignNews;
use serde::{Deserialize, Serialize};
use std::convert::Infallible;
use std::time::Duration;
use tokio::time::{interval_at, Instant};
use utoipa::{IntoParams, ToSchema};

/// How often an idle stream sends a keep-alive comment.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// Stripe's signature header.
const STRIPE_SIGNATURE: &str = "stripe-signature";
/// The generic webhook's signature header.
const ROSTRA_SIGNATURE: &str = "x-rostra-signature";

/// A site and campaign from the path; an impossible slug is not found.
pub fn path_ids(site: &str, slug: &str) -> Result<(SiteId, CampaignSlug), ApiError> {
    let slug = CampaignSlug::parse(slug).map_err(|_| ApiError::not_found("campaign"))?;
    Ok((site_id(site)?, slug))
}

/// The language and time zone of a bar.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BarQuery {
    /// A BCP 47 language tag; else `Accept-Language`; else English.
    pub lang: Option<String>,
    /// The reader's offset from UTC in minutes east (`-240` in New York in
    /// summer; the widget sends `-new Date().getTimezoneOffset()`); default 0.
    pub tz: Option<i32>,
}

/// A campaign and its totals.
#[utoipa::path(
    get,
    path = "/api/v1/sites/{site}/campaigns/{campaign}",
    tag = "campaigns",
    params(("site" = String, Path, description = "Site id"), ("campaign" = String, Path, description = "Campaign slug")),
    responses(
        (status = 200, description = "The campaign", body = CampaignView),
        (status = 404, description = "No such site or campaign", body = ErrorBody),
    )
)]
pub async fn get_campaign(
    State(state): State<AppState>,
    ApiPath((site, slug)): ApiPath<(String, String)>,
) -> ApiResult<Json<CampaignView>> {
    let (site, slug) = path_ids(&site, &slug)?;
    let (c, totals) = state.service.campaign_with_totals(&site, &slug).await?;
    Ok(Json(CampaignView::of(&c, &totals)))
}

/// A campaign's bar as an HTML fragment (`templates/README.md`).
#[utoipa::path(
    get,
    path = "/api/v1/sites/{site}/campaigns/{campaign}/html",
    tag = "campaigns",
    params(("site" = String, Path, description = "Site id"), ("campaign" = String, Path, description = "Campaign slug"), BarQuery),
    responses(
        (status = 200, content_type = "text/html", body = String, description = "The bar"),
        (status = 404, description = "No such site or campaign", body = ErrorBody),
        (status = 422, description = "A bad time zone offset", body = ErrorBody),
    )
)]
pub async fn bar(
    State(state): State<AppState>,
    ApiPath((site, slug)): ApiPath<(String, String)>,
    ApiQuery(q): ApiQuery<BarQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let (site, slug) = path_ids(&site, &slug)?;
    let tz = q.tz.unwrap_or(0);
    if tz.abs() > MAX_OFFSET_MINUTES {
        return Err(FieldError::new("tz", "an offset from UTC is -840 to 840 minutes").into());
    }
    let lang = language(q.lang.as_deref(), &headers);
    let (c, totals) = state.service.campaign_with_totals(&site, &slug).await?;
    let html =
        campaign::campaign(&c, &totals, Timestamp::now(), tz, lang).map_err(ApiError::internal)?;
    Ok(html_response(html, "no-cache"))
}

/// The data of a `totals` event.
#[derive(Debug, Serialize, ToSchema)]
pub struct TotalsEventData {
    /// Raised, minor units.
    pub raised: i64,
    /// Donors.
    pub donors: i64,
}

/// A campaign's live totals (Server-Sent Events).
#[utoipa::path(
    get,
    path = "/api/v1/sites/{site}/campaigns/{campaign}/stream",
    tag = "campaigns",
    params(("site" = String, Path, description = "Site id"), ("campaign" = String, Path, description = "Campaign slug")),
    responses(
        (status = 200, content_type = "text/event-stream", body = String,
         description = "`totals` (data: TotalsEventData) first with the current totals, then after each donation; \
                        `reset` (data `{}`: refetch); a keep-alive comment every 15 s"),
        (status = 404, description = "No such site or campaign", body = ErrorBody),
        (status = 503, description = "Too many streams open on this node; see Retry-After", body = ErrorBody),
    )
)]
pub async fn stream(
    State(state): State<AppState>,
    ApiPath((site, slug)): ApiPath<(String, String)>,
) -> ApiResult<Response> {
    let (site, slug) = path_ids(&site, &slug)?;
    let Some(slot) = state.streams.acquire() else {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "too_many_streams",
            "too many live-update streams open; try again in 10 s",
        )
        .retry_after(10));
    };
    // Only a campaign that exists is watched; subscribed before the totals
    // are read, so that a donation in between is heard, not lost.
    state.service.campaign(&site, &slug).await?;
    let watch = state
        .service
        .campaign_bus()
        .subscribe(site.clone(), slug.clone());
    let (c, totals) = state.service.campaign_with_totals(&site, &slug).await?;
    tracing::debug!(site = %site, campaign = %c.slug, "campaign stream opened");
    let first = Some(CampaignNews::Totals {
        raised: totals.raised,
        donors: totals.donors,
    });
    let keep_alive = interval_at(Instant::now() + KEEP_ALIVE, KEEP_ALIVE);
    let open = (watch, keep_alive, first, slot);
    let events = futures::stream::unfold(
        open,
        |(mut watch, mut keep_alive, first, slot)| async move {
            let message = match first {
                Some(news) => message(news),
                None => tokio::select! {
                    biased;
                    news = watch.next() => message(news?),
                    _ = keep_alive.tick() => SseEvent::default().comment("keep-alive"),
                },
            };
            Some((
                Ok::<_, Infallible>(message),
                (watch, keep_alive, None, slot),
            ))
        },
    );
    let mut response = Sse::new(events).into_response();
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        HeaderName::from_static("x-accel-buffering"),
        HeaderValue::from_static("no"),
    );
    Ok(response)
}

fn message(news: CampaignNews) -> SseEvent {
    match news {
        CampaignNews::Totals { raised, donors } => {
            match serde_json::to_string(&TotalsEventData { raised, donors }) {
                Ok(data) => SseEvent::default().event("totals").data(data),
                Err(_) => SseEvent::default().event("reset").data("{}"),
            }
        }
        CampaignNews::Reset => SseEvent::default().event("reset").data("{}"),
    }
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn delivered(d: Delivery) -> Json<DonationResult> {
    Json(match d {
        Delivery::Recorded(r) => DonationResult::of(&r),
        Delivery::Ignored(why) => DonationResult::ignored(why),
    })
}

/// Stripe's webhook: `checkout.session.completed`, `payment_intent.succeeded`
/// and `charge.refunded`, verified by `Stripe-Signature`.
#[utoipa::path(
    post,
    path = "/api/v1/sites/{site}/campaigns/{campaign}/webhooks/stripe",
    tag = "campaigns",
    params(("site" = String, Path, description = "Site id"), ("campaign" = String, Path, description = "Campaign slug"),
           ("Stripe-Signature" = String, Header, description = "t=TIMESTAMP,v1=HMAC-SHA256 of `{t}.{body}` under the endpoint secret")),
    request_body(content = String, content_type = "application/json", description = "A Stripe event"),
    responses(
        (status = 200, description = "Recorded, seen before, or ignored", body = DonationResult),
        (status = 401, description = "A missing, wrong or stale signature", body = ErrorBody),
        (status = 403, description = "The campaign has no Stripe secret", body = ErrorBody),
        (status = 404, description = "No such site or campaign", body = ErrorBody),
        (status = 422, description = "Not an event this webhook reads", body = ErrorBody),
    )
)]
pub async fn stripe_webhook(
    State(state): State<AppState>,
    ApiPath((site, slug)): ApiPath<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<DonationResult>> {
    let (site, slug) = path_ids(&site, &slug)?;
    let signature = header_str(&headers, STRIPE_SIGNATURE);
    let d = state
        .service
        .stripe_webhook(&site, &slug, signature, &body, Timestamp::now())
        .await?;
    Ok(delivered(d))
}

/// The generic webhook for other processors, verified by
/// `X-Rostra-Signature` (Stripe's scheme under the campaign's own secret).
#[utoipa::path(
    post,
    path = "/api/v1/sites/{site}/campaigns/{campaign}/webhooks/generic",
    tag = "campaigns",
    params(("site" = String, Path, description = "Site id"), ("campaign" = String, Path, description = "Campaign slug"),
           ("X-Rostra-Signature" = String, Header, description = "t=TIMESTAMP,v1=HMAC-SHA256 of `{t}.{body}` under the campaign's webhook secret")),
    request_body(content = String, content_type = "application/json",
                 description = r#"{"id": "evt-1", "type": "donation" | "refund", "amount": 2500, "currency": "USD", "reference": "pay-1", "created": 1790000000, "note": "…"}"#),
    responses(
        (status = 200, description = "Recorded or seen before", body = DonationResult),
        (status = 401, description = "A missing, wrong or stale signature", body = ErrorBody),
        (status = 404, description = "No such site or campaign", body = ErrorBody),
        (status = 422, description = "A bad field", body = ErrorBody),
    )
)]
pub async fn generic_webhook(
    State(state): State<AppState>,
    ApiPath((site, slug)): ApiPath<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<DonationResult>> {
    let (site, slug) = path_ids(&site, &slug)?;
    let signature = header_str(&headers, ROSTRA_SIGNATURE);
    let d = state
        .service
        .generic_webhook(&site, &slug, signature, &body, Timestamp::now())
        .await?;
    Ok(delivered(d))
}
