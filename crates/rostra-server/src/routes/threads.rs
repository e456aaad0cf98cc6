//! Reading threads and counting comments.

use super::site_id;
use crate::dto::{CountsRequest, CountsView, ThreadPageView};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rostra_core::{FieldError, SiteId, Sort};
use rostra_service::Paging;
use serde::Deserialize;
use utoipa::IntoParams;

/// Which page of which thread.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ThreadQuery {
    /// The page's URL.
    pub url: String,
    /// `oldest` (default), `newest`, `votes` or `best`.
    pub sort: Option<String>,
    /// Top-level comments per page (default: the site's page size; at most 100).
    pub limit: Option<u32>,
    /// The `next` cursor of the previous page.
    pub after: Option<String>,
    /// The `prev` cursor of the following page.
    pub before: Option<String>,
    /// A comment id: the page that starts with its top-level ancestor (permalinks).
    pub around: Option<i64>,
}

/// The page asked for by `after`, `before` or `around` (at most one).
pub fn paging(
    after: &Option<String>,
    before: &Option<String>,
    around: Option<i64>,
) -> Result<Paging, FieldError> {
    match (after, before, around) {
        (None, None, None) => Ok(Paging::First),
        (Some(a), None, None) => Ok(Paging::After(a.clone())),
        (None, Some(b), None) => Ok(Paging::Before(b.clone())),
        (None, None, Some(id)) => Ok(Paging::Around(id)),
        _ => Err(FieldError::new(
            "after",
            "use at most one of after, before and around",
        )),
    }
}

/// A page of a thread, as a tree.
#[utoipa::path(
    get,
    path = "/api/v1/sites/{site}/thread",
    tag = "threads",
    params(("site" = String, Path, description = "Site id"), ThreadQuery),
    responses(
        (status = 200, description = "The page", body = ThreadPageView),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 404, description = "No such site, or `around` names no listed comment", body = ErrorBody),
        (status = 422, description = "A parameter is invalid", body = ErrorBody),
    )
)]
pub async fn get_thread(
    State(state): State<AppState>,
    ApiPath(site): ApiPath<String>,
    ApiQuery(q): ApiQuery<ThreadQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let site: SiteId = site_id(&site)?;
    let sort = q
        .sort
        .as_deref()
        .map(Sort::parse)
        .transpose()?
        .unwrap_or_default();
    let paging = paging(&q.after, &q.before, q.around)?;
    let url = state.service.page_url(&site, &q.url).await?;
    let version = state.service.versions().get(&site, &url);
    // Everything that shapes the page is in the key, site settings included.
    let settings = &state.service.sites().get(&site).await?.settings;
    let limit = q.limit.unwrap_or(settings.page_size);
    let key = format!(
        "{site}\n{url}\n{}\n{paging:?}\n{limit}\n{}",
        sort.as_str(),
        settings.display_depth
    );
    let page = match state.cache.get(&key, version) {
        Some(page) => {
            state.metrics.page_cache_hits.inc();
            page
        }
        None => {
            state.metrics.page_cache_misses.inc();
            let page = state
                .service
                .thread_page(&site, &url, sort, &paging, q.limit)
                .await?;
            let body =
                serde_json::to_vec(&ThreadPageView::from(page)).map_err(ApiError::internal)?;
            state.cache.put(key, version, body.into())
        }
    };
    let etag = HeaderValue::from_str(&page.etag).map_err(ApiError::internal)?;
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == etag.as_bytes());
    let mut response = if unchanged {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            page.body,
        )
            .into_response()
    };
    let h = response.headers_mut();
    h.insert(header::ETAG, etag);
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(response)
}

/// Which pages to count.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CountsQuery {
    /// A page URL; repeat for more (at most 100).
    #[serde(default)]
    pub url: Vec<String>,
}

fn counts_body(counts: &rostra_service::Counts) -> ApiResult<Bytes> {
    let view = CountsView {
        counts: counts
            .entries
            .iter()
            .map(|e| (e.raw.clone(), e.count.unwrap_or(0)))
            .collect(),
    };
    serde_json::to_vec(&view)
        .map(Bytes::from)
        .map_err(ApiError::internal)
}

fn json_response(body: Bytes) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

/// Approved-comment counts for many pages at once.
#[utoipa::path(
    get,
    path = "/api/v1/sites/{site}/counts",
    tag = "threads",
    params(("site" = String, Path, description = "Site id"), CountsQuery),
    responses(
        (status = 200, description = "Counts keyed by the URLs as given", body = CountsView),
        (status = 404, description = "No such site", body = ErrorBody),
        (status = 422, description = "A URL is invalid, or more than 100", body = ErrorBody),
    )
)]
pub async fn get_counts(
    State(state): State<AppState>,
    ApiPath(site): ApiPath<String>,
    RawQuery(raw): RawQuery,
    ApiQuery(q): ApiQuery<CountsQuery>,
) -> ApiResult<Response> {
    let site = site_id(&site)?;
    // Listing pages repeat the same question: answer it from memory while
    // every count in it is current.
    let key = format!("{site}?{}", raw.unwrap_or_default());
    let current = state.service.sites().get(&site).await?;
    if let Some(body) = state
        .counts_cache
        .get(&key, &current, state.service.versions())
    {
        return Ok(json_response(body));
    }
    let counts = state.service.counts(&site, &q.url).await?;
    let body = counts_body(&counts)?;
    state.counts_cache.put(key, counts, body.clone());
    Ok(json_response(body))
}

/// The same, with the URLs in a JSON body.
#[utoipa::path(
    post,
    path = "/api/v1/sites/{site}/counts",
    tag = "threads",
    params(("site" = String, Path, description = "Site id")),
    request_body = CountsRequest,
    responses(
        (status = 200, description = "Counts keyed by the URLs as given", body = CountsView),
        (status = 404, description = "No such site", body = ErrorBody),
        (status = 422, description = "A URL is invalid, or more than 100", body = ErrorBody),
    )
)]
pub async fn post_counts(
    State(state): State<AppState>,
    ApiPath(site): ApiPath<String>,
    ApiJson(body): ApiJson<CountsRequest>,
) -> ApiResult<Response> {
    let counts = state.service.counts(&site_id(&site)?, &body.urls).await?;
    Ok(json_response(counts_body(&counts)?))
}
