//! Edit tokens: the secret a guest author holds to edit or delete their comment.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A fresh secret, returned to the author once and never stored in clear.
#[derive(Clone, PartialEq, Eq)]
pub struct EditToken(String);

impl std::fmt::Debug for EditToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EditToken(<redacted>)")
    }
}

impl EditToken {
    /// 256 random bits, URL-safe base64.
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Wraps a token presented by a client.
    pub fn presented(raw: &str) -> Self {
        Self(raw.trim().to_owned())
    }

    /// The token, to hand to the author.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What is stored: SHA-256 of the token.
    pub fn hash(&self) -> TokenHash {
        TokenHash(Sha256::digest(self.0.as_bytes()).into())
    }
}

/// The stored form of an edit token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenHash(pub [u8; 32]);

impl TokenHash {
    /// Whether `token` hashes to this, compared in constant time.
    pub fn matches(&self, token: &EditToken) -> bool {
        let other = token.hash();
        self.0
            .iter()
            .zip(other.0.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
    }

    /// Rebuilds a hash from stored bytes; `None` if the length is wrong.
    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        <[u8; 32]>::try_from(bytes).ok().map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify() {
        let t = EditToken::generate();
        assert_eq!(t.as_str().len(), 43);
        assert!(t.hash().matches(&EditToken::presented(t.as_str())));
        assert!(!t.hash().matches(&EditToken::generate()));
        assert_ne!(EditToken::generate(), t);
        assert_eq!(format!("{t:?}"), "EditToken(<redacted>)");
    }
}
