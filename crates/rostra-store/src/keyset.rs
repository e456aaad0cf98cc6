//! The shape of keyset paging in SQL, shared by the SQL backends.
//!
//! A page "after (v, id)" in an order `P d1, id d2` is the union of two index
//! ranges, each read in index order: the rest of the rows whose key equals `v`
//! (`P = v AND id > id`), then the rows past `v` (`P > v`). Asking for each
//! separately keeps both a plain range scan even when `d1` and `d2` differ
//! (most voted: score descending, then oldest first), where a single
//! `(P, id) > (v, id)` would not match the index.

use rostra_core::sort::Direction;
use rostra_core::{Seek, Sort, SortValue};

/// The column that holds a sort's primary key.
pub fn primary_column(sort: Sort) -> &'static str {
    match sort {
        Sort::Oldest | Sort::Newest => "created_at",
        Sort::Votes => "score",
        Sort::Best => "best",
    }
}

/// One range query of a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Range {
    /// SQL condition on the primary column and id, with `{v}` and `{id}`
    /// standing for the bound values (empty: no condition).
    pub condition: &'static str,
    /// ORDER BY clause.
    pub order: String,
}

impl Range {
    /// The range's `AND …` clause on `column` (the sort's primary column),
    /// with the backend's placeholders for the bound's value and id; empty
    /// when the range is unbounded.
    pub fn and_clause(&self, column: &str, value: &str, id: &str) -> String {
        if self.condition.is_empty() {
            return String::new();
        }
        format!(
            "AND {column} {}",
            self.condition.replace("{v}", value).replace("{id}", id)
        )
    }
}

/// How to read a page: ranges in turn until `limit` rows, then reverse the
/// rows if `reverse` (a "before" page is read backwards).
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Ranges to read, in order.
    pub ranges: Vec<Range>,
    /// The bound's value and id, if any.
    pub bound: Option<(SortValue, i64)>,
    /// Reverse the rows read.
    pub reverse: bool,
}

fn dir(d: Direction, flip: bool) -> (&'static str, &'static str, &'static str) {
    // (ORDER BY keyword, strict comparison past the bound, inclusive one)
    match (d, flip) {
        (Direction::Asc, false) | (Direction::Desc, true) => ("ASC", ">", ">="),
        (Direction::Desc, false) | (Direction::Asc, true) => ("DESC", "<", "<="),
    }
}

/// Plans the read of a page.
pub fn plan(sort: Sort, seek: Seek) -> Plan {
    let p = primary_column(sort);
    let (d1, d2) = sort.directions();
    let (flip, inclusive, cursor) = match seek {
        Seek::Start => (false, false, None),
        Seek::After(c) => (false, false, Some(c)),
        Seek::From(c) => (false, true, Some(c)),
        Seek::Before(c) => (true, false, Some(c)),
    };
    let (o1, past1, _) = dir(d1, flip);
    let (o2, past2, incl2) = dir(d2, flip);
    let full_order = format!("{p} {o1}, id {o2}");
    let Some(cursor) = cursor else {
        return Plan {
            ranges: vec![Range {
                condition: "",
                order: full_order,
            }],
            bound: None,
            reverse: false,
        };
    };
    let same_key: &'static str = match (inclusive, past2, incl2) {
        (true, _, ">=") => "= {v} AND id >= {id}",
        (true, _, _) => "= {v} AND id <= {id}",
        (false, ">", _) => "= {v} AND id > {id}",
        (false, _, _) => "= {v} AND id < {id}",
    };
    let beyond: &'static str = if past1 == ">" { "> {v}" } else { "< {v}" };
    Plan {
        ranges: vec![
            Range {
                condition: same_key,
                order: format!("id {o2}"),
            },
            Range {
                condition: beyond,
                order: full_order,
            },
        ],
        bound: Some((cursor.value, cursor.id.0)),
        reverse: flip,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rostra_core::{CommentId, Cursor};

    #[test]
    fn plans() {
        let c = Cursor {
            sort: Sort::Votes,
            value: SortValue::Int(3),
            id: CommentId(9),
        };
        let after = plan(Sort::Votes, Seek::After(c));
        assert_eq!(after.ranges[0].condition, "= {v} AND id > {id}");
        assert_eq!(after.ranges[1].condition, "< {v}");
        assert_eq!(after.ranges[1].order, "score DESC, id ASC");
        let before = plan(Sort::Votes, Seek::Before(c));
        assert_eq!(before.ranges[0].condition, "= {v} AND id < {id}");
        assert_eq!(before.ranges[1].condition, "> {v}");
        assert_eq!(before.ranges[1].order, "score ASC, id DESC");
        assert!(before.reverse);
        assert_eq!(
            before.ranges[1].and_clause("score", "$3", "$4"),
            "AND score > $3"
        );
        assert_eq!(
            before.ranges[0].and_clause("score", "?2", "?3"),
            "AND score = ?2 AND id < ?3"
        );
        assert_eq!(
            plan(Sort::Votes, Seek::Start).ranges[0].and_clause("score", "?2", "?3"),
            ""
        );
        let c = Cursor {
            sort: Sort::Newest,
            value: SortValue::Int(3),
            id: CommentId(9),
        };
        let from = plan(Sort::Newest, Seek::From(c));
        assert_eq!(from.ranges[0].condition, "= {v} AND id <= {id}");
        assert_eq!(from.ranges[1].order, "created_at DESC, id DESC");
    }
}
