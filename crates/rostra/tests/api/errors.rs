//! Every bad request gets a clear JSON error with the right status.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn malformed_bodies() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let post = |body: &'static str, ct: &'static str| {
        let app = &app;
        async move {
            app.client
                .post(app.api("/comments"))
                .header("content-type", ct)
                .body(body)
                .send()
                .await
                .unwrap()
        }
    };
    assert_error(
        post("{\"url\":", "application/json").await,
        StatusCode::BAD_REQUEST,
        "malformed_json",
        None,
    )
    .await;
    assert_error(
        post("url=x", "application/x-www-form-urlencoded").await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        None,
    )
    .await;
    assert_error(
        post("[]", "application/json").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        None,
    )
    .await;
    let r = post(r#"{"url":"http://x/","body":"b"}"#, "application/json").await;
    assert_error(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("author"),
    )
    .await;
    let r = post(
        r#"{"url":"http://x/","author":{},"body":"b"}"#,
        "application/json",
    )
    .await;
    assert_error(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("author.name"),
    )
    .await;
    let r = post(
        r#"{"url":"http://x/","author":{"name":7},"body":"b"}"#,
        "application/json",
    )
    .await;
    assert_error(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("author.name"),
    )
    .await;
}

#[tokio::test]
async fn every_field_is_checked() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let page = app.page("/f");
    let cases = [
        (
            json!({"url": page, "author": {"name": "  "}, "body": "b"}),
            "author.name",
        ),
        (
            json!({"url": page, "author": {"name": "x".repeat(65)}, "body": "b"}),
            "author.name",
        ),
        (
            json!({"url": page, "author": {"name": "Ann", "email": "not-an-email"}, "body": "b"}),
            "author.email",
        ),
        (
            json!({"url": page, "author": {"name": "Ann", "website": "javascript:alert(1)"}, "body": "b"}),
            "author.website",
        ),
        (
            json!({"url": page, "author": {"name": "Ann"}, "body": "   "}),
            "body",
        ),
        (
            json!({"url": page, "author": {"name": "Ann"}, "body": "x".repeat(10_001)}),
            "body",
        ),
        (
            json!({"url": "ftp://127.0.0.1/x", "author": {"name": "Ann"}, "body": "b"}),
            "url",
        ),
        (
            json!({"url": "", "author": {"name": "Ann"}, "body": "b"}),
            "url",
        ),
        (
            json!({"url": page, "title": "t".repeat(301), "author": {"name": "Ann"}, "body": "b"}),
            "title",
        ),
        (
            json!({"url": page, "parent": -1, "author": {"name": "Ann"}, "body": "b"}),
            "parent",
        ),
    ];
    for (body, field) in cases {
        let r = app
            .client
            .post(app.api("/comments"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_error(
            r,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
            Some(field),
        )
        .await;
    }
    // Nothing was written.
    assert!(top_ids(&app.thread_json("/f", &[]).await).is_empty());
}

#[tokio::test]
async fn oversized_bodies_are_413() {
    let Some(app) = TestApp::spawn_with(|c| c.limits.body_bytes = 1024).await else {
        return;
    };
    let r = app
        .client
        .post(app.api("/comments"))
        .json(
            &json!({"url": app.page("/big"), "author": {"name": "Ann"}, "body": "x".repeat(2000)}),
        )
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", None).await;
}

#[tokio::test]
async fn unknown_things_are_404_and_wrong_methods_405() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let r = app
        .client
        .get(app.url("/api/v1/sites/nope/thread"))
        .query(&[("url", app.page("/x"))])
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::NOT_FOUND, "not_found", None).await;
    let r = app
        .client
        .get(app.url("/api/v1/sites/NOT%20A%20SITE/thread"))
        .query(&[("url", app.page("/x"))])
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::NOT_FOUND, "not_found", None).await;
    assert_error(
        app.client
            .get(app.url("/no/such/thing"))
            .send()
            .await
            .unwrap(),
        StatusCode::NOT_FOUND,
        "not_found",
        None,
    )
    .await;
    assert_error(
        app.client
            .get(app.api("/comments/12345"))
            .send()
            .await
            .unwrap(),
        StatusCode::NOT_FOUND,
        "not_found",
        None,
    )
    .await;
    let r = app.client.put(app.api("/comments")).send().await.unwrap();
    assert_error(
        r,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        None,
    )
    .await;
    let r = app
        .client
        .get(app.api("/comments/abc"))
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::BAD_REQUEST, "invalid_path", None).await;
}

