//! The comment section as HTML fragments: what the widget inserts, and what a
//! publisher may include server-side so that search engines see the comments.

use super::comments::{edit_token, EDIT_TOKEN};
use super::site_id;
use super::threads::paging;
use crate::dto::{PreviewRequest, PreviewView};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::html::{render, Ctx, Lang};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rostra_core::{CommentId, PageUrl, Site, SiteId, Sort};
use rostra_service::Paging;
use serde::Deserialize;
use std::sync::Arc;
use utoipa::IntoParams;

/// Which part of which page of which thread, in which language.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HtmlThreadQuery {
    /// The page's URL.
    pub url: String,
    /// The page's title (used until the thread has one).
    pub title: Option<String>,
    /// `oldest` (default), `newest`, `votes` or `best`.
    pub sort: Option<String>,
    /// Top-level comments per page (default: the site's page size).
    pub limit: Option<u32>,
    /// The `next` cursor of the previous page.
    pub after: Option<String>,
    /// The `prev` cursor of the following page.
    pub before: Option<String>,
    /// A comment id: the page that holds it (permalinks).
    pub around: Option<i64>,
    /// A BCP 47 language tag; else `Accept-Language`; else English.
    pub lang: Option<String>,
    /// `list` for only the comments and the "load more" link.
    pub part: Option<String>,
}

/// The language of an answer.
pub fn language(param: Option<&str>, headers: &HeaderMap) -> Lang {
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    Lang::negotiate(param, accept)
}

/// A context for rendering on `site`.
pub fn ctx<'a>(state: &'a AppState, site: &'a Site, lang: Lang) -> Ctx<'a> {
    Ctx {
        lang,
        site,
        prefix: &state.http.public_url,
        max_depth: state.service.limits().max_depth,
    }
}

/// An HTML answer.
pub fn html_response(body: impl Into<Bytes>, cache_control: &'static str) -> Response {
    let mut r = body.into().into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    h.insert(header::VARY, HeaderValue::from_static("accept-language"));
    r
}

/// A rendered section or list, with what it was rendered from.
pub struct Rendered {
    /// The HTML.
    pub body: Bytes,
    /// Its ETag.
    pub etag: std::sync::Arc<str>,
}

/// Renders (or takes from the page cache) the section or its list.
pub async fn render_thread(
    state: &AppState,
    site: &SiteId,
    url: &PageUrl,
    q: &HtmlThreadQuery,
    lang: Lang,
    error: &str,
) -> ApiResult<Rendered> {
    let sort = q
        .sort
        .as_deref()
        .map(Sort::parse)
        .transpose()?
        .unwrap_or_default();
    let paging = paging(&q.after, &q.before, q.around)?;
    let list_only = match q.part.as_deref() {
        None | Some("") => false,
        Some("list") => true,
        Some(_) => {
            return Err(ApiError::from(rostra_core::FieldError::new(
                "part",
                "part is `list` or absent",
            )))
        }
    };
    let version = state.service.versions().get(site, url);
    let current: Arc<Site> = state.service.sites().get(site).await?;
    let limit = q.limit.unwrap_or(current.settings.page_size);
    let title = q.title.as_deref().unwrap_or("");
    let key = format!(
        "html\n{site}\n{url}\n{}\n{paging:?}\n{limit}\n{}\n{}\n{list_only}\n{title}\n{:?}\n{error}",
        sort.as_str(),
        lang.tag(),
        current.settings.display_depth,
        current.settings.edit_window_secs,
    );
    if let Some(hit) = state.cache.get(&key, version) {
        state.metrics.page_cache_hits.inc();
        return Ok(Rendered {
            body: hit.body,
            etag: hit.etag,
        });
    }
    state.metrics.page_cache_misses.inc();
    let page = state
        .service
        .thread_page(site, url, sort, &paging, q.limit)
        .await?;
    let ctx = ctx(state, &current, lang);
    let html = if list_only {
        render::list(&ctx, &page)
    } else {
        let partial = !matches!(paging, Paging::First);
        render::section(&ctx, &page, title, partial, error, state.service.limits())
    }
    .map_err(ApiError::internal)?;
    let cached = state.cache.put(key, version, html.into());
    Ok(Rendered {
        body: cached.body,
        etag: cached.etag,
    })
}

