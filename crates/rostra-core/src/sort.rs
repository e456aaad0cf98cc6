//! Sort orders for a thread's top-level comments, and cursors into them.
//!
//! Paging is by key, never by offset: a cursor carries the sort key and id of
//! the last comment a reader saw, so the next page starts right after it
//! whatever was inserted meanwhile, and costs the same on page 1,000 as on
//! page 1.

use crate::{Comment, CommentId, FieldError, VoteTally};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// How top-level comments are ordered. Replies are always oldest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Oldest first.
    #[default]
    Oldest,
    /// Newest first.
    Newest,
    /// Highest score (up minus down) first; older first among equals.
    Votes,
    /// Highest Wilson lower bound first; older first among equals.
    Best,
}

/// Ascending or descending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Smallest first.
    Asc,
    /// Largest first.
    Desc,
}

impl Sort {
    /// Every sort, for tests and documentation.
    pub const ALL: [Sort; 4] = [Sort::Oldest, Sort::Newest, Sort::Votes, Sort::Best];

    /// Parses `oldest`, `newest`, `votes` or `best`.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        match raw {
            "oldest" => Ok(Self::Oldest),
            "newest" => Ok(Self::Newest),
            "votes" => Ok(Self::Votes),
            "best" => Ok(Self::Best),
            _ => Err(FieldError::new(
                "sort",
                "sort is one of oldest, newest, votes, best",
            )),
        }
    }

    /// The API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Oldest => "oldest",
            Self::Newest => "newest",
            Self::Votes => "votes",
            Self::Best => "best",
        }
    }

    /// Direction of the primary key, then of the id that breaks ties.
    pub fn directions(self) -> (Direction, Direction) {
        match self {
            Self::Oldest => (Direction::Asc, Direction::Asc),
            Self::Newest => (Direction::Desc, Direction::Desc),
            Self::Votes | Self::Best => (Direction::Desc, Direction::Asc),
        }
    }

    /// The sort key of `c`.
    pub fn key_of(self, c: &Comment) -> SortValue {
        let tally = VoteTally {
            upvotes: c.upvotes,
            downvotes: c.downvotes,
        };
        match self {
            Self::Oldest | Self::Newest => SortValue::Int(c.created_at.0),
            Self::Votes => SortValue::Int(tally.score()),
            Self::Best => SortValue::Float(tally.wilson()),
        }
    }

    /// The cursor that points at `c` in this order.
    pub fn cursor_of(self, c: &Comment) -> Cursor {
        Cursor {
            sort: self,
            value: self.key_of(c),
            id: c.id,
        }
    }

    /// Compares two positions in this order.
    pub fn compare(self, a: (SortValue, CommentId), b: (SortValue, CommentId)) -> Ordering {
        let (primary, tiebreak) = self.directions();
        let by_value = a.0.cmp_total(&b.0);
        let by_value = if primary == Direction::Desc {
            by_value.reverse()
        } else {
            by_value
        };
        let by_id = if tiebreak == Direction::Desc {
            b.1.cmp(&a.1)
        } else {
            a.1.cmp(&b.1)
        };
        by_value.then(by_id)
    }
}

/// A sort key's value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SortValue {
    /// A time in milliseconds or a score.
    Int(i64),
    /// A Wilson bound.
    Float(f64),
}

impl SortValue {
    fn cmp_total(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Self::Int(a), Self::Int(b)) => a.cmp(b),
            (Self::Float(a), Self::Float(b)) => a.total_cmp(b),
            (Self::Int(_), Self::Float(_)) => Ordering::Less,
            (Self::Float(_), Self::Int(_)) => Ordering::Greater,
        }
    }
}

/// A position in a sort order: the key and id of one top-level comment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cursor {
    /// The order it belongs to.
    pub sort: Sort,
    /// The comment's key in that order.
    pub value: SortValue,
    /// The comment.
    pub id: CommentId,
}

