//! Identifiers.

use crate::FieldError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A site's identifier: a slug of 1–64 lower-case ASCII letters, digits and
/// hyphens, not starting or ending with a hyphen (`demo`, `the-daily`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct SiteId(String);

impl SiteId {
    /// Parses a site slug.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let ok = !raw.is_empty()
            && raw.len() <= 64
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !raw.starts_with('-')
            && !raw.ends_with('-');
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(FieldError::new(
                "site",
                "a site id is 1-64 lower-case letters, digits and inner hyphens",
            ))
        }
    }

    /// The slug.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for SiteId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        SiteId::parse(&raw).map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for SiteId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

macro_rules! int_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

int_id!(
    /// A comment's identifier, unique across the installation.
    CommentId
);
int_id!(
    /// A thread's identifier, unique across the installation.
    ThreadId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_ids() {
        assert!(SiteId::parse("demo").is_ok());
        assert!(SiteId::parse("the-daily-2").is_ok());
        for bad in ["", "-a", "a-", "Demo", "a b", "a/b", &"x".repeat(65)] {
            assert!(SiteId::parse(bad).is_err(), "{bad:?}");
        }
    }
}
