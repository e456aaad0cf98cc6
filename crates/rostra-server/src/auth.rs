//! Who is calling the moderator API: a session cookie (set by
//! `POST /api/v1/auth/login`) or an API token (`Authorization: Bearer …`).
//!
//! A cookie is sent by the browser on its own, so a write authenticated by
//! one must come from this server's own pages: its `Origin` must be this
//! server (see [`crate::cors::is_own_origin`]). A bearer token is never sent
//! on its own, so it needs no such check.

use crate::cors::is_own_origin;
use crate::error::ApiError;
use crate::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use rostra_service::{Principal, ServiceError};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "rostra_session";

/// A signed-in moderator or owner, as an extractor: 401 without valid
/// credentials, 403 for a cookie-authenticated write from another origin.
pub struct Moderator(pub Principal);

/// The value of a cookie of the request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The bearer token of the request, if it has one.
pub fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
        .filter(|t| !t.is_empty())
}

/// 403 for a cookie-authenticated write that does not come from this
/// server: its `Origin` must be the request's host or the configured
/// `public_url` (behind a proxy that rewrites `Host`).
pub fn check_origin(headers: &HeaderMap, public_url: &str) -> Result<(), ApiError> {
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    match origin {
        Some(o) if is_this_server(headers, o, public_url) => Ok(()),
        _ => Err(origin_not_allowed()),
    }
}

/// Whether `origin` (`scheme://host[:port]`) is this server: the request's
/// host or the configured `public_url`'s origin.
pub fn is_this_server(headers: &HeaderMap, origin: &str, public_url: &str) -> bool {
    let public = || {
        !public_url.is_empty()
            && url::Url::parse(public_url).is_ok_and(|u| {
                u.origin()
                    .ascii_serialization()
                    .eq_ignore_ascii_case(origin)
            })
    };
    is_own_origin(headers, origin) || public()
}

/// The 403 of a signed-in write from elsewhere.
pub fn origin_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "origin_not_allowed",
        "a signed-in write must come from this server's own pages (Origin)",
    )
}

fn unauthenticated() -> ApiError {
    ApiError::from(ServiceError::Unauthenticated(
        "sign in (POST /api/v1/auth/login) or send an API token (Authorization: Bearer)".into(),
    ))
}

impl FromRequestParts<AppState> for Moderator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(token) = bearer(&parts.headers) {
            return Ok(Self(state.service.authenticate(&token).await?));
        }
        let Some(session) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(unauthenticated());
        };
        if !matches!(parts.method, Method::GET | Method::HEAD) {
            check_origin(&parts.headers, &state.http.public_url)?;
        }
        Ok(Self(state.service.authenticate(&session).await?))
    }
}

/// The `Set-Cookie` value of a session: HttpOnly, SameSite=Strict, Secure
/// when the server is served over HTTPS; `max_age` 0 ends it.
pub fn session_cookie(value: &str, max_age: i64, https: bool) -> Option<HeaderValue> {
    let secure = if https { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}"
    ))
    .ok()
}
