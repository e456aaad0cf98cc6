//! Rostra's HTTP layer: the JSON API under `/api/v1`, its one error shape,
//! per-site CORS, write rate limits, the thread page cache, metrics and the
//! OpenAPI document. Handlers parse, call a use case in `rostra-service`, and
//! shape the answer; none of them talks to storage.

pub mod assets;
pub mod auth;
pub mod cache;
pub mod client;
pub mod cors;
pub mod dto;
pub mod dto_campaigns;
pub mod dto_moderation;
pub mod error;
pub mod extract;
pub mod html;
pub mod metrics;
pub mod openapi;
pub mod rate;
pub mod routes;
pub mod streams;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use cache::PageCache;
use error::ApiError;
use metrics::Metrics;
use rate::RateLimits;
use rostra_service::Service;
use std::sync::Arc;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// HTTP-level settings.
#[derive(Debug, Clone, Default)]
pub struct HttpSettings {
    /// The header a trusted reverse proxy puts the client's address in.
    pub client_ip_header: Option<HeaderName>,
    /// The server's public URL without a trailing slash, prefixed to the links
    /// in HTML fragments; "" for root-relative links.
    pub public_url: String,
    /// The demo page's canonical URL, when the demo is on.
    pub demo_page: Option<String>,
}

/// What every handler shares. Cloned for every request, so it is one `Arc`.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    /// Wraps the shared state.
    pub fn new(shared: Shared) -> Self {
        Self(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The state itself.
pub struct Shared {
    /// The use cases.
    pub service: Service,
    /// Rendered thread pages.
    pub cache: PageCache,
    /// Counts answers.
    pub counts_cache: cache::CountsCache,
    /// Write and vote limits.
    pub rate: RateLimits,
    /// Metrics.
    pub metrics: Arc<Metrics>,
    /// HTTP settings.
    pub http: Arc<HttpSettings>,
    /// The cap on live-update streams open at once.
    pub streams: streams::StreamSlots,
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::internal("a handler panicked").into_response()
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such endpoint; see /api/openapi.json",
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this endpoint does not take that method",
    )
}

/// The API routes, with the layers every request passes through.
pub fn router(state: AppState) -> Router {
    use routes::{
        auth, campaign_admin, campaigns, comments, html, moderation, moderation_bans,
        moderation_page, ops, pages, reports, stream, subscriptions, threads, webhooks,
    };
    let body_limit = state.service.limits().body_bytes;
    let sites = Router::new()
        .route("/{site}/thread", get(threads::get_thread))
        .route(
            "/{site}/counts",
            get(threads::get_counts).post(threads::post_counts),
        )
        .route("/{site}/comments", post(comments::post_comment))
        .route(
            "/{site}/comments/{id}",
            get(comments::get_comment)
                .patch(comments::edit_comment)
                .delete(comments::delete_comment),
        )
        .route("/{site}/comments/{id}/vote", post(comments::vote))
        .route("/{site}/comments/{id}/report", post(reports::report))
        .route("/{site}/html/thread", get(html::thread_fragment))
        .route("/{site}/html/comments/{id}", get(html::comment_fragment))
        .route("/{site}/preview", post(html::preview))
        .route("/{site}/stream", get(stream::stream))
        .route("/{site}/subscriptions", post(subscriptions::subscribe))
        .route(
            "/{site}/campaigns",
            get(campaign_admin::list).post(campaign_admin::create),
        )
        .route(
            "/{site}/campaigns/{campaign}",
            get(campaigns::get_campaign).patch(campaign_admin::update),
        )
        .route("/{site}/campaigns/{campaign}/html", get(campaigns::bar))
        .route(
            "/{site}/campaigns/{campaign}/stream",
            get(campaigns::stream),
        )
        .route(
            "/{site}/campaigns/{campaign}/webhooks/stripe",
            post(campaigns::stripe_webhook),
        )
        .route(
            "/{site}/campaigns/{campaign}/webhooks/generic",
            post(campaigns::generic_webhook),
        )
        .route(
            "/{site}/campaigns/{campaign}/donations",
            post(campaign_admin::donate),
        )
        .route(
            "/{site}/campaigns/{campaign}/donations/import",
            post(campaign_admin::import),
        )
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            cors::per_site,
        ))
        // The moderator API is for this server's own pages and for tools,
        // never for the sites' origins: `cors::per_site` lets it through
        // without CORS answers, and `auth.rs` checks cookie writes' origin.
        .route("/{site}/moderation/queue", get(moderation::queue))
        .route("/{site}/moderation/actions", post(moderation::actions))
        .route(
            "/{site}/moderation/bans",
            get(moderation::list_bans)
                .post(moderation::create_ban)
                .delete(moderation::lift_ban),
        )
        .route("/{site}/moderation/audit", get(moderation::audit))
        .route(
            "/{site}/webhooks",
            get(webhooks::list).post(webhooks::create),
        )
        .route(
            "/{site}/webhooks/{id}",
            axum::routing::delete(webhooks::delete),
        );
    let api = Router::new()
        .nest("/api/v1/sites", sites)
        .route("/api/openapi.json", get(ops::openapi))
        .route("/api/v1/auth/login", post(auth::login))
        .route("/api/v1/auth/logout", post(auth::logout))
        .route("/api/v1/auth/me", get(auth::me))
        .route("/", get(pages::demo))
        .route("/sites/{site}/thread", get(pages::thread))
        .route("/sites/{site}/post", post(pages::form_post))
        .route("/subscriptions/confirm", get(subscriptions::confirm))
        .route(
            "/subscriptions/unsubscribe",
            get(subscriptions::unsubscribe_page).post(subscriptions::unsubscribe),
        )
        .route(
            "/subscriptions/manage",
            get(subscriptions::manage_page).post(subscriptions::manage),
        )
        .route("/moderation", get(moderation_page::page))
        .route("/moderation/login", post(moderation_page::login))
        .route("/moderation/logout", post(moderation_page::logout))
        .route("/moderation/actions", post(moderation_page::actions))
        .route("/moderation/bans", post(moderation_bans::ban))
        .route("/moderation/unban", post(moderation_bans::lift))
        .route("/embed.js", get(pages::asset))
        .route("/assets/{file}", get(pages::asset))
        .route("/demo/{file}", get(pages::asset))
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.metrics.clone(),
            metrics::track,
        ))
        .layer(DefaultBodyLimit::max(body_limit))
        // Fragments and JSON shrink several times over; already-encoded
        // answers (the assets) and event streams are left alone.
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(TraceLayer::new_for_http())
        .layer(CatchPanicLayer::custom(panic_response))
        .with_state(state.clone());
    // CORS wraps the whole router so that it sees every request before
    // routing: preflights are answered even where no OPTIONS route exists.
    let cors = tower::Layer::layer(
        &axum::middleware::from_fn_with_state(state, cors::per_site),
        api,
    );
    Router::new().fallback_service(cors)
}
