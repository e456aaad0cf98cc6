//! Signing in and out: a session cookie for the moderators' pages.

use crate::auth::{check_origin, cookie, session_cookie, Moderator, SESSION_COOKIE};
use crate::client::ClientAddr;
use crate::dto_moderation::{LoginRequest, MeView};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::ApiJson;
use crate::rate::limit;
use crate::rate::Action;
use crate::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

fn https(state: &AppState) -> bool {
    state.http.public_url.starts_with("https://")
}

/// Signs in with a name and password; answers who signed in and sets the
/// session cookie (HttpOnly, SameSite=Strict, Secure over HTTPS).
#[utoipa::path(
    post,
    path = "/api/v1/auth/login",
    tag = "moderation",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = MeView),
        (status = 401, description = "Wrong name or password", body = ErrorBody),
        (status = 403, description = "Posted from another origin", body = ErrorBody),
        (status = 429, description = "Too many attempts", body = ErrorBody),
    )
)]
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(ip): ClientAddr,
    headers: HeaderMap,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<Response> {
    if headers.contains_key(header::ORIGIN) {
        check_origin(&headers, &state.http.public_url)?;
    }
    limit(&state, Action::Login, ip, "").await?;
    let session = state.service.login(&req.name, &req.password).await?;
    let mut response = Json(MeView::of(&session.principal)).into_response();
    let max_age = rostra_service::moderators::SESSION_SECS;
    if let Some(v) = session_cookie(session.secret.as_str(), max_age, https(&state)) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(response)
}

/// Signs out: the session ends and its cookie is cleared.
#[utoipa::path(
    post,
    path = "/api/v1/auth/logout",
    tag = "moderation",
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Posted from another origin", body = ErrorBody),
    )
)]
pub async fn logout(
    State(state): State<AppState>,
    Moderator(_signed_in): Moderator,
    headers: HeaderMap,
) -> ApiResult<Response> {
    if let Some(secret) = cookie(&headers, SESSION_COOKIE) {
        state.service.logout(&secret).await?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    if let Some(v) = session_cookie("", 0, https(&state)) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(response)
}

/// Who is signed in, and their roles.
#[utoipa::path(
    get,
    path = "/api/v1/auth/me",
    tag = "moderation",
    responses(
        (status = 200, description = "The signed-in user", body = MeView),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ),
    security(("session" = []), ("token" = []))
)]
pub async fn me(Moderator(p): Moderator) -> Json<MeView> {
    Json(MeView::of(&p))
}
