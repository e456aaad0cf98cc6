//! Donation campaigns: campaigns and donations (writes, each in the
//! caller's transaction; a donation locks its campaign's row first, so that
//! two nodes recording events of one payment take turns, and announces the
//! new totals to the other nodes) and their reads.

use crate::announce::Announcer;
use crate::error::{corrupt, Result};
use rostra_core::campaign::{Entry, Source, Totals};
use rostra_core::{
    Campaign, CampaignSlug, CampaignSpec, Currency, SiteId, Timestamp, WebhookSecret,
};
use rostra_store::campaigns::{milestones_json, parse_milestones, signed_amount, totals};
use rostra_store::feed::Change;
use rostra_store::{CampaignRows, DonationRow, NewCampaign, NewDonation, Recorded, StoreError};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, PgPool, Row};

const COLS: &str = "id, site_id, slug, title, currency, goal, milestones, starts_at, ends_at, \
     offset_amount, cta_text, cta_url, show_donors, stripe_secret, webhook_secret, created_at";

fn secret(row: &PgRow, col: &str) -> Result<Option<WebhookSecret>> {
    let raw: Option<String> = row.try_get(col)?;
    raw.map(|s| WebhookSecret::parse(&s, col))
        .transpose()
        .map_err(corrupt)
}

fn campaign(row: &PgRow) -> Result<Campaign> {
    let site: String = row.try_get("site_id")?;
    let slug: String = row.try_get("slug")?;
    let currency: String = row.try_get("currency")?;
    let milestones: String = row.try_get("milestones")?;
    Ok(Campaign {
        id: row.try_get("id")?,
        site_id: SiteId::parse(&site).map_err(corrupt)?,
        slug: CampaignSlug::parse(&slug).map_err(corrupt)?,
        spec: CampaignSpec {
            title: row.try_get("title")?,
            currency: Currency::parse(&currency).map_err(corrupt)?,
            goal: row.try_get("goal")?,
            milestones: parse_milestones(&milestones)?,
            starts_at: Timestamp(row.try_get("starts_at")?),
            ends_at: Timestamp(row.try_get("ends_at")?),
            offset: row.try_get("offset_amount")?,
            cta_text: row.try_get("cta_text")?,
            cta_url: row.try_get("cta_url")?,
            show_donors: row.try_get("show_donors")?,
            stripe_secret: secret(row, "stripe_secret")?,
            webhook_secret: secret(row, "webhook_secret")?,
        },
        created_at: Timestamp(row.try_get("created_at")?),
    })
}

async fn insert(conn: &mut PgConnection, id: Option<i64>, c: &Campaign) -> Result<Option<PgRow>> {
    let s = &c.spec;
    let (columns, first) = match id {
        Some(_) => (COLS, "$1, "),
        None => (COLS.trim_start_matches("id, "), ""),
    };
    let overriding = if id.is_some() {
        "OVERRIDING SYSTEM VALUE"
    } else {
        ""
    };
    let sql = format!(
        "INSERT INTO campaigns ({columns}) {overriding} VALUES ({first}{}) \
         ON CONFLICT (site_id, slug) DO NOTHING RETURNING {COLS}",
        (0..15)
            .map(|i| format!("${}", i + 1 + usize::from(id.is_some())))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut query = sqlx::query(&sql);
    if let Some(id) = id {
        query = query.bind(id);
    }
    let row = query
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
        .map_err(|e| match &e {
            sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
                StoreError::NotFound("site").into()
            }
            _ => crate::error::Error::from(e),
        })?;
    Ok(row)
}

/// Creates a campaign.
pub async fn create(conn: &mut PgConnection, new: NewCampaign) -> Result<Campaign> {
    let c = Campaign {
        id: 0,
        site_id: new.site_id,
        slug: new.slug,
        spec: new.spec,
        created_at: new.created_at,
    };
    match insert(conn, None, &c).await? {
        Some(row) => campaign(&row),
        None => Err(StoreError::Conflict(format!("campaign {} already exists", c.slug)).into()),
    }
}

