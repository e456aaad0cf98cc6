//! The OpenAPI document, generated from the handlers and DTOs.

use crate::routes::{
    auth, campaign_admin, campaigns, comments, html, moderation, ops, reports, stream,
    subscriptions, threads, webhooks,
};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::Modify;
use utoipa::OpenApi;

/// Rostra's API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Rostra",
        description = "Comments, votes and counts for the pages of a publisher's sites. Every error is \
                       `{\"error\": {\"code\", \"message\", \"field\"}}`.",
        license(name = "AGPL-3.0-or-later")
    ),
    paths(
        threads::get_thread,
        threads::get_counts,
        threads::post_counts,
        stream::stream,
        comments::post_comment,
        comments::get_comment,
        comments::edit_comment,
        comments::delete_comment,
        comments::vote,
        reports::report,
        auth::login,
        auth::logout,
        auth::me,
        moderation::queue,
        moderation::actions,
        moderation::list_bans,
        moderation::create_ban,
        moderation::lift_ban,
        moderation::audit,
        subscriptions::subscribe,
        webhooks::create,
        webhooks::list,
        webhooks::delete,
        html::thread_fragment,
        html::comment_fragment,
        html::preview,
        campaigns::get_campaign,
        campaigns::bar,
        campaigns::stream,
        campaigns::stripe_webhook,
        campaigns::generic_webhook,
        campaign_admin::list,
        campaign_admin::create,
        campaign_admin::update,
        campaign_admin::donate,
        campaign_admin::import,
        ops::healthz,
        ops::readyz,
        ops::metrics,
    ),
    components(schemas(
        stream::CommentEventData,
        stream::VoteEventData,
        campaigns::TotalsEventData
    )),
    tags(
        (name = "threads", description = "Reading threads and counting comments"),
        (name = "comments", description = "Writing, editing, deleting and voting"),
        (name = "html", description = "The comment section as HTML fragments, for the widget and for server-side includes"),
        (name = "campaigns", description = "Donation campaigns: the bar, live totals, payment webhooks, and the owner's campaigns and donations"),
        (name = "moderation", description = "Signing in, the moderation queue, actions, bans and the audit log"),
        (name = "subscriptions", description = "E-mail subscriptions to a page's comments (double opt-in)"),
        (name = "webhooks", description = "A site's webhook endpoints, signed deliveries of comment events"),
        (name = "operations", description = "Health and metrics"),
    ),
    modifiers(&Credentials)
)]
pub struct ApiDoc;

/// The two ways a moderator proves who they are.
struct Credentials;

impl Modify for Credentials {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("rostra_session"))),
        );
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}
