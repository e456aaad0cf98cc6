//! The signed links in messages: confirm an address, unsubscribe from one
//! subscription, manage them all. A link names what it acts on and carries
//! an HMAC of that under an installation secret, so it needs no table, never
//! expires (an unsubscribe link must work for as long as mail is sent), and
//! cannot be forged or turned to another subscription.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use rostra_core::SiteId;
use sha2::Sha256;

/// What a link does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Confirm a subscriber's address.
    Confirm,
    /// Remove one subscription.
    Unsubscribe,
    /// See and change all of a subscriber's subscriptions.
    Manage,
}

impl Purpose {
    fn tag(self) -> char {
        match self {
            Self::Confirm => 'c',
            Self::Unsubscribe => 'u',
            Self::Manage => 'm',
        }
    }
}

/// A verified link: its site and the id it acts on (a subscriber, or for
/// `Unsubscribe` a subscription).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The site.
    pub site: SiteId,
    /// The subscriber or subscription.
    pub id: i64,
}

/// The MAC of a link's body (HMAC takes keys of any length: never `None`).
fn mac(secret: &[u8], body: &str) -> Option<Hmac<Sha256>> {
    let mut m = Hmac::<Sha256>::new_from_slice(secret).ok()?;
    m.update(body.as_bytes());
    Some(m)
}

/// The token of a link.
pub fn token(secret: &[u8], purpose: Purpose, site: &SiteId, id: i64) -> String {
    let body = format!("{}:{}:{}", purpose.tag(), site, id);
    format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(&body),
        URL_SAFE_NO_PAD.encode(
            mac(secret, &body)
                .map(|m| m.finalize().into_bytes()[..16].to_vec())
                .unwrap_or_default()
        )
    )
}

/// Verifies a token for `purpose`; `None` if it is malformed, forged, or
/// made for another purpose.
pub fn verify(secret: &[u8], purpose: Purpose, token: &str) -> Option<Link> {
    let (body, sig) = token.trim().split_once('.')?;
    let body = String::from_utf8(URL_SAFE_NO_PAD.decode(body).ok()?).ok()?;
    let sig = URL_SAFE_NO_PAD.decode(sig).ok()?;
    if sig.len() != 16 {
        return None;
    }
    mac(secret, &body)?.verify_truncated_left(&sig).ok()?;
    let mut parts = body.splitn(3, ':');
    let tag = parts.next()?;
    if tag.len() != 1 || !tag.starts_with(purpose.tag()) {
        return None;
    }
    let site = SiteId::parse(parts.next()?).ok()?;
    let id = parts.next()?.parse().ok()?;
    Some(Link { site, id })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn a_token_verifies_for_its_purpose_only() {
        let site = SiteId::parse("demo").unwrap();
        let t = token(b"k", Purpose::Unsubscribe, &site, 42);
        assert_eq!(
            verify(b"k", Purpose::Unsubscribe, &t),
            Some(Link { site, id: 42 })
        );
        assert_eq!(verify(b"k", Purpose::Manage, &t), None);
        assert_eq!(verify(b"other", Purpose::Unsubscribe, &t), None);
    }

    #[test]
    fn a_changed_id_or_a_cut_signature_fails() {
        let site = SiteId::parse("demo").unwrap();
        let t = token(b"k", Purpose::Confirm, &site, 7);
        let (_, sig) = t.split_once('.').unwrap();
        let forged = format!("{}.{sig}", URL_SAFE_NO_PAD.encode("c:demo:8"));
        assert_eq!(verify(b"k", Purpose::Confirm, &forged), None);
        assert_eq!(verify(b"k", Purpose::Confirm, &t[..t.len() - 3]), None);
        assert_eq!(verify(b"k", Purpose::Confirm, "garbage"), None);
    }
}
