//! `rostra export`: the whole installation, or one site, as Rostra JSON
//! Lines, losslessly.
//!
//! Lines come in a fixed order: the header, the secrets (whole exports
//! only), sites by id, threads by id, comments by id, votes by comment then
//! voter (strings compared byte by byte), then the moderator side: users,
//! roles and credentials (whole exports only), reports, bans and the audit
//! log, then the mail side: subscribers, subscriptions and webhooks, each by
//! its key (pending outbox jobs are work, not data, and are left out); then
//! campaigns and donations, by id. Two stores that hold the same rows
//! therefore export
//! the same bytes, whatever their backend: that is how `migrate-store`
//! checks a copy. The store is read a page at a time (keyset-paged), so an
//! export of millions of comments takes constant memory; the moderator and
//! mail sides' tables, small beside them, are read whole.

mod campaign_records;
mod records;

pub use records::{Record, FORMAT};

use indicatif::ProgressBar;
use rostra_core::{CommentId, SiteId, ThreadId};
use rostra_store::{Store, Tally};
use std::collections::VecDeque;
use std::io::Write;
use std::sync::Arc;

/// Rows read from the store at a time.
pub const PAGE: u32 = 1000;

/// Where an export stands.
#[derive(Debug, Clone, Copy)]
enum Stage {
    Header,
    Secrets,
    Sites,
    Threads(Option<ThreadId>),
    Comments(Option<CommentId>),
    Votes(Option<CommentId>),
    Moderation,
    Campaigns,
    Done,
}

/// An export being read, record by record, a page of rows at a time.
pub struct Export {
    store: Arc<dyn Store>,
    site: Option<SiteId>,
    stage: Stage,
    queued: VecDeque<Record>,
    seen: Tally,
}

impl Export {
    /// The export of `store`, or of one of its sites.
    pub fn new(store: Arc<dyn Store>, site: Option<SiteId>) -> Self {
        Self {
            store,
            site,
            stage: Stage::Header,
            queued: VecDeque::new(),
            seen: Tally::default(),
        }
    }

    /// The next record; `None` at the end.
    pub async fn next(&mut self) -> anyhow::Result<Option<Record>> {
        loop {
            if let Some(record) = self.queued.pop_front() {
                self.count(&record);
                return Ok(Some(record));
            }
            if matches!(self.stage, Stage::Done) {
                return Ok(None);
            }
            self.stage = self.fill().await?;
        }
    }

    /// How many sites, threads, comments and votes it has given so far.
    pub fn seen(&self) -> Tally {
        self.seen
    }

    fn count(&mut self, record: &Record) {
        match record {
            Record::Site { .. } => self.seen.sites += 1,
            Record::Thread { .. } => self.seen.threads += 1,
            Record::Comment { .. } => self.seen.comments += 1,
            Record::Vote { .. } => self.seen.votes += 1,
            _ => {}
        }
    }

    /// Queues the records of the current stage (or its next page), and
    /// says which stage comes next.
    async fn fill(&mut self) -> anyhow::Result<Stage> {
        let site = self.site.as_ref();
        let store = &self.store;
        Ok(match self.stage {
            Stage::Header => {
                self.queued.push_back(Record::Header {
                    format: FORMAT,
                    site: site.map(|s| s.to_string()),
                });
                // Installation secrets belong to whole exports only.
                if site.is_some() {
                    Stage::Sites
                } else {
                    Stage::Secrets
                }
            }
            Stage::Secrets => {
                let mut secrets = store.dump_secrets().await?;
                secrets.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
                self.queued.extend(secrets.iter().map(Record::from));
                Stage::Sites
            }
            Stage::Sites => {
                let mut sites = store.sites().await?;
                sites.retain(|s| site.is_none_or(|id| &s.id == id));
                if let Some(id) = site.filter(|_| sites.is_empty()) {
                    anyhow::bail!("there is no site {id}");
                }
                sites.sort_by(|a, b| a.id.as_str().as_bytes().cmp(b.id.as_str().as_bytes()));
                self.queued.extend(sites.iter().map(Record::from));
                Stage::Threads(None)
            }
            Stage::Threads(after) => {
                let page = store.dump_threads(site, after, PAGE).await?;
                self.queued.extend(page.iter().map(Record::from));
                match page.last() {
                    Some(last) => Stage::Threads(Some(last.id)),
                    None => Stage::Comments(None),
                }
            }
            Stage::Comments(after) => {
                let page = store.dump_comments(site, after, PAGE).await?;
                self.queued.extend(page.iter().map(Record::from));
                match page.last() {
                    Some(last) => Stage::Comments(Some(last.comment.id)),
                    None => Stage::Votes(None),
                }
            }
            Stage::Votes(after) => {
                let page = store.dump_votes(site, after, PAGE).await?;
                self.queued.extend(page.iter().map(Record::from));
                match page.last() {
                    Some(last) => Stage::Votes(Some(last.comment_id)),
                    None => Stage::Moderation,
                }
            }
            Stage::Moderation => {
                let m = store.dump_moderation(site).await?;
                self.queued.extend(m.users.iter().map(Record::from));
                self.queued.extend(m.memberships.iter().map(Record::from));
                self.queued.extend(m.credentials.iter().map(Record::from));
                self.queued.extend(m.reports.iter().map(Record::from));
                self.queued.extend(m.bans.iter().map(Record::from));
                self.queued.extend(m.audit.iter().map(Record::from));
                let mail = store.dump_mail(site).await?;
                self.queued
                    .extend(mail.subscribers.iter().map(Record::from));
                self.queued
                    .extend(mail.subscriptions.iter().map(Record::from));
                self.queued.extend(mail.webhooks.iter().map(Record::from));
                Stage::Campaigns
            }
            Stage::Campaigns => {
                let c = store.dump_campaigns(site).await?;
                self.queued.extend(c.campaigns.iter().map(Record::from));
                self.queued.extend(c.donations.iter().map(Record::from));
                Stage::Done
            }
            Stage::Done => Stage::Done,
        })
    }
}

/// Writes the export of `store` (or of one site) to `out`, a line a record,
/// moving `bar` one step a line; returns what it wrote.
pub async fn write(
    store: Arc<dyn Store>,
    site: Option<SiteId>,
    out: &mut (dyn Write + Send),
    bar: &ProgressBar,
) -> anyhow::Result<Tally> {
    let mut export = Export::new(store, site);
    while let Some(record) = export.next().await? {
        out.write_all(record.to_line()?.as_bytes())?;
        out.write_all(b"\n")?;
        bar.inc(1);
    }
    out.flush()?;
    Ok(export.seen())
}