/// Replaces what a campaign is.
pub async fn update(
    conn: &mut PgConnection,
    site: SiteId,
    slug: CampaignSlug,
    s: CampaignSpec,
) -> Result<Campaign> {
    let row = sqlx::query(&format!(
        "UPDATE campaigns SET title = $3, currency = $4, goal = $5, milestones = $6, \
         starts_at = $7, ends_at = $8, offset_amount = $9, cta_text = $10, cta_url = $11, \
         show_donors = $12, stripe_secret = $13, webhook_secret = $14 \
         WHERE site_id = $1 AND slug = $2 RETURNING {COLS}"
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
    .await?;
    campaign(&row.ok_or(StoreError::NotFound("campaign"))?)
}

/// Records a donation in the caller's transaction and announces the totals.
pub async fn donate(conn: &mut PgConnection, say: Announcer, d: NewDonation) -> Result<Recorded> {
    let row = sqlx::query(&format!(
        "SELECT {COLS} FROM campaigns WHERE site_id = $1 AND slug = $2 FOR NO KEY UPDATE"
    ))
    .bind(d.site_id.as_str())
    .bind(d.campaign.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let c = campaign(&row.ok_or(StoreError::NotFound("campaign"))?)?;
    let reference = d.reference.clone().unwrap_or_else(|| d.event_id.clone());
    let seen: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM donations WHERE campaign_id = $1 AND source = $2 \
         AND (event_id = $3 OR (kind = 'gift' AND reference = $4 AND $5)) LIMIT 1",
    )
    .bind(c.id)
    .bind(d.source.as_str())
    .bind(&d.event_id)
    .bind(&reference)
    .bind(matches!(d.entry, Entry::Gift(_)))
    .fetch_optional(&mut *conn)
    .await?;
    let refunded: i64 = sqlx::query_scalar(
        "SELECT COALESCE(-SUM(amount), 0)::BIGINT FROM donations WHERE campaign_id = $1 \
         AND source = $2 AND reference = $3 AND kind = 'refund'",
    )
    .bind(c.id)
    .bind(d.source.as_str())
    .bind(&reference)
    .fetch_one(&mut *conn)
    .await?;
    let row = match (seen, signed_amount(d.entry, refunded)) {
        (None, Some(row)) => Some(row),
        _ => None,
    };
    if let Some((refund, amount)) = row {
        sqlx::query(
            "INSERT INTO donations (campaign_id, source, event_id, reference, kind, currency, \
             amount, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
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
        .await?;
    }
    let totals = sum(&mut *conn, &c).await?;
    if row.is_some() {
        let change = Change::Campaign {
            site: c.site_id.clone(),
            slug: c.slug.clone(),
            raised: totals.raised,
            donors: totals.donors,
        };
        say.campaign(&mut *conn, &change).await?;
    }
    Ok(Recorded {
        campaign: c,
        totals,
        duplicate: row.is_none(),
    })
}

async fn sum(conn: &mut PgConnection, c: &Campaign) -> Result<Totals> {
    let sums: Vec<(String, i64)> = sqlx::query_as(
        "SELECT currency, SUM(amount)::BIGINT FROM donations WHERE campaign_id = $1 \
         GROUP BY currency",
    )
    .bind(c.id)
    .fetch_all(&mut *conn)
    .await?;
    let donors: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT reference FROM donations WHERE campaign_id = $1 \
         AND currency = $2 GROUP BY source, reference HAVING SUM(amount) > 0) AS paid",
    )
    .bind(c.id)
    .bind(c.spec.currency.as_str())
    .fetch_one(&mut *conn)
    .await?;
    Ok(totals(c, sums, donors))
}

/// One campaign.
pub async fn get(pool: &PgPool, site: &SiteId, slug: &CampaignSlug) -> Result<Option<Campaign>> {
    let row = sqlx::query(&format!(
        "SELECT {COLS} FROM campaigns WHERE site_id = $1 AND slug = $2"
    ))
    .bind(site.as_str())
    .bind(slug.as_str())
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(campaign).transpose()
}

/// A site's campaigns, or (`None`) every campaign, by id.
pub async fn list(pool: &PgPool, site: Option<&SiteId>) -> Result<Vec<Campaign>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLS} FROM campaigns WHERE $1::TEXT IS NULL OR site_id = $1 ORDER BY id"
    ))
    .bind(site.map(SiteId::as_str))
    .fetch_all(pool)
    .await?;
    rows.iter().map(campaign).collect()
}

/// A campaign's totals.
pub async fn totals_of(pool: &PgPool, c: &Campaign) -> Result<Totals> {
    let mut conn = pool.acquire().await?;
    sum(&mut conn, c).await
}

/// Every campaign and donation (of one site, or all), by id.
pub async fn dump(pool: &PgPool, site: Option<&SiteId>) -> Result<CampaignRows> {
    let campaigns = list(pool, site).await?;
    let rows = sqlx::query(
        "SELECT d.id, d.campaign_id, d.source, d.event_id, d.reference, d.kind, d.currency, \
         d.amount, d.note, d.created_at FROM donations d JOIN campaigns c ON c.id = d.campaign_id \
         WHERE $1::TEXT IS NULL OR c.site_id = $1 ORDER BY d.id",
    )
    .bind(site.map(SiteId::as_str))
    .fetch_all(pool)
    .await?;
    let mut donations = Vec::with_capacity(rows.len());
    for row in &rows {
        let source: String = row.try_get("source")?;
        let kind: String = row.try_get("kind")?;
        let currency: String = row.try_get("currency")?;
        donations.push(DonationRow {
            id: row.try_get("id")?,
            campaign_id: row.try_get("campaign_id")?,
            source: Source::parse(&source).map_err(corrupt)?,
            event_id: row.try_get("event_id")?,
            reference: row.try_get("reference")?,
            refund: kind == "refund",
            currency: Currency::parse(&currency).map_err(corrupt)?,
            amount: row.try_get("amount")?,
            note: row.try_get("note")?,
            at: Timestamp(row.try_get("created_at")?),
        });
    }
    Ok(CampaignRows {
        campaigns,
        donations,
    })
}

/// Writes campaigns and donations verbatim, inside a restore's transaction,
/// and moves the id sequences past them.
pub async fn restore(conn: &mut PgConnection, rows: &CampaignRows) -> Result<()> {
    for c in &rows.campaigns {
        if insert(conn, Some(c.id), c).await?.is_none() {
            return Err(StoreError::Conflict(format!("campaign {} already exists", c.slug)).into());
        }
    }
    for d in &rows.donations {
        sqlx::query(
            "INSERT INTO donations (id, campaign_id, source, event_id, reference, kind, currency, \
             amount, note, created_at) OVERRIDING SYSTEM VALUE \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
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
        .await?;
    }
    if !rows.campaigns.is_empty() {
        crate::restore::advance(conn, "campaigns").await?;
    }
    if !rows.donations.is_empty() {
        crate::restore::advance(conn, "donations").await?;
    }
    Ok(())
}
