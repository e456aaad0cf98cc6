//! Cross-origin access, per site: a browser may call a site's API only from
//! one of that site's allowed origins. Other origins may still read (without
//! CORS headers the browser hides the answer) but never write.

use crate::error::ApiError;
use crate::AppState;
use axum::extract::{OriginalUri, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rostra_core::SiteId;

const ALLOW_METHODS: &str = "GET, POST, PATCH, DELETE, OPTIONS";
const ALLOW_HEADERS: &str = "content-type, x-edit-token, x-rostra-voter, if-none-match";
const EXPOSE_HEADERS: &str = "etag, retry-after, location";

/// Whether `origin` is this server's own (its scheme-less host is the
/// request's `Host`): the pages Rostra itself serves.
pub fn is_own_origin(headers: &HeaderMap, origin: &str) -> bool {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    host.is_some_and(|h| {
        origin
            .split_once("://")
            .is_some_and(|(_, rest)| rest.eq_ignore_ascii_case(h))
    })
}

/// Whether `path` is under a site's `/moderation/`.
fn is_moderation(path: &str) -> bool {
    path.strip_prefix("/api/v1/sites/")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(_, rest)| rest.starts_with("moderation/"))
}

fn site_of(path: &str) -> Option<&str> {
    path.strip_prefix("/api/v1/sites/")?.split('/').next()
}

fn forbidden(origin: &str) -> Response {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "origin_not_allowed",
        format!("{origin} may not call this site's API"),
    )
    .into_response()
}

fn allow(headers: &mut HeaderMap, origin: HeaderValue) {
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
        HeaderValue::from_static("true"),
    );
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static(EXPOSE_HEADERS),
    );
    headers.append(header::VARY, HeaderValue::from_static("origin"));
}

/// The middleware.
pub async fn per_site(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(origin) = req.headers().get(header::ORIGIN).cloned() else {
        return next.run(req).await;
    };
    let origin_str = origin.to_str().unwrap_or("null").to_owned();
    // Routes under a nest see their path stripped of the prefix; the original
    // URI keeps it.
    let path = req
        .extensions()
        .get::<OriginalUri>()
        .map_or_else(|| req.uri().path(), |o| o.0.path())
        .to_owned();
    // The moderator API is for this server's own pages and for tools, never
    // for a site's pages: no CORS answers, and its own origin check (see
    // `auth.rs`).
    if is_moderation(&path) {
        return next.run(req).await;
    }
    let site = match site_of(&path).map(SiteId::parse) {
        Some(Ok(id)) => state.service.sites().get(&id).await.ok(),
        _ => None,
    };
    let Some(site) = site else {
        // Unknown site: let the handler answer 404.
        return next.run(req).await;
    };
    let allowed = origin_str != "null" && site.allows_origin(&origin_str);
    let preflight = req.method() == Method::OPTIONS
        && req
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    if preflight {
        if !allowed {
            return forbidden(&origin_str);
        }
        let mut response = StatusCode::NO_CONTENT.into_response();
        let h = response.headers_mut();
        allow(h, origin);
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static(ALLOW_METHODS),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static(ALLOW_HEADERS),
        );
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
        return response;
    }
    if !allowed {
        if matches!(*req.method(), Method::GET | Method::HEAD) {
            return next.run(req).await;
        }
        return forbidden(&origin_str);
    }
    let mut response = next.run(req).await;
    allow(response.headers_mut(), origin);
    response
}
