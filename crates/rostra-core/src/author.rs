//! Who wrote a comment: a display name, and optionally an e-mail and a website.

use crate::FieldError;

/// A display name: 1 to `max` characters after trimming, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    /// Parses a display name.
    pub fn parse(raw: &str, max: usize) -> Result<Self, FieldError> {
        let name = raw.trim();
        let err = |m: String| FieldError::new("author.name", m);
        if name.is_empty() {
            return Err(err("a name is required".into()));
        }
        let chars = name.chars().count();
        if chars > max {
            return Err(err(format!(
                "the name is {chars} characters; at most {max} are allowed"
            )));
        }
        if name.chars().any(|c| c.is_control() || is_invisible(c)) {
            return Err(err(
                "the name contains control or invisible characters".into()
            ));
        }
        Ok(Self(name.to_owned()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Characters that render as nothing and let one name impersonate another.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

/// An e-mail address, checked for shape (not deliverability), domain lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// Parses an e-mail address.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let raw = raw.trim();
        let err = |m: &str| FieldError::new("author.email", m);
        if raw.len() > 254 {
            return Err(err("the e-mail address is longer than 254 characters"));
        }
        let Some((local, domain)) = raw.rsplit_once('@') else {
            return Err(err("an e-mail address needs an @"));
        };
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
        if !local_ok {
            return Err(err("the part before the @ is not valid"));
        }
        let domain = domain.to_lowercase();
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        if !domain_ok {
            return Err(err("the domain after the @ is not valid"));
        }
        Ok(Self(format!("{local}@{domain}")))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An author's website: an http or https URL of at most 256 bytes. A bare
/// host (`example.org`) is taken as `https://example.org/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Website(String);

impl Website {
    /// Parses a website address.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let raw = raw.trim();
        let err = |m: &str| FieldError::new("author.website", m);
        if raw.len() > 256 {
            return Err(err("the website address is longer than 256 characters"));
        }
        let with_scheme = if raw.contains("://") {
            raw.to_owned()
        } else {
            format!("https://{raw}")
        };
        let url = url::Url::parse(&with_scheme).map_err(|_| err("not a web address"))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
            return Err(err("the website must be an http or https address"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(err("the website must not carry credentials"));
        }
        Ok(Self(url.into()))
    }

    /// The URL.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names() {
        assert_eq!(
            DisplayName::parse("  Ann  ", 64).map(|n| n.0),
            Ok("Ann".into())
        );
        assert!(DisplayName::parse("   ", 64).is_err());
        assert!(DisplayName::parse(&"é".repeat(65), 64).is_err());
        assert!(DisplayName::parse(&"é".repeat(64), 64).is_ok());
        assert!(DisplayName::parse("a\u{0007}b", 64).is_err());
        assert!(DisplayName::parse("ad\u{202E}min", 64).is_err());
    }

    #[test]
    fn emails() {
        assert_eq!(
            Email::parse(" Ann@Example.ORG ").map(|e| e.0),
            Ok("Ann@example.org".into())
        );
        for bad in [
            "",
            "ann",
            "@x.org",
            "ann@",
            "ann@x",
            "a..b@x.org",
            "ann@-x.org",
            "a b@x.org",
            "ann@x..org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn websites() {
        assert_eq!(
            Website::parse("example.org").map(|w| w.0),
            Ok("https://example.org/".into())
        );
        assert!(Website::parse("javascript:alert(1)").is_err());
        assert!(Website::parse("ftp://x.org").is_err());
    }

    proptest! {
        #[test]
        fn parsed_emails_reparse_to_themselves(raw in "[a-z0-9._+-]{1,20}@[a-zA-Z0-9-]{1,10}\\.[a-z]{2,5}") {
            if let Ok(e) = Email::parse(&raw) {
                prop_assert_eq!(Email::parse(e.as_str()), Ok(e.clone()));
            }
        }

        #[test]
        fn names_never_panic(raw in "\\PC{0,100}") {
            if let Ok(n) = DisplayName::parse(&raw, 64) {
                prop_assert!(!n.as_str().is_empty() && n.as_str().chars().count() <= 64);
            }
        }
    }
}
