//! Reading rows into domain values.

use crate::error::{corrupt, Result};
use rostra_core::{
    Comment, CommentId, CommentStatus, Origin, PageUrl, Site, SiteId, SiteSettings, ThreadId,
    Timestamp, TokenHash,
};
use rostra_store::moderation::parse_assessment;
use rostra_store::Thread;
use sqlx::postgres::PgRow;
use sqlx::Row;

/// The comment columns, in the order [`comment`] reads them.
pub const COMMENT_COLS: &str = "id, thread_id, parent_id, root_id, depth, status, listed_replies, author_name, \
     author_email, author_website, body_markdown, body_html, created_at, edited_at, upvotes, downvotes, \
     edit_token_hash, assessment";

/// The comment columns a listing needs: the private ones (Markdown source,
/// e-mail, token hash) are left out, read as empty, as SQLite's listings do.
pub const LISTING_COLS: &str = "id, thread_id, parent_id, root_id, depth, status, listed_replies, author_name, \
     NULL::text AS author_email, author_website, ''::text AS body_markdown, body_html, created_at, edited_at, \
     upvotes, downvotes, NULL::bytea AS edit_token_hash, NULL::text AS assessment";

/// The thread columns.
pub const THREAD_COLS: &str = "id, site_id, url, title, approved_count, created_at";

/// The site columns.
pub const SITE_COLS: &str = "id, name, allowed_origins, settings, voter_secret, created_at";

/// A comment from a row holding [`COMMENT_COLS`].
pub fn comment(row: &PgRow) -> Result<Comment> {
    let status: String = row.try_get("status")?;
    let hash: Option<Vec<u8>> = row.try_get("edit_token_hash")?;
    let depth: i64 = row.try_get("depth")?;
    Ok(Comment {
        id: CommentId(row.try_get("id")?),
        thread_id: ThreadId(row.try_get("thread_id")?),
        parent_id: row.try_get::<Option<i64>, _>("parent_id")?.map(CommentId),
        root_id: row.try_get::<Option<i64>, _>("root_id")?.map(CommentId),
        depth: u32::try_from(depth).map_err(corrupt)?,
        status: CommentStatus::parse(&status).map_err(corrupt)?,
        listed_replies: row.try_get("listed_replies")?,
        author_name: row.try_get("author_name")?,
        author_email: row.try_get("author_email")?,
        author_website: row.try_get("author_website")?,
        body_markdown: row.try_get("body_markdown")?,
        body_html: row.try_get("body_html")?,
        created_at: Timestamp(row.try_get("created_at")?),
        edited_at: row.try_get::<Option<i64>, _>("edited_at")?.map(Timestamp),
        upvotes: row.try_get("upvotes")?,
        downvotes: row.try_get("downvotes")?,
        edit_token_hash: hash.as_deref().and_then(TokenHash::from_slice),
        assessment: parse_assessment(row.try_get::<Option<String>, _>("assessment")?.as_deref())?,
    })
}

/// A thread from a row holding [`THREAD_COLS`].
pub fn thread(row: &PgRow) -> Result<Thread> {
    let site: String = row.try_get("site_id")?;
    Ok(Thread {
        id: ThreadId(row.try_get("id")?),
        site_id: SiteId::parse(&site).map_err(corrupt)?,
        url: PageUrl::from_canonical(row.try_get("url")?),
        title: row.try_get("title")?,
        count: row.try_get("approved_count")?,
        created_at: Timestamp(row.try_get("created_at")?),
    })
}

/// A site from a row holding [`SITE_COLS`].
pub fn site(row: &PgRow) -> Result<Site> {
    let id: String = row.try_get("id")?;
    let origins: String = row.try_get("allowed_origins")?;
    let settings: String = row.try_get("settings")?;
    Ok(Site {
        id: SiteId::parse(&id).map_err(corrupt)?,
        name: row.try_get("name")?,
        allowed_origins: serde_json::from_str::<Vec<Origin>>(&origins).map_err(corrupt)?,
        settings: serde_json::from_str::<SiteSettings>(&settings).map_err(corrupt)?,
        voter_secret: row.try_get("voter_secret")?,
        created_at: Timestamp(row.try_get("created_at")?),
    })
}
