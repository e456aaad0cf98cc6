//! Canonical page URLs: the key that names a thread.
//!
//! Two addresses of the same article must land in the same thread, so a URL is
//! canonicalized before it is stored or looked up: scheme and host lower-cased,
//! the default port and the fragment dropped, tracking parameters stripped by
//! the site's [`UrlPolicy`], and the remaining query kept in its order.

use crate::FieldError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How a site canonicalizes its page URLs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UrlPolicy {
    /// Query parameters to drop. A trailing `*` matches any suffix (`utm_*`).
    pub strip_params: Vec<String>,
    /// Drop the whole query string (for sites whose query never names a page).
    pub drop_query: bool,
}

impl Default for UrlPolicy {
    fn default() -> Self {
        Self {
            strip_params: [
                "utm_*",
                "fbclid",
                "gclid",
                "dclid",
                "msclkid",
                "mc_cid",
                "mc_eid",
                "yclid",
                "_ga",
                "_gl",
                "igshid",
                "ref_src",
                "ref_url",
                "amp",
                "__twitter_impression",
            ]
            .map(str::to_owned)
            .to_vec(),
            drop_query: false,
        }
    }
}

impl UrlPolicy {
    fn strips(&self, name: &str) -> bool {
        self.strip_params.iter().any(|p| match p.strip_suffix('*') {
            Some(prefix) => name.starts_with(prefix),
            None => name == p,
        })
    }
}

/// A canonical `http` or `https` page URL.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct PageUrl(String);

impl PageUrl {
    /// Parses and canonicalizes `raw` under `policy`; `max_bytes` bounds the input.
    pub fn parse(raw: &str, policy: &UrlPolicy, max_bytes: usize) -> Result<Self, FieldError> {
        let err = |m: &str| FieldError::new("url", m);
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(err("the page URL is required"));
        }
        if raw.len() > max_bytes {
            return Err(err(&format!(
                "the page URL is longer than {max_bytes} bytes"
            )));
        }
        let mut url = url::Url::parse(raw).map_err(|e| err(&format!("not a URL: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(err("the page URL must be http or https"));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(err("the page URL has no host"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(err("the page URL must not carry credentials"));
        }
        url.set_fragment(None);
        if let Some(host) = url.host_str() {
            // The url crate lower-cases registered names already; a trailing dot
            // names the same host.
            if let Some(trimmed) = host.strip_suffix('.') {
                let trimmed = trimmed.to_owned();
                url.set_host(Some(&trimmed))
                    .map_err(|_| err("the page URL's host is invalid"))?;
            }
        }
        let kept: Vec<(String, String)> = if policy.drop_query {
            Vec::new()
        } else {
            url.query_pairs()
                .filter(|(k, _)| !policy.strips(k))
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        };
        if kept.is_empty() {
            url.set_query(None);
        } else {
            url.query_pairs_mut().clear().extend_pairs(kept);
        }
        Ok(Self(url.into()))
    }

    /// Rebuilds a URL that was canonical when stored (read back from storage).
    pub fn from_canonical(s: String) -> Self {
        Self(s)
    }

    /// The canonical URL.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The URL's origin, `scheme://host[:port]`. A canonical URL always
    /// serializes as `scheme://host[:port]/path…` without credentials, so the
    /// origin is the text before the path: no second parse.
    pub fn origin(&self) -> &str {
        let after_scheme = self.0.find("://").map_or(0, |i| i + 3);
        match self.0[after_scheme..].find('/') {
            Some(i) => &self.0[..after_scheme + i],
            None => &self.0,
        }
    }
}

impl fmt::Display for PageUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn canon(raw: &str) -> String {
        PageUrl::parse(raw, &UrlPolicy::default(), 2048)
            .map(|u| u.0)
            .unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(
            canon("HTTPS://Example.COM:443/a/b?x=1#top"),
            "https://example.com/a/b?x=1"
        );
        assert_eq!(canon("http://example.com:80"), "http://example.com/");
        assert_eq!(
            canon("http://example.com:8080/p"),
            "http://example.com:8080/p"
        );
        assert_eq!(canon("https://example.com./a"), "https://example.com/a");
        assert_eq!(
            canon("https://example.com/a?utm_source=x&id=7&fbclid=abc&utm_medium=y"),
            "https://example.com/a?id=7"
        );
        assert_eq!(
            canon("https://example.com/a?utm_source=x"),
            "https://example.com/a"
        );
        assert_eq!(
            canon("  https://example.com/a/../b  "),
            "https://example.com/b"
        );
    }

