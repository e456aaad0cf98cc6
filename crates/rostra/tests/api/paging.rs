//! Keyset paging of threads: every comment exactly once and in the model's
//! order, `prev` retracing `next`, stability under concurrent inserts,
//! permalinks (`around`), and the display depth.

use crate::helpers::*;
use futures::stream::{self, StreamExt};
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestRunner};
use reqwest::{Client, StatusCode};
use rostra_core::{SiteId, Timestamp};
use serde_json::{json, Value};
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

const SORTS: [&str; 4] = ["oldest", "newest", "votes", "best"];

/// The lower bound of the 95% Wilson score interval, as "best" ranks.
fn wilson(up: i64, down: i64) -> f64 {
    let n = (up + down) as f64;
    if n <= 0.0 {
        return 0.0;
    }
    let z = 1.959_963_984_540_054_f64;
    let p = up as f64 / n;
    let z2 = z * z;
    (p + z2 / (2.0 * n) - z * ((p * (1.0 - p) + z2 / (4.0 * n)) / n).sqrt()) / (1.0 + z2 / n)
}

/// A top-level comment's ordering fields, as the API shows them.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Top {
    id: i64,
    created: i64,
    up: i64,
    down: i64,
}

impl Top {
    fn of(c: &Value) -> Self {
        let created = c["created_at"].as_str().unwrap();
        let up = c["upvotes"].as_i64().unwrap();
        let down = c["downvotes"].as_i64().unwrap();
        assert_eq!(c["score"].as_i64().unwrap(), up - down, "{c}");
        assert_eq!(c["depth"], 0, "{c}");
        assert!(c["parent"].is_null(), "{c}");
        Self {
            id: c["id"].as_i64().unwrap(),
            created: Timestamp::parse_rfc3339(created)
                .unwrap_or_else(|| panic!("created_at {created:?} is not RFC 3339"))
                .millis(),
            up,
            down,
        }
    }
}

/// The model: how `sort` orders two top-level comments.
fn model_cmp(sort: &str, a: &Top, b: &Top) -> Ordering {
    match sort {
        "oldest" => (a.created, a.id).cmp(&(b.created, b.id)),
        "newest" => (b.created, b.id).cmp(&(a.created, a.id)),
        "votes" => (b.up - b.down).cmp(&(a.up - a.down)).then(a.id.cmp(&b.id)),
        "best" => wilson(b.up, b.down)
            .total_cmp(&wilson(a.up, a.down))
            .then(a.id.cmp(&b.id)),
        _ => unreachable!("{sort}"),
    }
}

