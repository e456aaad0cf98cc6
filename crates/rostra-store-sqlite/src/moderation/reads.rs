//! The moderator side's reads, on the pool: users and their credentials,
//! bans, the audit log and the queue.

use super::*;

pub async fn user_by_name(pool: &SqlitePool, name: &str) -> StoreResult<Option<User>> {
    let row = sqlx::query(&format!("SELECT {USER_COLS} FROM users WHERE name = ?1"))
        .bind(name)
        .fetch_optional(pool)
        .await
        .map_err(backend)?;
    row.as_ref().map(user).transpose()
}

pub async fn users(pool: &SqlitePool) -> StoreResult<Vec<User>> {
    let all = sqlx::query(&format!("SELECT {USER_COLS} FROM users ORDER BY name"))
        .fetch_all(pool)
        .await
        .map_err(backend)?;
    all.iter().map(user).collect()
}

pub async fn memberships(pool: &SqlitePool, user_id: UserId) -> StoreResult<Vec<Membership>> {
    let all: Vec<(String, String)> =
        sqlx::query_as("SELECT site_id, role FROM memberships WHERE user_id = ?1 ORDER BY site_id")
            .bind(user_id.0)
            .fetch_all(pool)
            .await
            .map_err(backend)?;
    all.into_iter()
        .map(|(site, role)| {
            Ok(Membership {
                site_id: SiteId::parse(&site).map_err(backend)?,
                role: Role::parse(&role).map_err(backend)?,
            })
        })
        .collect()
}

pub async fn credential(
    pool: &SqlitePool,
    hash: [u8; 32],
    now: Timestamp,
) -> StoreResult<Option<(User, CredentialKind)>> {
    let row = sqlx::query(
        "SELECT u.id, u.name, u.password_hash, u.created_at, u.email, c.kind FROM credentials c \
         JOIN users u ON u.id = c.user_id WHERE c.hash = ?1 AND (c.expires_at IS NULL OR c.expires_at > ?2)",
    )
    .bind(&hash[..])
    .bind(now.0)
    .fetch_optional(pool)
    .await
    .map_err(backend)?;
    let Some(row) = row else { return Ok(None) };
    let kind: String = row.try_get("kind").map_err(backend)?;
    let kind = CredentialKind::parse(&kind)
        .ok_or_else(|| StoreError::Backend(format!("unknown credential kind {kind}")))?;
    Ok(Some((user(&row)?, kind)))
}

pub async fn bans(pool: &SqlitePool, site: &SiteId) -> StoreResult<Vec<Ban>> {
    let all = sqlx::query(&format!(
        "SELECT {BAN_COLS} FROM bans WHERE site_id = ?1 ORDER BY id DESC"
    ))
    .bind(site.as_str())
    .fetch_all(pool)
    .await
    .map_err(backend)?;
    all.iter().map(ban).collect()
}

/// What makes a ban match an author: in force on the site at a time, on
/// their e-mail, address hash or name, bound in that order. Anonymous `?`s,
/// so the posting policy's one question can hold it among its own (sqlx
/// numbers anonymous parameters apart from numbered ones).
pub const BAN_MATCH: &str = "site_id = ? AND (until IS NULL OR until > ?) AND \
     ((kind = 'email' AND value = ?) OR (kind = 'address' AND value = ?) OR \
     (kind = 'name' AND value = ?))";

pub async fn ban_for(
    pool: &SqlitePool,
    site: &SiteId,
    query: &BanQuery,
    now: Timestamp,
) -> StoreResult<Option<Ban>> {
    let row = sqlx::query(&format!(
        "SELECT {BAN_COLS} FROM bans WHERE {BAN_MATCH} ORDER BY id LIMIT 1"
    ))
    .bind(site.as_str())
    .bind(now.0)
    .bind(query.email.as_deref())
    .bind(query.ip_hash.as_deref())
    .bind(query.name.as_deref())
    .fetch_optional(pool)
    .await
    .map_err(backend)?;
    row.as_ref().map(ban).transpose()
}