impl Cursor {
    /// Opaque, URL-safe text.
    pub fn encode(&self) -> String {
        let value = match self.value {
            SortValue::Int(v) => format!("i{v}"),
            SortValue::Float(v) => format!("f{:x}", v.to_bits()),
        };
        URL_SAFE_NO_PAD.encode(format!("{}.{value}.{}", self.sort.as_str(), self.id.0))
    }

    /// Decodes a cursor for `sort` received in `field`.
    pub fn decode(raw: &str, sort: Sort, field: &str) -> Result<Self, FieldError> {
        let err = |m: &str| FieldError::new(field, m);
        let bytes = URL_SAFE_NO_PAD
            .decode(raw.trim())
            .map_err(|_| err("not a cursor this server issued"))?;
        let text = String::from_utf8(bytes).map_err(|_| err("not a cursor this server issued"))?;
        let mut parts = text.splitn(3, '.');
        let (Some(s), Some(v), Some(id)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(err("not a cursor this server issued"));
        };
        let cursor_sort = Sort::parse(s).map_err(|_| err("not a cursor this server issued"))?;
        if cursor_sort != sort {
            return Err(err("this cursor belongs to another sort order"));
        }
        let value = match v.split_at_checked(1) {
            Some(("i", n)) => n.parse().map(SortValue::Int).ok(),
            Some(("f", n)) => u64::from_str_radix(n, 16)
                .map(|b| SortValue::Float(f64::from_bits(b)))
                .ok(),
            _ => None,
        }
        .filter(|v| !matches!(v, SortValue::Float(f) if !f.is_finite()))
        .ok_or_else(|| err("not a cursor this server issued"))?;
        let expected_float = sort == Sort::Best;
        if expected_float != matches!(value, SortValue::Float(_)) {
            return Err(err("not a cursor this server issued"));
        }
        let id = id
            .parse()
            .map(CommentId)
            .map_err(|_| err("not a cursor this server issued"))?;
        Ok(Self { sort, value, id })
    }
}

/// Where a page starts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Seek {
    /// At the beginning.
    Start,
    /// Right after this position (the next page).
    After(Cursor),
    /// At this position, inclusive (a permalink's page).
    From(Cursor),
    /// Right before this position (the previous page), still in sort order.
    Before(Cursor),
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn cursors_round_trip() {
        for (sort, value) in [
            (Sort::Oldest, SortValue::Int(1_700_000_000_000)),
            (Sort::Votes, SortValue::Int(-3)),
            (Sort::Best, SortValue::Float(0.20654329147389294)),
        ] {
            let c = Cursor {
                sort,
                value,
                id: CommentId(42),
            };
            assert_eq!(Cursor::decode(&c.encode(), sort, "after"), Ok(c));
        }
    }

    #[test]
    fn foreign_cursors_rejected() {
        let c = Cursor {
            sort: Sort::Oldest,
            value: SortValue::Int(5),
            id: CommentId(1),
        };
        assert!(Cursor::decode(&c.encode(), Sort::Newest, "after").is_err());
        for junk in [
            "",
            "!!!",
            "b2xkZXN0",
            "b2xkZXN0LnguMQ",
            &URL_SAFE_NO_PAD.encode("best.i5.1"),
        ] {
            assert_eq!(
                Cursor::decode(junk, Sort::Best, "after").map_err(|e| e.field),
                Err("after".into())
            );
        }
    }

    proptest! {
        #[test]
        fn decode_never_panics(raw in "\\PC{0,60}") {
            let _ = Cursor::decode(&raw, Sort::Best, "after");
        }

        #[test]
        fn compare_is_a_total_order(vals in proptest::collection::vec((-5i64..5, 0i64..50), 1..30)) {
            for sort in [Sort::Oldest, Sort::Newest, Sort::Votes] {
                let mut v: Vec<(SortValue, CommentId)> = vals.iter().map(|(k, id)| (SortValue::Int(*k), CommentId(*id))).collect();
                v.sort_by(|a, b| sort.compare(*a, *b));
                for w in v.windows(2) {
                    prop_assert_ne!(sort.compare(w[0], w[1]), Ordering::Greater);
                }
            }
        }
    }
}
