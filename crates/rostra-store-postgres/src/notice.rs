//! Announcements of committed changes: `NOTIFY` on the installation's
//! [`channel`], sent inside the writing transaction (PostgreSQL delivers a
//! notification when, and only when, its transaction commits), and read
//! back by the other nodes' change feeds (`feed`).
//!
//! The payload is compact JSON, one object of flat fields:
//!
//! ```json
//! {"node":"6f1c…","kind":"created","site":"demo","url":"https://…/a","id":7,"parent":null,"count":3}
//! {"node":"6f1c…","kind":"vote","site":"demo","url":"https://…/a","id":7,"up":2,"down":0}
//! {"node":"6f1c…","kind":"quiet","site":"demo","url":"https://…/a"}
//! {"node":"6f1c…","kind":"campaign","site":"demo","campaign":"fall","raised":140000,"donors":12}
//! {"node":"6f1c…","kind":"everything"}
//! ```
//!
//! `kind` is `created`, `edited`, `deleted`, `status` or `vote` (what the
//! thread's readers are told), `quiet` (caches only: nothing to tell), or
//! `unknown` (the thread changed, refetch it), with the thread's site and
//! canonical URL; `campaign` (a donation moved a campaign's totals), with
//! the site, the campaign's slug and its totals; or `everything`, for a change not described thread by
//! thread. PostgreSQL refuses payloads of [`MAX_PAYLOAD`] bytes or more: a
//! change that would not fit is sent as `everything`.

use crate::error::Result;
use rostra_core::{CommentId, PageUrl, SiteId};
use rostra_store::feed::{Change, CommentChange, ThreadEvent};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use std::fmt;

/// The channel of an installation in the `public` schema.
pub const CHANNEL: &str = "rostra_changes";

/// The channel every node of the installation whose tables are in `schema`
/// notifies and listens on. Notifications reach every session of the
/// database, whatever its schema: installations (or test runs) in other
/// schemas of the same database get channels of their own, so that they do
/// not hear each other. (A hash keeps the name within PostgreSQL's 63
/// bytes.)
pub fn channel(schema: Option<&str>) -> String {
    match schema {
        None | Some("public") => CHANNEL.to_owned(),
        Some(schema) => {
            let hash = schema.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
            format!("{CHANNEL}_{hash:016x}")
        }
    }
}

/// The longest payload PostgreSQL takes (it must be shorter than 8000
/// bytes).
pub const MAX_PAYLOAD: usize = 7999;

/// Who committed a change: random for each opened store, so that a node
/// can tell its own announcements from the others'.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeId(u64);

