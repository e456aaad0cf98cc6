//! `rostra seed`: realistic comment data, fast, for benchmarks.
//!
//! Each thread gets a share of the comments. About 40% of comments are
//! replies (to a recent comment, nesting up to eight deep), bodies follow a
//! long-tailed length distribution with some Markdown, and votes are sparse
//! with a few popular comments. Everything is written through the store's
//! batch methods, level by level, so a reply's parent always exists.

use indicatif::{ProgressBar, ProgressStyle};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rostra_core::{
    markdown, CommentBody, CommentId, CommentStatus, DisplayName, EditToken, NewComment, PageUrl,
    Site, SiteId, Timestamp, VoteValue, VoterKey,
};
use rostra_store::{Store, Vote};
use std::sync::Arc;

const WORDS: &[&str] = &[
    "the",
    "policy",
    "government",
    "people",
    "country",
    "war",
    "article",
    "point",
    "really",
    "think",
    "never",
    "always",
    "Iraq",
    "Iran",
    "US",
    "media",
    "election",
    "truth",
    "because",
    "source",
    "report",
    "agree",
    "disagree",
    "history",
    "power",
    "money",
    "oil",
    "independence",
    "protest",
    "military",
    "would",
    "should",
    "could",
    "again",
    "years",
    "world",
    "new",
    "old",
    "leader",
    "regime",
    "change",
    "influence",
    "interest",
    "security",
    "question",
    "answer",
    "nothing",
    "everything",
    "maybe",
    "clearly",
    "obviously",
    "read",
];

const NAMES: &[&str] = &[
    "Ann", "Boris", "Chen", "Dana", "Emeka", "Fatima", "Georg", "Hana", "Ivan", "Jules", "Kwame",
    "Lena", "Malik", "Nadia", "Oscar", "Priya", "Quentin", "Rosa", "Sami", "Tomasz", "guest",
    "Vera", "Wen", "Yusuf", "Zoe",
];

/// Distinct bodies to draw from, rendered once.
const BODIES: usize = 4096;

fn body(rng: &mut StdRng) -> String {
    // Log-normal-ish length: most comments a sentence or two, some long.
    let target =
        (rng.random::<f64>().powi(3) * 1800.0 + 30.0 + rng.random_range(0.0..60.0)) as usize;
    let mut out = String::with_capacity(target + 16);
    if rng.random_ratio(1, 12) {
        out.push_str("> ");
    }
    while out.len() < target {
        let w = WORDS[rng.random_range(0..WORDS.len())];
        match rng.random_range(0..60) {
            0 => out.push_str(&format!("**{w}**")),
            1 => out.push_str(&format!("*{w}*")),
            2 => out.push_str(&format!("[{w}](https://example.org/{w})")),
            3 => out.push_str(".\n\n"),
            _ => out.push_str(w),
        }
        out.push(' ');
    }
    out.trim().to_owned()
}

/// What to seed.
pub struct SeedPlan {
    /// The site.
    pub site: Arc<Site>,
    /// The base page URL.
    pub url: String,
    /// Comments in all.
    pub comments: u64,
    /// Threads.
    pub threads: u64,
    /// Random seed.
    pub seed: u64,
}

struct Planned {
    parent: Option<usize>,
    depth: u32,
    body: usize,
    name: usize,
    at: i64,
    votes: u32,
}

/// One thread's plan.
struct PlannedThread {
    url: PageUrl,
    title: String,
    comments: Vec<Planned>,
}

/// Comments per batch write: threads are planned, then written together,
/// until a group holds this many (many small threads would otherwise cost
/// several transactions each).
const BATCH: usize = 4000;
/// Most threads in one group (each costs the store a thread lookup).
const GROUP_THREADS: usize = 1000;

/// What every batch is made of.
struct Material<'a> {
    plan: &'a SeedPlan,
    bodies: &'a [(CommentBody, String)],
    names: &'a [DisplayName],
    token: rostra_core::TokenHash,
}

/// Seeds; returns the number of comments written.
pub async fn run(store: Arc<dyn Store>, plan: SeedPlan) -> anyhow::Result<u64> {
    let mut rng = StdRng::seed_from_u64(plan.seed);
    let bodies: Vec<(CommentBody, String)> = (0..BODIES)
        .map(|_| {
            let b = body(&mut rng);
            let html = markdown::render(&b);
            CommentBody::parse(&b, 10_000).map(|b| (b, html))
        })
        .collect::<Result<_, _>>()
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let names: Vec<DisplayName> = NAMES
        .iter()
        .map(|n| DisplayName::parse(n, 64))
        .collect::<Result<_, _>>()
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let threads = plan.threads.max(1);
    let bar = ProgressBar::new(plan.comments);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} seeding [{bar:40}] {human_pos}/{human_len} comments, {per_sec}, eta {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let start = Timestamp::now().0 - 30 * 86_400_000;
    let material = Material {
        plan: &plan,
        bodies: &bodies,
        names: &names,
        token: EditToken::generate().hash(),
    };
    let mut written = 0u64;
    let mut voter_seq = 0u64;
    let mut group: Vec<PlannedThread> = Vec::new();
    let mut in_group = 0usize;
    for t in 0..threads {
        let n = plan.comments / threads + u64::from(t < plan.comments % threads);
        if n == 0 {
            continue;
        }
        let raw_url = if threads == 1 {
            plan.url.clone()
        } else {
            format!("{}/{}", plan.url.trim_end_matches('/'), t + 1)
        };
        let url: PageUrl = plan
            .site
            .page_url(&raw_url, 2048)
            .map_err(|e| anyhow::anyhow!("{}: {}", e.field, e.message))?;
        let comments = plan_thread(&mut rng, n as usize, start, names.len());
        in_group += comments.len();
        group.push(PlannedThread {
            url,
            title: format!("Seeded thread {}", t + 1),
            comments,
        });
        if in_group >= BATCH || group.len() >= GROUP_THREADS {
            written += write_group(&store, &material, &group, &mut rng, &mut voter_seq).await?;
            bar.set_position(written);
            group.clear();
            in_group = 0;
        }
    }
    written += write_group(&store, &material, &group, &mut rng, &mut voter_seq).await?;
    bar.set_position(written);
    bar.finish();
    Ok(written)
}

