//! Reading rows into domain values.

use rostra_core::{
    Comment, CommentId, CommentStatus, Origin, PageUrl, Site, SiteId, SiteSettings, ThreadId,
    Timestamp, TokenHash,
};
use rostra_store::moderation::parse_assessment;
use rostra_store::{StoreError, Thread};
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

/// The comment columns, in the order [`comment`] reads them.
pub const COMMENT_COLS: &str = "id, thread_id, parent_id, root_id, depth, status, listed_replies, author_name, \
     author_email, author_website, body_markdown, body_html, created_at, edited_at, upvotes, downvotes, \
     edit_token_hash, assessment";

/// The comment columns a listing needs: the private ones (Markdown source,
/// e-mail, token hash) are left out, read as empty.
pub const LISTING_COLS: &str = "id, thread_id, parent_id, root_id, depth, status, listed_replies, author_name, \
     NULL AS author_email, author_website, '' AS body_markdown, body_html, created_at, edited_at, upvotes, \
     downvotes, NULL AS edit_token_hash, NULL AS assessment";

/// The thread columns.
pub const THREAD_COLS: &str = "id, site_id, url, title, approved_count, created_at";

/// The site columns.
pub const SITE_COLS: &str = "id, name, allowed_origins, settings, voter_secret, created_at";

pub fn backend(e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(e.to_string())
}

pub fn comment(row: &SqliteRow) -> Result<Comment, StoreError> {
    let status: String = row.try_get("status").map_err(backend)?;
    let hash: Option<Vec<u8>> = row.try_get("edit_token_hash").map_err(backend)?;
    Ok(Comment {
        id: CommentId(row.try_get("id").map_err(backend)?),
        thread_id: ThreadId(row.try_get("thread_id").map_err(backend)?),
        parent_id: row
            .try_get::<Option<i64>, _>("parent_id")
            .map_err(backend)?
            .map(CommentId),
        root_id: row
            .try_get::<Option<i64>, _>("root_id")
            .map_err(backend)?
            .map(CommentId),
        depth: row.try_get::<i64, _>("depth").map_err(backend)? as u32,
        status: CommentStatus::parse(&status).map_err(backend)?,
        listed_replies: row.try_get("listed_replies").map_err(backend)?,
        author_name: row.try_get("author_name").map_err(backend)?,
        author_email: row.try_get("author_email").map_err(backend)?,
        author_website: row.try_get("author_website").map_err(backend)?,
        body_markdown: row.try_get("body_markdown").map_err(backend)?,
        body_html: row.try_get("body_html").map_err(backend)?,
        created_at: Timestamp(row.try_get("created_at").map_err(backend)?),
        edited_at: row
            .try_get::<Option<i64>, _>("edited_at")
            .map_err(backend)?
            .map(Timestamp),
        upvotes: row.try_get("upvotes").map_err(backend)?,
        downvotes: row.try_get("downvotes").map_err(backend)?,
        edit_token_hash: hash.as_deref().and_then(TokenHash::from_slice),
        assessment: parse_assessment(
            row.try_get::<Option<String>, _>("assessment")
                .map_err(backend)?
                .as_deref(),
        )?,
    })
}

pub fn thread(row: &SqliteRow) -> Result<Thread, StoreError> {
    let site: String = row.try_get("site_id").map_err(backend)?;
    Ok(Thread {
        id: ThreadId(row.try_get("id").map_err(backend)?),
        site_id: SiteId::parse(&site).map_err(backend)?,
        url: PageUrl::from_canonical(row.try_get("url").map_err(backend)?),
        title: row.try_get("title").map_err(backend)?,
        count: row.try_get("approved_count").map_err(backend)?,
        created_at: Timestamp(row.try_get("created_at").map_err(backend)?),
    })
}

pub fn site(row: &SqliteRow) -> Result<Site, StoreError> {
    let id: String = row.try_get("id").map_err(backend)?;
    let origins: String = row.try_get("allowed_origins").map_err(backend)?;
    let settings: String = row.try_get("settings").map_err(backend)?;
    Ok(Site {
        id: SiteId::parse(&id).map_err(backend)?,
        name: row.try_get("name").map_err(backend)?,
        allowed_origins: serde_json::from_str::<Vec<Origin>>(&origins).map_err(backend)?,
        settings: serde_json::from_str::<SiteSettings>(&settings).map_err(backend)?,
        voter_secret: row.try_get("voter_secret").map_err(backend)?,
        created_at: Timestamp(row.try_get("created_at").map_err(backend)?),
    })
}
