//! New comments, written by the writer's thread itself.
//!
//! sqlx runs each SQLite connection on a thread of its own and hands every
//! statement to it and back: a comment's six statements (its savepoint, the
//! thread, the row, the count, the event job, the release) cost twelve
//! thread switches, and under load the writer spent most of its time waiting
//! on them (bench/README.md). New comments, the most frequent write, go
//! instead through a second write connection that the writer's thread owns
//! and calls directly (rusqlite: the same statements, no hand-offs). Both
//! connections belong to the one writer, which uses them one after the
//! other, so SQLite still sees one writer at a time. rusqlite links the
//! libsqlite3-sys that sqlx links (Cargo allows one crate to link `sqlite3`).

use crate::outbox::events::EVENT_SQL;
use crate::writes::{LISTED_SQL, RELISTED_SQL, THREAD_BY_URL_SQL, THREAD_INSERT_SQL};
use crate::SqliteOptions;
use rostra_core::comment::is_listed;
use rostra_core::{CommentId, CommentStatus, NewComment, SiteId, ThreadId, Timestamp};
use rostra_store::moderation::{assessment_json, urgency};
use rostra_store::outbox::{event_job_key, event_payload, CommentEvent};
use rostra_store::reply::{self, Parent};
use rostra_store::{StoreError, StoreResult, Thread, Written};
use rusqlite::{params, OptionalExtension};
use std::path::Path;

const INSERT_SQL: &str = "INSERT INTO comments (thread_id, parent_id, root_id, depth, status, listed, \
     author_name, author_email, author_website, ip_hash, body_markdown, body_html, edit_token_hash, \
     created_at, assessment, urgency) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) RETURNING id";

const PARENT_SQL: &str = "SELECT thread_id, depth, root_id, status FROM comments WHERE id = ?1";

const COUNT_SQL: &str = "UPDATE threads SET approved_count = approved_count + 1 WHERE id = ?1";

fn backend(e: rusqlite::Error) -> StoreError {
    StoreError::Backend(e.to_string())
}

/// The writer's second connection, for new comments.
pub struct Direct {
    db: rusqlite::Connection,
}

impl Direct {
    /// Opens the database sqlx's write connection opened (and migrated),
    /// with the same settings: durable commits, foreign keys.
    pub fn open(path: &Path, options: &SqliteOptions) -> StoreResult<Self> {
        let db = rusqlite::Connection::open(path).map_err(backend)?;
        db.busy_timeout(options.busy_timeout).map_err(backend)?;
        db.execute_batch(&format!(
            "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
             PRAGMA cache_size = -{}; PRAGMA temp_store = memory;",
            options.cache_kib
        ))
        .map_err(backend)?;
        Ok(Self { db })
    }

    /// Stores a group of new comments in one transaction, each in its own
    /// savepoint unless it is alone (a refusal undoes only its own writes),
    /// and commits once. Answers in order, only after the commit.
    pub fn commit(&self, run: Vec<NewComment>) -> Vec<StoreResult<Written>> {
        let n = run.len();
        if let Err(e) = self.exec("BEGIN IMMEDIATE") {
            return (0..n)
                .map(|_| Err(StoreError::Backend(e.to_string())))
                .collect();
        }
        let outcomes: Vec<_> = run
            .into_iter()
            .map(|c| self.insert_in_savepoint(c, n == 1))
            .collect();
        // A lone comment that failed leaves nothing worth keeping.
        let end = if n == 1 && outcomes[0].is_err() {
            "ROLLBACK"
        } else {
            "COMMIT"
        };
        match self.exec(end) {
            Ok(()) => outcomes,
            Err(e) => {
                tracing::error!(error = %e, "group commit failed");
                let _ = self.exec("ROLLBACK");
                outcomes
                    .iter()
                    .map(|_| Err(StoreError::Backend(format!("commit failed: {e}"))))
                    .collect()
            }
        }
    }

    fn exec(&self, sql: &str) -> StoreResult<()> {
        self.db.execute_batch(sql).map_err(backend)
    }

    /// Inserts one comment inside a savepoint when `alone` is false, so a
    /// refusal undoes only its own writes.
    fn insert_in_savepoint(&self, c: NewComment, alone: bool) -> StoreResult<Written> {
        if alone {
            return self.insert(c);
        }
        self.exec("SAVEPOINT job")?;
        let outcome = self.insert(c);
        let undone = match outcome {
            Ok(_) => Ok(()),
            Err(_) => self.exec("ROLLBACK TO job"),
        };
        undone.and(self.exec("RELEASE job"))?;
        outcome
    }

