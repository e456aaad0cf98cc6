//! Donation campaigns: campaigns and donations (writes, run by the writer
//! task, so a donation and the totals it returns are one transaction) and
//! their reads (on the pool).

use crate::rows::backend;
use rostra_core::campaign::{Source, Totals};
use rostra_core::{
    Campaign, CampaignSlug, CampaignSpec, Currency, SiteId, Timestamp, WebhookSecret,
};
use rostra_store::campaigns::{milestones_json, parse_milestones, signed_amount, totals};
use rostra_store::{
    CampaignRows, DonationRow, NewCampaign, NewDonation, Recorded, StoreError, StoreResult,
};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection, SqlitePool};

/// A campaign write for the writer task.
pub enum CampOp {
    Create(NewCampaign),
    Update(SiteId, CampaignSlug, CampaignSpec),
    Donate(NewDonation),
}

/// What a campaign write produced. Moved once per job, through its reply
/// channel: a large variant costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
pub enum CampDone {
    Campaign(Campaign),
    Recorded(Recorded),
}

const COLS: &str = "id, site_id, slug, title, currency, goal, milestones, starts_at, ends_at, \
     offset_amount, cta_text, cta_url, show_donors, stripe_secret, webhook_secret, created_at";

fn secret(row: &SqliteRow, col: &str) -> StoreResult<Option<WebhookSecret>> {
    let raw: Option<String> = row.try_get(col).map_err(backend)?;
    raw.map(|s| WebhookSecret::parse(&s, col).map_err(backend))
        .transpose()
}

fn campaign(row: &SqliteRow) -> StoreResult<Campaign> {
    let site: String = row.try_get("site_id").map_err(backend)?;
    let slug: String = row.try_get("slug").map_err(backend)?;
    let currency: String = row.try_get("currency").map_err(backend)?;
    let milestones: String = row.try_get("milestones").map_err(backend)?;
    Ok(Campaign {
        id: row.try_get("id").map_err(backend)?,
        site_id: SiteId::parse(&site).map_err(backend)?,
        slug: CampaignSlug::parse(&slug).map_err(backend)?,
        spec: CampaignSpec {
            title: row.try_get("title").map_err(backend)?,
            currency: Currency::parse(&currency).map_err(backend)?,
            goal: row.try_get("goal").map_err(backend)?,
            milestones: parse_milestones(&milestones)?,
            starts_at: Timestamp(row.try_get("starts_at").map_err(backend)?),
            ends_at: Timestamp(row.try_get("ends_at").map_err(backend)?),
            offset: row.try_get("offset_amount").map_err(backend)?,
            cta_text: row.try_get("cta_text").map_err(backend)?,
            cta_url: row.try_get("cta_url").map_err(backend)?,
            show_donors: row.try_get("show_donors").map_err(backend)?,
            stripe_secret: secret(row, "stripe_secret")?,
            webhook_secret: secret(row, "webhook_secret")?,
        },
        created_at: Timestamp(row.try_get("created_at").map_err(backend)?),
    })
}

async fn insert(
    conn: &mut SqliteConnection,
    id: Option<i64>,
    c: &Campaign,
) -> Result<Option<SqliteRow>, sqlx::Error> {
    let s = &c.spec;
    sqlx::query(&format!(
        "INSERT INTO campaigns ({COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, \
         ?13, ?14, ?15, ?16) ON CONFLICT (site_id, slug) DO NOTHING RETURNING {COLS}"
    ))
    .bind(id)
    .bind(c.site_id.as_str())
    .bind(c.slug.as_str())
    .bind(&s.title)
    .bind(s.currency.as_str())
    .bind(s.goal)
    .bind(milestones_json(&s.milestones))
    .bind(s.starts_at.0)
    .bind(s.ends_at.0)
    .bind(s.offset)
    .bind(&s.cta_text)
    .bind(&s.cta_url)
    .bind(s.show_donors)
    .bind(s.stripe_secret.as_ref().map(WebhookSecret::expose))
    .bind(s.webhook_secret.as_ref().map(WebhookSecret::expose))
    .bind(c.created_at.0)
    .fetch_optional(&mut *conn)
    .await
}

fn missing_site(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_foreign_key_violation() => StoreError::NotFound("site"),
        _ => backend(e),
    }
}

