//! The moderator side: users, sessions and tokens, reports, bans, the audit
//! log (writes, each in the caller's transaction) and the queue (reads, on
//! the pool). A hold is announced to the other nodes like any status change.

use crate::announce::Announcer;
use crate::comments;
use crate::error::{corrupt, Result};
use crate::rows::COMMENT_COLS;
use rostra_core::moderation::with_reason;
use rostra_core::{
    BanKind, CommentId, CommentStatus, PageUrl, QueueFilter, QueueOrder, Reason, ReportReason,
    Role, SiteId, Timestamp, UserId,
};
use rostra_store::feed::CommentChange;
use rostra_store::moderation::{assessment_json, urgency};
use rostra_store::{
    AuditEntry, Ban, BanQuery, CredentialKind, Membership, MembershipRow, ModerationRows, NewAudit,
    NewBan, NewCredential, NewReport, NewUser, QueueItem, QueueQuery, ReportRow, ReportSummary,
    Reported, StoreError, User, Written,
};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, PgPool, Row};
use std::collections::HashMap;

/// A moderation write, run in a transaction of its own (again, should a
/// concurrent one abort it: hence `Clone`).
#[derive(Clone)]
pub enum ModOp {
    CreateUser(NewUser),
    SetRole(UserId, SiteId, Role),
    CreateCredential(NewCredential),
    DeleteCredential([u8; 32]),
    Report(NewReport),
    ResolveReports(SiteId, CommentId, Timestamp),
    Hold(SiteId, CommentId, Reason),
    CreateBan(NewBan),
    LiftBan(SiteId, i64),
    AppendAudit(NewAudit),
}

/// What a moderation write produced.
pub enum ModDone {
    User(User),
    Reported(Reported),
    Count(u64),
    Written(Box<Written>),
    Ban(Ban),
    Audit(AuditEntry),
    Nothing,
}

const USER_COLS: &str = "id, name, password_hash, created_at";
const BAN_COLS: &str = "id, site_id, kind, value, until, reason, by_user, created_at";
const AUDIT_COLS: &str = "a.id, a.site_id, a.user_id, u.name AS user_name, a.action, a.target, \
     a.reason, a.created_at";

fn user(row: &PgRow) -> Result<User> {
    Ok(User {
        id: UserId(row.try_get("id")?),
        name: row.try_get("name")?,
        password_hash: row.try_get("password_hash")?,
        created_at: Timestamp(row.try_get("created_at")?),
    })
}

fn ban(row: &PgRow) -> Result<Ban> {
    let site: String = row.try_get("site_id")?;
    let kind: String = row.try_get("kind")?;
    Ok(Ban {
        id: row.try_get("id")?,
        site_id: SiteId::parse(&site).map_err(corrupt)?,
        kind: BanKind::parse(&kind).map_err(corrupt)?,
        value: row.try_get("value")?,
        until: row.try_get::<Option<i64>, _>("until")?.map(Timestamp),
        reason: row.try_get("reason")?,
        by: row.try_get::<Option<i64>, _>("by_user")?.map(UserId),
        at: Timestamp(row.try_get("created_at")?),
    })
}

fn audit_entry(row: &PgRow) -> Result<AuditEntry> {
    let site: String = row.try_get("site_id")?;
    Ok(AuditEntry {
        id: row.try_get("id")?,
        site_id: SiteId::parse(&site).map_err(corrupt)?,
        user_id: row.try_get::<Option<i64>, _>("user_id")?.map(UserId),
        user_name: row.try_get("user_name")?,
        action: row.try_get("action")?,
        target: row.try_get("target")?,
        reason: row.try_get("reason")?,
        at: Timestamp(row.try_get("created_at")?),
    })
}

fn missing(what: &'static str) -> impl Fn(sqlx::Error) -> crate::error::Error {
    move |e| match &e {
        sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
            StoreError::NotFound(what).into()
        }
        _ => e.into(),
    }
}

