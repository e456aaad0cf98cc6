//! The documented limits every input is held to.

use serde::{Deserialize, Serialize};

/// Sizes and depths Rostra enforces. Defaults are documented in the README;
/// an operator may change them in the `[limits]` section of the config.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Largest request body accepted, in bytes (413 above).
    pub body_bytes: usize,
    /// Longest comment body, in characters of Markdown.
    pub comment_chars: usize,
    /// Longest display name, in characters after trimming.
    pub name_chars: usize,
    /// Longest page URL, in bytes.
    pub url_bytes: usize,
    /// Longest thread title, in characters.
    pub title_chars: usize,
    /// Deepest reply stored (a top-level comment has depth 0).
    pub max_depth: u32,
    /// Most page URLs in one counts request.
    pub counts_urls: usize,
    /// Most top-level comments in one page.
    pub page_size_max: u32,
    /// Most live-update streams open at once on one node (503 above); 0
    /// turns live updates off.
    pub streams: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            body_bytes: 64 * 1024,
            comment_chars: 10_000,
            name_chars: 64,
            url_bytes: 2048,
            title_chars: 300,
            max_depth: 100,
            counts_urls: 100,
            page_size_max: 100,
            streams: 10_000,
        }
    }
}
