//! Turning domain values into the fragments: one comment, a page of them, the
//! whole section. The widget and the server-rendered page share all of it.

use super::i18n::Lang;
use super::views::{CommentHtml, ListHtml, SectionHtml};
use askama::Template;
use rostra_core::{Comment, CommentNode, CommentStatus, Cursor, Site, Sort};
use rostra_service::ThreadPage;

/// What every fragment of one answer shares.
pub struct Ctx<'a> {
    /// The language.
    pub lang: Lang,
    /// The site.
    pub site: &'a Site,
    /// Prefix of the server's own links ("" for root-relative links, or the
    /// configured public URL).
    pub prefix: &'a str,
    /// Deepest reply allowed.
    pub max_depth: u32,
}

/// Where a link in the section points: the server-rendered thread page with
/// these parameters (the widget reads them off and fetches fragments instead).
pub struct Link<'a> {
    /// Canonical page URL.
    pub url: &'a str,
    /// The order.
    pub sort: Sort,
    /// `after` cursor.
    pub after: Option<&'a Cursor>,
}

impl Ctx<'_> {
    /// The thread page's address for `link`.
    pub fn thread_href(&self, link: &Link<'_>) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        q.append_pair("url", link.url);
        if link.sort != Sort::default() {
            q.append_pair("sort", link.sort.as_str());
        }
        if let Some(after) = link.after {
            q.append_pair("after", &after.encode());
        }
        if self.lang != Lang::default() {
            q.append_pair("lang", self.lang.tag());
        }
        format!(
            "{}/sites/{}/thread?{}",
            self.prefix,
            self.site.id,
            q.finish()
        )
    }

    /// Where the section's form posts without JavaScript.
    pub fn form_action(&self) -> String {
        format!("{}/sites/{}/post", self.prefix, self.site.id)
    }
}

/// A readable UTC date from RFC 3339 (`2026-11-24T18:37:00.000Z` becomes
/// `2026-11-24 18:37 UTC`); the widget replaces it with a relative date.
pub(crate) fn readable(rfc3339: &str) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..16)) {
        (Some(day), Some(time)) => format!("{day} {time} UTC"),
        _ => rfc3339.to_owned(),
    }
}

fn avatar(name: &str) -> (String, u8) {
    let letter = name
        .chars()
        .find(|c| c.is_alphanumeric())
        .map_or_else(|| "?".to_owned(), |c| c.to_uppercase().collect());
    let hue = name
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    (letter, (hue % 8) as u8)
}

/// One comment; `author_view` shows a held comment as pending instead of
/// hiding it.
pub fn comment(
    ctx: &Ctx<'_>,
    page_url: &str,
    c: &Comment,
    reply_to: Option<(i64, &str)>,
    replies: String,
) -> Result<String, askama::Error> {
    let live = matches!(c.status, CommentStatus::Approved | CommentStatus::Pending);
    let (letter, avatar_class) = avatar(&c.author_name);
    let created_iso = c.created_at.to_rfc3339();
    CommentHtml {
        s: ctx.lang.strings(),
        id: c.id.0,
        parent: c.parent_id.map(|p| p.0),
        status: c.status.as_str(),
        tombstone: !live,
        pending: c.status == CommentStatus::Pending,
        name: if live { &c.author_name } else { "" },
        website: c.author_website.as_deref().filter(|_| live),
        avatar: letter,
        avatar_class,
        reply_to,
        permalink: format!("{page_url}#rostra-c-{}", c.id.0),
        created_text: readable(&created_iso),
        created_iso,
        created_ms: c.created_at.millis(),
        edited: c.edited_at.is_some() && live,
        html: if live { &c.body_html } else { "" },
        up: c.upvotes,
        down: c.downvotes,
        can_reply: c.status == CommentStatus::Approved && c.depth < ctx.max_depth,
        replies,
    }
    .render()
}

/// A comment with its replies, depth first.
pub fn tree(ctx: &Ctx<'_>, page_url: &str, node: &CommentNode) -> Result<String, askama::Error> {
    let mut replies = String::new();
    for r in &node.replies {
        replies.push_str(&tree(ctx, page_url, r)?);
    }
    let reply_to = node
        .reply_to
        .as_ref()
        .map(|(id, name)| (id.0, name.as_str()));
    comment(ctx, page_url, &node.comment, reply_to, replies)
}

/// The list of a page and its "load more" link.
pub fn list(ctx: &Ctx<'_>, page: &ThreadPage) -> Result<String, askama::Error> {
    let url = page.url.as_str();
    let mut comments = String::new();
    for node in &page.comments {
        comments.push_str(&tree(ctx, url, node)?);
    }
    let count = page.thread.as_ref().map_or(0, |t| t.count);
    ListHtml {
        s: ctx.lang.strings(),
        empty: page.comments.is_empty() && page.prev.is_none() && count == 0,
        comments,
        more_href: page.next.as_ref().map(|next| {
            ctx.thread_href(&Link {
                url,
                sort: page.sort,
                after: Some(next),
            })
        }),
    }
    .render()
}

/// The strings the widget needs, as the JSON of `data-i18n`.
fn widget_strings(lang: Lang) -> String {
    serde_json::to_string(lang.strings()).unwrap_or_else(|_| "{}".to_owned())
}

/// The sort orders offered as tabs, as on the reference page.
const TABS: [Sort; 3] = [Sort::Oldest, Sort::Newest, Sort::Votes];

/// The whole section: heading, form, sort tabs and the page of comments.
pub fn section(
    ctx: &Ctx<'_>,
    page: &ThreadPage,
    title: &str,
    partial: bool,
    error: &str,
    limits: &rostra_core::Limits,
) -> Result<String, askama::Error> {
    let s = ctx.lang.strings();
    let url = page.url.as_str();
    let count = page.thread.as_ref().map_or(0, |t| t.count);
    let title = page
        .thread
        .as_ref()
        .and_then(|t| t.title.as_deref())
        .unwrap_or(title);
    let label = |sort: Sort| match sort {
        Sort::Newest => s.newest,
        Sort::Votes | Sort::Best => s.votes,
        Sort::Oldest => s.oldest,
    };
    SectionHtml {
        s,
        lang: ctx.lang,
        site: ctx.site.id.as_str(),
        url,
        title,
        sort: page.sort.as_str(),
        count,
        count_text: s.count.format(ctx.lang, count),
        edit_window: ctx.site.settings.edit_window_secs,
        i18n: widget_strings(ctx.lang),
        partial,
        all_href: ctx.thread_href(&Link {
            url,
            sort: page.sort,
            after: None,
        }),
        form_action: ctx.form_action(),
        shown: rostra_core::Timestamp::now().0,
        body_max: limits.comment_chars,
        name_max: limits.name_chars,
        sorts: TABS
            .into_iter()
            .map(|sort| {
                let href = ctx.thread_href(&Link {
                    url,
                    sort,
                    after: None,
                });
                (sort.as_str(), label(sort), href)
            })
            .collect(),
        error: error.to_owned(),
        list: list(ctx, page)?,
    }
    .render()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_without_javascript() {
        assert_eq!(readable("2026-11-24T18:37:05.123Z"), "2026-11-24 18:37 UTC");
        assert_eq!(readable("junk"), "junk");
    }

    #[test]
    fn avatars_take_the_first_letter_and_a_stable_colour() {
        assert_eq!(avatar("ingo Adam").0, "I");
        assert_eq!(avatar("  ").0, "?");
        assert_eq!(avatar("Émile").0, "É");
        assert_eq!(avatar("John").1, avatar("John").1);
        assert!(avatar("John").1 < 8);
    }
}