/// Runs one moderation write inside the caller's transaction.
pub async fn apply(conn: &mut PgConnection, say: Announcer, op: ModOp) -> Result<ModDone> {
    Ok(match op {
        ModOp::CreateUser(u) => {
            let row = sqlx::query(&format!(
                "INSERT INTO users (name, password_hash, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (name) DO NOTHING RETURNING {USER_COLS}"
            ))
            .bind(u.name.as_str())
            .bind(&u.password_hash)
            .bind(u.created_at.0)
            .fetch_optional(&mut *conn)
            .await?;
            match row {
                Some(row) => ModDone::User(user(&row)?),
                None => {
                    return Err(StoreError::Conflict(format!(
                        "user {} already exists",
                        u.name.as_str()
                    ))
                    .into())
                }
            }
        }
        ModOp::SetRole(user_id, site, role) => {
            sqlx::query(
                "INSERT INTO memberships (user_id, site_id, role) VALUES ($1, $2, $3) \
                 ON CONFLICT (user_id, site_id) DO UPDATE SET role = excluded.role",
            )
            .bind(user_id.0)
            .bind(site.as_str())
            .bind(role.as_str())
            .execute(&mut *conn)
            .await
            .map_err(missing("user or site"))?;
            ModDone::Nothing
        }
        ModOp::CreateCredential(c) => {
            // A user's ended sessions go when they open another.
            sqlx::query(
                "DELETE FROM credentials WHERE user_id = $1 AND expires_at IS NOT NULL AND expires_at <= $2",
            )
            .bind(c.user_id.0)
            .bind(c.created_at.0)
            .execute(&mut *conn)
            .await
            ?;
            sqlx::query(
                "INSERT INTO credentials (hash, user_id, kind, label, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&c.hash[..])
            .bind(c.user_id.0)
            .bind(c.kind.as_str())
            .bind(c.label.as_deref())
            .bind(c.created_at.0)
            .bind(c.expires_at.map(|t| t.0))
            .execute(&mut *conn)
            .await
            .map_err(missing("user"))?;
            ModDone::Nothing
        }
        ModOp::DeleteCredential(hash) => {
            sqlx::query("DELETE FROM credentials WHERE hash = $1")
                .bind(&hash[..])
                .execute(&mut *conn)
                .await?;
            ModDone::Nothing
        }
        ModOp::Report(r) => ModDone::Reported(report(conn, r).await?),
        ModOp::ResolveReports(site, id, at) => {
            let done = sqlx::query(
                "UPDATE reports SET resolved_at = $3 WHERE comment_id = $1 AND resolved_at IS NULL \
                 AND comment_id IN (SELECT c.id FROM comments c JOIN threads t ON t.id = c.thread_id \
                 WHERE t.site_id = $2)",
            )
            .bind(id.0)
            .bind(site.as_str())
            .bind(at.0)
            .execute(&mut *conn)
            .await
            ?;
            ModDone::Count(done.rows_affected())
        }
        ModOp::Hold(site, id, reason) => {
            let current = comments::lock_comment(conn, &site, id).await?;
            if current.status != CommentStatus::Approved {
                return Err(StoreError::Conflict(format!(
                    "comment {id} is {}; only an approved comment is held",
                    current.status.as_str()
                ))
                .into());
            }
            let assessment = with_reason(current.assessment.clone(), reason);
            sqlx::query("UPDATE comments SET assessment = $2, urgency = $3 WHERE id = $1")
                .bind(id.0)
                .bind(assessment_json(Some(&assessment))?)
                .bind(urgency(Some(&assessment)))
                .execute(&mut *conn)
                .await?;
            let current = rostra_core::Comment {
                assessment: Some(assessment),
                ..current
            };
            let written = comments::change_status(conn, current, CommentStatus::Pending).await?;
            say.comment(conn, &written, CommentChange::Status).await?;
            ModDone::Written(Box::new(written))
        }
        ModOp::CreateBan(b) => {
            let row = sqlx::query(&format!(
                "INSERT INTO bans (site_id, kind, value, until, reason, by_user, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {BAN_COLS}"
            ))
            .bind(b.site_id.as_str())
            .bind(b.kind.as_str())
            .bind(&b.value)
            .bind(b.until.map(|t| t.0))
            .bind(b.reason.as_deref())
            .bind(b.by.map(|u| u.0))
            .bind(b.at.0)
            .fetch_one(&mut *conn)
            .await
            .map_err(missing("site"))?;
            ModDone::Ban(ban(&row)?)
        }
        ModOp::LiftBan(site, id) => {
            let row = sqlx::query(&format!(
                "DELETE FROM bans WHERE id = $1 AND site_id = $2 RETURNING {BAN_COLS}"
            ))
            .bind(id)
            .bind(site.as_str())
            .fetch_optional(&mut *conn)
            .await?;
            match row {
                Some(row) => ModDone::Ban(ban(&row)?),
                None => return Err(StoreError::NotFound("ban").into()),
            }
        }
        ModOp::AppendAudit(a) => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO audit_log (site_id, user_id, action, target, reason, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(a.site_id.as_str())
            .bind(a.user_id.map(|u| u.0))
            .bind(&a.action)
            .bind(&a.target)
            .bind(a.reason.as_deref())
            .bind(a.at.0)
            .fetch_one(&mut *conn)
            .await
            .map_err(missing("site or user"))?;
            let row = sqlx::query(&format!(
                "SELECT {AUDIT_COLS} FROM audit_log a LEFT JOIN users u ON u.id = a.user_id WHERE a.id = $1"
            ))
            .bind(id)
            .fetch_one(&mut *conn)
            .await
            ?;
            ModDone::Audit(audit_entry(&row)?)
        }
    })
}

async fn report(conn: &mut PgConnection, r: NewReport) -> Result<Reported> {
    let status: Option<String> = sqlx::query_scalar(
        "SELECT c.status FROM comments c JOIN threads t ON t.id = c.thread_id \
         WHERE c.id = $1 AND t.site_id = $2",
    )
    .bind(r.comment_id.0)
    .bind(r.site_id.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    if status.as_deref() != Some(CommentStatus::Approved.as_str()) {
        return Err(StoreError::NotFound("comment").into());
    }
    let added = sqlx::query(
        "INSERT INTO reports (comment_id, reporter, reason, text, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (comment_id, reporter) DO NOTHING",
    )
    .bind(r.comment_id.0)
    .bind(&r.reporter)
    .bind(r.reason.as_str())
    .bind(r.text.as_deref())
    .bind(r.at.0)
    .execute(&mut *conn)
    .await
    ?
    .rows_affected()
        > 0;
    let open: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM reports WHERE comment_id = $1 AND resolved_at IS NULL",
    )
    .bind(r.comment_id.0)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Reported { added, open })
}

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
        "SELECT u.id, u.name, u.password_hash, u.created_at, c.kind FROM credentials c \
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

