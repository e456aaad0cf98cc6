//! Building the tree a page of comments is shown as.

use crate::{Comment, CommentId};
use std::collections::HashMap;

/// Replies to show under each comment, each with whom it answers when flattened.
type Hung = HashMap<CommentId, Vec<(Comment, Option<(CommentId, String)>)>>;

/// A comment with the replies shown under it.
#[derive(Debug, Clone, PartialEq)]
pub struct CommentNode {
    /// The comment.
    pub comment: Comment,
    /// When the comment is shown flattened under an ancestor (it is deeper
    /// than the display depth), the comment it actually answers and that
    /// comment's author, so the reader can tell.
    pub reply_to: Option<(CommentId, String)>,
    /// Replies, oldest first.
    pub replies: Vec<CommentNode>,
}

/// Arranges a page: `roots` in page order, and `replies` (every listed
/// descendant of those roots, in any order) hung under their parents, oldest
/// first. Replies deeper than `display_depth` hang, flattened and in time
/// order, under their ancestor at `display_depth`. A reply whose parent is not
/// among the given comments is dropped (it is not listed).
pub fn build_tree(
    roots: Vec<Comment>,
    mut replies: Vec<Comment>,
    display_depth: u32,
) -> Vec<CommentNode> {
    replies.sort_by_key(|c| (c.created_at, c.id));
    let display_depth = display_depth.max(1);
    let parents: HashMap<CommentId, (Option<CommentId>, u32, String)> = roots
        .iter()
        .chain(replies.iter())
        .map(|c| (c.id, (c.parent_id, c.depth, c.author_name.clone())))
        .collect();
    // Where each reply is shown: its parent, or its ancestor at display depth.
    let mut children: Hung = HashMap::new();
    for reply in replies {
        let Some(parent) = reply.parent_id else {
            continue;
        };
        let Some((_, parent_depth, parent_name)) = parents.get(&parent) else {
            continue;
        };
        let (host, reply_to) = if reply.depth <= display_depth {
            (parent, None)
        } else {
            // Walk up to the ancestor at display depth.
            let mut host = parent;
            let mut depth = *parent_depth;
            let mut complete = true;
            while depth > display_depth {
                match parents.get(&host).and_then(|(p, _, _)| *p) {
                    Some(up) => {
                        host = up;
                        depth -= 1;
                    }
                    None => {
                        complete = false;
                        break;
                    }
                }
            }
            if !complete {
                continue;
            }
            (host, Some((parent, parent_name.clone())))
        };
        children.entry(host).or_default().push((reply, reply_to));
    }
    fn attach(
        comment: Comment,
        reply_to: Option<(CommentId, String)>,
        children: &mut Hung,
    ) -> CommentNode {
        let kids = children.remove(&comment.id).unwrap_or_default();
        let replies = kids
            .into_iter()
            .map(|(c, r)| attach(c, r, children))
            .collect();
        CommentNode {
            comment,
            reply_to,
            replies,
        }
    }
    roots
        .into_iter()
        .map(|root| attach(root, None, &mut children))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CommentStatus, ThreadId, Timestamp};

    fn c(id: i64, parent: Option<i64>, depth: u32) -> Comment {
        Comment {
            id: CommentId(id),
            thread_id: ThreadId(1),
            parent_id: parent.map(CommentId),
            root_id: None,
            depth,
            status: CommentStatus::Approved,
            author_name: format!("a{id}"),
            author_email: None,
            author_website: None,
            body_markdown: String::new(),
            body_html: String::new(),
            created_at: Timestamp(id),
            edited_at: None,
            upvotes: 0,
            downvotes: 0,
            listed_replies: 0,
            edit_token_hash: None,
            assessment: None,
        }
    }

    fn shape(nodes: &[CommentNode]) -> String {
        nodes
            .iter()
            .map(|n| {
                let inner = shape(&n.replies);
                let to = n
                    .reply_to
                    .as_ref()
                    .map(|(id, _)| format!("@{id}"))
                    .unwrap_or_default();
                if inner.is_empty() {
                    format!("{}{to}", n.comment.id)
                } else {
                    format!("{}{to}[{inner}]", n.comment.id)
                }
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    #[test]
    fn nests_in_time_order() {
        let roots = vec![c(1, None, 0), c(2, None, 0)];
        let replies = vec![
            c(5, Some(1), 1),
            c(3, Some(1), 1),
            c(4, Some(3), 2),
            c(6, Some(2), 1),
        ];
        assert_eq!(shape(&build_tree(roots, replies, 4)), "1[3[4],5],2[6]");
    }

    #[test]
    fn flattens_beyond_display_depth() {
        // 1 <- 2 <- 3 <- 4 <- 5, display depth 2: 4 and 5 hang under 3.
        let roots = vec![c(1, None, 0)];
        let replies = vec![
            c(2, Some(1), 1),
            c(3, Some(2), 2),
            c(4, Some(3), 3),
            c(5, Some(4), 4),
        ];
        assert_eq!(shape(&build_tree(roots, replies, 2)), "1[2[3[4@3,5@4]]]");
    }

    #[test]
    fn orphans_are_dropped() {
        let roots = vec![c(1, None, 0)];
        let replies = vec![c(3, Some(2), 2)];
        assert_eq!(shape(&build_tree(roots, replies, 4)), "1");
    }
}