fn tops(page: &Value) -> Vec<Top> {
    page["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(Top::of)
        .collect()
}

/// Every reply under `node`, anywhere in its tree; checks that each nested
/// reply (none is flattened at these depths) hangs under its own parent.
fn reply_ids(node: &Value, out: &mut Vec<i64>) {
    for r in node["replies"].as_array().unwrap() {
        assert_eq!(r["parent"], node["id"], "{r}");
        assert!(r["reply_to"].is_null(), "{r}");
        out.push(r["id"].as_i64().unwrap());
        reply_ids(r, out);
    }
}

fn cursor(page: &Value, which: &str) -> Option<String> {
    match &page[which] {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => panic!("{which} is {other}"),
    }
}

/// Pages through a thread from the start along `next`; checks what every page
/// says about its neighbours.
async fn walk_next(app: &TestApp, path: &str, sort: &str, limit: u32, expect: usize) -> Vec<Value> {
    let limit_s = limit.to_string();
    let mut pages = vec![
        app.thread_json(path, &[("sort", sort), ("limit", &limit_s)])
            .await,
    ];
    assert!(
        pages[0]["prev"].is_null(),
        "the first page has no prev: {}",
        pages[0]
    );
    while let Some(next) = cursor(pages.last().unwrap(), "next") {
        assert!(
            pages.len() <= expect,
            "more pages than comments ({sort}, limit {limit})"
        );
        let page = app
            .thread_json(
                path,
                &[("sort", sort), ("limit", &limit_s), ("after", &next)],
            )
            .await;
        assert!(page["prev"].is_string(), "a later page has a prev: {page}");
        pages.push(page);
    }
    for (i, p) in pages.iter().enumerate() {
        assert_eq!(p["sort"], sort);
        let n = p["comments"].as_array().unwrap().len();
        if i + 1 < pages.len() {
            assert_eq!(
                n, limit as usize,
                "only the last page may be short ({sort}, page {i})"
            );
        } else {
            assert!(n >= 1 || expect == 0, "no empty last page ({sort}): {p}");
            assert!(n <= limit as usize);
        }
    }
    pages
}

/// From `last` back to the first page along `prev`.
async fn walk_prev(
    app: &TestApp,
    path: &str,
    sort: &str,
    limit: u32,
    last: &Value,
    most: usize,
) -> Vec<Value> {
    let limit_s = limit.to_string();
    let mut pages = vec![last.clone()];
    while let Some(prev) = cursor(pages.last().unwrap(), "prev") {
        assert!(
            pages.len() <= most,
            "prev goes on for ever ({sort}, limit {limit})"
        );
        let page = app
            .thread_json(
                path,
                &[("sort", sort), ("limit", &limit_s), ("before", &prev)],
            )
            .await;
        assert!(
            page["next"].is_string(),
            "a page before another has a next: {page}"
        );
        pages.push(page);
    }
    pages
}

/// One generated thread: per top-level comment, its replies (each a choice of
/// parent among the root and the replies before it), its up- and down-votes.
type Shape = Vec<(Vec<u8>, i64, i64)>;

async fn check_case(app: &TestApp, case: usize, shape: &Shape, limits: [u32; 4]) {
    let path = format!("/paging/model/{case}");
    let voter = |id: i64, k: usize| format!("pv{case:04}x{id:08}x{k:03}");
    // Top-level comments, some at once (ties in created_at are welcome).
    let mut roots: Vec<(usize, i64)> = stream::iter(0..shape.len())
        .map(|i| {
            let path = &path;
            async move { (i, app.comment(path, None, &format!("top {i}")).await.0) }
        })
        .buffer_unordered(6)
        .collect()
        .await;
    roots.sort_unstable();
    let root_ids: Vec<i64> = roots.iter().map(|r| r.1).collect();
    // Replies: sequential under each root (a parent must exist first).
    let replies: Vec<Vec<i64>> = stream::iter(shape.iter().zip(&root_ids))
        .map(|((choices, _, _), &root)| {
            let path = &path;
            async move {
                let mut ids: Vec<i64> = Vec::new();
                for (k, c) in choices.iter().enumerate() {
                    let parent = match usize::from(*c) % (ids.len() + 1) {
                        0 => root,
                        j => ids[j - 1],
                    };
                    ids.push(
                        app.comment(path, Some(parent), &format!("reply {root}.{k}"))
                            .await
                            .0,
                    );
                }
                ids
            }
        })
        .buffered(6)
        .collect()
        .await;
    // Votes, each from its own voter.
    let votes: Vec<(i64, usize, i64)> = shape
        .iter()
        .zip(&root_ids)
        .flat_map(|((_, up, down), &id)| {
            let ups = (0..*up as usize).map(move |k| (id, k, 1));
            let downs = (0..*down as usize).map(move |k| (id, 100 + k, -1));
            ups.chain(downs)
        })
        .collect();
    stream::iter(votes)
        .for_each_concurrent(8, |(id, k, value)| async move {
            let r = app.vote(id, &voter(id, k), value).await;
            assert_eq!(r.status(), StatusCode::OK, "vote on {id}");
        })
        .await;

    let n = shape.len();
    let expected: HashMap<i64, (i64, i64, HashSet<i64>)> = shape
        .iter()
        .zip(&root_ids)
        .zip(&replies)
        .map(|(((_, up, down), &id), r)| (id, (*up, *down, r.iter().copied().collect())))
        .collect();
    let all_replies: usize = replies.iter().map(Vec::len).sum();

    for (sort, limit) in SORTS.iter().zip(limits) {
        let ctx = format!("case {case}: {n} comments, sort {sort}, limit {limit}");
        let pages = walk_next(app, &path, sort, limit, n).await;
        assert_eq!(pages.len(), n.div_ceil(limit as usize).max(1), "{ctx}");
        for p in &pages {
            assert_eq!(
                p["thread"]["count"].as_i64().unwrap(),
                (n + all_replies) as i64,
                "{ctx}"
            );
        }
        let seen: Vec<Top> = pages.iter().flat_map(tops).collect();
        let ids: Vec<i64> = seen.iter().map(|t| t.id).collect();
        let unique: HashSet<i64> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len(), "{ctx}: a comment repeats: {ids:?}");
        assert_eq!(
            unique,
            root_ids.iter().copied().collect(),
            "{ctx}: skipped or foreign comments"
        );
        // The fields the model orders by are the ones written.
        for page in &pages {
            for c in page["comments"].as_array().unwrap() {
                let t = Top::of(c);
                let (up, down, want_replies) = &expected[&t.id];
                assert_eq!((t.up, t.down), (*up, *down), "{ctx}: votes on {}", t.id);
                let mut got = Vec::new();
                reply_ids(c, &mut got);
                assert_eq!(got.len(), want_replies.len(), "{ctx}: replies of {}", t.id);
                assert_eq!(
                    &got.into_iter().collect::<HashSet<_>>(),
                    want_replies,
                    "{ctx}"
                );
            }
        }
        let mut model = seen.clone();
        model.sort_by(|a, b| model_cmp(sort, a, b));
        assert_eq!(
            ids,
            model.iter().map(|t| t.id).collect::<Vec<_>>(),
            "{ctx}: order differs from the model"
        );

        // `prev` from the last page retraces the same pages backwards.
        let back = walk_prev(app, &path, sort, limit, pages.last().unwrap(), pages.len()).await;
        let forward: Vec<Vec<i64>> = pages.iter().map(top_ids).collect();
        let mut backward: Vec<Vec<i64>> = back.iter().map(top_ids).collect();
        backward.reverse();
        assert_eq!(backward, forward, "{ctx}: prev does not retrace next");
    }
}

