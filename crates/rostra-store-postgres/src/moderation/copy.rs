//! The moderator side's rows for a copy between stores: dumped whole,
//! restored verbatim.

use super::*;

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
            "INSERT INTO users (id, name, password_hash, created_at, email) OVERRIDING SYSTEM VALUE VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(u.id.0)
        .bind(&u.name)
        .bind(&u.password_hash)
        .bind(u.created_at.0)
        .bind(u.email.as_deref())
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
