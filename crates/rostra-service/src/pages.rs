//! Reading a thread a page at a time.

use crate::{Service, ServiceError};
use rostra_core::{
    build_tree, CommentId, CommentNode, Cursor, FieldError, PageUrl, Seek, SiteId, Sort,
};
use rostra_store::Thread;

/// Which page of top-level comments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Paging {
    /// The first.
    First,
    /// The one after this cursor.
    After(String),
    /// The one before this cursor.
    Before(String),
    /// The one that starts with this comment's top-level ancestor (permalinks).
    Around(i64),
}

/// A page of a thread, arranged as a tree.
#[derive(Debug, Clone)]
pub struct ThreadPage {
    /// The canonical page URL.
    pub url: PageUrl,
    /// The thread, if the page has one yet.
    pub thread: Option<Thread>,
    /// The order.
    pub sort: Sort,
    /// Top-level comments with their replies.
    pub comments: Vec<CommentNode>,
    /// The next page, if any.
    pub next: Option<Cursor>,
    /// The previous page, if any.
    pub prev: Option<Cursor>,
    /// The site's display depth.
    pub display_depth: u32,
}

impl Service {
    /// Canonicalizes a page URL under a site's policy.
    pub async fn page_url(&self, site_id: &SiteId, raw: &str) -> Result<PageUrl, ServiceError> {
        let site = self.sites.get(site_id).await?;
        Ok(site.page_url(raw, self.limits.url_bytes)?)
    }

    /// A page's thread, if it has one yet.
    pub async fn thread(
        &self,
        site_id: &SiteId,
        url: &PageUrl,
    ) -> Result<Option<Thread>, ServiceError> {
        self.sites.get(site_id).await?;
        Ok(self.store.thread(site_id, url).await?)
    }

    /// The thread a comment belongs to (for its permalink).
    pub async fn thread_of(&self, comment: &rostra_core::Comment) -> Result<Thread, ServiceError> {
        self.store
            .thread_by_id(comment.thread_id)
            .await?
            .ok_or(ServiceError::NotFound("thread"))
    }

    /// A page of a thread. Costs a constant number of queries, each bounded by
    /// the page: never by the size of the thread.
    pub async fn thread_page(
        &self,
        site_id: &SiteId,
        url: &PageUrl,
        sort: Sort,
        paging: &Paging,
        limit: Option<u32>,
    ) -> Result<ThreadPage, ServiceError> {
        let site = self.sites.get(site_id).await?;
        let limit = limit.unwrap_or(site.settings.page_size);
        if limit == 0 || limit > self.limits.page_size_max {
            return Err(FieldError::new(
                "limit",
                format!("limit is 1 to {}", self.limits.page_size_max),
            )
            .into());
        }
        let empty = |thread| ThreadPage {
            url: url.clone(),
            thread,
            sort,
            comments: Vec::new(),
            next: None,
            prev: None,
            display_depth: site.settings.display_depth,
        };
        let Some(thread) = self.store.thread(site_id, url).await? else {
            if let Paging::Around(_) = paging {
                return Err(ServiceError::NotFound("comment"));
            }
            return Ok(empty(None));
        };
        let seek = match paging {
            Paging::First => Seek::Start,
            Paging::After(c) => Seek::After(Cursor::decode(c, sort, "after")?),
            Paging::Before(c) => Seek::Before(Cursor::decode(c, sort, "before")?),
            Paging::Around(id) => {
                let c = self.store.comment(site_id, CommentId(*id)).await?;
                let c = c
                    .filter(|c| c.thread_id == thread.id && c.is_listed())
                    .ok_or(ServiceError::NotFound("comment"))?;
                let root = match c.root_id {
                    None => c,
                    Some(root) => self
                        .store
                        .comment(site_id, root)
                        .await?
                        .ok_or(ServiceError::NotFound("comment"))?,
                };
                Seek::From(sort.cursor_of(&root))
            }
        };
        let mut roots = self
            .store
            .top_level(thread.id, sort, seek, limit + 1)
            .await?;
        let more = roots.len() > limit as usize;
        let (next, prev) = match seek {
            Seek::Before(_) => {
                if more {
                    roots.remove(0);
                }
                let prev = if more {
                    roots.first().map(|c| sort.cursor_of(c))
                } else {
                    None
                };
                (roots.last().map(|c| sort.cursor_of(c)), prev)
            }
            _ => {
                roots.truncate(limit as usize);
                let next = if more {
                    roots.last().map(|c| sort.cursor_of(c))
                } else {
                    None
                };
                let prev = match (seek, roots.first()) {
                    (Seek::Start, _) | (_, None) => None,
                    (Seek::From(_), Some(first)) => {
                        let cursor = sort.cursor_of(first);
                        let earlier = self
                            .store
                            .top_level(thread.id, sort, Seek::Before(cursor), 1)
                            .await?;
                        (!earlier.is_empty()).then_some(cursor)
                    }
                    (_, Some(first)) => Some(sort.cursor_of(first)),
                };
                (next, prev)
            }
        };
        let ids: Vec<CommentId> = roots.iter().map(|c| c.id).collect();
        let replies = self.store.replies(&ids).await?;
        let comments = build_tree(roots, replies, site.settings.display_depth);
        Ok(ThreadPage {
            comments,
            next,
            prev,
            ..empty(Some(thread))
        })
    }
}