async fn find(
    conn: &mut SqliteConnection,
    site: &SiteId,
    slug: &CampaignSlug,
) -> StoreResult<Campaign> {
    let row = sqlx::query(&format!(
        "SELECT {COLS} FROM campaigns WHERE site_id = ?1 AND slug = ?2"
    ))
    .bind(site.as_str())
    .bind(slug.as_str())
    .fetch_optional(&mut *conn)
    .await
    .map_err(backend)?;
    campaign(&row.ok_or(StoreError::NotFound("campaign"))?)
}

/// Runs one campaign write inside the writer's transaction.
pub async fn apply(conn: &mut SqliteConnection, op: CampOp) -> StoreResult<CampDone> {
    Ok(match op {
        CampOp::Create(new) => {
            let c = Campaign {
                id: 0,
                site_id: new.site_id,
                slug: new.slug,
                spec: new.spec,
                created_at: new.created_at,
            };
            let row = insert(conn, None, &c).await.map_err(missing_site)?;
            match row {
                Some(row) => CampDone::Campaign(campaign(&row)?),
                None => {
                    return Err(StoreError::Conflict(format!(
                        "campaign {} already exists",
                        c.slug
                    )))
                }
            }
        }
        CampOp::Update(site, slug, s) => {
            let row = sqlx::query(&format!(
                "UPDATE campaigns SET title = ?3, currency = ?4, goal = ?5, milestones = ?6, \
                 starts_at = ?7, ends_at = ?8, offset_amount = ?9, cta_text = ?10, cta_url = ?11, \
                 show_donors = ?12, stripe_secret = ?13, webhook_secret = ?14 \
                 WHERE site_id = ?1 AND slug = ?2 RETURNING {COLS}"
            ))
            .bind(site.as_str())
            .bind(slug.as_str())
            .bind(&s.title)
            .bind(s.currency.as_str())
            .bind(s.goal)
            .bind(milestones_json(&s.milestones))
            .bind(s.starts_at.0)
            .bind(s.ends_at.0)
            .bind(s.offset)
            .bind(&s.cta_text)
            .bind(&s.cta_url)
            .bind(s.show_donors)
            .bind(s.stripe_secret.as_ref().map(WebhookSecret::expose))
            .bind(s.webhook_secret.as_ref().map(WebhookSecret::expose))
            .fetch_optional(&mut *conn)
            .await
            .map_err(backend)?;
            CampDone::Campaign(campaign(&row.ok_or(StoreError::NotFound("campaign"))?)?)
        }
        CampOp::Donate(d) => CampDone::Recorded(donate(conn, d).await?),
    })
}

async fn donate(conn: &mut SqliteConnection, d: NewDonation) -> StoreResult<Recorded> {
    let c = find(conn, &d.site_id, &d.campaign).await?;
    let reference = d.reference.clone().unwrap_or_else(|| d.event_id.clone());
    let seen: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM donations WHERE campaign_id = ?1 AND source = ?2 \
         AND (event_id = ?3 OR (kind = 'gift' AND reference = ?4 AND ?5))",
    )
    .bind(c.id)
    .bind(d.source.as_str())
    .bind(&d.event_id)
    .bind(&reference)
    .bind(matches!(d.entry, rostra_core::campaign::Entry::Gift(_)))
    .fetch_optional(&mut *conn)
    .await
    .map_err(backend)?;
    let refunded: i64 = sqlx::query_scalar(
        "SELECT COALESCE(-SUM(amount), 0) FROM donations WHERE campaign_id = ?1 AND source = ?2 \
         AND reference = ?3 AND kind = 'refund'",
    )
    .bind(c.id)
    .bind(d.source.as_str())
    .bind(&reference)
    .fetch_one(&mut *conn)
    .await
    .map_err(backend)?;
    let row = match (seen, signed_amount(d.entry, refunded)) {
        (None, Some(row)) => Some(row),
        _ => None,
    };
    if let Some((refund, amount)) = row {
        sqlx::query(
            "INSERT INTO donations (campaign_id, source, event_id, reference, kind, currency, \
             amount, note, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )
        .bind(c.id)
        .bind(d.source.as_str())
        .bind(&d.event_id)
        .bind(&reference)
        .bind(if refund { "refund" } else { "gift" })
        .bind(d.currency.as_str())
        .bind(amount)
        .bind(d.note.as_deref())
        .bind(d.at.0)
        .execute(&mut *conn)
        .await
        .map_err(backend)?;
    }
    let totals = sum(&mut *conn, &c).await?;
    Ok(Recorded {
        campaign: c,
        totals,
        duplicate: row.is_none(),
    })
}

