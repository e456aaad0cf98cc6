//! Reads, on the pool of read connections.

use crate::rows::{self, backend, COMMENT_COLS, LISTING_COLS, SITE_COLS, THREAD_COLS};
use rostra_core::{Comment, CommentId, PageUrl, Seek, Site, SiteId, Sort, SortValue, ThreadId};
use rostra_store::keyset::{plan, primary_column};
use rostra_store::{StoreResult, Thread};
use sqlx::SqlitePool;

pub async fn site(pool: &SqlitePool, id: &SiteId) -> StoreResult<Option<Site>> {
    let row = sqlx::query(&format!("SELECT {SITE_COLS} FROM sites WHERE id = ?1"))
        .bind(id.as_str())
        .fetch_optional(pool)
        .await
        .map_err(backend)?;
    row.as_ref().map(rows::site).transpose()
}

pub async fn sites(pool: &SqlitePool) -> StoreResult<Vec<Site>> {
    let all = sqlx::query(&format!("SELECT {SITE_COLS} FROM sites ORDER BY id"))
        .fetch_all(pool)
        .await
        .map_err(backend)?;
    all.iter().map(rows::site).collect()
}

pub async fn thread(
    pool: &SqlitePool,
    site: &SiteId,
    url: &PageUrl,
) -> StoreResult<Option<Thread>> {
    let row = sqlx::query(&format!(
        "SELECT {THREAD_COLS} FROM threads WHERE site_id = ?1 AND url = ?2"
    ))
    .bind(site.as_str())
    .bind(url.as_str())
    .fetch_optional(pool)
    .await
    .map_err(backend)?;
    row.as_ref().map(rows::thread).transpose()
}

pub async fn thread_by_id(pool: &SqlitePool, id: ThreadId) -> StoreResult<Option<Thread>> {
    let row = sqlx::query(&format!("SELECT {THREAD_COLS} FROM threads WHERE id = ?1"))
        .bind(id.0)
        .fetch_optional(pool)
        .await
        .map_err(backend)?;
    row.as_ref().map(rows::thread).transpose()
}

fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub async fn counts(
    pool: &SqlitePool,
    site: &SiteId,
    urls: &[PageUrl],
) -> StoreResult<Vec<(PageUrl, i64)>> {
    if urls.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT url, approved_count FROM threads WHERE site_id = ?1 AND url IN ({})",
        placeholders(2, urls.len())
    );
    let mut q = sqlx::query_as::<_, (String, i64)>(&sql).bind(site.as_str());
    for u in urls {
        q = q.bind(u.as_str());
    }
    let found = q.fetch_all(pool).await.map_err(backend)?;
    Ok(found
        .into_iter()
        .map(|(u, n)| (PageUrl::from_canonical(u), n))
        .collect())
}

pub async fn comment(
    pool: &SqlitePool,
    site: &SiteId,
    id: CommentId,
) -> StoreResult<Option<Comment>> {
    let row = sqlx::query(&format!(
        "SELECT {COMMENT_COLS} FROM comments WHERE id = ?1 AND thread_id IN (SELECT id FROM threads WHERE site_id = ?2)"
    ))
    .bind(id.0)
    .bind(site.as_str())
    .fetch_optional(pool)
    .await
    .map_err(backend)?;
    row.as_ref().map(rows::comment).transpose()
}

pub async fn top_level(
    pool: &SqlitePool,
    thread: ThreadId,
    sort: Sort,
    seek: Seek,
    limit: u32,
) -> StoreResult<Vec<Comment>> {
    let plan = plan(sort, seek);
    let p = primary_column(sort);
    let mut out: Vec<Comment> = Vec::with_capacity(limit as usize);
    for range in &plan.ranges {
        let want = i64::from(limit) - out.len() as i64;
        if want <= 0 {
            break;
        }
        let condition = range.and_clause(p, "?2", "?3");
        let sql = format!(
            "SELECT {LISTING_COLS} FROM comments WHERE thread_id = ?1 AND parent_id IS NULL AND listed = 1 \
             {condition} ORDER BY {} LIMIT ?4",
            range.order
        );
        let mut q = sqlx::query(&sql).bind(thread.0);
        q = match plan.bound {
            Some((SortValue::Int(v), id)) => q.bind(v).bind(id),
            Some((SortValue::Float(v), id)) => q.bind(v).bind(id),
            None => q.bind(0i64).bind(0i64),
        };
        let found = q.bind(want).fetch_all(pool).await.map_err(backend)?;
        for row in &found {
            out.push(rows::comment(row)?);
        }
    }
    if plan.reverse {
        out.reverse();
    }
    Ok(out)
}

pub async fn replies(pool: &SqlitePool, roots: &[CommentId]) -> StoreResult<Vec<Comment>> {
    if roots.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {LISTING_COLS} FROM comments WHERE root_id IN ({}) AND listed = 1",
        placeholders(1, roots.len())
    );
    let mut q = sqlx::query(&sql);
    for r in roots {
        q = q.bind(r.0);
    }
    let found = q.fetch_all(pool).await.map_err(backend)?;
    found.iter().map(rows::comment).collect()
}