/// The comment section, or one page of its list, as an HTML fragment.
#[utoipa::path(
    get,
    path = "/api/v1/sites/{site}/html/thread",
    tag = "html",
    params(("site" = String, Path, description = "Site id"), HtmlThreadQuery),
    responses(
        (status = 200, description = "The fragment", content_type = "text/html"),
        (status = 304, description = "Unchanged since the ETag sent"),
        (status = 404, description = "No such site, or `around` names no listed comment", body = ErrorBody),
        (status = 422, description = "A parameter is invalid", body = ErrorBody),
    )
)]
pub async fn thread_fragment(
    State(state): State<AppState>,
    ApiPath(site): ApiPath<String>,
    ApiQuery(q): ApiQuery<HtmlThreadQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let site = site_id(&site)?;
    let url = state.service.page_url(&site, &q.url).await?;
    let lang = language(q.lang.as_deref(), &headers);
    let rendered = render_thread(&state, &site, &url, &q, lang, "").await?;
    let etag = HeaderValue::from_str(&rendered.etag).map_err(ApiError::internal)?;
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == etag.as_bytes());
    let mut response = if unchanged {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        html_response(rendered.body, "no-cache")
    };
    let h = response.headers_mut();
    h.insert(header::ETAG, etag);
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(response)
}

/// The language of a single fragment.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LangQuery {
    /// A BCP 47 language tag; else `Accept-Language`; else English.
    pub lang: Option<String>,
}

/// One comment as an HTML fragment, without its replies. With `X-Edit-Token`
/// its author sees it whatever its status (a held comment shows as pending).
#[utoipa::path(
    get,
    path = "/api/v1/sites/{site}/html/comments/{id}",
    tag = "html",
    params(
        ("site" = String, Path, description = "Site id"),
        ("id" = i64, Path, description = "Comment id"),
        LangQuery,
    ),
    responses(
        (status = 200, description = "The fragment", content_type = "text/html"),
        (status = 403, description = "The edit token does not match", body = ErrorBody),
        (status = 404, description = "No such listed comment", body = ErrorBody),
    )
)]
pub async fn comment_fragment(
    State(state): State<AppState>,
    ApiPath((site, id)): ApiPath<(String, i64)>,
    ApiQuery(q): ApiQuery<LangQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let site = site_id(&site)?;
    let (comment, private) = match headers.get(EDIT_TOKEN) {
        Some(_) => {
            let token = edit_token(&headers, None)?;
            let c = state
                .service
                .comment_for_author(&site, CommentId(id), &token)
                .await?;
            (c, true)
        }
        None => (
            state.service.public_comment(&site, CommentId(id)).await?,
            false,
        ),
    };
    let thread = state.service.thread_of(&comment).await?;
    let current = state.service.sites().get(&site).await?;
    let ctx = ctx(&state, &current, language(q.lang.as_deref(), &headers));
    let html = render::comment(&ctx, thread.url.as_str(), &comment, None, String::new())
        .map_err(ApiError::internal)?;
    Ok(html_response(
        html,
        if private {
            "private, no-store"
        } else {
            "no-cache"
        },
    ))
}

/// Renders Markdown the way a posted comment would be.
#[utoipa::path(
    post,
    path = "/api/v1/sites/{site}/preview",
    tag = "html",
    params(("site" = String, Path, description = "Site id")),
    request_body = PreviewRequest,
    responses(
        (status = 200, description = "The sanitized HTML", body = PreviewView),
        (status = 404, description = "No such site", body = ErrorBody),
        (status = 422, description = "The body is empty or too long", body = ErrorBody),
    )
)]
pub async fn preview(
    State(state): State<AppState>,
    ApiPath(site): ApiPath<String>,
    ApiJson(req): ApiJson<PreviewRequest>,
) -> ApiResult<Json<PreviewView>> {
    let site = site_id(&site)?;
    let html = state.service.preview(&site, &req.body).await?;
    Ok(Json(PreviewView { html }))
}
