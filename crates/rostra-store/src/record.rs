//! An author's record on a site, shown beside each comment of the
//! moderation queue: how many of their comments are published, held,
//! rejected and spam. A first comment and a tenth refusal call for
//! different decisions. Authors are known as the posting policy knows
//! them ([`Author::of`]): by e-mail, else by address hash.

use crate::{Author, QueueItem};
use std::collections::HashMap;

/// How many of an author's comments on the site stand where.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AuthorRecord {
    /// Known by address hash (no e-mail given), rather than by e-mail.
    pub by_address: bool,
    /// Published.
    pub approved: u32,
    /// Held.
    pub pending: u32,
    /// Rejected.
    pub rejected: u32,
    /// Marked as spam.
    pub spam: u32,
}

impl AuthorRecord {
    fn add(&mut self, status: &str, n: i64) {
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        let slot = match status {
            "approved" => &mut self.approved,
            "pending" => &mut self.pending,
            "rejected" => &mut self.rejected,
            "spam" => &mut self.spam,
            _ => return,
        };
        *slot = slot.saturating_add(n);
    }
}

/// A count a backend read: the author's e-mail or address hash, a status,
/// how many comments.
pub type StatusCount = (String, String, i64);

/// The authors of `items` to count: distinct e-mails, and the distinct
/// address hashes of those who gave no e-mail.
pub fn authors(items: &[QueueItem]) -> (Vec<String>, Vec<String>) {
    let (mut emails, mut hashes) = (Vec::new(), Vec::new());
    for item in items {
        match author(item) {
            Some(Author::Email(e)) => emails.push(e),
            Some(Author::IpHash(h)) => hashes.push(h),
            None => {}
        }
    }
    for keys in [&mut emails, &mut hashes] {
        keys.sort_unstable();
        keys.dedup();
    }
    (emails, hashes)
}

/// Gives each item its author's record from the counts read by e-mail and
/// by address hash; an item whose author is unknown gets none.
pub fn fill(items: &mut [QueueItem], by_email: &[StatusCount], by_address: &[StatusCount]) {
    let mut records: HashMap<(bool, &str), AuthorRecord> = HashMap::new();
    for (by_address, counts) in [(false, by_email), (true, by_address)] {
        for (key, status, n) in counts {
            records
                .entry((by_address, key.as_str()))
                .or_insert(AuthorRecord {
                    by_address,
                    ..AuthorRecord::default()
                })
                .add(status, *n);
        }
    }
    for item in items {
        item.record = match author(item) {
            Some(Author::Email(e)) => Some(
                records
                    .get(&(false, e.as_str()))
                    .copied()
                    .unwrap_or_default(),
            ),
            Some(Author::IpHash(h)) => Some(records.get(&(true, h.as_str())).copied().unwrap_or(
                AuthorRecord {
                    by_address: true,
                    ..AuthorRecord::default()
                },
            )),
            None => None,
        };
    }
}

fn author(item: &QueueItem) -> Option<Author> {
    Author::of(
        item.comment.author_email.as_deref(),
        item.ip_hash.as_deref(),
    )
}