pub async fn ban_for(
    pool: &PgPool,
    site: &SiteId,
    query: &BanQuery,
    now: Timestamp,
) -> Result<Option<Ban>> {
    let row = sqlx::query(&format!(
        "SELECT {BAN_COLS} FROM bans WHERE site_id = $1 AND (until IS NULL OR until > $2) AND \
         ((kind = 'email' AND value = $3) OR (kind = 'address' AND value = $4) OR (kind = 'name' AND value = $5)) \
         ORDER BY id LIMIT 1"
    ))
    .bind(site.as_str())
    .bind(now.0)
    .bind(query.email.as_deref())
    .bind(query.ip_hash.as_deref())
    .bind(query.name.as_deref())
    .fetch_optional(pool)
    .await
    ?;
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
    let cols = COMMENT_COLS
        .split(", ")
        .map(|c| format!("c.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    // The candidates come from the partial indexes of held comments and of
    // open reports: a queue read costs what waits, never the whole site.
    const HELD: &str = "SELECT id FROM comments WHERE status = 'pending'";
    const REPORTED: &str = "SELECT comment_id AS id FROM reports WHERE resolved_at IS NULL";
    let candidates = match q.filter {
        QueueFilter::Held => HELD.to_owned(),
        QueueFilter::Reported => format!("SELECT DISTINCT id FROM ({REPORTED}) r"),
        QueueFilter::All => format!("{HELD} UNION {REPORTED}"),
    };
    let order = match q.order {
        QueueOrder::Newest => "id DESC",
        QueueOrder::Urgent => "open_reports DESC, urgency DESC, id DESC",
    };
    let sql = format!(
        "SELECT * FROM (SELECT {cols}, c.urgency, c.ip_hash, t.url AS thread_url, t.title AS thread_title, \
         (SELECT COUNT(*) FROM reports r WHERE r.comment_id = c.id AND r.resolved_at IS NULL) AS open_reports \
         FROM ({candidates}) k JOIN comments c ON c.id = k.id JOIN threads t ON t.id = c.thread_id \
         WHERE t.site_id = $1 AND c.status NOT IN ('deleted', 'rejected', 'spam')) q \
         ORDER BY {order} LIMIT $2 OFFSET $3"
    );
    let found = sqlx::query(&sql)
        .bind(q.site_id.as_str())
        .bind(i64::from(q.limit))
        .bind(i64::from(q.offset))
        .fetch_all(pool)
        .await?;
    let mut items = Vec::with_capacity(found.len());
    for row in &found {
        items.push(QueueItem {
            comment: crate::rows::comment(row)?,
            url: PageUrl::from_canonical(row.try_get("thread_url")?),
            title: row.try_get("thread_title")?,
            ip_hash: row.try_get("ip_hash")?,
            reports: Vec::new(),
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
    Ok(items)
}

/// The moderator side's rows (see [`Store::dump_moderation`]).
///
/// [`Store::dump_moderation`]: rostra_store::Store::dump_moderation
pub async fn dump(pool: &PgPool, site: Option<&SiteId>) -> Result<ModerationRows> {
    let mut rows = ModerationRows::default();
    let scope = site.map(SiteId::as_str);
    if scope.is_none() {
        let users = sqlx::query(&format!("SELECT {USER_COLS} FROM users ORDER BY id"))
            .fetch_all(pool)
            .await?;
        rows.users = users.iter().map(user).collect::<Result<_>>()?;
        let memberships: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT user_id, site_id, role FROM memberships ORDER BY user_id, site_id",
        )
        .fetch_all(pool)
        .await?;
        for (user_id, site_id, role) in memberships {
            rows.memberships.push(MembershipRow {
                user_id: UserId(user_id),
                site_id: SiteId::parse(&site_id).map_err(corrupt)?,
                role: Role::parse(&role).map_err(corrupt)?,
            });
        }
        // Byte by byte, whatever the database's collation.
        rows.memberships.sort_by(|a, b| {
            (a.user_id, a.site_id.as_str().as_bytes())
                .cmp(&(b.user_id, b.site_id.as_str().as_bytes()))
        });
        let credentials = sqlx::query(
            "SELECT hash, user_id, kind, label, created_at, expires_at FROM credentials ORDER BY hash",
        )
        .fetch_all(pool)
        .await
        ?;
        for row in &credentials {
            let hash: Vec<u8> = row.try_get("hash")?;
            let kind: String = row.try_get("kind")?;
            rows.credentials.push(NewCredential {
                hash: <[u8; 32]>::try_from(hash.as_slice()).map_err(corrupt)?,
                user_id: UserId(row.try_get("user_id")?),
                kind: CredentialKind::parse(&kind).ok_or_else(|| {
                    StoreError::Backend(format!("unknown credential kind {kind}"))
                })?,
                label: row.try_get("label")?,
                created_at: Timestamp(row.try_get("created_at")?),
                expires_at: row.try_get::<Option<i64>, _>("expires_at")?.map(Timestamp),
            });
        }
    }
    let reports = sqlx::query(
        "SELECT r.id, r.comment_id, r.reporter, r.reason, r.text, r.created_at, r.resolved_at \
         FROM reports r JOIN comments c ON c.id = r.comment_id JOIN threads t ON t.id = c.thread_id \
         WHERE $1::text IS NULL OR t.site_id = $1 ORDER BY r.id",
    )
    .bind(scope)
    .fetch_all(pool)
    .await
    ?;
    for row in &reports {
        let reason: String = row.try_get("reason")?;
        rows.reports.push(ReportRow {
            id: row.try_get("id")?,
            comment_id: CommentId(row.try_get("comment_id")?),
            reporter: row.try_get("reporter")?,
            reason: ReportReason::parse(&reason).map_err(corrupt)?,
            text: row.try_get("text")?,
            at: Timestamp(row.try_get("created_at")?),
            resolved_at: row.try_get::<Option<i64>, _>("resolved_at")?.map(Timestamp),
        });
    }
    let bans = sqlx::query(&format!(
        "SELECT {BAN_COLS} FROM bans WHERE $1::text IS NULL OR site_id = $1 ORDER BY id"
    ))
    .bind(scope)
    .fetch_all(pool)
    .await?;
    rows.bans = bans.iter().map(ban).collect::<Result<_>>()?;
    let audit = sqlx::query(&format!(
        "SELECT {AUDIT_COLS} FROM audit_log a LEFT JOIN users u ON u.id = a.user_id \
         WHERE $1::text IS NULL OR a.site_id = $1 ORDER BY a.id"
    ))
    .bind(scope)
    .fetch_all(pool)
    .await?;
    rows.audit = audit.iter().map(audit_entry).collect::<Result<_>>()?;
    Ok(rows)
}

/// Writes the moderator side's rows verbatim, ids as given, inside the
/// restore's transaction; the id sequences move past them.
pub async fn restore(conn: &mut PgConnection, rows: &ModerationRows) -> Result<()> {
    for u in &rows.users {
        sqlx::query(
            "INSERT INTO users (id, name, password_hash, created_at) OVERRIDING SYSTEM VALUE VALUES ($1, $2, $3, $4)",
        )
        .bind(u.id.0)
        .bind(&u.name)
        .bind(&u.password_hash)
        .bind(u.created_at.0)
        .execute(&mut *conn)
        .await?;
    }
    for m in &rows.memberships {
        sqlx::query("INSERT INTO memberships (user_id, site_id, role) VALUES ($1, $2, $3)")
            .bind(m.user_id.0)
            .bind(m.site_id.as_str())
            .bind(m.role.as_str())
            .execute(&mut *conn)
            .await?;
    }
    for c in &rows.credentials {
        sqlx::query(
            "INSERT INTO credentials (hash, user_id, kind, label, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&c.hash[..])
        .bind(c.user_id.0)
        .bind(c.kind.as_str())
        .bind(c.label.as_deref())
        .bind(c.created_at.0)
        .bind(c.expires_at.map(|t| t.0))
        .execute(&mut *conn)
        .await?;
    }
    for r in &rows.reports {
        sqlx::query(
            "INSERT INTO reports (id, comment_id, reporter, reason, text, created_at, resolved_at) \
             OVERRIDING SYSTEM VALUE VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(r.id)
        .bind(r.comment_id.0)
        .bind(&r.reporter)
        .bind(r.reason.as_str())
        .bind(r.text.as_deref())
        .bind(r.at.0)
        .bind(r.resolved_at.map(|t| t.0))
        .execute(&mut *conn)
        .await?;
    }
    for b in &rows.bans {
        sqlx::query(&format!(
            "INSERT INTO bans ({BAN_COLS}) OVERRIDING SYSTEM VALUE VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        ))
        .bind(b.id)
        .bind(b.site_id.as_str())
        .bind(b.kind.as_str())
        .bind(&b.value)
        .bind(b.until.map(|t| t.0))
        .bind(b.reason.as_deref())
        .bind(b.by.map(|u| u.0))
        .bind(b.at.0)
        .execute(&mut *conn)
        .await?;
    }
    for a in &rows.audit {
        sqlx::query(
            "INSERT INTO audit_log (id, site_id, user_id, action, target, reason, created_at) \
             OVERRIDING SYSTEM VALUE VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(a.id)
        .bind(a.site_id.as_str())
        .bind(a.user_id.map(|u| u.0))
        .bind(&a.action)
        .bind(&a.target)
        .bind(a.reason.as_deref())
        .bind(a.at.0)
        .execute(&mut *conn)
        .await?;
    }
    for (table, any) in [
        ("users", !rows.users.is_empty()),
        ("reports", !rows.reports.is_empty()),
        ("bans", !rows.bans.is_empty()),
        ("audit_log", !rows.audit.is_empty()),
    ] {
        if any {
            crate::restore::advance(conn, table).await?;
        }
    }
    Ok(())
}
