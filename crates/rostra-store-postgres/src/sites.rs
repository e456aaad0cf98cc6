//! Writes to sites and installation secrets, each inside an open transaction.

use crate::error::{corrupt, Result};
use crate::rows::{self, SITE_COLS};
use rostra_core::{NewSite, Site, Timestamp};
use rostra_store::StoreError;
use sqlx::PgConnection;

/// Stores `fresh` under `name` unless a value is there, and returns the value
/// that is. Two nodes racing both get the one that was committed first: the
/// loser's insert waits for the winner's commit and does nothing, and the
/// `SELECT`, a new statement at `READ COMMITTED`, sees the winner's row.
pub async fn secret(conn: &mut PgConnection, name: String, fresh: Vec<u8>) -> Result<Vec<u8>> {
    sqlx::query("INSERT INTO meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
        .bind(&name)
        .bind(fresh)
        .execute(&mut *conn)
        .await?;
    Ok(sqlx::query_scalar("SELECT value FROM meta WHERE name = $1")
        .bind(&name)
        .fetch_one(&mut *conn)
        .await?)
}

/// Creates a site; `Conflict` if its id is taken.
pub async fn create_site(conn: &mut PgConnection, site: NewSite) -> Result<Site> {
    let origins = serde_json::to_string(&site.allowed_origins).map_err(corrupt)?;
    let settings = serde_json::to_string(&site.settings).map_err(corrupt)?;
    let row = sqlx::query(&format!(
        "INSERT INTO sites ({SITE_COLS}) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (id) DO NOTHING RETURNING {SITE_COLS}"
    ))
    .bind(site.id.as_str())
    .bind(&site.name)
    .bind(origins)
    .bind(settings)
    .bind(&site.voter_secret)
    .bind(Timestamp::now().0)
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        Some(row) => rows::site(&row),
        None => Err(StoreError::Conflict(format!("site {} already exists", site.id)).into()),
    }
}

/// Replaces a site's name, origins and settings.
pub async fn update_site(conn: &mut PgConnection, site: Site) -> Result<Site> {
    let origins = serde_json::to_string(&site.allowed_origins).map_err(corrupt)?;
    let settings = serde_json::to_string(&site.settings).map_err(corrupt)?;
    let row = sqlx::query(&format!(
        "UPDATE sites SET name = $2, allowed_origins = $3, settings = $4 WHERE id = $1 RETURNING {SITE_COLS}"
    ))
    .bind(site.id.as_str())
    .bind(&site.name)
    .bind(origins)
    .bind(settings)
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        Some(row) => rows::site(&row),
        None => Err(StoreError::NotFound("site").into()),
    }
}
