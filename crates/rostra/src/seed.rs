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
    let token = EditToken::generate().hash();
    let mut written = 0u64;
    let mut voter_seq = 0u64;
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
        // Plan the thread's shape.
        let mut planned: Vec<Planned> = Vec::with_capacity(n as usize);
        for i in 0..n as usize {
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
                name: rng.random_range(0..names.len()),
                at: start + (i as i64) * 20_000 + rng.random_range(0..10_000),
                votes,
            });
        }
        // Write level by level, in batches.
        let mut ids: Vec<Option<CommentId>> = vec![None; planned.len()];
        let max_depth = planned.iter().map(|p| p.depth).max().unwrap_or(0);
        for depth in 0..=max_depth {
            let level: Vec<usize> = (0..planned.len())
                .filter(|&i| planned[i].depth == depth)
                .collect();
            for chunk in level.chunks(4000) {
                let batch: Vec<NewComment> = chunk
                    .iter()
                    .map(|&i| {
                        let p = &planned[i];
                        let (body, html) = bodies[p.body].clone();
                        NewComment {
                            site_id: plan.site.id.clone(),
                            url: url.clone(),
                            title: Some(format!("Seeded thread {}", t + 1)),
                            parent_id: p.parent.and_then(|pi| ids[pi]),
                            author_name: names[p.name].clone(),
                            author_email: None,
                            author_website: None,
                            body,
                            body_html: html,
                            status: CommentStatus::Approved,
                            created_at: Timestamp(p.at),
                            edit_token_hash: token,
                            ip_hash: None,
                            max_depth: 100,
                            assessment: None,
                        }
                    })
                    .collect();
                let got = store.insert_batch(batch).await?;
                let mut votes = Vec::new();
                for (&i, id) in chunk.iter().zip(got) {
                    ids[i] = Some(id);
                    for _ in 0..planned[i].votes {
                        voter_seq += 1;
                        let value = if rng.random_ratio(3, 4) {
                            VoteValue::Up
                        } else {
                            VoteValue::Down
                        };
                        votes.push(Vote {
                            site_id: plan.site.id.clone(),
                            comment_id: id,
                            voter: VoterKey::from_stored(format!("seed:{voter_seq}")),
                            value,
                            at: Timestamp(planned[i].at + 60_000),
                        });
                    }
                }
                store.vote_batch(votes).await?;
                written += chunk.len() as u64;
                bar.set_position(written);
            }
        }
    }
    bar.finish();
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
