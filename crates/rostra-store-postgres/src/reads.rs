//! Reads, each one statement on a pooled connection (no transaction: every
//! statement sees what was committed when it began).

use crate::error::Result;
use crate::rows::{self, COMMENT_COLS, LISTING_COLS, SITE_COLS, THREAD_COLS};
use rostra_core::{Comment, CommentId, PageUrl, Seek, Site, SiteId, Sort, SortValue, ThreadId};
use rostra_store::keyset::{plan, primary_column};
use rostra_store::Thread;
use sqlx::PgPool;

/// One site.
pub async fn site(pool: &PgPool, id: &SiteId) -> Result<Option<Site>> {
    let row = sqlx::query(&format!("SELECT {SITE_COLS} FROM sites WHERE id = $1"))
        .bind(id.as_str())
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(rows::site).transpose()
}

/// Every site, by id.
pub async fn sites(pool: &PgPool) -> Result<Vec<Site>> {
    let all = sqlx::query(&format!("SELECT {SITE_COLS} FROM sites ORDER BY id"))
        .fetch_all(pool)
        .await?;
    all.iter().map(rows::site).collect()
}

/// The thread of a page.
pub async fn thread(pool: &PgPool, site: &SiteId, url: &PageUrl) -> Result<Option<Thread>> {
    let row = sqlx::query(&format!(
        "SELECT {THREAD_COLS} FROM threads WHERE site_id = $1 AND url = $2"
    ))
    .bind(site.as_str())
    .bind(url.as_str())
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(rows::thread).transpose()
}

/// A thread by id.
pub async fn thread_by_id(pool: &PgPool, id: ThreadId) -> Result<Option<Thread>> {
    let row = sqlx::query(&format!("SELECT {THREAD_COLS} FROM threads WHERE id = $1"))
        .bind(id.0)
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(rows::thread).transpose()
}

/// Approved-comment counts of those pages that have threads.
pub async fn counts(pool: &PgPool, site: &SiteId, urls: &[PageUrl]) -> Result<Vec<(PageUrl, i64)>> {
    if urls.is_empty() {
        return Ok(Vec::new());
    }
    let urls: Vec<&str> = urls.iter().map(PageUrl::as_str).collect();
    let found = sqlx::query_as::<_, (String, i64)>(
        "SELECT url, approved_count FROM threads WHERE site_id = $1 AND url = ANY($2)",
    )
    .bind(site.as_str())
    .bind(urls)
    .fetch_all(pool)
    .await?;
    Ok(found
        .into_iter()
        .map(|(u, n)| (PageUrl::from_canonical(u), n))
        .collect())
}

/// One comment of a site, whatever its status.
pub async fn comment(pool: &PgPool, site: &SiteId, id: CommentId) -> Result<Option<Comment>> {
    let row = sqlx::query(&format!(
        "SELECT {COMMENT_COLS} FROM comments \
         WHERE id = $1 AND thread_id IN (SELECT id FROM threads WHERE site_id = $2)"
    ))
    .bind(id.0)
    .bind(site.as_str())
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(rows::comment).transpose()
}

/// A page of listed top-level comments (a listing: no private columns): the
/// ranges of the keyset plan in turn, each a range scan of the index that
/// matches the sort.
pub async fn top_level(
    pool: &PgPool,
    thread: ThreadId,
    sort: Sort,
    seek: Seek,
    limit: u32,
) -> Result<Vec<Comment>> {
    let plan = plan(sort, seek);
    let p = primary_column(sort);
    let mut out: Vec<Comment> = Vec::with_capacity(limit as usize);
    for range in &plan.ranges {
        let want = i64::from(limit) - out.len() as i64;
        if want <= 0 {
            break;
        }
        // $1 the thread, $2 the limit, $3 and $4 the bound's value and id.
        let condition = range.and_clause(p, "$3", "$4");
        let sql = format!(
            "SELECT {LISTING_COLS} FROM comments \
             WHERE thread_id = $1 AND parent_id IS NULL AND listed = TRUE {condition} \
             ORDER BY {} LIMIT $2",
            range.order
        );
        let mut q = sqlx::query(&sql).bind(thread.0).bind(want);
        if !range.condition.is_empty() {
            q = match plan.bound {
                Some((SortValue::Int(v), id)) => q.bind(v).bind(id),
                Some((SortValue::Float(v), id)) => q.bind(v).bind(id),
                None => q,
            };
        }
        for row in &q.fetch_all(pool).await? {
            out.push(rows::comment(row)?);
        }
    }
    if plan.reverse {
        out.reverse();
    }
    Ok(out)
}

/// Every listed reply under the given top-level comments (a listing).
pub async fn replies(pool: &PgPool, roots: &[CommentId]) -> Result<Vec<Comment>> {
    if roots.is_empty() {
        return Ok(Vec::new());
    }
    let roots: Vec<i64> = roots.iter().map(|r| r.0).collect();
    let found = sqlx::query(&format!(
        "SELECT {LISTING_COLS} FROM comments WHERE root_id = ANY($1) AND listed = TRUE"
    ))
    .bind(roots)
    .fetch_all(pool)
    .await?;
    found.iter().map(rows::comment).collect()
}