pub async fn audit(
    pool: &SqlitePool,
    site: &SiteId,
    before: Option<i64>,
    limit: u32,
) -> StoreResult<Vec<AuditEntry>> {
    let all = sqlx::query(&format!(
        "SELECT {AUDIT_COLS} FROM audit_log a LEFT JOIN users u ON u.id = a.user_id \
         WHERE a.site_id = ?1 AND a.id < ?2 ORDER BY a.id DESC LIMIT ?3"
    ))
    .bind(site.as_str())
    .bind(before.unwrap_or(i64::MAX))
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await
    .map_err(backend)?;
    all.iter().map(audit_entry).collect()
}

/// The queue's statement: `?1` the site, `?2` the limit, `?3` the offset,
/// `?4` the comment whose author's comments it lists (with `by`).
fn queue_sql(filter: QueueFilter, order: QueueOrder, by: bool) -> String {
    rostra_store::moderation::queue_sql(filter, order, by, COMMENT_COLS, |n| format!("?{n}"))
}

pub async fn queue(pool: &SqlitePool, q: &QueueQuery) -> StoreResult<Vec<QueueItem>> {
    let sql = queue_sql(q.filter, q.order, q.by.is_some());
    let mut found = sqlx::query(&sql)
        .bind(q.site_id.as_str())
        .bind(i64::from(q.limit))
        .bind(i64::from(q.offset));
    if let Some(by) = q.by {
        found = found.bind(by.0);
    }
    let found = found.fetch_all(pool).await.map_err(backend)?;
    let mut items = Vec::with_capacity(found.len());
    for row in &found {
        items.push(QueueItem {
            comment: crate::rows::comment(row)?,
            url: PageUrl::from_canonical(row.try_get("thread_url").map_err(backend)?),
            title: row.try_get("thread_title").map_err(backend)?,
            ip_hash: row.try_get("ip_hash").map_err(backend)?,
            reports: Vec::new(),
            record: None,
        });
    }
    if items.is_empty() {
        return Ok(items);
    }
    let sql = format!(
        "SELECT comment_id, reason, text, created_at FROM reports WHERE resolved_at IS NULL \
         AND comment_id IN ({}) ORDER BY id",
        vec!["?"; items.len()].join(", ")
    );
    let mut reports = sqlx::query(&sql);
    for item in &items {
        reports = reports.bind(item.comment.id.0);
    }
    let mut by_comment: HashMap<i64, Vec<ReportSummary>> = HashMap::new();
    for row in reports.fetch_all(pool).await.map_err(backend)? {
        let reason: String = row.try_get("reason").map_err(backend)?;
        by_comment
            .entry(row.try_get("comment_id").map_err(backend)?)
            .or_default()
            .push(ReportSummary {
                reason: ReportReason::parse(&reason).map_err(backend)?,
                text: row.try_get("text").map_err(backend)?,
                at: Timestamp(row.try_get("created_at").map_err(backend)?),
            });
    }
    for item in &mut items {
        item.reports = by_comment.remove(&item.comment.id.0).unwrap_or_default();
    }
    let (emails, hashes) = record::authors(&items);
    let by_email = author_counts(pool, &q.site_id, "author_email", &emails).await?;
    let by_address = author_counts(pool, &q.site_id, "ip_hash", &hashes).await?;
    record::fill(&mut items, &by_email, &by_address);
    Ok(items)
}

/// The statement that counts, by status, the site's comments whose
/// `column` is one of `keys` values: `?1` the site, then the keys.
fn author_counts_sql(column: &str, keys: usize) -> String {
    format!(
        "SELECT c.{column}, c.status, COUNT(*) FROM comments c JOIN threads t ON t.id = c.thread_id \
         WHERE c.{column} IN ({}) AND t.site_id = ?1 GROUP BY c.{column}, c.status",
        (2..keys + 2).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ")
    )
}

/// How many of the site's comments each author (by `column`) has, by
/// status; through the column's index, one statement for the page.
async fn author_counts(
    pool: &SqlitePool,
    site: &SiteId,
    column: &str,
    keys: &[String],
) -> StoreResult<Vec<StatusCount>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let sql = author_counts_sql(column, keys.len());
    let mut q = sqlx::query_as::<_, StatusCount>(&sql).bind(site.as_str());
    for key in keys {
        q = q.bind(key);
    }
    q.fetch_all(pool).await.map_err(backend)
}

