//! The moderator side: users, sessions and tokens, reports, bans, the audit
//! log (writes, each in the caller's transaction) and the queue (reads, on
//! the pool). A hold is announced to the other nodes like any status change.

use crate::announce::Announcer;
use crate::comments;
use crate::error::{corrupt, Result};
use crate::rows::COMMENT_COLS;
use rostra_core::moderation::with_reason;
use rostra_core::{
    BanKind, CommentId, CommentStatus, PageUrl, Reason, ReportReason, Role, SiteId, Timestamp,
    UserId,
};
use rostra_store::feed::CommentChange;
use rostra_store::moderation::{assessment_json, urgency};
use rostra_store::record::{self, StatusCount};
use rostra_store::{
    AuditEntry, Ban, BanQuery, Credential, CredentialKind, Membership, MembershipRow,
    ModerationRows, NewAudit, NewBan, NewCredential, NewReport, NewUser, QueueItem, QueueQuery,
    ReportRow, ReportSummary, Reported, Revoke, StoreError, User, Written,
};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, PgPool, Row};
use std::collections::HashMap;

mod copy;
mod reads;

pub use copy::{dump, restore};
pub use reads::*;

/// A moderation write, run in a transaction of its own (again, should a
/// concurrent one abort it: hence `Clone`).
#[derive(Clone)]
pub enum ModOp {
    CreateUser(NewUser),
    SetRole(UserId, SiteId, Role),
    CreateCredential(NewCredential),
    DeleteCredential([u8; 32]),
    RevokeCredentials(UserId, Revoke),
    RemoveRole(UserId, SiteId),
    SetPassword(UserId, String),
    Report(NewReport),
    ResolveReports(SiteId, CommentId, Timestamp),
    Hold(SiteId, CommentId, Reason),
    CreateBan(NewBan),
    LiftBan(SiteId, i64),
    AppendAudit(NewAudit),
    /// A moderator's decision: the status, the open reports closed.
    Moderate(SiteId, CommentId, CommentStatus, Timestamp),
    /// An operation and its audit entry, in one transaction.
    Audited(Box<ModOp>, NewAudit),
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

const USER_COLS: &str = "id, name, password_hash, created_at, email";
const BAN_COLS: &str = "id, site_id, kind, value, until, reason, by_user, created_at";
const AUDIT_COLS: &str = "a.id, a.site_id, a.user_id, u.name AS user_name, a.action, a.target, \
     a.reason, a.created_at";

fn user(row: &PgRow) -> Result<User> {
    Ok(User {
        id: UserId(row.try_get("id")?),
        name: row.try_get("name")?,
        password_hash: row.try_get("password_hash")?,
        created_at: Timestamp(row.try_get("created_at")?),
        email: row.try_get("email")?,
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
                "INSERT INTO users (name, password_hash, created_at, email) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (name) DO NOTHING RETURNING {USER_COLS}"
            ))
            .bind(u.name.as_str())
            .bind(&u.password_hash)
            .bind(u.created_at.0)
            .bind(u.email.as_deref())
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
        ModOp::RevokeCredentials(user_id, which) => {
            let only = match which {
                Revoke::All => "",
                Revoke::Sessions => " AND kind = 'session'",
            };
            let done = sqlx::query(&format!("DELETE FROM credentials WHERE user_id = $1{only}"))
                .bind(user_id.0)
                .execute(&mut *conn)
                .await?;
            ModDone::Count(done.rows_affected())
        }
        ModOp::RemoveRole(user_id, site) => {
            let done = sqlx::query("DELETE FROM memberships WHERE user_id = $1 AND site_id = $2")
                .bind(user_id.0)
                .bind(site.as_str())
                .execute(&mut *conn)
                .await?;
            ModDone::Count(done.rows_affected())
        }
        ModOp::SetPassword(user_id, hash) => {
            let done = sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
                .bind(user_id.0)
                .bind(&hash)
                .execute(&mut *conn)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound("user").into());
            }
            sqlx::query("DELETE FROM credentials WHERE user_id = $1 AND kind = 'session'")
                .bind(user_id.0)
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
            let created = ban(&row)?;
            append_audit(conn, created.audit_entry()).await?;
            ModDone::Ban(created)
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
        ModOp::Moderate(site, id, status, at) => {
            let written =
                crate::announce::set_status(conn, say.clone(), site.clone(), id, status).await?;
            sqlx::query(
                "UPDATE reports SET resolved_at = $2 WHERE comment_id = $1 AND resolved_at IS NULL",
            )
            .bind(id.0)
            .bind(at.0)
            .execute(&mut *conn)
            .await?;
            ModDone::Written(Box::new(written))
        }
        ModOp::Audited(op, audit) => {
            let done = Box::pin(apply(conn, say, *op)).await?;
            append_audit(conn, audit).await?;
            done
        }
        ModOp::AppendAudit(a) => ModDone::Audit(append_audit(conn, a).await?),
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

/// Appends an audit entry on the caller's transaction.
async fn append_audit(conn: &mut PgConnection, a: NewAudit) -> Result<AuditEntry> {
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
    .await?;
    audit_entry(&row)
}
