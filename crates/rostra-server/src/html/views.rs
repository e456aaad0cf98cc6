//! The askama templates, one struct each. Fields are plain text (escaped by
//! the engine) unless their name says `html`, `replies`, `comments`, `list` or
//! `section`: those hold fragments this module rendered itself, or body HTML
//! that ammonia already sanitized.

use super::i18n::{Lang, Strings};
use askama::Template;

/// One comment, without its replies rendered here (they come pre-rendered).
#[derive(Template)]
#[template(path = "comment.html")]
pub struct CommentHtml<'a> {
    /// Strings.
    pub s: &'static Strings,
    /// Id.
    pub id: i64,
    /// The comment answered.
    pub parent: Option<i64>,
    /// `approved`, `pending`, …
    pub status: &'a str,
    /// Only a placeholder remains.
    pub tombstone: bool,
    /// Shown as "awaiting moderation" (author's view).
    pub pending: bool,
    /// Author name.
    pub name: &'a str,
    /// Author website.
    pub website: Option<&'a str>,
    /// Avatar letter.
    pub avatar: String,
    /// Avatar colour, 0–7.
    pub avatar_class: u8,
    /// Set on a reply shown flattened under an ancestor.
    pub reply_to: Option<(i64, &'a str)>,
    /// The page URL with this comment's fragment.
    pub permalink: String,
    /// RFC 3339.
    pub created_iso: String,
    /// Milliseconds since the epoch.
    pub created_ms: i64,
    /// A readable UTC date, for readers without JavaScript.
    pub created_text: String,
    /// Edited since posting.
    pub edited: bool,
    /// Sanitized body HTML.
    pub html: &'a str,
    /// Up-votes.
    pub up: i64,
    /// Down-votes.
    pub down: i64,
    /// Whether a reply button is shown.
    pub can_reply: bool,
    /// Rendered replies.
    pub replies: String,
}

/// A page of top-level comments and the link to the next.
#[derive(Template)]
#[template(path = "list.html")]
pub struct ListHtml {
    /// Strings.
    pub s: &'static Strings,
    /// Rendered comments.
    pub comments: String,
    /// Whether the thread has no listed comments at all.
    pub empty: bool,
    /// The next page, for "load more".
    pub more_href: Option<String>,
}

/// The whole comment section.
#[derive(Template)]
#[template(path = "section.html")]
pub struct SectionHtml<'a> {
    /// Strings.
    pub s: &'static Strings,
    /// Language.
    pub lang: Lang,
    /// Site id.
    pub site: &'a str,
    /// Canonical page URL.
    pub url: &'a str,
    /// Page title.
    pub title: &'a str,
    /// Sort key.
    pub sort: &'a str,
    /// Approved comments.
    pub count: i64,
    /// "11 Comments".
    pub count_text: String,
    /// Seconds an author may edit.
    pub edit_window: i64,
    /// The widget's strings, as JSON.
    pub i18n: String,
    /// Not the first page (a permalink or a later page).
    pub partial: bool,
    /// The first page.
    pub all_href: String,
    /// Where the form posts without JavaScript.
    pub form_action: String,
    /// When the form was rendered, in ms since the epoch (for the
    /// time-to-submit check of the form without JavaScript).
    pub shown: i64,
    /// Longest body.
    pub body_max: usize,
    /// Longest name.
    pub name_max: usize,
    /// Sort tabs: key, label, link.
    pub sorts: Vec<(&'static str, &'static str, String)>,
    /// An error to show in the form (pages without JavaScript).
    pub error: String,
    /// The rendered list.
    pub list: String,
}

/// The server-rendered page of a thread, for readers without JavaScript.
#[derive(Template)]
#[template(path = "thread_page.html")]
pub struct ThreadPageHtml<'a> {
    /// Strings.
    pub s: &'static Strings,
    /// Language.
    pub lang: Lang,
    /// Page title.
    pub title: &'a str,
    /// The article.
    pub article: &'a str,
    /// This page.
    pub self_href: String,
    /// Stylesheet.
    pub css: &'a str,
    /// The rendered section.
    pub section: String,
}

/// The demo page at `/`.
#[derive(Template)]
#[template(path = "demo.html")]
pub struct DemoHtml<'a> {
    /// The page's canonical URL (its thread's key).
    pub canonical: &'a str,
    /// The thread page for readers without JavaScript.
    pub noscript_href: &'a str,
    /// Stylesheet.
    pub css: &'a str,
    /// Script.
    pub js: &'a str,
    /// The demo campaign's slug.
    pub campaign_slug: &'a str,
    /// Its bar, rendered here for readers without JavaScript ("" if none).
    pub campaign_html: String,
}
