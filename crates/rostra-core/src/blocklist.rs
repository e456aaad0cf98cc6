//! A site's block lists: words and phrases (with `*` wildcards), e-mail
//! domains, and network address ranges.

use crate::FieldError;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// What a site refuses, as its owner wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BlockList {
    /// Words or phrases; `*` stands for any letters within a word
    /// (`idiot*` matches "idiots"). Matched on whole words, ignoring case.
    pub words: Vec<String>,
    /// E-mail domains; a domain also blocks its subdomains.
    pub email_domains: Vec<String>,
    /// Addresses or CIDR ranges (`203.0.113.0/24`, `2001:db8::/32`).
    pub addresses: Vec<String>,
}

impl BlockList {
    /// Checks every entry can be used; names the first that cannot.
    pub fn validate(&self) -> Result<(), FieldError> {
        for a in &self.addresses {
            parse_range(a).ok_or_else(|| {
                FieldError::new(
                    "blocklist.addresses",
                    format!("{a:?} is not an address or a CIDR range"),
                )
            })?;
        }
        for w in &self.words {
            if words_of(w).is_empty() {
                return Err(FieldError::new(
                    "blocklist.words",
                    format!("{w:?} has no word in it"),
                ));
            }
        }
        Ok(())
    }

    /// The first listed word or phrase `text` contains.
    pub fn word_in(&self, text: &str) -> Option<&str> {
        let words = words_of(text);
        self.words
            .iter()
            .find(|entry| {
                let pattern = words_of(entry);
                !pattern.is_empty()
                    && words.windows(pattern.len()).any(|window| {
                        window
                            .iter()
                            .zip(&pattern)
                            .all(|(w, p)| wildcard_match(p, w))
                    })
            })
            .map(String::as_str)
    }

    /// The listed domain `email` belongs to.
    pub fn email_domain_of(&self, email: &str) -> Option<&str> {
        let domain = email.rsplit_once('@')?.1.to_ascii_lowercase();
        self.email_domains
            .iter()
            .find(|d| {
                let d = d.trim().trim_start_matches('@').to_ascii_lowercase();
                domain == d || domain.ends_with(&format!(".{d}"))
            })
            .map(String::as_str)
    }

    /// The listed range `address` falls in.
    pub fn range_of(&self, address: &str) -> Option<&str> {
        let ip: IpAddr = address.parse().ok()?;
        self.addresses
            .iter()
            .find(|r| parse_range(r).is_some_and(|net| net.contains(&ip)))
            .map(String::as_str)
    }
}

fn parse_range(raw: &str) -> Option<ipnet::IpNet> {
    let raw = raw.trim();
    raw.parse::<ipnet::IpNet>()
        .ok()
        .or_else(|| raw.parse::<IpAddr>().ok().map(ipnet::IpNet::from))
}

fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '*'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether `word` matches `pattern`, where `*` stands for any run of
/// characters.
fn wildcard_match(pattern: &str, word: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let w: Vec<char> = word.chars().collect();
    // Classic two-pointer glob match with backtracking to the last star.
    let (mut i, mut j) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while j < w.len() {
        if i < p.len() && p[i] != '*' && p[i] == w[j] {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == '*' {
            star = Some(i);
            mark = j;
            i += 1;
        } else if let Some(s) = star {
            i = s + 1;
            mark += 1;
            j = mark;
        } else {
            return false;
        }
    }
    p[i..].iter().all(|&c| c == '*')
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn list() -> BlockList {
        BlockList {
            words: vec!["spam*".into(), "buy now".into(), "*coin".into()],
            email_domains: vec!["mailinator.com".into()],
            addresses: vec![
                "203.0.113.0/24".into(),
                "2001:db8::/32".into(),
                "198.51.100.7".into(),
            ],
        }
    }

    #[test]
    fn words_match_whole_words_with_wildcards() {
        let l = list();
        assert_eq!(l.word_in("Great SPAMMERS here"), Some("spam*"));
        assert_eq!(l.word_in("please BUY   now!"), Some("buy now"));
        assert_eq!(l.word_in("free bitcoin"), Some("*coin"));
        assert_eq!(l.word_in("antispam tools"), None);
        assert_eq!(l.word_in("buy it now"), None);
    }

    #[test]
    fn domains_cover_subdomains() {
        let l = list();
        assert!(l.email_domain_of("a@mailinator.com").is_some());
        assert!(l.email_domain_of("a@x.MAILINATOR.com").is_some());
        assert!(l.email_domain_of("a@notmailinator.com").is_none());
    }

    #[test]
    fn ranges_and_single_addresses() {
        let l = list();
        assert!(l.range_of("203.0.113.77").is_some());
        assert!(l.range_of("2001:db8::1").is_some());
        assert!(l.range_of("198.51.100.7").is_some());
        assert!(l.range_of("198.51.100.8").is_none());
        assert!(l.range_of("not an ip").is_none());
    }

    #[test]
    fn bad_entries_are_named() {
        let mut l = list();
        l.addresses.push("300.1.1.1/8".into());
        let err = l.validate().expect_err("bad range");
        assert!(err.to_string().contains("300.1.1.1/8"));
        assert!(list().validate().is_ok());
    }

    #[test]
    fn glob() {
        assert!(wildcard_match("a*c", "abbbc"));
        assert!(wildcard_match("*", ""));
        assert!(!wildcard_match("a*c", "abd"));
    }
}