/// Plans one thread's shape: who replies to whom, bodies, authors, votes.
fn plan_thread(rng: &mut StdRng, n: usize, start: i64, names: usize) -> Vec<Planned> {
    let mut planned: Vec<Planned> = Vec::with_capacity(n);
    for i in 0..n {
        let parent = if i > 0 && rng.random_ratio(2, 5) {
            let back = (rng.random::<f64>().powi(2) * 50.0) as usize + 1;
            let p = i.saturating_sub(back);
            (planned[p].depth < 8).then_some(p)
        } else {
            None
        };
        let depth = parent.map_or(0, |p| planned[p].depth + 1);
        let votes = match rng.random_range(0..100) {
            0..=69 => 0,
            70..=89 => rng.random_range(1..4),
            90..=98 => rng.random_range(4..20),
            _ => rng.random_range(20..80),
        };
        planned.push(Planned {
            parent,
            depth,
            body: rng.random_range(0..BODIES),
            name: rng.random_range(0..names),
            at: start + (i as i64) * 20_000 + rng.random_range(0..10_000),
            votes,
        });
    }
    planned
}

/// Writes a group of threads level by level (so a reply's parent is always
/// stored before it), in batches of up to [`BATCH`] comments across the
/// group's threads, each followed by its votes; returns how many comments.
async fn write_group(
    store: &Arc<dyn Store>,
    m: &Material<'_>,
    group: &[PlannedThread],
    rng: &mut StdRng,
    voter_seq: &mut u64,
) -> anyhow::Result<u64> {
    let mut ids: Vec<Vec<Option<CommentId>>> =
        group.iter().map(|t| vec![None; t.comments.len()]).collect();
    let max_depth = group
        .iter()
        .flat_map(|t| t.comments.iter().map(|p| p.depth))
        .max()
        .unwrap_or(0);
    let mut written = 0u64;
    for depth in 0..=max_depth {
        let level: Vec<(usize, usize)> = group
            .iter()
            .enumerate()
            .flat_map(|(t, thread)| {
                thread
                    .comments
                    .iter()
                    .enumerate()
                    .filter(move |(_, p)| p.depth == depth)
                    .map(move |(i, _)| (t, i))
            })
            .collect();
        for chunk in level.chunks(BATCH) {
            let batch: Vec<NewComment> = chunk
                .iter()
                .map(|&(t, i)| {
                    let thread = &group[t];
                    let p = &thread.comments[i];
                    let (body, html) = m.bodies[p.body].clone();
                    NewComment {
                        site_id: m.plan.site.id.clone(),
                        url: thread.url.clone(),
                        title: Some(thread.title.clone()),
                        parent_id: p.parent.and_then(|pi| ids[t][pi]),
                        author_name: m.names[p.name].clone(),
                        author_email: None,
                        author_website: None,
                        body,
                        body_html: html,
                        status: CommentStatus::Approved,
                        created_at: Timestamp(p.at),
                        edit_token_hash: m.token,
                        ip_hash: None,
                        max_depth: 100,
                        assessment: None,
                    }
                })
                .collect();
            let got = store.insert_batch(batch).await?;
            let mut votes = Vec::new();
            for (&(t, i), id) in chunk.iter().zip(got) {
                ids[t][i] = Some(id);
                let p = &group[t].comments[i];
                for _ in 0..p.votes {
                    *voter_seq += 1;
                    let value = if rng.random_ratio(3, 4) {
                        VoteValue::Up
                    } else {
                        VoteValue::Down
                    };
                    votes.push(Vote {
                        site_id: m.plan.site.id.clone(),
                        comment_id: id,
                        voter: VoterKey::from_stored(format!("seed:{voter_seq}")),
                        value,
                        at: Timestamp(p.at + 60_000),
                    });
                }
            }
            store.vote_batch(votes).await?;
            written += chunk.len() as u64;
        }
    }
    Ok(written)
}

/// The site to seed, created (accepting any origin) if missing.
pub async fn site(service: &rostra_service::Service, id: &str) -> anyhow::Result<Arc<Site>> {
    let id = SiteId::parse(id).map_err(|e| anyhow::anyhow!(e.message))?;
    Ok(service
        .sites()
        .ensure(
            id.clone(),
            id.to_string(),
            Vec::new(),
            rostra_core::SiteSettings::default(),
        )
        .await?)
}
