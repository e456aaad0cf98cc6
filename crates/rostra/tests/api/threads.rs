//! Reading threads: canonical URLs, sorts, caching, counts.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn a_page_without_comments_is_an_empty_thread() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let page = app.thread_json("/nothing-yet", &[]).await;
    insta::with_settings!({ prepend_module_to_snapshot => false }, {
        insta::assert_json_snapshot!("api__threads__empty_thread", page, { ".thread.url" => "[url]" });
    });
}

#[tokio::test]
async fn one_article_one_thread_whatever_its_address() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let port = app.addr.port();
    for url in [
        format!("http://127.0.0.1:{port}/story?id=7"),
        format!("HTTP://127.0.0.1:{port}/story?utm_source=tw&id=7#comments"),
        format!("http://127.0.0.1:{port}/a/../story?id=7&fbclid=xyz"),
    ] {
        let r = app
            .client
            .post(app.api("/comments"))
            .json(&json!({"url": url, "author": {"name": "Ann"}, "body": "same thread"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let page = app.thread_json("/story?id=7&utm_medium=x", &[]).await;
    assert_eq!(page["thread"]["count"], 3);
    assert_eq!(
        page["thread"]["url"],
        format!("http://127.0.0.1:{port}/story?id=7")
    );
}

#[tokio::test]
async fn pages_of_other_origins_are_refused() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let r = app
        .client
        .post(app.api("/comments"))
        .json(
            &json!({"url": "https://elsewhere.example/a", "author": {"name": "Ann"}, "body": "x"}),
        )
        .send()
        .await
        .unwrap();
    let v = assert_error(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("url"),
    )
    .await;
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("allowed origins"),
        "{v}"
    );
}

#[tokio::test]
async fn sorts_order_top_level_comments() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let (a, _) = app.comment("/s", None, "a").await;
    let (b, _) = app.comment("/s", None, "b").await;
    let (c, _) = app.comment("/s", None, "c").await;
    let (d, _) = app.comment("/s", None, "d").await;
    // b: +2; c: +1 of 1; d: +3 -2.
    for (id, voter, v) in [
        (b, "voter-aaaaaaaaaaaaaaaa1", 1),
        (b, "voter-aaaaaaaaaaaaaaaa2", 1),
        (c, "voter-aaaaaaaaaaaaaaaa1", 1),
    ] {
        assert_eq!(app.vote(id, voter, v).await.status(), StatusCode::OK);
    }
    for (i, v) in [1, 1, 1, -1, -1].iter().enumerate() {
        assert_eq!(
            app.vote(d, &format!("voter-dddddddddddddddd{i}"), *v)
                .await
                .status(),
            StatusCode::OK
        );
    }
    let order = |sort: &'static str| {
        let app = &app;
        async move { top_ids(&app.thread_json("/s", &[("sort", sort)]).await) }
    };
    assert_eq!(order("oldest").await, vec![a, b, c, d]);
    assert_eq!(order("newest").await, vec![d, c, b, a]);
    // votes: b (2), then c and d (1 each, older first), then a.
    assert_eq!(order("votes").await, vec![b, c, d, a]);
    // best (Wilson lower bound): b (2 of 2: 0.342) > d (3 of 5: 0.231) > c (1 of 1: 0.207) > a (none):
    // more evidence beats a perfect but tiny record.
    assert_eq!(order("best").await, vec![b, d, c, a]);
    let page = app.thread_json("/s", &[("sort", "votes")]).await;
    assert_eq!(page["sort"], "votes");
    assert_eq!(page["comments"][0]["upvotes"], 2);
}

#[tokio::test]
async fn next_and_prev_walk_the_pages() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let mut ids = Vec::new();
    for i in 0..7 {
        ids.push(app.comment("/pg", None, &format!("c{i}")).await.0);
    }
    let first = app.thread_json("/pg", &[("limit", "3")]).await;
    assert_eq!(top_ids(&first), ids[0..3]);
    assert!(first["prev"].is_null());
    let next = first["next"].as_str().unwrap();
    let second = app
        .thread_json("/pg", &[("limit", "3"), ("after", next)])
        .await;
    assert_eq!(top_ids(&second), ids[3..6]);
    let third = app
        .thread_json(
            "/pg",
            &[("limit", "3"), ("after", second["next"].as_str().unwrap())],
        )
        .await;
    assert_eq!(top_ids(&third), ids[6..7]);
    assert!(third["next"].is_null());
    let back = app
        .thread_json(
            "/pg",
            &[("limit", "3"), ("before", second["prev"].as_str().unwrap())],
        )
        .await;
    assert_eq!(top_ids(&back), ids[0..3]);
    assert!(back["prev"].is_null());
}

