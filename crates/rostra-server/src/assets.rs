//! The static files compiled into the binary: the embed widget, its
//! stylesheet, the moderation page's stylesheet, and the demo page's own
//! files.
//!
//! Each is gzipped once at start-up. The widget's stylesheet and the demo's
//! script and stylesheet are served under names that carry a hash of their
//! content, cached for a year; `/embed.js` keeps the one name publishers put
//! in their pages, cached for minutes and revalidated by ETag.

use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Write;
use std::sync::LazyLock;

/// The widget's size budget: script and stylesheet together, gzipped.
pub const WIDGET_BUDGET_GZIP: usize = 15 * 1024;

const EMBED_JS: &str = include_str!("../assets/embed.js");
const EMBED_CSS: &[u8] = include_bytes!("../assets/embed.css");
const MODERATION_CSS: &[u8] = include_bytes!("../assets/moderation.css");
const DEMO_CSS: &[u8] = include_bytes!("../assets/demo/demo.css");
const DEMO_JS: &[u8] = include_bytes!("../assets/demo/demo.js");
const DEMO_FILES: [(&str, &str, &[u8]); 2] = [
    (
        "figure.svg",
        "image/svg+xml",
        include_bytes!("../assets/demo/figure.svg"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_bytes!("../assets/demo/favicon.svg"),
    ),
];

/// The placeholder in `embed.js` that becomes the stylesheet's hashed path.
const CSS_PLACEHOLDER: &str = "__ROSTRA_CSS__";

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const SHORT: &str = "public, max-age=600";

/// One file, ready to serve.
#[derive(Debug, Clone)]
pub struct Asset {
    content_type: &'static str,
    cache_control: &'static str,
    body: Bytes,
    gzip: Bytes,
    etag: String,
}

fn hash_hex(bytes: &[u8]) -> String {
    hex::encode(&Sha256::digest(bytes)[..6])
}

/// Gzip at the best level (done once per file, at start-up).
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing to a Vec cannot fail.
    let _ = enc.write_all(bytes);
    enc.finish().unwrap_or_default()
}

impl Asset {
    fn new(content_type: &'static str, cache_control: &'static str, body: Vec<u8>) -> Self {
        let etag = format!("\"{}\"", hash_hex(&body));
        Self {
            content_type,
            cache_control,
            gzip: gzip(&body).into(),
            body: body.into(),
            etag,
        }
    }

    /// The answer to a GET, honouring `If-None-Match` and `Accept-Encoding`.
    pub fn respond(&self, request: &HeaderMap) -> Response {
        let not_modified = request
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|t| t.trim() == self.etag));
        let gzip = request
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
        let mut response = if not_modified {
            StatusCode::NOT_MODIFIED.into_response()
        } else if gzip {
            let mut r = self.gzip.clone().into_response();
            r.headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            r
        } else {
            self.body.clone().into_response()
        };
        let h = response.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(self.content_type),
        );
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(self.cache_control),
        );
        if let Ok(etag) = HeaderValue::from_str(&self.etag) {
            h.insert(header::ETAG, etag);
        }
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        // Publishers' pages load the widget from another origin.
        h.insert(
            "cross-origin-resource-policy",
            HeaderValue::from_static("cross-origin"),
        );
        response
    }

    /// The uncompressed bytes.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The gzipped bytes.
    pub fn gzipped(&self) -> &Bytes {
        &self.gzip
    }
}

/// Every asset, by the path it is served at.
pub struct Assets {
    by_path: HashMap<String, Asset>,
    /// Path of the widget's stylesheet (`/assets/embed.<hash>.css`).
    pub embed_css: String,
    /// Path of the moderation page's stylesheet.
    pub moderation_css: String,
    /// Path of the demo page's stylesheet.
    pub demo_css: String,
    /// Path of the demo page's script.
    pub demo_js: String,
}

impl Assets {
    fn build() -> Self {
        let mut by_path = HashMap::new();
        let embed_css = format!("/assets/embed.{}.css", hash_hex(EMBED_CSS));
        let js = EMBED_JS.replace(CSS_PLACEHOLDER, &embed_css);
        let js_hashed = format!("/assets/embed.{}.js", hash_hex(js.as_bytes()));
        let embed = |cc| Asset::new("text/javascript; charset=utf-8", cc, js.clone().into());
        by_path.insert("/embed.js".to_owned(), embed(SHORT));
        by_path.insert(js_hashed, embed(IMMUTABLE));
        let css = |bytes: &[u8]| Asset::new("text/css; charset=utf-8", IMMUTABLE, bytes.to_vec());
        by_path.insert(embed_css.clone(), css(EMBED_CSS));
        let moderation_css = format!("/assets/moderation.{}.css", hash_hex(MODERATION_CSS));
        by_path.insert(moderation_css.clone(), css(MODERATION_CSS));
        let demo_css = format!("/demo/demo.{}.css", hash_hex(DEMO_CSS));
        by_path.insert(demo_css.clone(), css(DEMO_CSS));
        let demo_js = format!("/demo/demo.{}.js", hash_hex(DEMO_JS));
        by_path.insert(
            demo_js.clone(),
            Asset::new(
                "text/javascript; charset=utf-8",
                IMMUTABLE,
                DEMO_JS.to_vec(),
            ),
        );
        for (name, content_type, bytes) in DEMO_FILES {
            by_path.insert(
                format!("/demo/{name}"),
                Asset::new(content_type, SHORT, bytes.to_vec()),
            );
        }
        Self {
            by_path,
            embed_css,
            moderation_css,
            demo_css,
            demo_js,
        }
    }

    /// The asset served at `path`.
    pub fn get(&self, path: &str) -> Option<&Asset> {
        self.by_path.get(path)
    }

    /// The widget's script and stylesheet, gzipped, in bytes.
    pub fn widget_gzip_bytes(&self) -> (usize, usize) {
        let size = |p: &str| self.get(p).map_or(0, |a| a.gzipped().len());
        (size("/embed.js"), size(&self.embed_css))
    }
}

/// The assets, built on first use.
pub static ASSETS: LazyLock<Assets> = LazyLock::new(Assets::build);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_widget_fits_its_budget() {
        let (js, css) = ASSETS.widget_gzip_bytes();
        let total = js + css;
        println!(
            "embed.js {js} B + embed.css {css} B = {total} B gzipped (budget {WIDGET_BUDGET_GZIP} B)"
        );
        assert!(js > 0 && css > 0);
        assert!(
            total <= WIDGET_BUDGET_GZIP,
            "the widget is {total} B gzipped, over its {WIDGET_BUDGET_GZIP} B budget"
        );
    }

    #[test]
    fn the_script_points_at_the_hashed_stylesheet() {
        let js = ASSETS.get("/embed.js").map(|a| a.body().clone());
        let js = String::from_utf8(js.unwrap_or_default().to_vec()).unwrap_or_default();
        assert!(!js.contains(CSS_PLACEHOLDER));
        assert!(
            js.contains(&ASSETS.embed_css),
            "embed.js must load its stylesheet"
        );
        assert!(ASSETS.get(&ASSETS.embed_css).is_some());
        assert!(ASSETS.embed_css.starts_with("/assets/embed."));
    }

    #[test]
    fn gzip_round_trips() {
        use std::io::Read;
        let data = b"hello hello hello hello";
        let z = gzip(data);
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&z[..])
            .read_to_end(&mut out)
            .unwrap_or_default();
        assert_eq!(out, data);
    }
}
