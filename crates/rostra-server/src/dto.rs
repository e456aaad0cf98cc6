//! The JSON the API speaks. These are the public shapes, built from domain
//! values, never from database rows.

use rostra_core::{Comment, CommentNode, CommentStatus, VoteTally};
use rostra_service::{Posted, ThreadPage};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A comment's author, as the public sees them.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuthorView {
    /// Display name ("" on a tombstone).
    pub name: String,
    /// Website, if given.
    pub website: Option<String>,
}

/// The comment a flattened reply answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReplyTo {
    /// Its id.
    pub id: i64,
    /// Its author.
    pub name: String,
}

/// A comment and the replies shown under it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentView {
    /// Id.
    pub id: i64,
    /// The comment it answers.
    pub parent: Option<i64>,
    /// `approved` for a live comment; `pending` only for its author; any other
    /// status appears only on a tombstone that holds replies in place.
    #[schema(example = "approved")]
    pub status: String,
    /// True when only a placeholder remains (deleted or removed, with replies).
    pub tombstone: bool,
    /// Author.
    pub author: AuthorView,
    /// Sanitized HTML of the body ("" on a tombstone).
    pub html: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339, when edited.
    pub edited_at: Option<String>,
    /// Up-votes.
    pub upvotes: i64,
    /// Down-votes.
    pub downvotes: i64,
    /// Up minus down.
    pub score: i64,
    /// Nesting depth (0 for top-level).
    pub depth: u32,
    /// Set when the reply is shown flattened under an ancestor.
    pub reply_to: Option<ReplyTo>,
    /// The Markdown source: only in the author's view (with `X-Edit-Token`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub markdown: Option<String>,
    /// Replies, oldest first.
    #[schema(no_recursion)]
    pub replies: Vec<CommentView>,
}

impl CommentView {
    /// The public view of a comment, without replies.
    pub fn of(c: &Comment) -> Self {
        let live = matches!(c.status, CommentStatus::Approved | CommentStatus::Pending);
        Self {
            id: c.id.0,
            parent: c.parent_id.map(|p| p.0),
            status: c.status.as_str().to_owned(),
            tombstone: !live,
            author: AuthorView {
                name: if live {
                    c.author_name.clone()
                } else {
                    String::new()
                },
                website: if live { c.author_website.clone() } else { None },
            },
            html: if live {
                c.body_html.clone()
            } else {
                String::new()
            },
            created_at: c.created_at.to_rfc3339(),
            edited_at: c.edited_at.map(|t| t.to_rfc3339()),
            upvotes: c.upvotes,
            downvotes: c.downvotes,
            score: c.upvotes - c.downvotes,
            depth: c.depth,
            reply_to: None,
            markdown: None,
            replies: Vec::new(),
        }
    }

    /// The author's view: the public one plus the Markdown to edit.
    pub fn for_author(c: &Comment) -> Self {
        let mut view = Self::of(c);
        view.markdown = Some(c.body_markdown.clone());
        view
    }

    fn tree(node: CommentNode) -> Self {
        let mut view = Self::of(&node.comment);
        view.reply_to = node.reply_to.map(|(id, name)| ReplyTo { id: id.0, name });
        view.replies = node.replies.into_iter().map(Self::tree).collect();
        view
    }
}

/// A thread's summary.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadView {
    /// The canonical page URL.
    pub url: String,
    /// The page's title, if known.
    pub title: Option<String>,
    /// Approved comments.
    pub count: i64,
}

/// A page of a thread.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadPageView {
    /// The thread.
    pub thread: ThreadView,
    /// The order of top-level comments.
    pub sort: String,
    /// Top-level comments with their replies.
    pub comments: Vec<CommentView>,
    /// Pass as `after` for the next page; null on the last.
    pub next: Option<String>,
    /// Pass as `before` for the previous page; null on the first.
    pub prev: Option<String>,
}

impl From<ThreadPage> for ThreadPageView {
    fn from(p: ThreadPage) -> Self {
        Self {
            thread: ThreadView {
                url: p.url.as_str().to_owned(),
                title: p.thread.as_ref().and_then(|t| t.title.clone()),
                count: p.thread.as_ref().map_or(0, |t| t.count),
            },
            sort: p.sort.as_str().to_owned(),
            comments: p.comments.into_iter().map(CommentView::tree).collect(),
            next: p.next.map(|c| c.encode()),
            prev: p.prev.map(|c| c.encode()),
        }
    }
}