impl NodeId {
    /// A fresh, random id.
    pub fn random() -> Self {
        Self(rand::random())
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

/// The payload's fields.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Wire {
    node: String,
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    site: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<i64>,
    /// Sent (as `null` for a top-level comment) with every comment event.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    parent: Option<Option<i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    count: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    up: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    down: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    campaign: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    raised: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    donors: Option<i64>,
}

/// A field that is there, even as `null`, is `Some`.
fn present<'de, D, T>(d: D) -> std::result::Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// The payload announcing `change` (never [`Change::LostTrack`], which no
/// node sends; it is sent as `everything`).
pub fn encode(node: NodeId, change: &Change) -> String {
    let mut wire = Wire {
        node: node.to_string(),
        kind: "everything".into(),
        ..Wire::default()
    };
    if let Change::Campaign {
        site,
        slug,
        raised,
        donors,
    } = change
    {
        wire.kind = "campaign".into();
        wire.site = Some(site.as_str().to_owned());
        wire.campaign = Some(slug.as_str().to_owned());
        wire.raised = Some(*raised);
        wire.donors = Some(*donors);
    }
    if let Change::Thread { site, url, event } = change {
        wire.site = Some(site.as_str().to_owned());
        wire.url = Some(url.as_str().to_owned());
        wire.kind = match event {
            ThreadEvent::Comment {
                id,
                parent,
                kind,
                count,
            } => {
                wire.id = Some(id.0);
                wire.parent = Some(parent.map(|p| p.0));
                wire.count = Some(*count);
                CommentChange::as_str(*kind)
            }
            ThreadEvent::Vote { id, up, down } => {
                wire.id = Some(id.0);
                wire.up = Some(*up);
                wire.down = Some(*down);
                "vote"
            }
            ThreadEvent::Quiet => "quiet",
            ThreadEvent::Unknown => "unknown",
        }
        .into();
    }
    let everything = || format!(r#"{{"node":"{node}","kind":"everything"}}"#);
    match serde_json::to_string(&wire) {
        Ok(payload) if payload.len() <= MAX_PAYLOAD => payload,
        Ok(payload) => {
            tracing::debug!(
                bytes = payload.len(),
                "change too large to announce; announcing everything"
            );
            everything()
        }
        Err(_) => everything(),
    }
}

/// What a payload announces, unless `own` sent it (`None`). A payload this
/// version cannot read announces everything: something changed.
pub fn decode(payload: &str, own: NodeId) -> Option<Change> {
    let wire: Wire = match serde_json::from_str(payload) {
        Ok(wire) => wire,
        Err(e) => {
            tracing::warn!(error = %e, payload, "unreadable change notification; taking everything as changed");
            return Some(Change::Everything);
        }
    };
    if wire.node == own.to_string() {
        return None;
    }
    let change = if wire.kind == "campaign" {
        campaign_change(&wire)
    } else {
        thread_change(&wire)
    };
    if change.is_none() && wire.kind != "everything" {
        tracing::warn!(
            payload,
            "unreadable change notification; taking everything as changed"
        );
    }
    Some(change.unwrap_or(Change::Everything))
}

fn campaign_change(w: &Wire) -> Option<Change> {
    Some(Change::Campaign {
        site: SiteId::parse(w.site.as_deref()?).ok()?,
        slug: rostra_core::CampaignSlug::parse(w.campaign.as_deref()?).ok()?,
        raised: w.raised?,
        donors: w.donors?,
    })
}

fn thread_change(w: &Wire) -> Option<Change> {
    let site = SiteId::parse(w.site.as_deref()?).ok()?;
    let url = PageUrl::from_canonical(w.url.clone()?);
    let comment = |kind| {
        Some(ThreadEvent::Comment {
            id: CommentId(w.id?),
            parent: w.parent?.map(CommentId),
            kind,
            count: w.count?,
        })
    };
    let event = match w.kind.as_str() {
        "created" => comment(CommentChange::Created)?,
        "edited" => comment(CommentChange::Edited)?,
        "deleted" => comment(CommentChange::Deleted)?,
        "status" => comment(CommentChange::Status)?,
        "vote" => ThreadEvent::Vote {
            id: CommentId(w.id?),
            up: w.up?,
            down: w.down?,
        },
        "quiet" => ThreadEvent::Quiet,
        "unknown" => ThreadEvent::Unknown,
        _ => return None,
    };
    Some(Change::Thread { site, url, event })
}

/// Announces `change` on `conn`, inside the transaction open there: it is
/// delivered if the transaction commits, and never otherwise.
pub async fn send(
    conn: &mut PgConnection,
    channel: &str,
    node: NodeId,
    change: &Change,
) -> Result<()> {
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(channel)
        .bind(encode(node, change))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn thread(event: ThreadEvent) -> Change {
        Change::Thread {
            site: SiteId::parse("demo").unwrap(),
            url: PageUrl::from_canonical("https://example.org/a?b=c".into()),
            event,
        }
    }

    #[test]
    fn every_change_round_trips_between_nodes_and_a_node_ignores_its_own() {
        let (a, b) = (NodeId::random(), NodeId::random());
        let changes = [
            thread(ThreadEvent::Comment {
                id: CommentId(7),
                parent: None,
                kind: CommentChange::Created,
                count: 3,
            }),
            thread(ThreadEvent::Comment {
                id: CommentId(8),
                parent: Some(CommentId(7)),
                kind: CommentChange::Deleted,
                count: 2,
            }),
            thread(ThreadEvent::Vote {
                id: CommentId(7),
                up: 2,
                down: 1,
            }),
            thread(ThreadEvent::Quiet),
            thread(ThreadEvent::Unknown),
            Change::Campaign {
                site: SiteId::parse("demo").unwrap(),
                slug: rostra_core::CampaignSlug::parse("fall").unwrap(),
                raised: 140_000,
                donors: 12,
            },
            Change::Everything,
        ];
        for change in changes {
            let payload = encode(a, &change);
            assert!(!payload.contains(' '), "compact: {payload}");
            assert_eq!(decode(&payload, b), Some(change), "{payload}");
            assert_eq!(decode(&payload, a), None, "{payload}");
        }
    }

    #[test]
    fn each_schema_has_a_channel_of_its_own() {
        assert_eq!(channel(None), "rostra_changes");
        assert_eq!(channel(Some("public")), "rostra_changes");
        let long = "s".repeat(63);
        let (a, b) = (channel(Some("rostra_test_1")), channel(Some(&long)));
        assert_ne!(a, b);
        assert!(a.starts_with("rostra_changes_") && a.len() == 31, "{a}");
        assert_eq!(b.len(), 31);
        assert_eq!(a, channel(Some("rostra_test_1")));
    }

    #[test]
    fn the_payload_is_flat_json() {
        let node = NodeId(0xab);
        let payload = encode(
            node,
            &thread(ThreadEvent::Comment {
                id: CommentId(7),
                parent: None,
                kind: CommentChange::Edited,
                count: 1,
            }),
        );
        assert_eq!(
            payload,
            r#"{"node":"00000000000000ab","kind":"edited","site":"demo","url":"https://example.org/a?b=c","id":7,"parent":null,"count":1}"#
        );
    }

    #[test]
    fn a_change_too_large_for_notify_is_announced_as_everything() {
        let node = NodeId::random();
        let huge = Change::Thread {
            site: SiteId::parse("demo").unwrap(),
            url: PageUrl::from_canonical(format!("https://example.org/{}", "a".repeat(8000))),
            event: ThreadEvent::Quiet,
        };
        let payload = encode(node, &huge);
        assert!(payload.len() <= MAX_PAYLOAD);
        assert_eq!(decode(&payload, NodeId::random()), Some(Change::Everything));
    }

    #[test]
    fn what_cannot_be_read_counts_as_everything() {
        let me = NodeId::random();
        for payload in [
            "",
            "{",
            r#"{"node":"x","kind":"created","site":"demo","url":"u"}"#,
            r#"{"node":"x","kind":"teleported","site":"demo","url":"u"}"#,
            r#"{"node":"x","kind":"quiet","site":"no such site!","url":"u"}"#,
        ] {
            assert_eq!(decode(payload, me), Some(Change::Everything), "{payload}");
        }
    }
}
