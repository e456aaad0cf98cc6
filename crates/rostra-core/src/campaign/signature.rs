//! Webhook signatures, Stripe's scheme: the header
//! `Stripe-Signature: t=TIMESTAMP,v1=HEX[,v1=HEX…]` carries the time of
//! sending (Unix seconds) and HMAC-SHA256 signatures, under the endpoint's
//! secret, of `"{t}.{raw body}"`. A request is genuine when one `v1` matches
//! (compared in constant time) and `t` is within the tolerance of now, so
//! that a captured request cannot be replayed later. Rostra's generic
//! webhook uses the same scheme under `X-Rostra-Signature`.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Stripe's default tolerance, in seconds.
pub const DEFAULT_TOLERANCE_SECS: i64 = 300;

/// Why a signature was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// No header, or not `t=…,v1=…`.
    #[error("the signature header is missing or malformed (t=TIMESTAMP,v1=HEX)")]
    Malformed,
    /// No `v1` matches the body under the secret.
    #[error("no signature matches the body")]
    Mismatch,
    /// The timestamp is too far from now.
    #[error("the signature's timestamp is outside the tolerance window")]
    Stale,
}

fn mac(secret: &[u8], timestamp: i64, body: &[u8]) -> Option<Hmac<Sha256>> {
    // HMAC takes keys of any length: this does not fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).ok()?;
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    Some(mac)
}

/// The header value that signs `body` at `timestamp` (for senders and tests).
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    let tag = mac(secret, timestamp, body)
        .map(|m| hex::encode(m.finalize().into_bytes()))
        .unwrap_or_default();
    format!("t={timestamp},v1={tag}")
}

/// Checks `header` against the raw `body` under `secret` at `now` (Unix
/// seconds); returns the signed timestamp.
pub fn verify(
    header: Option<&str>,
    body: &[u8],
    secret: &[u8],
    now: i64,
    tolerance_secs: i64,
) -> Result<i64, SignatureError> {
    let header = header.ok_or(SignatureError::Malformed)?;
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", sig)) => {
                if let Ok(bytes) = hex::decode(sig) {
                    signatures.push(bytes);
                }
            }
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(SignatureError::Malformed)?;
    if signatures.is_empty() {
        return Err(SignatureError::Malformed);
    }
    let expected = mac(secret, timestamp, body).ok_or(SignatureError::Mismatch)?;
    let genuine = signatures
        .iter()
        .any(|sig| expected.clone().verify_slice(sig).is_ok());
    if !genuine {
        return Err(SignatureError::Mismatch);
    }
    if (now - timestamp).abs() > tolerance_secs {
        return Err(SignatureError::Stale);
    }
    Ok(timestamp)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"whsec_test_secret";
    const BODY: &[u8] = br#"{"id":"evt_1","type":"payment_intent.succeeded"}"#;
    const NOW: i64 = 1_790_000_000;

    #[test]
    fn a_genuine_signature_passes() {
        let header = sign(SECRET, NOW, BODY);
        assert_eq!(verify(Some(&header), BODY, SECRET, NOW + 10, 300), Ok(NOW));
    }

    #[test]
    fn the_signature_matches_openssls() {
        // Computed independently, as bench/campaign_webhook.sh signs:
        // printf '%s' '1614556800.{}' | openssl dgst -sha256 -hmac whsec_doc -r
        let header = sign(b"whsec_doc", 1_614_556_800, b"{}");
        assert_eq!(
            header,
            "t=1614556800,v1=3f71508f4e6f0b9c8981fcc98f766f185f33636a80dd605bdf9bbd524f00d78c"
        );
    }

    #[test]
    fn a_wrong_secret_or_a_changed_body_fails() {
        let header = sign(b"another secret", NOW, BODY);
        assert_eq!(
            verify(Some(&header), BODY, SECRET, NOW, 300),
            Err(SignatureError::Mismatch)
        );
        let header = sign(SECRET, NOW, BODY);
        assert_eq!(
            verify(Some(&header), b"{\"id\":\"evt_2\"}", SECRET, NOW, 300),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn a_stale_or_future_timestamp_fails() {
        let header = sign(SECRET, NOW - 301, BODY);
        assert_eq!(
            verify(Some(&header), BODY, SECRET, NOW, 300),
            Err(SignatureError::Stale)
        );
        let header = sign(SECRET, NOW + 301, BODY);
        assert_eq!(
            verify(Some(&header), BODY, SECRET, NOW, 300),
            Err(SignatureError::Stale)
        );
    }

    #[test]
    fn any_of_several_signatures_may_match() {
        // Stripe sends one v1 per active secret while a secret is rolled.
        let good = sign(SECRET, NOW, BODY);
        let old = sign(b"old secret", NOW, BODY);
        let header = format!("{},{}", old, good.split(',').nth(1).unwrap_or_default());
        assert_eq!(verify(Some(&header), BODY, SECRET, NOW, 300), Ok(NOW));
    }

    #[test]
    fn malformed_headers_fail() {
        for header in ["", "t=abc,v1=00", "v1=00", "t=5", "t=5,v0=00", "nonsense"] {
            assert_eq!(
                verify(Some(header), BODY, SECRET, NOW, 300),
                Err(SignatureError::Malformed),
                "{header}"
            );
        }
        assert_eq!(
            verify(None, BODY, SECRET, NOW, 300),
            Err(SignatureError::Malformed)
        );
    }
}