/// The author of a new comment.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AuthorInput {
    /// 1-64 characters after trimming.
    pub name: String,
    /// Optional; stored, never shown publicly.
    pub email: Option<String>,
    /// Optional http(s) address.
    pub website: Option<String>,
}

/// A new comment.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PostCommentRequest {
    /// The page's URL (canonicalized by the server).
    pub url: String,
    /// The page's title.
    pub title: Option<String>,
    /// The comment this answers.
    pub parent: Option<i64>,
    /// Who writes.
    pub author: AuthorInput,
    /// Markdown.
    pub body: String,
    /// The form's hidden honeypot field: people leave it empty, and a
    /// comment that fills it is kept as spam.
    #[serde(default)]
    pub homepage: Option<String>,
    /// Milliseconds between showing the form and sending it; much faster
    /// than the site's minimum is a bot's.
    #[serde(default)]
    pub elapsed_ms: Option<u64>,
    /// Post although the site nudged (answer 422 `nudge`); the comment is
    /// then held for a moderator.
    #[serde(default)]
    pub acknowledge_nudge: bool,
    /// "Notify of": `thread` (new follow-up comments) or `replies` (new
    /// replies to my comments); needs `author.email`, which must then be
    /// confirmed once by a link mailed to it.
    #[serde(default)]
    pub notify: Option<String>,
    /// `instant` (default) or `digest` (daily).
    #[serde(default)]
    pub cadence: Option<String>,
    /// The reader's language, for the mail.
    #[serde(default)]
    pub lang: Option<String>,
}

/// A stored comment and the author's secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostedView {
    /// The comment as stored (status `pending` when held).
    pub comment: CommentView,
    /// Send as `X-Edit-Token` to edit or delete; shown only now.
    pub edit_token: String,
    /// How long the author may edit or delete, in seconds.
    pub edit_window_secs: i64,
    /// Approved comments in the thread now.
    pub thread_count: i64,
}

impl PostedView {
    /// Builds the response.
    pub fn new(p: Posted, edit_window_secs: i64) -> Self {
        Self {
            comment: CommentView::of(&p.comment),
            edit_token: p.edit_token.as_str().to_owned(),
            edit_window_secs,
            thread_count: p.thread_count,
        }
    }
}

/// An edit.
#[derive(Debug, Deserialize, ToSchema)]
pub struct EditCommentRequest {
    /// The new Markdown.
    pub body: String,
    /// The edit token, if not sent as `X-Edit-Token`.
    pub edit_token: Option<String>,
}

/// A vote.
#[derive(Debug, Deserialize, ToSchema)]
pub struct VoteRequest {
    /// 1 up, -1 down, 0 retract.
    pub value: i64,
}

/// The counters after a vote.
#[derive(Debug, Serialize, ToSchema)]
pub struct VoteView {
    /// Up-votes.
    pub upvotes: i64,
    /// Down-votes.
    pub downvotes: i64,
    /// Up minus down.
    pub score: i64,
    /// This voter's vote now.
    pub value: i64,
}

impl VoteView {
    /// Builds the response.
    pub fn new(t: VoteTally, value: i64) -> Self {
        Self {
            upvotes: t.upvotes,
            downvotes: t.downvotes,
            score: t.score(),
            value,
        }
    }
}

/// Counts for many pages.
#[derive(Debug, Serialize, ToSchema)]
pub struct CountsView {
    /// Approved comments per page, keyed by the URL as asked.
    pub counts: std::collections::BTreeMap<String, i64>,
}

/// Counts asked for in a body (when the URLs would not fit a query string).
#[derive(Debug, Deserialize, ToSchema)]
pub struct CountsRequest {
    /// Page URLs, at most 100.
    pub urls: Vec<String>,
}

/// Markdown to preview.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PreviewRequest {
    /// Markdown, as it would be posted.
    pub body: String,
}

/// A preview.
#[derive(Debug, Serialize, ToSchema)]
pub struct PreviewView {
    /// The sanitized HTML the comment would show.
    pub html: String,
}