#[tokio::test]
async fn thread_queries_are_checked() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let (id, _) = app.comment("/q", None, "x").await;
    assert_error(
        app.client.get(app.api("/thread")).send().await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("url"),
    )
    .await;
    for (query, field) in [
        (vec![("sort", "loudest")], "sort"),
        (vec![("limit", "0")], "limit"),
        (vec![("limit", "101")], "limit"),
        (vec![("limit", "ten")], "limit"),
        (vec![("after", "garbage!")], "after"),
        (vec![("before", "Zm9v")], "before"),
        (vec![("after", "x"), ("before", "y")], "after"),
        (vec![("around", "x")], "around"),
    ] {
        assert_error(
            app.thread("/q", &query).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
            Some(field),
        )
        .await;
    }
    // A cursor from one order is refused by another.
    let page = app.thread_json("/q", &[("limit", "1")]).await;
    assert!(page["next"].is_null());
    app.comment("/q", None, "y").await;
    let page = app.thread_json("/q", &[("limit", "1")]).await;
    let cursor = page["next"].as_str().unwrap();
    let r = app
        .thread(
            "/q",
            &[("limit", "1"), ("sort", "newest"), ("after", cursor)],
        )
        .await;
    assert_error(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("after"),
    )
    .await;
    assert_error(
        app.thread("/q", &[("around", "999999")]).await,
        StatusCode::NOT_FOUND,
        "not_found",
        None,
    )
    .await;
    assert_eq!(
        app.thread("/q", &[("around", &id.to_string())])
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn posting_is_rate_limited_per_address() {
    let Some(app) = TestApp::spawn_with(|c| {
        c.rate.writes_per_minute = 3;
        c.rate.write_burst = 3;
    })
    .await
    else {
        return;
    };
    for i in 0..3 {
        assert_eq!(
            app.post_comment("/r", None, "Ann", &format!("c{i}"))
                .await
                .status(),
            StatusCode::CREATED
        );
    }
    let r = app.post_comment("/r", None, "Ann", "one too many").await;
    assert!(r.headers().contains_key("retry-after"));
    assert_error(r, StatusCode::TOO_MANY_REQUESTS, "rate_limited", None).await;
    assert_eq!(app.thread_json("/r", &[]).await["thread"]["count"], 3);
}

#[tokio::test]
async fn browsers_write_only_from_allowed_origins() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let own = app.page("");
    let body = json!({"url": app.page("/o"), "author": {"name": "Ann"}, "body": "x"});
    let r = app
        .client
        .post(app.api("/comments"))
        .header("origin", "https://evil.example")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::FORBIDDEN, "origin_not_allowed", None).await;
    let r = app
        .client
        .post(app.api("/comments"))
        .header("origin", &own)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(r.headers()["access-control-allow-origin"], own.as_str());
    // Preflight.
    let pre = app
        .client
        .request(reqwest::Method::OPTIONS, app.api("/comments"))
        .header("origin", &own)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap();
    assert_eq!(pre.status(), StatusCode::NO_CONTENT);
    assert!(pre.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("POST"));
    let pre = app
        .client
        .request(reqwest::Method::OPTIONS, app.api("/comments"))
        .header("origin", "https://evil.example")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(pre.status(), StatusCode::FORBIDDEN);
    // Reads from elsewhere are answered without CORS headers: the browser hides them.
    let r = app
        .client
        .get(app.api("/thread"))
        .query(&[("url", app.page("/o"))])
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(!r.headers().contains_key("access-control-allow-origin"));
}
