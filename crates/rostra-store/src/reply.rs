//! Where a reply goes: the rules every backend checks, with the parent's row
//! in hand, before it stores a reply (one at a time or in a batch).

use crate::StoreError;
use rostra_core::{CommentId, FieldError, ThreadId};

/// What a backend read of the comment being replied to.
#[derive(Debug, Clone, Copy)]
pub struct Parent {
    /// Its thread.
    pub thread: ThreadId,
    /// Its depth (0 for a top-level comment).
    pub depth: u32,
    /// Its top-level ancestor (`None` when it is top-level itself).
    pub root: Option<CommentId>,
    /// Whether it is approved: only approved comments take replies.
    pub approved: bool,
}

/// The reply's top-level ancestor and depth, or why it may not reply to
/// `pid`: there is no such comment (`parent` is `None`), it is on another
/// page than `thread`, it is not approved, or the reply would nest deeper
/// than `max_depth`.
pub fn place(
    pid: CommentId,
    parent: Option<&Parent>,
    thread: ThreadId,
    max_depth: u32,
) -> Result<(CommentId, u32), StoreError> {
    let invalid = |m: String| StoreError::Invalid(FieldError::new("parent", m));
    let Some(p) = parent else {
        return Err(invalid(format!("there is no comment {pid} to reply to")));
    };
    if p.thread != thread {
        return Err(invalid(format!("comment {pid} belongs to another page")));
    }
    if !p.approved {
        return Err(invalid(format!("comment {pid} is not open for replies")));
    }
    let depth = p.depth + 1;
    if depth > max_depth {
        return Err(invalid(format!(
            "replies nest at most {max_depth} levels deep"
        )));
    }
    Ok((p.root.unwrap_or(pid), depth))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn parent(depth: u32, approved: bool) -> Parent {
        Parent {
            thread: ThreadId(1),
            depth,
            root: (depth > 0).then_some(CommentId(7)),
            approved,
        }
    }

    fn refusal(r: Result<(CommentId, u32), StoreError>) -> String {
        match r {
            Err(StoreError::Invalid(e)) => e.message,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_reply_to_a_top_level_comment_has_it_for_root() {
        let p = parent(0, true);
        assert_eq!(
            place(CommentId(3), Some(&p), ThreadId(1), 8).unwrap(),
            (CommentId(3), 1)
        );
    }

    #[test]
    fn a_deeper_reply_keeps_the_root() {
        let p = parent(2, true);
        assert_eq!(
            place(CommentId(9), Some(&p), ThreadId(1), 8).unwrap(),
            (CommentId(7), 3)
        );
    }

    #[test]
    fn each_refusal_names_its_reason() {
        let ok = parent(0, true);
        assert!(refusal(place(CommentId(3), None, ThreadId(1), 8)).contains("no comment 3"));
        assert!(refusal(place(CommentId(3), Some(&ok), ThreadId(2), 8)).contains("another page"));
        let held = parent(0, false);
        assert!(refusal(place(CommentId(3), Some(&held), ThreadId(1), 8)).contains("not open"));
        let deep = parent(8, true);
        assert!(refusal(place(CommentId(3), Some(&deep), ThreadId(1), 8)).contains("at most 8"));
    }
}