    #[test]
    fn rejects() {
        for bad in [
            "",
            "example.com/a",
            "ftp://example.com/",
            "javascript:alert(1)",
            "https://u:p@example.com/",
            "http://",
            "https://[::1/",
        ] {
            assert!(
                PageUrl::parse(bad, &UrlPolicy::default(), 2048).is_err(),
                "{bad:?}"
            );
        }
        let long = format!("https://example.com/{}", "a".repeat(3000));
        assert!(PageUrl::parse(&long, &UrlPolicy::default(), 2048).is_err());
    }

    #[test]
    fn origins_without_reparsing() {
        let o = |raw: &str| {
            PageUrl::parse(raw, &UrlPolicy::default(), 2048).map(|u| u.origin().to_owned())
        };
        assert_eq!(
            o("HTTPS://Example.COM:443/a/b?x=1"),
            Ok("https://example.com".into())
        );
        assert_eq!(
            o("http://127.0.0.1:8080/p?q=/x"),
            Ok("http://127.0.0.1:8080".into())
        );
        assert_eq!(o("http://[::1]:9/"), Ok("http://[::1]:9".into()));
        assert_eq!(
            o("https://bücher.example/"),
            Ok("https://xn--bcher-kva.example".into())
        );
    }

    #[test]
    fn drop_query_policy() {
        let policy = UrlPolicy {
            strip_params: vec![],
            drop_query: true,
        };
        let u = PageUrl::parse("https://example.com/a?id=1", &policy, 2048).map(|u| u.0);
        assert_eq!(u.as_deref(), Ok("https://example.com/a"));
    }

    fn host() -> impl Strategy<Value = String> {
        "[a-zA-Z][a-zA-Z0-9-]{0,10}(\\.[a-zA-Z]{2,6}){1,2}"
    }
    fn path() -> impl Strategy<Value = String> {
        proptest::collection::vec("[a-zA-Z0-9_~%-]{1,8}", 0..4)
            .prop_map(|s| format!("/{}", s.join("/")))
    }
    fn query() -> impl Strategy<Value = Vec<(String, String)>> {
        proptest::collection::vec(("[a-z]{1,6}", "[a-zA-Z0-9]{0,6}"), 0..4)
    }

    proptest! {
        #[test]
        fn canonicalization_is_idempotent(h in host(), p in path(), q in query(), frag in "[a-z]{0,5}") {
            let qs: Vec<String> = q.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let raw = format!("https://{h}{p}?{}#{frag}", qs.join("&"));
            let once = PageUrl::parse(&raw, &UrlPolicy::default(), 2048).map_err(|e| e.to_string());
            prop_assert!(once.is_ok(), "{raw}: {once:?}");
            let once = once.map(|u| u.0).unwrap_or_default();
            let twice = PageUrl::parse(&once, &UrlPolicy::default(), 2048).map(|u| u.0);
            let origin = url::Url::parse(&once).map(|u| u.origin().ascii_serialization()).unwrap_or_default();
            let canonical = PageUrl::from_canonical(once.clone());
            prop_assert_eq!(canonical.origin(), origin.as_str());
            prop_assert_eq!(twice, Ok(once));
        }

        #[test]
        fn same_page_same_key(h in host(), p in path(), q in query(), frag in "[a-z]{1,5}", utm in "[a-z0-9]{1,8}") {
            let qs: Vec<String> = q.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let joined = qs.join("&");
            let plain = format!("https://{}{p}{}", h.to_lowercase(), if joined.is_empty() { String::new() } else { format!("?{joined}") });
            let noisy = format!(
                "HTTPS://{}:443{p}?utm_source={utm}{}{}#{frag}",
                h.to_uppercase(),
                if joined.is_empty() { "" } else { "&" },
                joined,
            );
            let a = PageUrl::parse(&plain, &UrlPolicy::default(), 2048).map(|u| u.0);
            let b = PageUrl::parse(&noisy, &UrlPolicy::default(), 2048).map(|u| u.0);
            prop_assert!(a.is_ok());
            prop_assert_eq!(a, b);
        }

        #[test]
        fn never_panics(raw in "\\PC{0,200}") {
            let _ = PageUrl::parse(&raw, &UrlPolicy::default(), 2048);
        }
    }
}