async fn sum(conn: &mut SqliteConnection, c: &Campaign) -> StoreResult<Totals> {
    let sums: Vec<(String, i64)> = sqlx::query_as(
        "SELECT currency, SUM(amount) FROM donations WHERE campaign_id = ?1 GROUP BY currency",
    )
    .bind(c.id)
    .fetch_all(&mut *conn)
    .await
    .map_err(backend)?;
    let donors: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT reference FROM donations WHERE campaign_id = ?1 \
         AND currency = ?2 GROUP BY source, reference HAVING SUM(amount) > 0) AS paid",
    )
    .bind(c.id)
    .bind(c.spec.currency.as_str())
    .fetch_one(&mut *conn)
    .await
    .map_err(backend)?;
    Ok(totals(c, sums, donors))
}

/// One campaign.
pub async fn get(
    pool: &SqlitePool,
    site: &SiteId,
    slug: &CampaignSlug,
) -> StoreResult<Option<Campaign>> {
    let mut conn = pool.acquire().await.map_err(backend)?;
    match find(&mut conn, site, slug).await {
        Ok(c) => Ok(Some(c)),
        Err(StoreError::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// A site's campaigns, or (`None`) every campaign, by id.
pub async fn list(pool: &SqlitePool, site: Option<&SiteId>) -> StoreResult<Vec<Campaign>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLS} FROM campaigns WHERE ?1 IS NULL OR site_id = ?1 ORDER BY id"
    ))
    .bind(site.map(SiteId::as_str))
    .fetch_all(pool)
    .await
    .map_err(backend)?;
    rows.iter().map(campaign).collect()
}

/// A campaign's totals.
pub async fn totals_of(pool: &SqlitePool, c: &Campaign) -> StoreResult<Totals> {
    let mut conn = pool.acquire().await.map_err(backend)?;
    sum(&mut conn, c).await
}

/// Every campaign and donation (of one site, or all), by id.
pub async fn dump(pool: &SqlitePool, site: Option<&SiteId>) -> StoreResult<CampaignRows> {
    let campaigns = list(pool, site).await?;
    let rows = sqlx::query(
        "SELECT d.id, d.campaign_id, d.source, d.event_id, d.reference, d.kind, d.currency, \
         d.amount, d.note, d.created_at FROM donations d JOIN campaigns c ON c.id = d.campaign_id \
         WHERE ?1 IS NULL OR c.site_id = ?1 ORDER BY d.id",
    )
    .bind(site.map(SiteId::as_str))
    .fetch_all(pool)
    .await
    .map_err(backend)?;
    let mut donations = Vec::with_capacity(rows.len());
    for row in &rows {
        let source: String = row.try_get("source").map_err(backend)?;
        let kind: String = row.try_get("kind").map_err(backend)?;
        let currency: String = row.try_get("currency").map_err(backend)?;
        donations.push(DonationRow {
            id: row.try_get("id").map_err(backend)?,
            campaign_id: row.try_get("campaign_id").map_err(backend)?,
            source: Source::parse(&source).map_err(backend)?,
            event_id: row.try_get("event_id").map_err(backend)?,
            reference: row.try_get("reference").map_err(backend)?,
            refund: kind == "refund",
            currency: Currency::parse(&currency).map_err(backend)?,
            amount: row.try_get("amount").map_err(backend)?,
            note: row.try_get("note").map_err(backend)?,
            at: Timestamp(row.try_get("created_at").map_err(backend)?),
        });
    }
    Ok(CampaignRows {
        campaigns,
        donations,
    })
}

/// Writes campaigns and donations verbatim, inside a restore's transaction.
pub async fn restore(conn: &mut SqliteConnection, rows: &CampaignRows) -> StoreResult<()> {
    for c in &rows.campaigns {
        if insert(conn, Some(c.id), c)
            .await
            .map_err(backend)?
            .is_none()
        {
            return Err(StoreError::Conflict(format!(
                "campaign {} already exists",
                c.slug
            )));
        }
    }
    for d in &rows.donations {
        sqlx::query(
            "INSERT INTO donations (id, campaign_id, source, event_id, reference, kind, currency, \
             amount, note, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )
        .bind(d.id)
        .bind(d.campaign_id)
        .bind(d.source.as_str())
        .bind(&d.event_id)
        .bind(&d.reference)
        .bind(if d.refund { "refund" } else { "gift" })
        .bind(d.currency.as_str())
        .bind(d.amount)
        .bind(d.note.as_deref())
        .bind(d.at.0)
        .execute(&mut *conn)
        .await
        .map_err(backend)?;
    }
    Ok(())
}