#[test]
fn pages_hold_every_comment_once_in_model_order() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let Some(app) = rt.block_on(TestApp::spawn()) else {
        return;
    };
    let config = ProptestConfig {
        cases: 8,
        max_shrink_iters: 32,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    let strategy = (
        prop::collection::vec(
            (prop::collection::vec(any::<u8>(), 0..4), 0i64..4, 0i64..3),
            0..40,
        ),
        prop::array::uniform4(1u32..7),
    );
    // The edges first: an empty thread, and pages that divide it exactly.
    let twelve: Shape = (0..12)
        .map(|i| {
            (
                vec![i; (i % 3) as usize],
                i64::from(i % 4),
                i64::from(i % 3),
            )
        })
        .collect();
    rt.block_on(check_case(&app, 1000, &Vec::new(), [1, 2, 3, 6]));
    rt.block_on(check_case(&app, 1001, &twelve, [1, 3, 4, 6]));
    let cases = AtomicUsize::new(0);
    TestRunner::new(config)
        .run(&strategy, |(shape, limits)| {
            let case = cases.fetch_add(1, AtomicOrdering::SeqCst);
            rt.block_on(check_case(&app, case, &shape, limits));
            Ok(())
        })
        .unwrap();
    assert!(cases.load(AtomicOrdering::SeqCst) >= 8);
    rt.block_on(app.stop());
}