#[tokio::test]
async fn pages_are_cached_and_never_stale() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    app.comment("/c", None, "one").await;
    let r = app.thread("/c", &[]).await;
    let etag = r.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(r.headers()["cache-control"], "no-cache");
    let again = app
        .client
        .get(app.api("/thread"))
        .query(&[("url", app.page("/c"))])
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    // A write invalidates: the next read shows it, with a new ETag.
    let (id, _) = app.comment("/c", None, "two").await;
    let r = app
        .client
        .get(app.api("/thread"))
        .query(&[("url", app.page("/c"))])
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_ne!(r.headers()["etag"].to_str().unwrap(), etag);
    let page: Value = r.json().await.unwrap();
    assert_eq!(top_ids(&page).last(), Some(&id));
    // So does a vote.
    assert_eq!(
        app.vote(id, "voter-cccccccccccccccc", 1).await.status(),
        StatusCode::OK
    );
    let page = app.thread_json("/c", &[]).await;
    assert_eq!(page["comments"][1]["upvotes"], 1);
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("rostra_page_cache_hits_total"),
        "{metrics}"
    );
}

#[tokio::test]
async fn counts_for_many_pages_in_one_request() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    app.comment("/one", None, "x").await;
    app.comment("/two", None, "x").await;
    app.comment("/two", None, "y").await;
    let urls = [
        app.page("/one"),
        app.page("/two?utm_source=x"),
        app.page("/none"),
    ];
    let r = app
        .client
        .get(app.api("/counts"))
        .query(&urls.iter().map(|u| ("url", u)).collect::<Vec<_>>())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["counts"][&urls[0]], 1);
    assert_eq!(
        v["counts"][&urls[1]], 2,
        "keyed by the URL as asked, counted by the canonical one"
    );
    assert_eq!(v["counts"][&urls[2]], 0);
    let r = app
        .client
        .post(app.api("/counts"))
        .json(&json!({"urls": urls}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.json::<Value>().await.unwrap(), v);
    // The count follows writes.
    app.comment("/one", None, "z").await;
    let r = app
        .client
        .post(app.api("/counts"))
        .json(&json!({"urls": [urls[0].clone()]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.json::<Value>().await.unwrap()["counts"][&urls[0]], 2);
}

#[tokio::test]
async fn counts_are_bounded_and_checked() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let many: Vec<String> = (0..101).map(|i| app.page(&format!("/p{i}"))).collect();
    let r = app
        .client
        .post(app.api("/counts"))
        .json(&json!({"urls": many}))
        .send()
        .await
        .unwrap();
    assert_error(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("url"),
    )
    .await;
    let hundred: Vec<String> = many[..100].to_vec();
    let r = app
        .client
        .post(app.api("/counts"))
        .json(&json!({"urls": hundred}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = app
        .client
        .post(app.api("/counts"))
        .json(&json!({"urls": [app.page("/ok"), "not a url"]}))
        .send()
        .await
        .unwrap();
    assert_error(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("url[1]"),
    )
    .await;
}

#[tokio::test]
async fn a_cached_page_follows_the_site_settings() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let mut parent = None;
    for i in 0..5 {
        parent = Some(app.comment("/deep", parent, &format!("depth {i}")).await.0);
    }
    let depth_of_nesting = |page: &Value| {
        let mut depth = 0;
        let mut node = &page["comments"][0];
        while let Some(next) = node["replies"].as_array().and_then(|r| r.first()) {
            depth += 1;
            node = next;
        }
        depth
    };
    assert_eq!(depth_of_nesting(&app.thread_json("/deep", &[]).await), 4);
    let sites = app.state.service.sites();
    let mut site = (*sites
        .get(&rostra_core::SiteId::parse("demo").unwrap())
        .await
        .unwrap())
    .clone();
    site.settings.display_depth = 2;
    sites.update(site).await.unwrap();
    assert_eq!(
        depth_of_nesting(&app.thread_json("/deep", &[]).await),
        3,
        "depths 3 and 4 now hang under the depth-2 reply; the cached page was not reused"
    );
}