    /// Stores a new comment in its page's thread (created if needed), counts
    /// it, and enqueues its event job when someone could hear of it.
    fn insert(&self, c: NewComment) -> StoreResult<Written> {
        let mut thread = self.thread_for(&c)?;
        let (root_id, depth) = match c.parent_id {
            None => (None, 0),
            Some(pid) => {
                let (root, depth) =
                    reply::place(pid, self.parent(pid)?.as_ref(), thread.id, c.max_depth)?;
                (Some(root), depth)
            }
        };
        let approved = c.status == CommentStatus::Approved;
        let assessment = assessment_json(c.assessment.as_ref())?;
        let id: i64 = self
            .db
            .prepare_cached(INSERT_SQL)
            .and_then(|mut s| {
                s.query_row(
                    params![
                        thread.id.0,
                        c.parent_id.map(|p| p.0),
                        root_id.map(|r| r.0),
                        i64::from(depth),
                        c.status.as_str(),
                        approved,
                        c.author_name.as_str(),
                        c.author_email.as_ref().map(|e| e.as_str()),
                        c.author_website.as_ref().map(|w| w.as_str()),
                        c.ip_hash.as_deref(),
                        c.body.as_str(),
                        &c.body_html,
                        &c.edit_token_hash.0[..],
                        c.created_at.0,
                        assessment,
                        urgency(c.assessment.as_ref()),
                    ],
                    |row| row.get(0),
                )
            })
            .map_err(backend)?;
        if approved {
            self.db
                .prepare_cached(COUNT_SQL)
                .and_then(|mut s| s.execute([thread.id.0]))
                .map_err(backend)?;
            thread.count += 1;
            if let Some(parent) = c.parent_id {
                self.adjust_listed_replies(parent)?;
            }
        }
        let site = c.site_id.clone();
        let written = Written {
            comment: c.stored(CommentId(id), thread.id, root_id, depth),
            thread,
        };
        self.enqueue_event(&site, &written)?;
        Ok(written)
    }

    fn thread_for(&self, c: &NewComment) -> StoreResult<Thread> {
        let found = self
            .db
            .prepare_cached(&THREAD_BY_URL_SQL)
            .and_then(|mut s| {
                s.query_row(params![c.site_id.as_str(), c.url.as_str()], |r| {
                    thread_row(c, r)
                })
                .optional()
            })
            .map_err(backend)?;
        if let Some(thread) = found {
            return Ok(thread);
        }
        self.db
            .prepare_cached(&THREAD_INSERT_SQL)
            .and_then(|mut s| {
                s.query_row(
                    params![
                        c.site_id.as_str(),
                        c.url.as_str(),
                        c.title.as_deref(),
                        c.created_at.0
                    ],
                    |r| thread_row(c, r),
                )
            })
            .map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::ConstraintViolation)
                    if e.sqlite_error().is_some_and(|f| {
                        f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY
                    }) =>
                {
                    StoreError::NotFound("site")
                }
                _ => backend(e),
            })
    }

    fn parent(&self, pid: CommentId) -> StoreResult<Option<Parent>> {
        self.db
            .prepare_cached(PARENT_SQL)
            .and_then(|mut s| {
                s.query_row([pid.0], |row| {
                    let status: String = row.get(3)?;
                    Ok(Parent {
                        thread: ThreadId(row.get(0)?),
                        depth: row.get(1)?,
                        root: row.get::<_, Option<i64>>(2)?.map(CommentId),
                        approved: status == CommentStatus::Approved.as_str(),
                    })
                })
                .optional()
            })
            .map_err(backend)
    }

    /// A new approved reply lists its parent, and so on up while a listing
    /// changes (the same walk as `writes::adjust_listed_replies`).
    fn adjust_listed_replies(&self, parent: CommentId) -> StoreResult<()> {
        let (mut id, mut delta) = (parent, 1i64);
        loop {
            let (status, replies, was, up): (String, i64, bool, Option<i64>) = self
                .db
                .prepare_cached(LISTED_SQL)
                .and_then(|mut s| {
                    s.query_row(params![id.0, delta], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                    })
                })
                .map_err(backend)?;
            let status =
                CommentStatus::parse(&status).map_err(|e| StoreError::Backend(e.to_string()))?;
            let now = is_listed(status, replies);
            if now == was {
                return Ok(());
            }
            self.db
                .prepare_cached(RELISTED_SQL)
                .and_then(|mut s| s.execute(params![id.0, now]))
                .map_err(backend)?;
            match up {
                Some(p) => (id, delta) = (CommentId(p), if now { 1 } else { -1 }),
                None => return Ok(()),
            }
        }
    }

    fn enqueue_event(&self, site: &SiteId, w: &Written) -> StoreResult<()> {
        let event = match w.comment.status {
            CommentStatus::Approved => CommentEvent::Created,
            CommentStatus::Pending => CommentEvent::Held,
            _ => return Ok(()),
        };
        self.db
            .prepare_cached(EVENT_SQL)
            .and_then(|mut s| {
                s.execute(params![
                    site.as_str(),
                    event_job_key(w.comment.id, event),
                    event_payload(w.comment.id, event),
                    Timestamp::now().0,
                    w.thread.url.as_str(),
                    event == CommentEvent::Held,
                ])
            })
            .map_err(backend)?;
        Ok(())
    }
}

/// A row of `THREAD_COLS`, of the thread found or made for `c`.
fn thread_row(c: &NewComment, row: &rusqlite::Row<'_>) -> rusqlite::Result<Thread> {
    Ok(Thread {
        id: ThreadId(row.get(0)?),
        site_id: c.site_id.clone(),
        url: c.url.clone(),
        title: row.get(3)?,
        count: row.get(4)?,
        created_at: Timestamp(row.get(5)?),
    })
}