/// Posts a top-level comment; its id.
async fn post(client: &Client, url: &str, page: &str, body: &str) -> i64 {
    let r = client
        .post(url)
        .json(&json!({"url": page, "author": {"name": "Inserter"}, "body": body}))
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["comment"]["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn paging_is_stable_under_concurrent_inserts() {
    const BEFORE: usize = 60;
    const LIMIT: &str = "5";
    const INSERTERS: usize = 3;
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    for sort in ["oldest", "newest"] {
        let path = format!("/paging/live/{sort}");
        let before: HashSet<i64> = stream::iter(0..BEFORE)
            .map(|i| {
                let path = &path;
                let app = &app;
                async move { app.comment(path, None, &format!("before {i}")).await.0 }
            })
            .buffer_unordered(8)
            .collect()
            .await;
        assert_eq!(before.len(), BEFORE);

        // Inserters post as fast as the pager hands out permits: two per page
        // read, so comments keep landing while it pages (and it still ends).
        let permits = Arc::new(Semaphore::new(0));
        let inserted = Arc::new(AtomicUsize::new(0));
        let inserters: Vec<_> = (0..INSERTERS)
            .map(|t| {
                let (permits, inserted) = (permits.clone(), inserted.clone());
                let (client, url, page) =
                    (app.client.clone(), app.api("/comments"), app.page(&path));
                tokio::spawn(async move {
                    let mut ids = Vec::new();
                    while let Ok(permit) = permits.acquire().await {
                        permit.forget();
                        ids.push(
                            post(&client, &url, &page, &format!("during {t}-{}", ids.len())).await,
                        );
                        inserted.fetch_add(1, AtomicOrdering::SeqCst);
                    }
                    ids
                })
            })
            .collect();

        let mut seen: Vec<Top> = Vec::new();
        let mut after: Option<String> = None;
        let mut pages = 0;
        let mut interleaved = 0;
        loop {
            let mut q = vec![("sort", sort), ("limit", LIMIT)];
            if let Some(a) = &after {
                q.push(("after", a));
            }
            let at_read = inserted.load(AtomicOrdering::SeqCst);
            let page = app.thread_json(&path, &q).await;
            pages += 1;
            assert!(pages <= 200, "paging does not end under inserts ({sort})");
            seen.extend(tops(&page));
            let Some(next) = cursor(&page, "next") else {
                break;
            };
            after = Some(next);
            // Let two more comments in, and read on only once one has landed.
            permits.add_permits(2);
            let deadline = Instant::now() + Duration::from_secs(10);
            while inserted.load(AtomicOrdering::SeqCst) <= at_read {
                assert!(Instant::now() < deadline, "inserters stalled");
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            interleaved += 1;
        }
        permits.close();
        let mut during = HashSet::new();
        for t in inserters {
            during.extend(
                tokio::time::timeout(Duration::from_secs(15), t)
                    .await
                    .unwrap()
                    .unwrap(),
            );
        }
        assert!(
            interleaved >= BEFORE / 5 - 1,
            "{interleaved} pages read between inserts ({sort})"
        );
        assert!(
            during.len() >= interleaved,
            "{} inserted while paging ({sort})",
            during.len()
        );

        let ids: Vec<i64> = seen.iter().map(|t| t.id).collect();
        let unique: HashSet<i64> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len(), "an id repeats ({sort}): {ids:?}");
        let missing: Vec<&i64> = before.iter().filter(|id| !unique.contains(id)).collect();
        assert!(
            missing.is_empty(),
            "comments from before paging skipped ({sort}): {missing:?}"
        );
        assert!(
            unique
                .iter()
                .all(|id| before.contains(id) || during.contains(id)),
            "foreign ids ({sort})"
        );
        for w in seen.windows(2) {
            assert_eq!(
                model_cmp(sort, &w[0], &w[1]),
                Ordering::Less,
                "out of order ({sort}): {w:?}"
            );
        }
        // Keyset paging: comments written meanwhile land after the cursor in
        // oldest order (so the reader reaches them), before it in newest order
        // (so they never push old ones into a repeat).
        let new_seen = unique.intersection(&during).count();
        match sort {
            "oldest" => assert!(new_seen > 0, "the oldest-first reader reaches new comments"),
            _ => assert_eq!(
                new_seen, 0,
                "new comments show up behind a newest-first reader"
            ),
        }

        // Once the writes stop, one walk sees all of them exactly once.
        let total = BEFORE + during.len();
        let pages = walk_next(&app, &path, sort, 5, total).await;
        let all: Vec<i64> = pages.iter().flat_map(top_ids).collect();
        assert_eq!(all.len(), total, "({sort})");
        assert_eq!(
            all.iter().copied().collect::<HashSet<_>>(),
            &before | &during,
            "({sort})"
        );
    }
    app.stop().await;
}

/// Where `id` is in the tree under `node`: the ids on the way down.
fn path_to(node: &Value, id: i64) -> Option<Vec<i64>> {
    if node["id"] == id {
        return Some(vec![id]);
    }
    node["replies"].as_array().unwrap().iter().find_map(|r| {
        path_to(r, id).map(|mut p| {
            p.insert(0, node["id"].as_i64().unwrap());
            p
        })
    })
}

/// A page of three in `sort`, with one paging parameter.
async fn at(app: &TestApp, path: &str, sort: &str, key: &str, value: &str) -> Value {
    app.thread_json(path, &[("sort", sort), ("limit", "3"), (key, value)])
        .await
}

#[tokio::test]
async fn around_opens_the_page_of_a_permalink() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let path = "/paging/permalink";
    let mut t = Vec::new();
    for i in 0..12 {
        t.push(app.comment(path, None, &format!("top {i}")).await.0);
    }
    let (a, _) = app.comment(path, Some(t[7]), "reply to 7").await;
    let (b, _) = app.comment(path, Some(a), "reply to the reply").await;
    let (c, _) = app.comment(path, Some(t[3]), "reply to 3").await;
    let page = |ids: &[usize]| ids.iter().map(|&i| t[i]).collect::<Vec<_>>();

    // The page opens on the reply's root; the reply sits in its tree.
    let p = at(&app, path, "oldest", "around", &b.to_string()).await;
    assert_eq!(top_ids(&p), page(&[7, 8, 9]), "{p}");
    assert_eq!(path_to(&p["comments"][0], b), Some(vec![t[7], a, b]));
    let prev = cursor(&p, "prev").expect("comments come before the permalink's page");
    let next = cursor(&p, "next").expect("and after it");
    let p6 = at(&app, path, "oldest", "before", &prev).await;
    assert_eq!(top_ids(&p6), page(&[4, 5, 6]));
    let p3 = at(
        &app,
        path,
        "oldest",
        "before",
        &cursor(&p6, "prev").unwrap(),
    )
    .await;
    assert_eq!(top_ids(&p3), page(&[1, 2, 3]));
    assert_eq!(path_to(&p3["comments"][2], c), Some(vec![t[3], c]));
    let p0 = at(
        &app,
        path,
        "oldest",
        "before",
        &cursor(&p3, "prev").unwrap(),
    )
    .await;
    assert_eq!(top_ids(&p0), page(&[0]));
    assert!(p0["prev"].is_null(), "{p0}");
    let p10 = at(&app, path, "oldest", "after", &next).await;
    assert_eq!(top_ids(&p10), page(&[10, 11]));
    assert!(p10["next"].is_null());

    // A top-level permalink opens on itself; the first one has no prev.
    let p = at(&app, path, "oldest", "around", &t[7].to_string()).await;
    assert_eq!(top_ids(&p), page(&[7, 8, 9]));
    let p = at(&app, path, "oldest", "around", &t[0].to_string()).await;
    assert_eq!(top_ids(&p), page(&[0, 1, 2]));
    assert!(
        p["prev"].is_null(),
        "nothing comes before the first comment: {p}"
    );
    assert!(p["next"].is_string());
    let p = at(&app, path, "oldest", "around", &t[11].to_string()).await;
    assert_eq!(top_ids(&p), page(&[11]));
    assert!(p["next"].is_null());

    // In another order, the same root starts the page.
    let p = at(&app, path, "newest", "around", &c.to_string()).await;
    assert_eq!(top_ids(&p), page(&[3, 2, 1]));
    let p = at(&app, path, "newest", "before", &cursor(&p, "prev").unwrap()).await;
    assert_eq!(top_ids(&p), page(&[6, 5, 4]));
    for k in 0..2 {
        let r = app.vote(t[5], &format!("permalink-voter-{k:04}"), 1).await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    let p = at(&app, path, "votes", "around", &t[5].to_string()).await;
    assert_eq!(top_ids(&p), page(&[5, 0, 1]));
    assert!(
        p["prev"].is_null(),
        "the most voted comment comes first: {p}"
    );

    // Unknown ids, and ids of other threads, are not found.
    let (elsewhere, _) = app
        .comment("/paging/elsewhere", None, "another thread")
        .await;
    for id in [999_999_999, elsewhere, -1] {
        let r = app.thread(path, &[("around", &id.to_string())]).await;
        assert_error(r, StatusCode::NOT_FOUND, "not_found", None).await;
    }
    let r = app
        .thread("/paging/no-thread-here", &[("around", &t[0].to_string())])
        .await;
    assert_error(r, StatusCode::NOT_FOUND, "not_found", None).await;
}

/// Follows the only reply of each node `steps` times.
fn descend(mut node: &Value, steps: usize) -> &Value {
    for _ in 0..steps {
        let replies = node["replies"].as_array().unwrap();
        assert_eq!(replies.len(), 1, "{node}");
        node = &replies[0];
    }
    node
}

/// Checks a chain shown nested to `depth`, then flattened.
fn assert_chain(page: &Value, chain: &[i64], depth: usize) {
    let root = &page["comments"][0];
    assert_eq!(root["id"], chain[0]);
    for (d, &id) in chain.iter().enumerate().take(depth + 1) {
        let node = descend(root, d);
        assert_eq!(node["id"], id, "nested at depth {d}");
        assert_eq!(node["depth"], d);
        assert!(node["reply_to"].is_null(), "{node}");
    }
    let host = descend(root, depth);
    let flat = host["replies"].as_array().unwrap();
    let want: Vec<i64> = chain[depth + 1..].to_vec();
    assert_eq!(
        flat.iter()
            .map(|r| r["id"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        want,
        "{host}"
    );
    for (k, r) in flat.iter().enumerate() {
        let d = depth + 1 + k;
        assert_eq!(r["depth"], d, "its real depth");
        assert_eq!(r["parent"], chain[d - 1]);
        assert_eq!(r["reply_to"]["id"], chain[d - 1], "{r}");
        assert_eq!(r["reply_to"]["name"], format!("Author {}", d - 1), "{r}");
        assert!(r["replies"].as_array().unwrap().is_empty(), "{r}");
    }
}

#[tokio::test]
async fn replies_beyond_the_display_depth_are_flattened() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let site = app
        .state
        .service
        .sites()
        .get(&SiteId::parse("demo").unwrap())
        .await
        .unwrap();
    assert_eq!(site.settings.display_depth, 4, "the shipped display depth");
    let path = "/paging/deep";
    let mut chain = Vec::new();
    for d in 0..=8 {
        let r = app
            .post_comment(
                path,
                chain.last().copied(),
                &format!("Author {d}"),
                &format!("depth {d}"),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["comment"]["depth"], d);
        chain.push(v["comment"]["id"].as_i64().unwrap());
    }
    let page = app.thread_json(path, &[]).await;
    assert_eq!(page["comments"].as_array().unwrap().len(), 1);
    assert_eq!(page["thread"]["count"], 9);
    assert_chain(&page, &chain, 4);
    // Every sort shows the same tree; a permalink to the deepest reply too.
    for sort in SORTS {
        assert_chain(&app.thread_json(path, &[("sort", sort)]).await, &chain, 4);
    }
    assert_chain(
        &app.thread_json(path, &[("around", &chain[8].to_string())])
            .await,
        &chain,
        4,
    );
}