/// hash, kind, label, created_at, expires_at
type CredentialRow = (Vec<u8>, String, Option<String>, i64, Option<i64>);

pub async fn credentials(
    pool: &SqlitePool,
    user_id: UserId,
    now: Timestamp,
) -> StoreResult<Vec<Credential>> {
    let all: Vec<CredentialRow> = sqlx::query_as(
        "SELECT hash, kind, label, created_at, expires_at FROM credentials \
         WHERE user_id = ?1 AND (expires_at IS NULL OR expires_at > ?2) ORDER BY created_at DESC, hash",
    )
    .bind(user_id.0)
    .bind(now.0)
    .fetch_all(pool)
    .await.map_err(backend)?;
    all.into_iter()
        .map(|(hash, kind, label, created_at, expires_at)| {
            Ok(Credential {
                hash: hash
                    .try_into()
                    .map_err(|_| StoreError::Backend("a credential hash is not 32 bytes".into()))?,
                kind: CredentialKind::parse(&kind).ok_or_else(|| {
                    StoreError::Backend(format!("unknown credential kind {kind}"))
                })?,
                label,
                created_at: Timestamp(created_at),
                expires_at: expires_at.map(Timestamp),
            })
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// An author's record is counted through the index of their e-mail or
    /// of their address hash, never by reading every comment.
    #[tokio::test]
    async fn records_are_counted_through_the_author_indexes() {
        let (_dir, store) = crate::scratch_store().await;
        for (column, index) in [
            ("author_email", "comments_author_email"),
            ("ip_hash", "comments_ip_hash"),
        ] {
            let steps = crate::query_plan(&store.readers, &author_counts_sql(column, 3)).await;
            let plan = steps.join("; ");
            assert!(plan.contains(index), "{plan}");
            assert!(!steps.iter().any(|s| s.starts_with("SCAN c")), "{plan}");
        }
    }

    /// An author's view finds the given comment by its id, and the
    /// author's others through the index of their e-mail or address.
    #[tokio::test]
    async fn an_authors_view_reads_the_author_indexes() {
        let (_dir, store) = crate::scratch_store().await;
        let sql = queue_sql(QueueFilter::Held, QueueOrder::Newest, true);
        let steps = crate::query_plan(&store.readers, &sql).await;
        let plan = steps.join("; ");
        for index in ["comments_author_email", "comments_ip_hash"] {
            assert!(plan.contains(index), "{plan}");
        }
        // The given comment by its id, the author's by an index: no scan.
        for table in ["SCAN a", "SCAN b", "SCAN c", "SCAN comments"] {
            assert!(!steps.iter().any(|s| s.starts_with(table)), "{plan}");
        }
    }

    /// Every view finds its comments through a partial index (held,
    /// reported, refused), never by reading every comment of the site; the
    /// published view walks them newest first and stops at its window.
    #[tokio::test]
    async fn every_view_reads_an_index_or_a_window_not_the_comments() {
        let (_dir, store) = crate::scratch_store().await;
        for (filter, index) in [
            (QueueFilter::Held, "comments_pending"),
            (QueueFilter::Reported, "reports_open"),
            (QueueFilter::All, "comments_pending"),
            (QueueFilter::Rejected, "comments_refused"),
            (QueueFilter::Published, "SCAN p"),
        ] {
            for order in [QueueOrder::Newest, QueueOrder::Urgent] {
                let steps =
                    crate::query_plan(&store.readers, &queue_sql(filter, order, false)).await;
                let plan = steps.join("; ");
                assert!(plan.contains(index), "{filter:?}: {plan}");
                // A scan of comments is a scan of a partial index, or a bug.
                for step in &steps {
                    let of_comments =
                        step.starts_with("SCAN comments") || step.starts_with("SCAN c");
                    assert!(!of_comments || step.contains("INDEX"), "{filter:?}: {plan}");
                }
                if filter == QueueFilter::Published {
                    // The walk is in id order (no sort of the site's
                    // comments); only the window of rows is sorted.
                    assert!(plan.matches("TEMP B-TREE").count() <= 1, "{plan}");
                }
            }
        }
    }
}
