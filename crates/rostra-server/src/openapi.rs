//! The OpenAPI document, generated from the handlers and DTOs.

use crate::routes::{comments, html, ops, stream, threads};
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
        html::thread_fragment,
        html::comment_fragment,
        html::preview,
        ops::healthz,
        ops::readyz,
        ops::metrics,
    ),
    components(schemas(stream::CommentEventData, stream::VoteEventData)),
    tags(
        (name = "threads", description = "Reading threads and counting comments"),
        (name = "comments", description = "Writing, editing, deleting and voting"),
        (name = "html", description = "The comment section as HTML fragments, for the widget and for server-side includes"),
        (name = "operations", description = "Health and metrics"),
    )
)]
pub struct ApiDoc;
