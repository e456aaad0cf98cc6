//! Public attack strings through every user-written field: never a 5xx, and
//! what is rendered stays inert.

use crate::helpers::*;
use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{json, Value};

const XSS: &str = include_str!("../fixtures/security/xss-payloads.txt");
const SQLI: &str = include_str!("../fixtures/security/sqli-payloads.txt");
const TRAVERSAL: &str = include_str!("../fixtures/security/path-traversal-payloads.txt");

fn payloads(list: &str) -> Vec<&str> {
    list.lines().filter(|l| !l.trim().is_empty()).collect()
}

/// Whether rendered HTML could run anything: script elements, event handler
/// attributes, or script URLs in attributes.
fn executable(html: &str) -> Option<&'static str> {
    let lower = html.to_ascii_lowercase();
    // Only text between tags can carry markup; look inside tags.
    let mut in_tag = false;
    let mut tag = String::new();
    for ch in lower.chars() {
        match (in_tag, ch) {
            (false, '<') => {
                in_tag = true;
                tag.clear();
            }
            (true, '>') => {
                in_tag = false;
                let name: String = tag
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '/')
                    .collect();
                let name = name.trim_start_matches('/');
                if ![
                    "a",
                    "p",
                    "br",
                    "em",
                    "strong",
                    "del",
                    "code",
                    "pre",
                    "blockquote",
                    "ul",
                    "ol",
                    "li",
                    "hr",
                ]
                .contains(&name)
                {
                    return Some("a tag outside the allow-list");
                }
                if tag
                    .split_whitespace()
                    .skip(1)
                    .any(|attr| attr.starts_with("on"))
                {
                    return Some("an event handler attribute");
                }
                if tag.contains("javascript:") || tag.contains("vbscript:") || tag.contains("data:")
                {
                    return Some("a script URL");
                }
            }
            (true, c) => tag.push(c),
            _ => {}
        }
    }
    None
}

#[tokio::test]
async fn attack_strings_in_bodies_render_inert() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let all: Vec<&str> = payloads(XSS).into_iter().chain(payloads(SQLI)).collect();
    assert!(all.len() > 7000, "the fixture lists are complete");
    let mut checked = 0;
    for chunk in all.chunks(64) {
        let posts = chunk.iter().map(|p| {
            let app = &app;
            async move {
                let r = app
                    .client
                    .post(app.api("/comments"))
                    .json(
                        &json!({"url": app.page("/xss"), "author": {"name": "Mallory"}, "body": p}),
                    )
                    .send()
                    .await
                    .unwrap();
                (p, r.status(), r.json::<Value>().await.unwrap())
            }
        });
        for (p, status, v) in join_all(posts).await {
            assert!(
                status.is_success() || status.is_client_error(),
                "{p:?} -> {status}"
            );
            if status == StatusCode::CREATED {
                let html = v["comment"]["html"].as_str().unwrap();
                assert_eq!(executable(html), None, "{p:?} rendered as {html:?}");
                checked += 1;
            }
        }
    }
    assert!(
        checked > 7000,
        "most payloads are valid comments: {checked}"
    );
}

#[tokio::test]
async fn attack_strings_in_every_other_field_never_break_the_server() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let (id, token) = app.comment("/atk", None, "target").await;
    let mut all: Vec<&str> = payloads(SQLI);
    all.extend(payloads(TRAVERSAL));
    all.extend(payloads(XSS).into_iter().step_by(10));
    for chunk in all.chunks(32) {
        let requests = chunk.iter().map(|p| {
            let app = &app;
            let token = token.clone();
            async move {
                let page = app.page("/atk");
                let statuses = vec![
                    app.client.post(app.api("/comments")).json(&json!({"url": page, "author": {"name": p, "website": p, "email": p}, "title": p, "body": "x"})).send().await.unwrap().status(),
                    app.client.post(app.api("/comments")).json(&json!({"url": format!("{page}/{p}"), "author": {"name": "n"}, "body": "x"})).send().await.unwrap().status(),
                    app.client.post(app.api("/comments")).json(&json!({"url": p, "author": {"name": "n"}, "body": "x"})).send().await.unwrap().status(),
                    app.client.get(app.api("/thread")).query(&[("url", page.as_str()), ("sort", p)]).send().await.unwrap().status(),
                    app.client.get(app.api("/thread")).query(&[("url", page.as_str()), ("after", p)]).send().await.unwrap().status(),
                    app.client.get(app.api("/thread")).query(&[("url", *p)]).send().await.unwrap().status(),
                    app.client.get(app.api("/counts")).query(&[("url", *p)]).send().await.unwrap().status(),
                    app.client.patch(app.api(&format!("/comments/{id}"))).header("x-edit-token", p.replace(['\r', '\n'], "")).json(&json!({"body": p})).send().await.map(|r| r.status()).unwrap_or(StatusCode::BAD_REQUEST),
                    app.client.post(app.api(&format!("/comments/{id}/vote"))).header("x-rostra-voter", p.replace(['\r', '\n'], "")).json(&json!({"value": 1})).send().await.map(|r| r.status()).unwrap_or(StatusCode::BAD_REQUEST),
                    app.client.patch(app.api(&format!("/comments/{id}"))).header("x-edit-token", &token).json(&json!({"body": p})).send().await.unwrap().status(),
                ];
                (p, statuses)
            }
        });
        for (p, statuses) in join_all(requests).await {
            for s in statuses {
                assert!(!s.is_server_error(), "{p:?} -> {s}");
            }
        }
    }
    // The thread still reads, and everything in it is inert.
    let page = app.thread_json("/atk", &[("limit", "100")]).await;
    for c in page["comments"].as_array().unwrap() {
        assert_eq!(executable(c["html"].as_str().unwrap()), None, "{c}");
    }
}
