//! Donation campaigns, the owner's side: create, list and change campaigns,
//! enter donations by hand or from CSV. Every handler needs a signed-in
//! owner of the site (401 otherwise, 403 for anyone else).

use super::campaigns::path_ids;
use super::site_id;
use crate::auth::Moderator;
use crate::dto_campaigns::{
    CampaignAdminView, CampaignRequest, CampaignsView, DonationRequest, DonationResult,
    ImportResult,
};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use rostra_core::campaign::{parse_instant, Source};
use rostra_core::{CampaignSlug, Currency, FieldError, Role};
use rostra_service::{ManualDonation, Principal};

fn owner(state: &AppState, p: &Principal, site: &rostra_core::SiteId) -> ApiResult<()> {
    state.service.authorize(p, site, Role::Owner)?;
    Ok(())
}

/// The site's campaigns, with totals and webhook addresses.
#[utoipa::path(
    get,
    path = "/api/v1/sites/{site}/campaigns",
    tag = "campaigns",
    params(("site" = String, Path, description = "Site id")),
    responses(
        (status = 200, description = "The campaigns", body = CampaignsView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an owner of this site", body = ErrorBody),
    ),
    security(("session" = []), ("token" = []))
)]
pub async fn list(
    State(state): State<AppState>,
    ApiPath(site): ApiPath<String>,
    Moderator(p): Moderator,
) -> ApiResult<Json<CampaignsView>> {
    let site = site_id(&site)?;
    owner(&state, &p, &site)?;
    let campaigns = state.service.campaigns(&site).await?;
    Ok(Json(CampaignsView {
        campaigns: campaigns
            .iter()
            .map(|(c, t)| CampaignAdminView::of(c, t))
            .collect(),
    }))
}

/// Creates a campaign (`slug`, `title`, `currency`, `goal`, `ends_at`,
/// `cta_text` and `cta_url` are required); its generic-webhook secret is made
/// here.
#[utoipa::path(
    post,
    path = "/api/v1/sites/{site}/campaigns",
    tag = "campaigns",
    params(("site" = String, Path, description = "Site id")),
    request_body = CampaignRequest,
    responses(
        (status = 201, description = "Created", body = CampaignAdminView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an owner of this site", body = ErrorBody),
        (status = 409, description = "The site has a campaign of that slug", body = ErrorBody),
        (status = 422, description = "A bad or missing field", body = ErrorBody),
    ),
    security(("session" = []), ("token" = []))
)]
pub async fn create(
    State(state): State<AppState>,
    ApiPath(site): ApiPath<String>,
    Moderator(p): Moderator,
    ApiJson(req): ApiJson<CampaignRequest>,
) -> ApiResult<(StatusCode, Json<CampaignAdminView>)> {
    let site = site_id(&site)?;
    owner(&state, &p, &site)?;
    let slug = CampaignSlug::parse(req.slug.as_deref().unwrap_or_default())?;
    let c = state
        .service
        .create_campaign(&site, slug, req.input())
        .await?;
    let (c, totals) = state.service.campaign_with_totals(&site, &c.slug).await?;
    Ok((
        StatusCode::CREATED,
        Json(CampaignAdminView::of(&c, &totals)),
    ))
}

/// Changes the fields a request names.
#[utoipa::path(
    patch,
    path = "/api/v1/sites/{site}/campaigns/{campaign}",
    tag = "campaigns",
    params(("site" = String, Path, description = "Site id"), ("campaign" = String, Path, description = "Campaign slug")),
    request_body = CampaignRequest,
    responses(
        (status = 200, description = "Changed", body = CampaignAdminView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an owner of this site", body = ErrorBody),
        (status = 404, description = "No such campaign", body = ErrorBody),
        (status = 422, description = "A bad field", body = ErrorBody),
    ),
    security(("session" = []), ("token" = []))
)]
pub async fn update(
    State(state): State<AppState>,
    ApiPath((site, slug)): ApiPath<(String, String)>,
    Moderator(p): Moderator,
    ApiJson(req): ApiJson<CampaignRequest>,
) -> ApiResult<Json<CampaignAdminView>> {
    let (site, slug) = path_ids(&site, &slug)?;
    owner(&state, &p, &site)?;
    if req.slug.as_deref().is_some_and(|s| s != slug.as_str()) {
        return Err(FieldError::new("slug", "a campaign's slug does not change").into());
    }
    state
        .service
        .update_campaign(&site, &slug, req.input())
        .await?;
    let (c, totals) = state.service.campaign_with_totals(&site, &slug).await?;
    Ok(Json(CampaignAdminView::of(&c, &totals)))
}

/// Records a donation (or a refund) by hand.
#[utoipa::path(
    post,
    path = "/api/v1/sites/{site}/campaigns/{campaign}/donations",
    tag = "campaigns",
    params(("site" = String, Path, description = "Site id"), ("campaign" = String, Path, description = "Campaign slug")),
    request_body = DonationRequest,
    responses(
        (status = 201, description = "Recorded", body = DonationResult),
        (status = 200, description = "An entry of that id was recorded before", body = DonationResult),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an owner of this site", body = ErrorBody),
        (status = 404, description = "No such campaign", body = ErrorBody),
        (status = 422, description = "A bad field", body = ErrorBody),
    ),
    security(("session" = []), ("token" = []))
)]
pub async fn donate(
    State(state): State<AppState>,
    ApiPath((site, slug)): ApiPath<(String, String)>,
    Moderator(p): Moderator,
    ApiJson(req): ApiJson<DonationRequest>,
) -> ApiResult<(StatusCode, Json<DonationResult>)> {
    let (site, slug) = path_ids(&site, &slug)?;
    owner(&state, &p, &site)?;
    let entry = ManualDonation {
        amount: req.amount,
        currency: req.currency.as_deref().map(Currency::parse).transpose()?,
        refund: req.refund,
        id: req.id,
        note: req.note,
        at: req
            .at
            .as_deref()
            .map(|a| parse_instant(a, "at"))
            .transpose()?,
    };
    let r = state
        .service
        .manual_donation(&site, &slug, entry, Source::Manual)
        .await?;
    let status = if r.duplicate {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(DonationResult::of(&r))))
}

/// Records donations from CSV (`text/csv`: a header naming `id` and
/// `amount`, optionally `currency`, `date` and `note`; amounts in major
/// units). Every line is checked first; each is recorded once however often
/// the file is sent.
#[utoipa::path(
    post,
    path = "/api/v1/sites/{site}/campaigns/{campaign}/donations/import",
    tag = "campaigns",
    params(("site" = String, Path, description = "Site id"), ("campaign" = String, Path, description = "Campaign slug")),
    request_body(content = String, content_type = "text/csv"),
    responses(
        (status = 200, description = "Imported", body = ImportResult),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not an owner of this site", body = ErrorBody),
        (status = 404, description = "No such campaign", body = ErrorBody),
        (status = 422, description = "A bad line, named (`line 3: amount`)", body = ErrorBody),
    ),
    security(("session" = []), ("token" = []))
)]
pub async fn import(
    State(state): State<AppState>,
    ApiPath((site, slug)): ApiPath<(String, String)>,
    Moderator(p): Moderator,
    body: Bytes,
) -> ApiResult<Json<ImportResult>> {
    let (site, slug) = path_ids(&site, &slug)?;
    owner(&state, &p, &site)?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::from(FieldError::new("csv", "the file is not UTF-8")))?;
    let done = state.service.import_donations(&site, &slug, text).await?;
    Ok(Json(ImportResult {
        recorded: done.recorded,
        duplicates: done.duplicates,
    }))
}
