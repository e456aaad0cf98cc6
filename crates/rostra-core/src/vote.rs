//! Votes: up, down or none, one per voter per comment.

use crate::FieldError;
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;

/// What a voter says of a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteValue {
    /// +1
    Up,
    /// -1
    Down,
    /// Retract an earlier vote.
    None,
}

impl VoteValue {
    /// Parses `1`, `-1` or `0`.
    pub fn parse(raw: i64) -> Result<Self, FieldError> {
        match raw {
            1 => Ok(Self::Up),
            -1 => Ok(Self::Down),
            0 => Ok(Self::None),
            _ => Err(FieldError::new(
                "value",
                "a vote is 1 (up), -1 (down) or 0 (retract)",
            )),
        }
    }

    /// As stored: 1, -1 or 0.
    pub fn as_i64(self) -> i64 {
        match self {
            Self::Up => 1,
            Self::Down => -1,
            Self::None => 0,
        }
    }
}

/// Who votes, without saying who: for a guest, an HMAC of the site's secret and
/// the voter id the browser keeps. One vote per key per comment.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VoterKey(String);

impl VoterKey {
    /// Derives a guest voter's key. The raw id must be 16-128 characters of
    /// `[A-Za-z0-9_-]`.
    pub fn guest(site_secret: &[u8], raw_id: &str) -> Result<Self, FieldError> {
        let ok = (16..=128).contains(&raw_id.len())
            && raw_id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !ok {
            return Err(FieldError::new(
                "voter",
                "the voter id must be 16-128 characters of A-Z, a-z, 0-9, - and _",
            ));
        }
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(site_secret)
            .map_err(|_| FieldError::new("voter", "the site has no voter secret"))?;
        mac.update(raw_id.as_bytes());
        let digest = mac.finalize().into_bytes();
        Ok(Self(format!("g:{}", hex32(&digest[..16]))))
    }

    /// Rebuilds a key read back from storage or made by a trusted tool.
    pub fn from_stored(s: String) -> Self {
        Self(s)
    }

    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn hex32(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A comment's counters after a vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct VoteTally {
    /// Up-votes.
    pub upvotes: i64,
    /// Down-votes.
    pub downvotes: i64,
}

impl VoteTally {
    /// Up minus down: the "most voted" key.
    pub fn score(self) -> i64 {
        self.upvotes - self.downvotes
    }

    /// The lower bound of the Wilson score interval at 95% confidence for the
    /// share of up-votes: the "best" key. Zero with no votes.
    pub fn wilson(self) -> f64 {
        let n = (self.upvotes + self.downvotes) as f64;
        if n <= 0.0 {
            return 0.0;
        }
        let z = 1.959_963_984_540_054_f64;
        let p = self.upvotes as f64 / n;
        let z2 = z * z;
        (p + z2 / (2.0 * n) - z * ((p * (1.0 - p) + z2 / (4.0 * n)) / n).sqrt()) / (1.0 + z2 / n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_orders_confidence() {
        let t = |u, d| {
            VoteTally {
                upvotes: u,
                downvotes: d,
            }
            .wilson()
        };
        assert_eq!(t(0, 0), 0.0);
        assert!(t(10, 0) > t(1, 0));
        assert!(t(100, 10) > t(10, 1));
        assert!(t(5, 5) < t(6, 4));
        assert!((t(1, 0) - 0.2065).abs() < 1e-3);
        for (u, d) in [(0, 5), (3, 9), (1000, 1)] {
            let w = t(u, d);
            assert!((0.0..=1.0).contains(&w));
        }
    }

    #[test]
    fn voter_keys() {
        let a = VoterKey::guest(b"secret", "abcdefghijklmnop");
        let b = VoterKey::guest(b"other", "abcdefghijklmnop");
        assert!(a.is_ok() && b.is_ok());
        assert_ne!(a, b);
        assert!(VoterKey::guest(b"secret", "short").is_err());
        assert!(VoterKey::guest(b"secret", "has spaces in it!!").is_err());
        assert!(VoteValue::parse(2).is_err());
    }
}
