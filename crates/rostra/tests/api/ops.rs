//! Health, readiness, metrics, the OpenAPI document, shutdown.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn health_and_readiness() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let r = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "ready");
    assert_eq!(
        r_header(&app, "/healthz", "x-content-type-options")
            .await
            .as_deref(),
        Some("nosniff")
    );
    let _ = app.stop().await;
}

async fn r_header(app: &TestApp, path: &str, name: &str) -> Option<String> {
    let r = app.client.get(app.url(path)).send().await.unwrap();
    r.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

#[tokio::test]
async fn metrics_count_requests_by_route() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    app.comment("/m", None, "x").await;
    app.thread_json("/m", &[]).await;
    let text = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text.contains(r#"rostra_http_requests_total{method="POST",route="/api/v1/sites/{site}/comments",status="201"} 1"#), "{text}");
    assert!(
        text.contains("rostra_http_request_duration_seconds_bucket"),
        "{text}"
    );
    assert!(text.contains("rostra_comments_posted_total 1"), "{text}");
}

#[tokio::test]
async fn the_openapi_document_describes_every_endpoint() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let doc: Value = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/v1/sites/{site}/thread", "get"),
        ("/api/v1/sites/{site}/comments", "post"),
        ("/api/v1/sites/{site}/comments/{id}", "patch"),
        ("/api/v1/sites/{site}/comments/{id}", "delete"),
        ("/api/v1/sites/{site}/comments/{id}", "get"),
        ("/api/v1/sites/{site}/comments/{id}/vote", "post"),
        ("/api/v1/sites/{site}/counts", "get"),
        ("/api/v1/sites/{site}/counts", "post"),
        ("/api/v1/sites/{site}/stream", "get"),
        ("/api/v1/sites/{site}/comments/{id}/report", "post"),
        ("/api/v1/auth/login", "post"),
        ("/api/v1/auth/logout", "post"),
        ("/api/v1/auth/me", "get"),
        ("/api/v1/sites/{site}/moderation/queue", "get"),
        ("/api/v1/sites/{site}/moderation/actions", "post"),
        ("/api/v1/sites/{site}/moderation/bans", "get"),
        ("/api/v1/sites/{site}/moderation/bans", "post"),
        ("/api/v1/sites/{site}/moderation/bans", "delete"),
        ("/api/v1/sites/{site}/moderation/audit", "get"),
        ("/healthz", "get"),
        ("/readyz", "get"),
        ("/metrics", "get"),
    ] {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} is documented"
        );
    }
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for s in [
        "CommentView",
        "ThreadPageView",
        "ErrorBody",
        "PostCommentRequest",
    ] {
        assert!(schemas.contains_key(s), "{s}");
    }
}

#[tokio::test]
async fn a_stopped_server_keeps_what_it_acknowledged() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let (id, _) = app.comment("/g", None, "kept").await;
    let dir = app.stop().await;
    let Some(again) = TestApp::spawn_with(|c| c.server.data_dir = dir.path().to_path_buf()).await
    else {
        return;
    };
    let r = again
        .client
        .get(again.api(&format!("/comments/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["html"], "<p>kept</p>\n");
}
