//! The moderator side's reads, on the pool: users and their credentials,
//! bans, the audit log and the queue.

use super::*;

pub async fn user_by_name(pool: &PgPool, name: &str) -> Result<Option<User>> {
    let row = sqlx::query(&format!("SELECT {USER_COLS} FROM users WHERE name = $1"))
        .bind(name)
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(user).transpose()
}

pub async fn users(pool: &PgPool) -> Result<Vec<User>> {
    let all = sqlx::query(&format!("SELECT {USER_COLS} FROM users ORDER BY name"))
        .fetch_all(pool)
        .await?;
    all.iter().map(user).collect()
}

pub async fn memberships(pool: &PgPool, user_id: UserId) -> Result<Vec<Membership>> {
    let all: Vec<(String, String)> =
        sqlx::query_as("SELECT site_id, role FROM memberships WHERE user_id = $1 ORDER BY site_id")
            .bind(user_id.0)
            .fetch_all(pool)
            .await?;
    all.into_iter()
        .map(|(site, role)| {
            Ok(Membership {
                site_id: SiteId::parse(&site).map_err(corrupt)?,
                role: Role::parse(&role).map_err(corrupt)?,
            })
        })
        .collect()
}

pub async fn credential(
    pool: &PgPool,
    hash: [u8; 32],
    now: Timestamp,
) -> Result<Option<(User, CredentialKind)>> {
    let row = sqlx::query(
        "SELECT u.id, u.name, u.password_hash, u.created_at, u.email, c.kind FROM credentials c \
         JOIN users u ON u.id = c.user_id WHERE c.hash = $1 AND (c.expires_at IS NULL OR c.expires_at > $2)",
    )
    .bind(&hash[..])
    .bind(now.0)
    .fetch_optional(pool)
    .await
    ?;
    let Some(row) = row else { return Ok(None) };
    let kind: String = row.try_get("kind")?;
    let kind = CredentialKind::parse(&kind)
        .ok_or_else(|| corrupt(format!("unknown credential kind {kind}")))?;
    Ok(Some((user(&row)?, kind)))
}

pub async fn bans(pool: &PgPool, site: &SiteId) -> Result<Vec<Ban>> {
    let all = sqlx::query(&format!(
        "SELECT {BAN_COLS} FROM bans WHERE site_id = $1 ORDER BY id DESC"
    ))
    .bind(site.as_str())
    .fetch_all(pool)
    .await?;
    all.iter().map(ban).collect()
}

/// What makes a ban match an author: in force on the site (`$1`) at a
/// time (`$2`), on their e-mail (`$3`), address hash (`$4`) or name (`$5`).
/// The posting policy's one question asks the same.
pub const BAN_MATCH: &str = "site_id = $1 AND (until IS NULL OR until > $2) AND \
     ((kind = 'email' AND value = $3) OR (kind = 'address' AND value = $4) OR \
     (kind = 'name' AND value = $5))";

pub async fn ban_for(
    pool: &PgPool,
    site: &SiteId,
    query: &BanQuery,
    now: Timestamp,
) -> Result<Option<Ban>> {
    let row = sqlx::query(&format!(
        "SELECT {BAN_COLS} FROM bans WHERE {BAN_MATCH} ORDER BY id LIMIT 1"
    ))
    .bind(site.as_str())
    .bind(now.0)
    .bind(query.email.as_deref())
    .bind(query.ip_hash.as_deref())
    .bind(query.name.as_deref())
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(ban).transpose()
}

pub async fn audit(
    pool: &PgPool,
    site: &SiteId,
    before: Option<i64>,
    limit: u32,
) -> Result<Vec<AuditEntry>> {
    let all = sqlx::query(&format!(
        "SELECT {AUDIT_COLS} FROM audit_log a LEFT JOIN users u ON u.id = a.user_id \
         WHERE a.site_id = $1 AND a.id < $2 ORDER BY a.id DESC LIMIT $3"
    ))
    .bind(site.as_str())
    .bind(before.unwrap_or(i64::MAX))
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await?;
    all.iter().map(audit_entry).collect()
}

pub async fn queue(pool: &PgPool, q: &QueueQuery) -> Result<Vec<QueueItem>> {
    let sql =
        rostra_store::moderation::queue_sql(q.filter, q.order, q.by.is_some(), COMMENT_COLS, |n| {
            format!("${n}")
        });
    let mut found = sqlx::query(&sql)
        .bind(q.site_id.as_str())
        .bind(i64::from(q.limit))
        .bind(i64::from(q.offset));
    if let Some(by) = q.by {
        found = found.bind(by.0);
    }
    let found = found.fetch_all(pool).await?;
    let mut items = Vec::with_capacity(found.len());
    for row in &found {
        items.push(QueueItem {
            comment: crate::rows::comment(row)?,
            url: PageUrl::from_canonical(row.try_get("thread_url")?),
            title: row.try_get("thread_title")?,
            ip_hash: row.try_get("ip_hash")?,
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
        (1..=items.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut reports = sqlx::query(&sql);
    for item in &items {
        reports = reports.bind(item.comment.id.0);
    }
    let mut by_comment: HashMap<i64, Vec<ReportSummary>> = HashMap::new();
    for row in reports.fetch_all(pool).await? {
        let reason: String = row.try_get("reason")?;
        by_comment
            .entry(row.try_get("comment_id")?)
            .or_default()
            .push(ReportSummary {
                reason: ReportReason::parse(&reason).map_err(corrupt)?,
                text: row.try_get("text")?,
                at: Timestamp(row.try_get("created_at")?),
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

/// How many of the site's comments each author (by `column`) has, by
/// status; through the column's index, one statement for the page.
async fn author_counts(
    pool: &PgPool,
    site: &SiteId,
    column: &str,
    keys: &[String],
) -> Result<Vec<StatusCount>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT c.{column}, c.status, COUNT(*) FROM comments c JOIN threads t ON t.id = c.thread_id \
         WHERE c.{column} = ANY($2) AND t.site_id = $1 GROUP BY c.{column}, c.status"
    );
    Ok(sqlx::query_as::<_, StatusCount>(&sql)
        .bind(site.as_str())
        .bind(keys)
        .fetch_all(pool)
        .await?)
}

/// hash, kind, label, created_at, expires_at
type CredentialRow = (Vec<u8>, String, Option<String>, i64, Option<i64>);

pub async fn credentials(
    pool: &PgPool,
    user_id: UserId,
    now: Timestamp,
) -> Result<Vec<Credential>> {
    let all: Vec<CredentialRow> = sqlx::query_as(
        "SELECT hash, kind, label, created_at, expires_at FROM credentials \
         WHERE user_id = $1 AND (expires_at IS NULL OR expires_at > $2) ORDER BY created_at DESC, hash",
    )
    .bind(user_id.0)
    .bind(now.0)
    .fetch_all(pool)
    .await?;
    all.into_iter()
        .map(|(hash, kind, label, created_at, expires_at)| {
            Ok(Credential {
                hash: hash
                    .try_into()
                    .map_err(|_| corrupt("a credential hash is not 32 bytes"))?,
                kind: CredentialKind::parse(&kind)
                    .ok_or_else(|| corrupt(format!("unknown credential kind {kind}")))?,
                label,
                created_at: Timestamp(created_at),
                expires_at: expires_at.map(Timestamp),
            })
        })
        .collect()
}
